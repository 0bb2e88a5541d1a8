"""Cassettes: the typed model of recorded HTTP interactions, loading, stable atomic writing, and drift.

A cassette is one file per provider operation, `cassettes/<provider>/<operation>.yaml`, in vcrpy's
format (`interactions: [{request, response}]`, `version: 1`) plus a top-level `metadata` mapping
(provider, operation, source, recorded_at, toolkit version). vcrpy ignores the extra key, so the
files stay loadable by vcrpy itself.

Writing is deterministic: headers sorted by name, JSON bodies re-serialised with sorted keys,
placeholders instead of secrets (see scrub.py). `write_cassette` leaves the file untouched when
the interactions did not change, so a re-record of an unchanged provider produces no diff at all.

Finding codes (CK3xx):
    CK301 status changed            CK302 content type changed
    CK303 field removed             CK304 field added
    CK305 type changed              CK306 header removed
    CK307 header added              CK308 interactions added or removed
    CK310 the new response breaks the registered schema
    CK320 a secret was found in a cassette
    CK330 recording an operation failed
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence
from urllib.parse import parse_qsl, urlsplit

import yaml

from contractkit.core.errors import CassetteError
from contractkit.core.files import write_text_atomic
from contractkit.core.model import Finding, Severity
from contractkit.core.loading import parse_source

CASSETTE_SUFFIXES = (".yaml", ".yml", ".json")
Headers = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """A request as recorded: method, absolute URI, headers (name -> values) and body."""

    method: str
    uri: str
    headers: Headers = field(default_factory=dict)
    body: str | bytes | None = None

    @property
    def path(self) -> str:
        """The URI's path, `/api/search`."""
        return urlsplit(self.uri).path or "/"

    @property
    def query(self) -> tuple[tuple[str, str], ...]:
        """The URI's query parameters in their recorded order (blank values kept)."""
        return tuple(parse_qsl(urlsplit(self.uri).query, keep_blank_values=True))

    def header(self, name: str) -> str | None:
        """The first value of a header, matched case-insensitively."""
        return first_header(self.headers, name)


