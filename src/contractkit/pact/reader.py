"""The one pact reader: a pact file (specification V2 to V4) -> typed interactions with decoded bodies.

Every engine that reads a pact reads it here: verification, the pact-vs-OpenAPI check, drift, the gate,
the inventory, overlay evidence and the fuzzer's consumer-compatibility check. Types are checked before
use (a status must be an integer, a path a string), V4 bodies are decoded (`encoded: base64` included),
V2's flat matching rules are put in the V3/V4 shape, and provider states keep their parameters.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence
from urllib.parse import parse_qs

from contractkit.core.errors import KeyPath, PactFileError
from contractkit.core.http import is_json_media
from contractkit.core.loading import read_text

HTTP_INTERACTION = "Synchronous/HTTP"
_CATEGORIES = ("body", "header", "query", "path", "status")

Rules = Mapping[str, Mapping[str, Any]]  # category -> path -> {"matchers": [...], "combine": "AND"|"OR"}


@dataclass(frozen=True, slots=True)
class PactState:
    """A provider state an interaction is given, with its parameters."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class PactMessage:
    """What a request and a response have alike: headers, the decoded body, its media type and matching rules."""

    headers: Mapping[str, tuple[str, ...]]
    body: Any = None
    has_body: bool = False
    content_type: str = ""
    rules: Rules = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """A header's first value, case-insensitively."""
        return first_value(self.headers, name)


@dataclass(frozen=True, slots=True, kw_only=True)
class PactRequest(PactMessage):
    """What the consumer sends: method, path, query, headers and the decoded body."""

    method: str
    path: str
    query: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True, kw_only=True)
class PactResponse(PactMessage):
    """What the consumer expects back: status, headers and the decoded body with its matching rules."""

    status: int


@dataclass(frozen=True, slots=True)
class PactInteraction:
    """One HTTP interaction of a pact; `raw` is the JSON as the file holds it (for the Pact core)."""

    index: int
    description: str
    states: tuple[PactState, ...]
    request: PactRequest
    response: PactResponse
    comments: Mapping[str, Any] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def operation(self) -> str:
        """The registry operation the consumer run recorded in the interaction's comments ('' when absent)."""
        return str(self.comments.get("operation", "") or "")

    @property
    def state_names(self) -> tuple[str, ...]:
        """The names of the provider states, in order."""
        return tuple(state.name for state in self.states)


@dataclass(frozen=True, slots=True)
class Pact:
    """A pact file: who consumes whom, the specification, and its HTTP interactions."""

    path: Path | None
    consumer: str
    provider: str
    specification: str
    interactions: tuple[PactInteraction, ...]
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


def load_pact(path: str | Path) -> Pact:
    """Read and check a pact file; PactFileError names the file and the key path of what is wrong."""
    path = Path(path)
    return parse_pact(read_pact(path), source=path)


def read_pact(path: str | Path) -> dict[str, Any]:
    """A pact file's JSON, checked to be a pact at the top level (the Pact core reads this form)."""
    shown = str(path)
    if not Path(path).exists() and not Path(path).is_symlink():
        raise PactFileError("pact file not found", file=shown, hint="run `contracts consumer` first")
    text = read_text(Path(path), PactFileError)  # refuses FIFOs, devices, oversized and too deeply nested files
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PactFileError(f"invalid JSON: {exc.msg}", file=shown, line=exc.lineno) from exc
    except RecursionError:
        raise PactFileError("JSON nested too deeply to be a pact", file=shown) from None
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        raise PactFileError("not a pact: expected an object with an 'interactions' list", file=shown)
    return data


def parse_pact(data: Mapping[str, Any], *, source: str | Path | None = None) -> Pact:
    """A pact from its JSON (V2 to V4); message interactions are left out."""
    shown = str(source) if source is not None else None
    interactions = data.get("interactions")
    if not isinstance(interactions, list):
        raise PactFileError("not a pact: expected an 'interactions' list", file=shown, key_path=("interactions",))
    parsed = tuple(_interaction(item, index, shown) for index, item in enumerate(interactions)
                   if not isinstance(item, Mapping) or item.get("type", HTTP_INTERACTION) == HTTP_INTERACTION)
    metadata = data.get("metadata") if isinstance(data.get("metadata"), Mapping) else {}
    spec = (metadata.get("pactSpecification") or metadata.get("pact-specification") or {}) if metadata else {}
    return Pact(Path(source) if source is not None else None, _name(data, "consumer"), _name(data, "provider"),
                str(spec.get("version", "")) if isinstance(spec, Mapping) else "", parsed, data)


