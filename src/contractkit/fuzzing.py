"""Fuzz every endpoint of a provider with schemathesis, plus two checks of ours, and turn failures into findings.

schemathesis generates the requests and runs its response checks (not a server error, status code,
content type and response schema conformance, negative data rejection). Two checks are added:

- `error_format`: every 4xx and 5xx body must match the provider's error schema from the registry;
- `consumer_compatibility`: every response with a status some registered consumer's pact expects
  must have what that consumer relies on (fields, types, regexes, content type).

Runs are deterministic (a seed, reported with every failure), bounded (examples per operation and a
time budget) and safe (only GET and HEAD on third-party providers unless unsafe methods are allowed).
Every failure is saved to the provider's corpus and the corpus is replayed before new generation.
"""

from __future__ import annotations

import base64
import importlib
import json
import random
import re
import sys
import threading
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from contractkit.corpus import Corpus, CorpusCase, CorpusRequest, load_corpus, save_corpus
from contractkit.core.errors import ContractKitError, SchemaLoadError, UsageError
from contractkit.expectations import Expectation, iter_consumer_problems, load_pact_expectations
from contractkit.core.model import CheckResult, Finding, Provider, ProviderKind, Registry, Report, Severity, Status
from contractkit.core.loading import load_json_fast

if TYPE_CHECKING:
    from schemathesis.engine.recorder import ScenarioRecorder
    from schemathesis.generation.case import Case
    from schemathesis.schemas import BaseSchema

SCHEMATHESIS_CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
                       "response_schema_conformance", "negative_data_rejection")
OUR_CHECKS = ("error_format", "consumer_compatibility")
ALL_CHECKS = SCHEMATHESIS_CHECKS + OUR_CHECKS
CODES = {
    "not_a_server_error": "CK601", "status_code_conformance": "CK602", "content_type_conformance": "CK603",
    "response_schema_conformance": "CK604", "negative_data_rejection": "CK605", "error_format": "CK606",
    "consumer_compatibility": "CK607",
}
CODE_OTHER_CHECK = "CK608"  # a failure of a schemathesis check outside the list above
CODE_OPERATION_ERROR = "CK609"  # the operation could not be tested (unreachable server, unusable schema)
CODE_UNSAFE_SKIPPED = "CK610"  # an unsafe method skipped on a third-party provider
CODE_NO_ERROR_SCHEMA = "CK611"  # the provider has no error schema, so error_format did not run
SAFE_METHODS = ("GET", "HEAD")
DEFAULT_PHASES = ("examples", "coverage", "fuzzing")
ALL_PHASES = ("examples", "coverage", "fuzzing", "stateful")
DEFAULT_MAX_EXAMPLES = 20
_TEMPLATE = re.compile(r"\{[^}/]+\}")


class FuzzError(ContractKitError):
    """The fuzzer cannot run: the description cannot be loaded, or the engine stopped with a fatal error."""


# ---------------------------------------------------------------------------------------------- options, results


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

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two failures the same problem."""
        return self.operation, self.check, self.title


@dataclass(frozen=True, slots=True)
class OperationOutcome:
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
    outcomes: tuple[OperationOutcome, ...]
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


def _outcome_result(run: FuzzRun, outcome: OperationOutcome) -> CheckResult:
    findings = [_failure_finding(run.provider, outcome, failure) for failure in outcome.failures]
    findings += [Finding(CODE_OPERATION_ERROR, Severity.ERROR, error, provider=run.provider, operation=outcome.name)
                 for error in outcome.errors]
    if outcome.skipped:
        status, message = Status.SKIPPED, outcome.skipped
    elif findings:
        failed = sorted({failure.check for failure in outcome.failures} | ({"error"} if outcome.errors else set()))
        status, message = Status.FAILED, f"{len(findings)} problem(s): {', '.join(failed)}"
    else:
        status, message = Status.PASSED, f"{outcome.cases} cases"
    details = {"cases": outcome.cases, "seed": run.seed, "checks": list(run.checks),
               "failures": [_failure_dict(failure) for failure in outcome.failures]}
    return CheckResult(check="fuzz", provider=run.provider, operation=outcome.name or outcome.label,
                       interaction=outcome.label if outcome.name else "", status=status, message=message,
                       duration=outcome.duration, findings=tuple(findings), details=details)


def _failure_finding(provider: str, outcome: OperationOutcome, failure: FuzzFailure) -> Finding:
    origin = " (replayed from the corpus)" if failure.source == "corpus" else ""
    status = f" [{failure.status_code}]" if failure.status_code is not None else ""
    detail = "; ".join(line.strip() for line in failure.message.splitlines() if line.strip())[:300]
    detail = f": {detail}" if detail else ""
    message = (f"{failure.check}: {failure.title}{status}{origin}{detail}; "
               f"reproduce (seed {failure.seed}): {failure.curl}")
    return Finding(failure.code, Severity.ERROR, message, location=failure.operation, provider=provider,
                   operation=outcome.name)


def _failure_dict(failure: FuzzFailure) -> dict[str, Any]:
    return {"check": failure.check, "code": failure.code, "title": failure.title, "message": failure.message,
            "status_code": failure.status_code, "curl": failure.curl, "seed": failure.seed, "source": failure.source}


# ---------------------------------------------------------------------------------------------- endpoints


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One method and path of the description, and the registered operation it is, if any."""

    method: str
    path: str
    name: str = ""

    @property
    def label(self) -> str:
        """schemathesis's label: `GET /items/{item_id}`."""
        return f"{self.method} {self.path}"


