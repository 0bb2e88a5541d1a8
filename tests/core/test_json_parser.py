"""One JSON parser with the nesting guard on every path: the same data and the same errors with the optional
fast parser (the `fast` extra) and without it. CI runs this file once more with the extra uninstalled."""

from __future__ import annotations

import json
import math
from typing import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractkit.core import loading
from contractkit.core.http import loads as body_loads
from contractkit.core.limits import MAX_NESTING
from contractkit.core.loading import NestingLimitError, fast_json_parser, parse_json_value

PATHS = ["standard library", "fast extra"]


@pytest.fixture(params=PATHS)
def parser_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a test through the standard library's parser and, where the extra is installed, through the fast one."""
    if request.param == "fast extra":
        fast = fast_json_parser()
        if fast is None:
            pytest.skip("the fast extra (orjson) is not installed here: the standard library's path is the only one")
        monkeypatch.setattr(loading, "_FAST_LOADS", fast)
    else:
        monkeypatch.setattr(loading, "_FAST_LOADS", None)
    yield request.param


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 5_000, 200_000])
@pytest.mark.parametrize("opener,closer", [("[", "]"), ('{"a":', "}")])
def test_nesting_beyond_the_limit_is_refused_before_any_parser_recurses(
    parser_path: str, depth: int, opener: str, closer: str
) -> None:
    text = "\n" + opener * depth + "1" + closer * depth
    with pytest.raises(NestingLimitError) as raised:
        parse_json_value(text)
    assert raised.value.line == 2
    with pytest.raises(ValueError):  # what every reader catches as bad JSON
        body_loads(text.encode())


def test_nesting_at_the_limit_is_data(parser_path: str) -> None:
    text = "[" * MAX_NESTING + "1" + "]" * MAX_NESTING
    value = parse_json_value(text)
    for _ in range(MAX_NESTING):
        value = value[0]
    assert value == 1


@pytest.mark.parametrize(
    "text",
    [
        '{"big": 123456789012345678901234567890}',  # beyond 64 bits: the fast parser refuses, the result must not change
        '{"neg": -99999999999999999999}',
        "[-9999999999999999999, 18446744073709551616]",  # 19 digits below int64, and 2**64
        '{"lone": "\\ud800"}',
        "[1.5e308, -0.0, 1e-320]",
        '{"a": [], "b": {}, "c": null, "d": "\\u00e9\\n"}',
    ],
)
def test_values_are_the_standard_librarys(parser_path: str, text: str) -> None:
    assert parse_json_value(text) == json.loads(text)
    assert parse_json_value(text.encode("utf-8", "surrogatepass")) == json.loads(text.encode("utf-8", "surrogatepass"))


def test_non_finite_numbers_are_read_as_the_standard_library_reads_them(parser_path: str) -> None:
    value = parse_json_value("[NaN, Infinity, -Infinity]")
    assert math.isnan(value[0]) and value[1:] == [math.inf, -math.inf]


@pytest.mark.parametrize("text", ['{\n"a": 1,\n}', "[1,\n2,\n", '{"a" 1}', "", '{"a": 1}\n\n]'])
def test_invalid_json_names_its_line_on_both_paths(parser_path: str, text: str) -> None:
    """The line is the standard library's (which moved for a trailing comma in Python 3.13), on either path."""
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as raised:
        parse_json_value(text)
    assert (raised.value.lineno, raised.value.msg) == (expected.value.lineno, expected.value.msg)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
        max_leaves=30,
    )
)
def test_any_document_round_trips(document: object) -> None:
    text = json.dumps(document)
    assert parse_json_value(text) == document
    assert parse_json_value(text.encode()) == document


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 2_000])
def test_a_large_text_is_held_to_the_same_limit(parser_path: str, depth: int) -> None:
    """Past a megabyte the containers are walked after parsing instead of the text before it: the same verdict."""
    padding = json.dumps('x"' * 400_000)  # a long string full of escapes, as a cassette's bodies are
    text = '{"pad": ' + padding + ', "deep": ' + "[" * depth + "1" + "]" * depth + "}"
    assert len(text) > loading._CHECK_AFTER_PARSING
    with pytest.raises(NestingLimitError):
        parse_json_value(text)
    inner = MAX_NESTING - 1  # the outer object is one level
    shallow = '{"pad": ' + padding + ', "deep": ' + "[" * inner + "1" + "]" * inner + "}"
    assert parse_json_value(shallow)["pad"] == json.loads(padding)
