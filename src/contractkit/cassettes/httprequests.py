"""Strict, incremental HTTP/1.1 request parsing for the replay server, bounded by the server's size limits.

A request line or header that is not HTTP, a negative, non-numeric or conflicting length, or both
Content-Length and Transfer-Encoding raise HttpError 400; a head over the head limit (or too many header
lines) 431, a declared or streamed body over the body limit 413, before the body is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:
    from contractkit.cassettes.httpserver import ServerLimits

_REQUEST_LINE = re.compile(rb"([!#$%&'*+.^_`|~0-9A-Za-z-]+) ([\x21-\x7e]+) HTTP/(1\.[01])")
_HEADER_NAME = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_DIGITS = re.compile(r"[0-9]{1,18}")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?")
_MAX_CHUNK_LINE = 4096


class HttpError(Exception):
    """A request the server refuses: the status to answer and why."""

    def __init__(self, status: int, reason: str) -> None:
        self.status, self.reason = status, reason
        super().__init__(f"{status} {reason}")


@dataclass(slots=True)
class ParsedRequest:
    """One complete request."""

    method: str
    target: str
    headers: dict[str, str]  # lower-cased names; repeated headers joined with ', '
    body: bytes = b""
    keep_alive: bool = True
    expects_continue: bool = field(default=False, repr=False)


class RequestParser:
    """Incremental HTTP/1.1 request parser: feed bytes, take complete requests; raises HttpError on bad input."""

    def __init__(self, limits: ServerLimits) -> None:
        self.limits = limits
        self.buffer = bytearray()
        self.head: ParsedRequest | None = None  # parsed head whose body is still arriving
        self.length = 0  # Content-Length of that body
        self.chunked: _ChunkedBody | None = None

    def next_request(self) -> ParsedRequest | None:
        """The next complete request in the buffer (consumed from it), or None while it is incomplete."""
        if self.head is None:
            self.head = self._parse_head()
            if self.head is None:
                return None
        if self.chunked is not None:
            body = self.chunked.feed(self.buffer)
            if body is None:
                return None
        elif len(self.buffer) < self.length:
            return None
        else:
            body = bytes(self.buffer[: self.length])
            del self.buffer[: self.length]
        request, self.head, self.chunked, self.length = self.head, None, None, 0
        request.body = body
        return request

    @property
    def is_in_head(self) -> bool:
        """True while a request has started but its head is incomplete."""
        return self.head is None and bool(self.buffer)

    def _parse_head(self) -> ParsedRequest | None:
        while self.buffer[:2] == b"\r\n":  # RFC 9112 2.2: ignore empty lines before a request line
            del self.buffer[:2]
        end = self.buffer.find(b"\r\n\r\n", 0, self.limits.max_head_bytes + 4)
        if end < 0:
            if len(self.buffer) > self.limits.max_head_bytes:
                raise HttpError(431, f"request head larger than {self.limits.max_head_bytes} bytes")
            return None
        lines = bytes(self.buffer[:end]).split(b"\r\n")
        del self.buffer[: end + 4]
        matched = _REQUEST_LINE.fullmatch(lines[0])
        if matched is None:
            raise HttpError(400, "malformed request line (expected METHOD TARGET HTTP/1.1)")
        if len(lines) - 1 > self.limits.max_header_count:
            raise HttpError(431, f"more than {self.limits.max_header_count} header lines")
        headers = _parse_headers(lines[1:])
        request = ParsedRequest(matched.group(1).decode("ascii").upper(), matched.group(2).decode("latin-1"), headers)
        request.keep_alive = _keep_alive(headers, matched.group(3))
        self._plan_body(headers)
        request.expects_continue = headers.get("expect", "").lower() == "100-continue"
        return request

    def _plan_body(self, headers: Mapping[str, str]) -> None:
        encoding, length = headers.get("transfer-encoding"), headers.get("content-length")
        if encoding is not None:
            if length is not None:
                raise HttpError(400, "both Content-Length and Transfer-Encoding (a request smuggling pattern)")
            if encoding.strip().lower() != "chunked":
                raise HttpError(501, f"Transfer-Encoding {encoding!r} is not supported (only chunked)")
            self.chunked = _ChunkedBody(self.limits)
        elif length is not None:
            self.length = parse_content_length(length, self.limits.max_body_bytes)


def parse_content_length(value: str, limit: int) -> int:
    """A Content-Length header's value: digits only (no sign), repeated values equal, at most `limit`."""
    values = {part.strip() for part in value.split(",")}
    if len(values) != 1:
        raise HttpError(400, f"conflicting Content-Length values {value[:40]!r}")
    text = values.pop()
    if text.isdigit() and text.isascii() and len(text) > 18:
        raise HttpError(413, f"body larger than {limit} bytes")
    if not _DIGITS.fullmatch(text):
        raise HttpError(400, f"Content-Length must be a non-negative integer, got {text[:40]!r}")
    length = int(text)
    if length > limit:
        raise HttpError(413, f"body of {length} bytes is larger than the limit of {limit}")
    return length


