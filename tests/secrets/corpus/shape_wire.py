"""How corpus cases travel: a case gives one item to a bucket (one recorded operation), and a bucket renders its
items as the request the registry sends and the answer the local server gives, in the structure or encoding the
case is about. The same rendering of a single item gives the case's own unscrubbed interaction for `scan`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from dataclasses import dataclass, field
from typing import Any, Mapping

SECRET, LOOKALIKE = "secret", "lookalike"
BUCKET_SIZE = 12
BOUNDARY = "----corpusBoundary7MA4YWxkTrZu0gW"

# place -> (side, method, media type of the body); the side the case's value travels on
PLACES: dict[str, tuple[str, str, str]] = {
    "json": ("response", "get", "application/json"),
    "json_raw": ("response", "get", "application/json"),
    "gzip_json": ("response", "get", "application/json"),
    "deflate_json": ("response", "get", "application/json"),
    "utf16_json": ("response", "get", "application/json"),
    "gzip_file": ("response", "get", "application/gzip"),
    "utf32_text": ("response", "get", "text/plain"),
    "text": ("response", "get", "text/plain"),
    "xml": ("response", "get", "application/xml"),
    "html": ("response", "get", "text/html"),
    "yaml": ("response", "get", "application/yaml"),
    "sse": ("response", "get", "text/event-stream"),
    "form_resp": ("response", "get", "application/x-www-form-urlencoded"),
    "resp_header": ("response", "get", "application/json"),
    "json_req": ("request", "post", "application/json"),
    "text_req": ("request", "post", "text/plain"),
    "xml_req": ("request", "post", "application/xml"),
    "form_req": ("request", "post", "application/x-www-form-urlencoded"),
    "multipart_req": ("request", "post", "multipart/form-data"),
    "graphql_req": ("request", "post", "application/json"),
    "query": ("request", "get", "application/json"),
    "req_header": ("request", "get", "application/json"),
    "path": ("request", "get", "application/json"),
}
_REPEATABLE = {"set-cookie"}


@dataclass(frozen=True)
class Case:
    """One corpus entry: a secret that must never be seen again, or a look-alike that must survive unchanged.

    `core` is what is searched for (a secret's random part; a look-alike's whole value), `forms` the exact
    encodings it crossed the wire in, `item` what it adds to its bucket (its shape depends on `place`),
    `schema` the OpenAPI schema of its own fields, headers or parameters, `security` the security schemes it
    needs in the description.
    """

    id: str
    kind: str
    shape: str
    source: str
    place: str
    core: str
    item: Any
    forms: tuple[str, ...] = ()
    provider: str = "shape"
    schema: Mapping[str, Any] = field(default_factory=dict)
    security: Mapping[str, Any] = field(default_factory=dict)

    @property
    def side(self) -> str:
        return PLACES[self.place][0]

    @property
    def split(self) -> str:
        """tune (two thirds) or holdout (one third), by a stable hash of the id."""
        return "holdout" if int(hashlib.sha256(self.id.encode()).hexdigest(), 16) % 3 == 0 else "tune"


@dataclass(frozen=True)
class Wire:
    """A bucket rendered: the registry's request entry and the server's answer."""

    method: str
    path: str
    request: dict[str, Any]
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    path_params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Bucket:
    """Cases recorded through one operation of one provider."""

    provider: str
    place: str
    index: int
    cases: tuple[Case, ...]

    @property
    def operation(self) -> str:
        return f"{self.place}_{self.index}"

    @property
    def wire(self) -> Wire:
        return render(self.place, self.operation, [case.item for case in self.cases if case.item is not None])


def names_of(case: Case) -> tuple[set[str], set[str]]:
    """The names a case's item takes in its bucket, and those of them its schema describes: two cases meet in
    one bucket only if neither uses a name the other describes (headers, parameters and form fields: any name)."""
    item = case.item
    if item is None:
        return set(), set()
    if case.place in ("query", "req_header", "resp_header", "form_req", "form_resp", "multipart_req"):
        name = str(item[0]).lower()
        return (set(), set()) if name in _REPEATABLE else ({name}, {name})
    if case.place == "path":
        return {"path"}, {"path"}
    if case.place == "graphql_req" and item[0] == "var":
        return {item[1]}, {item[1]}
    if isinstance(item, dict):
        return set(item), set(case.schema)
    return set(), set()


def buckets_of(cases: list[Case]) -> list[Bucket]:
    """Cases grouped deterministically into buckets of at most BUCKET_SIZE with no clash of names."""
    open_buckets: dict[tuple[str, str], list[tuple[set[str], set[str], list[Case]]]] = {}
    for case in cases:
        groups = open_buckets.setdefault((case.provider, case.place), [])
        names, described = names_of(case)
        for used, taken, members in groups:
            if len(members) < BUCKET_SIZE and not (taken & names) and not (described & used):
                used |= names
                taken |= described
                members.append(case)
                break
        else:
            groups.append((set(names), set(described), [case]))
    return [
        Bucket(provider, place, index, tuple(members))
        for (provider, place), groups in open_buckets.items()
        for index, (_, _, members) in enumerate(groups)
    ]


def _json_bytes(items: list[Any]) -> bytes:
    return json.dumps({"items": items}).encode()


def _raw_json_bytes(items: list[Any]) -> bytes:
    return ('{"items": [' + ", ".join(items) + "]}").encode()


def _multipart(items: list[Any]) -> str:
    parts = []
    for name, filename, content_type, content in items:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        head = f"Content-Disposition: {disposition}\r\n" + (f"Content-Type: {content_type}\r\n" if content_type else "")
        parts.append(f"--{BOUNDARY}\r\n{head}\r\n{content}\r\n")
    return "".join(parts) + f"--{BOUNDARY}--\r\n"


def _graphql(items: list[Any]) -> str:
    variables = {name: value for kind, name, value in items if kind == "var"}
    inline = " ".join(text for kind, text, _ in items if kind == "inline")
    declared = ", ".join(f"${name}: JSON" for name in variables)
    query = f"mutation Bulk{'(' + declared + ')' if declared else ''} {{ {inline or 'ping'} }}"
    return json.dumps({"operationName": "Bulk", "query": query, "variables": variables})


def _ok() -> tuple[int, list[tuple[str, str]], bytes]:
    return 200, [("Content-Type", "application/json")], b'{"ok": true}'


def render(place: str, operation: str, items: list[Any]) -> Wire:
    """The request and answer of one operation carrying these items."""
    side, method, media = PLACES[place]
    path = f"/{operation}"
    request: dict[str, Any] = {}
    status, headers, body = _ok()
    params: dict[str, str] = {}
    if side == "response":
        headers, body = _response(place, media, items)
    elif place == "query":
        request["query"] = {name: value for name, value in items}
    elif place == "req_header":
        request["headers"] = {name: value for name, value in items}
    elif place == "path":
        path = f"/{operation}/{{token}}"
        params = {"token": items[0]}
        request["path"] = params
    else:
        request["headers"], request["body"] = _request_body(place, media, items)
    return Wire(method.upper(), path, request, status, headers, body, params)


def _request_body(place: str, media: str, items: list[Any]) -> tuple[dict[str, str], Any]:
    if place == "json_req":
        return {"Content-Type": media}, {"items": items}
    if place == "graphql_req":
        return {"Content-Type": media}, _graphql(items)
    if place == "multipart_req":
        return {"Content-Type": f"{media}; boundary={BOUNDARY}"}, _multipart(items)
    if place == "form_req":
        return {"Content-Type": media}, "&".join(f"{name}={value}" for name, value in items)
    if place == "xml_req":
        return {"Content-Type": media}, "<?xml version='1.0'?><Request>" + "".join(items) + "</Request>"
    return {"Content-Type": "text/plain; charset=utf-8"}, "\n".join(items) + "\n"


def _response(place: str, media: str, items: list[Any]) -> tuple[list[tuple[str, str]], bytes]:
    text_lines = ("\n".join(items) + "\n").encode() if place in ("text", "gzip_file", "utf32_text") else b""
    if place == "json":
        return [("Content-Type", media)], _json_bytes(items)
    if place == "json_raw":
        return [("Content-Type", media)], _raw_json_bytes(items)
    if place == "gzip_json":
        return [("Content-Type", media), ("Content-Encoding", "gzip")], gzip.compress(_json_bytes(items), mtime=0)
    if place == "deflate_json":
        return [("Content-Type", media), ("Content-Encoding", "deflate")], zlib.compress(_json_bytes(items))
    if place == "utf16_json":
        return [("Content-Type", f"{media}; charset=utf-16")], json.dumps({"items": items}).encode("utf-16")
    if place == "gzip_file":
        return [("Content-Type", media), ("Content-Disposition", 'attachment; filename="export.env.gz"')], (
            gzip.compress(text_lines, mtime=0)
        )
    if place == "utf32_text":
        return [("Content-Type", f"{media}; charset=utf-32")], text_lines.decode().encode("utf-32")
    if place == "text":
        return [("Content-Type", f"{media}; charset=utf-8")], text_lines
    if place == "xml":
        return [("Content-Type", media)], ("<?xml version='1.0'?><Response>" + "".join(items) + "</Response>").encode()
    if place == "html":
        page = "<!doctype html><html><body>\n" + "\n".join(items) + "\n</body></html>\n"
        return [("Content-Type", f"{media}; charset=utf-8")], page.encode()
    if place == "yaml":
        return [("Content-Type", media)], ("\n".join(items) + "\n").encode()
    if place == "sse":
        events = "".join(f"event: update\nid: {n}\ndata: {json.dumps(item)}\n\n" for n, item in enumerate(items))
        return [("Content-Type", media)], events.encode()
    if place == "form_resp":
        return [("Content-Type", media)], "&".join(f"{name}={value}" for name, value in items).encode()
    return [("Content-Type", media), *[(name, value) for name, value in items]], b'{"ok": true}'