def http_interactions(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The raw HTTP interactions of a pact's JSON (for the Pact core, which reads the file form)."""
    return [item for item in data.get("interactions", [])
            if isinstance(item, Mapping) and item.get("type", HTTP_INTERACTION) == HTTP_INTERACTION]


def _name(data: Mapping[str, Any], role: str) -> str:
    party = data.get(role)
    return str(party.get("name", "")) if isinstance(party, Mapping) else ""


def _interaction(raw: Any, index: int, shown: str | None) -> PactInteraction:
    where: KeyPath = ("interactions", index)
    if not isinstance(raw, Mapping):
        raise PactFileError(f"expected an interaction (a mapping), got {_kind(raw)}", file=shown, key_path=where)
    request, response = raw.get("request"), raw.get("response")
    for part, value in (("request", request), ("response", response)):
        if not isinstance(value, Mapping):
            raise PactFileError(f"expected a mapping, got {_kind(value)}", file=shown, key_path=where + (part,))
    comments = raw.get("comments") if isinstance(raw.get("comments"), Mapping) else {}
    return PactInteraction(index, str(raw.get("description", "")), _states(raw, shown, where),
                           _request(request, shown, where + ("request",)),  # type: ignore[arg-type]
                           _response(response, shown, where + ("response",)),  # type: ignore[arg-type]
                           comments or {}, raw)


def _states(raw: Mapping[str, Any], shown: str | None, where: KeyPath) -> tuple[PactState, ...]:
    states = raw.get("providerStates")
    if states is None and raw.get("providerState"):  # V2: one state, a name only
        return (PactState(str(raw["providerState"])),)
    if states is None:
        return ()
    if not isinstance(states, list):
        raise PactFileError(f"expected a list, got {_kind(states)}", file=shown, key_path=where + ("providerStates",))
    out = []
    for position, state in enumerate(states):
        if not isinstance(state, Mapping) or not isinstance(state.get("name"), str):
            raise PactFileError("expected a provider state with a 'name'", file=shown,
                                key_path=where + ("providerStates", position))
        params = state.get("params") if isinstance(state.get("params"), Mapping) else {}
        out.append(PactState(state["name"], params or {}))
    return tuple(out)


def _request(raw: Mapping[str, Any], shown: str | None, where: KeyPath) -> PactRequest:
    method, path = raw.get("method", "GET"), raw.get("path", "/")
    if not isinstance(method, str) or not method:
        raise PactFileError(f"expected an HTTP method, got {_show(method)}", file=shown, key_path=where + ("method",))
    if not isinstance(path, str):
        raise PactFileError(f"expected a path (a string), got {_show(path)}", file=shown, key_path=where + ("path",))
    headers = _headers(raw.get("headers"), shown, where + ("headers",))
    body, has_body, media = decode_body(raw, headers)
    return PactRequest(method=method.upper(), path=path, query=_query(raw.get("query"), shown, where + ("query",)),
                       headers=headers, body=body, has_body=has_body, content_type=media,
                       rules=_rules(raw.get("matchingRules"), shown, where + ("matchingRules",)))


def _response(raw: Mapping[str, Any], shown: str | None, where: KeyPath) -> PactResponse:
    status = raw.get("status", 200)
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise PactFileError(f"expected an HTTP status (an integer from 100 to 599), got {_show(status)}",
                            file=shown, key_path=where + ("status",))
    headers = _headers(raw.get("headers"), shown, where + ("headers",))
    body, has_body, media = decode_body(raw, headers)
    return PactResponse(status=status, headers=headers, body=body, has_body=has_body, content_type=media,
                        rules=_rules(raw.get("matchingRules"), shown, where + ("matchingRules",)))


def _headers(raw: Any, shown: str | None, where: KeyPath) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise PactFileError(f"expected a mapping of headers, got {_kind(raw)}", file=shown, key_path=where)
    out = {}
    for name, value in raw.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(item, (str, int, float)) and not isinstance(item, bool) for item in values):
            raise PactFileError("expected a header value (a string or a list of strings)", file=shown,
                                key_path=where + (str(name),))
        out[str(name)] = tuple(str(item) for item in values)
    return out


