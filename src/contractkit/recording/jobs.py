"""Entry points for the CLI and CI: record, re-record, drift and their reports."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from contractkit.core.errors import UsageError
from contractkit.core.model import Operation, Provider, ProviderKind, Report
from contractkit.pact.usage import load_usage
from contractkit.recording.aws import aws_client_factory, moto_server, remove_moto_fixtures, seed_moto
from contractkit.recording.drift import compare_cassettes
from contractkit.recording.plan import OperationOutcome, RecordOptions, RecordRun, aws_params, name_prefix, record_settings, run_report
from contractkit.recording.record import record_provider
from contractkit.recording.seed import load_document, seed_aws_operation, seed_provider
from contractkit.reports import render_report


def record_cassettes(registry: Any, provider_name: str, operation_names: Iterable[str], *, mode: str,
                     options: RecordOptions, spec: Path | None = None, force: bool = False, state: Any = None) -> Report:
    """Record (`live`, `moto`) or seed (`spec`) the cassettes of one provider; one report row per operation.

    `state` (a seeding.SeedState, with `spec` only) seeds the cassette variant of a provider state."""

    provider = registry.provider(provider_name)
    operations = provider.select_operations(operation_names)
    options = replace(options, pact_file=options.pact_file or registry.pact_file(provider.name))
    started = time.perf_counter()
    if state is not None and mode != "spec":
        raise UsageError("--state seeds a cassette variant: use it with --from-spec SPEC (or --from-spec botocore for AWS)")
    run = _dispatch(provider, operations, mode, options, spec, force, state)
    report = run_report([run], f"contracts record --provider {provider.name} ({run.source})")
    return replace(report, duration=time.perf_counter() - started)


def _dispatch(provider: Provider, operations: list[Operation], mode: str, options: RecordOptions, spec: Path | None,
              force: bool, state: Any = None) -> RecordRun:

    aws = provider.kind is ProviderKind.AWS
    if mode == "spec":
        return _seed(provider, operations, spec, force, state)
    if mode == "moto":
        if not aws:
            raise UsageError(f"--moto records AWS providers; {provider.name!r} is an HTTP provider (use --live)")
        if options.dry_run:
            return record_provider(provider, operations, replace(options, source="moto"))
        with moto_server() as url:
            return record_aws(provider, operations, replace(options, source="moto"), url)
    if mode != "live":
        raise UsageError(f"unknown recording mode {mode!r}")
    if aws:
        return record_aws(provider, operations, options, options.base_url or provider.base_url)
    return record_provider(provider, operations, options)


def _seed(provider: Provider, operations: list[Operation], spec: Path | None, force: bool, state: Any = None) -> RecordRun:
    if provider.kind is ProviderKind.AWS:
        if spec is not None and str(spec) != "botocore":
            raise UsageError("AWS operations are seeded from botocore's models: pass --from-spec botocore")
        outcomes = tuple(seed_aws_operation(provider, op, aws_params(provider, op), force=force, state=state)
                         for op in operations)
        return RecordRun(provider.name, outcomes, 0, "botocore-schema")
    if spec is None:
        raise UsageError("--from-spec needs the provider's OpenAPI or Swagger document")
    document = load_document(spec)
    name = provider.spec_source.document if provider.spec_source and provider.spec_source.document else spec.name
    return seed_provider(provider, document, operations, force=force, document_name=name, state=state)


def rerecord(registry: Any, provider_names: Iterable[str], environ: Mapping[str, str], *, allow_unsafe: bool = False,
             budget: int | None = None) -> Report:
    """The scheduled re-record: every selected provider whose credentials are set is recorded live; the
    others are reported as skipped. Drift and breaking drift are in the report."""

    runs = []
    for provider in registry.select_providers(provider_names):
        needed = provider.auth.env[:2] if provider.auth.scheme == "aws-sigv4" else provider.auth.env  # session token optional
        missing = [name for name in needed if not environ.get(name)]
        if missing and provider.auth.scheme != "none":
            skipped = tuple(OperationOutcome(op, "skipped", f"credentials not set ({', '.join(missing)})")
                            for op in provider.operations)
            runs.append(RecordRun(provider.name, skipped, 0, "live"))
            continue
        options = RecordOptions(allow_unsafe=allow_unsafe, budget=budget, environ=environ,
                                pact_file=registry.pact_file(provider.name))
        runs.append(_dispatch(provider, list(provider.operations.values()), "live", options, None, False))
    return run_report(runs, "contracts rerecord")


def drift_report(old: Path, new: Path, registry: Any = None, provider_name: str | None = None) -> Report:
    """`contracts drift`: the comparison of two cassette files or folders as a report."""
    provider = registry.provider(provider_name) if registry is not None and provider_name else None
    pact_file = registry.pact_file(provider.name) if provider is not None else None
    usage = load_usage(registry, providers=[provider.name]) if provider is not None else None
    run = compare_cassettes(old, new, provider, pact_file, usage)
    return run_report([run], f"contracts drift {old} {new}", check="drift")


def render_record_report(report: Report, output_format: str) -> str:
    """The report in a format; Markdown also lists every finding, since it becomes the re-record pull request."""

    text = render_report(report, output_format)
    if output_format != "markdown":
        return text
    lines = [f"- **{row.provider} / {row.operation}** `{finding.code}` {finding.message}"
             + (f" ({finding.location})" if finding.location else "")
             for row in report.results for finding in row.findings]
    return text.rstrip("\n") + ("\n\n### Findings\n\n" + "\n".join(lines) + "\n" if lines else "\n")


def record_aws(provider: Provider, operations: Iterable[Operation], options: RecordOptions, endpoint_url: str, *,
               on_outcome: Callable[[OperationOutcome], None] | None = None) -> RecordRun:
    """Record boto3 calls against an endpoint; against moto, fixtures named with the prefix are made first and removed after."""
    factory = aws_client_factory(provider, endpoint_url, options.environ)
    operations = list(operations)
    fixtures = options.source == "moto" and not options.dry_run
    if fixtures:
        seed_moto(factory, endpoint_url, name_prefix(record_settings(provider)))
    try:
        return record_provider(provider, operations, options, aws_client_factory=factory, on_outcome=on_outcome)
    finally:
        if fixtures:
            remove_moto_fixtures(factory, name_prefix(record_settings(provider)))
