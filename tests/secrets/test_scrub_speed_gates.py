"""The whole-body gates that send a body to the full walk, made cheaper, keep their verdicts: the hex-bodied
formats' literals looked for where hex runs start, held to a substring search of every literal."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.secrets.quick import hex_run_starts
from contractkit.secrets.scrub import rules_for
from contractkit.secrets.walk import Scrubber

_RULES = rules_for(None, {})
_HEX_RUN = re.compile(r"[0-9a-fA-F]{16,}")
_PIECES = st.sampled_from(
    [
        "SK" + "0123456789abcdef" * 2,
        "xSK" + "0123456789abcdef" * 2,
        "SK" + "0123456789ABCDEF" * 2,
        "key-" + "deadbeef" * 4,
        "key-" + "deadbeef" * 3,
        "dapi" + "abcdefgh01234567" * 2,
        "dapi" + "0123456789abcdef" * 2,
        "glcbt-" + "ab_Zq8Xv2Lm9Nb4Kt7Rw3Yc",
        "PuTTY-User-Key-File-2: ssh-rsa\nPrivate-MAC: " + "ab" * 20,
        "%040x" % 0x55A25F594BEAC505D6ED9FDF922C6C73456746FE,
        "SK",
        "key-",
        "é",
        '"',
        " ",
        "-",
    ]
)


def _old_gate(scrubber: Scrubber, text: str) -> bool:
    return _HEX_RUN.search(text) is not None and scrubber._has_literal_format(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(alphabet="0123456789abcdefSKkey- ", max_size=20)), max_size=8))
def test_hex_bodied_literals_looked_for_at_hex_runs_give_the_substring_search_verdict(pieces: list[str]) -> None:
    scrubber = Scrubber(_RULES)
    text = "".join(pieces)
    assert scrubber._has_hex_bodied_format(text) == _old_gate(scrubber, text)


def test_only_literals_followed_at_once_by_a_hex_body_are_looked_for_at_hex_runs() -> None:
    adjacent, others = _RULES.hex_bodied_literals_by_place()
    assert set(adjacent) == {"SK", "key-"}
    assert {"dapi", "glcbt-"} <= set(others)
    scrubber = Scrubber(_RULES)
    assert scrubber._has_hex_bodied_format('{"k": "SK' + "0123456789abcdef" * 2 + '"}')
    assert not scrubber._has_hex_bodied_format('{"k": "SK", "sha": "' + "0123456789abcdef" * 2 + '"}')


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789abcdefABCDEFgz -", max_size=60))
def test_hex_run_starts_are_where_each_hex_run_starts(text: str) -> None:
    assert hex_run_starts(text) == [found.start() for found in _HEX_RUN.finditer(text)]
    assert hex_run_starts(text + "é") is None
