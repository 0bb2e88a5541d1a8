"""The one pact reader: a pact file (specification V2 to V4) -> typed interactions with decoded bodies.

Every engine that reads a pact reads it here: verification, the pact-vs-OpenAPI check, drift, the gate,
the inventory, overlay evidence and the fuzzer's consumer-compatibility check. Types are checked before
use (a status must be an integer, a path a string), V4 bodies are decoded (`encoded: base64` included),
V2's flat matching rules are put in the V3/V4 shape, and provider states keep their parameters.

Nothing is accepted silently: a specification version other than V1 to V4, matching rules that are not rules
(an unknown matcher, a `min` that is not a count, a combine other than AND/OR) and an interaction of an unknown
type are refused naming the key path. Message interactions (V3 `messages`, V4 `Asynchronous/Messages` and
`Synchronous/Messages`) are read, with the same checks, into `PactMessageInteraction`s (pact/messages.py) kept
apart from the HTTP ones in `Pact.messages`.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence
from urllib.parse import parse_qs

from contractkit.core.errors import KeyPath, PactFileError
from contractkit.core.http import is_json_media
from contractkit.core.loading import parse_json, parse_json_value, read_text
from contractkit.pact.messages import MESSAGE_RULE_CATEGORIES, PactMessageInteraction, parse_message

HTTP_INTERACTION = "Synchronous/HTTP"
MESSAGE_INTERACTIONS = ("Asynchronous/Messages", "Synchronous/Messages")
V3_MESSAGE = "Asynchronous/Messages"  # what a V3 pact's `messages` are in V4's words
_CATEGORIES = ("body", "header", "query", "path", "status")
_CATEGORY_ALIASES = {"headers": "header"}  # pact_models reads both spellings
_KNOWN_VERSION = re.compile(r"^[1-4](?:\.\d+){0,2}$")  # V1 (1.0, 1.1) to V4
_VERSION_KEYS = ("pactSpecification", "pact-specification")  # V2+ and the spelling of older pact files
_V1_VERSION_KEY = "pactSpecificationVersion"

# The matcher types of the Pact specification V2 to V4 (as pact_models reads them), each with the attribute it
# cannot do without ('' when none).
_MATCHER_NEEDS: dict[str, str] = {
    "type": "",
    "equality": "",
    "regex": "regex",
    "include": "value",
    "number": "",
    "integer": "",
    "decimal": "",
    "real": "",
    "boolean": "",
    "null": "",
    "date": "",
    "time": "",
    "datetime": "",
    "timestamp": "",
    "min": "min",
    "max": "max",
    "minType": "min",
    "maxType": "max",
    "contentType": "value",
    "arrayContains": "variants",
    "values": "",
    "statusCode": "status",
    "notEmpty": "",
    "semver": "",
    "eachKey": "rules",
    "eachValue": "rules",
}
_GUESSED_FROM = ("regex", "min", "max", "timestamp", "time", "date")  # V2 may leave out `match`; the core guesses

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
    """A pact file: who consumes whom, the specification, its HTTP interactions and its message interactions."""

    path: Path | None
    consumer: str
    provider: str
    specification: str
    interactions: tuple[PactInteraction, ...]
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    messages: tuple[PactMessageInteraction, ...] = ()


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
    data = parse_json(text, PactFileError, display=shown)
    if not isinstance(data, dict) or not isinstance(data.get("interactions", data.get("messages")), list):
        raise PactFileError(
            "not a pact: expected an object with an 'interactions' list (or a V3 'messages' list)", file=shown
        )
    return data


def specification_version(data: Mapping[str, Any], shown: str | None = None) -> str:
    """The Pact specification a pact file follows (V1 to V4); PactFileError when it is missing or unknown: Pact
    implementations assume different versions for a pact that does not say, and read as another version a pact
    fails for the wrong reasons."""
    metadata = data.get("metadata")
    if metadata is not None and not isinstance(metadata, Mapping):
        raise PactFileError(
            f"expected a mapping, got {_kind(metadata)}", file=shown, key_path=("metadata",), hint=_VERSION_HINT
        )
    where, version = _version_entry(metadata or {}, shown)
    if version is None:
        raise PactFileError(
            "missing: the pact does not say which Pact specification it follows",
            file=shown,
            key_path=where,
            hint=_VERSION_HINT,
        )
    if not isinstance(version, str) or not _KNOWN_VERSION.match(version):
        raise PactFileError(
            f'unknown Pact specification version {_show(version)}: expected a string from "1.0" to "4.x"',
            file=shown,
            key_path=where,
            hint=_VERSION_HINT,
        )
    return version


_VERSION_HINT = 'write the version the pact follows, such as "4.0" (contractkit reads V1 to V4)'


def _version_entry(metadata: Mapping[str, Any], shown: str | None) -> tuple[KeyPath, Any]:
    """Where the metadata states the version and what it states: `pactSpecification.version` (V2 on),
    `pact-specification.version` (older files) or V1's flat `pactSpecificationVersion`."""
    if _V1_VERSION_KEY in metadata and not any(key in metadata for key in _VERSION_KEYS):
        return ("metadata", _V1_VERSION_KEY), metadata[_V1_VERSION_KEY]
    key = next((name for name in _VERSION_KEYS if name in metadata), _VERSION_KEYS[0])
    spec = metadata.get(key)
    if spec is not None and not isinstance(spec, Mapping):
        raise PactFileError(
            f"expected a mapping with a 'version', got {_kind(spec)}",
            file=shown,
            key_path=("metadata", key),
            hint=_VERSION_HINT,
        )
    return ("metadata", key, "version"), (spec or {}).get("version")


