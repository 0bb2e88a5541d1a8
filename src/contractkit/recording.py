"""Record cassettes: call each operation through vcrpy, scrub, and write atomically, one file per operation.

Safety first: an operation the registry does not mark `safe` is never sent without `allow_unsafe`;
`dry_run` only plans; every run has a request budget; anything a run creates carries the
registry's `record.name_prefix` and is cleaned up afterwards. vcrpy records into memory (a
persister that never touches disk), so a secret is scrubbed before any byte is written, and a
cassette is replaced only by a complete file (temporary file, then rename): a run that fails or is
killed leaves every earlier cassette as it was.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

from contractkit import __version__ as TOOLKIT_VERSION
from contractkit.cassettes import (Cassette, RecordedInteraction, RecordedRequest, RecordedResponse, cassette_path,
                        dump_interactions, iter_drift, load_cassette, write_cassette)
from contractkit.core.errors import CassetteError, UsageError
from contractkit.core.model import CheckResult, Finding, Operation, Provider, ProviderKind, Report, Severity, Status
from contractkit.cassettes.scrub import ScrubRules, normalise_volatile, rules_for, scrub_interaction

DEFAULT_BUDGET = 50
DEFAULT_PREFIX = "contractkit-rec-"
RECORD_FAILED = "CK330"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
# headers worth keeping from a previous request when re-sending it; auth comes from the environment
_REPLAYED_HEADERS = frozenset({"accept", "content-type"})
_HOP_RESPONSE_HEADERS = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive",
                                   "content-encoding"})


# ---------------------------------------------------------------- plans and outcomes


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
            status = Status.FAILED if failed else (Status.SKIPPED if item.outcome in ("skipped", "planned") else Status.PASSED)
            results.append(CheckResult(
                check=check, provider=run.provider, operation=item.operation, interaction=item.outcome,
                status=status, message=item.message, duration=item.duration, findings=item.findings,
                details={"outcome": item.outcome, "source": run.source, "requests": item.requests,
                         "cassette": str(item.path) if item.path else ""}))
    return Report(title=title, results=tuple(results))


# ---------------------------------------------------------------- credentials


def credentials(provider: Provider, environ: Mapping[str, str], *, required: bool = True) -> dict[str, str]:
    """The values of the env vars the registry names for the provider's auth (missing ones are an error)."""
    missing = [name for name in provider.auth.env if not environ.get(name)]
    if missing and required and provider.auth.scheme not in ("none", "aws-sigv4"):
        raise UsageError(f"provider {provider.name!r}: environment variable(s) {', '.join(missing)} not set",
                         hint="export the credentials the registry names in providers." + provider.name + ".auth.env")
    return {name: environ[name] for name in provider.auth.env if environ.get(name)}


