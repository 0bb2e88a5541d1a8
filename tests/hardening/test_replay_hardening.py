"""The replay server against hostile and unlucky clients: refused cleanly, cut off in time, never taken down."""

from __future__ import annotations

import http.client
import json
import os
import resource
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

from contractkit.cassettes import Cassette, RecordedInteraction, RecordedRequest, RecordedResponse, write_cassette
from contractkit.cassettes.httpserver import HttpError, RequestParser, ServerLimits, parse_content_length
from contractkit.cassettes.replay import ReplayServer
from contractkit.core.limits import MAX_CONNECTIONS
from contractkit.registry import load_registry

SHORT = ServerLimits(head_timeout=0.3, body_timeout=0.6, idle_timeout=0.3, max_head_bytes=4096, max_body_bytes=1024)


@pytest.fixture
def provider(tmp_path: Path):
    (tmp_path / "registry.yaml").write_text(
        "version: 1\nconsumer: demo\nproviders:\n  dash:\n    base_url: http://127.0.0.1:3000/api\n    operations:\n"
        "      search: {method: GET, path: /search, safe: true}\n"
        "      create: {method: POST, path: /things, safe: false}\n"
    )
    folder = tmp_path / "cassettes" / "dash"
    for name, method, uri, body in (
        ("search", "GET", "http://127.0.0.1/api/search", '[{"uid": "cpu"}]'),
        ("create", "POST", "http://127.0.0.1/api/things", '{"id": 1}'),
    ):
        interaction = RecordedInteraction(
            RecordedRequest(method, uri, {}, None),
            RecordedResponse(200, {"Content-Type": ("application/json",)}, body, "OK"),
        )
        write_cassette(Cassette(folder / f"{name}.yaml", (interaction,), {"operation": name}))
    return load_registry(tmp_path / "registry.yaml", environ={}).provider("dash")