def iter_endpoints(document: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Every (METHOD, path) of an OpenAPI 3 or Swagger 2.0 document, in document order."""
    for path, item in (document.get("paths") or {}).items():
        if isinstance(item, dict):
            for method in ("get", "put", "post", "delete", "options", "head", "patch", "trace"):
                if isinstance(item.get(method), dict):
                    yield method.upper(), path


def _route(method: str, path: str) -> tuple[str, str]:
    return method.upper(), _TEMPLATE.sub("{}", path)


def select_endpoints(provider: Provider, document: Mapping[str, Any], names: Sequence[str]) -> list[Endpoint]:
    """Every endpoint of the description, or only the named registered operations; names attached."""
    registered = {_route(op.method or "", op.path or ""): op.name for op in provider.operations.values()}
    endpoints = [Endpoint(method, path, registered.get(_route(method, path), "")) for method, path in iter_endpoints(document)]
    if not names:
        return endpoints
    chosen = []
    for name in names:
        operation = provider.operation(name)
        matches = [endpoint for endpoint in endpoints if endpoint.name == operation.name]
        if not matches:
            raise UsageError(f"operation {name!r} ({operation.label}) is not in the description {provider.spec}",
                             key_path=("providers", provider.name, "operations", name))
        chosen += matches
    return chosen


def is_allowed(endpoint: Endpoint, provider: Provider, allow_unsafe: bool) -> bool:
    """Only GET and HEAD reach a third-party provider unless unsafe methods are allowed explicitly."""
    return allow_unsafe or not provider.third_party or endpoint.method in SAFE_METHODS


# ---------------------------------------------------------------------------------------------- credentials


@dataclass(frozen=True, slots=True)
class Credentials:
    """Headers to send, and the secrets they hold by environment variable name (to scrub them from output)."""

    headers: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)
    shown: Mapping[str, str] = field(default_factory=dict)  # header -> its curl argument naming the variables


def read_credentials(provider: Provider, environ: Mapping[str, str]) -> Credentials:
    """Build the auth headers from the environment; a missing variable is a usage error naming it."""
    auth = provider.auth
    if auth.scheme == "none":
        return Credentials()
    missing = [name for name in auth.env if not environ.get(name)]
    if missing:
        raise UsageError(f"provider {provider.name!r} needs the environment variable(s) {', '.join(missing)} "
                         f"for {auth.scheme} auth", key_path=("providers", provider.name, "auth", "env"),
                         hint="export them, or fuzz a local provider started with --base-url")
    secrets = {name: environ[name] for name in auth.env}
    if auth.scheme == "bearer":
        name = auth.env[0]
        return Credentials({"Authorization": f"Bearer {secrets[name]}"}, secrets,
                           {"Authorization": f'-H "Authorization: Bearer ${name}"'})
    if auth.scheme == "header":
        name, header = auth.env[0], auth.header or "Authorization"
        return Credentials({header: f"{auth.prefix}{secrets[name]}"}, secrets,
                           {header: f'-H "{header}: {auth.prefix}${name}"'})
    if auth.scheme == "basic":
        user, password = auth.env[0], auth.env[1]
        token = base64.b64encode(f"{secrets[user]}:{secrets[password]}".encode()).decode("ascii")
        secrets = {**secrets, f"{user}:{password}": token}
        return Credentials({"Authorization": f"Basic {token}"}, secrets, {"Authorization": f'-u "${user}:${password}"'})
    raise UsageError(f"contracts fuzz does not support {auth.scheme} auth (provider {provider.name!r})",
                     key_path=("providers", provider.name, "auth", "scheme"))


def scrub_text(text: str, credentials: Credentials) -> str:
    """Replace every secret value in text with a reference to its environment variable."""
    for name, value in credentials.secrets.items():
        if value:
            text = text.replace(value, f"${name}" if ":" not in name else "$CREDENTIALS")
    for header, shown in credentials.shown.items():
        # schemathesis masks the header in curl commands; point it at the environment so the command runs as is.
        text = re.sub(rf"-H '{re.escape(header)}: \[Filtered\]'", lambda _: shown, text, flags=re.IGNORECASE)
    return text


# ---------------------------------------------------------------------------------------------- our two checks


def load_error_validator(provider: Provider) -> Any | None:
    """A validator for the provider's error schema, or None when the registry names none.

    jsonschema-rs, which schemathesis already loads: it validates about a hundred times faster than
    jsonschema, and this check runs on every 4xx and 5xx response.
    """
    import jsonschema_rs

    if provider.error_schema is None:
        return None
    schema = load_json_fast(provider.error_schema, SchemaLoadError)
    if not isinstance(schema, dict):
        raise SchemaLoadError("expected a JSON Schema (a mapping)", file=provider.error_schema)
    try:
        return jsonschema_rs.validator_for(schema)
    except jsonschema_rs.ValidationError as exc:
        raise SchemaLoadError(f"not a valid JSON Schema: {exc.message}", file=provider.error_schema,
                              key_path=tuple(exc.instance_path)) from exc


def iter_error_format_problems(status: int, body: bytes, validator: Any) -> Iterator[str]:
    """Why a 4xx/5xx body does not match the provider's error schema (nothing for other statuses)."""
    if status < 400:
        return
    try:
        data = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        yield f"the {status} body is not JSON: {body[:80]!r}"
        return
    if data is None and not body:
        yield f"the {status} response has an empty body"
        return
    errors = sorted(validator.iter_errors(data), key=lambda error: [str(part) for part in error.instance_path])
    for error in errors[:3]:
        where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.instance_path)
        yield f"the {status} body does not match the error schema at ${where}: {error.message}"


