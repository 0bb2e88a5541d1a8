"""A small HTTP/1.1 server on asyncio for the replay server: strict parsing, bounded memory, timeouts.

One hostile or unlucky client cannot take the server down:
- a request line or header that is not HTTP, a negative, non-numeric or conflicting length, or both
  Content-Length and Transfer-Encoding is answered 400 and the connection closed;
- a head over MAX_HEAD_BYTES (or MAX_HEADER_COUNT lines) is answered 431, a declared or streamed body over
  MAX_BODY_BYTES 413, before the body is read;
- a request whose head (or body) does not arrive in time is answered 408; an idle keep-alive connection is
  closed; a client that does not read its answers is paused, then closed;
- beyond MAX_CONNECTIONS the longest-idle connection is closed to make room, and an `accept` failure (the
  file descriptor limit) is counted instead of flooding the log with tracebacks.

The handler (the replay server) turns a parsed request into an answer, or into a coroutine for answers
that are delayed or dropped (fault injection).
"""

from __future__ import annotations

import asyncio
import json
import re
import resource
import socket
import struct
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Mapping, Union

from contractkit.core.limits import (
    BODY_TIMEOUT,
    HEAD_TIMEOUT,
    IDLE_TIMEOUT,
    MAX_BODY_BYTES,
    MAX_CONNECTIONS,
    MAX_HEAD_BYTES,
    MAX_HEADER_COUNT,
)

Answer = tuple[bytes, bytes]  # status line plus headers (no Content-Length), and the body
Handler = Callable[["ParsedRequest"], Union[Answer, Awaitable[Union[Answer, None]]]]

_REQUEST_LINE = re.compile(rb"([!#$%&'*+.^_`|~0-9A-Za-z-]+) ([\x21-\x7e]+) HTTP/(1\.[01])")
_HEADER_NAME = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_DIGITS = re.compile(r"[0-9]{1,18}")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?")
_MAX_CHUNK_LINE = 4096
_MAX_BUFFERED_BYTES = 256 * 1024 * 1024  # request bytes held by all connections together


