"""What a JSON Schema accepts, in one flat shape: `$ref`s followed, `allOf` merged, OpenAPI 3.0 and 3.1 idioms unified.

The diff compares shapes rather than schema text, so a `$ref` renamed with the same content, an inline
object split into `allOf` parts, or `nullable: true` rewritten as `type: [x, "null"]` are no change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from contractkit.core.errors import SchemaLoadError
from contractkit.core.loading import parse_json_value

# Keywords whose tighter value accepts fewer instances: "upper" bounds shrink, "lower" bounds grow.
UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties", "maxContains")
LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties", "minContains")
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
    patterns: frozenset[str] = frozenset()  # every pattern a value must match (allOf members add theirs)
    format: str | None = None
    multiple_of: float | None = None
    unique_items: bool = False
    alternatives: list[Any] | None = None  # raw schemas, when the shape is "one of these"
    alternative_key: str = "oneOf"
    read_only: bool = False
    write_only: bool = False
    is_null: bool = False  # accepts only null
    prefix_items: list[Any] | None = None  # 2020-12 tuple positions
    closed_items: bool = False  # `items: false` or `unevaluatedItems: false` after prefixItems
    contains: Any = None
    dependent_required: dict[str, frozenset[str]] = field(default_factory=dict)
    dependent_schemas: dict[str, Any] = field(default_factory=dict)
    extensible_enum: frozenset[str] | None = None  # x-extensible-enum: values may be added, never removed
    default: str | None = None  # JSON text of `default`
    discriminator: tuple[str, tuple[tuple[str, str], ...]] | None = None  # property name, (value, $ref) mapping
    all_of_refs: frozenset[str] = frozenset()  # the $refs an allOf combines (a new one adds constraints)
    deprecated: bool = False
    sunset: Any = None  # x-sunset as written
    keep_alive: list[Any] = field(default_factory=list)  # synthetic schemas referenced by id in memo keys


class SchemaDocument:
    """One document's schemas: `$ref` resolution and memoised shapes, keyed by object identity."""

    def __init__(self, document: Any, display: str) -> None:
        self.document = document
        self.display = display
        self._shapes: dict[int, Shape] = {}
        self._refs: dict[str, Any] = {}
        self._resolved: dict[int, tuple[Any, Any, str]] = {}  # id of a reference -> (it, its target, last $ref)

    def resolve(self, schema: Any) -> tuple[Any, str]:
        """Follow `$ref` chains; return the target and the last reference followed ('' when none)."""
        if not isinstance(schema, dict) or "$ref" not in schema:
            return schema, ""  # most schemas are no reference: answered without the loop
        known = self._resolved.get(id(schema))
        if known is not None:
            return known[1], known[2]
        start, ref = schema, ""
        seen: set[str] = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and not _has_siblings(schema):
            ref = schema["$ref"]
            if ref in seen:
                raise SchemaLoadError(f"$ref {ref!r} refers to itself in a loop", file=self.display)
            seen.add(ref)
            schema = self.lookup(ref)
        self._resolved[id(start)] = (start, schema, ref)  # holding `start` keeps its id from being reused
        return schema, ref

    def lookup(self, ref: str) -> Any:
        """The node an internal `#/...` reference points at; SchemaLoadError when it does not resolve."""
        hit = self._refs.get(ref)
        if hit is not None:
            return hit
        if not ref.startswith("#"):
            raise SchemaLoadError(
                f"external $ref {ref!r} is not supported; bundle the document first "
                "(all references must start with '#/')",
                file=self.display,
            )
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
        options = self._flatten(options, {id(schema)})
        nullable = schema.get("nullable") is True
        plain = [option for option in options if not self._is_null(option)]
        nullable = nullable or len(plain) < len(options)
        if len(plain) == 1:  # `oneOf: [X, {type: null}]` is a nullable X
            shape = self.shape(self.resolve(plain[0])[0])
            if nullable and not shape.nullable:
                shape = _copy(shape, nullable=True)
            return _with_keep(shape, options)
        return Shape(
            alternatives=plain or options,
            alternative_key=key,
            nullable=nullable,
            keep_alive=list(options),
            discriminator=_discriminator(schema.get("discriminator"), schema.get(key)),
        )

    def _flatten(self, options: list[Any], seen: set[int]) -> list[Any]:
        """A choice among choices is one choice: `anyOf: [oneOf: [A, B], C]` offers A, B and C."""
        flat: list[Any] = []
        for option in options:
            resolved = self.resolve(option)[0]
            nested = _pure_choice(resolved)
            if nested is not None and id(resolved) not in seen and len(seen) < 8:
                flat += self._flatten(nested, seen | {id(resolved)})
            else:
                flat.append(option)
        return flat

    def _is_null(self, schema: Any) -> bool:
        resolved = self.resolve(schema)[0]
        if not isinstance(resolved, dict):
            return False
        return resolved.get("type") == "null" or (
            resolved.get("enum") == [None] and set(resolved) <= {"enum", "nullable", "type", *_PROSE}
        )

    def _merge_all_of(self, schema: dict[str, Any]) -> Shape:
        parts = [self.resolve(part)[0] for part in schema["allOf"]]
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        if _is_meaningful(rest):
            parts.append(rest)
        for index, part in enumerate(parts):  # distribute the merge over the first part that is a choice
            shape = self.shape(part)
            if shape.alternatives is not None:
                others = parts[:index] + parts[index + 1 :]
                options = [{"allOf": others + [option]} for option in shape.alternatives]
                return Shape(
                    alternatives=options,
                    alternative_key=shape.alternative_key,
                    nullable=shape.nullable,
                    keep_alive=list(options),
                )
        merged = self.shape(parts[0]) if len(parts) == 1 else _merge(self, [self.shape(part) for part in parts])
        refs = frozenset(
            part["$ref"] for part in schema["allOf"] if isinstance(part, dict) and isinstance(part.get("$ref"), str)
        )
        flags = {
            "all_of_refs": refs,
            "read_only": self._all_say(parts, "read_only"),
            "write_only": self._all_say(parts, "write_only"),
        }
        if all(getattr(merged, name) == value for name, value in flags.items()):
            return merged
        return _copy(merged, **flags)

    def _all_say(self, parts: list[Any], flag: str) -> bool:
        """readOnly/writeOnly of an allOf: said by a part that only annotates, or by every part with content.

        One content part that happens to be readOnly (a shared reference schema) must not hide the whole
        value from requests: `type` of a PagerDuty reference is sent by clients although `Reference` marks it.
        """
        content = []
        for part in parts:
            if isinstance(part, dict) and not _is_meaningful(
                {k: v for k, v in part.items() if k not in ("readOnly", "writeOnly")}
            ):
                if part.get(_FLAG_KEYWORDS[flag]) is True:
                    return True
            else:
                content.append(part)
        return bool(content) and all(getattr(self.shape(part), flag) for part in content)


