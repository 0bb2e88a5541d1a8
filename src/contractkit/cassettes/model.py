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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence
from urllib.parse import parse_qsl, urlsplit

import yaml

from contractkit.core.errors import CassetteError
from contractkit.core.files import write_text_atomic
from contractkit.core.loading import parse_json_value, parse_source, read_text

CASSETTE_SUFFIXES = (".yaml", ".yml", ".json")
EVENTS_FOLDER = "events"  # <provider cassettes>/events/<message>.yaml: event cassettes, not vcrpy ones
STATES_FOLDER = "states"  # <cassettes>/states/<slug of a provider state>/: the cassette variants of provider states
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
            return parse_json_value(self.body_bytes or b"null")
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

CASSETTE_FORMAT_VERSION = 1  # the only format vcrpy writes


def check_cassette_version(data: Mapping[str, Any], path: Path, line: int | None = None) -> None:
    """Refuse a cassette whose `version` is not vcrpy's format 1 (one without a `version` is read as format 1)."""
    if "version" not in data:
        return
    version = data["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version != CASSETTE_FORMAT_VERSION:
        shown = "null" if version is None else repr(version)
        raise CassetteError(
            f"unknown cassette format version {shown}: expected {CASSETTE_FORMAT_VERSION} (the integer vcrpy writes)",
            file=path,
            key_path=("version",),
            line=line,
            hint="re-record it with `contracts record`, or write `version: 1` if it is vcrpy's format",
        )


def load_cassette(path: str | Path) -> Cassette:
    """Read a vcrpy cassette (YAML or JSON); raises CassetteError naming the file, key path and line."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise CassetteError("cassette not found", file=path)
    # the one reading layer: FIFOs, devices and oversized files are refused without blocking
    return parse_cassette(read_text(path, CassetteError), path)


def parse_cassette(text: str, path: Path) -> Cassette:
    """Parse cassette text; the line of each interaction is used in error messages."""
    if "!!python/" in text:
        return _parse_python_tagged(text, path)
    try:
        document = parse_source(text, path, CassetteError)
    except yaml.YAMLError as exc:  # a tag the safe loader refuses, such as a pickled BytesIO body
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        raise CassetteError(
            f"unsupported YAML ({getattr(exc, 'problem', None) or exc})",
            file=path,
            line=mark.line + 1 if mark else None,
            hint="re-record it with `contracts record`, which stores bodies as text or bytes",
        ) from exc
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        raise CassetteError("expected a mapping with an 'interactions' list (vcrpy format)", file=path, line=1)
    check_cassette_version(data, path, document.line_of(("version",)))
    interactions = []
    for index, raw in enumerate(data["interactions"]):
        key_path = ("interactions", index)
        try:
            interactions.append(_interaction_from_dict(raw, path.stem))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CassetteError(
                f"malformed interaction ({_describe(exc)})",
                file=path,
                key_path=key_path,
                line=document.line_of(key_path),
            ) from exc
    metadata = data.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise CassetteError(
            "metadata must be a mapping", file=path, key_path=("metadata",), line=document.line_of(("metadata",))
        )
    return Cassette(path=path, interactions=tuple(interactions), metadata=metadata)


class CassetteLoader(yaml.SafeLoader):
    """The project's only loader for Python-tagged cassettes: YAML's safe loader plus the few harmless tags older
    vcrpy versions wrote (strings, tuples, a `BytesIO` body, an `iter` body), each rebuilt from plain data only.
    Any other `!!python/...` tag, such as `!!python/object/apply:os.system`, is refused before anything runs."""


def _construct_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


def _construct_tuple(loader: yaml.SafeLoader, node: yaml.Node) -> tuple[Any, ...]:
    return tuple(loader.construct_sequence(node, deep=True))  # type: ignore[arg-type]


def _construct_bytes_body(loader: yaml.SafeLoader, node: yaml.Node) -> bytes:
    """`!!python/object/new:_io.BytesIO {state: [content, ...]}` (or `args: [content]`) as the bytes it held."""
    if not isinstance(node, yaml.MappingNode):
        raise yaml.constructor.ConstructorError(None, None, "expected a mapping for a BytesIO body", node.start_mark)
    mapping = loader.construct_mapping(node, deep=True)
    held = mapping.get("state") or mapping.get("args") or (b"",)
    data = held[0] if isinstance(held, (list, tuple)) and held else b""
    return _as_bytes(data, node)


def _construct_iter_body(loader: yaml.SafeLoader, node: yaml.Node) -> bytes:
    """`!!python/object/apply:builtins.iter {args: [[chunk, ...]]}` as the bytes of its chunks."""
    if not isinstance(node, yaml.MappingNode):
        raise yaml.constructor.ConstructorError(None, None, "expected a mapping for an iterator body", node.start_mark)
    args: Any = loader.construct_mapping(node, deep=True).get("args") or ([],)
    chunks = args[0] if isinstance(args, (list, tuple)) and args and isinstance(args[0], (list, tuple)) else []
    return b"".join(_as_bytes(chunk, node) for chunk in chunks)


def _as_bytes(data: Any, node: yaml.Node) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, bytes):
        return data
    if data is None:
        return b""
    raise yaml.constructor.ConstructorError(
        None, None, f"expected bytes in a body, got {type(data).__name__}", node.start_mark
    )


CassetteLoader.add_constructor("tag:yaml.org,2002:python/str", _construct_text)
CassetteLoader.add_constructor("tag:yaml.org,2002:python/unicode", _construct_text)
CassetteLoader.add_constructor("tag:yaml.org,2002:python/tuple", _construct_tuple)
CassetteLoader.add_constructor("tag:yaml.org,2002:python/object/new:_io.BytesIO", _construct_bytes_body)
CassetteLoader.add_constructor("tag:yaml.org,2002:python/object/apply:builtins.iter", _construct_iter_body)


def load_yaml_safely(text: str) -> Any:
    """YAML through CassetteLoader: plain data, never an object a tag asks for."""
    return yaml.load(text, Loader=CassetteLoader)  # noqa: S506 - CassetteLoader is a SafeLoader


def _parse_python_tagged(text: str, path: Path) -> Cassette:
    """Older vcrpy cassettes store file-like bodies as `!!python/object/new:_io.BytesIO`: read them with the
    project's safe loader (which rebuilds only that and a few other harmless tags) as bytes."""
    try:
        data = load_yaml_safely(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        raise CassetteError(
            f"unsupported YAML ({getattr(exc, 'problem', None) or exc})",
            file=path,
            line=mark.line + 1 if mark else None,
            hint="only plain YAML and the body tags of older vcrpy versions are read; "
            "re-record it with `contracts record`",
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        raise CassetteError("expected a mapping with an 'interactions' list (vcrpy format)", file=path, line=1)
    check_cassette_version(data, path)
    interactions = []
    for index, raw in enumerate(data["interactions"]):
        try:
            interactions.append(_interaction_from_dict(raw, path.stem))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CassetteError(
                f"malformed interaction ({_describe(exc)})", file=path, key_path=("interactions", index)
            ) from exc
    metadata = data.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise CassetteError("metadata must be a mapping", file=path, key_path=("metadata",))
    return Cassette(path=path, interactions=tuple(interactions), metadata=metadata)


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing key {exc.args[0]!r}"
    return str(exc)


def interaction_from_dict(raw: dict[str, Any], operation: str = "") -> RecordedInteraction:
    """One interaction from vcrpy's dictionary layout; raises KeyError, TypeError or ValueError when malformed."""
    return _interaction_from_dict(raw, operation)


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
        request=RecordedRequest(
            method=str(request["method"]).upper(),
            uri=str(request["uri"]),
            headers=_headers_from_dict(request.get("headers")),
            body=_body(request.get("body")),
        ),
        response=RecordedResponse(
            status=code, headers=_headers_from_dict(response.get("headers")), body=_body(body), reason=str(reason or "")
        ),
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
    headers: dict[str, tuple[str, ...]] = {}
    for name, values in raw.items():
        if values.__class__ is list and len(values) == 1 and values[0].__class__ is str:
            headers[str(name)] = (values[0],)  # the usual recorded header: one text value
            continue
        items = values if isinstance(values, list) else [values]
        headers[str(name)] = tuple(_header_text(value) for value in items)
    return headers


def _header_text(value: Any) -> str:
    # botocore sends header values as bytes; vcrpy stores them as !!binary
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def iter_cassettes(folder: str | Path, *, include_states: bool = True) -> Iterator[Cassette]:
    """Load every cassette under a folder (recursively, sorted by path); temporary files are skipped.

    Without `include_states`, the provider-state variants under `<folder>/states/` are left out."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if not include_states and path.relative_to(folder).parts[0] == STATES_FOLDER:
            continue
        if path.relative_to(folder).parts[0] == EVENTS_FOLDER:  # recorded messages: cassettes/events.py reads them
            continue
        # not only regular files: a FIFO or device named like a cassette is bad input, refused by load_cassette
        if path.suffix in CASSETTE_SUFFIXES and not path.is_dir() and not path.name.startswith("."):
            yield load_cassette(path)


def state_slug(state: str) -> str:
    """The folder name of a provider state's cassette variant: its lower-case words joined by '-' ('state' if none)."""
    return re.sub(r"[^a-z0-9]+", "-", state.lower()).strip("-") or "state"


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
