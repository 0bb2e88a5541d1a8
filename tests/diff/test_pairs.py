"""The correctness suite: spec pairs with the rule ids the diff must report, and no others.

Every rule of `contracts diff --list-rules` must be reported by at least one pair.
"""

from __future__ import annotations

from typing import Any

import pytest
from diffpairs import PLACEMENTS, case_direction, case_documents, case_options, diff_case, load_pairs

from contractkit.diff import RULES, Level, diff_any, rule_name
from contractkit.diff.levels import CONFIGURATION

CASES = load_pairs()


def _expanded() -> list[Any]:
    params = []
    for case in CASES:
        if case["kind"] == "both":
            for side in ("request", "response"):
                params.append(pytest.param(case, side, case[side], id=f"{case['name']} [{side}]"))
        elif case["kind"] == "everywhere":
            for placement in PLACEMENTS:
                params.append(
                    pytest.param(case, placement, _expected_here(case, placement), id=f"{case['name']} [{placement}]")
                )
        else:
            params.append(pytest.param(case, None, case["expect"], id=case["name"]))
    return params


def _expected_here(case: dict[str, Any], placement: str) -> list[str]:
    side, direction, rel = PLACEMENTS[placement]
    suffixes = case.get("overrides", {}).get(placement, case[direction])
    nested = ("properties", "y") if case.get("nested") else ()
    return [rule_name(side, suffix, rel + nested) for suffix in suffixes]


def _info_here(case: dict[str, Any], placement: str) -> list[str] | None:
    side, direction, rel = PLACEMENTS[placement]
    if f"{direction}_info" not in case:
        return None
    nested = ("properties", "y") if case.get("nested") else ()
    return [rule_name(side, suffix, rel + nested) for suffix in case[f"{direction}_info"]]


PAIRS = _expanded()


def test_the_suite_has_at_least_150_pairs_and_direction_sensitive_ones() -> None:
    sensitive = [
        case for case in CASES if case["kind"] == "both" and sorted(case["request"]) != sorted(case["response"])
    ]
    sensitive += [
        case for case in CASES if case["kind"] == "everywhere" and sorted(case["request"]) != sorted(case["response"])
    ]
    assert len(CASES) >= 150
    assert len(PAIRS) >= 300
    assert len(sensitive) >= 40


def test_every_rule_is_reported_by_some_pair() -> None:
    reported = {
        change.rule for case, side, _ in (param.values for param in PAIRS) for change in diff_case(case, side).changes
    }
    assert sorted(set(RULES) - reported) == []


@pytest.mark.parametrize(("case", "side", "expected"), PAIRS)
def test_pair_reports_exactly_the_expected_rules(case: dict[str, Any], side: str | None, expected: list[str]) -> None:
    result = diff_case(case, side)
    reported = sorted({change.rule for change in result.changes if change.level is not Level.INFO})
    assert reported == sorted(expected), [change.message for change in result.changes]
    assert all(change.rule in RULES for change in result.changes), [change.rule for change in result.changes]
    expected_breaking = case.get("breaking")
    if expected_breaking is not None:
        assert result.breaking is expected_breaking
    if "count" in case:
        assert sum(1 for change in result.changes if change.is_breaking) == case["count"]
    info = case.get("info") if case["kind"] != "everywhere" else _info_here(case, side or "")
    if info is not None:
        assert sorted({c.rule for c in result.changes if c.level is Level.INFO}) == sorted(info)
    if case.get("no_changes"):
        assert result.changes == ()
    if "configured" in case:
        assert sorted({c.rule for c in result.changes if c.level_source == CONFIGURATION}) == sorted(case["configured"])
    if "sources" in case:
        assert {c.rule: c.level_source for c in result.changes if c.level_source != "default"} == case["sources"]


@pytest.mark.parametrize(("case", "side", "expected"), PAIRS)
def test_a_document_compared_with_itself_has_no_changes(
    case: dict[str, Any], side: str | None, expected: list[str]
) -> None:
    for document in case_documents(case, side):
        result = diff_any(
            document,
            document,
            old_name="a",
            new_name="a",
            direction=case_direction(case, side),
            options=case_options(case),
        )
        assert result.changes == ()