def _query(raw: Any, shown: str | None, where: KeyPath) -> dict[str, tuple[str, ...]]:
    if raw is None or raw == "":
        return {}
    if isinstance(raw, str):  # V2 keeps the query as a string
        return {key: tuple(values) for key, values in parse_qs(raw, keep_blank_values=True).items()}
    if not isinstance(raw, Mapping):
        raise PactFileError(f"expected a query mapping, got {_kind(raw)}", file=shown, key_path=where)
    return {str(key): tuple(str(item) for item in (value if isinstance(value, list) else [value]))
            for key, value in raw.items()}


def decode_body(message: Mapping[str, Any], headers: Mapping[str, Sequence[str]]) -> tuple[Any, bool, str]:
    """(body, present, media type) of a pact request or response; V4's {content, contentType, encoded} decoded."""
    media = (first_value(headers, "content-type") or "").split(";", 1)[0].strip().lower()
    if "body" not in message:
        return None, False, media
    body = message["body"]
    if isinstance(body, Mapping) and "content" in body and ("contentType" in body or "encoded" in body):
        media = media or str(body.get("contentType", "")).split(";", 1)[0].strip().lower()
        content, encoded = body.get("content"), body.get("encoded")
        if isinstance(content, str) and encoded in ("base64", True):
            try:
                raw_bytes = base64.b64decode(content, validate=True)
            except ValueError:
                return content, True, media
            return _parsed(raw_bytes, media), True, media
        if isinstance(content, str) and is_json_media(media):
            return _parsed(content, media), True, media
        return content, True, media
    return body, True, media


def _parsed(data: str | bytes, media: str) -> Any:
    if not is_json_media(media):
        if isinstance(data, bytes):
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                return data
        return data
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return data


def _rules(raw: Any, shown: str | None, where: KeyPath) -> dict[str, dict[str, Any]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise PactFileError(f"expected a mapping of matching rules, got {_kind(raw)}", file=shown, key_path=where)
    if any(str(key).startswith("$") for key in raw):
        return _v2_rules(raw)
    out: dict[str, dict[str, Any]] = {}
    for category in _CATEGORIES:
        rules = raw.get(category)
        if isinstance(rules, Mapping) and category in ("path", "status") and "matchers" in rules:
            out[category] = {"": _rule(rules)}
        elif isinstance(rules, Mapping):
            out[category] = {str(path): _rule(rule) for path, rule in rules.items()}
    return out


def _v2_rules(raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """V2 keeps rules flat: `$.body.items[*].id`, `$.headers.Content-Type`, `$.query.page`, `$.path`."""
    out: dict[str, dict[str, Any]] = {}
    prefixes = (("$.body", "body"), ("$.headers.", "header"), ("$.header.", "header"), ("$.query.", "query"),
                ("$.path", "path"))
    for key, rule in raw.items():
        for prefix, category in prefixes:
            if str(key).startswith(prefix):
                rest = str(key)[len(prefix):]
                path = "$" + rest if category == "body" else rest
                out.setdefault(category, {})[path] = _rule(rule)
                break
    return out


def _rule(rule: Any) -> dict[str, Any]:
    if isinstance(rule, Mapping) and isinstance(rule.get("matchers"), list):
        return {"matchers": [dict(m) for m in rule["matchers"] if isinstance(m, Mapping)],
                "combine": str(rule.get("combine", "AND")).upper()}
    if isinstance(rule, Mapping):
        return {"matchers": [dict(rule)], "combine": "AND"}
    return {"matchers": [], "combine": "AND"}


def first_value(headers: Mapping[str, Sequence[str]], name: str) -> str | None:
    """A header's first value from a name -> values mapping, case-insensitively."""
    wanted = name.lower()
    for key, values in headers.items():
        if key.lower() == wanted:
            return values[0] if values else ""
    return None


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", type(None): "null"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    return json.dumps(value)[:60] if isinstance(value, (str, int, float, bool, type(None))) else _kind(value)


__all__ = ["HTTP_INTERACTION", "Pact", "PactInteraction", "PactMessage", "PactRequest", "PactResponse", "PactState", "Rules",
           "decode_body", "first_value", "http_interactions", "load_pact", "parse_pact", "read_pact"]
