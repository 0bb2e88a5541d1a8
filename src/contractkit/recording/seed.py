"""Seeded cassettes: build a cassette from the examples an OpenAPI document publishes, when no provider is reachable.

Each response is the operation's published example (`source: openapi-example`); where the document
publishes none, or the published one does not fit the registry's schema slice, a schema-valid instance
is generated from the response schema (`source: openapi-schema`). For AWS operations that no local
server implements, the instance comes from botocore's output shape (`source: botocore-schema`).
Every seeded response is validated against the registered schema before it is written, because
seeded cassettes are replayed to verify the consumer's pacts. Recorded reality (`live`, `moto`,
`local`) is never overwritten by a seed unless asked.
"""

from __future__ import annotations

import copy
import json
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from contractkit import __version__ as TOOLKIT_VERSION
from contractkit.aws import json_media_type, service_model
from contractkit.cassettes import (
    STATES_FOLDER,
    Cassette,
    RecordedInteraction,
    RecordedRequest,
    RecordedResponse,
    cassette_path,
    load_cassette,
    state_slug,
)
from contractkit.core.codes import Code
from contractkit.core.errors import CassetteError, UsageError
from contractkit.core.loading import parse_json_value
from contractkit.core.model import Finding, Operation, Provider, Severity
from contractkit.openapi import find_path, load_spec_document
from contractkit.recording.expected import ExpectedResponse, expected_response, param_value, with_expected
from contractkit.recording.instances import (
    MAX_DEPTH,
    json_media,
    media_example,
    minimal_instance,
    regex_instance,
    resolve,
    schema_instance,
    seed_request,
    success_response,
)
from contractkit.recording.plan import OperationOutcome, RecordRun, scrub_rules
from contractkit.recording.record import compare_and_write
from contractkit.recording.vcr import finish_interaction
from contractkit.secrets import dump_json
from contractkit.validation import validate_response

RECORDED_SOURCES = frozenset({"live", "moto", "local"})


# ---------------------------------------------------------------- seeding a provider


@dataclass(frozen=True, slots=True)
class SeedState:
    """A provider state a seeded cassette variant stands for: its name and the parameters it was seeded with.

    A parameter named like a path or query parameter of the operation fills the request; the response's
    shallowest string fields of that name take the value too (GET /incidents/{id} answers that incident).
    A parameter written as a JSON path (`$.user.id`) sets that response field only.
    Without a name (`--param` without `--state`), the parameters shape the provider's own cassettes.
    """

    name: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def folder(self) -> str:
        """The variant's folder under the provider's cassettes: `states/<slug of the state name>` ('' without a name)."""
        return f"{STATES_FOLDER}/{state_slug(self.name)}" if self.name else ""


def seed_provider(
    provider: Provider,
    document: Mapping[str, Any],
    operations: Iterable[Operation],
    *,
    force: bool = False,
    document_name: str = "",
    state: SeedState | None = None,
) -> RecordRun:
    """Write a seeded cassette for each HTTP operation; recorded cassettes are kept unless `force`.

    With `state`, the cassettes are the variant for that provider state (`<cassettes>/states/<slug>/`),
    seeded with the state's parameters; the registry's `states` key maps the state name to that folder.
    """

    outcomes = []
    rules = scrub_rules(provider, {})
    for operation in operations:
        started = time.perf_counter()
        kept = _recorded_source(provider, operation, state)
        if kept and not force:
            outcomes.append(OperationOutcome(operation.name, "skipped", f"keeps the {kept} recording (use --force)"))
            continue
        spec_path = find_path(dict(document), operation.method or "GET", operation.path or "/")
        if spec_path is None:
            outcomes.append(_failed(provider, operation, f"{operation.label} is not in the document"))
            continue
        path_item = document["paths"][spec_path]
        outcome = _seed_one(
            provider,
            operation,
            document,
            path_item,
            path_item[(operation.method or "get").lower()],
            rules,
            document_name,
            state,
        )
        outcomes.append(_timed(outcome, started))
    return RecordRun(provider.name, tuple(outcomes), 0, "openapi")


def _timed(outcome: OperationOutcome, started: float) -> OperationOutcome:
    from dataclasses import replace

    return replace(outcome, duration=time.perf_counter() - started)