@dataclass(frozen=True, slots=True)
class ServerLimits:
    """Sizes, counts and timeouts (seconds) that bound what one client can hold."""

    max_head_bytes: int = MAX_HEAD_BYTES
    max_header_count: int = MAX_HEADER_COUNT
    max_body_bytes: int = MAX_BODY_BYTES
    max_connections: int = MAX_CONNECTIONS
    head_timeout: float = HEAD_TIMEOUT
    body_timeout: float = BODY_TIMEOUT
    idle_timeout: float = IDLE_TIMEOUT

    def effective_connections(self) -> int:
        """max_connections, kept under the process's file descriptor limit (with room for files and clients)."""
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        return max(8, min(self.max_connections, soft // 2 - 32)) if soft > 0 else self.max_connections


@dataclass(slots=True)
class ConnectionStats:
    """What the HTTP layer refused or cut off (the replay statistics include these)."""

    rejected: int = 0  # malformed or oversized requests, answered 400, 408, 413, 431 or 501
    timed_out: int = 0  # connections closed for a slow head or body, idleness, or not reading answers
    evicted: int = 0  # idle connections closed to make room for a new one
    accept_failures: int = 0  # accept() errors such as the file descriptor limit
    peak_connections: int = 0


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


# ---------------------------------------------------------------- parsing


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
            body = bytes(self.buffer[:self.length])
            del self.buffer[:self.length]
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
        del self.buffer[:end + 4]
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
            if buffer[self.remaining - 2:self.remaining] != b"\r\n":
                raise HttpError(400, "a chunk is not followed by CRLF")
            self.body += buffer[:self.remaining - 2]
            del buffer[:self.remaining]
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
        del buffer[:end + 2]
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
        del buffer[:end + 4]
        return bytes(self.body)


# ---------------------------------------------------------------- answers


def reason_phrase(status: int) -> str:
    """The standard reason phrase of a status code ('Unknown' for codes HTTP does not name)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def json_answer(status: int, data: Any, extra: Mapping[str, str] | None = None) -> Answer:
    """A JSON answer with the given status and extra headers."""
    body = json.dumps(data, indent=2).encode() + b"\n"
    lines = [f"HTTP/1.1 {status} {reason_phrase(status)}", "Content-Type: application/json"]
    lines += [f"{name}: {value}" for name, value in (extra or {}).items()]
    return "\r\n".join(lines).encode(), body


_DATE_CACHE: list[Any] = [0, ""]


def _date() -> str:
    now = int(time.time())
    if _DATE_CACHE[0] != now:
        _DATE_CACHE[:] = [now, formatdate(now, usegmt=True)]
    return str(_DATE_CACHE[1])


# ---------------------------------------------------------------- connections


class HttpConnection(asyncio.Protocol):
    """One client connection: parse pipelined requests, answer them in order, within the limits."""

    def __init__(self, server: HttpServer) -> None:
        self.server = server
        self.parser = RequestParser(server.limits)
        self.transport: asyncio.Transport | None = None
        self.busy = False  # an answer is being prepared (delayed by fault injection)
        self.writing_paused = False
        self.continued = False
        self.last_activity = time.monotonic()
        self.request_started = 0.0  # when the first byte of the current request arrived
        self.buffered = 0  # bytes this connection counts against the server-wide budget
        self.reading_paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.server.admit(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.forget(self)

    def pause_writing(self) -> None:
        self.writing_paused = self.reading_paused = True
        self.last_activity = time.monotonic()
        if self.transport is not None:
            self.transport.pause_reading()

    def resume_writing(self) -> None:
        self.writing_paused = False
        self.last_activity = time.monotonic()
        if self.transport is not None and not self.transport.is_closing():
            self.drain()

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        if not self.parser.buffer and self.parser.head is None:
            self.request_started = now
        self.last_activity = now
        self.parser.buffer += data
        self.drain()
        if self.transport is not None and not self.transport.is_closing():
            self._account()
            self._continue_if_expected()

    def _account(self) -> None:
        """Stop reading while an answer is pending and bytes pile up; refuse when all connections hold too much."""
        held = len(self.parser.buffer) + (len(self.parser.chunked.body) if self.parser.chunked else 0)
        self.server.buffered += held - self.buffered
        self.buffered = held
        assert self.transport is not None
        if self.server.buffered > _MAX_BUFFERED_BYTES:
            self.refuse(HttpError(503, "the server holds too many request bytes; try again"))
        elif (self.busy or self.writing_paused) and held > self.server.limits.max_head_bytes:
            self.reading_paused = True
            self.transport.pause_reading()

    def _continue_if_expected(self) -> None:
        """Clients that send `Expect: 100-continue` wait for this before the body (curl with large bodies)."""
        head = self.parser.head
        if head is not None and head.expects_continue and not self.continued and not self.busy:
            self.continued = True
            assert self.transport is not None
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def drain(self) -> None:
        """Answer every complete request in the buffer, unless an answer is pending or the client is not reading."""
        while not self.busy and not self.writing_paused and self.transport is not None and not self.transport.is_closing():
            try:
                request = self.parser.next_request()
            except HttpError as error:
                self.refuse(error)
                return
            if request is None:
                return
            self.continued = False
            self.request_started = time.monotonic()
            answer = self.server.handler(request)
            if isinstance(answer, tuple):
                self.send(answer, keep_alive=request.keep_alive, head_only=request.method == "HEAD")
            else:
                self.busy = True
                asyncio.get_running_loop().create_task(self._answer_later(request, answer))
                return
        if self.reading_paused and not self.busy and not self.writing_paused and self.transport is not None:
            self.reading_paused = False
            self.transport.resume_reading()

    async def _answer_later(self, request: ParsedRequest, pending: Awaitable[Answer | None]) -> None:
        answer = await pending
        self.busy = False
        if answer is None:
            self.reset()
            return
        self.send(answer, keep_alive=request.keep_alive, head_only=request.method == "HEAD")
        self.drain()

    def send(self, answer: Answer, *, keep_alive: bool, head_only: bool = False) -> None:
        """Write one answer with Date, Content-Length and Connection; close after it unless kept alive."""
        if self.transport is None or self.transport.is_closing():
            return
        head, body = answer
        connection = b"keep-alive" if keep_alive else b"close"
        self.transport.write(head + b"\r\nDate: " + _date().encode() + b"\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\nConnection: " + connection + b"\r\n\r\n"
                             + (b"" if head_only else body))
        self.last_activity = time.monotonic()
        if not keep_alive:
            self.transport.close()

    def refuse(self, error: HttpError) -> None:
        """Answer a refused request with its status and a JSON reason, then close the connection."""
        if error.status == 408:
            self.server.stats.timed_out += 1
        else:
            self.server.stats.rejected += 1
        self.parser.buffer.clear()
        self.send(json_answer(error.status, {"error": error.reason}), keep_alive=False)

    def reset(self) -> None:
        """Close with a TCP reset instead of an answer (fault injection)."""
        if self.transport is None:
            return
        sock = self.transport.get_extra_info("socket")
        if sock is not None:  # SO_LINGER 0: close sends RST instead of FIN
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.transport.abort()

    def expire(self, now: float) -> None:
        """Apply the timeouts: a slow head or body is answered 408, an idle or stuck connection closed."""
        if self.transport is None or self.transport.is_closing() or self.busy:
            return
        limits = self.server.limits
        if self.writing_paused:
            if now - self.last_activity > limits.idle_timeout:
                self.server.stats.timed_out += 1
                self.transport.abort()
        elif self.parser.is_in_head and now - self.request_started > limits.head_timeout:
            self.refuse(HttpError(408, f"request head not complete within {limits.head_timeout:g} s"))
        elif self.parser.head is not None and now - self.request_started > limits.body_timeout:
            self.refuse(HttpError(408, f"request body not complete within {limits.body_timeout:g} s"))
        elif not self.parser.buffer and self.parser.head is None and now - self.last_activity > limits.idle_timeout:
            self.server.stats.timed_out += 1
            self.transport.close()

    def is_idle(self) -> bool:
        """True when no request is in progress on this connection."""
        return not self.busy and not self.parser.buffer and self.parser.head is None


# ---------------------------------------------------------------- server


class HttpServer:
    """Accepts connections on one loop, keeps them within the limits, and sweeps timeouts."""

    def __init__(self, handler: Handler, limits: ServerLimits | None = None, *,
                 stats: ConnectionStats | None = None) -> None:
        self.handler = handler
        self.limits = limits or ServerLimits()
        self.max_connections = self.limits.effective_connections()
        self.stats = stats if stats is not None else ConnectionStats()
        self.connections: set[HttpConnection] = set()
        self.buffered = 0
        self._server: asyncio.base_events.Server | None = None
        self._sweeper: asyncio.Task[None] | None = None

    async def listen(self, host: str, port: int) -> int:
        """Bind and start accepting; returns the bound port. Raises OSError when the address is taken."""
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(self._loop_exception)
        self._server = await loop.create_server(lambda: HttpConnection(self), host, port, backlog=1024)
        self._sweeper = loop.create_task(self._sweep())
        return int(self._server.sockets[0].getsockname()[1])

    def close(self) -> None:
        """Stop accepting and drop every connection."""
        if self._server is not None:
            self._server.close()
        if self._sweeper is not None:
            self._sweeper.cancel()
        for connection in list(self.connections):
            if connection.transport is not None:
                connection.transport.abort()

    def admit(self, connection: HttpConnection) -> None:
        """Track a new connection; at the limit, close the longest-idle one (or, when none is idle, this one)."""
        if len(self.connections) >= self.max_connections:
            idle = [other for other in self.connections if other.is_idle() or other.parser.is_in_head]
            victim = min(idle, key=lambda other: other.last_activity, default=connection)
            self.stats.evicted += 1
            if victim.transport is not None:
                victim.transport.abort()
            self.connections.discard(victim)
            if victim is connection:
                return
        self.connections.add(connection)
        self.stats.peak_connections = max(self.stats.peak_connections, len(self.connections))

    def forget(self, connection: HttpConnection) -> None:
        """A connection closed: stop tracking it and release its bytes."""
        self.connections.discard(connection)
        self.buffered -= connection.buffered
        connection.buffered = 0

    async def _sweep(self) -> None:
        limits = self.limits
        interval = max(0.02, min(1.0, limits.head_timeout / 4, limits.idle_timeout / 4, limits.body_timeout / 4))
        while True:
            await asyncio.sleep(interval)
            now = time.monotonic()
            for connection in list(self.connections):
                connection.expire(now)

    def _loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """Count accept() failures (EMFILE backs off by itself) instead of logging a traceback for each."""
        exception = context.get("exception")
        if isinstance(exception, OSError) and "accept" in str(context.get("message", "")):
            self.stats.accept_failures += 1
            return
        if isinstance(exception, (ConnectionError, TimeoutError)):
            return
        loop.default_exception_handler(context)


__all__ = ["Answer", "ConnectionStats", "Handler", "HttpConnection", "HttpError", "HttpServer", "ParsedRequest",
           "RequestParser", "ServerLimits", "json_answer", "parse_content_length", "reason_phrase"]