@dataclass(frozen=True, slots=True)
class RecordedResponse:
    """A response as recorded: status, headers (name -> values), body and reason phrase."""

    status: int
    headers: Headers = field(default_factory=dict)
    body: str | bytes | None = None
    reason: str = ""

    def header(self, name: str) -> str | None:
        """The first value of a header, matched case-insensitively."""
        return first_header(self.headers, name)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased (`application/json`), or ''."""
        value = self.header("content-type") or ""
        return value.split(";", 1)[0].strip().lower()

    @property
    def body_bytes(self) -> bytes:
        """The body as bytes (UTF-8 for text)."""
        return body_to_bytes(self.body)

    def json(self) -> Any:
        """The body parsed as JSON; raises CassetteError when it is not JSON."""
        try:
            return json.loads(self.body_bytes or b"null")
        except ValueError as exc:
            raise CassetteError(f"response body is not JSON ({exc})") from exc


@dataclass(frozen=True, slots=True)
class RecordedInteraction:
    """One request and the response it got; `operation` names the registry operation when known."""

    request: RecordedRequest
    response: RecordedResponse
    operation: str = ""


@dataclass(frozen=True, slots=True)
class Cassette:
    """A cassette file: its interactions and its metadata (provider, operation, source, recorded_at ...)."""

    path: Path
    interactions: tuple[RecordedInteraction, ...]
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def operation(self) -> str:
        """The registry operation the cassette belongs to (metadata, else the file name)."""
        return str(self.metadata.get("operation") or self.path.stem)

    @property
    def provider(self) -> str:
        """The provider (metadata, else the folder name)."""
        return str(self.metadata.get("provider") or self.path.parent.name)

    @property
    def source(self) -> str:
        """Where the interactions came from: live, moto, local, openapi-example, openapi-schema ..."""
        return str(self.metadata.get("source", "unknown"))


def first_header(headers: Headers, name: str) -> str | None:
    """The first value of a header, matched case-insensitively."""
    wanted = name.lower()
    for key, values in headers.items():
        if key.lower() == wanted and values:
            return values[0]
    return None


def body_to_bytes(body: str | bytes | None) -> bytes:
    """A body as bytes: UTF-8 for text, empty for none."""
    if body is None:
        return b""
    return body if isinstance(body, bytes) else body.encode("utf-8")


# ---------------------------------------------------------------- loading


def load_cassette(path: str | Path) -> Cassette:
    """Read a vcrpy cassette (YAML or JSON); raises CassetteError naming the file, key path and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CassetteError("cassette not found", file=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CassetteError(f"cannot read cassette ({exc})", file=path) from exc
    return parse_cassette(text, path)


def parse_cassette(text: str, path: Path) -> Cassette:
    """Parse cassette text; the line of each interaction is used in error messages."""
    if "!!python/" in text:
        return _parse_python_tagged(text, path)
    try:
        document = parse_source(text, path, CassetteError)
    except yaml.YAMLError as exc:  # a tag the safe loader refuses, such as a pickled BytesIO body
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        raise CassetteError(
            f"unsupported YAML ({getattr(exc, 'problem', None) or exc})", file=path,
            line=mark.line + 1 if mark else None,
            hint="re-record it with `contracts record`, which stores bodies as text or bytes") from exc
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        raise CassetteError("expected a mapping with an 'interactions' list (vcrpy format)", file=path, line=1)
    interactions = []
    for index, raw in enumerate(data["interactions"]):
        key_path = ("interactions", index)
        try:
            interactions.append(_interaction_from_dict(raw, path.stem))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CassetteError(f"malformed interaction ({_describe(exc)})", file=path, key_path=key_path,
                                line=document.line_of(key_path)) from exc
    metadata = data.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise CassetteError("metadata must be a mapping", file=path, key_path=("metadata",),
                            line=document.line_of(("metadata",)))
    return Cassette(path=path, interactions=tuple(interactions), metadata=metadata)


def _parse_python_tagged(text: str, path: Path) -> Cassette:
    """Older vcrpy cassettes store file-like bodies as `!!python/object/new:_io.BytesIO`: read them with vcrpy's
    safe loader (which rebuilds only that and a few other harmless tags) and turn the bodies into bytes."""
    from vcr.serializers.yamlserializer import deserialize

    try:
        data = deserialize(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        raise CassetteError(f"unsupported YAML ({getattr(exc, 'problem', None) or exc})", file=path,
                            line=mark.line + 1 if mark else None,
                            hint="re-record it with `contracts record`, which stores bodies as text or bytes") from exc
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        raise CassetteError("expected a mapping with an 'interactions' list (vcrpy format)", file=path, line=1)
    for raw in data["interactions"]:
        request = raw.get("request") if isinstance(raw, dict) else None
        if isinstance(request, dict) and hasattr(request.get("body"), "read"):
            request["body"] = request["body"].read()
    interactions = []
    for index, raw in enumerate(data["interactions"]):
        try:
            interactions.append(_interaction_from_dict(raw, path.stem))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CassetteError(f"malformed interaction ({_describe(exc)})", file=path,
                                key_path=("interactions", index)) from exc
    return Cassette(path=path, interactions=tuple(interactions), metadata=data.get("metadata") or {})


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing key {exc.args[0]!r}"
    return str(exc)


def _interaction_from_dict(raw: dict[str, Any], operation: str) -> RecordedInteraction:
    request, response = raw["request"], raw["response"]
    status = response["status"]
    code, reason = (status["code"], status.get("message", "")) if isinstance(status, dict) else (status, "")
    if not isinstance(code, int):
        raise ValueError(f"response.status.code: expected an integer, got {code!r}")
    body = response.get("body")
    if isinstance(body, dict):
        body = body.get("string")
    return RecordedInteraction(
        request=RecordedRequest(method=str(request["method"]).upper(), uri=str(request["uri"]),
                                headers=_headers_from_dict(request.get("headers")), body=_body(request.get("body"))),
        response=RecordedResponse(status=code, headers=_headers_from_dict(response.get("headers")),
                                  body=_body(body), reason=str(reason or "")),
        operation=operation,
    )


def _body(value: Any) -> str | bytes | None:
    if value is None or isinstance(value, (str, bytes)):
        return value
    if isinstance(value, (dict, list)):  # some tools store JSON bodies parsed
        return json.dumps(value, sort_keys=True)
    raise ValueError(f"body: expected text or bytes, got {type(value).__name__}")


def _headers_from_dict(raw: Any) -> dict[str, tuple[str, ...]]:
    if not raw:
        return {}
    if not isinstance(raw, dict):
        raise ValueError("headers: expected a mapping of name to values")
    headers = {}
    for name, values in raw.items():
        items = values if isinstance(values, list) else [values]
        headers[str(name)] = tuple(_header_text(value) for value in items)
    return headers


def _header_text(value: Any) -> str:
    # botocore sends header values as bytes; vcrpy stores them as !!binary
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def iter_cassettes(folder: str | Path) -> Iterator[Cassette]:
    """Load every cassette under a folder (recursively, sorted by path); temporary files are skipped."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.suffix in CASSETTE_SUFFIXES and path.is_file() and not path.name.startswith("."):
            yield load_cassette(path)


def cassette_path(folder: Path, operation: str) -> Path:
    """Where the cassette of an operation lives: `<folder>/<operation>.yaml`."""
    return folder / f"{operation}.yaml"


# ---------------------------------------------------------------- writing


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line strings as literal blocks, no aliases: stable, readable diffs."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value and not any(line != line.rstrip() for line in value.split("\n")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def interaction_to_dict(interaction: RecordedInteraction) -> dict[str, Any]:
    """An interaction in vcrpy's dictionary layout with sorted headers."""
    request, response = interaction.request, interaction.response
    return {
        "request": {
            "body": request.body,
            "headers": _sorted_headers(request.headers),
            "method": request.method,
            "uri": request.uri,
        },
        "response": {
            "body": {"string": response.body if response.body is not None else ""},
            "headers": _sorted_headers(response.headers),
            "status": {"code": response.status, "message": response.reason},
        },
    }


def _sorted_headers(headers: Headers) -> dict[str, list[str]]:
    return {name: list(headers[name]) for name in sorted(headers, key=str.lower)}


def dump_interactions(interactions: Sequence[RecordedInteraction]) -> str:
    """The `interactions:` part of a cassette as YAML text; equal interactions give equal text."""
    data = {"interactions": [interaction_to_dict(item) for item in interactions], "version": 1}
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)


def dump_cassette(cassette: Cassette) -> str:
    """A whole cassette as YAML text: interactions first, metadata last and apart."""
    metadata = {key: cassette.metadata[key] for key in sorted(cassette.metadata)}
    tail = yaml.dump({"metadata": metadata}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
    return dump_interactions(cassette.interactions) + tail


def read_interactions_text(path: Path) -> str | None:
    """The interactions part of an existing cassette file as it would be dumped, or None if absent or unreadable."""
    try:
        return dump_interactions(load_cassette(path).interactions)
    except CassetteError:
        return None


def write_cassette(cassette: Cassette) -> bool:
    """Write a cassette atomically; returns False (and leaves the file alone) when its interactions are unchanged."""
    if cassette.path.exists() and read_interactions_text(cassette.path) == dump_interactions(cassette.interactions):
        return False
    write_text_atomic(cassette.path, dump_cassette(cassette))
    return True


def with_operation(cassette: Cassette, operation: str) -> Cassette:
    """The cassette with every interaction tagged with the operation name."""
    interactions = tuple(replace(item, operation=operation) for item in cassette.interactions)
    return replace(cassette, interactions=interactions)


# ---------------------------------------------------------------- drift

STATUS_CHANGED = "CK301"
CONTENT_TYPE_CHANGED = "CK302"
FIELD_REMOVED = "CK303"
FIELD_ADDED = "CK304"
TYPE_CHANGED = "CK305"
HEADER_REMOVED = "CK306"
HEADER_ADDED = "CK307"
INTERACTIONS_CHANGED = "CK308"
SCHEMA_BROKEN = "CK310"
PACT_BROKEN = "CK311"
SECRET_FOUND = "CK320"

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


def _pact_body(message: Mapping[str, Any]) -> tuple[Any, str]:
    body = message.get("body")
    headers = {str(k).lower(): (v[0] if isinstance(v, list) else v) for k, v in (message.get("headers") or {}).items()}
    if isinstance(body, dict) and "content" in body and ("contentType" in body or "encoded" in body):
        content = body["content"]  # Pact V4: {"content": ..., "contentType": ..., "encoded": false}
        if isinstance(content, str) and "json" in str(body.get("contentType", "")):
            try:
                content = json.loads(content)
            except ValueError:
                pass
        return content, str(body.get("contentType", headers.get("content-type", "")))
    return body, str(headers.get("content-type", ""))


def iter_pact_breaks(pact_data: Mapping[str, Any], interactions: Sequence[RecordedInteraction],
                     provider: Any = None) -> Iterator[Finding]:
    """CK311 findings: pact interactions the recorded responses no longer satisfy (status, or a field the pact
    expects is missing or of another type). Requests are matched as the replay server matches them."""
    from contractkit.replay import IncomingRequest, InteractionIndex

    index = InteractionIndex(interactions, provider)
    for position, item in enumerate(pact_data.get("interactions") or ()):
        request, response = item.get("request") or {}, item.get("response") or {}
        if not request:
            continue
        query = request.get("query") or ""
        if isinstance(query, dict):
            from urllib.parse import urlencode

            query = urlencode([(k, v) for k, values in query.items() for v in (values if isinstance(values, list) else [values])])
        target = str(request.get("path", "/")) + (f"?{query}" if query else "")
        body, _ = _pact_body(request)
        raw = json.dumps(body).encode() if isinstance(body, (dict, list)) else body_to_bytes(body)
        headers = {str(k).lower(): (v[0] if isinstance(v, list) else str(v)) for k, v in (request.get("headers") or {}).items()}
        match = index.match(IncomingRequest(str(request.get("method", "GET")).upper(), target, headers, raw))
        if match.interaction is None:
            continue  # unanswered requests are verification's business, not drift's
        yield from _pact_response_breaks(item, position, response, match.interaction)


def _pact_response_breaks(item: Mapping[str, Any], position: int, expected: Mapping[str, Any],
                          recorded: RecordedInteraction) -> Iterator[Finding]:
    where = f"pact interactions[{position}] ({item.get('description', '')})"
    operation = recorded.operation
    status = expected.get("status")
    if isinstance(status, int) and status != recorded.response.status:
        yield Finding(PACT_BROKEN, Severity.ERROR, f"pact expects status {status}, the recording answers "
                      f"{recorded.response.status}", where, operation=operation)
        return
    body, content_type = _pact_body(expected)
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