def _seed_path(provider: Provider, operation: Operation, state: SeedState | None = None) -> Path | None:
    if provider.cassettes is None:
        return None
    folder = provider.cassettes / state.folder if state is not None and state.folder else provider.cassettes
    return cassette_path(folder, operation.name)


def _recorded_source(provider: Provider, operation: Operation, state: SeedState | None = None) -> str:
    path = _seed_path(provider, operation, state)
    if path is None or not path.exists():
        return ""
    try:
        source = load_cassette(path).source
    except CassetteError:
        return ""
    return source if source in RECORDED_SOURCES else ""


def _failed(provider: Provider, operation: Operation, message: str) -> OperationOutcome:
    finding = Finding(Code.RECORD_FAILED, Severity.ERROR, message, provider=provider.name, operation=operation.name)
    return OperationOutcome(operation.name, "failed", message, findings=(finding,))


def _seed_one(
    provider: Provider,
    operation: Operation,
    document: Mapping[str, Any],
    path_item: Mapping[str, Any],
    spec_operation: Mapping[str, Any],
    rules: Any,
    document_name: str,
    state: SeedState | None = None,
) -> OperationOutcome:

    params = dict(state.params) if state is not None else {}
    status, key = success_response(spec_operation)
    expected = expected_response(provider, operation, state.name if state is not None else "")
    expected = expected if expected is not None and expected.status == status else None
    request = seed_request(
        provider,
        operation,
        document,
        path_item,
        spec_operation,
        {
            **(expected.params if expected is not None else {}),
            **{name: value for name, value in params.items() if not name.startswith("$")},
        },
    )
    response_spec = resolve(document, (spec_operation.get("responses") or {}).get(key, {})) if key else {}
    media = json_media(response_spec.get("content") or {}) if isinstance(response_spec, dict) else None

    def check(body: Any) -> list[Finding]:
        text = dump_json(body) if body is not None else ""
        content_type = "application/json" if body is not None else ""
        return validate_response(provider, operation, status, {"Content-Type": content_type}, text.encode())

    problems: list[Finding] = []
    rejected = contract_rejected = ""
    for body, source, repaired, from_contract in _bodies(document, media, check, expected):
        body = echo_state(body, params, document) if params and body is not None else body
        problems = check(body)
        if not problems:
            headers = {"Content-Type": ("application/json",)} if body is not None else {}
            text = dump_json(body) if body is not None else ""
            response = RecordedResponse(status, headers, text, _reason(status))
            interaction = finish_interaction(RecordedInteraction(request, response), rules, operation.name)
            # the scrubber may replace values it takes for secrets (a field named `code`): check what is written
            problems = _check_scrubbed(check, interaction) if body is not None else []
            if problems:
                continue
            metadata = _metadata(provider, operation, source, document_name)
            if from_contract and expected is not None:
                metadata["contract_example"] = expected.origin
            elif contract_rejected:  # say why the contract's values are not what the cassette answers
                metadata["contract_example_rejected"] = contract_rejected
            if rejected:  # say why the published example is not what the cassette answers
                metadata["example_rejected"] = rejected
            if repaired:  # the published example, except these values the registered schema rejects
                metadata["example_repaired"] = repaired
            if state is not None and state.name:
                metadata["state"] = {"name": state.name, "params": params}
            elif params:
                metadata["params"] = params
            path = _seed_path(provider, operation, state)
            return compare_and_write(provider, operation, path, Cassette(path, (interaction,), metadata))  # type: ignore[arg-type]
        if from_contract:  # the last such body is the smallest instance: what is left wrong is the contract's
            contract_rejected = f"{problems[0].location}: {problems[0].message}"[:300]
        elif source == "openapi-example" and not from_contract and not rejected and not repaired:
            rejected = f"{problems[0].location}: {problems[0].message}"[:300]
    detail = "; ".join(f"{p.location}: {p.message}" for p in problems[:3])
    return _failed(provider, operation, f"no example or schema instance fits the registered schema ({detail})")


def _check_scrubbed(check: Callable[[Any], list[Finding]], interaction: RecordedInteraction) -> list[Finding]:
    try:
        written = interaction.response.json()
    except CassetteError:
        return []
    return check(written)


