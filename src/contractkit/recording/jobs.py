"""Entry points for the CLI and CI: record, re-record and drift, each as a report."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from contractkit.core.auth import missing_credentials, missing_credentials_error
from contractkit.core.codes import Code
from contractkit.core.errors import ContractKitError, UsageError
from contractkit.core.model import Finding, Operation, Provider, ProviderKind, Registry, Report, Severity
from contractkit.pact import load_usage
from contractkit.recording.aws import aws_client_factory, moto_server, remove_moto_fixtures, seed_moto
from contractkit.recording.drift import compare_cassettes
from contractkit.recording.plan import (
    OperationOutcome,
    RecordOptions,
    RecordRun,
    aws_params,
    name_prefix,
    run_report,
)
from contractkit.recording.record import record_provider
from contractkit.recording.seed import load_document, seed_aws_operation, seed_provider
from contractkit.runtime import ProviderProcess, ProviderProcessError


def record_cassettes(
    registry: Registry,
    provider_name: str,
    operation_names: Iterable[str],
    *,
    mode: str,
    options: RecordOptions,
    spec: Path | None = None,
    force: bool = False,
    state: Any = None,
) -> Report:
    """Record (`live`, `moto`) or seed (`spec`) the cassettes of one provider; one report row per operation.

    `state` (a seeding.SeedState, with `spec` only) seeds the cassette variant of a provider state. Live, a
    provider with a registry `process` is started on 127.0.0.1 for the run unless a base URL is given."""

    provider = registry.provider(provider_name)
    operations = provider.select_operations(operation_names)
    options = replace(options, pact_file=options.pact_file or registry.pact_file(provider.name))
    started = time.perf_counter()
    if state is not None and mode != "spec":
        raise UsageError(
            "--state seeds a cassette variant: use it with --from-spec SPEC (or --from-spec botocore for AWS)"
        )
    run = _dispatch(registry, provider, operations, mode, options, spec, force, state)
    report = run_report([run], f"contracts record --provider {provider.name} ({run.source})")
    return replace(report, duration=time.perf_counter() - started)


def _dispatch(
    registry: Registry,
    provider: Provider,
    operations: list[Operation],
    mode: str,
    options: RecordOptions,
    spec: Path | None,
    force: bool,
    state: Any = None,
) -> RecordRun:

    aws = provider.kind is ProviderKind.AWS
    if mode == "spec":
        return _seed(provider, operations, spec, force, state)
    if mode == "moto":
        if not aws:
            raise UsageError(f"--moto records AWS providers; {provider.name!r} is an HTTP provider (use --live)")
        if options.dry_run:
            return record_provider(provider, operations, replace(options, source="moto"))
        with moto_server() as url:
            return seed_moto_gaps(
                provider, operations, record_aws(provider, operations, replace(options, source="moto"), url)
            )
    if mode != "live":
        raise UsageError(f"unknown recording mode {mode!r}")
    if aws:
        return record_aws(provider, operations, options, options.base_url or provider.base_url)
    if has_process(provider, options):
        with ProviderProcess(provider, registry.root, environ=options.environ) as process:
            return record_provider(provider, operations, replace(options, base_url=process.base_url, source="local"))
    return record_provider(provider, operations, options)


def has_process(provider: Provider, options: RecordOptions) -> bool:
    """True when a live recording starts the provider's registered `process` (no base URL given, not a dry run)."""
    return (
        provider.settings.process is not None and options.start_process and not options.base_url and not options.dry_run
    )


def seed_moto_gaps(provider: Provider, operations: Iterable[Operation], run: RecordRun) -> RecordRun:
    """Each operation moto does not implement is seeded from botocore's output shape instead of failing, and
    its report row and cassette say so."""
    by_name = {operation.name: operation for operation in operations}
    outcomes = []
    for outcome in run.outcomes:
        operation = by_name.get(outcome.operation)
        if outcome.moto_gap and operation is not None:
            gap = f"moto does not implement {operation.service} {operation.aws_operation}"
            seeded = seed_aws_operation(provider, operation, aws_params(provider, operation), reason=gap)
            if seeded.outcome != "failed":
                seeded = replace(
                    seeded,
                    message=f"{gap}: seeded from botocore's output shape ({seeded.message})",
                    requests=outcome.requests,
                )
            outcome = seeded
        outcomes.append(outcome)
    return replace(run, outcomes=tuple(outcomes))


