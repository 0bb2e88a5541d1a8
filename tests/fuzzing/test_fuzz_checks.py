"""The error-format and consumer-compatibility rules, and the corpus file format, on their own."""

from __future__ import annotations

import json

import jsonschema_rs
from fuzz_support import INVENTORY
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.fuzz import iter_error_format_problems
from contractkit.fuzz.corpus import Corpus, CorpusCase, CorpusRequest, load_corpus, save_corpus
from contractkit.pact.expectations import Expectation, expectation_from_interaction
from contractkit.pact.expectations import iter_consumer_problems as _problems
from contractkit.pact.reader import parse_pact

PROBLEM = jsonschema_rs.validator_for(json.loads((INVENTORY / "error.schema.json").read_text()))
PACT = json.loads((INVENTORY / "pacts" / "shopfront-inventory.json").read_text())


def test_error_bodies_must_match_the_error_schema():
    good = json.dumps({"type": "about:blank", "title": "Not Found", "status": 404}).encode()
    assert list(iter_error_format_problems(404, good, PROBLEM)) == []
    assert list(iter_error_format_problems(404, b'{"error": "nope"}', PROBLEM)) == [
        'the 404 body does not match the error schema at $: "type" is a required property',
        'the 404 body does not match the error schema at $: "title" is a required property',
        'the 404 body does not match the error schema at $: "status" is a required property',
    ]
    assert list(iter_error_format_problems(500, b"<html>oops</html>", PROBLEM)) == [
        "the 500 body is not JSON: b'<html>oops</html>'"
    ]
    assert list(iter_error_format_problems(405, b"", PROBLEM)) == ["the 405 response has an empty body"]
    assert list(iter_error_format_problems(200, b"<html>fine</html>", PROBLEM)) == []


def iter_consumer_problems(*args):
    return [problem.detail for problem in _problems(*args)]


def _expectations() -> list[Expectation]:
    return [expectation_from_interaction("shopfront", interaction) for interaction in parse_pact(PACT).interactions]


def test_a_response_with_what_the_pact_relies_on_passes():
    item = {"id": 7, "name": "saw", "quantity": 0, "sku": "ABC-0007", "tags": ["tools", "garden"], "extra": True}
    assert list(iter_consumer_problems(200, "application/json", json.dumps(item).encode(), _expectations()[:1])) == []
    assert list(iter_consumer_problems(404, "text/html", b"<html/>", _expectations())) == []  # no pact for a 404


def test_missing_fields_wrong_types_and_regex_mismatches_are_named():
    item = {"id": "7", "name": "saw", "quantity": 0, "sku": "abc", "tags": ["tools", 3]}
    problems = list(iter_consumer_problems(200, "application/json", json.dumps(item).encode(), _expectations()[:1]))
    assert problems == [
        "shopfront (a request for item 3): $.id is '7': it is not an integer",
        "shopfront (a request for item 3): $.sku is 'abc': it does not match /^[A-Z]{3}-[0-9]{4}$/",
        "shopfront (a request for item 3): $.tags[1] is 3: it is not a string",
    ]
    page = {"items": [{"id": 1, "name": "a", "quantity": 1, "tags": []}], "total": 1}
    problems = list(iter_consumer_problems(200, "application/json", json.dumps(page).encode(), _expectations()[1:]))
    assert problems == [
        "shopfront (a request for the first page of items): $.items[0].sku is missing, the pact expects it"
    ]


def test_the_content_type_the_pact_names_is_required():
    item = {"id": 7, "name": "saw", "quantity": 0, "sku": "ABC-0007", "tags": []}
    problems = list(iter_consumer_problems(200, "text/plain", json.dumps(item).encode(), _expectations()[:1]))
    assert problems == [
        "shopfront (a request for item 3): Content-Type is text/plain, which is not application/json, "
        "the consumer expects it"
    ]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)
_requests = st.builds(
    CorpusRequest,
    method=st.sampled_from(["GET", "POST"]),
    path_parameters=st.dictionaries(st.text(min_size=1, max_size=4), st.integers() | st.text(max_size=4), max_size=2),
    query=st.dictionaries(st.text(min_size=1, max_size=4), st.text(max_size=4), max_size=2),
    body=_json | st.binary(max_size=8),
    has_body=st.booleans(),
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.builds(
            CorpusCase,
            operation=st.sampled_from(["GET /a", "POST /a"]),
            check=st.sampled_from(["error_format", "not_a_server_error"]),
            code=st.just("CK806"),
            title=st.text(max_size=10),
            request=_requests,
        ),
        max_size=4,
    )
)
def test_corpus_load_of_dump_is_identity(tmp_path_factory, cases):
    corpus, _ = Corpus("p").merged(cases)
    path = tmp_path_factory.mktemp("corpus") / "p.corpus.json"
    save_corpus(path, corpus)
    loaded = load_corpus(path, "p")
    assert [case.to_dict() for case in loaded.cases] == [case.to_dict() for case in corpus.cases]
    assert len({case.key for case in loaded.cases}) == len(loaded.cases)  # one case per distinct problem