def _bodies(
    document: Mapping[str, Any],
    media: Mapping[str, Any] | None,
    check: Callable[[Any], list[Finding]],
    expected: ExpectedResponse | None,
) -> Iterator[tuple[Any, str, list[str], bool]]:
    """The candidate bodies with every value the contract's example gives first, then as the description gives
    them: (body, source, locations of the published example replaced, whether the contract's values are in)."""
    if expected is not None and expected.body is not None and media is not None:
        for body, source, repaired in _candidate_bodies(document, media, check):
            yield with_expected(body, expected.body), source, repaired, True
    for body, source, repaired in _candidate_bodies(document, media, check):
        yield body, source, repaired, False


def _candidate_bodies(
    document: Mapping[str, Any], media: Mapping[str, Any] | None, check: Callable[[Any], list[Finding]]
) -> Iterator[tuple[Any, str, list[str]]]:
    """Bodies to try, most realistic first: (body, source, locations of the published example replaced)."""
    if media is None:
        yield None, "openapi-schema", []
        return
    example, source = media_example(document, media)
    yield example, source, []
    instance = schema_instance(document, media.get("schema", {}))
    # a published example that does not fit keeps its values where they fit: only the rejected ones are replaced
    if source == "openapi-example":
        repaired = repair_example(example, instance, check)
        if repaired is not None:
            yield repaired[0], "openapi-example", repaired[1]
        yield instance, "openapi-schema", []
    yield schema_instance(document, media.get("schema", {}), examples=False), "openapi-schema", []
    yield minimal_instance(document, media.get("schema", {})), "openapi-schema", []  # required properties only


_MISSING = object()
_REQUIRED = re.compile(r"missing required property '([^']+)'")
_UNDOCUMENTED = re.compile(r"undocumented properties (.+) \(additionalProperties is false\)")
_PATH_PART = re.compile(r'\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')
MAX_REPAIRS = 60


def repair_example(example: Any, instance: Any, check: Callable[[Any], list[Finding]]) -> tuple[Any, list[str]] | None:
    """The published example with each value the schema rejects replaced by the schema instance's value there.

    A missing required property is added from the instance, an undocumented one is dropped; a value the
    instance has no counterpart for is dropped. None when the example cannot be made to fit this way.
    """
    value = copy.deepcopy(example)
    replaced: list[str] = []
    for _ in range(MAX_REPAIRS):
        problems = check(value)
        if not problems:
            return value, replaced
        changed = False
        for problem in problems:
            path = parse_json_path(problem.location)
            if path is None:
                continue
            required, undocumented = _REQUIRED.search(problem.message), _UNDOCUMENTED.search(problem.message)
            if undocumented:
                for name in re.findall(r"'([^']+)'", undocumented.group(1)):
                    changed |= _put(value, path + [name], _MISSING)
                    replaced.append(problem.location + "." + name)
                continue
            if required:
                path = path + [required.group(1)]
            if not path:
                return None  # the whole body is wrong: nothing of the example is worth keeping
            changed |= _put(value, path, _lookup(instance, path))
            replaced.append(problem.location + ("." + required.group(1) if required else ""))
        if not changed:
            return None
    return None


def parse_json_path(location: str) -> list[str | int] | None:
    """`$.a[0]["b c"]` as ['a', 0, 'b c']; None for a location that is not a JSON path."""
    if not location.startswith("$"):
        return None
    parts: list[str | int] = []
    rest = location[1:]
    while rest:
        match = _PATH_PART.match(rest)
        if match is None:
            return None
        name, index, quoted = match.groups()
        parts.append(name if name is not None else int(index) if index is not None else parse_json_value(quoted))
        rest = rest[match.end() :]
    return parts


def _lookup(value: Any, path: list[str | int]) -> Any:
    # arrays of the instance hold one item: an example's later items take the same replacement
    for part in path:
        if isinstance(part, int) and isinstance(value, list) and value:
            value = value[min(part, len(value) - 1)]
        elif isinstance(part, str) and isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return _MISSING
    return copy.deepcopy(value)


def _put(value: Any, path: list[str | int], new: Any) -> bool:
    """Set (or with _MISSING, delete) the value at a path; True when something changed."""
    for part in path[:-1]:
        if isinstance(part, int) and isinstance(value, list) and part < len(value):
            value = value[part]
        elif isinstance(part, str) and isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return False
    last = path[-1]
    if isinstance(value, dict) and isinstance(last, str):
        if new is _MISSING:
            return value.pop(last, _MISSING) is not _MISSING
        if value.get(last, _MISSING) == new:
            return False
        value[last] = new
        return True
    if isinstance(value, list) and isinstance(last, int) and last < len(value):
        if new is _MISSING:
            del value[last]
            return True
        if value[last] == new:
            return False
        value[last] = new
        return True
    return False