def auth_headers(provider: Provider, secrets: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and query parameters that carry the provider's credentials."""
    auth, values = provider.auth, [secrets.get(name, "") for name in provider.auth.env]
    if auth.scheme == "bearer" and values and values[0]:
        return {"Authorization": f"Bearer {values[0]}"}, {}
    if auth.scheme == "basic" and len(values) >= 2 and values[0]:
        token = base64.b64encode(f"{values[0]}:{values[1]}".encode()).decode()
        return {"Authorization": f"Basic {token}"}, {}
    if auth.scheme == "header" and auth.header and values and values[0]:
        return {auth.header: f"{auth.prefix}{values[0]}"}, {}
    if auth.scheme == "query" and auth.query and values and values[0]:
        return {}, {auth.query: values[0]}
    return {}, {}


def scrub_rules(provider: Provider, secrets: Mapping[str, str]) -> ScrubRules:
    """Default scrub rules, the provider's registry additions, and this run's credential values."""
    rules = rules_for(provider.settings.get("scrub"), secrets, provider=provider.name)
    auth = provider.auth
    return rules.extended(headers=[auth.header] if auth.header else (), query=[auth.query] if auth.query else ())


def record_settings(provider: Provider) -> Mapping[str, Any]:
    """The provider's `record:` block of the registry (budget, name_prefix, requests, params, cleanup)."""
    return provider.settings.get("record") or {}


# ---------------------------------------------------------------- planning


def plan_recording(provider: Provider, operations: Iterable[Operation], options: RecordOptions) -> list[PlannedCall]:
    """What a run would send, operation by operation, with the reason for each skip."""
    settings = record_settings(provider)
    budget = options.budget or settings.get("budget") or DEFAULT_BUDGET
    plans, used = [], 0
    for operation in operations:
        plan = _plan_one(provider, operation, settings)
        if not plan.skip_reason and not operation.safe and not options.allow_unsafe:
            plan = replace(plan, skip_reason="unsafe operation: not sent without --allow-unsafe")
        if not plan.skip_reason:
            used += 1 + (1 if _cleanup_for(settings, operation.name) else 0)
            if used > budget:
                plan = replace(plan, skip_reason=f"request budget of {budget} used up")
        plans.append(plan)
    return plans


def _plan_one(provider: Provider, operation: Operation, settings: Mapping[str, Any]) -> PlannedCall:
    if provider.kind is ProviderKind.AWS:
        from contractkit.awsrecording import aws_params

        params = aws_params(provider, operation)
        return PlannedCall(operation, f"{operation.service} {operation.aws_operation} {json.dumps(params, sort_keys=True)}",
                           aws_params=params)
    call = http_call(provider, operation, settings)
    if call is None:
        return PlannedCall(operation, operation.label,
                           skip_reason="no request known: record it from a spec first (--from-spec) or add "
                                       f"record.requests.{operation.name} to the registry")
    return PlannedCall(operation, f"{call.method} {call.target}", request=call)


def http_call(provider: Provider, operation: Operation, settings: Mapping[str, Any]) -> HttpCall | None:
    """The request for an HTTP operation: the registry's record.requests, else the one in its cassette."""
    configured = (settings.get("requests") or {}).get(operation.name)
    if configured is not None:
        return _configured_call(provider, operation, configured, _prefix(settings))
    path = cassette_path(provider.cassettes, operation.name) if provider.cassettes else None
    if path is None or not path.exists():
        return None
    recorded = load_cassette(path).interactions
    if not recorded:
        return None
    request = recorded[0].request
    parts = urlsplit(request.uri)
    headers = {name: values[0] for name, values in request.headers.items()
               if name.lower() in _REPLAYED_HEADERS and values and not values[0].startswith("<")}
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return HttpCall(request.method, target, headers, _prefixed_body(request.body, operation, _prefix(settings)))


def _configured_call(provider: Provider, operation: Operation, raw: Mapping[str, Any], prefix: str) -> HttpCall:
    path = provider.base_path + (operation.path or "/")
    for name, value in (raw.get("path") or {}).items():
        path = path.replace("{" + name + "}", str(value))
    query = raw.get("query") or {}
    target = path + ("?" + urlencode(query, doseq=True) if query else "")
    headers = dict(raw.get("headers") or {})
    body = raw.get("body")
    if body is not None and not isinstance(body, str):
        headers.setdefault("Content-Type", "application/json")
        body = json.dumps(body, sort_keys=True)
    return HttpCall(operation.method or "GET", target, headers, _prefixed_body(body, operation, prefix))


def _prefix(settings: Mapping[str, Any]) -> str:
    return str(settings.get("name_prefix") or DEFAULT_PREFIX)


_NAME_KEYS = ("name", "title", "summary", "text", "key")


def _prefixed_body(body: str | bytes | None, operation: Operation, prefix: str) -> str | bytes | None:
    """For an unsafe operation, give every name-like field of a JSON body the run's name prefix."""
    if operation.safe or not isinstance(body, str):
        return body
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if isinstance(data, dict):
        for key in _NAME_KEYS:
            if isinstance(data.get(key), str) and not data[key].startswith(prefix):
                data[key] = prefix + data[key]
    return json.dumps(data, sort_keys=True)


def _cleanup_for(settings: Mapping[str, Any], operation: str) -> Mapping[str, Any] | None:
    return (settings.get("cleanup") or {}).get(operation)


# ---------------------------------------------------------------- vcrpy in memory


class MemoryPersister:
    """A vcrpy persister that keeps cassettes in memory: nothing reaches disk before scrubbing."""

    _saved: dict[str, dict[str, Any]] = {}
    _lock = threading.Lock()

    @classmethod
    def load_cassette(cls, cassette_path: str, serializer: Any) -> Any:
        from vcr.persisters.filesystem import CassetteNotFoundError

        raise CassetteNotFoundError()

    @classmethod
    def save_cassette(cls, cassette_path: str, cassette_dict: dict[str, Any], serializer: Any = None) -> None:
        with cls._lock:
            cls._saved[str(cassette_path)] = cassette_dict

    @classmethod
    def take(cls, cassette_path: str) -> dict[str, Any]:
        """Remove and return what vcrpy saved under a key (empty when nothing was recorded)."""
        with cls._lock:
            return cls._saved.pop(cassette_path, {"requests": [], "responses": []})


def recorded_through_vcr(action: Callable[[], Any]) -> tuple[list[RecordedInteraction], BaseException | None]:
    """Run `action` under a vcrpy cassette held in memory; the interactions it recorded, and its exception."""
    import vcr

    recorder = vcr.VCR(record_mode="all", decode_compressed_response=True)
    recorder.register_persister(MemoryPersister)
    key = f"memory-{uuid.uuid4().hex}"
    error: BaseException | None = None
    with recorder.use_cassette(key):
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - reported per operation, the run goes on
            error = exc
    saved = MemoryPersister.take(key)
    return [from_vcr(request, response) for request, response in zip(saved["requests"], saved["responses"])], error


def from_vcr(request: Any, response: Mapping[str, Any]) -> RecordedInteraction:
    """A vcrpy request object and response dict as a RecordedInteraction (bytes headers and bodies decoded)."""
    headers = {str(name): (_text(value),) for name, value in request.headers.items()}
    status = response.get("status") or {}
    response_headers = {str(name): tuple(_text(v) for v in (values if isinstance(values, list) else [values]))
                        for name, values in (response.get("headers") or {}).items()}
    return RecordedInteraction(
        request=RecordedRequest(str(request.method).upper(), str(request.uri), headers, _body(request.body_bytes)),
        response=RecordedResponse(int(status.get("code", 0)), response_headers,
                                  _body((response.get("body") or {}).get("string")), str(status.get("message", ""))))


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _body(value: Any) -> str | bytes | None:
    if value is None or value == b"":
        return None if value is None else ""
    if isinstance(value, str):
        return value
    if hasattr(value, "read"):  # BytesIO bodies would make the cassette unreadable for safe loaders
        value = value.read()
    if isinstance(value, list):
        value = b"".join(value)
    try:
        return bytes(value).decode("utf-8")
    except UnicodeDecodeError:
        return bytes(value)


# ---------------------------------------------------------------- cleaning what was recorded


def finish_interaction(interaction: RecordedInteraction, rules: ScrubRules, operation: str) -> RecordedInteraction:
    """Scrub secrets, mark volatile values, drop hop-by-hop headers, and make loopback origins port-free."""
    clean = normalise_volatile(scrub_interaction(interaction, rules))
    headers = {k: v for k, v in clean.response.headers.items() if k.lower() not in _HOP_RESPONSE_HEADERS}
    request = replace(clean.request, uri=stable_uri(clean.request.uri))
    return replace(clean, request=request, response=replace(clean.response, headers=headers), operation=operation)


def stable_uri(uri: str) -> str:
    """A loopback URI without its port, so recordings from servers on random ports compare equal."""
    parts = urlsplit(uri)
    if parts.hostname in LOOPBACK and parts.port:
        return urlunsplit(parts._replace(netloc=parts.hostname))
    return uri


# ---------------------------------------------------------------- running


Sender = Callable[[PlannedCall], None]


def record_provider(provider: Provider, operations: Iterable[Operation], options: RecordOptions, *,
                    aws_client_factory: Callable[[str], Any] | None = None,
                    on_outcome: Callable[[OperationOutcome], None] | None = None) -> RecordRun:
    """Record every planned operation of a provider; each cassette is written as soon as it is recorded."""
    plans = plan_recording(provider, operations, options)
    secrets = credentials(provider, options.environ, required=not options.dry_run)
    rules = scrub_rules(provider, secrets)
    outcomes, sent = [], 0
    for plan in plans:
        if options.dry_run or plan.skip_reason:
            outcome = OperationOutcome(plan.operation.name, "skipped" if plan.skip_reason else "planned",
                                       plan.skip_reason or f"would send {_where(provider, plan, options)}")
        else:
            outcome = _record_one(provider, plan, options, secrets, rules, aws_client_factory)
            sent += outcome.requests
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)
    return RecordRun(provider.name, tuple(outcomes), sent, options.source, options.dry_run)


