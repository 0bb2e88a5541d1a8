"""Drift: what changed between two recordings of the same provider, and recordings that break the pact."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any, Iterator, Mapping, Sequence
from urllib.parse import urlencode

from contractkit.core.codes import CONTENT_TYPE_CHANGED, FIELD_ADDED, FIELD_REMOVED, HEADER_ADDED, HEADER_REMOVED, INTERACTIONS_CHANGED, PACT_BROKEN, STATUS_CHANGED, TYPE_CHANGED
from contractkit.cassettes.model import Cassette, RecordedInteraction, RecordedResponse, body_to_bytes
from contractkit.cassettes.replay import IncomingRequest, InteractionIndex
from contractkit.core.model import Finding, Severity
from contractkit.pact.reader import Pact, PactInteraction, parse_pact


# headers whose presence says nothing about the API's shape (hop-by-hop, caching, tracing)
_IGNORED_DRIFT_HEADERS = frozenset({"date", "content-length", "transfer-encoding", "connection", "keep-alive", "server",
                                    "age", "etag", "expires", "last-modified", "vary", "via", "x-request-id",
                                    "x-amzn-requestid", "x-amz-request-id", "x-amz-id-2", "set-cookie", "cf-ray"})


def body_shape(body: str | bytes | None, content_type: str = "") -> dict[str, str]:
    """A flat map of JSON path (or XML element path) to type: what drift compares, values aside."""
    data = body_to_bytes(body)
    if not data.strip():
        return {}
    text = data.decode("utf-8", "replace")
    if "json" in content_type or text.lstrip()[:1] in ("{", "["):
        try:
            shape: dict[str, str] = {}
            _json_shape(json.loads(text), "$", shape)
            return shape
        except ValueError:
            pass
    if text.lstrip().startswith("<"):
        return _xml_shape(text)
    return {"$": "text"}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"  # 1 and 1.5 are the same JSON type for a consumer
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _json_shape(value: Any, path: str, shape: dict[str, str]) -> None:
    kind = _json_type(value)
    previous = shape.get(path)
    # within an array, a null next to a value is optionality, not a type change
    shape[path] = kind if previous in (None, "null") else previous
    if isinstance(value, dict):
        for key, item in value.items():
            _json_shape(item, f"{path}.{key}", shape)
    elif isinstance(value, list):
        for item in value:
            _json_shape(item, f"{path}[*]", shape)


def _xml_shape(text: str) -> dict[str, str]:
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return {"$": "text"}
    shape: dict[str, str] = {}

    def walk(node: Any, path: str) -> None:
        tag = node.tag.split("}", 1)[-1]
        here = f"{path}/{tag}"
        children = list(node)
        shape[here] = "element" if children else "text"
        for child in children:
            walk(child, here)

    walk(root, "")
    return shape


def _header_names(response: RecordedResponse) -> set[str]:
    return {name.lower() for name in response.headers if name.lower() not in _IGNORED_DRIFT_HEADERS}


def iter_response_drift(old: RecordedResponse, new: RecordedResponse, *, where: str = "") -> Iterator[Finding]:
    """Shape changes between two responses: status, content type, fields, types and headers."""
    if old.status != new.status:
        yield Finding(STATUS_CHANGED, Severity.ERROR, f"status changed from {old.status} to {new.status}", where)
    if old.content_type != new.content_type:
        yield Finding(CONTENT_TYPE_CHANGED, Severity.ERROR,
                      f"content type changed from {old.content_type or 'none'} to {new.content_type or 'none'}", where)
    before, after = body_shape(old.body, old.content_type), body_shape(new.body, new.content_type)
    for path in sorted(before.keys() - after.keys()):
        yield Finding(FIELD_REMOVED, Severity.WARNING, f"field {path} ({before[path]}) removed", where)
    for path in sorted(after.keys() - before.keys()):
        yield Finding(FIELD_ADDED, Severity.INFO, f"field {path} ({after[path]}) added", where)
    for path in sorted(before.keys() & after.keys()):
        if before[path] != after[path] and "null" not in (before[path], after[path]):
            yield Finding(TYPE_CHANGED, Severity.WARNING, f"field {path} changed type from {before[path]} to {after[path]}", where)
    for name in sorted(_header_names(old) - _header_names(new)):
        yield Finding(HEADER_REMOVED, Severity.WARNING, f"header {name} removed", where)
    for name in sorted(_header_names(new) - _header_names(old)):
        yield Finding(HEADER_ADDED, Severity.INFO, f"header {name} added", where)


def iter_drift(old: Cassette, new: Cassette) -> Iterator[Finding]:
    """Shape drift between an old and a new recording of the same operation (paired by position)."""
    provider, operation = new.provider, new.operation
    if len(old.interactions) != len(new.interactions):
        yield Finding(INTERACTIONS_CHANGED, Severity.WARNING,
                      f"{len(old.interactions)} interaction(s) before, {len(new.interactions)} now",
                      str(new.path), provider, operation)
    for index, (before, after) in enumerate(zip(old.interactions, new.interactions)):
        where = f"{new.path.name}: interactions[{index}]"
        for finding in iter_response_drift(before.response, after.response, where=where):
            yield replace(finding, provider=provider, operation=operation)


def iter_pact_breaks(pact: Pact | Mapping[str, Any], interactions: Sequence[RecordedInteraction],
                     provider: Any = None) -> Iterator[Finding]:
    """CK311 findings: pact interactions the recorded responses no longer satisfy (status, or a field the pact
    expects is missing or of another type). Requests are matched as the replay server matches them."""
    index = InteractionIndex(interactions, provider)
    for item in (pact if isinstance(pact, Pact) else parse_pact(pact)).interactions:
        request = item.request
        query = urlencode([(key, value) for key, values in request.query.items() for value in values])
        target = request.path + (f"?{query}" if query else "")
        body = request.body if request.has_body else None
        raw = json.dumps(body).encode() if isinstance(body, (dict, list)) else body_to_bytes(body)
        headers = {key.lower(): values[0] for key, values in request.headers.items() if values}
        match = index.match(IncomingRequest(request.method, target, headers, raw))
        if match.interaction is None:
            continue  # unanswered requests are verification's business, not drift's
        yield from _pact_response_breaks(item, match.interaction)


def _pact_response_breaks(item: PactInteraction, recorded: RecordedInteraction) -> Iterator[Finding]:
    expected = item.response
    where = f"pact interactions[{item.index}] ({item.description})"
    operation = recorded.operation
    status = expected.status
    if status != recorded.response.status:
        yield Finding(PACT_BROKEN, Severity.ERROR, f"pact expects status {status}, the recording answers "
                      f"{recorded.response.status}", where, operation=operation)
        return
    body, content_type = expected.body if expected.has_body else None, expected.content_type
    if body is None:
        return
    wanted = body_shape(json.dumps(body) if isinstance(body, (dict, list)) else body, content_type or "application/json")
    have = body_shape(recorded.response.body, recorded.response.content_type)
    for path in sorted(wanted):
        if path not in have and _reachable(path, have):
            yield Finding(PACT_BROKEN, Severity.ERROR, f"pact expects {path} ({wanted[path]}), the recording has none",
                          where, operation=operation)
        elif path in have and wanted[path] != have[path] and "null" not in (wanted[path], have[path]):
            yield Finding(PACT_BROKEN, Severity.ERROR, f"pact expects {path} as {wanted[path]}, the recording has "
                          f"{have[path]}", where, operation=operation)


def _reachable(path: str, have: Mapping[str, str]) -> bool:
    """True when every array above the path has items in the recording (an empty list hides nothing)."""
    position = path.rfind("[*]")
    return position < 0 or path[: position + 3] in have