def echo_state(body: Any, params: Mapping[str, str], document: Mapping[str, Any] | None = None) -> Any:
    """The body as the provider answers in a state: its shallowest string fields named like a parameter take its
    value (the incident asked for is the incident answered), and `$.`-paths set exactly that field: to the text,
    to JSON with `$.path:=JSON`, or to an instance of the document's schema with `$.path=#/components/schemas/X`."""
    body = copy.deepcopy(body)
    for name, value in params.items():
        if name.startswith("$"):
            path = parse_json_path(name.rstrip(":"))
            if path and (name.endswith(":") or value.startswith("#/")):
                _put(body, path, _state_value(name, value, document))
            elif path:  # `$.tags=["a","b"]`, `$.count=3`: JSON where the field is not text
                current = _lookup(body, path)
                _put(body, path, param_value(value, current, present=current is not _MISSING))
            continue
        for path in _shallowest(body, name):
            _put(body, path, value)
    return body


def _state_value(name: str, value: str, document: Mapping[str, Any] | None) -> Any:
    if name.endswith(":"):
        try:
            return parse_json_value(value)
        except ValueError as exc:
            raise UsageError(f"state parameter {name}={value!r} is not JSON ({exc})") from exc
    if value.startswith("#/") and document is not None:
        return schema_instance(document, {"$ref": value})
    return value


def _shallowest(body: Any, name: str) -> list[list[str | int]]:
    """Paths of the string fields named `name` at the smallest depth where one exists, outside lists."""
    level: list[tuple[list[str | int], Any]] = [([], body)]
    while level:
        found = [path + [name] for path, node in level if isinstance(node, dict) and isinstance(node.get(name), str)]
        if found:
            return found
        level = [
            (path + [key], child)
            for path, node in level
            if isinstance(node, dict)
            for key, child in node.items()
            if isinstance(child, dict)
        ]
    return []


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _metadata(provider: Provider, operation: Operation, source: str, document_name: str) -> dict[str, Any]:
    return {
        "provider": provider.name,
        "operation": operation.name,
        "source": source,
        "recorded_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "toolkit": f"contractkit {TOOLKIT_VERSION}",
        "spec": document_name or (provider.spec_source.document if provider.spec_source else ""),
    }


# ---------------------------------------------------------------- AWS from botocore shapes


# A botocore string says nothing of its meaning beyond a pattern; these members hold numbers or a currency
# (Cost Explorer's MetricAmount, MeanValue and prediction bounds, MetricUnit), so a seed gives them one.
_BOTOCORE_STRING_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:Amount|MeanValue|LowerBound|UpperBound)$"), "1.00"),
    (re.compile(r"^(?:MetricUnit|Unit)$"), "USD"),
)
_SEED_DATE, _SEED_TIME = "2026-01-15", "09:30:00"


def botocore_instance(shape: Any, depth: int = 0, *, echo: Mapping[str, Any] | None = None, name: str = "") -> Any:
    """A value that fits a botocore shape (structures with every member to a depth, lists of one), with valid
    dates and numbers where a plain pattern would give `0000-00-00`; a structure whose shape the request
    also sends (`echo`, by shape name: Cost Explorer's DateInterval) takes the request's value."""
    echo = echo or {}
    kind = shape.type_name
    if kind == "structure":
        if shape.name in echo:
            return copy.deepcopy(echo[shape.name])
        members = (
            shape.members.items()
            if depth < MAX_DEPTH
            else ((key, member) for key, member in shape.members.items() if key in shape.required_members)
        )
        return {key: botocore_instance(member, depth + 1, echo=echo, name=key) for key, member in members}
    if kind == "list":
        return [] if depth >= MAX_DEPTH else [botocore_instance(shape.member, depth + 1, echo=echo, name=name)]
    if kind == "map":
        return {}
    if kind == "string":
        return shape.enum[0] if shape.enum else botocore_string(shape.metadata.get("pattern"), shape.name, name)
    return _botocore_scalar(kind)


def _botocore_scalar(kind: str) -> Any:
    if kind in ("integer", "long"):
        return 1
    if kind in ("double", "float"):
        return 1.0
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return 1768469400  # 2026-01-15T09:30:00Z
    return "ZXhhbXBsZQ=="  # blob


