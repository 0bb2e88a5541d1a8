"""Recordings a team already has, read as RecordedInteractions: vcrpy cassettes (YAML or JSON), HAR files and
Betamax JSON cassettes (also Ruby VCR's `http_interactions` layout); folders are searched recursively.

Speed matters here: a few thousand recorded responses make cassettes of tens of megabytes. JSON is parsed
by the one guarded parser (orjson with the `fast` extra); YAML as vcrpy writes it by the cassettes' block reader
(`read_block_yaml`, bodies unfolded in C), any other YAML with libyaml's C loader without a line map; only when a
file turns out to be malformed is it read again by the cassette loader, whose message names the line.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from contractkit.cassettes import (
    RecordedInteraction,
    RecordedRequest,
    RecordedResponse,
    check_cassette_version,
    interaction_from_dict,
    load_cassette,
    read_block_yaml,
)
from contractkit.core.errors import CassetteError
from contractkit.core.loading import YamlLoader as FastLoader  # libyaml's C loader where PyYAML was built with it
from contractkit.core.loading import check_nesting, parse_json_value

_STR_TAG = "tag:yaml.org,2002:str"


class FastCassetteLoader(FastLoader):  # type: ignore[misc,valid-type]
    """libyaml's safe loader with fast paths for what cassettes are made of: strings.

    A recorded body is one long string and the keys around it repeat in every interaction, so a string is
    taken as it stands (no constructor bookkeeping), and the tag of each distinct plain scalar (`method`,
    `GET`, `200`) is resolved once per file rather than once per occurrence.
    """

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._plain_tags: dict[str, str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """The tag of a node; a plain scalar's is looked up once per distinct value."""
        if kind is yaml.ScalarNode and implicit[0]:
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = self._plain_tags[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        """A node's value; a string scalar is its text."""
        if node.__class__ is yaml.ScalarNode and node.tag == _STR_TAG:
            return node.value
        return super().construct_object(node, deep)


RECORDING_SUFFIXES = (".yaml", ".yml", ".json", ".har")
KINDS = ("vcr", "har", "betamax")


@dataclass(frozen=True, slots=True)
class Recording:
    """The interactions of one recording file, in file order, and the format it was written in."""

    path: Path
    kind: str  # vcr | har | betamax
    interactions: tuple[RecordedInteraction, ...]


def iter_recording_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every recording file named: files as given, folders searched recursively (sorted, hidden files skipped)."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                item
                for item in path.rglob("*")
                if item.is_file()
                and item.suffix.lower() in RECORDING_SUFFIXES
                and not any(part.startswith(".") for part in item.relative_to(path).parts)
            )
            if not found:
                raise CassetteError(
                    f"no recordings in this folder (looked for {', '.join(RECORDING_SUFFIXES)} files)", file=path
                )
            yield from found
        elif path.is_file():
            yield path
        else:
            raise CassetteError("recording not found" if not path.exists() else "is not a file", file=path)


