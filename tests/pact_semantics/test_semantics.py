"""Our judgement of a response equals the Pact core's, case by case, over the whole matching corpus: the core's
verdicts come from pact-python's stock Verifier run against the actual responses served on 127.0.0.1 (every run;
nothing is cached between runs), ours from `contractkit.pact.judge_response`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from contractkit.pact import judge_response, parse_pact
from tests.pact_semantics.corpus import Case, build_corpus
from tests.pact_semantics.oracle import Verdict, oracle_verdicts, pact_document

CASES = build_corpus()


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Verdict]:
    """The Pact core's verdict per case id, from one Verifier run over the whole corpus."""
    return oracle_verdicts(CASES, tmp_path_factory.mktemp("oracle"))


def _ours(cases: list[Case]) -> dict[str, bool]:
    interactions = parse_pact(pact_document(cases)).interactions
    return {
        case.id: not judge_response(interaction, case.actual_status, list(case.actual_headers), case.actual_body)
        for case, interaction in zip(cases, interactions)
    }


def _disagreements(verdicts: dict[str, Verdict], *, heldout: bool) -> list[str]:
    cases = [case for case in CASES if case.is_heldout == heldout]
    ours = _ours(cases)
    return [
        f"{case.id} {case.name}: core {'passes' if verdicts[case.id].passed else 'fails'}, we "
        f"{'pass' if ours[case.id] else 'fail'} ({verdicts[case.id].mismatches})"
        for case in cases
        if ours[case.id] != verdicts[case.id].passed
    ]


def test_the_corpus_covers_every_matcher_and_body_kind():
    matchers = Counter(case.matcher for case in CASES)
    kinds = Counter(case.kind for case in CASES)
    assert len(CASES) >= 240
    for matcher in (
        "type",
        "regex",
        "equality",
        "include",
        "number",
        "integer",
        "decimal",
        "boolean",
        "null",
        "date",
        "time",
        "timestamp",
        "min/max",
        "each-like",
        "values",
        "eachKey",
        "eachValue",
        "arrayContains",
        "notEmpty",
        "semver",
        "contentType",
        "combine",
        "statusCode",
        "headers",
    ):
        assert matchers[matcher] >= 3, matcher
    for kind in ("json", "text", "xml", "form", "multipart", "binary", "headers", "status"):
        assert kinds[kind] >= 8, kind


def test_the_core_judged_every_case(verdicts):
    assert sorted(verdicts) == sorted(case.id for case in CASES)
    assert 0 < sum(verdict.passed for verdict in verdicts.values()) < len(CASES)


def test_we_agree_with_the_core_on_the_tuning_cases(verdicts):
    assert _disagreements(verdicts, heldout=False) == []


def test_we_agree_with_the_core_on_the_held_out_cases(verdicts):
    assert _disagreements(verdicts, heldout=True) == []


def test_a_mismatch_names_its_path_and_reason(tmp_path: Path):
    case = next(case for case in CASES if case.name == "regex on array items, one fails")
    interaction = parse_pact(pact_document([case])).interactions[0]
    mismatches = judge_response(interaction, case.actual_status, list(case.actual_headers), case.actual_body)
    assert [(mismatch.path, mismatch.detail) for mismatch in mismatches] == [
        ("$.v[0]", "$.v[0] is 'ax': it does not match /^a/"),
        ("$.v", "$.v has 2 item(s), the pact expects 1"),
    ]