def load_expectations(registry: Registry, provider: Provider, endpoints: Sequence[Endpoint]) -> dict[str, list[Expectation]]:
    """Expectations per endpoint label from every pact with this provider in the registry's pacts folder."""
    routes = [(endpoint.label, endpoint.method, provider.base_path + endpoint.path) for endpoint in endpoints]
    return load_pact_expectations(sorted(registry.pacts.glob(f"*-{provider.name}.json")), routes)


# ---------------------------------------------------------------------------------------------- schemathesis glue


@dataclass(frozen=True, slots=True)
class _RunContext:
    """What our checks need during one run; looked up by a run id passed through schemathesis's check config."""

    error_validator: Any
    expectations: Mapping[str, Sequence[Expectation]]


_RUNS: dict[str, _RunContext] = {}
_RUNS_LOCK = threading.Lock()
_REGISTERED = False


@contextmanager
def _registered(context: _RunContext) -> Iterator[str]:
    """Make a run's context visible to our checks under a fresh id for as long as the run lasts."""
    run_id = uuid.uuid4().hex
    with _RUNS_LOCK:
        _RUNS[run_id] = context
    try:
        yield run_id
    finally:
        with _RUNS_LOCK:
            _RUNS.pop(run_id, None)


def _register_checks() -> None:
    """Register our two checks with schemathesis once per process (its check registry is global)."""
    global _REGISTERED
    if _REGISTERED:
        return
    import schemathesis
    from schemathesis.core.failures import Failure, Severity as FailureSeverity

    class ErrorFormatViolation(Failure):
        code = CODES["error_format"]
        checks = ("error_format",)
        kind_title = "Error body does not match the error schema"

    class ConsumerIncompatibility(Failure):
        code = CODES["consumer_compatibility"]
        checks = ("consumer_compatibility",)
        kind_title = "Response breaks a consumer's pact"

    class error_format:  # noqa: N801 - schemathesis names a check after its class
        """Every 4xx and 5xx body matches the provider's error schema."""

        def __init__(self, run: str = "") -> None:
            self.context = _RUNS.get(run)

        def after_response(self, ctx: Any, response: Any, case: Any) -> None:
            if self.context is None or self.context.error_validator is None or case.method.upper() == "HEAD":
                return
            problems = list(iter_error_format_problems(response.status_code, response.content or b"",
                                                       self.context.error_validator))
            if problems:
                raise ErrorFormatViolation(operation=case.operation.label, message="\n".join(problems),
                                           severity=FailureSeverity.HIGH)

    class consumer_compatibility:  # noqa: N801 - schemathesis names a check after its class
        """Every response satisfies what registered consumers' pacts expect for its status."""

        def __init__(self, run: str = "") -> None:
            self.context = _RUNS.get(run)

        def after_response(self, ctx: Any, response: Any, case: Any) -> None:
            if self.context is None or case.method.upper() == "HEAD":
                return
            expectations = self.context.expectations.get(case.operation.label, ())
            content_type = (response.headers.get("content-type") or [""])[0]
            problems = list(iter_consumer_problems(response.status_code, content_type, response.content or b"",
                                                   expectations))
            if problems:
                raise ConsumerIncompatibility(operation=case.operation.label, message="\n".join(problems),
                                              severity=FailureSeverity.HIGH)

    schemathesis.check(error_format)
    schemathesis.check(consumer_compatibility)
    _REGISTERED = True


