"""Every pact the example suite writes loads in pact-python's Verifier and holds against a conforming provider."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

PACTS = Path(__file__).resolve().parents[2] / "pacts"
PACT_FILES = sorted(PACTS.glob("*.json")) if PACTS.is_dir() else []


def _body_bytes(body: dict | None) -> bytes:
    if not body:
        return b""
    content = body.get("content")
    if body.get("encoded") == "base64":
        return base64.b64decode(content)
    if isinstance(content, (dict, list)):
        return json.dumps(content).encode()
    return str(content).encode()


def _conforming_message(interaction: dict) -> dict:
    """The message a conforming producer sends for a message interaction: its contents and metadata."""
    contents = interaction.get("contents") or {}
    metadata = {key: value for key, value in (interaction.get("metadata") or {}).items() if key != "contentType"}
    return {"contents": _body_bytes(contents), "metadata": metadata, "content_type": contents.get("contentType")}


def _canonical(body: bytes) -> bytes:
    try:
        return json.dumps(json.loads(body), sort_keys=True).encode()
    except ValueError:
        return body


def _key(method: str, path: str, query: list[tuple[str, str]], body: bytes) -> tuple:
    return method, path, tuple(sorted(query)), _canonical(body)


class ConformingProvider(ThreadingHTTPServer):
    """Answers each interaction's request with that interaction's own example response."""

    def __init__(self, pact: dict) -> None:
        self.answers = {}
        for interaction in pact["interactions"]:
            request, response = interaction["request"], interaction["response"]
            query = [(name, value) for name, values in request.get("query", {}).items() for value in values]
            key = _key(request["method"], request["path"], query, _body_bytes(request.get("body")))
            self.answers[key] = (response["status"], response.get("headers", {}), _body_bytes(response.get("body")))
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        parts = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = _key(self.command, parts.path, parse_qsl(parts.query, keep_blank_values=True), body)
        status, headers, content = self.server.answers.get(key, (599, {}, b"no such interaction"))
        self.send_response(status)
        for name, values in headers.items():
            for value in values:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = _answer

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def provider_for():
    servers = []

    def start(pact: dict) -> str:
        server = ConformingProvider(pact)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_the_example_suite_has_a_pact_for_every_provider():
    from contractkit.registry import load_registry

    registry = load_registry(Path(__file__).resolve().parents[2] / "registry.yaml", environ={})
    assert len(registry.providers) >= 8
    assert [path.name for path in PACT_FILES] == sorted(f"devctl-{name}.json" for name in registry.providers)


@pytest.mark.parametrize("pact_file", PACT_FILES, ids=[path.stem for path in PACT_FILES])
def test_pact_verifies_against_a_conforming_provider(pact_file, provider_for):
    from pact import Verifier

    pact = json.loads(pact_file.read_text(encoding="utf-8"))
    verifier = Verifier(pact["provider"]["name"], host="127.0.0.1")
    messages = {item["description"]: item for item in pact["interactions"] if "Messages" in item.get("type", "")}
    if messages:  # a message pact: pact-python's message verification, each message produced as the pact holds it
        verifier.message_handler({name: _conforming_message(item) for name, item in messages.items()})
    else:
        verifier.add_transport(url=provider_for(pact))
    verifier.add_source(pact_file)
    verifier.verify()  # raises with the mismatches when any interaction fails
    results = json.loads(verifier.results) if isinstance(verifier.results, str) else verifier.results
    assert results["result"] is True


def test_aws_xml_matchers_accept_other_values_of_the_same_type(provider_for):
    """AWS answers carry a default XML namespace; the pact's rules must still apply to them."""
    from pact import Verifier

    pact_file = PACTS / "devctl-aws.json"
    if not pact_file.is_file():
        pytest.skip("the example suite's AWS pact is absent")
    pact = json.loads(pact_file.read_text(encoding="utf-8"))
    pact["interactions"] = [i for i in pact["interactions"] if i["description"] == "a listing of IAM users"]
    server = ConformingProvider(pact)
    for key, (status, _headers, body) in list(server.answers.items()):
        other = body.replace(b"deploy-bot", b"release-bot").replace(b"<Path>/</Path>", b"<Path>/ci/</Path>")
        server.answers[key] = (status, {"Content-Type": ["text/xml; charset=utf-8"]}, other)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        verifier = Verifier("aws", host="127.0.0.1").add_transport(url=f"http://127.0.0.1:{server.server_address[1]}")
        verifier.filter("a listing of IAM users").add_source(pact_file).verify()  # raises on any mismatch
    finally:
        server.shutdown()
        server.server_close()
