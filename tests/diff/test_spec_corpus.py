"""The specification corpus (spec_corpus.py): every pair's verdict and rule, tuning and held-out pairs alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from spec_corpus import CASES, HELD_OUT, TUNING

from contractkit.core.errors import SchemaLoadError
from contractkit.diff import RULES, DiffOptions, diff_any

OPTIONS = DiffOptions(today=dt.date(2026, 1, 1))


def test_the_corpus_has_150_pairs_and_holds_out_a_third() -> None:
    assert len(CASES) >= 150
    assert len(HELD_OUT) == len(CASES) // 3 and all(case["id"].endswith("-heldout") for case in HELD_OUT)
    assert not any(case["id"].endswith("-heldout") for case in TUNING)
    assert {case["keyword"] for case in CASES} >= {
        "oneOf",
        "anyOf",
        "allOf",
        "const",
        "enum",
        "pattern",
        "format",
        "unevaluatedProperties",
        "unevaluatedItems",
        "additionalProperties",
        "items",
        "prefixItems",
        "minimum",
        "maxLength",
        "nullable",
        "type",
        "required",
        "readOnly",
        "writeOnly",
        "discriminator",
        "parameters",
        "content",
        "headers",
        "links",
        "callbacks",
        "security",
        "deprecated",
        "paths",
    }


@pytest.mark.parametrize("case", [pytest.param(case, id=case["id"]) for case in CASES])
def test_pair_gets_its_verdict_and_its_rule(case: dict[str, Any]) -> None:
    if case.get("refused"):
        with pytest.raises(SchemaLoadError):
            diff_any(case["old"], case["new"], old_name="old", new_name="new", options=OPTIONS)
        return
    result = diff_any(case["old"], case["new"], old_name="old", new_name="new", options=OPTIONS)
    shown = [f"{change.rule} ({change.level}): {change.message}" for change in result.changes]
    assert result.breaking is case["breaking"], shown
    if case["rule"] is not None:
        assert case["rule"] in RULES
        assert case["rule"] in {change.rule for change in result.changes}, shown
