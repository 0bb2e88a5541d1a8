"""The fast reader of the YAML vcrpy writes (cassettes/blockyaml.py) builds what PyYAML's safe loader builds, or
declines (None) so that the full loader reads the text: never a different value."""

from __future__ import annotations

import copy
import math

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from vcr.serializers import yamlserializer

from contractkit.cassettes import read_block_yaml
from contractkit.core.limits import MAX_NESTING

TEXT = st.lists(
    st.characters(blacklist_categories=("Cs",))
    | st.sampled_from(list(" \t\n'\"\\:#-,[]{}&*!|>%@`?") + ["''", "\n\n", "  "]),
    max_size=120,
).map("".join)
KEYS = st.text(max_size=12) | st.sampled_from(["Content-Type", "method", "uri", "string", "code", "200", "null"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    TEXT,
    st.binary(max_size=20),
    st.sampled_from(["GET", "200", "true", "~", "1.5", "0x1f", "2023-05-01", "yes", "<<", "- a", "a: b", "#x", "---"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=25,
)


def _same(fast, full) -> bool:
    if isinstance(full, float) and math.isnan(full):
        return isinstance(fast, float) and math.isnan(fast)
    return type(fast) is type(full) and fast == full


def _assert_reads_as_the_safe_loader(text: str) -> None:
    fast = read_block_yaml(text)
    if fast is None:
        return  # declined: the full loader reads it
    assert _same(fast, yaml.safe_load(text)), text


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_what_vcrpy_writes_reads_as_the_safe_loader_reads_it(value):
    text = yamlserializer.serialize({"interactions": [{"response": {"body": {"string": value}}}], "version": 1})
    _assert_reads_as_the_safe_loader(text)
    for style in (None, "'", '"'):
        _assert_reads_as_the_safe_loader(yaml.dump(value, default_style=style, width=20))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(list("ab :-'\"\\\n #{}[]!&*|>?%.") + ["  ", "\n  ", "- ", ": ", "\\n"]), max_size=60).map(
        "".join
    )
)
def test_arbitrary_text_is_read_as_the_safe_loader_reads_it_or_declined(text):
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError:
        assert read_block_yaml(text) is None, text
        return
    fast = read_block_yaml(text)
    assert fast is None or _same(fast, expected), text


def test_a_recorded_cassette_is_read_fast_and_whole():
    body = '{"login": "octocat", "bio": "it\'s me \\u00e9", "url": "https://api.github.com/users/octocat"}' * 20
    cassette = {
        "interactions": [
            {
                "request": {
                    "body": None,
                    "headers": {"Accept": ["application/json"]},
                    "method": "GET",
                    "uri": "https://x/",
                },
                "response": {
                    "body": {"string": body},
                    "headers": {"Content-Type": ["application/json; charset=utf-8"], "X-Long": ["a, " * 60]},
                    "status": {"code": 200, "message": "OK"},
                },
            }
            for _ in range(3)
        ],
        "version": 1,
    }
    text = yamlserializer.serialize(cassette)
    assert read_block_yaml(text) == cassette
    unicode = yamlserializer.serialize({**cassette, "interactions": [{"response": {"body": {"string": "é😀\x85"}}}]})
    assert read_block_yaml(unicode) == yaml.safe_load(unicode)


def test_what_the_subset_leaves_out_is_declined():
    for text in (
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "a: !!binary aGk=\n",  # tags
        "a: |\n  text\n",  # block scalars
        "a: 1 # comment\n",
        "--- \na: 1\n",
        "a: {b: 1}\n",  # flow collections
        "a:\r\n  b\r\n",
        "a:\n\tb: 1\n",
    ):
        assert read_block_yaml(text) is None, text


def test_nesting_beyond_the_limit_is_declined_so_the_guarded_loader_refuses_it():
    deep = "".join(f"{'  ' * level}k:\n" for level in range(MAX_NESTING + 1)) + "  " * (MAX_NESTING + 1) + "v: 1\n"
    assert read_block_yaml(deep) is None
    shallow = "".join(f"{'  ' * level}k:\n" for level in range(MAX_NESTING - 1)) + "  " * (MAX_NESTING - 1) + "v: 1\n"
    assert read_block_yaml(shallow) == yaml.safe_load(shallow)


HEADER_NAMES = KEYS | st.sampled_from(["ETag", "X-RateLimit-Limit", "Set-Cookie", "true", "1.5", "Link", "x_y.z"])
HEADER_VALUES = st.one_of(
    SCALARS,
    st.sampled_from(['W/"abc"', "'*'", "5000", "0", "00", "0o7", "1e3", "-1", "- x", "Sat, 06 Dec 2025 05:46:40 GMT"]),
    st.lists(st.sampled_from(["a", "b: c", "#d", "e,", "'f'", "g h"]), max_size=40).map(" ".join),  # long: folded
)
INTERACTIONS = st.fixed_dictionaries(
    {
        "request": st.fixed_dictionaries(
            {
                "body": st.none() | TEXT,
                "headers": st.dictionaries(HEADER_NAMES, st.lists(HEADER_VALUES, max_size=3), max_size=4),
                "method": st.sampled_from(["GET", "POST", "NULL", "TRUE", "yes"]) | TEXT,
                "uri": st.sampled_from(["https://api.github.com/", "http://x/" + "a/" * 60]) | TEXT,
            }
        ),
        "response": st.fixed_dictionaries(
            {
                "body": st.fixed_dictionaries({"string": TEXT | st.binary(max_size=10)}),
                "headers": st.dictionaries(HEADER_NAMES, st.lists(HEADER_VALUES, max_size=3), max_size=5),
                "status": st.fixed_dictionaries(
                    {"code": st.integers(100, 599) | SCALARS, "message": st.sampled_from(["OK", "Not Found"]) | TEXT}
                ),
            }
        ),
    }
)


@settings(max_examples=500, deadline=None)
@given(st.lists(INTERACTIONS, min_size=1, max_size=3))
def test_whole_interactions_as_vcrpy_writes_them_read_as_the_safe_loader_reads_them(interactions):
    text = yamlserializer.serialize({"interactions": interactions, "version": 1})
    fast = read_block_yaml(text)
    assert fast is None or fast == yaml.safe_load(text), text


def test_an_interaction_as_vcrpy_writes_it_is_read_in_one_step():
    from contractkit.cassettes.blockyaml import _INTERACTION

    interaction = {
        "request": {"body": None, "headers": {"Accept": ["application/json"]}, "method": "GET", "uri": "https://x/"},
        "response": {
            "body": {"string": '[{"id": 1, "note": "it\'s"}]' * 40},
            "headers": {
                "Content-Type": ["application/json"],
                "Vary": ["Accept, " * 30 + "Origin"],
                "Set-Cookie": ["a", "b"],
            },
            "status": {"code": 200, "message": "OK"},
        },
    }
    cassette = {"interactions": [interaction, copy.deepcopy(interaction)], "version": 1}  # no anchors
    text = yamlserializer.serialize(cassette)

    assert _INTERACTION.match(text, len("interactions:\n")) is not None
    assert read_block_yaml(text) == yaml.safe_load(text) == cassette


def test_a_body_written_again_is_the_same_text_and_a_different_one_is_its_own():
    def interaction(body: str) -> dict:
        return {
            "request": {"body": None, "headers": {}, "method": "GET", "uri": "https://x/"},
            "response": {
                "body": {"string": body},
                "headers": {"Content-Type": ["application/json"]},
                "status": {"code": 200, "message": "OK"},
            },
        }

    same, other = '{"note": "it\'s", "items": [1, 2, 3]}' * 30, '{"note": "it\'s", "items": [1, 2, 4]}' * 30
    cassette = {"interactions": [interaction(same), interaction(other), interaction(same)], "version": 1}
    text = yamlserializer.serialize(cassette)

    read = read_block_yaml(text)
    assert read == yaml.safe_load(text) == cassette
    bodies = [item["response"]["body"]["string"] for item in read["interactions"]]
    assert bodies[0] is bodies[2] and bodies[1] == other
