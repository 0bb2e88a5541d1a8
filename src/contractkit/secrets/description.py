"""What a provider's API description says about its fields, as scrubbing uses it.

The toolkit knows the description of every API it records, which no general-purpose scanner does:

- a value that matches its field's documented `pattern`, `format` (date, date-time, uuid ...) or `enum` is data,
  however random it looks (a commit SHA under `pattern: ^[0-9a-f]{40}$`, an image digest, an id);
- a field documented `format: password` or `writeOnly`, and every name the description's security schemes give
  an API key (header, query or cookie), holds a secret;
- a field the description does not document at all is unexplained: a random-looking value there is scrubbed and
  its placeholder says so (`<scrubbed:unexplained-NAME>`).

Fields are keyed by name (lower-case, without `_` and `-`): a name documented anywhere in the description counts
as documented, and a value is explained when it fits any documentation of that name.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterator, Mapping

__all__ = ["DescriptionHints", "FieldDoc", "hints_from_document"]

# formats whose values are data by their shape; `byte`, `binary` and `password` carry anything
_DATA_FORMATS = frozenset(
    {"date", "date-time", "time", "uuid", "email", "ipv4", "ipv6", "hostname", "int32", "int64", "duration"}
)


@dataclass(frozen=True, slots=True)
class FieldDoc:
    """Every documentation of one field name: the patterns, formats and enum values it is given."""

    patterns: tuple[str, ...] = ()
    formats: frozenset[str] = frozenset()
    enum: frozenset[str] = frozenset()

    def explains(self, value: str) -> bool:
        """True when the value fits one of the documented enums, patterns or data formats."""
        if value in self.enum:
            return True
        if any(_fits_pattern(pattern, value) for pattern in self.patterns):
            return True
        return any(_fits_format(name, value) for name in self.formats & _DATA_FORMATS)


# a pattern's literal start: `^AC`, `^ghs_` (two characters or more, no regex syntax)
_PATTERN_PREFIX = re.compile(r"\^?([A-Za-z0-9_-]{2,})")


@dataclass(frozen=True, slots=True)
class DescriptionHints:
    """A description's documented fields (by key), its secret fields, and whether there is a description."""

    fields: Mapping[str, FieldDoc] = field(default_factory=dict)
    secret: frozenset[str] = frozenset()
    described: bool = False

    def is_secret(self, name: str) -> bool:
        """True when the description marks this field secret (`format: password`, `writeOnly`, a key's name)."""
        return bool(self.secret) and _key(name) in self.secret

    def explains(self, name: str, value: str) -> bool:
        """True when the description documents this field and the value fits its pattern, format or enum."""
        doc = self.fields.get(_key(name)) if self.fields else None
        return doc is not None and doc.explains(value)

    def documents_shape(self, name: str, value: str) -> bool:
        """True when the description documents this very shape: the value is one of the field's enum values, or
        fits a pattern that spells out the value's fixed prefix (`^AC[0-9a-f]{32}$` for a Twilio account id), so
        a vendor format matching the value names the same thing the description calls data."""
        doc = self.fields.get(_key(name)) if self.fields else None
        if doc is None:
            return False
        if value in doc.enum:
            return True
        for pattern in doc.patterns:
            prefix = _PATTERN_PREFIX.match(pattern)
            if prefix and value.startswith(prefix[1]) and _fits_pattern(pattern, value):
                return True
        return False

    def is_unexplained(self, name: str) -> bool:
        """True when there is a description and it does not explain a field of this name: documents no field
        of the name, or only as a string with no pattern, format or enum (which explains nothing about a value)."""
        if not self.described or not name:
            return False
        doc = self.fields.get(_key(name))
        return doc is None or not (doc.patterns or doc.formats or doc.enum)

    def merged(self, other: DescriptionHints) -> DescriptionHints:
        """These hints and another description's."""
        fields = dict(self.fields)
        for key, doc in other.fields.items():
            fields[key] = _merge(fields[key], doc) if key in fields else doc
        return DescriptionHints(fields, self.secret | other.secret, self.described or other.described)