def _exchange(port: int, raw: bytes, *, timeout: float = 5) -> bytes:
    """Send raw bytes, read until the server closes the connection (every refusal closes it)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(raw)
        return _read_until_closed(sock)


def _read_until_closed(sock: socket.socket) -> bytes:
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk


def _search_ok(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/api/search")
    response = connection.getresponse()
    return response.status == 200 and json.loads(response.read()) == [{"uid": "cpu"}]


@pytest.mark.parametrize(
    ("head", "status", "reason"),
    [
        ("Content-Length: -100000", 400, "Content-Length must be a non-negative integer, got '-100000'"),
        ("Content-Length: -1", 400, "Content-Length must be a non-negative integer, got '-1'"),
        ("Content-Length: +5", 400, "Content-Length must be a non-negative integer, got '+5'"),
        ("Content-Length: five", 400, "Content-Length must be a non-negative integer, got 'five'"),
        ("Content-Length: 0x10", 400, "Content-Length must be a non-negative integer, got '0x10'"),
        ("Content-Length: 5\r\nContent-Length: 6", 400, "conflicting Content-Length values '5, 6'"),
        ("Content-Length: 4294967296", 413, "body of 4294967296 bytes is larger than the limit of 16777216"),
        ("Content-Length: " + "9" * 40, 413, "body larger than 16777216 bytes"),
        (
            "Content-Length: 3\r\nTransfer-Encoding: chunked",
            400,
            "both Content-Length and Transfer-Encoding (a request smuggling pattern)",
        ),
        ("Transfer-Encoding: gzip", 501, "Transfer-Encoding 'gzip' is not supported (only chunked)"),
        ("Bad Header: x", 400, "malformed header line 'Bad Header: x'"),
        (" folded: x", 400, "malformed header line ' folded: x'"),
    ],
)
def test_bad_lengths_and_headers_are_refused_and_the_server_keeps_serving(
    provider, head: str, status: int, reason: str
) -> None:
    with ReplayServer(provider=provider) as server:
        answer = _exchange(server.port, f"POST /api/things HTTP/1.1\r\nHost: x\r\n{head}\r\n\r\n".encode())
        assert answer.startswith(f"HTTP/1.1 {status} ".encode()), answer[:80]
        assert b"Connection: close" in answer
        assert json.loads(answer.split(b"\r\n\r\n", 1)[1]) == {"error": reason}
        assert _search_ok(server.port)
        assert server.stats.rejected == 1


@pytest.mark.parametrize(
    "line",
    [
        b"GARBAGE\r\n\r\n",
        b"GET /x HTTP/2.0\r\n\r\n",
        b"GET  /x HTTP/1.1\r\n\r\n",
        b"G\x00T /x HTTP/1.1\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
    ],
)
def test_a_request_line_that_is_not_http_is_400(provider, line: bytes) -> None:
    with ReplayServer(provider=provider) as server:
        assert _exchange(server.port, line).startswith(b"HTTP/1.1 400 ")
        assert _search_ok(server.port)


def test_an_endless_header_is_431_once_it_passes_the_head_limit(provider) -> None:
    with (
        ReplayServer(provider=provider) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock,
    ):
        sock.sendall(b"GET /api/search HTTP/1.1\r\nX-Endless: ")
        sent = 0
        try:
            while sent < 1024 * 1024:  # the server refuses after 64 KiB; stop well before a megabyte
                sock.sendall(b"a" * 4096)
                sent += 4096
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = _read_until_closed(sock)
        assert answer.startswith(b"HTTP/1.1 431 ") and b"request head larger than 65536 bytes" in answer
        assert server.stats.rejected == 1 and _search_ok(server.port)  # refused once, and still serving


def test_a_body_over_the_limit_is_refused_whether_declared_or_chunked(provider) -> None:
    with ReplayServer(provider=provider, limits=SHORT) as server:
        declared = _exchange(server.port, b"POST /api/things HTTP/1.1\r\nContent-Length: 1025\r\n\r\n")
        assert declared.startswith(b"HTTP/1.1 413 ")
        chunks = b"".join(b"100\r\n" + b"x" * 256 + b"\r\n" for _ in range(5))
        streamed = _exchange(server.port, b"POST /api/things HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks)
        assert streamed.startswith(b"HTTP/1.1 413 ") and b"chunked body larger than 1024 bytes" in streamed
        good = _exchange(
            server.port,
            b"POST /api/things HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        )
        assert good.startswith(b"HTTP/1.1 200 ") and good.endswith(b'{"id": 1}')
        assert server.stats.rejected == 2


def test_slow_heads_and_bodies_get_408_and_idle_connections_are_closed(provider) -> None:
    with ReplayServer(provider=provider, limits=SHORT) as server:
        slow_head = _exchange(server.port, b"GET /api/search HTTP/1.1\r\nHost: x\r\n")
        assert slow_head.startswith(b"HTTP/1.1 408 ") and b"request head not complete within 0.3 s" in slow_head
        slow_body = _exchange(server.port, b"POST /api/things HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}")
        assert slow_body.startswith(b"HTTP/1.1 408 ") and b"request body not complete within 0.6 s" in slow_body
        assert _exchange(server.port, b"") == b""  # idle: closed without an answer
        assert server.stats.timed_out == 3 and server.stats.rejected == 0
        assert _search_ok(server.port)


def test_beyond_the_connection_limit_the_longest_idle_connection_makes_room(provider) -> None:
    limits = ServerLimits(max_connections=8)
    with ReplayServer(provider=provider, limits=limits) as server:
        idle = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(20)]
        try:
            for _ in range(3):
                assert _search_ok(server.port)
            assert server.stats.evicted >= 12 and server.stats.peak_connections <= 8
        finally:
            for sock in idle:
                sock.close()


BURST_REQUEST = b"GET /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


@pytest.fixture
def many_open_files():
    """This process may hold a burst's client sockets: the soft open-file limit raised to the hard one, then restored."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2200:
        pytest.skip(f"the hard open-file limit ({hard}) is too low for a burst of 1,000 connections")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _burst(port: int, count: int) -> list[bytes]:
    """Open `count` connections, then send one request on each, then read every answer (bounded by a deadline)."""
    sockets = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(count)]
    answers = {sock: b"" for sock in sockets}
    try:
        for sock in sockets:
            sock.sendall(BURST_REQUEST)
        with selectors.DefaultSelector() as selector:
            for sock in sockets:
                selector.register(sock, selectors.EVENT_READ)
            deadline = time.monotonic() + 60
            while selector.get_map() and time.monotonic() < deadline:
                for key, _ in selector.select(timeout=1):
                    chunk = _recv_or_empty(key.fileobj)  # type: ignore[arg-type]
                    answers[key.fileobj] += chunk  # type: ignore[index]
                    if not chunk:
                        selector.unregister(key.fileobj)
    finally:
        for sock in sockets:
            sock.close()
    return list(answers.values())