def build_config(options: FuzzOptions, *, seed: int, max_examples: int, base_url: str | None,
                 credentials: Credentials, run_id: str, safe_only: bool = False) -> Any:
    """A schemathesis configuration: our checks only, bounded, seeded, nothing written to disk."""
    from schemathesis.config import SchemathesisConfig
    from schemathesis.config._output import DEFAULT_KEYS_TO_SANITIZE

    checks: dict[str, Any] = {"enabled": False}
    for name in options.checks:
        checks[name] = {"enabled": True, **({"run": run_id} if name in OUR_CHECKS else {})}
    data: dict[str, Any] = {
        "seed": seed, "workers": 1, "checks": checks, "headers": dict(credentials.headers),
        "generation": {"max-examples": max_examples, "database": "none"},
        "phases": {name: {"enabled": name in options.phases} for name in ALL_PHASES},
        "request-timeout": options.request_timeout, "cache": {"enabled": False}, "continue-on-failure": True,
        "output": {"sanitization": {"keys-to-sanitize": sorted({*DEFAULT_KEYS_TO_SANITIZE,
                                                                *(key.lower() for key in credentials.headers)})}},
    }
    if safe_only:
        # The coverage phase also sends methods a path does not declare (TRACE, PUT...): none of that to a
        # third-party provider, where a PUT can change real data.
        data["phases"]["coverage"]["unexpected-methods"] = []
    if base_url:
        data["base-url"] = base_url
    return SchemathesisConfig.from_dict(data)


def load_schema(document: dict[str, Any], config: Any, endpoints: Sequence[Endpoint], app: Any) -> BaseSchema:
    """The description as a schemathesis schema, limited to the chosen endpoints."""
    import schemathesis
    from schemathesis.core.errors import InvalidSchema, LoaderError

    try:
        schema = schemathesis.openapi.from_dict(document, config=config)
    except (LoaderError, InvalidSchema) as exc:
        raise FuzzError(f"schemathesis cannot load the description: {getattr(exc, 'message', exc)}") from exc
    labels = {endpoint.label for endpoint in endpoints}
    schema = schema.include(lambda ctx: f"{ctx.operation.method.upper()} {ctx.operation.path}" in labels)
    if app is not None:
        schema.app = app
    return schema


