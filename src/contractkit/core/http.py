"""Small HTTP helpers shared by every engine: headers, media types, bodies."""

from __future__ import annotations

import zlib
from typing import Any, Mapping

from contractkit.core.loading import parse_json_value


def loads(data: bytes | str) -> Any:
    """Parse a JSON body through the one guarded parser (nesting limited; the `fast` extra used when present)."""
    return parse_json_value(data)


HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def header_value(headers: Mapping[str, Any], name: str) -> str | None:
    """A header's value, case-insensitively; vcrpy's list values and bytes are flattened."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            if isinstance(value, (list, tuple)):
                value = value[0] if value else ""
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            return str(value)
    return None


def content_type(headers: Mapping[str, Any]) -> str:
    """The response's media type, lower-cased and without parameters ('' when absent)."""
    value = header_value(headers, "content-type") or ""
    return value.split(";", 1)[0].strip().lower()


def pick_media_type(media: str, content: Mapping[str, Any]) -> str | None:
    """The declared media-type key that covers `media` (exact, then `type/*`, then `*/*`), or None."""
    lowered = {key.split(";", 1)[0].strip().lower(): key for key in content}
    if media in lowered:
        return lowered[media]
    major = media.split("/", 1)[0]
    for candidate in (f"{major}/*", "*/*"):
        if candidate in lowered:
            return lowered[candidate]
    return None


def is_json_media(media: str) -> bool:
    """True for application/json, application/*+json and the like."""
    media = media.lower()
    return media.endswith("/json") or media.endswith("+json")


def coerce_text(text: str, schema: Mapping[str, Any]) -> Any:
    """A header or query value read as the schema's scalar type (text stays text when it does not parse)."""
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        return text
    if kind == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def decoded_body(headers: Mapping[str, Any], body: Any) -> Any:
    """The body with its Content-Encoding (gzip, deflate) undone, as vcrpy stores it unless told to decode."""
    encoding = (header_value(headers, "content-encoding") or "").strip().lower()
    if not encoding or encoding == "identity" or not isinstance(body, (bytes, bytearray)):
        return body
    try:
        if encoding in ("gzip", "x-gzip"):
            return zlib.decompress(bytes(body), 16 + zlib.MAX_WBITS)
        if encoding == "deflate":
            return zlib.decompress(bytes(body))
    except zlib.error:
        return body  # already decoded by the recorder, though the header stayed
    return body


def parse_json_body(body: Any) -> tuple[Any, str]:
    """(parsed value, '') for a JSON body given as bytes, text or already parsed data; (None, reason) otherwise."""
    if isinstance(body, (bytes, bytearray, str)):
        if (
            not body
            or (isinstance(body, (bytes, bytearray)) and not body.strip())
            or (isinstance(body, str) and not body.strip())
        ):
            return None, "expected a JSON body, got an empty body"
        try:
            return loads(bytes(body) if isinstance(body, bytearray) else body), ""
        except ValueError as exc:
            return None, f"body is not valid JSON ({str(exc).splitlines()[0][:120]})"
    return body, ""


__all__ = [
    "HTTP_METHODS",
    "loads",
    "header_value",
    "content_type",
    "pick_media_type",
    "is_json_media",
    "coerce_text",
    "decoded_body",
    "parse_json_body",
]
