"""What a JSON Schema accepts, in one flat shape: `$ref`s followed, `allOf` merged, OpenAPI 3.0 and 3.1 idioms unified.

The diff compares shapes rather than schema text, so a `$ref` renamed with the same content, an inline
object split into `allOf` parts, or `nullable: true` rewritten as `type: [x, "null"]` are no change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from contractkit.core.errors import SchemaLoadError

# Keywords whose tighter value accepts fewer instances: "upper" bounds shrink, "lower" bounds grow.
UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")
LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
_ALTERNATIVE_KEYS = ("oneOf", "anyOf")
_ANY = None  # a shape's `types` of None accepts every JSON type


@dataclass(slots=True)
class Shape:
    """The instances one schema accepts, in the terms the diff rules reason about."""

    types: frozenset[str] | None = _ANY
    nullable: bool = False
    enum: frozenset[str] | None = None  # JSON texts of the allowed values
    properties: dict[str, Any] = field(default_factory=dict)  # name -> raw sub-schema (maybe a $ref)
    required: frozenset[str] = frozenset()
    additional: Any = True  # True, False, or a raw sub-schema
    items: Any = None
    bounds: dict[str, float] = field(default_factory=dict)
    pattern: str | None = None
    format: str | None = None
    multiple_of: float | None = None
    unique_items: bool = False
    alternatives: list[Any] | None = None  # raw schemas, when the shape is "one of these"
    alternative_key: str = "oneOf"
    read_only: bool = False
    write_only: bool = False
    is_null: bool = False  # accepts only null
    keep_alive: list[Any] = field(default_factory=list)  # synthetic schemas referenced by id in memo keys


class SchemaDocument:
    """One document's schemas: `$ref` resolution and memoised shapes, keyed by object identity."""

    def __init__(self, document: Any, display: str) -> None:
        self.document = document
        self.display = display
        self._shapes: dict[int, Shape] = {}
        self._refs: dict[str, Any] = {}

    def resolve(self, schema: Any) -> tuple[Any, str]:
        """Follow `$ref` chains; return the target and the last reference followed ('' when none)."""
        ref = ""
        seen: set[str] = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and not _has_siblings(schema):
            ref = schema["$ref"]
            if ref in seen:
                raise SchemaLoadError(f"$ref {ref!r} refers to itself in a loop", file=self.display)
            seen.add(ref)
            schema = self.lookup(ref)
        return schema, ref

    def lookup(self, ref: str) -> Any:
        """The node an internal `#/...` reference points at; SchemaLoadError when it does not resolve."""
        hit = self._refs.get(ref)
        if hit is not None:
            return hit
        if not ref.startswith("#"):
            raise SchemaLoadError(f"external $ref {ref!r} is not supported; bundle the document first "
                                  "(all references must start with '#/')", file=self.display)
        node = self.document
        for raw in ref[1:].split("/")[1:]:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise SchemaLoadError(f"$ref {ref!r} does not resolve inside the document", file=self.display)
        self._refs[ref] = node
        return node

    def shape(self, schema: Any) -> Shape:
        """The shape of an already resolved schema, computed once per schema object."""
        key = id(schema)
        found = self._shapes.get(key)
        if found is None:
            found = self._shapes[key] = self._build(schema)
            found.keep_alive.append(schema)
        return found

    def _build(self, schema: Any) -> Shape:
        if schema is True or not isinstance(schema, dict):
            return Shape()
        if isinstance(schema.get("$ref"), str):  # OpenAPI 3.1: $ref with sibling keywords means allOf
            rest = {key: value for key, value in schema.items() if key != "$ref"}
            return self._build({"allOf": [{"$ref": schema["$ref"]}, rest]})
        if any(isinstance(schema.get(key), list) and schema[key] for key in _ALTERNATIVE_KEYS):
            return self._alternatives(schema)
        if isinstance(schema.get("allOf"), list) and schema["allOf"]:
            return self._merge_all_of(schema)
        return _plain_shape(schema)

    def _alternatives(self, schema: dict[str, Any]) -> Shape:
        key = next(k for k in _ALTERNATIVE_KEYS if isinstance(schema.get(k), list) and schema[k])
        base = {k: v for k, v in schema.items() if k != key and k not in _PROSE}
        options = schema[key]
        if _is_meaningful(base):
            options = [{"allOf": [base, option]} for option in options]
        nullable = schema.get("nullable") is True
        plain = [option for option in options if not self._is_null(option)]
        nullable = nullable or len(plain) < len(options)
        if len(plain) == 1:  # `oneOf: [X, {type: null}]` is a nullable X
            shape = self.shape(self.resolve(plain[0])[0])
            if nullable and not shape.nullable:
                shape = _copy(shape, nullable=True)
            return _with_keep(shape, options)
        return Shape(alternatives=plain or options, alternative_key=key, nullable=nullable, keep_alive=list(options))

    def _is_null(self, schema: Any) -> bool:
        resolved = self.resolve(schema)[0]
        if not isinstance(resolved, dict):
            return False
        return resolved.get("type") == "null" or (resolved.get("enum") == [None] and set(resolved) <= {"enum", "nullable", "type", *_PROSE})

    def _merge_all_of(self, schema: dict[str, Any]) -> Shape:
        parts = [self.resolve(part)[0] for part in schema["allOf"]]
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        if _is_meaningful(rest):
            parts.append(rest)
        for index, part in enumerate(parts):  # distribute the merge over the first part that is a choice
            shape = self.shape(part)
            if shape.alternatives is not None:
                others = parts[:index] + parts[index + 1:]
                options = [{"allOf": others + [option]} for option in shape.alternatives]
                return Shape(alternatives=options, alternative_key=shape.alternative_key, nullable=shape.nullable,
                             keep_alive=list(options))
        merged = self.shape(parts[0]) if len(parts) == 1 else _merge(self, [self.shape(part) for part in parts])
        return merged


