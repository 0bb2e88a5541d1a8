"""Recording plans: which calls a run makes, with what, under which budget and name prefix; outcomes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urlencode, urlsplit

from contractkit.cassettes import cassette_path, load_cassette
from contractkit.core.loading import parse_json_value
from contractkit.core.model import CheckResult, Finding, Operation, Provider, ProviderKind, Report, Status
from contractkit.core.settings import RecordRequest, RecordSettings
from contractkit.secrets import ScrubRules, rules_for_provider

# headers worth keeping from a previous request when re-sending it; auth comes from the environment
_REPLAYED_HEADERS = frozenset({"accept", "content-type"})
DEFAULT_BUDGET = 50
DEFAULT_PREFIX = "contractkit-rec-"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


@dataclass(frozen=True, slots=True)
class RecordOptions:
    """How a recording run behaves."""

    allow_unsafe: bool = False
    dry_run: bool = False
    budget: int | None = None  # None: the registry's record.budget, else DEFAULT_BUDGET
    base_url: str | None = None  # None: the provider's base_url
    source: str = "live"  # live | local | moto: written to the cassette's metadata
    timeout: float = 15.0
    environ: Mapping[str, str] = field(default_factory=dict)
    pact_file: Path | None = None  # drift that breaks this pact fails the run
    start_process: bool = True  # record --live of a provider with a registry `process`: start it (not with base_url)


@dataclass(frozen=True, slots=True)
class PlannedCall:
    """One operation of a run: what would be sent, or why it is skipped."""

    operation: Operation
    label: str  # `GET /api/search?query=cpu` or `iam ListUsers {}`
    skip_reason: str = ""
    request: HttpCall | None = None
    aws_params: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class HttpCall:
    """A request to send: method, path with query (below the origin), headers and body."""

    method: str
    target: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str | bytes | None = None


@dataclass(frozen=True, slots=True)
class OperationOutcome:
    """What happened to one operation: recorded, unchanged, drifted, failed, skipped or planned."""

    operation: str
    outcome: str
    message: str = ""
    path: Path | None = None
    findings: tuple[Finding, ...] = ()
    breaking: bool = False
    requests: int = 0
    duration: float = 0.0
    moto_gap: bool = False  # failed because moto does not implement the action (`record --moto` seeds it)


@dataclass(frozen=True, slots=True)
class RecordRun:
    """The outcome of recording one provider."""

    provider: str
    outcomes: tuple[OperationOutcome, ...]
    requests_sent: int
    source: str
    dry_run: bool = False

    def counts(self) -> dict[str, int]:
        """How many operations ended in each outcome."""
        totals: dict[str, int] = {}
        for outcome in self.outcomes:
            totals[outcome.outcome] = totals.get(outcome.outcome, 0) + 1
        return totals


def run_report(runs: Iterable[RecordRun], title: str = "contracts record", check: str = "record") -> Report:
    """A report with one row per operation; failed recordings and breaking drift fail it."""
    results = []
    for run in runs:
        for item in run.outcomes:
            failed = item.outcome == "failed" or item.breaking
            status = (
                Status.FAILED
                if failed
                else (Status.SKIPPED if item.outcome in ("skipped", "planned") else Status.PASSED)
            )
            results.append(
                CheckResult(
                    check=check,
                    provider=run.provider,
                    operation=item.operation,
                    interaction=item.outcome,
                    status=status,
                    message=item.message,
                    duration=item.duration,
                    findings=item.findings,
                    details={
                        "outcome": item.outcome,
                        "source": run.source,
                        "requests": item.requests,
                        "cassette": str(item.path) if item.path else "",
                    },
                )
            )
    return Report(title=title, results=tuple(results))


def plan_recording(provider: Provider, operations: Iterable[Operation], options: RecordOptions) -> list[PlannedCall]:
    """What a run would send, operation by operation, with the reason for each skip."""
    settings = provider.settings.record
    budget = options.budget or settings.budget or DEFAULT_BUDGET
    plans, used = [], 0
    for operation in operations:
        plan = _plan_one(provider, operation, settings)
        if not plan.skip_reason and not operation.safe and not options.allow_unsafe:
            plan = replace(plan, skip_reason="unsafe operation: not sent without --allow-unsafe")
        if not plan.skip_reason:
            used += 1 + (1 if operation.name in settings.cleanup else 0)
            if used > budget:
                plan = replace(plan, skip_reason=f"request budget of {budget} used up")
        plans.append(plan)
    return plans


def _plan_one(provider: Provider, operation: Operation, settings: RecordSettings) -> PlannedCall:
    if provider.kind is ProviderKind.AWS:
        params = aws_params(provider, operation)
        return PlannedCall(
            operation,
            f"{operation.service} {operation.aws_operation} {json.dumps(params, sort_keys=True)}",
            aws_params=params,
        )
    call = http_call(provider, operation, settings)
    if call is None:
        return PlannedCall(
            operation,
            operation.label,
            skip_reason="no request known: record it from a spec first (--from-spec) or add "
            f"record.requests.{operation.name} to the registry",
        )
    return PlannedCall(operation, f"{call.method} {call.target}", request=call)


def http_call(provider: Provider, operation: Operation, settings: RecordSettings) -> HttpCall | None:
    """The request for an HTTP operation: the registry's record.requests, else the one in its cassette."""
    configured = settings.requests.get(operation.name)
    if configured is not None:
        return _configured_call(provider, operation, configured, name_prefix(settings))
    path = cassette_path(provider.cassettes, operation.name) if provider.cassettes else None
    if path is None or not path.exists():
        return None
    recorded = load_cassette(path).interactions
    if not recorded:
        return None
    request = recorded[0].request
    parts = urlsplit(request.uri)
    headers = {
        name: values[0]
        for name, values in request.headers.items()
        if name.lower() in _REPLAYED_HEADERS and values and not values[0].startswith("<")
    }
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return HttpCall(request.method, target, headers, _prefixed_body(request.body, operation, name_prefix(settings)))


