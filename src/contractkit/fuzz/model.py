"""Fuzzing options, failures, outcomes and runs, and the codes of the fuzz checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractkit.core.codes import Code
from contractkit.core.errors import ContractKitError
from contractkit.core.model import CheckResult, Finding, Report, Severity, Status
from contractkit.fuzz.corpus import CorpusRequest

SCHEMATHESIS_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
)
OUR_CHECKS = ("error_format", "consumer_compatibility")
ALL_CHECKS = SCHEMATHESIS_CHECKS + OUR_CHECKS
CODES = {check: Code[check.upper()] for check in ALL_CHECKS}  # a check's code is the member named after it
SAFE_METHODS = ("GET", "HEAD")
DEFAULT_PHASES = ("examples", "coverage", "fuzzing")
ALL_PHASES = ("examples", "coverage", "fuzzing", "stateful")
DEFAULT_MAX_EXAMPLES = 20
TEMPLATE_PARAMETER = re.compile(r"\{[^}/]+\}")


class FuzzError(ContractKitError):
    """The fuzzer cannot run: the description cannot be loaded, or the engine stopped with a fatal error."""


@dataclass(frozen=True, slots=True)
class FuzzOptions:
    """What to fuzz and how; None means "from the registry's fuzz key, else the default"."""

    operations: tuple[str, ...] = ()
    base_url: str | None = None
    app: str | None = None  # module:attribute of an ASGI or WSGI application, fuzzed in process
    seed: int | None = None
    max_examples: int | None = None
    time_budget: float | None = None
    allow_unsafe: bool = False
    checks: tuple[str, ...] = ALL_CHECKS
    phases: tuple[str, ...] = DEFAULT_PHASES
    use_corpus: bool = True
    update_corpus: bool = True
    corpus_path: Path | None = None
    start_process: bool = True
    request_timeout: float = 10.0


@dataclass(frozen=True, slots=True)
class FuzzFailure:
    """One distinct failure, with everything needed to reproduce it."""

    operation: str  # label, e.g. GET /items/{item_id}
    check: str
    code: str
    title: str
    message: str
    curl: str
    seed: int
    status_code: int | None = None
    source: str = "fuzz"  # fuzz | corpus
    request: CorpusRequest | None = None
    signature: str = ""  # what tells apart two problems a check reports under one title (a schema path, a status)

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What makes two failures the same problem: operation, check, title and signature."""
        return self.operation, self.check, self.title, self.signature


@dataclass(frozen=True, slots=True)
class FuzzOutcome:
    """What happened to one endpoint."""

    label: str
    name: str = ""  # the registered operation's name, when the registry names this endpoint
    cases: int = 0
    failures: tuple[FuzzFailure, ...] = ()
    errors: tuple[str, ...] = ()
    skipped: str = ""
    duration: float = 0.0


@dataclass(frozen=True, slots=True)
class FuzzProgress:
    """A progress update for a display: one scenario finished."""

    phase: str
    label: str
    done: int
    total: int
    failures: int


@dataclass(frozen=True, slots=True)
class FuzzRun:
    """The outcome of fuzzing one provider."""

    provider: str
    seed: int
    target: str
    outcomes: tuple[FuzzOutcome, ...]
    checks: tuple[str, ...]
    corpus_path: Path | None = None
    corpus_replayed: int = 0
    corpus_added: int = 0
    stop_reason: str = "completed"
    duration: float = 0.0
    notes: tuple[str, ...] = ()

    @property
    def failures(self) -> list[FuzzFailure]:
        """Every failure of every operation."""
        return [failure for outcome in self.outcomes for failure in outcome.failures]

    def to_report(self) -> Report:
        """One row per endpoint; failures become findings with a curl command and the seed."""
        results = tuple(_outcome_result(self, outcome) for outcome in self.outcomes)
        title = f"contracts fuzz: {self.provider} (seed {self.seed}, {len(self.failures)} failures)"
        return Report(title=title, results=results, duration=self.duration)


_IDENTITY_ATTRIBUTES = ("schema_path", "missing_headers", "status_code", "content_type", "actual")


def failure_signature(failure: Any) -> str:
    """What tells one schemathesis failure apart from another of the same class and title.

    schemathesis's own failures keep it in public attributes (the schema path of a schema violation, the
    undocumented status or content type); ours put the problem in the title, so they need none."""
    for name in _IDENTITY_ATTRIBUTES:
        value = getattr(failure, name, None)
        if value is not None and value != "":
            return "/".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return ""


def _outcome_result(run: FuzzRun, outcome: FuzzOutcome) -> CheckResult:
    findings = [_failure_finding(run.provider, outcome, failure) for failure in outcome.failures]
    findings += [
        Finding(Code.OPERATION_ERROR, Severity.ERROR, error, provider=run.provider, operation=outcome.name)
        for error in outcome.errors
    ]
    if outcome.skipped:
        status, message = Status.SKIPPED, outcome.skipped
    elif findings:
        failed = sorted({failure.check for failure in outcome.failures} | ({"error"} if outcome.errors else set()))
        status, message = Status.FAILED, f"{len(findings)} problem(s): {', '.join(failed)}"
    else:
        status, message = Status.PASSED, f"{outcome.cases} cases"
    details = {
        "cases": outcome.cases,
        "seed": run.seed,
        "checks": list(run.checks),
        "failures": [_failure_dict(failure) for failure in outcome.failures],
    }
    return CheckResult(
        check="fuzz",
        provider=run.provider,
        operation=outcome.name or outcome.label,
        interaction=outcome.label if outcome.name else "",
        status=status,
        message=message,
        duration=outcome.duration,
        findings=tuple(findings),
        details=details,
    )


def _failure_finding(provider: str, outcome: FuzzOutcome, failure: FuzzFailure) -> Finding:
    origin = " (replayed from the corpus)" if failure.source == "corpus" else ""
    status = f" [{failure.status_code}]" if failure.status_code is not None else ""
    detail = "; ".join(line.strip() for line in failure.message.splitlines() if line.strip())[:300]
    detail = f": {detail}" if detail else ""
    message = (
        f"{failure.check}: {failure.title}{status}{origin}{detail}; reproduce (seed {failure.seed}): {failure.curl}"
    )
    return Finding(
        failure.code, Severity.ERROR, message, location=failure.operation, provider=provider, operation=outcome.name
    )


def _failure_dict(failure: FuzzFailure) -> dict[str, Any]:
    return {
        "check": failure.check,
        "code": failure.code,
        "title": failure.title,
        "message": failure.message,
        "signature": failure.signature,
        "status_code": failure.status_code,
        "curl": failure.curl,
        "seed": failure.seed,
        "source": failure.source,
    }
