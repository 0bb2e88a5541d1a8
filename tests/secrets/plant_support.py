"""The planting server: a real HTTP server on 127.0.0.1 that answers as a test decides and keeps every exchange."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import urlsplit

Answer = tuple[int, list[tuple[str, str]], bytes]


@dataclass
class Exchange:
    """One request as the server received it and the response it sent, byte for byte."""

    method: str
    target: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int = 0
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    response_body: bytes = b""


class PlantServer:
    """Answers each path with what a test decides, and keeps every exchange (to write an unscrubbed copy)."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[Exchange], Answer]] = {}
        self.exchanges: list[Exchange] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def route(self, path: str, answer: Callable[[Exchange], Answer]) -> None:
        self.routes[path] = answer

    def requests(self, method: str | None = None) -> list[Exchange]:
        with self.lock:
            return [item for item in self.exchanges if method is None or item.method == method]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        plant = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                exchange = Exchange(
                    self.command, self.path, list(self.headers.items()), self.rfile.read(length) if length else b""
                )
                answer = plant.routes.get(urlsplit(self.path).path)
                status, headers, body = answer(exchange) if answer else (404, [], b'{"message": "Not Found"}')
                if not any(name.lower() == "content-type" for name, _ in headers):
                    headers = [("Content-Type", "application/json"), *headers]
                exchange.status, exchange.response_headers, exchange.response_body = status, headers, body
                with plant.lock:
                    plant.exchanges.append(exchange)
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        return Handler

    def __enter__(self) -> PlantServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def json_answer(data: Any, headers: list[tuple[str, str]] | None = None, status: int = 200) -> Answer:
    return status, list(headers or []), json.dumps(data).encode()
