"""A small HTTP/1.1 server on asyncio for the replay server: strict parsing, bounded memory, timeouts.

One hostile or unlucky client cannot take the server down:
- a request the parser (`httprequests`) refuses is answered with its status (400, 413 before the body is
  read, 431, 501) and the connection closed;
- a request whose head (or body) does not arrive in time is answered 408; an idle keep-alive connection is
  closed; a client that does not read its answers is paused, then closed;
- at most MAX_CONNECTIONS connections are served at a time (fewer when the open-file limit is low); a burst
  beyond them is accepted and waits in a queue, unread, until a slot frees. While connections wait, an answer
  closes its connection (unless more pipelined requests are in), a connection idle after its answer makes
  room at once, and one that sends nothing (or trickles its head) for `silent_grace` seconds makes room too;
  a connection waiting longer than the idle timeout is closed. The queue is bounded by the open-file limit:
  beyond it a connection is answered 503 with Retry-After and closed, and an `accept` failure (the file
  descriptor limit itself) is counted instead of flooding the log with tracebacks (asyncio retries a second
  later; meanwhile the kernel's backlog holds the connections).

`raise_open_file_limit` lifts the soft open-file limit to the hard one; `contracts replay` calls it at start.

The handler (the replay server) turns a parsed request into an answer, or into a coroutine for answers
that are delayed or dropped (fault injection).
"""

from __future__ import annotations

import asyncio
import json
import resource
import socket
import struct
import time
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Mapping, Union

from contractkit.cassettes.httprequests import HttpError, ParsedRequest, RequestParser, parse_content_length
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

