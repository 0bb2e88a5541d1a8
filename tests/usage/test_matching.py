"""Pact matching semantics: combine AND/OR, null, type, regex, formats, min/max, each-like cascades, rule paths."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.pact.matching import (
    best_rule,
    iter_mismatches,
    java_format_regex,
    matches_rule,
    normalize_path,
    parse_rule_path,
)

NULL_OR_INTEGER = {"combine": "OR", "matchers": [{"match": "null"}, {"match": "integer"}]}


def titles(expected, actual, rules, literal="equal"):
    return [mismatch.title for mismatch in iter_mismatches(expected, actual, rules, literal=literal)]


def test_null_or_accepts_null_and_the_inner_matcher_and_nothing_else():
    rules = {"$.next_offset": NULL_OR_INTEGER}
    assert titles({"next_offset": 10}, {"next_offset": None}, rules) == []
    assert titles({"next_offset": 10}, {"next_offset": 25}, rules) == []
    assert titles({"next_offset": 10}, {"next_offset": "25"}, rules) == [
        "$.next_offset is not null and is not an integer"
    ]


def test_and_needs_every_matcher():
    rule = {"combine": "AND", "matchers": [{"match": "type"}, {"match": "regex", "regex": "^P[0-9]+$"}]}
    assert matches_rule(rule, "P1", "P22") is None
    assert matches_rule(rule, "P1", "Q22") == "does not match /^P[0-9]+$/"


def test_each_like_min_max_and_the_cascade_to_items():
    rules = {"$.items": {"combine": "AND", "matchers": [{"match": "type", "min": 1, "max": 2}]}}
    expected = {"items": [{"id": 1, "name": "a"}]}
    assert titles(expected, {"items": [{"id": 7, "name": "zz", "extra": True}]}, rules) == []  # cascaded: by type
    assert titles(expected, {"items": []}, rules) == ["$.items has fewer than 1 item(s)"]
    assert titles(expected, {"items": [{"id": 1, "name": "a"}] * 3}, rules) == ["$.items has more than 2 item(s)"]
    assert titles(expected, {"items": [{"id": "1", "name": "a"}, {"name": "b"}]}, rules) == [
        "$.items[*].id is not a number",
        "$.items[*].id is missing",
    ]


def test_without_a_rule_values_are_equal_or_only_typed():
    assert titles({"a": "x", "b": [1, 2]}, {"a": "y", "b": [1]}, {}) == [
        "$.a is not the expected value",
        "$.b has another number of items",
    ]
    assert titles({"a": "x", "b": [1, 2]}, {"a": "y", "b": [1]}, {}, literal="type") == []


def test_formats_integers_decimals_booleans_and_include():
    when = {"match": "datetime", "format": "yyyy-MM-dd'T'HH:mm:ss'Z'"}
    assert matches_rule({"matchers": [when]}, "", "2024-06-12T14:05:00Z") is None
    assert matches_rule({"matchers": [when]}, "", "2024-06-12 14:05") is not None
    assert java_format_regex("yyyy-MM-dd").fullmatch("2026-11-22")
    assert matches_rule({"matchers": [{"match": "integer"}]}, 1, 1.5) == "is not an integer"
    assert matches_rule({"matchers": [{"match": "decimal"}]}, 1.5, 2.25) is None
    assert matches_rule({"matchers": [{"match": "boolean"}]}, True, "yes") == "is not a boolean"
    assert matches_rule({"matchers": [{"match": "include", "value": "fire"}]}, "", "on fire") is None


def test_rule_paths_in_every_spelling_and_the_best_rule_wins():
    assert parse_rule_path("$['a-b'][*].c[0].*") == ("a-b", -1, "c", 0, "*")
    assert normalize_path("$['items'][3].id") == "$.items[*].id"
    rules = {
        "$.items": {"matchers": [{"match": "type"}]},
        "$.items[*].id": {"matchers": [{"match": "integer"}]},
        "$.*": {"matchers": [{"match": "regex", "regex": "x"}]},
    }
    assert best_rule(rules, ("items", 4, "id")) == {"matchers": [{"match": "integer"}]}
    assert best_rule(rules, ("items",)) == {"matchers": [{"match": "type"}]}
    assert best_rule(rules, ("other",)) == {"matchers": [{"match": "regex", "regex": "x"}]}


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None)
@given(_json)
def test_a_value_always_matches_itself(value):
    assert list(iter_mismatches(value, value, {})) == []
    assert list(iter_mismatches(value, value, {"$": {"matchers": [{"match": "type"}]}})) == []