def _parse_headers(lines: list[bytes]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in lines:
        name, colon, value = line.partition(b":")
        if not colon or not _HEADER_NAME.fullmatch(name):
            raise HttpError(400, f"malformed header line {line[:40].decode('latin-1')!r}")
        key = name.decode("ascii").lower()
        text = value.strip(b" \t").decode("latin-1")
        if key in headers:
            if key in ("host", "transfer-encoding"):
                raise HttpError(400, f"repeated {key} header")
            headers[key] = f"{headers[key]}, {text}"
        else:
            headers[key] = text
    return headers


def _keep_alive(headers: Mapping[str, str], version: bytes) -> bool:
    connection = headers.get("connection", "").lower()
    return "close" not in connection if version == b"1.1" else "keep-alive" in connection


class _ChunkedBody:
    """Decodes a chunked body across calls without rescanning, bounded by the body limit."""

    def __init__(self, limits: ServerLimits) -> None:
        self.limits = limits
        self.body = bytearray()
        self.remaining = -1  # bytes of the current chunk still to read (+2 for its CRLF); -1: a size line is next
        self.in_trailer = False

    def feed(self, buffer: bytearray) -> bytes | None:
        """Consume what the buffer holds; the whole body once the last chunk and trailer are in."""
        while True:
            if self.in_trailer:
                return self._trailer(buffer)
            if self.remaining < 0:
                if not self._size_line(buffer):
                    return None
                continue
            if len(buffer) < self.remaining:
                return None
            if buffer[self.remaining - 2 : self.remaining] != b"\r\n":
                raise HttpError(400, "a chunk is not followed by CRLF")
            self.body += buffer[: self.remaining - 2]
            del buffer[: self.remaining]
            self.remaining = -1

    def _size_line(self, buffer: bytearray) -> bool:
        end = buffer.find(b"\r\n", 0, _MAX_CHUNK_LINE)
        if end < 0:
            if len(buffer) >= _MAX_CHUNK_LINE:
                raise HttpError(400, "chunk size line too long")
            return False
        matched = _CHUNK_SIZE.fullmatch(bytes(buffer[:end]))
        if matched is None:
            raise HttpError(400, "malformed chunk size")
        size = int(matched.group(1), 16)
        del buffer[: end + 2]
        if len(self.body) + size > self.limits.max_body_bytes:
            raise HttpError(413, f"chunked body larger than {self.limits.max_body_bytes} bytes")
        if size == 0:
            self.in_trailer = True
        else:
            self.remaining = size + 2
        return True

    def _trailer(self, buffer: bytearray) -> bytes | None:
        if buffer[:2] == b"\r\n":
            del buffer[:2]
            return bytes(self.body)
        end = buffer.find(b"\r\n\r\n", 0, self.limits.max_head_bytes)
        if end < 0:
            if len(buffer) > self.limits.max_head_bytes:
                raise HttpError(431, "chunked trailer too large")
            return None
        del buffer[: end + 4]
        return bytes(self.body)


__all__ = ["HttpError", "ParsedRequest", "RequestParser", "parse_content_length"]
