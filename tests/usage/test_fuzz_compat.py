"""The fuzzer's consumer-compatibility check (CK807) on the usage model, and every distinct problem kept."""

from __future__ import annotations

import json

from contractkit.fuzz.corpus import Corpus, CorpusCase, CorpusRequest
from contractkit.fuzz.model import FuzzFailure
from contractkit.pact.expectations import expectations_by_operation, iter_consumer_problems
from contractkit.pact.usage import load_usage
from contractkit.registry import load_registry


def _problems(pager, body):
    expectations = expectations_by_operation(load_usage(load_registry(pager)), "pager")["list_pages"]
    return list(iter_consumer_problems(200, "application/json", json.dumps(body).encode(), expectations))


def test_a_null_next_offset_is_what_null_or_allows(pager):
    """The false alarm of every seed: `"next_offset": null` satisfies `$null_or` (null OR integer)."""
    page = {"pages": [{"id": "P7", "title": "t", "owner": {"id": "U"}, "sortMeta": 1}], "next_offset": None}
    assert _problems(pager, page) == []


def test_every_distinct_problem_is_reported_with_a_value_free_title(pager):
    page = {"pages": [{"id": "X7", "owner": {}, "sortMeta": "high"}], "next_offset": "10"}
    problems = _problems(pager, page)
    assert [problem.title for problem in problems] == [
        "billing (pages sorted for the invoice): $.pages[*].sortMeta is not an integer",
        "billing (pages sorted for the invoice): $.next_offset is not null",  # billing's example is a plain null
        "devctl (a listing of pages): $.pages[*].id does not match /^P[0-9]+$/",
        "devctl (a listing of pages): $.pages[*].title is missing",
        "devctl (a listing of pages): $.pages[*].owner.id is missing",
        "devctl (a listing of pages): $.next_offset is not null and is not an integer",
    ]
    assert problems[2].detail == "devctl (a listing of pages): $.pages[0].id is 'X7': it does not match /^P[0-9]+$/"


def test_an_empty_fuzzed_listing_is_not_held_to_the_pacts_minimum(pager):
    assert _problems(pager, {"pages": [], "next_offset": None}) == []


def test_two_problems_on_one_operation_are_two_failures_and_two_corpus_cases():
    request = CorpusRequest("GET", query={"limit": 1})
    first, second = (
        FuzzFailure("GET /pages", "consumer_compatibility", "CK807", title, "", "", 1, request=request)
        for title in (
            "devctl (a listing of pages): $.pages[*].title is missing",
            "devctl (a listing of pages): $.next_offset is not null and is not an integer",
        )
    )
    assert first.key != second.key
    schema_a, schema_b = (
        FuzzFailure(
            "GET /pages",
            "response_schema_conformance",
            "CK804",
            "Response violates schema",
            "",
            "",
            1,
            signature=signature,
        )
        for signature in ("properties/id/type", "required")
    )
    assert schema_a.key != schema_b.key  # one title, two schema paths: two problems
    cases = [
        CorpusCase(f.operation, f.check, f.code, f.title, request, signature=f.signature)
        for f in (first, second, schema_a, schema_b, schema_a)
    ]
    merged, added = Corpus("pager").merged(cases)
    assert added == 4 and len(merged.cases) == 4
