"""Refuse input that is not a description before diffing it: a bad schema keyword or a `$ref` of the wrong kind.

A schema whose `type` is 42 or whose `properties` is a string would otherwise compare as "accepts
anything" and the diff would say "no changes, ok". A response that `$ref`s a request body (PagerDuty's
2026 description does, twice) resolves by accident; it is reported with its JSON pointer, as an error,
or as a note with `--lenient`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from contractkit.core.errors import SchemaLoadError
from contractkit.diff.model import pointer_part
from contractkit.diff.schemas import is_same_json

__all__ = ["check_description", "check_schema", "iter_reference_problems", "iter_schema_problems"]

_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = (
    "items",
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "not",
    "propertyNames",
    "if",
    "then",
    "else",
)
_NUMBERS = (
    "maxLength",
    "minLength",
    "maximum",
    "minimum",
    "maxItems",
    "minItems",
    "maxProperties",
    "minProperties",
    "multipleOf",
    "maxContains",
    "minContains",
)
_COUNTS = (
    "maxLength",
    "minLength",
    "maxItems",
    "minItems",
    "maxProperties",
    "minProperties",
    "maxContains",
    "minContains",
)
# Where an OpenAPI object may be referenced from, and the components section it must come from.
_REFERENCE_KINDS = {
    "responses": "responses",
    "parameters": "parameters",
    "requestBody": "requestBodies",
    "headers": "headers",
}
_COMPONENT_SECTIONS = frozenset(
    {
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
    }
)


def check_description(
    document: dict[str, Any], display: str, *, lenient: bool = False, checked: dict[str, Any] | None = None
) -> tuple[str, ...]:
    """Raise SchemaLoadError at the first bad schema; misplaced `$ref`s raise too, or come back as notes when lenient.

    `checked` is the other side of a diff, checked already without a problem: a component schema or a path item
    that is the same JSON there has none either, and is not walked again.
    """
    for pointer, problem in _iter_document_schemas(document, checked or {}):
        raise SchemaLoadError(
            f"{pointer}: {problem}", file=display, hint="fix the schema; the diff compares only valid schemas"
        )
    notes = []
    for pointer, problem in iter_reference_problems(document):
        if not lenient:
            raise SchemaLoadError(
                f"{pointer}: {problem}",
                file=display,
                hint="point it at the right components section, or pass --lenient to diff anyway",
            )
        notes.append(f"{display}: {pointer}: {problem}")
    return tuple(notes)


def check_schema(schema: Any, display: str) -> None:
    """Raise SchemaLoadError at the first bad keyword of a plain JSON Schema document."""
    for pointer, problem in iter_schema_problems(schema, "#"):
        raise SchemaLoadError(
            f"{pointer}: {problem}", file=display, hint="fix the schema; the diff compares only valid schemas"
        )


def _iter_document_schemas(document: dict[str, Any], checked: dict[str, Any]) -> Iterator[tuple[str, str]]:
    components: dict[str, Any] = document["components"] if isinstance(document.get("components"), dict) else {}
    schemas = components.get("schemas")
    if schemas is not None and not isinstance(schemas, dict):
        yield "#/components/schemas", f"expected a mapping of schemas, got {_kind(schemas)}"
        return
    known = _mapping(_mapping(checked.get("components")).get("schemas"))
    for name, schema in (schemas or {}).items():
        if not (name in known and is_same_json(known[name], schema)):
            yield from iter_schema_problems(schema, f"#/components/schemas/{pointer_part(str(name))}")
    paths = document.get("paths") or {}
    known = _mapping(checked.get("paths"))
    if isinstance(paths, dict) and known:
        same = {path for path, item in paths.items() if path in known and is_same_json(known[path], item)}
        paths = {path: item for path, item in paths.items() if path not in same}
    yield from _iter_embedded(paths, "#/paths")
    for section in ("parameters", "requestBodies", "responses", "headers"):
        yield from _iter_embedded(components.get(section) or {}, f"#/components/{section}")


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _iter_embedded(node: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """Schemas under `schema` keys of operations, parameters, media types and headers (examples skipped)."""
    stack = [(node, pointer)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, dict):
            for key, value in current.items():
                key = str(key)
                if key == "schema":
                    yield from iter_schema_problems(value, f"{where}/schema")
                elif isinstance(value, (dict, list)) and key not in ("example", "examples") and key[:2] != "x-":
                    stack.append((value, f"{where}/{pointer_part(key)}"))  # prose and scalars hold no schema
        elif isinstance(current, list):
            stack.extend(
                (value, f"{where}/{index}") for index, value in enumerate(current) if isinstance(value, (dict, list))
            )


def iter_schema_problems(schema: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """(JSON pointer, problem) for every malformed keyword in a schema and its sub-schemas."""
    stack = [(schema, pointer)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, bool):
            continue
        if not isinstance(current, dict):
            yield where, f"expected a schema (a mapping or a boolean), got {_kind(current)}"
            continue
        yield from _keyword_problems(current, where)
        stack.extend(_sub_schemas(current, where))


def _keyword_problems(schema: dict[str, Any], where: str) -> Iterator[tuple[str, str]]:
    kind = schema.get("type")
    if kind is not None and not _valid_type(kind):
        yield f"{where}/type", f"expected one of {', '.join(sorted(_TYPES))} or a list of them, got {kind!r}"
    for key in _SCHEMA_MAPS:
        if key in schema and not isinstance(schema[key], dict):
            yield f"{where}/{key}", f"expected a mapping of schemas, got {_kind(schema[key])}"
    for key in _SCHEMA_LISTS + ("enum",):
        if key in schema and not isinstance(schema[key], list):
            yield f"{where}/{key}", f"expected a list, got {_kind(schema[key])}"
    if "required" in schema and not isinstance(schema["required"], (list, bool)):
        yield f"{where}/required", f"expected a list of property names, got {_kind(schema['required'])}"
    elif isinstance(schema.get("required"), list) and not all(isinstance(name, str) for name in schema["required"]):
        yield f"{where}/required", f"expected a list of property names (strings), got {schema['required']!r}"
    for key in _NUMBERS:
        if key in schema and (isinstance(schema[key], bool) or not isinstance(schema[key], (int, float))):
            yield f"{where}/{key}", f"expected a number, got {schema[key]!r}"
        elif key in _COUNTS and key in schema and (schema[key] < 0 or not float(schema[key]).is_integer()):
            yield f"{where}/{key}", f"expected a count (a whole number, 0 or more), got {schema[key]!r}"
    if (
        isinstance(schema.get("multipleOf"), (int, float))
        and not isinstance(schema["multipleOf"], bool)
        and schema["multipleOf"] <= 0
    ):
        yield f"{where}/multipleOf", f"expected a number greater than 0, got {schema['multipleOf']!r}"
    if "$ref" in schema and not isinstance(schema["$ref"], str):
        yield f"{where}/$ref", f"expected a string, got {_kind(schema['$ref'])}"


def _valid_type(kind: Any) -> bool:
    if isinstance(kind, str):
        return kind in _TYPES
    return isinstance(kind, list) and all(isinstance(item, str) and item in _TYPES for item in kind)


def _sub_schemas(schema: dict[str, Any], where: str) -> Iterator[tuple[Any, str]]:
    for key in _SCHEMA_MAPS:
        if isinstance(schema.get(key), dict):
            yield from ((value, f"{where}/{key}/{pointer_part(str(name))}") for name, value in schema[key].items())
    for key in _SCHEMA_LISTS:
        if isinstance(schema.get(key), list):
            yield from ((value, f"{where}/{key}/{index}") for index, value in enumerate(schema[key]))
    for key in _SCHEMA_ONE:
        if key in schema and not (key == "items" and isinstance(schema[key], list)):
            yield schema[key], f"{where}/{key}"


def iter_reference_problems(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """`$ref`s in operations that point into the wrong components section (a response to a request body)."""
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            base = f"#/paths/{pointer_part(str(path))}/{method}"
            yield from _misplaced(operation.get("requestBody"), "requestBody", f"{base}/requestBody")
            for index, parameter in enumerate(operation.get("parameters") or []):
                yield from _misplaced(parameter, "parameters", f"{base}/parameters/{index}")
            for status, response in (operation.get("responses") or {}).items():
                where = f"{base}/responses/{pointer_part(str(status))}"
                yield from _misplaced(response, "responses", where)
                headers = response.get("headers") if isinstance(response, dict) else None
                for name, header in (headers or {}).items():
                    yield from _misplaced(header, "headers", f"{where}/headers/{pointer_part(str(name))}")


def _misplaced(node: Any, role: str, where: str) -> Iterator[tuple[str, str]]:
    if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
        return
    parts = node["$ref"].split("/")
    expected = _REFERENCE_KINDS[role]
    if (
        len(parts) >= 3
        and parts[:2] == ["#", "components"]
        and parts[2] in _COMPONENT_SECTIONS
        and parts[2] != expected
    ):
        problem = (
            f"a {_ROLE_WORDS[role]} refers to {node['$ref']!r}, which is in components/{parts[2]}; "
            f"expected a reference into #/components/{expected}"
        )
        yield f"{where}/$ref", problem


_ROLE_WORDS = {"responses": "response", "parameters": "parameter", "requestBody": "request body", "headers": "header"}


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return f"a string ({value[:40]!r})"
    return type(value).__name__ if value is not None else "null"
