"""Drift: what changed between two recordings of the same provider, and recordings that break the pact.

With the usage model (`contractkit.pact.usage`), each difference is graded by whether a consumer reads what
changed: it breaks a consumer (an error naming the consumer, interaction and JSON path), it is an unused field
(a warning), or it is an added field (information). A provider-state variant cassette is compared with the
pact interactions given its state, the default cassette with the others.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, Collection, Iterator, Mapping, Sequence
from urllib.parse import urlencode

from contractkit.cassettes.model import Cassette, RecordedInteraction, RecordedResponse, body_to_bytes
from contractkit.cassettes.replay import IncomingRequest, InteractionIndex
from contractkit.core.codes import Code
from contractkit.core.loading import parse_json_value
from contractkit.core.model import Finding, Provider, Severity
from contractkit.openapi import ChangeSite
from contractkit.pact import Pact, PactInteraction, Usage, judge_response, parse_pact

# headers whose presence says nothing about the API's shape (hop-by-hop, caching, tracing)
_IGNORED_DRIFT_HEADERS = frozenset(
    {
        "date",
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "server",
        "age",
        "etag",
        "expires",
        "last-modified",
        "vary",
        "via",
        "x-request-id",
        "x-amzn-requestid",
        "x-amz-request-id",
        "x-amz-id-2",
        "set-cookie",
        "cf-ray",
    }
)


def body_shape(body: str | bytes | None, content_type: str = "") -> dict[str, str]:
    """A flat map of JSON path (or XML element path) to type: what drift compares, values aside."""
    data = body_to_bytes(body)
    if not data.strip():
        return {}
    text = data.decode("utf-8", "replace")
    if "json" in content_type or text.lstrip()[:1] in ("{", "["):
        try:
            shape: dict[str, str] = {}
            _json_shape(parse_json_value(text), "$", shape)
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


@dataclass(frozen=True, slots=True)
class _Difference:
    """One shape difference between two responses, and where a consumer would see it."""

    code: str
    severity: Severity
    message: str
    part: str  # status | media | body | header
    location: str = ""
    status: int = 0


def _differences(old: RecordedResponse, new: RecordedResponse) -> Iterator[_Difference]:
    if old.status != new.status:
        yield _Difference(
            Code.STATUS_CHANGED,
            Severity.ERROR,
            f"status changed from {old.status} to {new.status}",
            "status",
            "",
            old.status,
        )
    if old.content_type != new.content_type:
        yield _Difference(
            Code.CONTENT_TYPE_CHANGED,
            Severity.ERROR,
            f"content type changed from {old.content_type or 'none'} to {new.content_type or 'none'}",
            "media",
            "",
            old.status,
        )
    before, after = body_shape(old.body, old.content_type), body_shape(new.body, new.content_type)
    for path in sorted(before.keys() - after.keys()):
        yield _Difference(
            Code.FIELD_REMOVED, Severity.WARNING, f"field {path} ({before[path]}) removed", "body", path, old.status
        )
    for path in sorted(after.keys() - before.keys()):
        yield _Difference(
            Code.FIELD_ADDED, Severity.INFO, f"field {path} ({after[path]}) added", "added", path, old.status
        )
    for path in sorted(before.keys() & after.keys()):
        if before[path] != after[path] and "null" not in (before[path], after[path]):
            yield _Difference(
                Code.TYPE_CHANGED,
                Severity.WARNING,
                f"field {path} changed type from {before[path]} to {after[path]}",
                "body",
                path,
                old.status,
            )
    for name in sorted(_header_names(old) - _header_names(new)):
        yield _Difference(Code.HEADER_REMOVED, Severity.WARNING, f"header {name} removed", "header", name, old.status)
    for name in sorted(_header_names(new) - _header_names(old)):
        yield _Difference(Code.HEADER_ADDED, Severity.INFO, f"header {name} added", "added", name, old.status)


def iter_response_drift(
    old: RecordedResponse, new: RecordedResponse, *, where: str = "", readers: Usage | None = None, operation: str = ""
) -> Iterator[Finding]:
    """Shape changes between two responses: status, content type, fields, types and headers.

    With `readers` (the usage model of the interactions this recording answers), each change is graded: one a
    consumer sends or reads breaks that consumer (an error naming it), one nobody reads is an unused field (a
    warning), and an addition is an added field (information)."""
    for difference in _differences(old, new):
        if readers is None:
            yield Finding(difference.code, difference.severity, difference.message, where)
        else:
            yield _graded(difference, readers, operation, where)


def _graded(difference: _Difference, readers: Usage, operation: str, where: str) -> Finding:
    if difference.part == "added":
        return Finding(difference.code, Severity.INFO, f"{difference.message}: added field", where)
    site = ChangeSite(
        operation=operation,
        direction="response",
        part=difference.part,
        location=difference.location,
        status=str(difference.status),
    )
    seen = readers.observers(site)
    if seen:
        first = seen[0]
        more = f" and {len(seen) - 1} more" if len(seen) > 1 else ""
        return Finding(
            difference.code, Severity.ERROR, f"{difference.message}: breaks a consumer: {first.describe()}{more}", where
        )
    what = "unused field" if difference.part in ("body", "header") else "no consumer expects it"
    return Finding(difference.code, Severity.WARNING, f"{difference.message}: {what}", where)


def iter_drift(
    old: Cassette, new: Cassette, *, usage: Usage | None = None, provider: Provider | None = None
) -> Iterator[Finding]:
    """Shape drift between an old and a new recording of the same operation (paired by position).

    With the usage model and the provider, every difference is graded by whether a consumer reads it, against
    the interactions this cassette answers (a provider-state variant answers the interactions in its state)."""
    provider_name, operation = new.provider, new.operation
    readers = _readers(usage, provider, new) if usage is not None and provider is not None else None
    if len(old.interactions) != len(new.interactions):
        yield Finding(
            Code.INTERACTIONS_CHANGED,
            Severity.WARNING,
            f"{len(old.interactions)} interaction(s) before, {len(new.interactions)} now",
            str(new.path),
            provider_name,
            operation,
        )
    for index, (before, after) in enumerate(zip(old.interactions, new.interactions)):
        where = f"{new.path.name}: interactions[{index}]"
        for finding in iter_response_drift(
            before.response, after.response, where=where, readers=readers, operation=operation
        ):
            yield replace(finding, provider=provider_name, operation=operation)


def _readers(usage: Usage, provider: Provider, cassette: Cassette) -> Usage:
    """The usage of the interactions a cassette answers: its state's, or those in no state with a variant."""
    state = cassette_state(provider, cassette.path)
    variants = variant_states(provider)
    chosen = [
        item
        for item in usage.of_provider(provider.name)
        if item.operation == cassette.operation and _answers(state, variants, item.states)
    ]
    return Usage(tuple(chosen))


