"""A large, realistic OpenAPI 3.0 description, generated: thousands of paths over a web of shared components.

Used by tests/diff/test_large.py and by benchmarks/bench_diff_self.py. Resources are named `res{n}`; each has
a collection path and an item path, with sub-resources and actions below them until the requested number of
paths is reached. Operations take path, query and header parameters, request bodies and answers that `$ref`
component schemas; the schemas refer to one another in tiers (leaves, then records built of leaves, then
aggregates of records), with a recursive tree node, `allOf` extensions, a `oneOf` with a discriminator,
nullable fields, enums, formats and bounds, and one shared `Error` answered by every operation.
The same seed gives the same document.
"""

from __future__ import annotations

import random
from typing import Any

_FORMATS = ("date-time", "uuid", "email", "uri", "date", None, None)
_WORDS = (
    "name",
    "state",
    "owner",
    "created",
    "updated",
    "label",
    "kind",
    "note",
    "url",
    "count",
    "size",
    "region",
    "version",
    "parent",
    "tags",
    "limits",
    "title",
    "summary",
    "priority",
    "score",
)


def generate_description(paths: int = 10_000, components: int = 2_000, seed: int = 7) -> dict[str, Any]:
    """An OpenAPI 3.0.3 document with `paths` paths and about `components` component schemas."""
    rng = random.Random(seed)
    schemas = _schemas(rng, components)
    names = [name for name in schemas if name.startswith(("Record", "Aggregate"))]
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Generated", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "security": [{"bearer": []}],
        "paths": {},
        "components": {
            "schemas": schemas,
            "parameters": {
                "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                "Cursor": {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                "RequestId": {"name": "X-Request-Id", "in": "header", "schema": {"type": "string", "format": "uuid"}},
            },
            "responses": {
                "NotFound": {"description": "not found", "content": _json("#/components/schemas/Error")},
                "Invalid": {"description": "invalid", "content": _json("#/components/schemas/Error")},
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
    for path, item in _iter_paths(rng, names, paths):
        document["paths"][path] = item
    return document


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": ref}}}


def _leaf(rng: random.Random) -> dict[str, Any]:
    kind = rng.choice(("string", "string", "integer", "number", "boolean", "enum"))
    if kind == "enum":
        return {"type": "string", "enum": rng.sample(["a", "b", "c", "d", "e", "f"], rng.randint(2, 5))}
    schema: dict[str, Any] = {"type": kind}
    if kind == "string":
        fmt = rng.choice(_FORMATS)
        if fmt:
            schema["format"] = fmt
        else:
            schema["maxLength"] = rng.choice((64, 255, 1024))
    elif kind in ("integer", "number"):
        schema["minimum"] = 0
        if rng.random() < 0.5:
            schema["maximum"] = rng.choice((100, 1000, 1_000_000))
    if rng.random() < 0.15:
        schema["nullable"] = True
    return schema


def _object(rng: random.Random, refs: list[str], count: int) -> dict[str, Any]:
    properties: dict[str, Any] = {"id": {"type": "string", "format": "uuid", "readOnly": True}}
    for index in range(count):
        name = f"{rng.choice(_WORDS)}_{index}"
        if refs and rng.random() < 0.35:
            ref = {"$ref": f"#/components/schemas/{rng.choice(refs)}"}
            properties[name] = {"type": "array", "items": ref} if rng.random() < 0.4 else ref
        else:
            properties[name] = _leaf(rng)
    required = ["id"] + [name for name in list(properties)[1:] if rng.random() < 0.3]
    return {"type": "object", "properties": properties, "required": required}


def _schemas(rng: random.Random, total: int) -> dict[str, Any]:
    leaves = [f"Leaf{n}" for n in range(total * 2 // 5)]
    records = [f"Record{n}" for n in range(total * 2 // 5)]
    aggregates = [f"Aggregate{n}" for n in range(total - len(leaves) - len(records) - 3)]
    schemas: dict[str, Any] = {name: _object(rng, [], rng.randint(2, 5)) for name in leaves}
    for name in records:
        schemas[name] = _object(rng, leaves, rng.randint(4, 10))
        if rng.random() < 0.2:  # an extension of a leaf
            schemas[name] = {"allOf": [{"$ref": f"#/components/schemas/{rng.choice(leaves)}"}, schemas[name]]}
    for name in aggregates:
        schemas[name] = _object(rng, records, rng.randint(5, 12))
        schemas[name]["properties"]["tree"] = {"$ref": "#/components/schemas/TreeNode"}
        if rng.random() < 0.1:
            schemas[name]["properties"]["variant"] = {"$ref": "#/components/schemas/Variant"}
    schemas["Error"] = {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "enum": ["invalid", "not_found", "conflict"]},
            "message": {"type": "string"},
            "details": {"type": "array", "items": {"type": "object", "additionalProperties": {"type": "string"}}},
        },
    }
    schemas["TreeNode"] = {
        "type": "object",
        "properties": {
            "label": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/TreeNode"}},
        },
    }
    schemas["Variant"] = {
        "oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in records[:3]],
        "discriminator": {"propertyName": "kind"},
    }
    return schemas


def _iter_paths(rng: random.Random, names: list[str], total: int):
    count = 0
    resource = 0
    while True:
        base = f"/res{resource}"
        for path, methods in _resource_paths(base, resource):
            if count == total:
                return
            yield path, {method: _operation(rng, names, path, method) for method in methods}
            count += 1
        resource += 1


def _resource_paths(base: str, resource: int) -> list[tuple[str, tuple[str, ...]]]:
    item = f"{base}/{{res{resource}_id}}"
    found = [(base, ("get", "post")), (item, ("get", "put", "patch", "delete"))]
    for sub in range(3):
        child = f"{item}/sub{sub}"
        found += [
            (child, ("get", "post")),
            (f"{child}/{{sub{sub}_id}}", ("get", "delete")),
            (f"{item}/actions/act{sub}", ("post",)),
        ]
    return found


def _operation(rng: random.Random, names: list[str], path: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": f"{method}{path.replace('/', '_').replace('{', '').replace('}', '')}",
        "parameters": [
            {
                "name": part[1:-1],
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": "^[a-z0-9-]+$"},
            }
            for part in path.split("/")
            if part.startswith("{")
        ],
    }
    operation["parameters"].append({"$ref": "#/components/parameters/RequestId"})
    body = rng.choice(names)
    if method == "get":
        operation["parameters"] += [
            {"$ref": "#/components/parameters/Limit"},
            {"$ref": "#/components/parameters/Cursor"},
            {"name": "filter", "in": "query", "schema": _leaf(rng)},
        ]
    if method in ("post", "put", "patch"):
        operation["requestBody"] = {"required": method != "patch", "content": _json(f"#/components/schemas/{body}")}
    answer = {
        "description": "ok",
        "content": _json(f"#/components/schemas/{body}"),
        "headers": {"X-Rate-Limit": {"schema": {"type": "integer"}}},
    }
    if method == "get" and not path.endswith("}"):
        answer["content"] = {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["data"],
                    "properties": {
                        "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{body}"}},
                        "next": {"type": "string", "nullable": True},
                    },
                }
            }
        }
    status = {"post": "201", "delete": "204"}.get(method, "200")
    operation["responses"] = {
        status: answer if method != "delete" else {"description": "gone"},
        "400": {"$ref": "#/components/responses/Invalid"},
        "404": {"$ref": "#/components/responses/NotFound"},
    }
    return operation
