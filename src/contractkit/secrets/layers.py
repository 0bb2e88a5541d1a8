"""Encodings a secret hides under, peeled one layer at a time and put back after scrubbing.

A `Layer` is the text inside one encoding and the function that encodes a (scrubbed) text the same way again,
so the structure around a secret survives: a base64 field stays base64 (wrapped at the same width), a gzip body
stays gzip, an escaped JSON document inside XML stays escaped. A layer is peeled only when the result reads as
text, so a random token that happens to be valid base64 is judged as a token, not as garbage bytes.

Layers: base64 (standard and URL-safe, padded or not, MIME-wrapped with line breaks, nested), gzip and deflate,
UTF-16 and UTF-32 (by byte-order mark or by the zero bytes of ASCII text), percent-encoding in either case, HTML
and XML character references, JSON string escapes (`\\/`, `\\"`, `\\u0041`).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import html
import json
import re
import zlib
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote, unquote

from contractkit.core.loading import parse_json_value

__all__ = ["Layer", "decode_bytes", "peel"]

_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+={0,2}")
_BASE64_WRAPPED = re.compile(r"(?:[A-Za-z0-9+/]{4,}(?:\r?\n|\\r\\n|\\n))+[A-Za-z0-9+/]*={0,2}(?:\r?\n|\\n)?")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_JSON_ESCAPE = re.compile(r"\\(?:[\"\\/bfnrt]|u[0-9A-Fa-f]{4})")
_MIN_BASE64 = 16


@dataclass(frozen=True, slots=True)
class Layer:
    """The text inside one encoding, and how to encode a text the same way again."""

    kind: str
    inner: str
    encode: Callable[[str], str]


def peel(value: str) -> Layer | None:
    """The layer a string value is encoded in (base64, percent, HTML, JSON escapes), or None."""
    for step in (_base64_layer, _percent_layer, _entity_layer, _json_escape_layer):
        layer = step(value)
        if layer is not None and layer.inner != value:
            return layer
    return None


# ---------------------------------------------------------------- bytes


def decode_bytes(data: bytes, encoding: str = "") -> tuple[str, Callable[[str], bytes]] | None:
    """Bytes as text through any compression and text encoding (gzip, deflate, UTF-16/32, UTF-8), with the
    function that turns a text back into the same kind of bytes; None when the bytes are not text."""
    if data[:2] == b"\x1f\x8b" or "gzip" in encoding:
        try:
            inner = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            return None
        return _wrapped(inner, lambda raw: gzip.compress(raw, mtime=0))
    if "deflate" in encoding or (len(data) > 2 and data[0] == 0x78 and (data[0] * 256 + data[1]) % 31 == 0):
        for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
            try:
                inner = zlib.decompress(data, wbits)
            except zlib.error:
                continue
            return _wrapped(inner, _deflate(wbits))
        return None
    return _text_of(data)


def _deflate(wbits: int) -> Callable[[bytes], bytes]:
    def compress(raw: bytes) -> bytes:
        packer = zlib.compressobj(wbits=wbits)
        return packer.compress(raw) + packer.flush()

    return compress


def _wrapped(inner: bytes, pack: Callable[[bytes], bytes]) -> tuple[str, Callable[[str], bytes]] | None:
    decoded = decode_bytes(inner)
    if decoded is None:
        return None
    text, encode = decoded
    return text, lambda clean: pack(encode(clean))


# a byte-order mark is decoded as U+FEFF, set aside, and encoded back with the text
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _text_of(data: bytes) -> tuple[str, Callable[[str], bytes]] | None:
    encoding = _encoding_of(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if not (_reads_as_ascii_text(data) if encoding == "utf-8" and data.isascii() else _reads_as_text(text)):
        return None
    mark = "\ufeff" if text.startswith("\ufeff") else ""  # the byte-order mark, put back in front
    return text[len(mark) :], lambda clean: (mark + clean).encode(encoding)


def _encoding_of(data: bytes) -> str:
    for mark, name in _BOMS:
        if data.startswith(mark):
            return name
    head = data[: len(data[:64]) // 4 * 4]
    if len(head) >= 8:  # ASCII text in UTF-32 or UTF-16 has zero bytes in fixed places
        if _zero(head[1::4]) and _zero(head[2::4]) and _zero(head[3::4]) and not _zero(head[0::4]):
            return "utf-32-le"
        if _zero(head[0::4]) and _zero(head[1::4]) and _zero(head[2::4]) and not _zero(head[3::4]):
            return "utf-32-be"
        if head[1::2].count(0) > len(head) // 3 and head[0::2].count(0) == 0:
            return "utf-16-le"
        if head[0::2].count(0) > len(head) // 3 and head[1::2].count(0) == 0:
            return "utf-16-be"
    return "utf-8"


def _zero(data: bytes) -> bool:
    return data.count(0) == len(data)


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


# every byte but the ASCII control characters `_CONTROL` counts (tab, line feed and carriage return are text)
_NOT_CONTROL = bytes(code for code in range(128) if not _CONTROL.match(chr(code)))


def _reads_as_ascii_text(data: bytes) -> bool:
    """`_reads_as_text` for ASCII bytes, counted in one pass in C: a decompressed body is hundreds of kilobytes."""
    return bool(data) and len(data.translate(None, _NOT_CONTROL)) <= 0.05 * len(data)


def _reads_as_text(text: str) -> bool:
    """True when at most 5% of the characters are control characters or replacement characters."""
    return bool(text) and len(_CONTROL.findall(text)) <= 0.05 * len(text)


# ---------------------------------------------------------------- string layers


def _base64_layer(value: str) -> Layer | None:
    stripped = value.strip()
    wrapped = "\n" in stripped or "\\n" in stripped
    if len(stripped) < _MIN_BASE64:
        return None
    if wrapped:
        if not _BASE64_WRAPPED.fullmatch(stripped + "\n"):
            return None
        compact = re.sub(r"\\r|\\n|\s", "", stripped)
    elif _BASE64.fullmatch(stripped):
        compact = stripped
    else:
        return None
    urlsafe = "-" in compact or "_" in compact
    try:
        raw = (base64.urlsafe_b64decode if urlsafe else base64.b64decode)(compact + "=" * (-len(compact) % 4))
    except (binascii.Error, ValueError):
        return None
    decoded = decode_bytes(raw)
    if decoded is None:
        return None
    text, encode = decoded
    return Layer("base64", text, _base64_encoder(value, compact, urlsafe, encode))


def _base64_encoder(original: str, compact: str, urlsafe: bool, encode: Callable[[str], bytes]) -> Callable[[str], str]:
    def to_base64(clean: str) -> str:  # the layout is read only when a secret was found: most layers stay as they are
        line = original.strip()
        escaped_newline = "\\n" in line and "\n" not in line
        newline = "\\r\\n" if "\\r\\n" in line else "\\n" if escaped_newline else "\r\n" if "\r\n" in line else "\n"
        split = re.split(r"\\r\\n|\\n|\r?\n", line)
        width = len(split[0]) if len(split) > 1 else 0
        padded = compact.endswith("=") or len(compact) % 4 == 0  # unpadded only when it was short of a multiple of 4
        text = (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(encode(clean)).decode()
        if not padded and not width:
            text = text.rstrip("=")
        if width:
            text = newline.join(text[i : i + width] for i in range(0, len(text), width))
        return original[: len(original) - len(original.lstrip())] + text + original[len(original.rstrip()) :]

    return to_base64


def _percent_layer(value: str) -> Layer | None:
    if "%" not in value or not _PERCENT.search(value):
        return None
    inner = unquote(value)
    lower = re.search(r"%[0-9a-f]{2}", value) is not None and re.search(r"%[0-9A-F]{2}", value) is None
    safe = "".join(sorted({char for char in value if not char.isalnum() and char != "%"}))

    def encode(clean: str) -> str:
        text = quote(clean, safe=safe)
        return re.sub(r"%[0-9A-F]{2}", lambda m: m[0].lower(), text) if lower else text

    return Layer("percent", inner, encode)


def _entity_layer(value: str) -> Layer | None:
    if "&" not in value or not _ENTITY.search(value):
        return None
    return Layer(
        "html", html.unescape(value), lambda clean: html.escape(clean, quote='"' in value or "&quot;" in value)
    )


def _json_escape_layer(value: str) -> Layer | None:
    if "\\" not in value or not _JSON_ESCAPE.search(value):
        return None
    try:
        inner = parse_json_value(f'"{value}"')
    except ValueError:
        return None
    slash = "\\/" in value
    return Layer(
        "json-escape",
        inner,
        lambda clean: (lambda text: text.replace("/", "\\/") if slash else text)(
            json.dumps(clean, ensure_ascii=False)[1:-1]
        ),
    )