def _recv_or_empty(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except ConnectionResetError:
        return b""


def test_a_burst_beyond_the_connection_cap_waits_for_a_slot_and_is_answered(provider, many_open_files) -> None:
    with ReplayServer(provider=provider, limits=ServerLimits(max_connections=20)) as server:
        answers = _burst(server.port, 300)
        assert [answer[:15] for answer in answers] == [b"HTTP/1.1 200 OK"] * 300
        assert server.stats.peak_connections <= 20 and server.stats.queued >= 200
        assert server.stats.evicted == server.stats.turned_away == 0
        assert _search_ok(server.port)


def _lower_open_file_limit() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, hard), hard))


def test_cli_answers_a_burst_of_a_thousand_connections_under_a_low_soft_file_limit(
    tmp_path: Path, provider, many_open_files
) -> None:
    process = _start_cli(tmp_path, preexec_fn=_lower_open_file_limit)  # `ulimit -n 1024`: raised to the hard limit
    try:
        port = int(_wait_for_address(process).split("127.0.0.1:")[1].split("/")[0])
        answers = _burst(port, 1000)
        assert sum(answer.startswith(b"HTTP/1.1 200 OK") for answer in answers) == 1000
        process.send_signal(signal.SIGINT)
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _open_file_limit_of_200() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (200, 200))  # hard too: nothing to raise to


def test_cli_beyond_what_the_open_file_limit_allows_answers_503_and_keeps_serving(
    tmp_path: Path, provider, many_open_files
) -> None:
    process = _start_cli(tmp_path, preexec_fn=_open_file_limit_of_200)
    try:
        port = int(_wait_for_address(process).split("127.0.0.1:")[1].split("/")[0])
        answers = _burst(port, 400)
        assert {answer[:12] for answer in answers} == {b"HTTP/1.1 200", b"HTTP/1.1 503"}  # all answered, none reset
        assert all(b"\r\nRetry-After: 1\r\n" in answer for answer in answers if answer.startswith(b"HTTP/1.1 503"))
        assert _search_ok(port)
        process.send_signal(signal.SIGINT)
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_cli_help_names_the_connection_cap(run_cli) -> None:
    code, out, _ = run_cli("replay", "--help")
    assert code == 0
    assert f"at most {MAX_CONNECTIONS:,} are served at a time" in " ".join(out.split())


def test_unmatched_requests_are_all_counted_but_only_the_first_hundred_named(provider) -> None:
    with ReplayServer(provider=provider) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        for index in range(150):
            connection.request("GET", f"/api/nothing/{index}")
            assert connection.getresponse().read()
        assert server.stats.unmatched == 150 and len(server.stats.unmatched_requests) == 100
        assert server.stats.unmatched_requests[0] == "GET /api/nothing/0"


def test_pipelined_requests_are_answered_in_order_and_a_bad_one_ends_the_connection(provider) -> None:
    with ReplayServer(provider=provider) as server:
        raw = (b"GET /api/search HTTP/1.1\r\n\r\n" * 3) + b"GET /api/search HTTP/1.1\r\nContent-Length: -5\r\n\r\n"
        answer = _exchange(server.port, raw)
        assert answer.count(b"HTTP/1.1 200 OK") == 3 and answer.count(b"HTTP/1.1 400 ") == 1


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("17", 17), ("17, 17", 17), (" 5 ", 5)])
def test_content_length_accepts_only_plain_digits(value: str, expected: int) -> None:
    assert parse_content_length(value, 100) == expected


