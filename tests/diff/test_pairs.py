"""The correctness suite: spec pairs with the rule ids the diff must report, and no others."""

from __future__ import annotations

from typing import Any

import pytest

from contractkit.diff import RULE_CODES, Level, diff_any

from diffpairs import documents_for, load_pairs

CASES = load_pairs()


def _expanded() -> list[Any]:
    params = []
    for case in CASES:
        if case["kind"] == "both":
            for side in ("request", "response"):
                params.append(pytest.param(case, side, case[side], id=f"{case['name']} [{side}]"))
        else:
            params.append(pytest.param(case, None, case["expect"], id=case["name"]))
    return params


PAIRS = _expanded()


def test_the_suite_has_at_least_80_pairs_and_direction_sensitive_ones() -> None:
    sensitive = [case for case in CASES if case["kind"] == "both" and sorted(case["request"]) != sorted(case["response"])]
    assert len(PAIRS) >= 80
    assert len(sensitive) >= 20


@pytest.mark.parametrize(("case", "side", "expected"), PAIRS)
def test_pair_reports_exactly_the_expected_rules(case: dict[str, Any], side: str | None, expected: list[str]) -> None:
    old, new = documents_for(case, side)
    result = diff_any(old, new, old_name="old", new_name="new", direction=case.get("direction", "response"))
    reported = sorted({change.rule for change in result.changes if change.level is not Level.INFO})
    assert reported == sorted(expected), [change.message for change in result.changes]
    assert all(change.rule in RULE_CODES for change in result.changes)
    expected_breaking = case.get("breaking")
    if expected_breaking is not None:
        assert result.breaking is expected_breaking
    if "count" in case:
        assert sum(1 for change in result.changes if change.is_breaking) == case["count"]
    if "info" in case:
        assert sorted({c.rule for c in result.changes if c.level is Level.INFO}) == sorted(case["info"])
    if case.get("no_changes"):
        assert result.changes == ()


@pytest.mark.parametrize(("case", "side", "expected"), PAIRS)
def test_a_document_compared_with_itself_has_no_changes(case: dict[str, Any], side: str | None, expected: list[str]) -> None:
    for document in documents_for(case, side):
        result = diff_any(document, document, old_name="a", new_name="a", direction=case.get("direction", "response"))
        assert result.changes == ()