def _where(provider: Provider, plan: PlannedCall, options: RecordOptions) -> str:
    origin = _origin(options.base_url or provider.base_url)
    if plan.request is not None:
        return f"{plan.request.method} {origin}{plan.request.target}"
    return f"{plan.label} to {origin}"


def _record_one(provider: Provider, plan: PlannedCall, options: RecordOptions, secrets: Mapping[str, str],
                rules: ScrubRules, aws_client_factory: Callable[[str], Any] | None) -> OperationOutcome:
    started = time.perf_counter()
    operation = plan.operation
    if plan.aws_params is not None:
        if aws_client_factory is None:
            raise UsageError("recording an AWS provider needs a boto3 client factory (use record_aws)")
        from contractkit.aws.models import snake_name
        recorded, error = recorded_through_vcr(
            lambda: getattr(aws_client_factory(operation.service or ""), snake_name(operation.aws_operation or ""))(
                **plan.aws_params))
        extra = {"call": {"service": operation.service, "operation": operation.aws_operation,
                          "params": dict(plan.aws_params)}}
    else:
        recorded, error = recorded_through_vcr(lambda: _send_http(provider, plan.request, options, secrets))
        extra = {}
    outcome = _store(provider, operation, recorded, error, rules, options, extra)
    cleanup_note = _cleanup(provider, operation, recorded, options, secrets) if recorded and not operation.safe else ""
    requests = len(recorded) + (1 if cleanup_note else 0)
    message = f"{outcome.message}; {cleanup_note}" if cleanup_note else outcome.message
    return replace(outcome, requests=max(requests, 1), duration=time.perf_counter() - started, message=message)