_PROSE = frozenset({"description", "title", "summary", "example", "examples", "externalDocs", "deprecated",
                    "default", "xml", "$comment", "discriminator", "x-github", "x-octokit"})


def _is_meaningful(schema: dict[str, Any]) -> bool:
    return any(key not in _PROSE and not key.startswith("x-") for key in schema)


def _has_siblings(schema: dict[str, Any]) -> bool:
    return any(key != "$ref" and key not in _PROSE and not key.startswith("x-") for key in schema)


def _with_keep(shape: Shape, extra: list[Any]) -> Shape:
    shape.keep_alive.extend(extra)
    return shape


def _copy(shape: Shape, **changes: Any) -> Shape:
    values = {name: getattr(shape, name) for name in Shape.__slots__}
    values.update(changes)
    values["keep_alive"] = list(shape.keep_alive)
    return Shape(**values)


def enum_key(value: Any) -> str:
    """A hashable, order-independent text for an enum value (1 and 1.0 compare equal)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _types(schema: dict[str, Any]) -> tuple[frozenset[str] | None, bool]:
    kind = schema.get("type")
    nullable = schema.get("nullable") is True
    if isinstance(kind, str):
        return (frozenset() if kind == "null" else frozenset({kind})), nullable or kind == "null"
    if isinstance(kind, list):
        return frozenset(k for k in kind if k != "null"), nullable or "null" in kind
    # Many descriptions omit `type` beside `properties` or `items`: read them as the type they imply.
    if "properties" in schema or "additionalProperties" in schema or "required" in schema:
        return frozenset({"object"}), nullable
    if "items" in schema:
        return frozenset({"array"}), nullable
    return _ANY, nullable


def _plain_shape(schema: dict[str, Any]) -> Shape:
    types, nullable = _types(schema)
    enum = None
    if isinstance(schema.get("enum"), list):
        values = schema["enum"]
        nullable = nullable or (None in values and bool(schema.get("nullable")))
        enum = frozenset(enum_key(value) for value in values if value is not None)
        if None in values:
            nullable = True
    if "const" in schema:
        enum = frozenset({enum_key(schema["const"])}) if schema["const"] is not None else frozenset()
        nullable = nullable or schema["const"] is None
    bounds = {key: float(schema[key]) for key in UPPER_BOUNDS + LOWER_BOUNDS
              if isinstance(schema.get(key), (int, float)) and not isinstance(schema.get(key), bool)}
    _fold_exclusive(schema, bounds)
    properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    required = frozenset(name for name in schema.get("required", ()) if isinstance(name, str)) \
        if isinstance(schema.get("required"), list) else frozenset()
    additional = schema.get("additionalProperties", True)
    if additional == {}:
        additional = True
    return Shape(
        types=types, nullable=nullable, enum=enum, properties=dict(properties), required=required,
        additional=additional, items=schema.get("items"), bounds=bounds,
        pattern=schema.get("pattern") if isinstance(schema.get("pattern"), str) else None,
        format=schema.get("format") if isinstance(schema.get("format"), str) else None,
        multiple_of=schema.get("multipleOf") if isinstance(schema.get("multipleOf"), (int, float)) else None,
        unique_items=schema.get("uniqueItems") is True, read_only=schema.get("readOnly") is True,
        write_only=schema.get("writeOnly") is True,
        is_null=types == frozenset() and nullable,
    )


def _fold_exclusive(schema: dict[str, Any], bounds: dict[str, float]) -> None:
    """OpenAPI 3.0's boolean exclusiveMaximum/exclusiveMinimum become 3.1's numeric form."""
    for flag, bound in (("exclusiveMaximum", "maximum"), ("exclusiveMinimum", "minimum")):
        if schema.get(flag) is True and bound in bounds:
            bounds[flag] = bounds.pop(bound)


def _merge(document: SchemaDocument, shapes: list[Shape]) -> Shape:
    """The shape accepting what every part accepts (allOf)."""
    result = Shape()
    result.nullable = all(shape.nullable for shape in shapes)
    for shape in shapes:
        result.types = _intersect_types(result.types, shape.types)
        result.enum = shape.enum if result.enum is None else (result.enum if shape.enum is None else result.enum & shape.enum)
        for name, sub in shape.properties.items():
            if name in result.properties and result.properties[name] is not sub:
                combined = {"allOf": [result.properties[name], sub]}
                result.keep_alive.append(combined)
                result.properties[name] = combined
            else:
                result.properties[name] = sub
        result.required |= shape.required
        if shape.additional is False or result.additional is False:
            result.additional = False
        elif shape.additional is not True:
            result.additional = shape.additional
        result.items = _merge_items(result, shape)
        for key, value in shape.bounds.items():
            current = result.bounds.get(key)
            tighter = min if key in UPPER_BOUNDS else max
            result.bounds[key] = value if current is None else tighter(current, value)
        result.pattern = result.pattern or shape.pattern
        result.format = result.format or shape.format
        result.multiple_of = result.multiple_of or shape.multiple_of
        result.unique_items = result.unique_items or shape.unique_items
        result.read_only = result.read_only or shape.read_only
        result.write_only = result.write_only or shape.write_only
        result.keep_alive.extend(shape.keep_alive)
    result.is_null = result.types == frozenset() and result.nullable
    return result


def _merge_items(result: Shape, shape: Shape) -> Any:
    if shape.items is None:
        return result.items
    if result.items is None or result.items is shape.items:
        return shape.items
    combined = {"allOf": [result.items, shape.items]}
    result.keep_alive.append(combined)
    return combined


def _intersect_types(left: frozenset[str] | None, right: frozenset[str] | None) -> frozenset[str] | None:
    if left is None:
        return right
    if right is None:
        return left
    common = set(left & right)
    if "integer" in left and "number" in right or "number" in left and "integer" in right:
        common.add("integer")
    return frozenset(common)


def accepts_type(kind: str, types: frozenset[str] | None) -> bool:
    """Whether a set of schema types accepts every value of one type (an integer is a number)."""
    if types is None:
        return True
    return kind in types or (kind == "integer" and "number" in types)