def load_recording(path: str | Path) -> Recording:
    """Read a vcrpy cassette, HAR file or Betamax cassette; raises CassetteError naming the file and key path."""
    path = Path(path)
    if not path.is_file():
        raise CassetteError("recording not found" if not path.exists() else "is not a file", file=path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CassetteError(f"cannot read recording ({exc})", file=path) from exc
    data = _parse(raw, path)
    if isinstance(data, Mapping) and isinstance(data.get("log"), Mapping):
        return Recording(path, "har", tuple(_har_interactions(data, path)))
    if isinstance(data, Mapping) and isinstance(data.get("http_interactions"), list):
        return Recording(path, "betamax", tuple(_betamax_interactions(data["http_interactions"], path)))
    if isinstance(data, Mapping) and isinstance(data.get("interactions"), list):
        check_cassette_version(data, path)
        return Recording(path, "vcr", vcr_interactions(data["interactions"], path))
    raise CassetteError(
        "not a recording: expected a vcrpy cassette (interactions), a Betamax cassette "
        "(http_interactions) or a HAR file (log.entries)",
        file=path,
        line=1,
    )


def _parse(raw: bytes, path: Path) -> Any:
    head = raw.lstrip()[:1]
    if head in (b"{", b"["):
        try:
            return parse_json_value(raw)
        except ValueError as exc:  # invalid JSON, or nested beyond the limit
            raise CassetteError(f"invalid JSON ({exc})", file=path) from exc
    text = raw.decode("utf-8", "replace")
    data = read_block_yaml(text)  # the regular YAML vcrpy writes, read fast; None for anything else
    if data is not None:
        return data
    check_nesting(text, CassetteError, display=str(path))  # before libyaml's C loader, which deep nesting crashes
    if "!!python/" in text:  # older vcrpy stores file-like bodies as Python objects: its own loader reads them
        return {"interactions": list(load_cassette(path).interactions)}
    try:
        return yaml.load(text, Loader=FastCassetteLoader)
    except yaml.YAMLError as exc:
        load_cassette(path)  # raises with the line and the problem
        raise CassetteError(f"invalid YAML ({exc})", file=path) from exc


def vcr_interactions(items: list[Any], path: Path) -> tuple[RecordedInteraction, ...]:
    """A vcrpy cassette's `interactions` list as RecordedInteractions; raises CassetteError naming the malformed one."""
    interactions = []
    for index, item in enumerate(items):
        if isinstance(item, RecordedInteraction):
            interactions.append(item)
            continue
        try:
            interactions.append(interaction_from_dict(item, path.stem))
        except (KeyError, TypeError, ValueError, AttributeError):
            load_cassette(path)  # the cassette loader names the line of the malformed interaction
            raise CassetteError("malformed interaction", file=path, key_path=("interactions", index)) from None
    return tuple(interactions)


# --------------------------------------------------------------------------- HAR


def _har_interactions(data: Mapping[str, Any], path: Path) -> Iterator[RecordedInteraction]:
    entries = data["log"].get("entries")
    if not isinstance(entries, list):
        raise CassetteError("not a HAR file: log.entries is not a list", file=path, key_path=("log", "entries"))
    for index, entry in enumerate(entries):
        try:
            yield _har_entry(entry)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CassetteError(
                f"malformed HAR entry ({_describe(exc)})", file=path, key_path=("log", "entries", index)
            ) from exc


def _har_entry(entry: Mapping[str, Any]) -> RecordedInteraction:
    request, response = entry["request"], entry["response"]
    content = response.get("content") or {}
    body: str | bytes | None = content.get("text")
    if body is not None and content.get("encoding") == "base64":
        body = base64.b64decode(body)
    request_body = (request.get("postData") or {}).get("text")
    return RecordedInteraction(
        request=RecordedRequest(
            method=str(request["method"]).upper(),
            uri=str(request["url"]),
            headers=_har_headers(request.get("headers")),
            body=request_body,
        ),
        response=RecordedResponse(
            status=int(response["status"]),
            headers=_har_headers(response.get("headers"), content.get("mimeType")),
            body=body,
            reason=str(response.get("statusText", "")),
        ),
    )


def _har_headers(items: Any, mime_type: str | None = None) -> dict[str, tuple[str, ...]]:
    headers: dict[str, tuple[str, ...]] = {}
    for item in items or ():
        headers[item["name"]] = headers.get(item["name"], ()) + (str(item["value"]),)
    if mime_type and not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = (mime_type,)
    return headers


# --------------------------------------------------------------------------- Betamax (and Ruby VCR)


def _betamax_interactions(items: list[Any], path: Path) -> Iterator[RecordedInteraction]:
    for index, item in enumerate(items):
        try:
            yield _betamax_interaction(item)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CassetteError(
                f"malformed Betamax interaction ({_describe(exc)})", file=path, key_path=("http_interactions", index)
            ) from exc


def _betamax_interaction(item: Mapping[str, Any]) -> RecordedInteraction:
    request, response = item["request"], item["response"]
    status = response["status"]
    code, reason = (status["code"], status.get("message", "")) if isinstance(status, Mapping) else (status, "")
    if isinstance(code, bool) or not isinstance(code, int):
        raise TypeError(f"response.status.code: expected an integer, got {code!r}")
    return RecordedInteraction(
        request=RecordedRequest(
            method=str(request["method"]).upper(),
            uri=str(request["uri"]),
            headers=_betamax_headers(request.get("headers")),
            body=_betamax_body(request.get("body")),
        ),
        response=RecordedResponse(
            status=code,
            headers=_betamax_headers(response.get("headers")),
            body=_betamax_body(response.get("body")),
            reason=str(reason or ""),
        ),
    )


def _betamax_body(body: Any) -> str | bytes | None:
    # Betamax writes {"string": ..., "encoding": ...}, or {"base64_string": ...} when it keeps the exact bytes
    if body is None or isinstance(body, (str, bytes)):
        return body
    if isinstance(body, Mapping):
        if body.get("base64_string"):
            return base64.b64decode(body["base64_string"])
        text = body.get("string")
        return text if isinstance(text, (str, bytes)) or text is None else json.dumps(text)
    raise ValueError(f"body: expected text or a mapping with 'string', got {type(body).__name__}")


def _betamax_headers(raw: Any) -> dict[str, tuple[str, ...]]:
    if not raw:
        return {}
    if not isinstance(raw, Mapping):
        raise TypeError("headers: expected a mapping of name to values")
    return {
        str(name): tuple(str(value) for value in (values if isinstance(values, list) else [values]))
        for name, values in raw.items()
    }


def _describe(exc: Exception) -> str:
    return f"missing key {exc.args[0]!r}" if isinstance(exc, KeyError) else str(exc)


__all__ = ["KINDS", "RECORDING_SUFFIXES", "Recording", "iter_recording_paths", "load_recording", "vcr_interactions"]