def _configured_call(provider: Provider, operation: Operation, configured: RecordRequest, prefix: str) -> HttpCall:
    path = provider.base_path + (operation.path or "/")
    for name, value in configured.path.items():
        path = path.replace("{" + name + "}", str(value))
    query = configured.query
    target = path + ("?" + urlencode(query, doseq=True) if query else "")
    headers = dict(configured.headers)
    body = configured.body
    if body is not None and not isinstance(body, str):
        headers.setdefault("Content-Type", "application/json")
        body = json.dumps(body, sort_keys=True)
    return HttpCall(operation.method or "GET", target, headers, _prefixed_body(body, operation, prefix))


def name_prefix(settings: RecordSettings) -> str:
    """The prefix of every name a recording creates (`record.name_prefix`, else contractkit-rec-)."""
    return settings.name_prefix or DEFAULT_PREFIX


_NAME_KEYS = ("name", "title", "summary", "text", "key")


def _prefixed_body(body: str | bytes | None, operation: Operation, prefix: str) -> str | bytes | None:
    """For an unsafe operation, give every name-like field of a JSON body the run's name prefix."""
    if operation.safe or not isinstance(body, str):
        return body
    try:
        data = parse_json_value(body)
    except ValueError:
        return body
    if isinstance(data, dict):
        for key in _NAME_KEYS:
            if isinstance(data.get(key), str) and not data[key].startswith(prefix):
                data[key] = prefix + data[key]
    return json.dumps(data, sort_keys=True)


def scrub_rules(provider: Provider, secrets: Mapping[str, str]) -> ScrubRules:
    """Default scrub rules, the provider's registry additions, and this run's credential values."""
    return rules_for_provider(provider, secrets)


AWS_DEFAULT_PARAMS: dict[tuple[str, str], dict[str, Any]] = {
    ("s3", "ListBuckets"): {},
    ("s3", "GetBucketLocation"): {"Bucket": "{prefix}bucket"},
    ("s3", "ListObjectsV2"): {"Bucket": "{prefix}bucket", "MaxKeys": 100},
    ("iam", "ListUsers"): {"MaxItems": 100},
    ("iam", "ListRoles"): {"MaxItems": 100},
    ("ce", "GetCostAndUsage"): {
        "TimePeriod": {"Start": "2026-10-01", "End": "2026-11-01"},
        "Granularity": "MONTHLY",
        "Metrics": ["UnblendedCost"],
        "GroupBy": [{"Type": "DIMENSION", "Key": "SERVICE"}],
    },
    ("ce", "GetCostForecast"): {
        "TimePeriod": {"Start": "2026-11-01", "End": "2026-12-01"},
        "Granularity": "MONTHLY",
        "Metric": "UNBLENDED_COST",
    },
    ("cloudwatch", "DescribeAlarms"): {"MaxRecords": 100},
}


def aws_params(provider: Provider, operation: Operation) -> dict[str, Any]:
    """The parameters of an AWS call: registry record.params, else the defaults above; `{prefix}` filled."""
    settings = provider.settings.record
    raw = settings.params.get(operation.name)
    if raw is None:
        raw = AWS_DEFAULT_PARAMS.get((operation.service or "", operation.aws_operation or ""), {})
    return fill_prefix(raw, name_prefix(settings))


def fill_prefix(value: Any, prefix: str) -> Any:
    if isinstance(value, str):
        return value.replace("{prefix}", prefix)
    if isinstance(value, dict):
        return {key: fill_prefix(item, prefix) for key, item in value.items()}
    if isinstance(value, list):
        return [fill_prefix(item, prefix) for item in value]
    return value
