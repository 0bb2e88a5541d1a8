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
from urllib.parse import quote, urlencode

from contractkit import __version__ as TOOLKIT_VERSION
from contractkit.cassettes import Cassette, RecordedInteraction, RecordedRequest, RecordedResponse, cassette_path, load_cassette
from contractkit.aws.models import service_model
from contractkit.core.errors import CassetteError, UsageError
from contractkit.core.model import Finding, Operation, Provider, Severity
from contractkit.recording.plan import RECORD_FAILED, OperationOutcome, RecordRun, scrub_rules
from contractkit.recording.record import compare_and_write
from contractkit.recording.vcr import finish_interaction
from contractkit.cassettes.scrub import dump_json
from contractkit.openapi.documents import find_path, load_spec_document, resolve_pointer
from contractkit.validation import validate_response

RECORDED_SOURCES = frozenset({"live", "moto", "local"})
MAX_DEPTH = 7
_SUCCESS_ORDER = ("200", "201", "202", "203", "204", "2XX", "default")


# ---------------------------------------------------------------- schema instances


def resolve(document: Mapping[str, Any], node: Any) -> Any:
    """Follow `$ref`s (internal only) until a node without one."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 50:

        node, seen = resolve_pointer(dict(document), node["$ref"]), seen + 1
    return node


def schema_instance(document: Mapping[str, Any], schema: Any, *, depth: int = 0, refs: tuple[str, ...] = (),
                    examples: bool = True) -> Any:
    """A value that fits the schema: examples, enums and formats where given, every property to a depth."""
    if isinstance(schema, dict) and "$ref" in schema:
        ref = schema["$ref"]
        if ref in refs:  # a cycle: stop with the smallest value of the right kind
            return _smallest(resolve(document, schema))
        return schema_instance(document, resolve(document, schema), depth=depth, refs=refs + (ref,), examples=examples)
    if not isinstance(schema, dict):
        return {}
    for key in ("example", "default") if examples else ("default",):
        if key in schema and schema[key] is not None:
            return schema[key]
    if "enum" in schema and schema["enum"]:
        return schema["enum"][0]
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = schema_instance(document, part, depth=depth, refs=refs, examples=examples)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return schema_instance(document, schema[key][0], depth=depth, refs=refs, examples=examples)
    return _typed_instance(document, schema, depth, refs, examples)


def _typed_instance(document: Mapping[str, Any], schema: dict[str, Any], depth: int, refs: tuple[str, ...],
                    examples: bool) -> Any:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((item for item in kind if item != "null"), "null")
    if kind == "object" or (kind is None and "properties" in schema):
        return _object_instance(document, schema, depth, refs, examples)
    if kind == "array":
        if depth >= MAX_DEPTH:
            return []
        count = max(1, int(schema.get("minItems", 1) or 1))
        return [schema_instance(document, schema.get("items", {}), depth=depth + 1, refs=refs, examples=examples)
                for _ in range(count)]
    if kind == "string":
        return _string_instance(schema)
    if kind == "integer":
        return int(schema.get("minimum", 1) or 1) if not schema.get("exclusiveMinimum") else int(schema["minimum"]) + 1
    if kind == "number":
        return float(schema.get("minimum", 1) or 1)
    if kind == "boolean":
        return True
    if schema.get("nullable") or kind == "null" or (kind is None and _admits_null(schema.get("items"))):
        return None  # a value documented with no type whose only described alternatives include null
    return {}


def _admits_null(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    alternatives = schema.get("anyOf") or schema.get("oneOf") or []
    return any(isinstance(item, dict) and (item.get("type") == "null" or item.get("enum") == [None]) for item in alternatives)


def _object_instance(document: Mapping[str, Any], schema: dict[str, Any], depth: int, refs: tuple[str, ...],
                     examples: bool) -> dict[str, Any]:
    required = set(schema.get("required", ()))
    result = {}
    for name, sub in (schema.get("properties") or {}).items():
        if depth >= MAX_DEPTH and name not in required:
            continue
        if name not in required and isinstance(sub, dict) and sub.get("$ref") in refs:
            continue  # an optional self-reference: leave it out rather than recurse
        result[name] = schema_instance(document, sub, depth=depth + 1, refs=refs, examples=examples)
    for name in sorted(required - result.keys()):  # required but not described: a string is the usual case
        result[name] = "example"
    return result


_FORMATS = {"date-time": "2026-01-15T09:30:00Z", "date": "2026-01-15", "uri": "https://example.com/resource",
            "url": "https://example.com/resource", "email": "user@example.com", "uuid": "0b9ed7b2-6d3c-4f7e-9c7b-2f2f6f1d1a11",
            "hostname": "example.com", "ipv4": "192.0.2.1", "ipv6": "2001:db8::1", "int64": "1", "byte": "ZXhhbXBsZQ==",
            "uri-template": "https://example.com/{id}", "time": "09:30:00Z"}


def _string_instance(schema: dict[str, Any]) -> str:
    value = _FORMATS.get(str(schema.get("format", "")), "example")
    if schema.get("pattern"):
        try:
            value = regex_instance(schema["pattern"])
        except (ValueError, TypeError, IndexError):  # a pattern beyond the tiny generator: keep the plain value
            pass
    minimum, maximum = schema.get("minLength"), schema.get("maxLength")
    if minimum and len(value) < minimum:
        value = value + "x" * (minimum - len(value))
    if maximum is not None and len(value) > maximum:
        value = value[:maximum]
    return value


def regex_instance(pattern: str) -> str:
    """A deterministic string that fully matches a regular expression (first choice, fewest repeats)."""
    import re
    import re._parser as sre_parse  # type: ignore[import-not-found]

    text = _emit(sre_parse.parse(pattern))
    if not re.search(pattern, text):
        raise ValueError(pattern)
    return text


def _emit(parsed: Any) -> str:
    import re._constants as c  # type: ignore[import-not-found]

    out = []
    for op, arg in parsed:
        if op is c.LITERAL:
            out.append(chr(arg))
        elif op is c.IN:
            out.append(_first_in(arg))
        elif op is c.NOT_LITERAL:
            out.append("a" if arg != ord("a") else "b")
        elif op is c.ANY:
            out.append("a")
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, _high, item = arg
            out.append(_emit(item) * low)
        elif op is c.SUBPATTERN:
            out.append(_emit(arg[-1]))
        elif op is c.BRANCH:
            out.append(_emit(arg[1][0]))
        elif op is c.CATEGORY:
            out.append(_category(arg))
        elif op is c.AT:
            continue
        else:
            raise ValueError(f"unsupported regular expression part {op}")
    return "".join(out)


def _first_in(items: Any) -> str:
    import re._constants as c  # type: ignore[import-not-found]

    if items and items[0][0] is c.NEGATE:
        return "a" if not any(op is c.LITERAL and arg == ord("a") for op, arg in items[1:]) else "b"
    op, arg = items[0]
    if op is c.LITERAL:
        return chr(arg)
    if op is c.RANGE:
        return chr(arg[0])
    if op is c.CATEGORY:
        return _category(arg)
    raise ValueError("unsupported character class")


def _category(category: Any) -> str:
    name = str(category)
    if "DIGIT" in name and "NOT" not in name:
        return "0"
    if "SPACE" in name and "NOT" not in name:
        return " "
    return "a"


def _smallest(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return None
    kind = schema.get("type")
    return {"array": [], "string": "example", "integer": 1, "number": 1.0, "boolean": True}.get(kind, {})


# ---------------------------------------------------------------- requests and responses from a document


def parameter_value(document: Mapping[str, Any], parameter: Mapping[str, Any]) -> Any:
    """A value for a parameter: its example, the first named example, or an instance of its schema."""
    if "example" in parameter:
        return parameter["example"]
    for example in (parameter.get("examples") or {}).values():
        example = resolve(document, example)
        if isinstance(example, dict) and "value" in example:
            return example["value"]
    value = schema_instance(document, parameter.get("schema", {"type": "string"}))
    return "example" if isinstance(value, (dict, list)) or value is None else value


def _parameters(document: Mapping[str, Any], path_item: Mapping[str, Any], operation: Mapping[str, Any]) -> list[dict[str, Any]]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in list(path_item.get("parameters", ())) + list(operation.get("parameters", ())):
        parameter = resolve(document, raw)
        merged[(parameter.get("in", ""), parameter.get("name", ""))] = parameter
    return list(merged.values())


def seed_request(provider: Provider, operation: Operation, document: Mapping[str, Any],
                 path_item: Mapping[str, Any], spec_operation: Mapping[str, Any],
                 params: Mapping[str, str] | None = None) -> RecordedRequest:
    """The request a consumer would send: path parameters and required query parameters from examples,
    or from `params` (a provider state's parameters) where they name one."""
    params = params or {}
    path = provider.base_path + (operation.path or "/")
    query: list[tuple[str, str]] = []
    for parameter in _parameters(document, path_item, spec_operation):
        where, name = parameter.get("in"), parameter.get("name", "")
        given = params.get(name)
        if where == "path":
            value = given if given is not None else parameter_value(document, parameter)
            path = path.replace("{" + name + "}", quote(str(value), safe=""))
        elif where == "query" and (parameter.get("required") or given is not None) and name.lower() != "token":
            query.append((name, given if given is not None else _query_text(parameter_value(document, parameter))))
    origin = provider.base_url[: len(provider.base_url) - len(provider.base_path)] if provider.base_path else provider.base_url
    uri = origin + path + ("?" + urlencode(query) if query else "")
    headers: dict[str, tuple[str, ...]] = {"Accept": ("application/json",)}
    body = _request_body(document, spec_operation)
    if body is not None:
        headers["Content-Type"] = ("application/json",)
    return RecordedRequest(operation.method or "GET", uri, headers, body)


def _query_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return value if isinstance(value, str) else json.dumps(value)


def _request_body(document: Mapping[str, Any], spec_operation: Mapping[str, Any]) -> str | None:
    body = resolve(document, spec_operation.get("requestBody"))
    if not isinstance(body, dict):
        return None
    media = _json_media(body.get("content") or {})
    if media is None:
        return None
    example, _ = media_example(document, media)
    return dump_json(example)


def _json_media(content: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for name, media in content.items():
        if "json" in name.lower() or name == "*/*":
            return media
    return None


def media_example(document: Mapping[str, Any], media: Mapping[str, Any]) -> tuple[Any, str]:
    """The published example of a media type (and `openapi-example`), else a schema instance (`openapi-schema`)."""
    if "example" in media:
        return _decoded(media["example"]), "openapi-example"
    for example in (media.get("examples") or {}).values():
        example = resolve(document, example)
        if isinstance(example, dict) and "value" in example:
            return _decoded(example["value"]), "openapi-example"
    schema = resolve(document, media.get("schema", {}))
    if isinstance(schema, dict) and "example" in schema:
        return schema["example"], "openapi-example"
    return schema_instance(document, media.get("schema", {})), "openapi-schema"


def _decoded(example: Any) -> Any:
    """Some documents (Atlassian's) publish JSON examples as JSON-encoded strings: decode those."""
    if isinstance(example, str) and example.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(example)
        except ValueError:
            return example
    return example


def success_response(spec_operation: Mapping[str, Any]) -> tuple[int, str]:
    """The success status a seed answers with (200 first, then 201 ... ) and its key in `responses`."""
    responses = spec_operation.get("responses") or {}
    for key in _SUCCESS_ORDER:
        if key in responses:
            return (200 if not key[0].isdigit() or "X" in key else int(key)), key
    for key in responses:
        if str(key).startswith("2"):
            return int(key), key
    return 200, ""


# ---------------------------------------------------------------- seeding a provider


@dataclass(frozen=True, slots=True)
class SeedState:
    """A provider state a seeded cassette variant stands for: its name and the parameters it was seeded with.

    A parameter named like a path or query parameter of the operation fills the request; the response's
    shallowest string fields of that name take the value too (GET /incidents/{id} answers that incident).
    A parameter written as a JSON path (`$.user.id`) sets that response field only.
    """

    name: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def folder(self) -> str:
        """The variant's folder under the provider's cassettes: `states/<slug of the state name>`."""
        import re

        return "states/" + (re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-") or "state")


def seed_provider(provider: Provider, document: Mapping[str, Any], operations: Iterable[Operation], *,
                  force: bool = False, document_name: str = "", state: SeedState | None = None) -> RecordRun:
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
        outcome = _seed_one(provider, operation, document, path_item, path_item[(operation.method or "get").lower()],
                            rules, document_name, state)
        outcomes.append(_timed(outcome, started))
    return RecordRun(provider.name, tuple(outcomes), 0, "openapi")


def _timed(outcome: OperationOutcome, started: float) -> OperationOutcome:
    from dataclasses import replace

    return replace(outcome, duration=time.perf_counter() - started)


def _seed_path(provider: Provider, operation: Operation, state: SeedState | None = None) -> Path | None:
    if provider.cassettes is None:
        return None
    folder = provider.cassettes / state.folder if state is not None else provider.cassettes
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
    finding = Finding(RECORD_FAILED, Severity.ERROR, message, provider=provider.name, operation=operation.name)
    return OperationOutcome(operation.name, "failed", message, findings=(finding,))


def _seed_one(provider: Provider, operation: Operation, document: Mapping[str, Any], path_item: Mapping[str, Any],
              spec_operation: Mapping[str, Any], rules: Any, document_name: str,
              state: SeedState | None = None) -> OperationOutcome:

    params = dict(state.params) if state is not None else {}
    request = seed_request(provider, operation, document, path_item, spec_operation,
                           {name: value for name, value in params.items() if not name.startswith("$")})
    status, key = success_response(spec_operation)
    response_spec = resolve(document, (spec_operation.get("responses") or {}).get(key, {})) if key else {}
    media = _json_media(response_spec.get("content") or {}) if isinstance(response_spec, dict) else None

    def check(body: Any) -> list[Finding]:
        text = dump_json(body) if body is not None else ""
        content_type = "application/json" if body is not None else ""
        return validate_response(provider, operation, status, {"Content-Type": content_type}, text.encode())

    problems: list[Finding] = []
    rejected = ""
    for body, source, repaired in _candidate_bodies(document, media, check):
        body = echo_state(body, params, document) if params and body is not None else body
        problems = check(body)
        if not problems:
            headers = {"Content-Type": ("application/json",)} if body is not None else {}
            text = dump_json(body) if body is not None else ""
            response = RecordedResponse(status, headers, text, _reason(status))
            interaction = finish_interaction(RecordedInteraction(request, response), rules, operation.name)
            metadata = _metadata(provider, operation, source, document_name)
            if rejected:  # say why the published example is not what the cassette answers
                metadata["example_rejected"] = rejected
            if repaired:  # the published example, except these values the registered schema rejects
                metadata["example_repaired"] = repaired
            if state is not None:
                metadata["state"] = {"name": state.name, "params": params}
            path = _seed_path(provider, operation, state)
            return compare_and_write(provider, operation, path, Cassette(path, (interaction,), metadata))  # type: ignore[arg-type]
        if source == "openapi-example" and not rejected and not repaired:
            rejected = f"{problems[0].location}: {problems[0].message}"[:300]
    detail = "; ".join(f"{p.location}: {p.message}" for p in problems[:3])
    return _failed(provider, operation, f"no example or schema instance fits the registered schema ({detail})")


def _candidate_bodies(document: Mapping[str, Any], media: Mapping[str, Any] | None,
                      check: Callable[[Any], list[Finding]]) -> Iterator[tuple[Any, str, list[str]]]:
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
        parts.append(name if name is not None else int(index) if index is not None else json.loads(quoted))
        rest = rest[match.end():]
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
            if path:
                _put(body, path, _state_value(name, value, document))
            continue
        for path in _shallowest(body, name):
            _put(body, path, value)
    return body


def _state_value(name: str, value: str, document: Mapping[str, Any] | None) -> Any:
    if name.endswith(":"):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise UsageError(f"state parameter {name}={value!r} is not JSON ({exc})") from exc
    if value.startswith("#/") and document is not None:
        return schema_instance(document, {"$ref": value})
    return value


def _shallowest(body: Any, name: str) -> list[list[str | int]]:
    """Paths of the string fields named `name` at the smallest depth where one exists, outside lists."""
    level: list[tuple[list[str | int], Any]] = [([], body)]
    while level:
        found = [path + [name] for path, node in level
                 if isinstance(node, dict) and isinstance(node.get(name), str)]
        if found:
            return found
        level = [(path + [key], child) for path, node in level if isinstance(node, dict)
                 for key, child in node.items() if isinstance(child, dict)]
    return []


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _metadata(provider: Provider, operation: Operation, source: str, document_name: str) -> dict[str, Any]:
    return {"provider": provider.name, "operation": operation.name, "source": source,
            "recorded_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "toolkit": f"contractkit {TOOLKIT_VERSION}",
            "spec": document_name or (provider.spec_source.document if provider.spec_source else "")}


# ---------------------------------------------------------------- AWS from botocore shapes


def botocore_instance(shape: Any, depth: int = 0) -> Any:
    """A value that fits a botocore shape (structures with every member to a depth, lists of one)."""
    kind = shape.type_name
    if kind == "structure":
        if depth >= MAX_DEPTH:
            return {name: botocore_instance(member, depth + 1) for name, member in shape.members.items()
                    if name in shape.required_members}
        return {name: botocore_instance(member, depth + 1) for name, member in shape.members.items()}
    if kind == "list":
        return [] if depth >= MAX_DEPTH else [botocore_instance(shape.member, depth + 1)]
    if kind == "map":
        return {}
    if kind == "string":
        return shape.enum[0] if shape.enum else _botocore_string(shape.metadata.get("pattern"))
    if kind in ("integer", "long"):
        return 1
    if kind in ("double", "float"):
        return 1.0
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return 1768469400
    return "ZXhhbXBsZQ=="  # blob


def _botocore_string(pattern: str | None) -> str:
    """A string that fits a botocore shape's pattern; match-anything patterns get a plain word."""
    if not pattern or pattern in ("[\\S\\s]*", ".*", "[\\s\\S]*"):
        return "example"
    try:
        return regex_instance(pattern)
    except (ValueError, RecursionError):
        return "example"


def seed_aws_operation(provider: Provider, operation: Operation, params: Mapping[str, Any], *,
                       force: bool = False, state: SeedState | None = None) -> OperationOutcome:
    """Seed a JSON-protocol AWS operation from botocore's output shape (for calls moto does not implement).

    With `state`, the variant for that provider state is written, its `$.`-path parameters set in the answer."""
    kept = _recorded_source(provider, operation, state)
    if kept and not force:
        return OperationOutcome(operation.name, "skipped", f"keeps the {kept} recording (use --force)")
    service = service_model(operation.service or "")
    model = service.operation_model(operation.aws_operation or "")
    if service.resolved_protocol != "json":
        return _failed(provider, operation, f"seeding from botocore supports JSON-protocol services, not {service.resolved_protocol}")
    version = service.metadata.get("jsonVersion", "1.0")
    target = f"{service.metadata['targetPrefix']}.{model.name}"
    request = RecordedRequest("POST", f"{_aws_origin(provider)}/", {
        "Content-Type": (f"application/x-amz-json-{version}",), "X-Amz-Target": (target,)}, json.dumps(dict(params), sort_keys=True,
                                                                                                    separators=(",", ":")))
    body = botocore_instance(model.output_shape) if model.output_shape is not None else {}
    if state is not None:
        body = echo_state(body, dict(state.params))
    response = RecordedResponse(200, {"Content-Type": (f"application/x-amz-json-{version}",)}, dump_json(body), "OK")
    interaction = finish_interaction(RecordedInteraction(request, response), scrub_rules(provider, {}), operation.name)
    metadata = {"provider": provider.name, "operation": operation.name, "source": "botocore-schema",
                "recorded_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "toolkit": f"contractkit {TOOLKIT_VERSION}",
                "call": {"service": operation.service, "operation": operation.aws_operation, "params": dict(params)}}
    if state is not None:
        metadata["state"] = {"name": state.name, "params": dict(state.params)}
    path = _seed_path(provider, operation, state)
    return compare_and_write(provider, operation, path, Cassette(path, (interaction,), metadata))


def _aws_origin(provider: Provider) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(provider.base_url)
    host = parts.hostname or "127.0.0.1"
    return f"{parts.scheme}://{host}" if host in ("127.0.0.1", "localhost") else f"{parts.scheme}://{parts.netloc}"


def load_document(path: Path) -> dict[str, Any]:
    """Load an OpenAPI 3 or Swagger 2.0 document (converted to OpenAPI 3)."""

    return load_spec_document(path)