def hints_from_document(document: Mapping[str, Any]) -> DescriptionHints:
    """The hints of an OpenAPI 3 document (Swagger 2 converted): every property and parameter it documents."""
    fields: dict[str, FieldDoc] = {}
    secret: set[str] = set()
    for name, schema in _iter_documented(document):
        if not isinstance(schema, Mapping):
            continue
        schema = _resolved(document, schema)
        if schema.get("format") == "password" or schema.get("writeOnly") is True:
            secret.add(_key(name))
        doc = _doc_of(schema)
        fields[_key(name)] = _merge(fields[_key(name)], doc) if _key(name) in fields else doc
    for scheme in _security_schemes(document):
        if scheme.get("type") == "apiKey" and isinstance(scheme.get("name"), str):
            secret.add(_key(scheme["name"]))
    return DescriptionHints(fields, frozenset(secret), True)


def _iter_documented(node: Any) -> Iterator[tuple[str, Any]]:
    """(name, schema) of every property and parameter anywhere in a document."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Mapping):
            properties = current.get("properties")
            if isinstance(properties, Mapping):
                yield from ((str(name), schema) for name, schema in properties.items())
            if isinstance(current.get("name"), str) and current.get("in") in ("query", "header", "path", "cookie"):
                yield current["name"], current.get("schema", current)
            headers = current.get("headers")
            if isinstance(headers, Mapping) and ("description" in current or "content" in current):
                for name, header in headers.items():  # a response's documented headers
                    yield str(name), header.get("schema", header) if isinstance(header, Mapping) else {}
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def _resolved(document: Mapping[str, Any], schema: Mapping[str, Any]) -> Mapping[str, Any]:
    seen = 0
    while isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/") and seen < 16:
        target: Any = document
        for part in schema["$ref"][2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(target, Mapping) else None
        if not isinstance(target, Mapping):
            break
        schema, seen = target, seen + 1
    return schema


def _doc_of(schema: Mapping[str, Any]) -> FieldDoc:
    patterns, formats, enum = [], set(), set()
    for part in [schema, *_alternatives(schema)]:
        if isinstance(part.get("pattern"), str):
            patterns.append(part["pattern"])
        if isinstance(part.get("format"), str):
            formats.add(part["format"])
        for value in part.get("enum") or () if isinstance(part.get("enum"), list) else ():
            enum.add(str(value))
        if "const" in part:
            enum.add(str(part["const"]))
    return FieldDoc(tuple(patterns), frozenset(formats), frozenset(enum))


def _alternatives(schema: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = []
    for keyword in ("oneOf", "anyOf", "allOf"):
        found += [item for item in schema.get(keyword) or () if isinstance(item, Mapping)]
    if isinstance(schema.get("items"), Mapping):
        found.append(schema["items"])
    return found


def _merge(left: FieldDoc, right: FieldDoc) -> FieldDoc:
    return FieldDoc(left.patterns + right.patterns, left.formats | right.formats, left.enum | right.enum)


def _security_schemes(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
    return [scheme for scheme in (schemes or {}).values() if isinstance(scheme, Mapping)]


def _key(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


_PATTERNS: dict[str, re.Pattern[str] | None] = {}


def _fits_pattern(pattern: str, value: str) -> bool:
    if pattern not in _PATTERNS:
        try:
            _PATTERNS[pattern] = re.compile(pattern)
        except re.error:
            _PATTERNS[pattern] = None
    compiled = _PATTERNS[pattern]
    # a pattern that any text fits (`.*`, `^.{8,}$`, `\\S+`) documents nothing about the value
    return (
        compiled is not None and not any(compiled.search(probe) for probe in _PROBES) and bool(compiled.search(value))
    )


# texts no documented id, digest or date fits: a pattern that fits one of them fits anything
_PROBES = ("\x00 ~", "Zq8Xv2Lm9Nb4Kt7Rw3Yc6Hd1Jf5Gs0Pa2Qe7T+/x-_.~!", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")


def _fits_format(name: str, value: str) -> bool:
    try:
        if name == "date":
            date.fromisoformat(value)
        elif name == "date-time":
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        elif name == "uuid":
            uuid.UUID(value)
        elif name in ("int32", "int64"):
            int(value)
        else:
            return _SIMPLE_FORMATS.get(name, re.compile(r"(?!)")).fullmatch(value) is not None
    except ValueError:
        return False
    return True


_SIMPLE_FORMATS = {
    "email": re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+"),
    "ipv4": re.compile(r"(?:\d{1,3}\.){3}\d{1,3}"),
    "ipv6": re.compile(r"[0-9A-Fa-f:]+(?:%\w+)?"),
    "hostname": re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?"),
    "time": re.compile(r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?"),
    "duration": re.compile(r"P[0-9YMWDTHS.]+"),
}
