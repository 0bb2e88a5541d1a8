"""JSON Schema work shared by every validator: OpenAPI 3.0 -> 2020-12, compiling once, bounded errors.

Each response schema of an OpenAPI document is converted to JSON Schema 2020-12 (`nullable`, boolean
`exclusiveMinimum`, OpenAPI-only keywords dropped) and compiled with jsonschema-rs together with only the parts
its `$ref`s reach, each placed at its own JSON pointer, so that an error's evaluation path leads back to the
place in the description that said so (`keyword_pointer`). Converted parts are cached per document and shared
by its validators; nothing is deep-copied.

Failing traffic is the expensive case: jsonschema-rs builds every error of an instance before returning the
first, so `CompiledSchema` checks validity in one call and enumerates errors only up to a cap, item by item
for array bodies, keeping the count of the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from contractkit.core.errors import SchemaLoadError
from contractkit.core.limits import MAX_ERRORS_PER_RESPONSE
from contractkit.core.text import shorten
from contractkit.openapi import iter_refs, pointer_parts, resolve_pointer

if TYPE_CHECKING:
    import jsonschema_rs

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = (
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
)
_DROPPED = frozenset(("discriminator", "example", "xml", "externalDocs", "nullable"))


# --------------------------------------------------------------------------- OpenAPI 3.0 -> JSON Schema


def to_json_schema(node: Any, ref_prefix: str = "") -> Any:
    """Convert one OpenAPI 3.0 schema object (recursively) to JSON Schema 2020-12; `$ref`s are kept, with
    `ref_prefix` put in front of internal ones (to point them into a shared registry resource)."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED or key.startswith("x-"):
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: to_json_schema(sub, ref_prefix) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [to_json_schema(sub, ref_prefix) for sub in value]
        elif key in _SCHEMA_ONE:
            out[key] = to_json_schema(value, ref_prefix)
        elif key == "$ref" and ref_prefix and isinstance(value, str) and value.startswith("#"):
            out[key] = ref_prefix + value
        else:
            out[key] = value
    if "exclusiveMinimum" in node or "exclusiveMaximum" in node:
        _convert_exclusive_bounds(node, out)
    if node.get("nullable") is True:
        return _allow_null(out)
    return out


def _convert_exclusive_bounds(node: dict[str, Any], out: dict[str, Any]) -> None:
    # OAS 3.0 writes `exclusiveMinimum: true` next to `minimum`; 2020-12 wants the number itself
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = node.get(exclusive)
        if isinstance(flag, bool):
            out.pop(exclusive, None)
            if flag and bound in out:
                out[exclusive] = out.pop(bound)


def _allow_null(schema: dict[str, Any]) -> dict[str, Any]:
    if any(key in schema for key in ("$ref", "allOf", "anyOf", "oneOf")):
        return {"anyOf": [schema, {"type": "null"}]}
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        schema["type"] = kinds + ["null"] if "null" not in kinds else kinds
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = list(schema["enum"]) + [None]
    return schema


def resolve_schema_pointer(document: Any, ref: str, *, source: str = "") -> Any:
    """The node an internal `#/a/b` reference points at; raises SchemaLoadError when it does not resolve."""
    if not ref.startswith("#"):
        raise SchemaLoadError(
            f"external reference {ref!r} is not supported: slices must be self-contained",
            file=source or None,
            hint="re-import the slice so that every $ref is internal",
        )
    try:
        return resolve_pointer(document, ref)
    except KeyError:
        raise SchemaLoadError(f"reference {ref!r} does not resolve", file=source or None) from None


def _iter_refs(node: Any) -> Iterator[str]:
    return (ref for ref, _ in iter_refs(node))