def parse_pact(data: Mapping[str, Any], *, source: str | Path | None = None) -> Pact:
    """A pact from its JSON (V1 to V4): its HTTP interactions, and its message interactions apart; the pact of a
    file (`source` given) must say which specification it follows."""
    shown = str(source) if source is not None else None
    interactions = data.get("interactions", [] if "messages" in data else None)
    if not isinstance(interactions, list):
        raise PactFileError("not a pact: expected an 'interactions' list", file=shown, key_path=("interactions",))
    kinds = [_interaction_type(item, index, shown) for index, item in enumerate(interactions)]
    parsed = tuple(
        _interaction(item, index, shown)
        for index, (item, kind) in enumerate(zip(interactions, kinds))
        if kind == HTTP_INTERACTION
    )
    parts = _MessageParts(shown)
    messages = tuple(
        parse_message(item, index, kind, ("interactions", index), parts)
        for index, (item, kind) in enumerate(zip(interactions, kinds))
        if kind != HTTP_INTERACTION
    )
    version = specification_version(data, shown) if source is not None else _stated_version(data)
    return Pact(
        Path(source) if source is not None else None,
        _name(data, "consumer"),
        _name(data, "provider"),
        version,
        parsed,
        data,
        messages + _v3_messages(data, shown),
    )


def _stated_version(data: Mapping[str, Any]) -> str:
    """The version a pact's JSON states, unchecked ('' when none): interactions handed over without their file."""
    try:
        return specification_version(data)
    except PactFileError:
        return ""


def _interaction_type(item: Any, index: int, shown: str | None) -> str:
    """An interaction's V4 type (HTTP when it has none, as in V2 and V3); PactFileError for a type V4 does not have."""
    if not isinstance(item, Mapping) or "type" not in item:
        return HTTP_INTERACTION
    kind = item["type"]
    if kind != HTTP_INTERACTION and kind not in MESSAGE_INTERACTIONS:
        raise PactFileError(
            f"unknown interaction type {_show(kind)}: expected {HTTP_INTERACTION}, {' or '.join(MESSAGE_INTERACTIONS)}",
            file=shown,
            key_path=("interactions", index, "type"),
        )
    return str(kind)


def _v3_messages(data: Mapping[str, Any], shown: str | None) -> tuple[PactMessageInteraction, ...]:
    """The messages of a V3 message pact."""
    if "messages" not in data:
        return ()
    messages = data["messages"]
    if not isinstance(messages, list):
        raise PactFileError(f"expected a list of messages, got {_kind(messages)}", file=shown, key_path=("messages",))
    parts = _MessageParts(shown)
    return tuple(
        parse_message(message, index, V3_MESSAGE, ("messages", index), parts) for index, message in enumerate(messages)
    )


class _MessageParts:
    """The checked part readers a message interaction shares with HTTP ones (pact/messages.py's PartReader)."""

    def __init__(self, shown: str | None) -> None:
        self.shown = shown

    def fail(self, message: str, key_path: KeyPath) -> PactFileError:
        return PactFileError(message, file=self.shown, key_path=key_path)

    def states(self, raw: Mapping[str, Any], where: KeyPath) -> tuple[PactState, ...]:
        return _states(raw, self.shown, where)

    def rules(self, raw: Any, where: KeyPath) -> dict[str, dict[str, Any]]:
        return _rules(raw, self.shown, where, MESSAGE_RULE_CATEGORIES)

    def body(self, raw: Mapping[str, Any], media: str) -> tuple[Any, bool, str]:
        return decode_body(raw, {"content-type": (media,)} if media else {})


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
    return PactInteraction(
        index,
        str(raw.get("description", "")),
        _states(raw, shown, where),
        _request(request, shown, where + ("request",)),  # type: ignore[arg-type]
        _response(response, shown, where + ("response",)),  # type: ignore[arg-type]
        comments or {},
        raw,
    )


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
            raise PactFileError(
                "expected a provider state with a 'name'", file=shown, key_path=where + ("providerStates", position)
            )
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
    return PactRequest(
        method=method.upper(),
        path=path,
        query=_query(raw.get("query"), shown, where + ("query",)),
        headers=headers,
        body=body,
        has_body=has_body,
        content_type=media,
        rules=_rules(raw.get("matchingRules"), shown, where + ("matchingRules",)),
    )


