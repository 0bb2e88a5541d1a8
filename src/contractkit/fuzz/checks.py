"""Our two checks (error format, consumer compatibility) and the schemathesis glue that runs them."""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from contractkit.core.codes import Code
from contractkit.core.errors import SchemaLoadError
from contractkit.core.loading import load_json_fast, parse_json_value
from contractkit.core.model import Provider, Registry
from contractkit.fuzz.corpus import CorpusRequest
from contractkit.fuzz.endpoints import Credentials, Endpoint, mask_credentials
from contractkit.fuzz.model import (
    ALL_PHASES,
    CODES,
    OUR_CHECKS,
    FuzzError,
    FuzzFailure,
    FuzzOptions,
    failure_signature,
)
from contractkit.pact import Expectation, expectations_by_operation, iter_consumer_problems, load_usage

if TYPE_CHECKING:
    from schemathesis.engine.recorder import ScenarioRecorder
    from schemathesis.generation.case import Case
    from schemathesis.schemas import BaseSchema


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
        raise SchemaLoadError(
            f"not a valid JSON Schema: {exc.message}", file=provider.error_schema, key_path=tuple(exc.instance_path)
        ) from exc


def iter_error_format_problems(status: int, body: bytes, validator: Any) -> Iterator[str]:
    """Why a 4xx/5xx body does not match the provider's error schema (nothing for other statuses)."""
    for _title, message in iter_error_format_failures(status, body, validator):
        yield from message.split("\n")


_INDEX = re.compile(r"\[\d+\]")


def iter_error_format_failures(status: int, body: bytes, validator: Any) -> Iterator[tuple[str, str]]:
    """(title, message) per distinct problem of a 4xx/5xx body: the title names the place and the schema keyword,
    not the value, so the same problem found again has the same title and a different one is kept apart; the
    message lists every error under that title."""
    if status < 400:
        return
    try:
        data = parse_json_value(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        yield "Error body is not JSON", f"the {status} body is not JSON: {body[:80]!r}"
        return
    if data is None and not body:
        yield "Error response has an empty body", f"the {status} response has an empty body"
        return
    grouped: dict[str, list[str]] = {}
    errors = sorted(validator.iter_errors(data), key=lambda error: [str(part) for part in error.instance_path])
    for error in errors:
        where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.instance_path)
        keyword = str(list(getattr(error, "schema_path", ()) or ["schema"])[-1])
        title = f"Error body does not match the error schema at ${_INDEX.sub('[*]', where)} ({keyword})"
        grouped.setdefault(title, []).append(
            f"the {status} body does not match the error schema at ${where}: {error.message}"
        )
    for title, messages in grouped.items():
        yield title, "\n".join(messages)


def load_expectations(
    registry: Registry, provider: Provider, endpoints: Sequence[Endpoint]
) -> dict[str, list[Expectation]]:
    """Expectations per endpoint label, from every consumer's pacts with this provider (the usage model)."""
    by_operation = expectations_by_operation(load_usage(registry, providers=[provider.name]), provider.name)
    return {endpoint.label: by_operation[endpoint.name] for endpoint in endpoints if endpoint.name in by_operation}


MAX_REMEMBERED = 4096  # distinct responses whose verdicts one run keeps per check