def _request_of(case: Case, credentials: Credentials) -> CorpusRequest:
    from schemathesis.core import NOT_SET

    secret_values = {value for value in credentials.secrets.values() if value}
    headers = {key: str(value) for key, value in (case.headers or {}).items()
               if key.lower() not in {name.lower() for name in credentials.headers}
               and not any(secret in str(value) for secret in secret_values)}
    body = case.body
    has_body = body is not NOT_SET
    return CorpusRequest(method=case.method.upper(), path_parameters=_plain(case.path_parameters or {}),
                         query=_plain(case.query or {}), headers=headers, cookies=_plain(case.cookies or {}),
                         media_type=case.media_type, body=_plain(body) if has_body else None, has_body=has_body)


def _plain(value: Any) -> Any:
    """Data JSON can store (bytes stay bytes; the corpus encodes them)."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def iter_recorder_failures(recorder: ScenarioRecorder, *, seed: int, credentials: Credentials) -> Iterator[FuzzFailure]:
    """The failed checks a schemathesis scenario recorded, as FuzzFailures."""
    for case_id, nodes in recorder.checks.items():
        for node in nodes:
            if node.failure_info is None:
                continue
            failure = node.failure_info.failure
            failing_id = failure.case_id or case_id
            case_node = recorder.cases.get(failing_id)
            interaction = recorder.interactions.get(failing_id)
            status = interaction.response.status_code if interaction and interaction.response is not None else None
            yield FuzzFailure(
                operation=case_node.value.operation.label if case_node else recorder.label,
                check=node.name, code=CODES.get(node.name, CODE_OTHER_CHECK), title=failure.title,
                message=scrub_text(failure.message, credentials), seed=seed, status_code=status,
                curl=scrub_text(node.failure_info.code_sample, credentials),
                request=_request_of(case_node.value, credentials) if case_node else None,
            )


# ---------------------------------------------------------------------------------------------- corpus replay


def replay_corpus(schema: BaseSchema, corpus: Corpus, labels: set[str], *, base_url: str | None,
                  credentials: Credentials, checks: Sequence[str], seed: int,
                  timeout: float = 10.0) -> Iterator[FuzzFailure]:
    """Send every saved case of a chosen endpoint again and yield the failures it still shows."""
    for saved in corpus.cases:
        if saved.operation not in labels or saved.check not in checks:
            continue
        yield from _replay_case(schema, saved, base_url=base_url, credentials=credentials, seed=seed, timeout=timeout)


def _replay_case(schema: BaseSchema, saved: CorpusCase, *, base_url: str | None, credentials: Credentials,
                 seed: int, timeout: float) -> Iterator[FuzzFailure]:
    from schemathesis.core.failures import Failure

    operation = schema.find_operation_by_label(saved.operation)
    if operation is None:
        return
    request = saved.request
    kwargs: dict[str, Any] = {"path_parameters": dict(request.path_parameters), "query": dict(request.query),
                              "headers": dict(request.headers), "cookies": dict(request.cookies),
                              "media_type": request.media_type}
    if request.has_body:
        kwargs["body"] = request.body
    case = operation.Case(**kwargs)
    curl = scrub_text(case.as_curl_command(headers=dict(credentials.headers), base_url=base_url), credentials)
    try:
        response = case.call(base_url=base_url, headers=dict(credentials.headers), timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - requests' and the app transports' errors share no base class
        # Unanswered is not fixed: the saved problem counts until a response shows otherwise.
        yield FuzzFailure(operation=saved.operation, check=saved.check, code=saved.code, title=saved.title,
                          message=scrub_text(f"the replayed request failed: {exc}", credentials), curl=curl,
                          seed=saved.seed or seed, source="corpus", request=request)
        return
    failures: list[Any] = []
    if saved.check == "negative_data_rejection":
        # A replayed case carries no generation metadata, so the rejection rule is applied directly.
        if not 400 <= response.status_code < 500:
            failures.append(("negative_data_rejection", saved.title, f"expected a 4xx, got {response.status_code}"))
    else:
        try:
            case.validate_response(response, headers=dict(credentials.headers))
        except BaseException as group:  # noqa: BLE001 - schemathesis raises a BaseExceptionGroup of failures
            if not isinstance(group, BaseExceptionGroup):
                raise
            for failure in group.exceptions:
                if isinstance(failure, Failure):
                    # A failure class can serve several checks; keep the one the case was saved for.
                    check = saved.check if saved.check in (failure.checks or ()) else _check_name(failure)
                    failures.append((check, failure.title, failure.message))
    for check, title, message in failures:
        yield FuzzFailure(operation=saved.operation, check=check, code=CODES.get(check, CODE_OTHER_CHECK),
                          title=title, message=scrub_text(message, credentials), curl=curl, seed=saved.seed or seed,
                          status_code=response.status_code, source="corpus", request=request)


def _check_name(failure: Any) -> str:
    names = getattr(failure, "checks", ()) or ()
    return names[0] if names else type(failure).__name__


# ---------------------------------------------------------------------------------------------- the run


def fuzz_provider(registry: Registry, provider_name: str, options: FuzzOptions = FuzzOptions(), *,
                  environ: Mapping[str, str] | None = None,
                  on_progress: Callable[[FuzzProgress], None] | None = None) -> FuzzRun:
    """Fuzz one provider: replay its corpus, generate new cases, save new failures; returns the run's outcome."""
    import os

    environ = os.environ if environ is None else environ
    provider = registry.provider(provider_name)
    document = load_description(provider)
    options = _with_registry_defaults(options, provider)
    endpoints = select_endpoints(provider, document, options.operations)
    allowed = [endpoint for endpoint in endpoints if is_allowed(endpoint, provider, options.allow_unsafe)]
    credentials = read_credentials(provider, environ)
    with ExitStack() as stack:
        base_url, app = _target(stack, registry, provider, options, environ)
        if base_url is not None:
            check_reachable(base_url)
        run = _fuzz(registry, provider, document, options, endpoints, allowed, credentials, base_url, app, on_progress)
    return run


