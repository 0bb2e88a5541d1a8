"""What a description lets a provider send at one place of a body: its schema read as alternatives.

A schema is read as the alternatives a provider may choose from (`oneOf`/`anyOf` branches, each with its `allOf`
parts merged), and each alternative as the JSON kinds it allows (`nullable` and 3.1's `"null"` included), the
values it allows (`enum`, `const`), the properties it declares and what it says of other keys. The compatibility
engine asks, of every value a pact expects: is it declared, which kinds and values may arrive instead, and what is
below it.

    for shape in alternatives(document, schema):
        shape.kinds        # frozenset({'string', 'null'}) or None (any kind)
        shape.child('id')  # the schemas of property 'id' (FREE when any key is allowed, None when undeclared)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from contractkit.validation import deref

__all__ = ["FREE", "KINDS", "Shape", "ShapeReader", "alternatives", "kind_of"]

KINDS = frozenset({"null", "boolean", "integer", "number", "string", "array", "object"})
FREE = object()  # a key or item the description leaves open: anything may be there
_MAX_ALTERNATIVES = 64
_MAX_DEPTH = 32


def kind_of(value: Any) -> str:
    """A JSON value's kind; a float with no fraction counts as an integer, as JSON Schema says."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "string"


@dataclass(frozen=True, slots=True)
class Shape:
    """One alternative of a schema: every `allOf` part that applies together, with the JSON kinds it allows (an
    integer is a number too; None: any kind) and the values it lists (`enum`, `const`; None: no list)."""

    parts: tuple[Mapping[str, Any], ...]
    kinds: frozenset[str] | None
    values: list[Any] | None

    @classmethod
    def of(cls, parts: Sequence[Mapping[str, Any]]) -> Shape:
        """The alternative made of these parts."""
        kinds: frozenset[str] | None = None
        listed: list[Any] | None = None
        for part in parts:
            declared = _declared_kinds(part)
            if declared is not None:
                kinds = declared if kinds is None else _meet(kinds, declared)
            own = (
                [part["const"]]
                if "const" in part
                else list(part["enum"])
                if isinstance(part.get("enum"), list)
                else None
            )
            if own is not None:
                if part.get("nullable") and None not in own:
                    own.append(None)
                listed = own if listed is None else [value for value in listed if value in own]
        return cls(tuple(parts), kinds, listed)

    def allows_kind(self, kind: str) -> bool:
        """Whether a value of this kind may be sent here."""
        kinds = self.kinds
        return kinds is None or kind in kinds or (kind == "integer" and "number" in kinds)

    def allows_value(self, value: Any) -> bool:
        """Whether this exact value may be sent here (kind and listed values; formats and patterns not judged)."""
        if not self.allows_kind(kind_of(value)):
            return False
        listed = self.values
        return listed is None or any(_same(value, item) for item in listed)

    def child(self, key: str) -> Sequence[Any] | object | None:
        """The schemas of property `key` (one per part declaring it), FREE when the alternative leaves the key
        open (no `properties` keyword at all, or additional properties allowed outright), None when it lists its
        properties (even none) or closes the object, and `key` is not among them."""
        declared = [
            (part.get("properties") or {})[key]
            for part in self.parts
            if isinstance(part.get("properties"), Mapping) and key in part["properties"]
        ]
        if declared:
            return declared
        extra = [part.get("additionalProperties") for part in self.parts if "additionalProperties" in part]
        if any(item is False for item in extra):
            return None
        schemas = [item for item in extra if isinstance(item, Mapping) and item]
        if schemas:
            return schemas
        if any(isinstance(part.get("properties"), Mapping) for part in self.parts):  # `properties: {}` declares none
            return None if not any(item is True or item == {} for item in extra) else FREE
        return FREE

    def items(self) -> Sequence[Any] | object:
        """The schemas of the array's items (FREE when none is given)."""
        found = [part["items"] for part in self.parts if isinstance(part.get("items"), Mapping)]
        return found or FREE


class ShapeReader:
    """The alternatives of a description's schemas, each read once: a schema node is read the same way wherever
    the walk meets it (keyed by the nodes' identity, which the reader keeps alive)."""

    def __init__(self, document: Mapping[str, Any], source: str = "") -> None:
        self.document = document
        self.source = source
        self._read: dict[tuple[int, ...], tuple[tuple[Any, ...], list[Shape]]] = {}

    def alternatives(self, schemas: Sequence[Any]) -> list[Shape]:
        """The alternatives of schemas that apply together ([] when they say nothing: any value)."""
        key = tuple(id(schema) for schema in schemas)
        found = self._read.get(key)
        if found is None:
            found = self._read[key] = (tuple(schemas), alternatives(self.document, list(schemas), source=self.source))
        return found[1]


def alternatives(document: Mapping[str, Any], schemas: Any, *, source: str = "") -> list[Shape]:
    """The alternatives of one schema or of several that apply together ([] when it says nothing: any value)."""
    pending = [list(schemas) if isinstance(schemas, (list, tuple)) else [schemas]]
    done: list[Shape] = []
    steps = 0
    while pending and len(done) < _MAX_ALTERNATIVES and steps < 4096:
        steps += 1
        parts, choices = _flatten(document, pending.pop(), source)
        if not choices:
            if any(_says_something(part) for part in parts):
                done.append(Shape.of(parts))
            continue
        first, rest = choices[0], [{"anyOf": choice} for choice in choices[1:]]
        pending.extend([*parts, *rest, branch] for branch in reversed(first))
    return done


def _flatten(
    document: Mapping[str, Any], nodes: Iterable[Any], source: str
) -> tuple[list[Mapping[str, Any]], list[list[Any]]]:
    """The parts that apply together (allOf followed, each without its composition keywords), and the oneOf/anyOf
    choices still to expand."""
    parts: list[Mapping[str, Any]] = []
    choices: list[list[Any]] = []
    stack = list(nodes)
    steps = 0
    while stack and steps < 16 * _MAX_DEPTH:
        steps += 1
        node = deref(document, stack.pop(), source=source)
        if not isinstance(node, Mapping):
            continue
        parts.append({key: value for key, value in node.items() if key not in ("allOf", "oneOf", "anyOf")})
        stack.extend(node.get("allOf") or [])
        choices.extend(list(node[key]) for key in ("oneOf", "anyOf") if isinstance(node.get(key), list) and node[key])
    return parts, choices


def _says_something(part: Mapping[str, Any]) -> bool:
    return any(
        key in part
        for key in (
            "type",
            "enum",
            "const",
            "properties",
            "additionalProperties",
            "items",
            "nullable",
            "required",
            "format",
            "pattern",
        )
    )


def _declared_kinds(part: Mapping[str, Any]) -> frozenset[str] | None:
    declared = part.get("type")
    if declared is None:
        if "enum" in part and isinstance(part["enum"], list):
            return frozenset(kind_of(value) for value in part["enum"]) | ({"null"} if part.get("nullable") else set())
        return None
    names = set(declared) if isinstance(declared, list) else {declared}
    if part.get("nullable"):
        names.add("null")
    return frozenset(name for name in names if name in KINDS)


def _meet(left: frozenset[str], right: frozenset[str]) -> frozenset[str]:
    both = set(left & right)
    if "integer" in left and "number" in right or "number" in left and "integer" in right:
        both.add("integer")
    return frozenset(both)


def _same(value: Any, item: Any) -> bool:
    return (
        value == item
        and kind_of(value) == kind_of(item)
        or (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and isinstance(item, (int, float))
            and not isinstance(item, bool)
            and value == item
        )
    )
