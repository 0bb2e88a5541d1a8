"""Fixtures for fuzzing tests."""

from __future__ import annotations

import threading
from typing import Any, Callable, Iterator
from wsgiref.simple_server import WSGIServer, make_server

import pytest
from fuzz_support import QuietHandler, RunningProvider, ThreadingServer, load_inventory_module


@pytest.fixture
def serve_inventory() -> Iterator[Callable[[str], RunningProvider]]:
    """Start the inventory app (variant `correct` or `broken`) on a free port; stopped after the test."""
    servers: list[WSGIServer] = []

    def start(variant: str) -> RunningProvider:
        app = load_inventory_module().make_app(variant)
        running = RunningProvider(url="")

        def counting(environ: dict[str, Any], start_response: Any) -> Any:
            running.methods[environ["REQUEST_METHOD"]] += 1
            return app(environ, start_response)

        server = make_server("127.0.0.1", 0, counting, server_class=ThreadingServer, handler_class=QuietHandler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        running.url = f"http://127.0.0.1:{server.server_port}"
        return running

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