def load_description(provider: Provider) -> dict[str, Any]:
    """The provider's OpenAPI or Swagger document, as written (schemathesis reads both)."""
    if provider.kind is not ProviderKind.HTTP:
        raise UsageError(f"provider {provider.name!r} is an AWS provider; contracts fuzz needs an OpenAPI description",
                         key_path=("providers", provider.name, "kind"))
    if provider.spec is None:
        raise UsageError(f"provider {provider.name!r} has no 'spec', so there is nothing to fuzz",
                         key_path=("providers", provider.name), hint="add spec: schemas/<provider>/openapi.json")
    document = load_json_fast(provider.spec, SchemaLoadError)
    if not isinstance(document, dict) or not ({"openapi", "swagger"} & set(document)):
        raise SchemaLoadError("not an OpenAPI 3 or Swagger 2.0 document", file=provider.spec)
    return document


def _with_registry_defaults(options: FuzzOptions, provider: Provider) -> FuzzOptions:
    settings = provider.settings.get("fuzz") or {}
    seed = options.seed if options.seed is not None else settings.get("seed")
    if seed is None:
        seed = random.SystemRandom().randrange(1, 2**31)  # reported, so even an unseeded run can be repeated
    max_examples = options.max_examples or settings.get("max_examples") or DEFAULT_MAX_EXAMPLES
    unknown = sorted(set(options.checks) - set(ALL_CHECKS))
    if unknown:
        raise UsageError(f"unknown check(s) {', '.join(unknown)} (known: {', '.join(ALL_CHECKS)})")
    unknown = sorted(set(options.phases) - set(ALL_PHASES))
    if unknown or not options.phases:
        raise UsageError(f"unknown phase(s) {', '.join(unknown) or '(none given)'} (known: {', '.join(ALL_PHASES)})")
    return replace(options, seed=int(seed), max_examples=int(max_examples))


def corpus_location(registry: Registry, provider: Provider, options: FuzzOptions) -> Path:
    """--corpus, else the registry's fuzz.corpus, else fuzz/<provider>.corpus.json next to the registry."""
    if options.corpus_path is not None:
        return options.corpus_path
    configured = (provider.settings.get("fuzz") or {}).get("corpus")
    return registry.root / (configured or f"fuzz/{provider.name}.corpus.json")


def _target(stack: ExitStack, registry: Registry, provider: Provider, options: FuzzOptions,
            environ: Mapping[str, str]) -> tuple[str | None, Any]:
    """Where requests go: an app in process, --base-url, a started provider process, or the registry's URL."""
    if options.app and options.base_url:
        raise UsageError("give either --app or --base-url, not both")
    if options.app:
        return None, import_app(options.app, registry.root)
    if options.base_url:
        return options.base_url.rstrip("/"), None
    if options.start_process and provider.settings.get("process"):
        from contractkit.registry.processes import ProviderProcess

        process = stack.enter_context(ProviderProcess(provider, registry.root, environ=environ))
        return process.base_url, None
    return provider.base_url, None


