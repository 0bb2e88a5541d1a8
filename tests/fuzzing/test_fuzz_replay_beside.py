"""The corpus replay runs beside the engine's own run only when neither can change what the provider answers.

A corpus of GET and HEAD cases sent over HTTP, in a run whose engine sends only GET and HEAD too, is replayed in a
thread while schemathesis generates; a corpus holding a POST, an engine that may send one, or a run against an app in
process has the corpus replayed to the end first, so the engine starts on the state it left. The provider here holds every GET until the test releases it, which shows which of the two happened without
timing anything; the failures found are the same either way.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fuzz_support import INVENTORY

from contractkit.fuzz.corpus import Corpus, CorpusCase, CorpusRequest
from contractkit.fuzz.endpoints import Credentials
from contractkit.fuzz.replay import is_side_effect_free, replay_corpus, start_replay

GET_ITEM = "GET /items/{item_id}"
CREATE_ITEM = "POST /items"
CHECK = "status_code_conformance"


@dataclass
class Provider:
    """What the held provider saw: requests received and answered, and the gate that holds GETs."""

    url: str = ""
    release: threading.Event = field(default_factory=threading.Event)
    received: list[str] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)


class _Holding(BaseHTTPRequestHandler):
    """Answers every request with a 418 (undocumented, so status_code_conformance fails); GETs wait for release."""

    provider: Provider

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self.provider.received.append(f"GET {self.path}")
        self.provider.release.wait(30)  # a bound, not a measurement: the test releases it
        self._answer()

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        self.provider.received.append(f"POST {self.path}")
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def _answer(self) -> None:
        body = b'{"type": "about:blank", "title": "teapot", "status": 418}'
        self.send_response(418)
        self.send_header("Content-Type", "application/problem+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.provider.answered.append(self.command)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def holding_provider() -> Iterator[Provider]:
    provider = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (_Holding,), {"provider": provider}))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    provider.url = f"http://127.0.0.1:{server.server_port}"
    yield provider
    provider.release.set()
    server.shutdown()
    server.server_close()


def _schema(url: str) -> Any:
    import schemathesis
    from schemathesis.config import SchemathesisConfig

    document = json.loads((INVENTORY / "openapi.json").read_text())
    return schemathesis.openapi.from_dict(document, config=SchemathesisConfig.from_dict({"base-url": url}))


def _corpus(*requests: tuple[str, CorpusRequest]) -> Corpus:
    cases = tuple(
        CorpusCase(label, CHECK, "CK802", f"case {number}", request) for number, (label, request) in enumerate(requests)
    )
    return Corpus("inventory", cases)


def _replay(schema: Any, corpus: Corpus, url: str, *, started: bool) -> list[Any]:
    arguments: dict[str, Any] = {"base_url": url, "credentials": Credentials(), "checks": (CHECK,), "seed": 7}
    if started:
        return start_replay(schema, corpus, {GET_ITEM, CREATE_ITEM}, engine_reads_only=True, **arguments)()
    return list(replay_corpus(schema, corpus, {GET_ITEM, CREATE_ITEM}, **arguments))


GETS = (
    (GET_ITEM, CorpusRequest("GET", {"item_id": 1})),
    (GET_ITEM, CorpusRequest("GET", {"item_id": 2})),
)
POST = (CREATE_ITEM, CorpusRequest("POST", media_type="application/json", body={"name": "x"}, has_body=True))


def test_a_corpus_of_gets_is_replayed_beside_a_run_that_only_reads(holding_provider: Provider) -> None:
    schema = _schema(holding_provider.url)

    result = start_replay(
        schema,
        _corpus(*GETS),
        {GET_ITEM},
        base_url=holding_provider.url,
        credentials=Credentials(),
        checks=(CHECK,),
        seed=7,
        engine_reads_only=True,
    )

    # start_replay came back while the provider still holds the first GET: the replay runs in its own thread
    assert holding_provider.answered == []
    holding_provider.release.set()
    failures = result()
    assert [(failure.operation, failure.check, failure.source) for failure in failures] == [
        (GET_ITEM, CHECK, "corpus"),
        (GET_ITEM, CHECK, "corpus"),
    ]
    assert holding_provider.received == ["GET /items/1", "GET /items/2"]


@pytest.mark.parametrize(
    ("requests", "engine_reads_only"),
    [((GETS[0], POST), True), (GETS, False)],
    ids=["a POST to replay", "an engine that may write"],
)
def test_the_corpus_is_replayed_to_the_end_before_a_run_where_either_side_may_write(
    holding_provider: Provider, requests: tuple[Any, ...], engine_reads_only: bool
) -> None:
    holding_provider.release.set()  # GETs answer at once here; what matters is when start_replay returns
    schema = _schema(holding_provider.url)

    result = start_replay(
        schema,
        _corpus(*requests),
        {GET_ITEM, CREATE_ITEM},
        base_url=holding_provider.url,
        credentials=Credentials(),
        checks=(CHECK,),
        seed=7,
        engine_reads_only=engine_reads_only,
    )

    # every replayed request was answered before the engine starts
    assert holding_provider.answered == [request.method for _, request in requests]
    assert len(result()) == 2


def test_the_failures_are_those_of_a_replay_in_order(holding_provider: Provider) -> None:
    holding_provider.release.set()
    schema = _schema(holding_provider.url)
    corpus = _corpus(*GETS)

    beside = _replay(schema, corpus, holding_provider.url, started=True)
    in_order = _replay(schema, corpus, holding_provider.url, started=False)

    assert beside == in_order and len(beside) == 2


@pytest.mark.parametrize(
    ("requests", "free"),
    [
        (GETS, True),
        ((GETS[0], (GET_ITEM, CorpusRequest("HEAD", {"item_id": 1}))), True),
        ((GETS[0], POST), False),
        ((), True),
    ],
)
def test_only_get_and_head_are_free_of_side_effects(requests: tuple[Any, ...], free: bool) -> None:
    assert is_side_effect_free(_corpus(*requests), {GET_ITEM, CREATE_ITEM}, (CHECK,)) is free