def test_the_parser_takes_requests_split_at_any_byte() -> None:
    raw = b"POST /a?b=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;ext\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n"
    raw += b"GET /next HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
    parser = RequestParser(ServerLimits())
    requests = []
    for byte in raw:
        parser.buffer.append(byte)
        while (request := parser.next_request()) is not None:
            requests.append(request)
    assert [(r.method, r.target, r.body, r.keep_alive) for r in requests] == [
        ("POST", "/a?b=1", b"abcde", True),
        ("GET", "/next", b"", True),
    ]


def test_a_bad_chunk_size_is_an_http_error() -> None:
    parser = RequestParser(ServerLimits())
    parser.buffer += b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n"
    with pytest.raises(HttpError) as refused:
        parser.next_request()
    assert (refused.value.status, refused.value.reason) == (400, "malformed chunk size")


def _start_cli(
    tmp_path: Path, *arguments: str, preexec_fn: Callable[[], None] | None = None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from contractkit.cli import run; run()",
            "replay",
            "--registry",
            str(tmp_path / "registry.yaml"),
            "--provider",
            "dash",
            *arguments,
        ],
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env={**os.environ, "PACT_DO_NOT_TRACK": "true"},
        preexec_fn=preexec_fn,
    )


def _wait_for_address(process: subprocess.Popen[bytes]) -> str:
    assert process.stderr is not None
    lines = [process.stderr.readline().decode()]
    while "replaying" not in lines[-1] and lines[-1] and len(lines) < 50:
        lines.append(process.stderr.readline().decode())
    assert "replaying" in lines[-1], lines
    return lines[-1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_cli_port_is_honoured_and_ctrl_c_stops_it_while_hostile_clients_are_connected(tmp_path: Path, provider) -> None:
    port = _free_port()
    process = _start_cli(tmp_path, "--port", str(port))
    hostile: list[socket.socket] = []
    try:
        assert f"at http://127.0.0.1:{port}/api " in _wait_for_address(process)
        for raw in (
            b"POST /api/things HTTP/1.1\r\nContent-Length: -100000\r\n\r\n",
            b"GET /api/search HTTP/1.1\r\nX: ",
            b"POST /api/things HTTP/1.1\r\nContent-Length: 4294967296\r\n\r\n" + b"x" * 65536,
            b"",
        ):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(raw)
            hostile.append(sock)
        assert _search_ok(port)
        process.send_signal(signal.SIGINT)
        assert process.wait(20) == 0
        assert process.stderr is not None
        assert "served 1 request(s), 0 unmatched, 2 refused" in process.stderr.read().decode()
    finally:
        for sock in hostile:
            sock.close()
        if process.poll() is None:
            process.kill()
            process.wait()


def test_cli_port_in_use_is_exit_2_naming_the_port(tmp_path: Path, provider, run_cli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        code, out, err = run_cli(
            "replay", "--registry", str(tmp_path / "registry.yaml"), "--provider", "dash", "--port", str(port)
        )
    assert time.monotonic() - started < 30
    assert (code, out) == (2, "")
    assert err == (
        f"error: replay server cannot listen on 127.0.0.1:{port} (Address already in use). "
        f"choose another --port, or 0 for a free one\n"
    )


def test_the_replay_fixture_honours_port_and_limits(pytester: pytest.Pytester, tmp_path: Path, provider) -> None:
    pytester.makeconftest("")
    port = _free_port()
    pytester.makepyfile(
        test_user=f"""
        import socket
        from contractkit.cassettes.httpserver import ServerLimits

        def test_replay(replay):
            with replay("dash", port={port}, limits=ServerLimits(max_head_bytes=1024)) as server:
                assert server.port == {port}
                with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
                    sock.sendall(b"GET /api/search HTTP/1.1\\r\\nX: " + b"a" * 2048)
                    assert sock.recv(100).startswith(b"HTTP/1.1 431 ")

        def test_unknown_provider(replay):
            with replay("nope"):
                pass
    """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", f"--contracts-registry={tmp_path / 'registry.yaml'}")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*contractkit: registry.yaml has no provider 'nope' (known: dash)*"])
