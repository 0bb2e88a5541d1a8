"""Fixtures for the cassette tests: a local echo provider on 127.0.0.1, registries written to tmp_path."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client killed mid-request (the SIGKILL test) is expected here


class LocalProvider:
    """A real HTTP server on 127.0.0.1 whose answers a test decides; it counts every request it receives."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.routes: dict[tuple[str, str], Callable[[dict[str, Any]], tuple[int, dict[str, str], Any]]] = {}
        self.block_path: str | None = None
        self.blocked = threading.Event()  # set when a request to block_path arrived
        self.release = threading.Event()
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def count(self, method: str | None = None, path: str | None = None) -> int:
        with self.lock:
            return sum(1 for m, p in self.requests if (method is None or m == method) and (path is None or p == path))

    def route(
        self, method: str, path: str, answer: Callable[[dict[str, Any]], tuple[int, dict[str, str], Any]]
    ) -> None:
        self.routes[(method, path)] = answer

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with provider.lock:
                    provider.requests.append((self.command, parts.path))
                if provider.block_path == parts.path:
                    provider.blocked.set()
                    provider.release.wait(30)
                seen = {
                    "method": self.command,
                    "path": parts.path,
                    "headers": dict(self.headers.items()),
                    "query": dict(parse_qsl(parts.query)),
                    "body": _json_or_text(raw),
                }
                answer = provider.routes.get((self.command, parts.path))
                status, headers, body = answer(seen) if answer else (404, {}, {"message": "Not Found"})
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                headers = {"Content-Type": "application/json", **headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        return Handler

    def __enter__(self) -> LocalProvider:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def _json_or_text(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode("utf-8", "replace")


@pytest.fixture
def local_provider() -> Iterator[LocalProvider]:
    """A local HTTP provider, stopped after the test."""
    with LocalProvider() as provider:
        yield provider


def write_registry(folder: Path, providers: dict[str, Any]) -> Path:
    """Write a registry.yaml with these providers into a folder; returns its path."""
    path = folder / "registry.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "consumer": "demo", "providers": providers}, sort_keys=False))
    return path


@pytest.fixture
def registry_writer(tmp_path: Path) -> Callable[[dict[str, Any]], Path]:
    """Write a registry into tmp_path."""
    return lambda providers: write_registry(tmp_path, providers)
