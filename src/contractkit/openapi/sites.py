"""Where a change between two API descriptions lands, in the consumer's terms.

A diff reports a change at a JSON pointer into a description (`#/paths/~1search/get/parameters/6/schema`,
`#/paths/~1incidents/get/responses/200/content/application~1json/schema/properties/incidents/items/...`).
A consumer observes a request parameter by name, a response field by JSON path, a status, a header, a media
type. `site_of` turns the one into the other: operation, direction, status, and the parameter name or the
JSON path into the body (`$.incidents[*].acknowledgements[*].acknowledger.id`).

    site = site_of(change, old=old_document, new=new_document)
    site.direction, site.part, site.location  # ('request', 'query', 'limit')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Protocol, Sequence

from contractkit.openapi.documents import HTTP_METHODS, pointer_parts

__all__ = ["ChangeLike", "ChangeSite", "body_path", "site_of"]

REQUEST, RESPONSE, OPERATION = "request", "response", "operation"
_PARAMETER_IN_MESSAGE = re.compile(r"\b(query|header|path|cookie) parameter '([^']+)'")
_BRANCHES = frozenset({"allOf", "anyOf", "oneOf"})
_SINGLE = frozenset({"not", "if", "then", "else", "contains", "unevaluatedItems"})


class ChangeLike(Protocol):
    """What a site needs of a diff change (contractkit.diff.Change has it)."""

    @property
    def rule(self) -> str: ...
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def message(self) -> str: ...


@dataclass(frozen=True, slots=True)
class ChangeSite:
    """A place in an API as a consumer sees it.

    `direction` is request, response or operation (the whole operation: removed, deprecated, new credentials);
    `part` is path, query, header or cookie (a parameter named by `location`), body (a JSON path in
    `location`, `$` for the whole body), media (a media type in `location`), status, or '' for the whole
    direction. `required` marks a change that asks for something new of the request: it is observed by the
    calls that do not send it yet. An empty `method` with a `path` means every method on that path."""

    method: str = ""
    path: str = ""
    direction: str = OPERATION
    part: str = ""
    location: str = ""
    status: str = ""
    required: bool = False
    operation: str = ""  # a registered operation's name, instead of method and path
    provider: str = ""  # '' means any provider

    def describe(self) -> str:
        """`GET /search response 200 body $.sortMeta`, for messages."""
        words = [
            f"{self.method} {self.path}".strip() or self.operation,
            self.direction if self.direction != OPERATION else "",
        ]
        words += [self.status, self.part, self.location]
        return " ".join(word for word in words if word)


def site_of(
    change: ChangeLike, *, old: Mapping[str, Any] | None = None, new: Mapping[str, Any] | None = None
) -> ChangeSite:
    """The site of a diff change; the documents resolve a parameter's name from its index."""
    parts = pointer_parts(change.location) if change.location.startswith("#") else []
    base = ChangeSite(
        method=change.method.upper(),
        path=change.path,
        required="required" in change.rule and change.rule.startswith("request-"),
    )
    if len(parts) < 3 or parts[0] != "paths":
        return base
    rest = parts[2:]
    if rest[0] in HTTP_METHODS:
        base = ChangeSite(method=rest[0].upper(), path=parts[1], required=base.required)
        rest = rest[1:]
    if not rest:
        return base
    documents = [document for document in (new, old) if document is not None]
    return _below_operation(base, parts[: len(parts) - len(rest)], rest, change.message, documents)


def _below_operation(
    base: ChangeSite, head: Sequence[str], rest: Sequence[str], message: str, documents: Sequence[Mapping[str, Any]]
) -> ChangeSite:
    key = rest[0]
    if key == "parameters":
        return _parameter_site(base, head, rest, message, documents)
    if key == "requestBody":
        return _content_site(base, REQUEST, "", rest[1:])
    if key == "responses" and len(rest) >= 2:
        return _response_site(base, rest[1], rest[2:])
    return base  # security, deprecated, operationId...: the operation as a whole