def check_reachable(base_url: str, timeout: float = 5.0) -> None:
    """Fail early, as bad input, when nothing listens at the base URL (a TCP connect, no request is sent)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", port), timeout=timeout):
            return
    except OSError as exc:
        raise FuzzError(f"cannot reach {base_url} ({exc.strerror or exc})",
                        hint="start the provider, give --base-url, or add a process: key to the registry") from exc


def import_app(reference: str, root: Path) -> Any:
    """Import `module:attribute` (an ASGI or WSGI app), looking in the registry's folder and the current one."""
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise UsageError(f"--app expects module:attribute, got {reference!r}")
    for folder in (str(root), str(Path.cwd())):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UsageError(f"cannot import {module_name!r} for --app: {exc}") from exc
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise UsageError(f"module {module_name!r} has no attribute {attribute!r} for --app") from None


def _fuzz(registry: Registry, provider: Provider, document: dict[str, Any], options: FuzzOptions,
          endpoints: Sequence[Endpoint], allowed: Sequence[Endpoint], credentials: Credentials,
          base_url: str | None, app: Any, on_progress: Callable[[FuzzProgress], None] | None) -> FuzzRun:
    started = time.perf_counter()
    seed = int(options.seed or 0)
    _register_checks()
    error_validator = load_error_validator(provider) if "error_format" in options.checks else None
    context = _RunContext(error_validator, load_expectations(registry, provider, allowed))
    with _registered(context) as run_id:
        config = build_config(options, seed=seed, max_examples=int(options.max_examples or DEFAULT_MAX_EXAMPLES),
                              base_url=base_url, credentials=credentials, run_id=run_id,
                              safe_only=provider.third_party and not options.allow_unsafe)
        schema = load_schema(document, config, allowed, app)
        corpus_path = corpus_location(registry, provider, options)
        corpus = load_corpus(corpus_path, provider.name) if options.use_corpus else Corpus(provider.name)
        labels = {endpoint.label for endpoint in allowed}
        replayed = list(replay_corpus(schema, corpus, labels, base_url=base_url, credentials=credentials,
                                      checks=options.checks, seed=seed, timeout=options.request_timeout))
        collected = _collect(schema, allowed, seed, credentials, on_progress, options.time_budget)
    found = _dedupe(replayed + collected.failures)
    added = _update_corpus(corpus_path, corpus, found, options)
    notes = () if error_validator is not None or "error_format" not in options.checks else (
        f"{CODE_NO_ERROR_SCHEMA}: provider has no error_schema, error_format did not run",)
    outcomes = _outcomes(endpoints, allowed, found, collected, provider)
    return FuzzRun(provider=provider.name, seed=seed, target=base_url or f"app {options.app}", outcomes=outcomes,
                   checks=tuple(options.checks), corpus_path=corpus_path if options.use_corpus else None,
                   corpus_replayed=sum(1 for case in corpus.cases if case.operation in labels),
                   corpus_added=added, stop_reason=collected.stop_reason,
                   duration=time.perf_counter() - started, notes=notes)


@dataclass(slots=True)
class _Collected:
    """What the engine's events said, per endpoint label."""

    on_progress: Callable[[FuzzProgress], None] | None
    total: int
    seed: int
    credentials: Credentials
    failures: list[FuzzFailure] = field(default_factory=list)
    cases: dict[str, int] = field(default_factory=dict)
    durations: dict[str, float] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    finished: dict[str, set[str]] = field(default_factory=dict)  # phase -> labels done
    stop_reason: str = "completed"
    _last: tuple[str, int, int] | None = None

    def scenario(self, event: Any) -> None:
        """A finished scenario: count its cases, keep its failures, report progress."""
        label = event.recorder.label
        self.cases[label] = self.cases.get(label, 0) + len(event.recorder.cases)
        self.durations[label] = self.durations.get(label, 0.0) + float(event.elapsed_time or 0.0)
        self.failures += iter_recorder_failures(event.recorder, seed=self.seed, credentials=self.credentials)
        phase = str(getattr(event, "phase", "fuzzing"))
        done = self.finished.setdefault(phase, set())
        done.add(label)
        state = (phase, len(done), len({failure.key for failure in self.failures}))
        if self.on_progress is not None and state != self._last:
            self._last = state
            self.on_progress(FuzzProgress(phase, label, len(done), self.total, state[2]))

    def error(self, event: Any) -> None:
        """An operation that could not be tested."""
        self.errors.setdefault(event.label, []).append(scrub_text(_error_text(event), self.credentials))


