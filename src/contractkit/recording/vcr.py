"""vcrpy in memory: interactions recorded without touching disk, then normalised and scrubbed."""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit, urlunsplit

from contractkit.aws import json_media_type, service_model
from contractkit.cassettes import RecordedInteraction, RecordedRequest, RecordedResponse
from contractkit.core.model import Operation
from contractkit.recording.plan import LOOPBACK
from contractkit.secrets import ScrubRules, normalise_volatile, scrub_interaction

_HOP_RESPONSE_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding"}
)


class MemoryPersister:
    """A vcrpy persister that keeps cassettes in memory: nothing reaches disk before scrubbing."""

    _saved: dict[str, dict[str, Any]] = {}
    _lock = threading.Lock()

    @classmethod
    def load_cassette(cls, cassette_path: str, serializer: Any) -> Any:
        from vcr.persisters.filesystem import CassetteNotFoundError

        raise CassetteNotFoundError()

    @classmethod
    def save_cassette(cls, cassette_path: str, cassette_dict: dict[str, Any], serializer: Any = None) -> None:
        with cls._lock:
            cls._saved[str(cassette_path)] = cassette_dict

    @classmethod
    def take(cls, cassette_path: str) -> dict[str, Any]:
        """Remove and return what vcrpy saved under a key (empty when nothing was recorded)."""
        with cls._lock:
            return cls._saved.pop(cassette_path, {"requests": [], "responses": []})


def recorded_through_vcr(action: Callable[[], Any]) -> tuple[list[RecordedInteraction], BaseException | None]:
    """Run `action` under a vcrpy cassette held in memory; the interactions it recorded, and its exception."""
    import vcr

    recorder = vcr.VCR(record_mode="all", decode_compressed_response=True)
    recorder.register_persister(MemoryPersister)
    key = f"memory-{uuid.uuid4().hex}"
    error: BaseException | None = None
    with recorder.use_cassette(key):
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - reported per operation, the run goes on
            error = exc
    saved = MemoryPersister.take(key)
    return [from_vcr(request, response) for request, response in zip(saved["requests"], saved["responses"])], error


def from_vcr(request: Any, response: Mapping[str, Any]) -> RecordedInteraction:
    """A vcrpy request object and response dict as a RecordedInteraction (bytes headers and bodies decoded)."""
    headers = {str(name): (_text(value),) for name, value in request.headers.items()}
    status = response.get("status") or {}
    response_headers = {
        str(name): tuple(_text(v) for v in (values if isinstance(values, list) else [values]))
        for name, values in (response.get("headers") or {}).items()
    }
    return RecordedInteraction(
        request=RecordedRequest(str(request.method).upper(), str(request.uri), headers, _body(request.body_bytes)),
        response=RecordedResponse(
            int(status.get("code", 0)),
            response_headers,
            _body((response.get("body") or {}).get("string")),
            str(status.get("message", "")),
        ),
    )


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _body(value: Any) -> str | bytes | None:
    if value is None or value == b"":
        return None if value is None else ""
    if isinstance(value, str):
        return value
    if hasattr(value, "read"):  # BytesIO bodies would make the cassette unreadable for safe loaders
        value = value.read()
    if isinstance(value, list):
        value = b"".join(value)
    try:
        return bytes(value).decode("utf-8")
    except UnicodeDecodeError:
        return bytes(value)


def finish_interaction(interaction: RecordedInteraction, rules: ScrubRules, operation: str) -> RecordedInteraction:
    """Scrub secrets, mark volatile values, drop hop-by-hop headers, and make loopback origins port-free."""
    clean = normalise_volatile(scrub_interaction(interaction, rules))
    headers = {k: v for k, v in clean.response.headers.items() if k.lower() not in _HOP_RESPONSE_HEADERS}
    request = replace(clean.request, uri=stable_uri(clean.request.uri))
    return replace(clean, request=request, response=replace(clean.response, headers=headers), operation=operation)


def stable_uri(uri: str) -> str:
    """A loopback URI without its port, so recordings from servers on random ports compare equal."""
    parts = urlsplit(uri)
    if parts.hostname in LOOPBACK and parts.port:
        return urlunsplit(parts._replace(netloc=parts.hostname))
    return uri


def aws_content_type(
    operation: Operation, interactions: tuple[RecordedInteraction, ...]
) -> tuple[tuple[RecordedInteraction, ...], str]:
    """moto answers JSON-protocol calls with `text/html` or `text`; AWS sends the protocol's media type."""
    wanted = json_media_type(operation.service or "")
    if service_model(operation.service or "").resolved_protocol != "json" or wanted is None:
        return interactions, ""
    fixed, notes = [], set()
    for item in interactions:
        headers = dict(item.response.headers)
        name = next((key for key in headers if key.lower() == "content-type"), "Content-Type")
        if headers.get(name, ("",))[0] != wanted:
            notes.add(f"Content-Type {headers.get(name, ('none',))[0]!r} -> {wanted!r} (moto deviates from AWS)")
            headers[name] = (wanted,)
        fixed.append(replace(item, response=replace(item.response, headers=headers)))
    return tuple(fixed), "; ".join(sorted(notes))
