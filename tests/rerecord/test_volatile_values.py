"""Re-recording an answer that differs only in volatile values (dates, request ids, server banners, generated
ids and creation times) rewrites nothing; any other difference is written. A real HTTP server on 127.0.0.1."""

from __future__ import annotations

import itertools
import json
import threading
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractkit.cassettes import RecordedInteraction, RecordedRequest, RecordedResponse, load_cassette
from contractkit.recording import RecordOptions, record_cassettes
from contractkit.registry import load_registry
from contractkit.secrets.scrub import mask_volatile


class Provider:
    """Answers GET /users/7 with a body whose name the test sets; every answer has new volatile values."""

    def __init__(self) -> None:
        self.name = "ada"
        self.extra_headers: dict[str, str] = {}
        self.request_id_header = True
        self.counter = itertools.count()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                turn = next(provider.counter)
                body = json.dumps(
                    {
                        "id": 7,
                        "name": provider.name,
                        "UserId": uuid.uuid4().hex[:20],
                        "created_at": datetime.now(timezone.utc).isoformat(timespec="microseconds"),
                        "StateUpdatedTimestamp": 1795320525.404 + turn,
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                if provider.request_id_header:
                    self.send_header("X-Request-Id", str(uuid.uuid4()))
                for name, value in provider.extra_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.server_version = f"Banner/{uuid.uuid4().hex[:6]}"  # a new server version on every start
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def provider() -> Iterator[Provider]:
    running = Provider()
    running.thread.start()
    try:
        yield running
    finally:
        running.server.shutdown()
        running.server.server_close()


def _record(tmp_path: Path, provider: Provider) -> str:
    port = provider.server.server_address[1]
    (tmp_path / "registry.yaml").write_text(
        "version: 1\nconsumer: demo\nproviders:\n  users:\n"
        f"    base_url: http://127.0.0.1:{port}\n    auth: {{scheme: none}}\n    cassettes: cassettes/users\n"
        "    record: {requests: {get_user: {}}}\n"
        "    operations:\n      get_user: {method: GET, path: /users/7, safe: true}\n"
    )
    registry = load_registry(tmp_path / "registry.yaml", environ={})
    report = record_cassettes(registry, "users", (), mode="live", options=RecordOptions(source="local"))
    assert not report.failed, report
    return str(report.results[0].details["outcome"])


def test_an_unchanged_answer_rewrites_nothing_and_a_changed_one_is_written(tmp_path: Path, provider: Provider) -> None:
    cassette = tmp_path / "cassettes" / "users" / "get_user.yaml"
    assert _record(tmp_path, provider) == "recorded"
    first = cassette.read_bytes()
    assert b"<volatile:server>" in first and b"Banner/" not in first
    assert _record(tmp_path, provider) == "unchanged"
    assert cassette.read_bytes() == first
    provider.name = "grace"
    assert _record(tmp_path, provider) == "recorded"
    assert load_cassette(cassette).interactions[0].response.json()["name"] == "grace"


def test_a_header_the_provider_starts_sending_rewrites_nothing_and_a_dropped_one_is_written(
    tmp_path: Path, provider: Provider
) -> None:
    """A newer release (of a provider, or of moto) that adds an informational header changes no committed file;
    a header the recording had and the provider stops sending is a real difference."""
    cassette = tmp_path / "cassettes" / "users" / "get_user.yaml"
    assert _record(tmp_path, provider) == "recorded"
    first = cassette.read_bytes()
    provider.extra_headers = {"status": "200", "X-Served-By": "cache-7"}
    assert _record(tmp_path, provider) == "unchanged"
    assert cassette.read_bytes() == first
    provider.extra_headers = {}
    provider.request_id_header = False
    assert _record(tmp_path, provider) == "recorded"
    assert load_cassette(cassette).interactions[0].response.header("X-Request-Id") is None


def _answer(body: str, server: str = "nginx/1.25") -> RecordedInteraction:
    return RecordedInteraction(
        RecordedRequest("GET", "http://127.0.0.1/users/7", {}, None),
        RecordedResponse(200, {"Server": (server,), "Content-Type": ("application/json",)}, body),
    )


_IDS = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=20, max_size=20)
_INSTANTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)).map(
    lambda moment: moment.isoformat(timespec="milliseconds") + "Z"
)


@given(user_id=_IDS, created=_INSTANTS, banner=st.text("abcdef/.0123456789", min_size=1, max_size=12))
def test_volatile_values_never_tell_two_answers_apart(user_id: str, created: str, banner: str) -> None:
    reference = mask_volatile(
        _answer("<User><UserId>6m5sdtbzfe82ig0ddlg5</UserId><CreateDate>2026-11-22T04:08:45.305Z</CreateDate></User>")
    )
    other = mask_volatile(_answer(f"<User><UserId>{user_id}</UserId><CreateDate>{created}</CreateDate></User>", banner))
    assert other == reference
    assert mask_volatile(other) == other  # masking twice is masking once


@given(name=st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12))
def test_any_other_value_tells_two_answers_apart(name: str) -> None:
    assert mask_volatile(_answer(f'{{"name": "{name}", "start": "2026-11-01"}}')) != mask_volatile(
        _answer(f'{{"name": "{name}x", "start": "2026-11-01"}}')
    )
    assert mask_volatile(_answer('{"TimePeriod": {"Start": "2026-11-01"}}')) != mask_volatile(
        _answer('{"TimePeriod": {"Start": "2026-12-01"}}')
    ), "a bare date is data"
