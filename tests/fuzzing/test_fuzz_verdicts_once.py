"""Our checks judge a repeated response once per run, with the verdict they would give it afresh; the corpus
replay shares one session that carries no cookie from one saved case to the next."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jsonschema_rs
import pytest
from fuzz_support import INVENTORY
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.fuzz.checks import RunContext, iter_error_format_failures
from contractkit.fuzz.corpus import Corpus, CorpusCase, CorpusRequest
from contractkit.fuzz.endpoints import Credentials
from contractkit.fuzz.replay import replay_corpus
from contractkit.pact.expectations import expectation_from_interaction, iter_consumer_problems
from contractkit.pact.reader import parse_pact

PROBLEM = jsonschema_rs.validator_for(json.loads((INVENTORY / "error.schema.json").read_text()))
PACT = json.loads((INVENTORY / "pacts" / "shopfront-inventory.json").read_text())
LABEL = "GET /items/{item_id}"


def _context(pact: dict[str, Any] = PACT) -> RunContext:
    expectations = [expectation_from_interaction("shopfront", item) for item in parse_pact(pact).interactions]
    return RunContext(PROBLEM, {LABEL: expectations})


_values = st.one_of(st.none(), st.integers(), st.text(max_size=6), st.lists(st.text(max_size=3), max_size=2))
_items = st.fixed_dictionaries(
    {},
    optional={
        "id": _values,
        "name": _values,
        "quantity": _values,
        "sku": st.sampled_from(["ABC-0007", "abc", "XYZ-1234"]) | _values,
        "tags": _values,
    },
)


@settings(max_examples=60, deadline=None)
@given(
    status=st.sampled_from([200, 404, 422, 500]),
    item=_items,
    content_type=st.sampled_from(["application/json", "text/plain"]),
)
def test_a_remembered_verdict_is_the_verdict(status: int, item: dict[str, Any], content_type: str):
    context, body = _context(), json.dumps(item).encode()
    headers = {"content-type": [content_type]}
    fresh = tuple(
        (problem.title, problem.detail)
        for problem in iter_consumer_problems(status, content_type, body, context.expectations[LABEL], headers=headers)
    )
    assert context.consumer_problems(LABEL, status, headers, body) == fresh
    assert context.consumer_problems(LABEL, status, headers, body) == fresh  # the second time, from memory
    errors = tuple(iter_error_format_failures(status, body, PROBLEM))
    assert context.error_format_failures(status, body) == errors
    assert context.error_format_failures(status, body) == errors


def test_responses_that_differ_in_a_header_the_pact_names_keep_their_own_verdicts():
    pact = json.loads(json.dumps(PACT))
    interaction = pact["interactions"][0]
    interaction["response"].setdefault("headers", {})["X-Version"] = "v1"
    rules = interaction["response"].setdefault("matchingRules", {})
    rules["header"] = {"X-Version": {"matchers": [{"match": "regex", "regex": "^v[0-9]+$"}]}}
    context = _context(pact)
    body = json.dumps({"id": 7, "name": "saw", "quantity": 0, "sku": "ABC-0007", "tags": []}).encode()

    good = context.consumer_problems(LABEL, 200, {"content-type": ["application/json"], "x-version": ["v2"]}, body)
    bad = context.consumer_problems(LABEL, 200, {"content-type": ["application/json"], "x-version": ["beta"]}, body)
    again = context.consumer_problems(LABEL, 200, {"content-type": ["application/json"], "x-version": ["v3"]}, body)

    assert good == () and again == ()
    assert bad == (
        (
            "shopfront (a request for item 3): header X-Version does not match /^v[0-9]+$/",
            "shopfront (a request for item 3): header X-Version is 'beta': it does not match /^v[0-9]+$/",
        ),
    )


class _CookieSetter(BaseHTTPRequestHandler):
    cookies: list[str | None] = []

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        type(self).cookies.append(self.headers.get("Cookie"))
        body = b'{"type": "about:blank", "title": "Not Found", "status": 404}'
        self.send_response(404)
        self.send_header("Content-Type", "application/problem+json")
        self.send_header("Set-Cookie", "session=abc; Path=/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def cookie_server() -> Iterator[tuple[str, list[str | None]]]:
    handler = type("Handler", (_CookieSetter,), {"cookies": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", handler.cookies
    server.shutdown()
    server.server_close()


def test_replayed_cases_share_a_session_but_no_cookie(cookie_server):
    import schemathesis
    from schemathesis.config import SchemathesisConfig

    url, cookies = cookie_server
    document = json.loads((INVENTORY / "openapi.json").read_text())
    schema = schemathesis.openapi.from_dict(document, config=SchemathesisConfig.from_dict({"base-url": url}))
    cases = tuple(
        CorpusCase(
            LABEL, "status_code_conformance", "CK801", f"case {number}", CorpusRequest("GET", {"item_id": number})
        )
        for number in (1, 2, 3)
    )

    list(
        replay_corpus(
            schema,
            Corpus("inventory", cases),
            {LABEL},
            base_url=url,
            credentials=Credentials(),
            checks=("status_code_conformance",),
            seed=1,
        )
    )

    assert cookies == [None, None, None]