_MAX_BUFFERED_BYTES = 256 * 1024 * 1024  # request bytes held by all connections together
_RESERVED_FILES = 64  # open files kept free of connections: cassettes, logs, the listener, the loop's own
_UNLIMITED_FILES = 65_536  # the soft limit asked for when the hard one is unlimited (macOS refuses infinity)
_BACKLOG = 4_096  # connections the kernel holds before they are accepted (capped by net.core.somaxconn)


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
    silent_grace: float = 1.0  # seconds a served connection may stay silent while others wait for its slot

    def effective_connections(self) -> int:
        """max_connections, kept under the process's file descriptor limit (with room for files and clients)."""
        soft = _soft_file_limit()
        return max(8, min(self.max_connections, soft // 2 - 32)) if soft > 0 else self.max_connections

    def effective_waiting(self, serving: int) -> int:
        """How many connections may wait for a slot: what the open-file limit leaves beside `serving` and a reserve."""
        return max(0, _soft_file_limit() - _RESERVED_FILES - serving)


def _soft_file_limit() -> int:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return _UNLIMITED_FILES if soft == resource.RLIM_INFINITY else soft


def raise_open_file_limit() -> int:
    """Raise this process's soft open-file limit (RLIMIT_NOFILE) to its hard limit; returns the soft limit now in force.

    A burst of connections needs one file descriptor each, and the usual soft limit (1,024) is far below the
    usual hard one. Where the hard limit is unlimited, 65,536 is asked for; a refusal leaves the limit as it was.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = _UNLIMITED_FILES if hard == resource.RLIM_INFINITY else hard
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return _soft_file_limit()
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (ValueError, OSError):  # macOS caps the soft limit at kern.maxfilesperproc
        pass
    return _soft_file_limit()


@dataclass(slots=True)
class ConnectionStats:
    """What the HTTP layer refused or cut off (the replay statistics include these)."""

    rejected: int = 0  # malformed or oversized requests, answered 400, 408, 413, 431 or 501
    timed_out: int = 0  # connections closed for a slow head or body, idleness, or not reading answers
    evicted: int = 0  # idle or silent connections closed to make room for waiting ones
    accept_failures: int = 0  # accept() errors such as the file descriptor limit
    peak_connections: int = 0  # connections served at the same time
    queued: int = 0  # connections that waited for a slot
    peak_waiting: int = 0
    turned_away: int = 0  # connections answered 503 because the queue was full (the open-file limit)


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
        self.answered = 0  # answers written on this connection

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
        self.server.reusable.pop(self, None)
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
        while (
            not self.busy and not self.writing_paused and self.transport is not None and not self.transport.is_closing()
        ):
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
                self.send(answer, keep_alive=self._keeps_alive(request), head_only=request.method == "HEAD")
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
        self.send(answer, keep_alive=self._keeps_alive(request), head_only=request.method == "HEAD")
        self.drain()

    def _keeps_alive(self, request: ParsedRequest) -> bool:
        """Keep the connection after this answer unless the client closes it, or others wait for its slot and
        no pipelined request is in (the answer then says `Connection: close`, so the client knows)."""
        return request.keep_alive and not (self.server.waiting and not self.parser.buffer)

    def send(self, answer: Answer, *, keep_alive: bool, head_only: bool = False) -> None:
        """Write one answer with Date, Content-Length and Connection; close after it unless kept alive."""
        if self.transport is None or self.transport.is_closing():
            return
        head, body = answer
        connection = b"keep-alive" if keep_alive else b"close"
        self.transport.write(
            head
            + b"\r\nDate: "
            + _date().encode()
            + b"\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\nConnection: "
            + connection
            + b"\r\n\r\n"
            + (b"" if head_only else body)
        )
        self.last_activity = time.monotonic()
        self.answered += 1
        if not keep_alive:
            self.transport.close()
        elif self.is_idle():
            self.server.reusable[self] = None

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

    def holds_slot_unused(self, now: float) -> bool:
        """True when this connection may be closed for a waiting one: idle after an answer, or silent (or
        trickling its head) for `silent_grace` seconds. Never while a body arrives or an answer is pending."""
        if self.busy or self.writing_paused or self.parser.head is not None:
            return False
        grace = self.server.limits.silent_grace
        if not self.parser.buffer:
            return self.answered > 0 or now - self.last_activity >= grace
        return now - self.request_started >= grace


# ---------------------------------------------------------------- server


class HttpServer:
    """Accepts connections on one loop, keeps them within the limits, and sweeps timeouts."""

    def __init__(
        self, handler: Handler, limits: ServerLimits | None = None, *, stats: ConnectionStats | None = None
    ) -> None:
        self.handler = handler
        self.limits = limits or ServerLimits()
        self.max_connections = self.limits.effective_connections()
        self.max_waiting = self.limits.effective_waiting(self.max_connections)
        self.stats = stats if stats is not None else ConnectionStats()
        self.connections: set[HttpConnection] = set()  # served: read, parsed, answered
        self.waiting: dict[HttpConnection, float] = {}  # accepted, unread, in arrival order, with the time
        self.reusable: dict[HttpConnection, None] = {}  # served connections idle after an answer, oldest first
        self.buffered = 0
        self._server: asyncio.base_events.Server | None = None
        self._sweeper: asyncio.Task[None] | None = None

    async def listen(self, host: str, port: int) -> int:
        """Bind and start accepting; returns the bound port. Raises OSError when the address is taken."""
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(self._loop_exception)
        self._server = await loop.create_server(lambda: HttpConnection(self), host, port, backlog=_BACKLOG)
        self._sweeper = loop.create_task(self._sweep())
        return int(self._server.sockets[0].getsockname()[1])

    def close(self) -> None:
        """Stop accepting and drop every connection."""
        if self._server is not None:
            self._server.close()
        if self._sweeper is not None:
            self._sweeper.cancel()
        for connection in [*self.connections, *self.waiting]:
            if connection.transport is not None:
                connection.transport.abort()

    def admit(self, connection: HttpConnection) -> None:
        """Serve a new connection, or queue it (unread) behind the others waiting for a slot; 503 when the queue is full."""
        if len(self.connections) < self.max_connections and not self.waiting:
            self._serve(connection)
            return
        assert connection.transport is not None
        if len(self.waiting) >= self.max_waiting:
            self.stats.turned_away += 1
            connection.send(
                json_answer(
                    503, {"error": "the replay server has too many connections; try again"}, {"Retry-After": "1"}
                ),
                keep_alive=False,
            )
            return
        connection.transport.pause_reading()
        self.waiting[connection] = time.monotonic()
        self.stats.queued += 1
        self.stats.peak_waiting = max(self.stats.peak_waiting, len(self.waiting))
        while self.reusable and len(self.connections) >= self.max_connections:
            self._evict(next(iter(self.reusable)))
        self._promote()

    def _serve(self, connection: HttpConnection) -> None:
        self.connections.add(connection)
        self.stats.peak_connections = max(self.stats.peak_connections, len(self.connections))

    def _evict(self, connection: HttpConnection) -> None:
        """Close a connection that holds a slot without using it, for one that waits."""
        self.stats.evicted += 1
        self.connections.discard(connection)
        self.reusable.pop(connection, None)
        if connection.transport is not None:
            connection.transport.abort()

    def _promote(self) -> None:
        """Give free slots to the connections that waited longest, and start reading them."""
        while self.waiting and len(self.connections) < self.max_connections:
            connection = next(iter(self.waiting))
            del self.waiting[connection]
            if connection.transport is None or connection.transport.is_closing():
                continue
            connection.last_activity = time.monotonic()
            self._serve(connection)
            connection.transport.resume_reading()

    def forget(self, connection: HttpConnection) -> None:
        """A connection closed: stop tracking it, release its bytes and its slot."""
        self.waiting.pop(connection, None)
        self.reusable.pop(connection, None)
        self.connections.discard(connection)
        self.buffered -= connection.buffered
        connection.buffered = 0
        self._promote()

    async def _sweep(self) -> None:
        limits = self.limits
        interval = max(
            0.02,
            min(
                1.0, limits.head_timeout / 4, limits.idle_timeout / 4, limits.body_timeout / 4, limits.silent_grace / 4
            ),
        )
        while True:
            await asyncio.sleep(interval)
            now = time.monotonic()
            for connection in list(self.connections):
                connection.expire(now)
            self._sweep_waiting(now)

    def _sweep_waiting(self, now: float) -> None:
        """Close connections that waited past the idle timeout; make room from connections that hold a slot unused."""
        for connection, since in list(self.waiting.items()):
            if now - since <= self.limits.idle_timeout:
                break  # in arrival order: the rest waited less
            del self.waiting[connection]
            self.stats.timed_out += 1
            if connection.transport is not None:
                connection.transport.close()
        if self.waiting:
            unused = sorted((c for c in self.connections if c.holds_slot_unused(now)), key=lambda c: c.last_activity)
            for connection in unused[: len(self.waiting)]:
                self._evict(connection)
            self._promote()

    def _loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """Count accept() failures (EMFILE backs off by itself) instead of logging a traceback for each."""
        exception = context.get("exception")
        if isinstance(exception, OSError) and "accept" in str(context.get("message", "")):
            self.stats.accept_failures += 1
            return
        if isinstance(exception, (ConnectionError, TimeoutError)):
            return
        loop.default_exception_handler(context)


__all__ = [
    "Answer",
    "ConnectionStats",
    "Handler",
    "HttpConnection",
    "HttpError",
    "HttpServer",
    "ParsedRequest",
    "RequestParser",
    "ServerLimits",
    "json_answer",
    "parse_content_length",
    "raise_open_file_limit",
    "reason_phrase",
]