def _send_http(provider: Provider, call: HttpCall | None, options: RecordOptions, secrets: Mapping[str, str]) -> None:
    import requests

    assert call is not None
    headers, query = auth_headers(provider, secrets)
    origin = _origin(options.base_url or provider.base_url)
    target = call.target
    if query:
        target += ("&" if "?" in target else "?") + urlencode(query)
    with requests.Session() as session:
        session.trust_env = False  # never through a proxy from the environment
        session.request(call.method, origin + target, headers={**call.headers, **headers}, data=call.body,
                        timeout=options.timeout, allow_redirects=False)


def _origin(base_url: str) -> str:
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"




def _store(provider: Provider, operation: Operation, recorded: list[RecordedInteraction], error: BaseException | None,
           rules: ScrubRules, options: RecordOptions, extra: Mapping[str, Any]) -> OperationOutcome:
    name = operation.name
    failure = _failure(recorded, error)
    if failure and options.source == "moto" and recorded and recorded[-1].response.status == 500:
        failure += " (moto answers 500 for actions it does not implement: seed it with --from-spec botocore)"
    if failure:
        finding = Finding(RECORD_FAILED, Severity.ERROR, f"recording failed: {failure}; the cassette was not changed",
                          provider=provider.name, operation=name)
        return OperationOutcome(name, "failed", failure, findings=(finding,))
    assert provider.cassettes is not None
    path = cassette_path(provider.cassettes, name)
    interactions = tuple(finish_interaction(item, rules, name) for item in recorded[-1:])
    if options.source == "moto" and operation.service:
        from contractkit.awsrecording import aws_content_type

        interactions, note = aws_content_type(operation, interactions)
        extra = {**extra, **({"normalised": note} if note else {})}
    metadata = {"provider": provider.name, "operation": name, "source": options.source,
                "recorded_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "toolkit": f"contractkit {TOOLKIT_VERSION}", **extra}
    new = Cassette(path, interactions, metadata)
    return _compare_and_write(provider, operation, path, new, options.pact_file)




def _failure(recorded: list[RecordedInteraction], error: BaseException | None) -> str:
    if not recorded:
        return f"no response ({type(error).__name__}: {error})" if error else "no request was sent"
    status = recorded[-1].response.status
    if status >= 400:  # an error answer must never replace a good recording
        return f"the provider answered {status} {recorded[-1].response.reason}".rstrip()
    return ""


def _compare_and_write(provider: Provider, operation: Operation, path: Path, new: Cassette,
                       pact_file: Path | None = None) -> OperationOutcome:
    old = _load_previous(path)
    if old is not None and dump_interactions(old.interactions) == dump_interactions(new.interactions):
        return OperationOutcome(operation.name, "unchanged", "no change", path=path)
    findings = tuple(iter_drift(old, new)) if old is not None else ()
    breaking = tuple(schema_findings(provider, operation, new)) + tuple(pact_findings(provider, new, pact_file))
    write_cassette(new)
    if old is None:
        return OperationOutcome(operation.name, "recorded", "new cassette", path, breaking, is_breaking(breaking))
    if findings or breaking:
        summary = f"{len(findings)} shape change(s)" + (", breaks the registered schema or pact" if is_breaking(breaking) else "")
        return OperationOutcome(operation.name, "drifted", summary, path, findings + breaking, is_breaking(breaking))
    return OperationOutcome(operation.name, "recorded", "values changed, shape unchanged", path)


def is_breaking(findings: Iterable[Finding]) -> bool:
    """True when any schema or pact finding is an error (a schema that could not be checked is a warning)."""
    return any(finding.severity is Severity.ERROR for finding in findings)


def pact_findings(provider: Provider, cassette: Cassette, pact_file: Path | None) -> Iterator[Finding]:
    """CK311 findings for pact interactions of this operation that the new recording no longer satisfies."""
    from contractkit.cassettes import iter_pact_breaks

    if pact_file is None or not pact_file.exists():
        return
    try:
        data = json.loads(pact_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CassetteError(f"cannot read the pact ({exc})", file=pact_file) from exc
    for finding in iter_pact_breaks(data, cassette.interactions, provider):
        if finding.operation == cassette.operation:
            yield replace(finding, provider=provider.name)


def _load_previous(path: Path) -> Cassette | None:
    if not path.exists():
        return None
    try:
        return load_cassette(path)
    except CassetteError:
        return None


def schema_findings(provider: Provider, operation: Operation, cassette: Cassette) -> Iterator[Finding]:
    """CK310 findings for responses that violate the operation's registered schema."""
    from contractkit.cassettes import SCHEMA_BROKEN
    from contractkit.validation import validate_response

    for interaction in cassette.interactions:
        response = interaction.response
        headers = {name: values[0] for name, values in response.headers.items() if values}
        try:
            problems = validate_response(provider, operation, response.status, headers, response.body_bytes)
        except Exception as exc:  # noqa: BLE001 - a schema that cannot load is reported, not fatal to recording
            problems = [Finding("CK400", Severity.WARNING, f"schema not checked: {exc}")]
        for problem in problems:
            severity = Severity.ERROR if problem.severity is Severity.ERROR else problem.severity
            yield Finding(SCHEMA_BROKEN, severity, f"{problem.code}: {problem.message}", problem.location,
                          provider.name, operation.name)


def _cleanup(provider: Provider, operation: Operation, recorded: list[RecordedInteraction], options: RecordOptions,
             secrets: Mapping[str, str]) -> str:
    """Delete what an unsafe operation created, when the registry says how (record.cleanup)."""
    rule = _cleanup_for(record_settings(provider), operation.name)
    if not rule or not recorded:
        return ""
    import requests

    try:
        created = recorded[-1].response.json()
    except CassetteError:
        created = {}
    path = provider.base_path + str(rule.get("path", ""))
    for key, value in (created.items() if isinstance(created, dict) else ()):
        path = path.replace("{" + key + "}", str(value))
    if "{" in path:
        return f"clean-up skipped: cannot fill {path} from the response"
    headers, _ = auth_headers(provider, secrets)
    with requests.Session() as session:
        session.trust_env = False
        answer = session.request(str(rule.get("method", "DELETE")), _origin(options.base_url or provider.base_url) + path,
                                 headers=headers, timeout=options.timeout)
    return f"cleaned up with {rule.get('method', 'DELETE')} {path} ({answer.status_code})"






















# ---------------------------------------------------------------- drift between two cassette sets


def compare_cassettes(old: Path, new: Path, provider: Provider | None = None,
                      pact_file: Path | None = None) -> RecordRun:
    """Drift between two cassette files or folders (paired by relative path); breaking when the new one
    violates the provider's registered schema or the pact."""
    pairs = _pairs(old, new)
    outcomes = [_compare_pair(before, after, provider, pact_file) for before, after in pairs]
    return RecordRun(provider.name if provider else new.name, tuple(outcomes), 0, "drift")


def _pairs(old: Path, new: Path) -> list[tuple[Path | None, Path | None]]:
    if new.is_file() or old.is_file():
        return [(old if old.exists() else None, new if new.exists() else None)]
    names = sorted({p.relative_to(root) for root in (old, new) if root.is_dir()
                    for p in root.rglob("*.yaml") if not p.name.startswith(".")})
    if not names:
        raise UsageError(f"no cassettes in {old} or {new}")
    return [((old / n) if (old / n).exists() else None, (new / n) if (new / n).exists() else None) for n in names]


def _compare_pair(before: Path | None, after: Path | None, provider: Provider | None,
                  pact_file: Path | None) -> OperationOutcome:
    if after is None:
        assert before is not None
        return OperationOutcome(before.stem, "removed", "cassette removed", before)
    new = load_cassette(after)
    operation = provider.operations.get(new.operation) if provider is not None else None
    breaking: tuple[Finding, ...] = ()
    if provider is not None and operation is not None:
        breaking = tuple(schema_findings(provider, operation, new)) + tuple(pact_findings(provider, new, pact_file))
    if before is None:
        return OperationOutcome(new.operation, "recorded", "new cassette", after, breaking, is_breaking(breaking))
    old = load_cassette(before)
    if dump_interactions(old.interactions) == dump_interactions(new.interactions):
        return OperationOutcome(new.operation, "unchanged", "no change", after, breaking, is_breaking(breaking))
    findings = tuple(iter_drift(old, new))
    outcome = "drifted" if findings else "recorded"
    message = f"{len(findings)} shape change(s)" if findings else "values changed, shape unchanged"
    if is_breaking(breaking):
        message += ", breaks the registered schema or pact"
    return OperationOutcome(new.operation, outcome, message, after, findings + breaking, is_breaking(breaking))


# ---------------------------------------------------------------- entry points for the CLI and CI


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
    from contractkit.awsrecording import moto_server, record_aws

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
    from contractkit.awsrecording import aws_params
    from contractkit.seeding import load_document, seed_aws_operation, seed_provider

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
    run = compare_cassettes(old, new, provider, pact_file)
    return run_report([run], f"contracts drift {old} {new}", check="drift")


def render_record_report(report: Report, output_format: str) -> str:
    """The report in a format; Markdown also lists every finding, since it becomes the re-record pull request."""
    from contractkit.reports import render_report

    text = render_report(report, output_format)
    if output_format != "markdown":
        return text
    lines = [f"- **{row.provider} / {row.operation}** `{finding.code}` {finding.message}"
             + (f" ({finding.location})" if finding.location else "")
             for row in report.results for finding in row.findings]
    return text.rstrip("\n") + ("\n\n### Findings\n\n" + "\n".join(lines) + "\n" if lines else "\n")


# ---------------------------------------------------------------- scanning finished cassettes


def cassette_texts(path: Path) -> list[str]:
    """A cassette file as text, URL-decoded, and with every binary (base64) value decoded."""
    from urllib.parse import unquote_plus

    import yaml

    raw = path.read_bytes().decode("utf-8", "replace")
    texts = [raw, unquote_plus(raw)]
    try:
        from vcr.serializers.yamlserializer import deserialize

        stack: list[Any] = [deserialize(raw)]
    except (yaml.YAMLError, ValueError):
        return texts
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, bytes):
            texts.append(value.decode("utf-8", "replace"))
        elif hasattr(value, "getvalue"):
            texts.append(value.getvalue().decode("utf-8", "replace"))
    return texts


def scan_cassettes(registry: Any, provider_names: Iterable[str], environ: Mapping[str, str]) -> Report:
    """CK320 for every cassette that still holds a value-shaped secret or a credential from the environment."""
    from contractkit.cassettes import SECRET_FOUND
    from contractkit.cassettes.scrub import find_secrets

    results = []
    for provider in registry.select_providers(provider_names):
        rules = scrub_rules(provider, credentials(provider, environ, required=False))
        folder = provider.cassettes
        for path in sorted(folder.rglob("*.yaml")) if folder and folder.is_dir() else ():
            names = sorted({name for text in cassette_texts(path) for name in find_secrets(text, rules)})
            findings = tuple(Finding(SECRET_FOUND, Severity.ERROR, f"secret in cassette: {name}", str(path),
                                     provider.name, path.stem) for name in names)
            results.append(CheckResult(check="secrets", provider=provider.name, operation=path.stem,
                                       interaction=path.name, status=Status.FAILED if findings else Status.PASSED,
                                       message=", ".join(names) or "no secret found", findings=findings))
    return Report(title="contracts scan", results=tuple(results))