def botocore_string(pattern: str | None, shape_name: str = "", member: str = "") -> str:
    """A string that fits a botocore shape's pattern: a real date where the pattern asks for digits shaped like
    one, a number or currency for the members known to hold them, else a plain word."""
    hint = next((value for rule, value in _BOTOCORE_STRING_HINTS if rule.search(member) or rule.search(shape_name)), "")
    if not pattern or pattern in ("[\\S\\s]*", ".*", "[\\s\\S]*"):
        return hint or "example"
    try:
        value = regex_instance(pattern)
    except (ValueError, RecursionError):
        return hint or "example"
    dated = value.replace("0000-00-00", _SEED_DATE).replace("00:00:00", _SEED_TIME)
    for candidate in (hint, dated):
        if candidate and re.fullmatch(pattern, candidate):
            return candidate
    return value


def botocore_echo(input_shape: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    """The structures a call sends, by shape name: the answer to `TimePeriod` is about that period."""
    if input_shape is None:
        return {}
    return {
        input_shape.members[key].name: value
        for key, value in params.items()
        if key in input_shape.members and input_shape.members[key].type_name == "structure"
    }


def seed_aws_operation(
    provider: Provider,
    operation: Operation,
    params: Mapping[str, Any],
    *,
    force: bool = False,
    state: SeedState | None = None,
    reason: str = "",
) -> OperationOutcome:
    """Seed a JSON-protocol AWS operation from botocore's output shape (for calls moto does not implement).

    With `state`, the variant for that provider state is written, its `$.`-path parameters set in the answer.
    `reason` (why no recording exists) is kept in the cassette's metadata as `seeded_because`."""
    kept = _recorded_source(provider, operation, state)
    if kept and not force:
        return OperationOutcome(operation.name, "skipped", f"keeps the {kept} recording (use --force)")
    service = service_model(operation.service or "")
    model = service.operation_model(operation.aws_operation or "")
    if service.resolved_protocol != "json":
        return _failed(
            provider,
            operation,
            f"seeding from botocore supports JSON-protocol services, not {service.resolved_protocol}",
        )
    path = _seed_path(provider, operation, state)
    if path is None:
        return _failed(provider, operation, f"provider {provider.name!r} has no 'cassettes' folder in the registry")
    interaction = _botocore_interaction(provider, operation, service, model, params, state)
    metadata = {
        "provider": provider.name,
        "operation": operation.name,
        "source": "botocore-schema",
        "recorded_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "toolkit": f"contractkit {TOOLKIT_VERSION}",
        "call": {"service": operation.service, "operation": operation.aws_operation, "params": dict(params)},
    }
    if reason:
        metadata["seeded_because"] = reason
    if state is not None and state.name:
        metadata["state"] = {"name": state.name, "params": dict(state.params)}
    return compare_and_write(provider, operation, path, Cassette(path, (interaction,), metadata))


def _botocore_interaction(
    provider: Provider,
    operation: Operation,
    service: Any,
    model: Any,
    params: Mapping[str, Any],
    state: SeedState | None,
) -> RecordedInteraction:
    media = json_media_type(operation.service or "") or "application/json"
    target = f"{service.metadata['targetPrefix']}.{model.name}"
    request = RecordedRequest(
        "POST",
        f"{_aws_origin(provider)}/",
        {"Content-Type": (media,), "X-Amz-Target": (target,)},
        json.dumps(dict(params), sort_keys=True, separators=(",", ":")),
    )
    echo = botocore_echo(model.input_shape, params)
    body = botocore_instance(model.output_shape, echo=echo) if model.output_shape is not None else {}
    if state is not None:
        body = echo_state(body, dict(state.params))
    response = RecordedResponse(200, {"Content-Type": (media,)}, dump_json(body), "OK")
    return finish_interaction(RecordedInteraction(request, response), scrub_rules(provider, {}), operation.name)


def _aws_origin(provider: Provider) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(provider.base_url)
    host = parts.hostname or "127.0.0.1"
    return f"{parts.scheme}://{host}" if host in ("127.0.0.1", "localhost") else f"{parts.scheme}://{parts.netloc}"


def load_document(path: Path) -> dict[str, Any]:
    """Load an OpenAPI 3 or Swagger 2.0 document (converted to OpenAPI 3)."""

    return load_spec_document(path)