def _collect(schema: BaseSchema, endpoints: Sequence[Endpoint], seed: int, credentials: Credentials,
             on_progress: Callable[[FuzzProgress], None] | None, time_budget: float | None) -> _Collected:
    """Run the schemathesis engine and gather failures, case counts and errors per endpoint."""
    from schemathesis.engine import events, from_schema

    collected = _Collected(on_progress, len(endpoints), seed, credentials)
    # The budget is a ceiling enforced here; schemathesis's own max-time is a target it keeps fuzzing towards.
    deadline = time.monotonic() + time_budget if time_budget else None
    stream = from_schema(schema).execute()
    stopped = False
    for event in stream:
        if isinstance(event, (events.ScenarioFinished, events.FuzzScenarioFinished)):
            collected.scenario(event)
        elif isinstance(event, events.NonFatalError):
            collected.error(event)
        elif isinstance(event, events.FatalError):
            raise FuzzError(f"schemathesis stopped: {scrub_text(str(event.exception), credentials)}") from event.exception
        elif isinstance(event, events.Interrupted) and not stopped:
            raise KeyboardInterrupt
        elif isinstance(event, events.EngineFinished):
            collected.stop_reason = "time_budget" if stopped else str(event.stop_reason)
        if not stopped and deadline is not None and time.monotonic() > deadline:
            stopped = True
            stream.stop()  # the engine winds down after the current operation; its events are still collected
    return collected


def _error_text(event: Any) -> str:
    info = getattr(event, "info", None)
    title = getattr(info, "title", "") or type(event.value).__name__
    message = getattr(info, "message", "") or str(event.value)
    return f"{title}: {message}".strip()[:500]


def _dedupe(failures: Iterable[FuzzFailure]) -> list[FuzzFailure]:
    """One failure per (operation, check, title); a corpus replay wins over a new find of the same problem."""
    seen: dict[tuple[str, str, str], FuzzFailure] = {}
    for failure in failures:
        seen.setdefault(failure.key, failure)
    return list(seen.values())


def _update_corpus(path: Path, corpus: Corpus, failures: Sequence[FuzzFailure], options: FuzzOptions) -> int:
    if not (options.use_corpus and options.update_corpus):
        return 0
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    cases = [CorpusCase(operation=failure.operation, check=failure.check, code=failure.code, title=failure.title,
                        request=failure.request, seed=failure.seed, found=now, status_code=failure.status_code,
                        curl=failure.curl)
             for failure in failures if failure.request is not None and failure.source == "fuzz"]
    merged, added = corpus.merged(cases)
    if added:
        save_corpus(path, merged)
    return added


def _outcomes(endpoints: Sequence[Endpoint], allowed: Sequence[Endpoint], failures: Sequence[FuzzFailure],
              collected: _Collected, provider: Provider) -> tuple[OperationOutcome, ...]:
    allowed_labels = {endpoint.label for endpoint in allowed}
    outcomes = []
    for endpoint in endpoints:
        if endpoint.label not in allowed_labels:
            reason = (f"{CODE_UNSAFE_SKIPPED}: {endpoint.method} on third-party provider {provider.name!r} "
                      "is not fuzzed without --allow-unsafe")
            outcomes.append(OperationOutcome(endpoint.label, endpoint.name, skipped=reason))
            continue
        mine = tuple(failure for failure in failures if failure.operation == endpoint.label)
        errors = tuple(dict.fromkeys(collected.errors.get(endpoint.label, [])))
        cases = collected.cases.get(endpoint.label, 0)
        # An endpoint no request reached is not a pass: say why it went untested.
        untested = "" if cases or mine or errors else f"no case was generated or sent (run {collected.stop_reason})"
        outcomes.append(OperationOutcome(endpoint.label, endpoint.name, cases=cases, failures=mine, errors=errors,
                                         skipped=untested, duration=collected.durations.get(endpoint.label, 0.0)))
    return tuple(outcomes)