def _response(raw: Mapping[str, Any], shown: str | None, where: KeyPath) -> PactResponse:
    status = raw.get("status", 200)
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise PactFileError(
            f"expected an HTTP status (an integer from 100 to 599), got {_show(status)}",
            file=shown,
            key_path=where + ("status",),
        )
    headers = _headers(raw.get("headers"), shown, where + ("headers",))
    body, has_body, media = decode_body(raw, headers)
    return PactResponse(
        status=status,
        headers=headers,
        body=body,
        has_body=has_body,
        content_type=media,
        rules=_rules(raw.get("matchingRules"), shown, where + ("matchingRules",)),
    )


def _headers(raw: Any, shown: str | None, where: KeyPath) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise PactFileError(f"expected a mapping of headers, got {_kind(raw)}", file=shown, key_path=where)
    out = {}
    for name, value in raw.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(item, (str, int, float)) and not isinstance(item, bool) for item in values):
            raise PactFileError(
                "expected a header value (a string or a list of strings)", file=shown, key_path=where + (str(name),)
            )
        out[str(name)] = tuple(str(item) for item in values)
    return out


def _query(raw: Any, shown: str | None, where: KeyPath) -> dict[str, tuple[str, ...]]:
    if raw is None or raw == "":
        return {}
    if isinstance(raw, str):  # V2 keeps the query as a string
        return {key: tuple(values) for key, values in parse_qs(raw, keep_blank_values=True).items()}
    if not isinstance(raw, Mapping):
        raise PactFileError(f"expected a query mapping, got {_kind(raw)}", file=shown, key_path=where)
    return {
        str(key): tuple(str(item) for item in (value if isinstance(value, list) else [value]))
        for key, value in raw.items()
    }


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
        return parse_json_value(data)
    except ValueError:  # not JSON, or nested beyond the limit: kept as it is
        return data


