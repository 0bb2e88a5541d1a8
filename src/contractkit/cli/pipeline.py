"""The main job: lint, consumer contracts, pact verification and response validation, as one report."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace

from contractkit.consumer import run_consumer
from contractkit.core.errors import ContractKitError
from contractkit.core.model import CheckResult, Registry, Report, Status
from contractkit.registry import lint_registry, registry_warnings
from contractkit.validation import Validators
from contractkit.verify import verify_registry

Progress = Callable[[str], None]


def run_main_job(registry: Registry, provider_names: Iterable[str] = (), *, progress: Progress | None = None) -> Report:
    """Everything `contracts run` does, offline: bad input raises, contract failures are results."""
    say = progress or (lambda message: None)
    names = list(provider_names)
    providers = registry.select_providers(names)
    started = time.perf_counter()
    say(f"lint: {registry.path.name} and every file it points to")
    ensure_lint_clean(registry)
    say(f"consumer: {len(providers)} providers through the Pact mock server")
    validators = Validators()  # the consumer's examples and the recordings are held to the same compiled slices
    consumer = run_consumer(registry, [provider.name for provider in providers], validators=validators)
    say(
        f"verify: pacts against cassettes, cassettes against schemas, pacts against OpenAPI ({consumer_summary(consumer)})"
    )
    verified = verify_registry(registry, providers, validators=validators)
    stale = {result.provider for result in consumer.results if result.status is Status.FAILED}
    results = (
        registry_warnings(registry)
        + consumer.results
        + tuple(
            _stale(result, registry.consumer) if result.provider in stale else result for result in verified.results
        )
    )
    return Report(
        f"contracts run: {registry.consumer} against {len(providers)} providers", results, time.perf_counter() - started
    )


_PACT_CHECKS = ("pact", "pact-openapi")


def _stale(result: CheckResult, consumer: str) -> CheckResult:
    """A check of our own pact for a provider whose consumer contract just failed: the pact on disk is not the
    contract any more (it was not rewritten), so its verdict is no verdict: skipped, saying why, never PASSED."""
    if (
        result.check not in _PACT_CHECKS
        or result.status is Status.FAILED
        or result.details.get("consumer", consumer) != consumer
    ):
        return result
    return replace(
        result,
        status=Status.SKIPPED,
        message=f"not judged: the consumer contract of {result.provider} "
        f"failed in this run, so the pact on disk is stale (its last verdict: {result.message})",
    )


def ensure_lint_clean(registry: Registry) -> None:
    """Raise the first lint error (bad input), mentioning how many more there are."""
    errors = lint_registry(registry).errors
    if not errors:
        return
    first = errors[0].error
    if len(errors) > 1:
        first.hint = (
            (first.hint + ". ") if first.hint else ""
        ) + f"{len(errors) - 1} more problems: run `contracts lint`"
    raise first


def consumer_summary(report: Report) -> str:
    """`33 interactions, 0 failed` for a progress line."""
    failed = sum(1 for result in report.results if result.status is Status.FAILED)
    return f"{len(report.results)} consumer interactions, {failed} failed"


__all__ = ["ContractKitError", "ensure_lint_clean", "run_main_job"]