def _seed(
    provider: Provider, operations: list[Operation], spec: Path | None, force: bool, state: Any = None
) -> RecordRun:
    if provider.kind is ProviderKind.AWS:
        if spec is not None and str(spec) != "botocore":
            raise UsageError("AWS operations are seeded from botocore's models: pass --from-spec botocore")
        outcomes = tuple(
            seed_aws_operation(provider, op, aws_params(provider, op), force=force, state=state) for op in operations
        )
        return RecordRun(provider.name, outcomes, 0, "botocore-schema")
    if spec is None:
        raise UsageError("--from-spec needs the provider's OpenAPI or Swagger document")
    document = load_document(spec)
    name = provider.spec_source.document if provider.spec_source and provider.spec_source.document else spec.name
    try:
        return seed_provider(provider, document, operations, force=force, document_name=name, state=state)
    except ContractKitError as exc:
        exc.file = exc.file or str(spec)  # a broken $ref deep in the document: name the document it is in
        raise


def rerecord(
    registry: Registry,
    provider_names: Iterable[str],
    environ: Mapping[str, str],
    *,
    allow_unsafe: bool = False,
    budget: int | None = None,
) -> Report:
    """The scheduled re-record: every selected provider whose credentials are set is recorded live (a provider
    with a registry `process` is started for it); the others are reported as skipped. Drift and breaking
    drift are in the report; a provider process that does not start fails its operations, not the job."""

    runs = []
    for provider in registry.select_providers(provider_names):
        missing = missing_credentials(provider, environ)
        if missing:
            reason = str(missing_credentials_error(provider, missing))  # the one message, reported rather than raised
            skipped = tuple(OperationOutcome(op, "skipped", reason) for op in provider.operations)
            runs.append(RecordRun(provider.name, skipped, 0, "live"))
            continue
        options = RecordOptions(
            allow_unsafe=allow_unsafe, budget=budget, environ=environ, pact_file=registry.pact_file(provider.name)
        )
        try:
            runs.append(_dispatch(registry, provider, list(provider.operations.values()), "live", options, None, False))
        except ProviderProcessError as exc:
            runs.append(_not_started(provider, exc))
    return run_report(runs, "contracts rerecord")


def _not_started(provider: Provider, error: ProviderProcessError) -> RecordRun:
    message = f"the provider process did not start: {error}"
    outcomes = tuple(
        OperationOutcome(
            name,
            "failed",
            message,
            findings=(
                Finding(
                    Code.RECORD_FAILED,
                    Severity.ERROR,
                    f"recording failed: {message}; the cassette was not changed",
                    provider=provider.name,
                    operation=name,
                ),
            ),
        )
        for name in provider.operations
    )
    return RecordRun(provider.name, outcomes, 0, "local")


def drift_report(old: Path, new: Path, registry: Any = None, provider_name: str | None = None) -> Report:
    """`contracts drift`: the comparison of two cassette files or folders as a report."""
    provider = registry.provider(provider_name) if registry is not None and provider_name else None
    pact_file = registry.pact_file(provider.name) if provider is not None else None
    usage = load_usage(registry, providers=[provider.name]) if provider is not None else None
    run = compare_cassettes(old, new, provider, pact_file, usage)
    return run_report([run], f"contracts drift {old} {new}", check="drift")


def record_aws(
    provider: Provider,
    operations: Iterable[Operation],
    options: RecordOptions,
    endpoint_url: str,
    *,
    on_outcome: Callable[[OperationOutcome], None] | None = None,
) -> RecordRun:
    """Record boto3 calls against an endpoint; against moto, fixtures named with the prefix are made first and removed after."""
    factory = aws_client_factory(provider, endpoint_url, options.environ)
    operations = list(operations)
    fixtures = options.source == "moto" and not options.dry_run
    if fixtures:
        seed_moto(factory, endpoint_url, name_prefix(provider.settings.record))
    try:
        return record_provider(provider, operations, options, aws_client_factory=factory, on_outcome=on_outcome)
    finally:
        if fixtures:
            remove_moto_fixtures(factory, name_prefix(provider.settings.record))