def _rules(
    raw: Any, shown: str | None, where: KeyPath, categories: Sequence[str] = _CATEGORIES
) -> dict[str, dict[str, Any]]:
    """Matching rules in the V3/V4 shape (category -> path -> rule), checked against the Pact specification."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise PactFileError(f"expected a mapping of matching rules, got {_kind(raw)}", file=shown, key_path=where)
    if any(str(key).startswith("$") for key in raw):
        return _v2_rules(raw, shown, where)
    out: dict[str, dict[str, Any]] = {}
    for name, rules in raw.items():
        category = _CATEGORY_ALIASES.get(str(name), str(name))
        if category not in categories:
            raise PactFileError(
                f"unknown matching rule category {_show(name)}: expected {', '.join(categories)}",
                file=shown,
                key_path=where + (str(name),),
            )
        out.setdefault(category, {}).update(_category(rules, category, shown, where + (str(name),)))
    return out


def _category(rules: Any, category: str, shown: str | None, where: KeyPath) -> dict[str, Any]:
    if not isinstance(rules, Mapping):
        raise PactFileError(f"expected a mapping of paths to rules, got {_kind(rules)}", file=shown, key_path=where)
    if category in ("path", "status") and "matchers" in rules:  # one rule for the whole path or status
        return {"": _rule_list(rules, shown, where)}
    return {str(path): _rule_list(rule, shown, where + (str(path),)) for path, rule in rules.items()}


_V2_PREFIXES = (
    ("$.body", "body"),
    ("$.headers.", "header"),
    ("$.header.", "header"),
    ("$.query.", "query"),
    ("$.path", "path"),
)


def _v2_rules(raw: Mapping[str, Any], shown: str | None, where: KeyPath) -> dict[str, dict[str, Any]]:
    """V2 keeps rules flat: `$.body.items[*].id`, `$.headers.Content-Type`, `$.query.page`, `$.path`."""
    out: dict[str, dict[str, Any]] = {}
    for key, rule in raw.items():
        category, rest = _v2_key(str(key), shown, where)
        path = "$" + rest if category == "body" else rest
        out.setdefault(category, {})[path] = {
            "matchers": [_matcher(rule, shown, where + (str(key),))],
            "combine": "AND",
        }
    return out


def _v2_key(key: str, shown: str | None, where: KeyPath) -> tuple[str, str]:
    for prefix, category in _V2_PREFIXES:
        rest = key[len(prefix) :]
        if key.startswith(prefix) and (prefix.endswith(".") or rest[:1] in ("", ".", "[")):
            return category, rest
    raise PactFileError(
        f"unknown V2 matching rule path {key!r}: expected one under $.body, $.headers., $.query. or $.path",
        file=shown,
        key_path=where + (key,),
    )


def _rule_list(rule: Any, shown: str | None, where: KeyPath) -> dict[str, Any]:
    """A V3/V4 rule: `{matchers: [...], combine: AND|OR}`."""
    if not isinstance(rule, Mapping) or "matchers" not in rule:
        raise PactFileError(
            f'expected a rule {{"matchers": [...], "combine": "AND"}}, got {_kind(rule)}'
            + (" without 'matchers'" if isinstance(rule, Mapping) else ""),
            file=shown,
            key_path=where,
        )
    matchers, combine = rule["matchers"], rule.get("combine", "AND")
    if not isinstance(matchers, list):
        raise PactFileError(
            f"expected a list of matchers, got {_kind(matchers)}", file=shown, key_path=where + ("matchers",)
        )
    if not isinstance(combine, str) or combine.upper() not in ("AND", "OR"):
        raise PactFileError(f"expected AND or OR, got {_show(combine)}", file=shown, key_path=where + ("combine",))
    return {
        "matchers": [_matcher(item, shown, where + ("matchers", index)) for index, item in enumerate(matchers)],
        "combine": combine.upper(),
    }


def _matcher(matcher: Any, shown: str | None, where: KeyPath) -> dict[str, Any]:
    """One matcher, checked: a known `match` type (or one the core guesses from its attributes) with what it needs."""
    if not isinstance(matcher, Mapping):
        raise PactFileError(
            f"expected a matcher (a mapping with 'match'), got {_kind(matcher)}", file=shown, key_path=where
        )
    kind = matcher.get("match", matcher.get("pact:matcher:type"))
    if kind is None and not any(key in matcher for key in _GUESSED_FROM):
        raise PactFileError(
            "a matcher without 'match' (and without regex, min, max, timestamp, time or date to tell its type)",
            file=shown,
            key_path=where,
        )
    if kind is not None and kind not in _MATCHER_NEEDS:
        raise PactFileError(
            f"unknown matcher type {_show(kind)}: expected one of {', '.join(sorted(_MATCHER_NEEDS))}",
            file=shown,
            key_path=where + ("match",),
        )
    needed = _MATCHER_NEEDS.get(str(kind), "")
    if needed and needed not in matcher:
        raise PactFileError(f"a {kind} matcher needs '{needed}'", file=shown, key_path=where)
    _check_attributes(matcher, shown, where)
    return dict(matcher)


def _check_attributes(matcher: Mapping[str, Any], shown: str | None, where: KeyPath) -> None:
    for name in ("min", "max"):
        value = matcher.get(name)
        if name in matcher and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise PactFileError(
                f"expected a count (an integer, 0 or more), got {_show(value)}", file=shown, key_path=where + (name,)
            )
    for name, kind in (("regex", str), ("variants", list), ("rules", list), ("format", str)):
        if name in matcher and not isinstance(matcher[name], kind):
            raise PactFileError(
                f"expected {'a string' if kind is str else 'a list'}, got {_kind(matcher[name])}",
                file=shown,
                key_path=where + (name,),
            )
    if isinstance(matcher.get("regex"), str):
        try:
            re.compile(matcher["regex"])
        except re.error as exc:
            if re.search(r"\\[pP]\{", matcher["regex"]):
                return  # a Unicode class: the Pact core's regex engine has them, Python's `re` does not
            raise PactFileError(
                f"invalid regular expression ({exc})", file=shown, key_path=where + ("regex",)
            ) from None


def first_value(headers: Mapping[str, Sequence[str]], name: str) -> str | None:
    """A header's first value from a name -> values mapping, case-insensitively."""
    wanted = name.lower()
    for key, values in headers.items():
        if key.lower() == wanted:
            return values[0] if values else ""
    return None


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def _show(value: Any) -> str:
    return json.dumps(value)[:60] if isinstance(value, (str, int, float, bool, type(None))) else _kind(value)


__all__ = [
    "HTTP_INTERACTION",
    "MESSAGE_INTERACTIONS",
    "Pact",
    "PactInteraction",
    "PactMessage",
    "PactMessageInteraction",
    "PactRequest",
    "PactResponse",
    "PactState",
    "Rules",
    "decode_body",
    "first_value",
    "load_pact",
    "parse_pact",
    "read_pact",
    "specification_version",
]
