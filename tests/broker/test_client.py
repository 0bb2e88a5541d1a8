"""The broker client against real HTTP(S) servers on 127.0.0.1: credentials from the environment (never shown),
retries with backoff on 5xx answers and connection errors, a custom CA, and errors naming the relation."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from contractkit.broker import BrokerClient, BrokerError, BrokerSettings


class _Broker(BaseHTTPRequestHandler):
    """An index that answers 503 `failures` times, then 200 with links; 401 echoing the credentials on /secret."""

    seen: list[dict[str, str]] = []
    failures = 0

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        type(self).seen.append(dict(self.headers))
        if self.path == "/secret":
            self._send(401, {"error": f"bad credentials {self.headers.get('Authorization')}"})
        elif len(type(self).seen) <= type(self).failures:
            self._send(503, {"message": "starting"})
        else:
            self._send(200, {"_links": {"pb:environments": {"href": "/environments"}}})

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/hal+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_: object) -> None:
        pass


@contextmanager
def _server(failures: int = 0, context: ssl.SSLContext | None = None) -> Iterator[str]:
    handler = type("Handler", (_Broker,), {"seen": [], "failures": failures})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        scheme = "https" if context else "http"
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
    _server.seen = handler.seen  # type: ignore[attr-defined]


def _client(url: str, environ: dict[str, str] | None = None, **options) -> BrokerClient:
    return BrokerClient(BrokerSettings.from_environ(url, environ or {}, backoff=0, **options))


def test_5xx_answers_are_retried_with_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    pauses: list[float] = []
    with _server(failures=2) as url:
        client = BrokerClient(BrokerSettings.from_environ(url, {}, retries=3, backoff=0.5), sleep=pauses.append)
        assert client.relation("pb:environments") == f"{url}/environments"
    assert len(_server.seen) == 3  # type: ignore[attr-defined]
    assert pauses == [0.5, 1.0]


def test_retries_give_up_with_an_error_naming_the_request() -> None:
    with _server(failures=10) as url:
        with pytest.raises(BrokerError) as caught:
            _client(url, retries=1).index()
    assert str(caught.value) == f"index (GET {url}/): HTTP 503: starting"
    assert len(_server.seen) == 2  # type: ignore[attr-defined]


def test_a_connection_error_is_retried_then_named() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    pauses: list[float] = []
    client = BrokerClient(BrokerSettings.from_environ(f"http://127.0.0.1:{port}", {}, retries=2), sleep=pauses.append)
    with pytest.raises(BrokerError, match=rf"^index \(GET http://127.0.0.1:{port}/\): ConnectionError"):
        client.index()
    assert len(pauses) == 2


def test_credentials_come_from_the_environment_and_are_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    token = "pact-broker-token-0123456789"
    monkeypatch.setenv("PACT_BROKER_TOKEN", token)
    with _server() as url:
        client = _client(url, {"PACT_BROKER_TOKEN": token, "PACT_BROKER_USERNAME": "u", "PACT_BROKER_PASSWORD": "p"})
        client.index()
        with pytest.raises(BrokerError) as caught:
            client.get(f"{url}/secret", relation="a secret")
    assert _server.seen[0]["Authorization"] == f"Bearer {token}"  # type: ignore[attr-defined]
    assert "HTTP 401: bad credentials" in str(caught.value) and token not in str(caught.value)
    with _server() as url:
        _client(url, {"PACT_BROKER_USERNAME": "user", "PACT_BROKER_PASSWORD": "secret-password"}).index()
    assert _server.seen[0]["Authorization"] == "Basic dXNlcjpzZWNyZXQtcGFzc3dvcmQ="  # type: ignore[attr-defined]
    assert "secret-password" not in repr(BrokerSettings.from_environ(url, {"PACT_BROKER_USERNAME": "u",
                                                                           "PACT_BROKER_PASSWORD": "secret-password"}))  # fmt: skip


def test_half_of_basic_credentials_is_bad_input(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACT_BROKER_USERNAME", "user")
    code, _, err = run_cli("broker", "environments", "--broker", "http://127.0.0.1:9")
    assert code == 2
    assert err == (
        "error: PACT_BROKER_PASSWORD is not set: basic authentication needs both a username and a password\n"
    )


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed to make a test certificate")
def test_a_custom_ca_is_trusted_and_nothing_else(tmp_path: Path) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with _server(context=context) as url:
        assert _client(url, ca_file=cert).relation("pb:environments") == f"{url}/environments"
        with pytest.raises(BrokerError, match=rf"^index \(GET {url}/\): SSLError"):
            _client(url, retries=3).index()