def deref(document: Any, node: Any, *, source: str = "") -> Any:
    """Follow `$ref` chains (responses, parameters, path items) until a concrete object."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen:
            raise SchemaLoadError(f"reference cycle at {ref!r}", file=source or None)
        seen.add(ref)
        node = resolve_schema_pointer(document, ref, source=source)
    return node


# --------------------------------------------------------------------------- compiled schemas


def compile_schema(
    document: Mapping[str, Any],
    schema: Any,
    *,
    source: str = "",
    openapi: bool = True,
    converted: dict[str, Any] | None = None,
) -> jsonschema_rs.Validator:
    """A jsonschema-rs validator for one schema of `document`, carrying only the parts its `$ref`s reach.

    `converted` caches each referenced part once converted, so that the validators of one document share the
    work (the conversion builds new nodes and never changes the document, so nothing is deep-copied).
    """
    import jsonschema_rs

    convert = to_json_schema if openapi else _unchanged
    cache: dict[str, Any] = converted if converted is not None else {}
    refuse_self_references(document, schema, source)
    root = convert(schema) if isinstance(schema, dict) else schema
    if not isinstance(root, dict):
        root = {"allOf": [root]} if isinstance(root, bool) else {}
    root = dict(root)
    for ref in _reachable_refs(document, schema, source):
        part = cache.get(ref)
        if part is None:
            part = cache[ref] = convert(resolve_schema_pointer(document, ref, source=source))
        _place(root, pointer_parts(ref), part)
    root.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
    try:
        return jsonschema_rs.Draft202012Validator(root, validate_formats=True, offline=True)
    except (ValueError, jsonschema_rs.ReferencingError) as exc:
        raise SchemaLoadError(f"schema does not compile: {exc}", file=source or None) from exc


ITEMS_ENUMERATED = 3  # failing items of a list body whose errors are listed; the others are counted
SHARED_URI = "urn:contractkit:description"
_SHARED_PREFIX = "#/components/schemas/"


class SharedSchemas:
    """Compiles the response schemas of one OpenAPI document against one shared registry of its components.

    Every `components/schemas` entry is converted once (a few tens of milliseconds for GitHub's 969) into one
    jsonschema-rs registry resource; each response schema is then compiled on first use as a small root whose
    `$ref`s point into it, about five times cheaper than carrying every reachable part into each validator.
    A schema whose references leave `components/schemas` is compiled the self-contained way instead.

    Work that does not depend on the response is done once per document: schemas of the same content (GitHub's
    operations name the same `{$ref}` hundreds of times) share one validator, and each component is checked
    for self-references once, however many schemas reach it.
    """

    def __init__(self, document: Mapping[str, Any], *, source: str = "") -> None:
        self.document = document
        self.source = source
        self._registry: Any = None
        self._converted: dict[str, Any] = {}
        self._compiled: dict[str, Any] = {}  # canonical JSON of a schema -> its validator
        self._checked: set[str] = set()  # references whose every reachable schema passed refuse_self_references

    def compile(self, schema: Any) -> Any:
        """A jsonschema-rs validator for one schema of the document (raises SchemaLoadError when it is broken);
        schemas of the same content share one."""
        key = json.dumps(schema, sort_keys=True, default=str)
        validator = self._compiled.get(key)
        if validator is None:
            validator = self._compiled[key] = self._compile(schema)
        return validator

    def _compile(self, schema: Any) -> Any:
        import jsonschema_rs

        refuse_self_references(self.document, schema, self.source, checked=self._checked)
        if not isinstance(schema, dict) or not all(ref.startswith(_SHARED_PREFIX) for ref in _iter_refs(schema)):
            return compile_schema(self.document, schema, source=self.source, converted=self._converted)
        root = dict(to_json_schema(schema, SHARED_URI))
        root.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
        try:
            return jsonschema_rs.Draft202012Validator(
                root, registry=self._shared(), validate_formats=True, offline=True
            )
        except (ValueError, jsonschema_rs.ReferencingError):  # a component refers outside components/schemas
            return compile_schema(self.document, schema, source=self.source, converted=self._converted)

    def prepare(self) -> None:
        """Convert the components and build their registry now (it is otherwise built on first use)."""
        self._shared()

    def _shared(self) -> Any:
        import jsonschema_rs

        if self._registry is None:
            schemas = (self.document.get("components") or {}).get("schemas") or {}
            resource = {
                "components": {"schemas": {name: to_json_schema(node, SHARED_URI) for name, node in schemas.items()}}
            }
            self._registry = jsonschema_rs.Registry([(SHARED_URI, resource)])
        return self._registry


def _unchanged(node: Any) -> Any:
    return node


def refuse_self_references(
    document: Mapping[str, Any], schema: Any, source: str = "", *, checked: set[str] | None = None
) -> None:
    """Raise SchemaLoadError when the schema, or a schema it reaches, is only a `$ref` chain that comes back to
    itself: such a schema describes nothing and would accept any response.

    `checked` holds the references already walked to the end without a problem (by earlier calls on the same
    document); they are not walked again, and the ones this call walks are added once it succeeds.
    """
    done = checked if checked is not None else set()
    pending, seen = [schema], set()
    while pending:
        node = pending.pop()
        _refuse_ref_cycle(document, node, source)
        for ref in _iter_refs(node):
            if ref not in seen and ref not in done and ref != "#":
                seen.add(ref)
                pending.append(resolve_schema_pointer(document, ref, source=source))
    if checked is not None:
        checked |= seen


def _refuse_ref_cycle(document: Mapping[str, Any], node: Any, source: str) -> None:
    chain: list[str] = []
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and _is_ref_only(node):
        ref = node["$ref"]
        if ref in chain or ref == "#":
            raise SchemaLoadError(
                f"schema {ref} is only a reference to itself ({' -> '.join([*chain, ref])}): it "
                "describes nothing and would accept any response",
                file=source or None,
                hint="point the $ref at the schema it stands for, or re-import the slice",
            )
        chain.append(ref)
        node = resolve_schema_pointer(document, ref, source=source)


def _is_ref_only(node: Mapping[str, Any]) -> bool:
    return all(key == "$ref" or key.startswith("x-") or key in ("description", "summary", "title") for key in node)


def _reachable_refs(document: Mapping[str, Any], schema: Any, source: str) -> list[str]:
    found: list[str] = []
    pending = list(_iter_refs(schema))
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen or ref == "#":
            continue
        seen.add(ref)
        found.append(ref)
        pending.extend(_iter_refs(resolve_schema_pointer(document, ref, source=source)))
    # parents first so that a child placed later is not overwritten by its parent's copy
    return sorted(found, key=lambda ref: len(pointer_parts(ref)))


def _place(root: dict[str, Any], parts: list[str], value: Any) -> None:
    # containers on the way are copied, never changed: a converted part is shared by every validator of a document
    node = root
    for part in parts[:-1]:
        child = node.get(part)
        node[part] = child = dict(child) if isinstance(child, dict) else {}
        node = child
    if parts:
        existing = node.get(parts[-1])
        if isinstance(existing, dict) and isinstance(value, dict):
            merged = dict(value)
            merged.update(existing)  # keep deeper parts placed before (a ref into a ref'd schema)
            value = merged
        node[parts[-1]] = value


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One way an instance disagrees with a schema: where, why, what kind, and which schema keyword said so."""

    path: str  # JSON path into the instance, `$[0].user.login`
    reason: str
    kind: str  # missing-required | wrong-type | null | format | enum | undocumented-property | schema
    keyword_path: tuple[str, ...] = ()  # the evaluation path through the compiled schema, `$ref`s included
    detail: str = ""  # the property, format or documented type concerned


@dataclass(frozen=True, slots=True)
class SchemaProblems:
    """The problems of one instance, at most a cap of them, and how many more were seen but not enumerated."""

    problems: tuple[SchemaProblem, ...] = ()
    omitted: int = 0  # further errors counted beyond the cap
    failing_items: int = 0  # for an array body: how many of its items fail


NO_PROBLEMS = SchemaProblems()


class CompiledSchema:
    """A compiled response schema: validity in one call; on failure, errors enumerated only up to a cap.

    jsonschema-rs builds every error of an instance before handing the first one over (about 15 us each, with a
    copy of the failing value), so a failing list of a hundred large items costs milliseconds. For an array
    schema, each item is checked on its own instead: validity per item is cheap, only the first ITEMS_ENUMERATED
    failing items are enumerated (a drifted list repeats one error per item), and the failing items are counted.
    """

    def __init__(
        self, validator: Any, items: Callable[[], Any] | None = None, items_prefix: tuple[str, ...] = ()
    ) -> None:
        self.validator = validator
        self._items_factory = items
        self._items: Any = None
        self._items_prefix = items_prefix

    def is_valid(self, instance: Any) -> bool:
        """True when the instance conforms (stops at the first error)."""
        return bool(self.validator.is_valid(instance))

    def problems(self, instance: Any, limit: int) -> SchemaProblems:
        """The problems of an instance, at most `limit`, plus the count of the rest; empty when it conforms."""
        if self.validator.is_valid(instance):
            return NO_PROBLEMS
        if self._items_factory is None or not isinstance(instance, list):
            return _bounded(self.validator.iter_errors(instance), limit)
        if self._items is None:
            self._items = self._items_factory()
        return self._item_problems(instance, limit)

    def _item_problems(self, instance: list[Any], limit: int) -> SchemaProblems:
        problems: list[SchemaProblem] = []
        omitted = failing = 0
        for index, item in enumerate(instance):
            if self._items.is_valid(item):
                continue
            failing += 1
            if len(problems) >= limit or failing > ITEMS_ENUMERATED:
                continue  # counted as a failing item; its errors are not enumerated
            found = _bounded(
                self._items.iter_errors(item), limit - len(problems), prefix=(index,), keyword_prefix=self._items_prefix
            )
            problems += found.problems
            omitted += found.omitted
        if not problems:  # the list itself fails (minItems, uniqueItems ...)
            return _bounded(self.validator.iter_errors(instance), limit)
        return SchemaProblems(tuple(problems), omitted, failing)


def _bounded(
    errors: Iterable[Any], limit: int, *, prefix: tuple[int, ...] = (), keyword_prefix: tuple[str, ...] = ()
) -> SchemaProblems:
    problems: list[SchemaProblem] = []
    omitted = 0
    for error in errors:
        if len(problems) >= limit:
            omitted += 1
            continue
        kind, detail = classify_error(error)
        problems.append(
            SchemaProblem(
                json_path((*prefix, *error.instance_path)),
                explain_error(error),
                kind,
                keyword_prefix + tuple(str(part) for part in error.evaluation_path),
                detail,
            )
        )
    return SchemaProblems(tuple(problems), omitted)


def classify_error(error: Any) -> tuple[str, str]:
    """(kind, detail) of one jsonschema-rs error: the summary groups by kind, overlay suggestions read the detail."""
    kind = error.kind
    name = kind.name
    if name == "required":
        return "missing-required", str(kind.property)
    if name == "type":
        return ("null" if error.instance is None else "wrong-type"), " or ".join(kind.types)
    if name == "format":
        return "format", str(kind.format)
    if name == "enum":
        return "enum", ""
    if name == "additionalProperties":
        return "undocumented-property", ", ".join(kind.unexpected)
    return "schema", name


def schema_problems(validator: Any, instance: Any, *, limit: int = MAX_ERRORS_PER_RESPONSE) -> SchemaProblems:
    """The problems of an instance against a compiled schema (a CompiledSchema or a plain jsonschema-rs validator)."""
    if isinstance(validator, CompiledSchema):
        return validator.problems(instance, limit)
    if validator.is_valid(instance):
        return NO_PROBLEMS
    return _bounded(validator.iter_errors(instance), limit)


def schema_errors(validator: Any, instance: Any, *, limit: int = MAX_ERRORS_PER_RESPONSE) -> list[tuple[str, str]]:
    """(JSON path, reason) for each violation, at most `limit`; empty when the instance is valid."""
    return [(problem.path, problem.reason) for problem in schema_problems(validator, instance, limit=limit).problems]


def json_path(parts: Iterable[str | int]) -> str:
    """`$.items[0].user.login` from a list of keys and indexes."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", part):
            text += f".{part}"
        else:
            text += f"[{json.dumps(part)}]"
    return text


def explain_error(error: Any) -> str:
    """A short reason for one jsonschema-rs error, without dumping the whole instance."""
    kind = error.kind
    name = kind.name
    found = shorten(error.instance)
    if name == "required":
        return f"missing required property {kind.property!r}"
    if name == "type":
        shown = "" if error.instance is None or isinstance(error.instance, (dict, list)) else f" {found}"
        return f"expected {' or '.join(kind.types)}, got {_type_name(error.instance)}{shown}"
    if name == "enum":
        return f"{found} is not one of the documented values {shorten(kind.options, 120)}"
    if name == "format":
        return f"{found} is not a valid {kind.format}"
    if name == "additionalProperties":
        return f"undocumented properties {', '.join(map(repr, kind.unexpected))} (additionalProperties is false)"
    message = error.message
    return message if len(message) <= 200 else message[:197] + "..."


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object"}.get(
        type(value), type(value).__name__
    )


def items_schema(document: Mapping[str, Any], schema: Any) -> tuple[Any, tuple[str, ...]]:
    """The item schema of a plain array schema (after `$ref`s), and the evaluation path that leads to it."""
    prefix: list[str] = []
    node = schema
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and _is_ref_only(node) and len(prefix) < 16:
        node = resolve_schema_pointer(document, node["$ref"])
        prefix.append("$ref")
    plain = isinstance(node, dict) and node.get("type") == "array" and isinstance(node.get("items"), dict)
    if not plain or any(key in node for key in ("allOf", "anyOf", "oneOf", "not", "nullable", "prefixItems")):
        return None, ()
    return node["items"], (*prefix, "items")


def escape_pointer(part: str) -> str:
    """One JSON pointer segment, escaped (`~` -> `~0`, `/` -> `~1`)."""
    return part.replace("~", "~0").replace("/", "~1")


def keyword_pointer(document: Mapping[str, Any], base: str, keyword_path: Sequence[str]) -> tuple[str, str]:
    """(pointer of the schema object whose keyword failed, pointer of the `$ref` node the last step came through).

    Walks the description from `base` along the evaluation path, jumping at each `$ref` and stepping over the
    `anyOf` wrapper the 3.0 -> 2020-12 conversion adds for `nullable`; '' when the path leaves the description.
    """
    parts = pointer_parts(base)
    node: Any = resolve_schema_pointer(document, base) if base else document
    via, steps, index = "", list(keyword_path[:-1]), 0
    while index < len(steps):
        step = steps[index]
        if step == "$ref" and isinstance(node, dict) and isinstance(node.get("$ref"), str):
            via = "#" + "".join(f"/{escape_pointer(part)}" for part in parts)
            parts, node = pointer_parts(node["$ref"]), resolve_schema_pointer(document, node["$ref"], source="")
        elif step == "anyOf" and isinstance(node, dict) and "anyOf" not in node and node.get("nullable"):
            index += 1  # anyOf/0 is the node itself
        elif isinstance(node, dict) and step in node:
            node, via = node[step], ""
            parts.append(step)
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node, via = node[int(step)], ""
            parts.append(step)
        else:
            return "", ""
        index += 1
    return "#" + "".join(f"/{escape_pointer(part)}" for part in parts), via


__all__ = [
    "ITEMS_ENUMERATED",
    "NO_PROBLEMS",
    "SHARED_URI",
    "CompiledSchema",
    "SchemaProblem",
    "SchemaProblems",
    "SharedSchemas",
    "classify_error",
    "compile_schema",
    "deref",
    "escape_pointer",
    "explain_error",
    "items_schema",
    "json_path",
    "keyword_pointer",
    "refuse_self_references",
    "resolve_schema_pointer",
    "schema_errors",
    "schema_problems",
    "to_json_schema",
]