_PROSE = frozenset(
    {
        "description",
        "title",
        "summary",
        "example",
        "examples",
        "externalDocs",
        "deprecated",
        "default",
        "xml",
        "$comment",
        "discriminator",
        "x-github",
        "x-octokit",
        "$defs",
        "definitions",
        "$schema",
        "$id",
        "$anchor",
    }
)


def _is_meaningful(schema: dict[str, Any]) -> bool:
    return any(key not in _PROSE and not key.startswith("x-") or key in _MEANINGFUL_EXTENSIONS for key in schema)


_FLAG_KEYWORDS = {"read_only": "readOnly", "write_only": "writeOnly"}
_MEANINGFUL_EXTENSIONS = frozenset({"x-extensible-enum", "x-sunset"})


def _discriminator(raw: Any, branches: Any) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """The property name and the whole mapping: the explicit entries, and for every `$ref`'d branch they do not
    name, the implicit one OpenAPI derives from the schema's name (`#/components/schemas/Dog` is selected by Dog)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("propertyName"), str):
        return None
    mapping = {
        str(key): str(value) for key, value in (raw["mapping"] if isinstance(raw.get("mapping"), dict) else {}).items()
    }
    named = {value.rsplit("/", 1)[-1] for value in mapping.values()}
    for branch in branches if isinstance(branches, list) else ():
        ref = branch.get("$ref") if isinstance(branch, dict) else None
        if isinstance(ref, str) and ref.rsplit("/", 1)[-1] not in named:
            mapping.setdefault(ref.rsplit("/", 1)[-1], ref)
    return raw["propertyName"], tuple(sorted(mapping.items()))


def _pure_choice(schema: Any) -> list[Any] | None:
    """The options of a schema that is nothing but a oneOf/anyOf, else None."""
    if not isinstance(schema, dict):
        return None
    keys = [key for key in _ALTERNATIVE_KEYS if isinstance(schema.get(key), list) and schema[key]]
    if len(keys) != 1 or _is_meaningful({k: v for k, v in schema.items() if k != keys[0]}):
        return None
    return list(schema[keys[0]])


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
        # A listed null stays a value of the enum, so dropping it while `nullable` stays is still a removal.
        enum = frozenset(enum_key(value) for value in values)
        nullable = nullable or None in values
    if "const" in schema:
        enum = frozenset({enum_key(schema["const"])}) if schema["const"] is not None else frozenset()
        nullable = nullable or schema["const"] is None
    bounds = {
        key: float(schema[key])
        for key in UPPER_BOUNDS + LOWER_BOUNDS
        if isinstance(schema.get(key), (int, float)) and not isinstance(schema.get(key), bool)
    }
    _fold_exclusive(schema, bounds)
    properties: dict[str, Any] = schema["properties"] if isinstance(schema.get("properties"), dict) else {}
    required = (
        frozenset(name for name in schema.get("required", ()) if isinstance(name, str))
        if isinstance(schema.get("required"), list)
        else frozenset()
    )
    additional = schema.get("additionalProperties", schema.get("unevaluatedProperties", True))
    if additional == {}:
        additional = True
    items = schema.get("items")
    prefix = schema.get("prefixItems") if isinstance(schema.get("prefixItems"), list) else None
    # unevaluatedItems: false closes an array only where nothing else evaluates the rest (`items` evaluates it all)
    closed = items is False or (schema.get("unevaluatedItems") is False and "items" not in schema)
    return Shape(
        types=types,
        nullable=nullable,
        enum=enum,
        properties=dict(properties),
        required=required,
        additional=additional,
        items=items if isinstance(items, dict) else None,
        bounds=bounds,
        patterns=frozenset({schema["pattern"]}) if isinstance(schema.get("pattern"), str) else frozenset(),
        format=schema.get("format") if isinstance(schema.get("format"), str) else None,
        multiple_of=schema.get("multipleOf") if isinstance(schema.get("multipleOf"), (int, float)) else None,
        unique_items=schema.get("uniqueItems") is True,
        read_only=schema.get("readOnly") is True,
        write_only=schema.get("writeOnly") is True,
        is_null=types == frozenset() and nullable,
        prefix_items=prefix,
        closed_items=closed,
        contains=schema.get("contains"),
        dependent_required=_dependent_required(schema.get("dependentRequired")),
        dependent_schemas=dict(schema["dependentSchemas"]) if isinstance(schema.get("dependentSchemas"), dict) else {},
        extensible_enum=_extensible(schema.get("x-extensible-enum")),
        default=enum_key(schema["default"]) if "default" in schema else None,
        deprecated=schema.get("deprecated") is True,
        sunset=schema.get("x-sunset"),
    )


def _dependent_required(raw: Any) -> dict[str, frozenset[str]]:
    if not isinstance(raw, dict):
        return {}
    return {str(key): frozenset(str(name) for name in names) for key, names in raw.items() if isinstance(names, list)}


def _extensible(raw: Any) -> frozenset[str] | None:
    return frozenset(enum_key(value) for value in raw) if isinstance(raw, list) else None


def _fold_exclusive(schema: dict[str, Any], bounds: dict[str, float]) -> None:
    """OpenAPI 3.0's boolean exclusiveMaximum/exclusiveMinimum become 3.1's numeric form."""
    for flag, bound in (("exclusiveMaximum", "maximum"), ("exclusiveMinimum", "minimum")):
        if schema.get(flag) is True and bound in bounds:
            bounds[flag] = bounds.pop(bound)


def _merge(document: SchemaDocument, shapes: list[Shape]) -> Shape:
    """The shape accepting what every part accepts (allOf)."""
    result = Shape()
    result.nullable = all(shape.nullable for shape in shapes)
    result.read_only = all(shape.read_only for shape in shapes)  # see SchemaDocument._all_say
    result.write_only = all(shape.write_only for shape in shapes)
    for shape in shapes:
        result.types = _intersect_types(result.types, shape.types)
        result.enum = (
            shape.enum if result.enum is None else (result.enum if shape.enum is None else result.enum & shape.enum)
        )
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
        result.patterns |= shape.patterns
        result.format = result.format or shape.format
        result.multiple_of = result.multiple_of or shape.multiple_of
        result.unique_items = result.unique_items or shape.unique_items
        _merge_2020(result, shape)
        result.keep_alive.extend(shape.keep_alive)
    result.is_null = result.types == frozenset() and result.nullable
    return result


def _merge_2020(result: Shape, shape: Shape) -> None:
    """allOf over the 2020-12 keywords and the extensions: the first tuple, union of dependencies, flags or-ed."""
    result.prefix_items = result.prefix_items if result.prefix_items is not None else shape.prefix_items
    result.closed_items = result.closed_items or shape.closed_items
    result.contains = result.contains if result.contains is not None else shape.contains
    for key, names in shape.dependent_required.items():
        result.dependent_required[key] = result.dependent_required.get(key, frozenset()) | names
    result.dependent_schemas.update(shape.dependent_schemas)
    if shape.extensible_enum is not None:
        result.extensible_enum = (
            shape.extensible_enum if result.extensible_enum is None else result.extensible_enum & shape.extensible_enum
        )
    result.default = result.default if result.default is not None else shape.default
    result.discriminator = result.discriminator or shape.discriminator
    result.all_of_refs |= shape.all_of_refs
    result.deprecated = result.deprecated or shape.deprecated
    result.sunset = result.sunset if result.sunset is not None else shape.sunset


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


def union_schema(document: SchemaDocument, options: list[Any]) -> dict[str, Any]:
    """One schema accepting (at least) what any of the options accepts: how a request split into variants reads.

    A value the old schema accepted must be accepted by some new variant; comparing it with the union of
    the variants, property by property, does not pair it with one arbitrary variant.
    """
    shapes = [document.shape(document.resolve(option)[0]) for option in options]
    schema: dict[str, Any] = {}
    if all(shape.types is not None for shape in shapes):
        schema["type"] = sorted(set().union(*(shape.types or () for shape in shapes)))
    if any(shape.nullable for shape in shapes):
        schema["nullable"] = True
    if all(shape.enum is not None for shape in shapes):
        schema["enum"] = [
            parse_json_value(value) for value in sorted(set().union(*(shape.enum or () for shape in shapes)))
        ]
    names = sorted(set().union(*(shape.properties for shape in shapes)))
    if names:
        schema["properties"] = {
            name: _union_of([shape.properties[name] for shape in shapes if name in shape.properties]) for name in names
        }
    required = frozenset.intersection(*(shape.required for shape in shapes))
    if required:
        schema["required"] = sorted(required)
    if all(shape.additional is False for shape in shapes):
        schema["additionalProperties"] = False
    if all(shape.items is not None for shape in shapes):
        schema["items"] = _union_of([shape.items for shape in shapes])
    for key in UPPER_BOUNDS + LOWER_BOUNDS:
        if all(key in shape.bounds for shape in shapes):
            values = [shape.bounds[key] for shape in shapes]
            schema[key] = max(values) if key in UPPER_BOUNDS else min(values)
    patterns = {shape.patterns for shape in shapes}
    if len(patterns) == 1 and len(common := patterns.pop()) == 1:
        schema["pattern"] = next(iter(common))
    formats = {shape.format for shape in shapes}
    if len(formats) == 1 and None not in formats:
        schema["format"] = formats.pop()
    return schema


def _union_of(schemas: list[Any]) -> Any:
    distinct = list({id(schema): schema for schema in schemas}.values())
    return distinct[0] if len(distinct) == 1 else {"anyOf": distinct}