def _answers(state: str, variants: Collection[str], states: Sequence[str]) -> bool:
    """Whether the cassette of `state` ('' for the default one) answers an interaction given `states`."""
    if state:
        return state in states
    return not any(name in variants for name in states)


def variant_states(provider: Provider | None) -> set[str]:
    """The provider states the registry serves with a cassette variant."""
    if provider is None:
        return set()
    return set(provider.settings.variant_states)


def cassette_state(provider: Provider | None, path: Path | None) -> str:
    """The provider state whose cassette variant folder holds this cassette, or '' for a default cassette."""
    if provider is None or path is None:
        return ""
    folder = path.parent.as_posix().rstrip("/")
    for name, state in provider.settings.states.items():
        if state.is_cassette and folder.endswith("/" + PurePosixPath(state.target).as_posix().strip("/").lstrip("./")):
            return name
    return ""


def iter_pact_breaks(
    pact: Pact | Mapping[str, Any],
    interactions: Sequence[RecordedInteraction],
    provider: Any = None,
    *,
    state: str = "",
) -> Iterator[Finding]:
    """CK311 findings: pact interactions the recorded responses no longer satisfy (status, or a field the pact
    expects is missing or of another type). Requests are matched as the replay server matches them.

    A cassette answers the interactions of its provider state: the default cassette (`state` '') those in no
    state the registry serves with a cassette variant, a variant those given its state."""
    index = InteractionIndex(interactions, provider)
    variants = variant_states(provider) if isinstance(provider, Provider) else set()
    for item in (pact if isinstance(pact, Pact) else parse_pact(pact)).interactions:
        if not _answers(state, variants, item.state_names):
            continue
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


def iter_cassette_pact_breaks(
    provider: Provider, cassette: Cassette, pact: Pact | Mapping[str, Any]
) -> Iterator[Finding]:
    """CK311 findings of one cassette against the pact, each cassette with its own state's interactions."""
    state = cassette_state(provider, cassette.path)
    for finding in iter_pact_breaks(pact, cassette.interactions, provider, state=state):
        if finding.operation == cassette.operation:
            yield replace(finding, provider=provider.name)


def _pact_response_breaks(item: PactInteraction, recorded: RecordedInteraction) -> Iterator[Finding]:
    """The recorded response judged against the interaction as the Pact core judges it (`judge_response`): what
    `contracts verify` would report against this recording."""
    where = f"pact interactions[{item.index}] ({item.description})"
    response = recorded.response
    headers = [(name, value) for name, values in response.headers.items() for value in values]
    for mismatch in judge_response(item, response.status, headers, response.body_bytes):
        detail = mismatch.detail if mismatch.path in mismatch.detail else f"{mismatch.path}: {mismatch.detail}"
        yield Finding(Code.PACT_BROKEN, Severity.ERROR, detail, where, operation=recorded.operation)


def _reachable(path: str, have: Mapping[str, str]) -> bool:
    """True when every array above the path has items in the recording (an empty list hides nothing)."""
    position = path.rfind("[*]")
    return position < 0 or path[: position + 3] in have


__all__ = [
    "body_shape",
    "cassette_state",
    "iter_cassette_pact_breaks",
    "iter_drift",
    "iter_pact_breaks",
    "iter_response_drift",
    "variant_states",
]