def _parameter_site(
    base: ChangeSite, head: Sequence[str], rest: Sequence[str], message: str, documents: Sequence[Mapping[str, Any]]
) -> ChangeSite:
    where, name = "", ""
    if len(rest) >= 2 and rest[1].isdigit():
        where, name = _parameter_named(documents, list(head) + ["parameters", rest[1]])
    if not name:
        found = _PARAMETER_IN_MESSAGE.search(message)
        where, name = (found.group(1), found.group(2)) if found else ("", "")
    if where == "body":  # Swagger 2.0: the body is a parameter
        return _with(base, REQUEST, "body", body_path(rest[3:] if len(rest) > 2 and rest[2] == "schema" else []))
    return _with(base, REQUEST, where or "query", name) if name else _with(base, REQUEST, "", "")


def _parameter_named(documents: Sequence[Mapping[str, Any]], parts: Sequence[str]) -> tuple[str, str]:
    for document in documents:
        node = _resolve(document, parts)
        if isinstance(node, Mapping) and isinstance(node.get("name"), str):
            return str(node.get("in", "")), str(node["name"])
    return "", ""


def _resolve(document: Mapping[str, Any], parts: Sequence[str], depth: int = 0) -> Any:
    node: Any = document
    for part in parts:
        node = _follow(document, node, depth)
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return None
    return _follow(document, node, depth)


def _follow(document: Mapping[str, Any], node: Any, depth: int) -> Any:
    ref = node.get("$ref") if isinstance(node, Mapping) else None
    if isinstance(ref, str) and ref.startswith("#") and depth < 16:
        return _resolve(document, pointer_parts(ref), depth + 1)
    return node


def _response_site(base: ChangeSite, status: str, rest: Sequence[str]) -> ChangeSite:
    if not rest:
        return _with(base, RESPONSE, "status", "", status)
    if rest[0] == "headers" and len(rest) >= 2:
        return _with(base, RESPONSE, "header", rest[1], status)
    if rest[0] == "schema":  # Swagger 2.0
        return _with(base, RESPONSE, "body", body_path(rest[1:]), status)
    return _content_site(base, RESPONSE, status, rest)


def _content_site(base: ChangeSite, direction: str, status: str, rest: Sequence[str]) -> ChangeSite:
    if len(rest) >= 2 and rest[0] == "content":
        if len(rest) >= 3 and rest[2] == "schema":
            return _with(base, direction, "body", body_path(rest[3:]), status)
        return _with(base, direction, "media", rest[1], status)
    return _with(base, direction, "body" if direction == REQUEST else "", "$" if direction == REQUEST else "", status)


def _with(base: ChangeSite, direction: str, part: str, location: str, status: str = "") -> ChangeSite:
    return ChangeSite(
        method=base.method,
        path=base.path,
        direction=direction,
        part=part,
        location=location,
        status=status,
        required=base.required,
    )


def body_path(schema_parts: Sequence[str]) -> str:
    """The JSON path a schema pointer describes: properties/a/items/properties/b -> `$.a[*].b`; composition
    keywords (allOf, oneOf, anyOf) add nothing, and the walk stops at the first other keyword."""
    out = "$"
    index = 0
    while index < len(schema_parts):
        key = schema_parts[index]
        following = schema_parts[index + 1] if index + 1 < len(schema_parts) else None
        if key == "properties" and following is not None:
            out += f".{following}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_\-]*", following) else f"['{following}']"
            index += 2
        elif key in ("items", "additionalItems"):
            out += "[*]"
            index += 1
        elif key == "prefixItems" and following is not None and following.isdigit():
            out += f"[{following}]"
            index += 2
        elif key == "additionalProperties" or (key == "patternProperties" and following is not None):
            out += ".*"
            index += 1 if key == "additionalProperties" else 2
        elif key in _BRANCHES and following is not None and following.isdigit():
            index += 2
        elif key in _SINGLE:
            index += 1
        else:
            break
    return out