@dataclass(frozen=True, slots=True)
class RunContext:
    """What our checks need during one run; looked up by a run id passed through schemathesis's check config.

    A check's verdict is a pure function of the response parts it reads, and a fuzz run sees the same response
    many times (the same list, the same 404 body): each check remembers its verdicts by those parts (a digest of
    the body), so a repeated response is judged once per run."""

    error_validator: Any
    expectations: Mapping[str, Sequence[Expectation]]
    error_verdicts: dict[tuple[int, bytes], tuple[tuple[str, str], ...]] = field(default_factory=dict)
    consumer_verdicts: dict[tuple[Any, ...], tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def error_format_failures(self, status: int, body: bytes) -> tuple[tuple[str, str], ...]:
        """(title, message) per distinct error-format problem of a response, judged once per distinct response."""
        key = (status, _digest(body))
        found = self.error_verdicts.get(key)
        if found is None:
            found = tuple(iter_error_format_failures(status, body, self.error_validator))
            _remember(self.error_verdicts, key, found)
        return found

    def consumer_problems(self, label: str, status: int, headers: Mapping[str, list[str]], body: bytes) -> tuple:
        """(title, detail) per consumer problem of a response to `label`, judged once per distinct response: the
        key holds the status, the body and the headers those consumers' pacts name (Content-Type always)."""
        expectations = self.expectations.get(label, ())
        if not any(expectation.status == status for expectation in expectations):
            return ()  # no consumer relies on a response with this status
        names = _header_names(expectations)
        key = (label, status, _digest(body), tuple((name, tuple(headers.get(name) or ())) for name in names))
        found = self.consumer_verdicts.get(key)
        if found is None:
            content_type = (headers.get("content-type") or [""])[0]
            problems = iter_consumer_problems(status, content_type, body, expectations, headers=dict(headers))
            found = tuple((problem.title, problem.detail) for problem in problems)
            _remember(self.consumer_verdicts, key, found)
        return found


def _digest(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=16).digest()


def _remember(verdicts: dict[Any, Any], key: Any, found: Any) -> None:
    if len(verdicts) < MAX_REMEMBERED:
        verdicts[key] = found


def _header_names(expectations: Sequence[Expectation]) -> tuple[str, ...]:
    """The response headers any of these expectations reads: the ones its pact interaction names, and Content-Type."""
    names = {"content-type"}
    for expectation in expectations:
        if expectation.interaction is not None:
            names.update(name.lower() for name in expectation.interaction.response.headers)
    return tuple(sorted(names))


_RUNS: dict[str, RunContext] = {}
_RUNS_LOCK = threading.Lock()
_REGISTERED = False


@contextmanager
def registered_run(context: RunContext) -> Iterator[str]:
    """Make a run's context visible to our checks under a fresh id for as long as the run lasts."""
    run_id = uuid.uuid4().hex
    with _RUNS_LOCK:
        _RUNS[run_id] = context
    try:
        yield run_id
    finally:
        with _RUNS_LOCK:
            _RUNS.pop(run_id, None)


def register_checks() -> None:
    """Register our two checks with schemathesis once per process (its check registry is global).

    Each check raises one failure per distinct problem (a FailureGroup when there are several), titled without
    the response's values, so that every distinct problem is kept, deduplicated and saved to the corpus."""
    global _REGISTERED
    if _REGISTERED:
        return
    import schemathesis
    from schemathesis.core.failures import Failure, FailureGroup
    from schemathesis.core.failures import Severity as FailureSeverity

    class ErrorFormatViolation(Failure):
        code = CODES["error_format"]
        checks = ("error_format",)
        kind_title = "Error body does not match the error schema"

        @property
        def _unique_key(self) -> str:  # schemathesis keeps one failure per key: one per distinct problem
            return self.title

    class ConsumerIncompatibility(Failure):
        code = CODES["consumer_compatibility"]
        checks = ("consumer_compatibility",)
        kind_title = "Response breaks a consumer's pact"

        @property
        def _unique_key(self) -> str:
            return self.title

    def raise_all(failures: list[Failure], what: str) -> None:
        if len(failures) == 1:
            raise failures[0]
        if failures:
            raise FailureGroup(failures, what)

    class error_format:  # noqa: N801 - schemathesis names a check after its class
        """Every 4xx and 5xx body matches the provider's error schema."""

        def __init__(self, run: str = "") -> None:
            self.context = _RUNS.get(run)

        def after_response(self, ctx: Any, response: Any, case: Any) -> None:
            if (
                self.context is None
                or self.context.error_validator is None
                or response.status_code < 400
                or case.method.upper() == "HEAD"
            ):
                return
            found = self.context.error_format_failures(response.status_code, response.content or b"")
            raise_all(
                [
                    ErrorFormatViolation(
                        operation=case.operation.label, title=title, message=message, severity=FailureSeverity.HIGH
                    )
                    for title, message in found
                ],
                "error format",
            )

    class consumer_compatibility:  # noqa: N801 - schemathesis names a check after its class
        """Every response satisfies what registered consumers' pacts expect for its status."""

        def __init__(self, run: str = "") -> None:
            self.context = _RUNS.get(run)

        def after_response(self, ctx: Any, response: Any, case: Any) -> None:
            if self.context is None or case.method.upper() == "HEAD":
                return
            label = case.operation.label
            problems = self.context.consumer_problems(
                label, response.status_code, response.headers, response.content or b""
            )
            raise_all(
                [
                    ConsumerIncompatibility(operation=label, title=title, message=detail, severity=FailureSeverity.HIGH)
                    for title, detail in problems
                ],
                "consumer compatibility",
            )

    schemathesis.check(error_format)
    schemathesis.check(consumer_compatibility)
    _REGISTERED = True


def build_config(
    options: FuzzOptions,
    *,
    seed: int,
    max_examples: int,
    base_url: str | None,
    credentials: Credentials,
    run_id: str,
    safe_only: bool = False,
) -> Any:
    """A schemathesis configuration: our checks only, bounded, seeded, nothing written to disk."""
    from schemathesis.config import SchemathesisConfig
    from schemathesis.config._output import DEFAULT_KEYS_TO_SANITIZE

    checks: dict[str, Any] = {"enabled": False}
    for name in options.checks:
        checks[name] = {"enabled": True, **({"run": run_id} if name in OUR_CHECKS else {})}
    data: dict[str, Any] = {
        "seed": seed,
        "workers": 1,
        "checks": checks,
        "headers": dict(credentials.headers),
        "generation": {"max-examples": max_examples, "database": "none"},
        "phases": {name: {"enabled": name in options.phases} for name in ALL_PHASES},
        "request-timeout": options.request_timeout,
        "cache": {"enabled": False},
        "continue-on-failure": True,
        "output": {
            "sanitization": {
                "keys-to-sanitize": sorted({*DEFAULT_KEYS_TO_SANITIZE, *(key.lower() for key in credentials.headers)})
            }
        },
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
        schema: BaseSchema = schemathesis.openapi.from_dict(document, config=config)
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
    headers = {
        key: str(value)
        for key, value in (case.headers or {}).items()
        if key.lower() not in {name.lower() for name in credentials.headers}
        and not any(secret in str(value) for secret in secret_values)
    }
    body = case.body
    has_body = body is not NOT_SET
    return CorpusRequest(
        method=case.method.upper(),
        path_parameters=_plain(case.path_parameters or {}),
        query=_plain(case.query or {}),
        headers=headers,
        cookies=_plain(case.cookies or {}),
        media_type=case.media_type,
        body=_plain(body) if has_body else None,
        has_body=has_body,
    )


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
                check=node.name,
                code=CODES.get(node.name, Code.OTHER_CHECK),
                title=failure.title,
                message=mask_credentials(failure.message, credentials),
                seed=seed,
                status_code=status,
                curl=mask_credentials(node.failure_info.code_sample, credentials),
                request=_request_of(case_node.value, credentials) if case_node else None,
                signature=failure_signature(failure),
            )


__all__ = [
    "RunContext",
    "build_config",
    "iter_error_format_failures",
    "iter_error_format_problems",
    "iter_recorder_failures",
    "load_error_validator",
    "load_expectations",
    "load_schema",
    "register_checks",
    "registered_run",
]
