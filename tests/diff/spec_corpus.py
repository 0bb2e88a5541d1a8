"""Description pairs taken from the OpenAPI 3.0/3.1 and JSON Schema 2020-12 specifications, keyword by keyword.

Each pair says which rule fires and whether the change breaks a client, read in both directions (a request body
a client sends, a response it reads), at body and property level, inside arrays and behind `$ref`s, and, for the
operation keywords (parameters, content types, headers, links, callbacks, security, deprecation), in whole
documents. The split is fixed by position: every pair whose index % 3 == 2 is held out (its id ends in
"-heldout") and is read only to measure, never to tune the differ.

A case is a dict: `id`, `keyword`, `old` and `new` (OpenAPI documents), `rule` (the rule that must be reported,
None for no change of note) and `breaking` (the verdict), or `refused: True` for a description the diff must
refuse to compare.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["CASES", "HELD_OUT", "TUNING"]

_INFO = {"title": "spec pair", "version": "1"}

# The schema at the heart of a pair sits in one of these places; each names the rule side (body or property).
_POSITIONS = {
    "body": "body",
    "property": "property",
    "items": "property",
    "ref": "property",
}


def _placed(schema: Any, position: str) -> tuple[Any, dict[str, Any]]:
    """(body schema, components) holding `schema` at a position."""
    if position == "body":
        return schema, {}
    if position == "property":
        return {"type": "object", "properties": {"x": schema}}, {}
    if position == "items":
        return {"type": "array", "items": schema}, {}
    return {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/Thing"}}}, {"Thing": schema}


def _document(body: Any, components: dict[str, Any], direction: str, version: str) -> dict[str, Any]:
    media = {"application/json": {"schema": body}}
    if direction == "request":
        operation = {
            "post": {"requestBody": {"required": True, "content": media}, "responses": {"204": {"description": "ok"}}}
        }
    else:
        operation = {"get": {"responses": {"200": {"description": "ok", "content": media}}}}
    document: dict[str, Any] = {"openapi": version, "info": dict(_INFO), "paths": {"/things": operation}}
    if components:
        document["components"] = {"schemas": components}
    return document


def _spec(
    paths: dict[str, Any], components: dict[str, Any] | None = None, version: str = "3.0.3", **top: Any
) -> dict[str, Any]:
    document: dict[str, Any] = {"openapi": version, "info": dict(_INFO), "paths": paths, **top}
    if components:
        document["components"] = components
    return document


# ---------------------------------------------------------------- schema keywords, both directions
# (keyword, name, old schema, new schema, request (suffix, breaking), response (suffix, breaking), positions, version)
# A suffix of None means nothing of note is reported; presence suffixes name a property rule, and `nested:` a
# change below the edited schema (its items, a tuple position, its additional properties).

_OBJ_A = {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}
_OBJ_B = {"type": "object", "required": ["b"], "properties": {"b": {"type": "integer"}}}
_OBJ_C = {"type": "object", "required": ["c"], "properties": {"c": {"type": "boolean"}}}
_ALL = ("body", "property", "items", "ref")
_SOME = ("body", "property")
_DEEP = ("items", "ref")

_SCHEMA_EDITS: list[
    tuple[str, str, Any, Any, tuple[str | None, bool], tuple[str | None, bool], tuple[str, ...], str]
] = [
    (
        "oneOf",
        "branch removed",
        {"oneOf": [_OBJ_A, _OBJ_B]},
        {"oneOf": [_OBJ_A]},
        ("alternative-removed", True),
        ("alternative-removed", False),
        _ALL,
        "3.0.3",
    ),
    (
        "anyOf",
        "branch removed",
        {"anyOf": [_OBJ_A, _OBJ_B, _OBJ_C]},
        {"anyOf": [_OBJ_A, _OBJ_C]},
        ("alternative-removed", True),
        ("alternative-removed", False),
        _ALL,
        "3.0.3",
    ),
    (
        "oneOf",
        "branch added",
        {"oneOf": [_OBJ_A, _OBJ_B]},
        {"oneOf": [_OBJ_A, _OBJ_B, _OBJ_C]},
        ("alternative-added", False),
        ("alternative-added", True),
        _ALL,
        "3.0.3",
    ),
    (
        "anyOf",
        "branch added",
        {"anyOf": [_OBJ_A]},
        {"anyOf": [_OBJ_A, _OBJ_B]},
        ("alternative-added", False),
        ("alternative-added", True),
        _ALL,
        "3.0.3",
    ),
    (
        "oneOf",
        "primitive branch removed",
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"oneOf": [{"type": "string"}]},
        ("alternative-removed", True),
        ("alternative-removed", False),
        _SOME,
        "3.0.3",
    ),
    (
        "anyOf",
        "primitive branch added",
        {"anyOf": [{"type": "string"}]},
        {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        ("alternative-added", False),
        ("alternative-added", True),
        _SOME,
        "3.0.3",
    ),
    (
        "allOf",
        "member with a required property added",
        {"allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}]},
        {
            "allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}},
                {"type": "object", "required": ["t"], "properties": {"t": {"type": "string"}}},
            ]
        },
        ("added-required", True),
        ("added", False),
        _SOME,
        "3.0.3",
    ),
    (
        "allOf",
        "member with a required property removed",
        {
            "allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}},
                {"type": "object", "required": ["t"], "properties": {"t": {"type": "string"}}},
            ]
        },
        {"allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}]},
        ("removed", False),
        ("removed", True),
        _SOME,
        "3.0.3",
    ),
    (
        "const",
        "string const changed",
        {"type": "string", "const": "v1"},
        {"type": "string", "const": "v2"},
        ("const-changed", True),
        ("const-changed", True),
        _ALL,
        "3.1.0",
    ),
    (
        "const",
        "integer const changed",
        {"type": "integer", "const": 1},
        {"type": "integer", "const": 2},
        ("const-changed", True),
        ("const-changed", True),
        _SOME,
        "3.1.0",
    ),
    (
        "const",
        "const added",
        {"type": "string"},
        {"type": "string", "const": "v1"},
        ("enum-value-removed", True),
        (None, False),
        _SOME,
        "3.1.0",
    ),
    (
        "const",
        "const removed",
        {"type": "string", "const": "v1"},
        {"type": "string"},
        (None, False),
        ("enum-value-added", False),
        _SOME,
        "3.1.0",
    ),
    (
        "enum",
        "value removed",
        {"type": "string", "enum": ["a", "b", "c"]},
        {"type": "string", "enum": ["a", "b"]},
        ("enum-value-removed", True),
        (None, False),
        _ALL,
        "3.0.3",
    ),
    (
        "enum",
        "value added",
        {"type": "string", "enum": ["a", "b"]},
        {"type": "string", "enum": ["a", "b", "c"]},
        (None, False),
        ("enum-value-added", False),
        _SOME,
        "3.0.3",
    ),
    (
        "enum",
        "single value enum written as const",
        {"type": "string", "enum": ["a"]},
        {"type": "string", "const": "a"},
        (None, False),
        (None, False),
        _SOME,
        "3.1.0",
    ),
    (
        "pattern",
        "pattern added",
        {"type": "string"},
        {"type": "string", "pattern": "^[a-z]+$"},
        ("constraint-tightened", True),
        (None, False),
        _ALL,
        "3.0.3",
    ),
    (
        "pattern",
        "pattern changed to one not provably narrower",
        {"type": "string", "pattern": "^[a-z]+$"},
        {"type": "string", "pattern": "^[a-z0-9_-]{1,40}$"},
        ("pattern-changed", False),
        ("pattern-changed", False),
        _SOME,
        "3.0.3",
    ),
    (
        "pattern",
        "pattern removed",
        {"type": "string", "pattern": "^[a-z]+$"},
        {"type": "string"},
        (None, False),
        ("constraint-loosened", True),
        _SOME,
        "3.0.3",
    ),
    (
        "format",
        "format added",
        {"type": "string"},
        {"type": "string", "format": "uuid"},
        ("format-changed", True),
        (None, False),
        _SOME,
        "3.0.3",
    ),
    (
        "format",
        "integer format widened",
        {"type": "integer", "format": "int32"},
        {"type": "integer", "format": "int64"},
        (None, False),
        ("format-changed", False),
        _SOME,
        "3.0.3",
    ),
    (
        "unevaluatedProperties",
        "unevaluatedProperties false added",
        {"type": "object", "properties": {"a": {"type": "string"}}},
        {"type": "object", "properties": {"a": {"type": "string"}}, "unevaluatedProperties": False},
        ("additional-properties-restricted", True),
        (None, False),
        _ALL,
        "3.1.0",
    ),
    (
        "unevaluatedProperties",
        "unevaluatedProperties false dropped",
        {"type": "object", "properties": {"a": {"type": "string"}}, "unevaluatedProperties": False},
        {"type": "object", "properties": {"a": {"type": "string"}}},
        (None, False),
        ("additional-properties-allowed", True),
        _SOME,
        "3.1.0",
    ),
    (
        "unevaluatedProperties",
        "unevaluatedProperties schema narrowed",
        {"type": "object", "unevaluatedProperties": {"type": ["string", "integer"]}},
        {"type": "object", "unevaluatedProperties": {"type": "string"}},
        ("nested:type-changed", True),
        (None, False),
        _SOME,
        "3.1.0",
    ),
    (
        "unevaluatedItems",
        "unevaluatedItems false added after prefixItems",
        {"type": "array", "prefixItems": [{"type": "string"}]},
        {"type": "array", "prefixItems": [{"type": "string"}], "unevaluatedItems": False},
        ("constraint-tightened", True),
        (None, False),
        _SOME,
        "3.1.0",
    ),
    (
        "unevaluatedItems",
        "unevaluatedItems false dropped",
        {"type": "array", "prefixItems": [{"type": "string"}], "unevaluatedItems": False},
        {"type": "array", "prefixItems": [{"type": "string"}]},
        (None, False),
        ("constraint-loosened", True),
        _SOME,
        "3.1.0",
    ),
    (
        "additionalProperties",
        "additionalProperties false added",
        {"type": "object", "properties": {"a": {"type": "string"}}},
        {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False},
        ("additional-properties-restricted", True),
        (None, False),
        _SOME,
        "3.0.3",
    ),
    (
        "additionalProperties",
        "additionalProperties value type narrowed",
        {"type": "object", "additionalProperties": {"type": "string"}},
        {"type": "object", "additionalProperties": {"type": "string", "maxLength": 10}},
        ("nested:constraint-tightened", True),
        (None, False),
        _SOME,
        "3.0.3",
    ),
    (
        "items",
        "items type changed",
        {"type": "array", "items": {"type": "string"}},
        {"type": "array", "items": {"type": "integer"}},
        ("nested:type-changed", True),
        ("nested:type-changed", True),
        _SOME,
        "3.0.3",
    ),
    (
        "prefixItems",
        "tuple position type changed",
        {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
        {"type": "array", "prefixItems": [{"type": "string"}, {"type": "string"}]},
        ("nested:type-changed", True),
        ("nested:type-changed", True),
        _SOME,
        "3.1.0",
    ),
    (
        "minimum",
        "minimum raised",
        {"type": "integer", "minimum": 1},
        {"type": "integer", "minimum": 5},
        ("constraint-tightened", True),
        (None, False),
        _ALL,
        "3.0.3",
    ),
    (
        "minimum",
        "minimum lowered",
        {"type": "integer", "minimum": 5},
        {"type": "integer", "minimum": 1},
        (None, False),
        ("constraint-loosened", True),
        _SOME,
        "3.0.3",
    ),
    (
        "maximum",
        "maximum raised",
        {"type": "integer", "maximum": 10},
        {"type": "integer", "maximum": 100},
        (None, False),
        ("constraint-loosened", True),
        _SOME,
        "3.0.3",
    ),
    (
        "maximum",
        "maximum lowered",
        {"type": "integer", "maximum": 100},
        {"type": "integer", "maximum": 10},
        ("constraint-tightened", True),
        (None, False),
        _SOME,
        "3.0.3",
    ),
    (
        "exclusiveMinimum",
        "3.0 exclusiveMinimum flag set",
        {"type": "number", "minimum": 0},
        {"type": "number", "minimum": 0, "exclusiveMinimum": True},
        ("constraint-tightened", True),
        (None, False),
        _SOME,
        "3.0.3",
    ),
    (
        "maximum",
        "maximum equal to the int32 range removed",
        {"type": "integer", "format": "int32", "maximum": 2147483647},
        {"type": "integer", "format": "int32"},
        (None, False),
        (None, False),
        _SOME,
        "3.0.3",
    ),
    (
        "maxLength",
        "maxLength raised",
        {"type": "string", "maxLength": 40},
        {"type": "string", "maxLength": 80},
        (None, False),
        ("constraint-loosened", True),
        _SOME,
        "3.0.3",
    ),
    (
        "maxLength",
        "maxLength lowered",
        {"type": "string", "maxLength": 80},
        {"type": "string", "maxLength": 40},
        ("constraint-tightened", True),
        (None, False),
        _ALL,
        "3.0.3",
    ),
    (
        "maxLength",
        "maxLength removed where an enum fixes the values",
        {"type": "string", "enum": ["on", "off"], "maxLength": 3},
        {"type": "string", "enum": ["on", "off"]},
        (None, False),
        (None, False),
        _SOME,
        "3.0.3",
    ),
    (
        "minItems",
        "minItems raised",
        {"type": "array", "items": {"type": "string"}},
        {"type": "array", "items": {"type": "string"}, "minItems": 1},
        ("constraint-tightened", True),
        (None, False),
        _SOME,
        "3.0.3",
    ),
    (
        "maxItems",
        "maxItems raised",
        {"type": "array", "items": {"type": "string"}, "maxItems": 10},
        {"type": "array", "items": {"type": "string"}, "maxItems": 50},
        (None, False),
        ("constraint-loosened", True),
        _SOME,
        "3.0.3",
    ),
    (
        "multipleOf",
        "multipleOf changed to a non-multiple",
        {"type": "integer", "multipleOf": 2},
        {"type": "integer", "multipleOf": 3},
        ("constraint-tightened", True),
        ("constraint-loosened", True),
        _SOME,
        "3.0.3",
    ),
    (
        "nullable",
        "nullable added (3.0)",
        {"type": "string"},
        {"type": "string", "nullable": True},
        (None, False),
        ("became-nullable", True),
        _ALL,
        "3.0.3",
    ),
    (
        "nullable",
        "nullable removed (3.0)",
        {"type": "string", "nullable": True},
        {"type": "string"},
        ("became-not-nullable", True),
        (None, False),
        _SOME,
        "3.0.3",
    ),
    (
        "type",
        "null added to a type list (3.1)",
        {"type": "string"},
        {"type": ["string", "null"]},
        (None, False),
        ("became-nullable", True),
        _SOME,
        "3.1.0",
    ),
    (
        "type",
        "nullable written as a type list (3.0 to 3.1)",
        {"type": "string", "nullable": True},
        {"type": ["string", "null"]},
        (None, False),
        (None, False),
        _SOME,
        "3.1.0",
    ),
    (
        "type",
        "type list narrowed",
        {"type": ["string", "integer"]},
        {"type": "string"},
        ("type-changed", True),
        (None, False),
        _SOME,
        "3.1.0",
    ),
    (
        "required",
        "required property added",
        {"type": "object", "properties": {"a": {"type": "string"}}},
        {"type": "object", "required": ["b"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}}},
        ("added-required", True),
        ("added", False),
        _ALL,
        "3.0.3",
    ),
    (
        "required",
        "property became optional",
        {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
        {"type": "object", "properties": {"a": {"type": "string"}}},
        ("became-optional", False),
        ("became-optional", True),
        _ALL,
        "3.0.3",
    ),
    (
        "required",
        "required name without a property made optional",
        {"type": "object", "required": ["a", "id"], "properties": {"a": {"type": "string"}}},
        {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
        (None, False),
        ("became-optional", True),
        _SOME,
        "3.0.3",
    ),
    (
        "readOnly",
        "required readOnly property added",
        {"type": "object", "properties": {"a": {"type": "string"}}},
        {
            "type": "object",
            "required": ["id"],
            "properties": {"a": {"type": "string"}, "id": {"type": "string", "readOnly": True}},
        },
        (None, False),
        ("added", False),
        _SOME,
        "3.0.3",
    ),
    (
        "writeOnly",
        "writeOnly property removed",
        {"type": "object", "properties": {"a": {"type": "string"}, "secret": {"type": "string", "writeOnly": True}}},
        {"type": "object", "properties": {"a": {"type": "string"}}},
        ("removed", False),
        (None, False),
        _SOME,
        "3.0.3",
    ),
    (
        "discriminator",
        "discriminator property renamed",
        {"oneOf": [_OBJ_A, _OBJ_B], "discriminator": {"propertyName": "kind"}},
        {"oneOf": [_OBJ_A, _OBJ_B], "discriminator": {"propertyName": "type"}},
        ("discriminator-property-changed", True),
        ("discriminator-property-changed", True),
        _SOME,
        "3.0.3",
    ),
]


def _schema_cases() -> list[dict[str, Any]]:
    cases = []
    for keyword, name, old, new, request, response, positions, version in _SCHEMA_EDITS:
        for direction, (suffix, breaking) in (("request", request), ("response", response)):
            for position in positions:
                old_body, old_components = _placed(copy.deepcopy(old), position)
                new_body, new_components = _placed(copy.deepcopy(new), position)
                cases.append(
                    {
                        "keyword": keyword,
                        "name": f"{name} [{direction} {position}]",
                        "old": _document(old_body, old_components, direction, version),
                        "new": _document(new_body, new_components, direction, version),
                        "rule": _rule(direction, _POSITIONS[position], suffix),
                        "breaking": breaking,
                    }
                )
    return cases


_PRESENCE = {"added", "added-required", "removed", "became-optional", "became-required", "optional-property-removed"}


def _rule(direction: str, level: str, suffix: str | None) -> str | None:
    """The rule a suffix names at a level (body or property); `nested:` marks a change below the edited schema."""
    if suffix is None:
        return None
    if suffix.startswith("nested:"):
        level, suffix = "property", suffix.removeprefix("nested:")
    if suffix in _PRESENCE:
        return f"{direction}-property-{suffix}" if suffix != "optional-property-removed" else f"{direction}-{suffix}"
    return f"{direction}-{level}-{suffix}"


# ---------------------------------------------------------------- pattern in more schema positions (request)


def _pattern_positions() -> list[dict[str, Any]]:
    plain, patterned = {"type": "string"}, {"type": "string", "pattern": "^[A-Z]{3}$"}
    shapes = {
        "array items": lambda s: {"type": "object", "properties": {"tags": {"type": "array", "items": s}}},
        "additionalProperties": lambda s: {"type": "object", "additionalProperties": s},
        "allOf member": lambda s: {"allOf": [{"type": "object", "properties": {"code": s}}]},
        "nested object": lambda s: {
            "type": "object",
            "properties": {"outer": {"type": "object", "properties": {"code": s}}},
        },
    }
    cases = []
    for where, build in shapes.items():
        cases.append(
            {
                "keyword": "pattern",
                "name": f"pattern added in {where} [request]",
                "old": _document(build(plain), {}, "request", "3.0.3"),
                "new": _document(build(patterned), {}, "request", "3.0.3"),
                "rule": "request-property-constraint-tightened",
                "breaking": True,
            }
        )
    for version in ("3.0.3", "3.1.0"):
        cases.append(
            {
                "keyword": "pattern",
                "name": f"pattern added to a $ref'd component ({version}) [request]",
                "old": _document(
                    {"$ref": "#/components/schemas/Code"},
                    {"Code": {"type": "object", "properties": {"c": plain}}},
                    "request",
                    version,
                ),
                "new": _document(
                    {"$ref": "#/components/schemas/Code"},
                    {"Code": {"type": "object", "properties": {"c": patterned}}},
                    "request",
                    version,
                ),
                "rule": "request-property-constraint-tightened",
                "breaking": True,
            }
        )
    for where in ("query", "header", "path"):
        cases.append(
            {
                "keyword": "pattern",
                "name": f"pattern added to a {where} parameter",
                "old": _spec(_parameter_paths(where, plain)),
                "new": _spec(_parameter_paths(where, patterned)),
                "rule": "request-parameter-constraint-tightened",
                "breaking": True,
            }
        )
    cases.append(
        {
            "keyword": "pattern",
            "name": "pattern added to a $ref'd parameter",
            "old": _spec(
                {
                    "/things": {
                        "get": {
                            "parameters": [{"$ref": "#/components/parameters/Code"}],
                            "responses": {"200": {"description": "ok"}},
                        }
                    }
                },
                {"parameters": {"Code": {"name": "code", "in": "query", "schema": plain}}},
            ),
            "new": _spec(
                {
                    "/things": {
                        "get": {
                            "parameters": [{"$ref": "#/components/parameters/Code"}],
                            "responses": {"200": {"description": "ok"}},
                        }
                    }
                },
                {"parameters": {"Code": {"name": "code", "in": "query", "schema": patterned}}},
            ),
            "rule": "request-parameter-constraint-tightened",
            "breaking": True,
        }
    )
    return cases


def _parameter_paths(where: str, schema: Any, **extra: Any) -> dict[str, Any]:
    path = "/things/{code}" if where == "path" else "/things"
    parameter = {"name": "code", "in": where, "required": where == "path", "schema": schema, **extra}
    return {path: {"get": {"parameters": [parameter], "responses": {"200": {"description": "ok"}}}}}


# ---------------------------------------------------------------- operations: parameters, content, headers, ...


def _op(**fields: Any) -> dict[str, Any]:
    return {"responses": {"200": {"description": "ok"}}, **fields}


def _body(schema: Any, media: str = "application/json") -> dict[str, Any]:
    return {"required": True, "content": {media: {"schema": schema}}}


def _ok(content: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    response: dict[str, Any] = {"description": "ok", **fields}
    if content is not None:
        response["content"] = content
    return {"200": response}


_ARRAY = {"type": "array", "items": {"type": "string"}}


def _callback(schema: Any) -> dict[str, Any]:
    """A subscription whose callback the provider calls with `schema` as the body: the client reads that body."""
    callback = {"post": {"requestBody": _body(schema), "responses": {"200": {"description": "ok"}}}}
    return _spec({"/subscriptions": {"post": _op(callbacks={"onEvent": {"{$request.body#/url}": callback}})}})


_KEY = {"type": "apiKey", "in": "header", "name": "X-Key"}
_OAUTH = {
    "type": "oauth2",
    "flows": {"clientCredentials": {"tokenUrl": "https://auth.example/token", "scopes": {"read": "r", "write": "w"}}},
}


def _operation_cases() -> list[dict[str, Any]]:
    rows: list[tuple[str, str, dict[str, Any], dict[str, Any], str | None, bool]] = [
        (
            "parameters",
            "query parameter style changed form to spaceDelimited",
            _spec(_parameter_paths("query", _ARRAY, style="form", explode=False)),
            _spec(_parameter_paths("query", _ARRAY, style="spaceDelimited", explode=False)),
            "request-parameter-serialization-changed",
            True,
        ),
        (
            "parameters",
            "query parameter explode turned off",
            _spec(_parameter_paths("query", _ARRAY)),
            _spec(_parameter_paths("query", _ARRAY, explode=False)),
            "request-parameter-serialization-changed",
            True,
        ),
        (
            "parameters",
            "explode written out with its default value",
            _spec(_parameter_paths("query", _ARRAY)),
            _spec(_parameter_paths("query", _ARRAY, style="form", explode=True)),
            None,
            False,
        ),
        (
            "parameters",
            "required query parameter added",
            _spec({"/things": {"get": _op()}}),
            _spec(
                {
                    "/things": {
                        "get": _op(
                            parameters=[{"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}]
                        )
                    }
                }
            ),
            "request-parameter-added-required",
            True,
        ),
        (
            "parameters",
            "optional header parameter added",
            _spec({"/things": {"get": _op()}}),
            _spec(
                {
                    "/things": {
                        "get": _op(parameters=[{"name": "X-Trace", "in": "header", "schema": {"type": "string"}}])
                    }
                }
            ),
            "request-parameter-added",
            False,
        ),
        (
            "parameters",
            "path parameter renamed only",
            _spec(
                {
                    "/things/{id}": {
                        "get": _op(
                            parameters=[{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
                        )
                    }
                }
            ),
            _spec(
                {
                    "/things/{thing_id}": {
                        "get": _op(
                            parameters=[
                                {"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}
                            ]
                        )
                    }
                }
            ),
            None,
            False,
        ),
        (
            "parameters",
            "query parameter moved to a header",
            _spec(
                {"/things": {"get": _op(parameters=[{"name": "token", "in": "query", "schema": {"type": "string"}}])}}
            ),
            _spec(
                {"/things": {"get": _op(parameters=[{"name": "token", "in": "header", "schema": {"type": "string"}}])}}
            ),
            "request-parameter-location-changed",
            True,
        ),
        (
            "content",
            "request media type removed",
            _spec(
                {
                    "/things": {
                        "post": _op(
                            requestBody={
                                "content": {
                                    "application/json": {"schema": {"type": "object"}},
                                    "application/xml": {"schema": {"type": "object"}},
                                }
                            }
                        )
                    }
                }
            ),
            _spec(
                {
                    "/things": {
                        "post": _op(requestBody={"content": {"application/json": {"schema": {"type": "object"}}}})
                    }
                }
            ),
            "request-content-type-removed",
            True,
        ),
        (
            "content",
            "request media type added",
            _spec(
                {
                    "/things": {
                        "post": _op(requestBody={"content": {"application/json": {"schema": {"type": "object"}}}})
                    }
                }
            ),
            _spec(
                {
                    "/things": {
                        "post": _op(
                            requestBody={
                                "content": {
                                    "application/json": {"schema": {"type": "object"}},
                                    "text/plain": {"schema": {"type": "string"}},
                                }
                            }
                        )
                    }
                }
            ),
            "request-content-type-added",
            False,
        ),
        (
            "content",
            "response media type removed",
            _spec(
                {
                    "/things": {
                        "get": {
                            "responses": _ok(
                                {
                                    "application/json": {"schema": {"type": "object"}},
                                    "text/csv": {"schema": {"type": "string"}},
                                }
                            )
                        }
                    }
                }
            ),
            _spec({"/things": {"get": {"responses": _ok({"application/json": {"schema": {"type": "object"}}})}}}),
            "response-content-type-removed",
            True,
        ),
        (
            "content",
            "response media type added",
            _spec({"/things": {"get": {"responses": _ok({"application/json": {"schema": {"type": "object"}}})}}}),
            _spec(
                {
                    "/things": {
                        "get": {
                            "responses": _ok(
                                {
                                    "application/json": {"schema": {"type": "object"}},
                                    "text/csv": {"schema": {"type": "string"}},
                                }
                            )
                        }
                    }
                }
            ),
            "response-content-type-added",
            False,
        ),
        (
            "content",
            "request body became required",
            _spec(
                {
                    "/things": {
                        "post": _op(requestBody={"content": {"application/json": {"schema": {"type": "object"}}}})
                    }
                }
            ),
            _spec({"/things": {"post": _op(requestBody=_body({"type": "object"}))}}),
            "request-body-became-required",
            True,
        ),
        (
            "headers",
            "required response header removed",
            _spec(
                {
                    "/things": {
                        "get": {"responses": _ok(headers={"ETag": {"required": True, "schema": {"type": "string"}}})}
                    }
                }
            ),
            _spec({"/things": {"get": {"responses": _ok()}}}),
            "response-header-removed",
            True,
        ),
        (
            "headers",
            "response header added",
            _spec({"/things": {"get": {"responses": _ok()}}}),
            _spec({"/things": {"get": {"responses": _ok(headers={"X-Rate": {"schema": {"type": "integer"}}})}}}),
            "response-header-added",
            False,
        ),
        (
            "headers",
            "response header type changed",
            _spec({"/things": {"get": {"responses": _ok(headers={"X-Rate": {"schema": {"type": "integer"}}})}}}),
            _spec({"/things": {"get": {"responses": _ok(headers={"X-Rate": {"schema": {"type": "string"}}})}}}),
            "response-header-type-changed",
            True,
        ),
        (
            "headers",
            "required response header became optional",
            _spec(
                {
                    "/things": {
                        "get": {"responses": _ok(headers={"ETag": {"required": True, "schema": {"type": "string"}}})}
                    }
                }
            ),
            _spec({"/things": {"get": {"responses": _ok(headers={"ETag": {"schema": {"type": "string"}}})}}}),
            "response-header-became-optional",
            True,
        ),
        (
            "links",
            "response link removed",
            _spec({"/things": {"get": {"responses": _ok(links={"next": {"operationId": "listThings"}})}}}),
            _spec({"/things": {"get": {"responses": _ok()}}}),
            None,
            False,
        ),
        (
            "callbacks",
            "callback request body property removed (the client reads it)",
            _callback({"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}),
            _callback({"type": "object", "properties": {}}),
            "response-property-removed",
            True,
        ),
        (
            "callbacks",
            "callback request body property added",
            _callback({"type": "object", "properties": {}}),
            _callback({"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}),
            None,
            False,
        ),
        (
            "security",
            "security requirement added",
            _spec({"/things": {"get": _op()}}, {"securitySchemes": {"key": _KEY}}),
            _spec({"/things": {"get": _op(security=[{"key": []}])}}, {"securitySchemes": {"key": _KEY}}),
            "security-requirement-added",
            True,
        ),
        (
            "security",
            "alternative security requirement added",
            _spec(
                {"/things": {"get": _op(security=[{"key": []}])}}, {"securitySchemes": {"key": _KEY, "oauth": _OAUTH}}
            ),
            _spec(
                {"/things": {"get": _op(security=[{"key": []}, {"oauth": ["read"]}])}},
                {"securitySchemes": {"key": _KEY, "oauth": _OAUTH}},
            ),
            "security-requirement-removed",
            False,
        ),
        (
            "security",
            "oauth scope added",
            _spec({"/things": {"get": _op(security=[{"oauth": ["read"]}])}}, {"securitySchemes": {"oauth": _OAUTH}}),
            _spec(
                {"/things": {"get": _op(security=[{"oauth": ["read", "write"]}])}},
                {"securitySchemes": {"oauth": _OAUTH}},
            ),
            "security-requirement-added",
            True,
        ),
        (
            "deprecated",
            "operation deprecated",
            _spec({"/things": {"get": _op()}}),
            _spec({"/things": {"get": _op(deprecated=True)}}),
            "operation-deprecated",
            False,
        ),
        (
            "deprecated",
            "deprecated operation removed before its sunset",
            _spec({"/things": {"get": _op(), "delete": _op(deprecated=True, **{"x-sunset": "2031-01-01"})}}),
            _spec({"/things": {"get": _op()}}),
            "operation-removed-before-sunset",
            True,
        ),
        (
            "deprecated",
            "sunset date removed from a deprecated operation",
            _spec({"/things": {"get": _op(deprecated=True, **{"x-sunset": "2031-01-01"})}}),
            _spec({"/things": {"get": _op(deprecated=True)}}),
            "sunset-date-removed",
            True,
        ),
        (
            "deprecated",
            "sunset date of a deprecated operation made invalid",
            _spec({"/things": {"get": _op(deprecated=True, **{"x-sunset": "2031-01-01"})}}),
            _spec({"/things": {"get": _op(deprecated=True, **{"x-sunset": "soon"})}}),
            "sunset-date-invalid",
            True,
        ),
        (
            "deprecated",
            "sunset date removed from a deprecated parameter",
            _spec(
                {
                    "/things": {
                        "get": _op(
                            parameters=[
                                {
                                    "name": "q",
                                    "in": "query",
                                    "deprecated": True,
                                    "x-sunset": "2031-01-01",
                                    "schema": {"type": "string"},
                                }
                            ]
                        )
                    }
                }
            ),
            _spec(
                {
                    "/things": {
                        "get": _op(
                            parameters=[{"name": "q", "in": "query", "deprecated": True, "schema": {"type": "string"}}]
                        )
                    }
                }
            ),
            "sunset-date-removed",
            True,
        ),
        (
            "deprecated",
            "sunset date of a deprecated parameter made invalid",
            _spec(
                {
                    "/things": {
                        "get": _op(
                            parameters=[
                                {
                                    "name": "q",
                                    "in": "query",
                                    "deprecated": True,
                                    "x-sunset": "2031-01-01",
                                    "schema": {"type": "string"},
                                }
                            ]
                        )
                    }
                }
            ),
            _spec(
                {
                    "/things": {
                        "get": _op(
                            parameters=[
                                {
                                    "name": "q",
                                    "in": "query",
                                    "deprecated": True,
                                    "x-sunset": "31/01/2031",
                                    "schema": {"type": "string"},
                                }
                            ]
                        )
                    }
                }
            ),
            "sunset-date-invalid",
            True,
        ),
        (
            "deprecated",
            "sunset date removed from a deprecated response property",
            _spec(
                {
                    "/things": {
                        "get": {
                            "responses": _ok(
                                {
                                    "application/json": {
                                        "schema": {
                                            "type": "object",
                                            "properties": {
                                                "old": {"type": "string", "deprecated": True, "x-sunset": "2031-01-01"}
                                            },
                                        }
                                    }
                                }
                            )
                        }
                    }
                }
            ),
            _spec(
                {
                    "/things": {
                        "get": {
                            "responses": _ok(
                                {
                                    "application/json": {
                                        "schema": {
                                            "type": "object",
                                            "properties": {"old": {"type": "string", "deprecated": True}},
                                        }
                                    }
                                }
                            )
                        }
                    }
                }
            ),
            "sunset-date-removed",
            True,
        ),
        (
            "deprecated",
            "sunset date of a deprecated response property made invalid",
            _spec(
                {
                    "/things": {
                        "get": {
                            "responses": _ok(
                                {
                                    "application/json": {
                                        "schema": {
                                            "type": "object",
                                            "properties": {
                                                "old": {"type": "string", "deprecated": True, "x-sunset": "2031-01-01"}
                                            },
                                        }
                                    }
                                }
                            )
                        }
                    }
                }
            ),
            _spec(
                {
                    "/things": {
                        "get": {
                            "responses": _ok(
                                {
                                    "application/json": {
                                        "schema": {
                                            "type": "object",
                                            "properties": {
                                                "old": {"type": "string", "deprecated": True, "x-sunset": "later"}
                                            },
                                        }
                                    }
                                }
                            )
                        }
                    }
                }
            ),
            "sunset-date-invalid",
            True,
        ),
        (
            "deprecated",
            "deprecated property removed after its sunset",
            _spec(
                {
                    "/things": {
                        "get": {
                            "responses": _ok(
                                {
                                    "application/json": {
                                        "schema": {
                                            "type": "object",
                                            "required": ["old"],
                                            "properties": {
                                                "old": {"type": "string", "deprecated": True, "x-sunset": "2025-01-01"}
                                            },
                                        }
                                    }
                                }
                            )
                        }
                    }
                }
            ),
            _spec(
                {
                    "/things": {
                        "get": {
                            "responses": _ok({"application/json": {"schema": {"type": "object", "properties": {}}}})
                        }
                    }
                }
            ),
            "response-property-removed-after-sunset",
            False,
        ),
        (
            "paths",
            "DELETE removed beside a GET path of the same shape",
            _spec(
                {
                    "/orgs/{org}/attestations/{attestation_id}": {"delete": _op()},
                    "/orgs/{org}/attestations/{subject_digest}": {"get": _op()},
                }
            ),
            _spec({"/orgs/{org}/attestations/{subject_digest}": {"get": _op()}}),
            "path-removed",
            True,
        ),
        (
            "paths",
            "two paths of the same shape, each unchanged",
            _spec(
                {
                    "/orgs/{org}/attestations/{attestation_id}": {"delete": _op()},
                    "/orgs/{org}/attestations/{subject_digest}": {"get": _op()},
                }
            ),
            _spec(
                {
                    "/orgs/{org}/attestations/{subject_digest}": {"get": _op()},
                    "/orgs/{org}/attestations/{attestation_id}": {"delete": _op()},
                }
            ),
            None,
            False,
        ),
        (
            "paths",
            "a path parameter renamed between versions is still one path",
            _spec({"/orgs/{org}/hooks/{hook_id}": {"delete": _op()}}),
            _spec({"/orgs/{org}/hooks/{id}": {"delete": _op()}}),
            None,
            False,
        ),
        (
            "required",
            "response required name with no property made optional (GitHub shape)",
            _spec(
                {
                    "/things": {
                        "get": {
                            "responses": _ok(
                                {
                                    "application/json": {
                                        "schema": {
                                            "allOf": [
                                                {"type": "object", "properties": {"id": {"type": "integer"}}},
                                                {"required": ["id", "node_id"]},
                                            ]
                                        }
                                    }
                                }
                            )
                        }
                    }
                }
            ),
            _spec(
                {
                    "/things": {
                        "get": {
                            "responses": _ok(
                                {
                                    "application/json": {
                                        "schema": {
                                            "allOf": [
                                                {"type": "object", "properties": {"id": {"type": "integer"}}},
                                                {"required": ["id"]},
                                            ]
                                        }
                                    }
                                }
                            )
                        }
                    }
                }
            ),
            "response-property-became-optional",
            True,
        ),
    ]
    return [
        {"keyword": keyword, "name": name, "old": old, "new": new, "rule": rule, "breaking": breaking}
        for keyword, name, old, new, rule, breaking in rows
    ]


def _invalid_cases() -> list[dict[str, Any]]:
    valid = {"type": "object", "properties": {"a": {"type": "string"}}}
    broken = [
        (
            "a required name that is not a string",
            {"type": "object", "required": ["a", 5], "properties": {"a": {"type": "string"}}},
        ),
        (
            "a negative maxLength",
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "maxLength": -1}}},
        ),
        (
            "a multipleOf of zero",
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer", "multipleOf": 0}}},
        ),
    ]
    return [
        {
            "keyword": "required",
            "name": f"required property added in a description with {what}",
            "old": _document(valid, {}, "request", "3.0.3"),
            "new": _document(schema, {}, "request", "3.0.3"),
            "rule": None,
            "breaking": False,
            "refused": True,
        }
        for what, schema in broken
    ]


def _build() -> list[dict[str, Any]]:
    cases = _schema_cases() + _pattern_positions() + _operation_cases() + _invalid_cases()
    for index, case in enumerate(cases):
        slug = "".join(ch if ch.isalnum() else "-" for ch in case["name"].lower()).strip("-")
        while "--" in slug:
            slug = slug.replace("--", "-")
        case["id"] = f"{index:03d}-{slug}" + ("-heldout" if index % 3 == 2 else "")
        case["held_out"] = index % 3 == 2
    return cases


CASES: list[dict[str, Any]] = _build()
TUNING = [case for case in CASES if not case["held_out"]]
HELD_OUT = [case for case in CASES if case["held_out"]]
