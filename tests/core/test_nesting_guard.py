"""The nesting guard's verdicts, held to a walk over the JSON text's tokens, on texts whose strings hold brackets,
quotes and escapes (where its fast paths could go wrong)."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.core.loading import is_nested_deeper

_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def _depth(text: str) -> int:
    """The deepest nesting of JSON text, by a walk over its strings and brackets."""
    depth = deepest = 0
    for token in _TOKEN.finditer(text):
        if token.group() in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token.group() in ("]", "}"):
            depth -= 1
    return deepest


_STRINGS = st.text(alphabet='[]{}"\\/ab', max_size=8)
_JSON = st.recursive(
    st.none() | _STRINGS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_STRINGS, inner, max_size=3),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(_JSON, st.integers(min_value=0, max_value=8))
def test_the_guard_agrees_with_a_walk_over_the_tokens(data: object, limit: int) -> None:
    text = json.dumps(data)
    assert is_nested_deeper(text, limit) == (_depth(text) > limit)


def test_brackets_inside_strings_do_not_count() -> None:
    template = '{"url": "https://api.example.test/repos/x/keys{/key_id}", "x": "[[[", "y": "]]]"}'
    text = "[" + ", ".join([template] * 50) + "]"
    assert not is_nested_deeper(text, 2)
    assert is_nested_deeper("[" * 3 + '"{/id}"' + "]" * 3, 2)
    assert not is_nested_deeper('[["\\"[[[[\\"", "{\\"a\\": [1]}"]]', 2)


def test_a_text_of_few_brackets_is_never_deeper() -> None:
    assert not is_nested_deeper('[[["a"]]]', 3)
    assert is_nested_deeper('[[[["a"]]]]', 3)
