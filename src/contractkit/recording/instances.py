"""Values a description implies: schema instances, parameter values, and the requests and responses of an
operation, used to seed cassettes where nothing can be recorded."""

from __future__ import annotations

import json
from typing import Any, Mapping
from urllib.parse import quote, urlencode

from contractkit.cassettes import RecordedRequest
from contractkit.core.errors import SchemaLoadError
from contractkit.core.loading import parse_json_value
from contractkit.core.model import Operation, Provider
from contractkit.openapi import resolve_pointer
from contractkit.secrets import dump_json

__all__ = [
    "MAX_DEPTH",
    "json_media",
    "media_example",
    "minimal_instance",
    "parameter_value",
    "regex_instance",
    "resolve",
    "schema_instance",
    "seed_request",
    "success_response",
]

MAX_DEPTH = 7
_SUCCESS_ORDER = ("200", "201", "202", "203", "204", "2XX", "default")


def resolve(document: Mapping[str, Any], node: Any) -> Any:
    """Follow `$ref`s (internal only) until a node without one."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 50:
        ref = node["$ref"]
        try:
            node, seen = resolve_pointer(dict(document), ref), seen + 1
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise SchemaLoadError(
                f"$ref {ref!r} does not resolve inside the document",
                key_path=tuple(part for part in str(ref).lstrip("#/").split("/") if part),
            ) from exc
    return node


def schema_instance(
    document: Mapping[str, Any],
    schema: Any,
    *,
    depth: int = 0,
    refs: tuple[str, ...] = (),
    examples: bool = True,
    required_only: bool = False,
) -> Any:
    """A value that fits the schema: examples, enums and formats where given, every property to a depth
    (only the required ones with `required_only`: the smallest body a schema accepts)."""
    if isinstance(schema, dict) and "$ref" in schema:
        ref = schema["$ref"]
        if ref in refs:  # a cycle: stop with the smallest value of the right kind
            return _smallest(resolve(document, schema))
        return schema_instance(
            document,
            resolve(document, schema),
            depth=depth,
            refs=refs + (ref,),
            examples=examples,
            required_only=required_only,
        )
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
            value = schema_instance(
                document, part, depth=depth, refs=refs, examples=examples, required_only=required_only
            )
            if isinstance(value, dict):
                merged.update(value)
        return merged
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return schema_instance(
                document, schema[key][0], depth=depth, refs=refs, examples=examples, required_only=required_only
            )
    return _typed_instance(document, schema, depth, refs, examples, required_only)


def minimal_instance(document: Mapping[str, Any], schema: Any) -> Any:
    """The smallest value a schema accepts, built without the document's examples: required properties only."""
    return schema_instance(document, schema, examples=False, required_only=True)


def _typed_instance(
    document: Mapping[str, Any],
    schema: dict[str, Any],
    depth: int,
    refs: tuple[str, ...],
    examples: bool,
    required_only: bool = False,
) -> Any:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((item for item in kind if item != "null"), "null")
    if kind == "object" or (kind is None and "properties" in schema):
        return _object_instance(document, schema, depth, refs, examples, required_only)
    if kind == "array":
        if depth >= MAX_DEPTH:
            return []
        count = max(1, int(schema.get("minItems", 1) or 1))
        return [
            schema_instance(
                document,
                schema.get("items", {}),
                depth=depth + 1,
                refs=refs,
                examples=examples,
                required_only=required_only,
            )
            for _ in range(count)
        ]
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
    return any(
        isinstance(item, dict) and (item.get("type") == "null" or item.get("enum") == [None]) for item in alternatives
    )


def _object_instance(
    document: Mapping[str, Any],
    schema: dict[str, Any],
    depth: int,
    refs: tuple[str, ...],
    examples: bool,
    required_only: bool = False,
) -> dict[str, Any]:
    required = set(schema.get("required", ()))
    result = {}
    for name, sub in (schema.get("properties") or {}).items():
        if (depth >= MAX_DEPTH or required_only) and name not in required:
            continue
        if name not in required and isinstance(sub, dict) and sub.get("$ref") in refs:
            continue  # an optional self-reference: leave it out rather than recurse
        result[name] = schema_instance(
            document, sub, depth=depth + 1, refs=refs, examples=examples, required_only=required_only
        )
    for name in sorted(required - result.keys()):  # required but not described: a string is the usual case
        result[name] = "example"
    return result


_FORMATS = {
    "date-time": "2026-01-15T09:30:00Z",
    "date": "2026-01-15",
    "uri": "https://example.com/resource",
    "url": "https://example.com/resource",
    "email": "user@example.com",
    "uuid": "0b9ed7b2-6d3c-4f7e-9c7b-2f2f6f1d1a11",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "int64": "1",
    "byte": "ZXhhbXBsZQ==",
    "uri-template": "https://example.com/{id}",
    "time": "09:30:00Z",
}


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
    return {"array": [], "string": "example", "integer": 1, "number": 1.0, "boolean": True}.get(str(kind), {})


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


def _parameters(
    document: Mapping[str, Any], path_item: Mapping[str, Any], operation: Mapping[str, Any]
) -> list[dict[str, Any]]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in list(path_item.get("parameters", ())) + list(operation.get("parameters", ())):
        parameter = resolve(document, raw)
        merged[(parameter.get("in", ""), parameter.get("name", ""))] = parameter
    return list(merged.values())


def seed_request(
    provider: Provider,
    operation: Operation,
    document: Mapping[str, Any],
    path_item: Mapping[str, Any],
    spec_operation: Mapping[str, Any],
    params: Mapping[str, str] | None = None,
) -> RecordedRequest:
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
    origin = (
        provider.base_url[: len(provider.base_url) - len(provider.base_path)]
        if provider.base_path
        else provider.base_url
    )
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
    media = json_media(body.get("content") or {})
    if media is None:
        return None
    example, _ = media_example(document, media)
    return dump_json(example)


def json_media(content: Mapping[str, Any]) -> Mapping[str, Any] | None:
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
            return parse_json_value(example)
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
