"""The fast format pass finds what the straightforward one finds: every format's own regex over the whole text.

A long text is searched only near each format's literal or anchor (secrets/anchors.py); these tests hold that
pass to running each format's regex over the whole text, match for match (kind, span, order), on the whole shape
corpus and on generated text that mixes format tokens, their literals and noise. Report masking's one-pass
credential search is held to the alternation regex it replaced.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractkit.secrets import formats as formats_module
from contractkit.secrets.anchors import LiteralFinder
from contractkit.secrets.detector import GENERIC_KINDS, Detector, default_formats
from contractkit.secrets.formats import FormatMatch, FormatSet
from contractkit.secrets.masking import mask_values

CORPUS = Path(__file__).parent / "corpus"
sys.path.insert(0, str(CORPUS))

from shape_harness import build_corpus  # noqa: E402

# a registry's own formats, shaped to reach what the built-in ones do not: a literal in a group of its own case at no
# fixed place, a lookahead inside a lookahead, an anchor at no fixed place before a word boundary, a match that
# starts where a run starts
CUSTOM = FormatSet(
    [
        ("acme-token", r"acme_[a-z0-9]{20}"),
        ("order-secret", r"(?i)order[_-]?secret\s*=\s*(?P<v>\w{12,})"),
        ("vault-token", r"(?:[a-z]{1,8}_)?(?i:vault)[-_]token[=:](?P<v>[A-Za-z0-9]{20})"),
        ("nested-ahead", r"zq(?=[0-9]{4}(?=[a-f]{3}))[0-9]{2}"),
        ("scoped-hex", r"[a-z]{2,6}:[0-9a-f]{8}\b"),
        ("run-led", r"(?<![a-z0-9])[a-z]{2,5}-[0-9a-f]{12}"),
    ]
)
CUSTOM_EXAMPLES = [
    "ops_VAULT-token=" + "Ab3" * 7,
    "Vault_token:" + "Zz9" * 7,
    "zq1234abc",
    "zq1234abx",
    "key:0123abcd",
    "keyring:0123abcdef",
    "ORDER-SECRET = abcdefgh12345",
    "abcd-0123456789ab",
    "9abc-0123456789ab",
    "abcdef-0123456789ab",
    "+ab-0123456789abcdef",
]


def straightforward(formats: FormatSet, text: str, *, literal_only: bool = False) -> list[FormatMatch]:
    """Every format's own regex over the whole text, in the set's order (no literal or anchor consulted)."""
    found = []
    for item in formats.formats:
        if literal_only and not item.literals:
            continue
        for match in formats_module._finditer(item, text):
            secret = formats_module._secret_span(item, match)
            if secret is not None:
                found.append(secret)
    return found


def format_sets() -> list[tuple[str, FormatSet, bool]]:
    """The sets the product searches with: the default, without generic shapes (contract examples), the
    hex-bodied ones (literal only, as the quick look asks), and the default with a registry's own formats."""
    default = default_formats()
    return [
        ("default", default, False),
        ("without-generic", default.without(GENERIC_KINDS), False),
        ("hex-bodied", default.hex_bodied, True),
        ("custom", default + CUSTOM, False),
    ]


def corpus_texts() -> list[str]:
    """Each corpus case as the texts it travels in: its forms, its item as JSON, its core."""
    texts = []
    for case in build_corpus():
        texts += [*case.forms, json.dumps(case.item), case.core]
    return [text for text in texts if text]


@pytest.fixture
def near_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Search every ASCII text near anchors, however short (the product does so from 2 KB)."""
    monkeypatch.setattr(formats_module, "NEAR_SEARCH_FROM", 0)


@pytest.mark.parametrize(("name", "formats", "literal_only"), format_sets(), ids=[s[0] for s in format_sets()])
def test_the_whole_corpus_as_one_text_gives_the_straightforward_matches(
    name: str, formats: FormatSet, literal_only: bool
) -> None:
    texts = corpus_texts()
    for joined in ("\n".join(texts), " ".join(texts), "".join(texts)):
        assert len(joined) >= formats_module.NEAR_SEARCH_FROM and joined.isascii()
        fast = list(formats.iter_matches(joined, literal_only=literal_only))
        assert fast == straightforward(formats, joined, literal_only=literal_only)
        assert fast  # the corpus holds formats: the comparison is not of two empty lists


@pytest.mark.usefixtures("near_always")
@pytest.mark.parametrize(("name", "formats", "literal_only"), format_sets(), ids=[s[0] for s in format_sets()])
def test_each_corpus_text_gives_the_straightforward_matches(name: str, formats: FormatSet, literal_only: bool) -> None:
    differing = [
        text
        for text in corpus_texts()
        if list(formats.iter_matches(text, literal_only=literal_only))
        != straightforward(formats, text, literal_only=literal_only)
    ]
    assert differing == []


def _pieces() -> st.SearchStrategy[str]:
    cases = build_corpus()
    forms = sorted({form for case in cases for form in case.forms} | {case.core for case in cases})
    literals = sorted({literal for item in (default_formats() + CUSTOM).formats for literal in item.literals})
    noise = st.text(alphabet="ABCKQXZabcekstxyz0123456789_-./:=+\"'[]{} \n\\", max_size=48)
    return st.one_of(
        st.sampled_from(forms),
        st.sampled_from(CUSTOM_EXAMPLES),
        st.sampled_from(literals),
        st.sampled_from(literals).map(str.upper),
        noise,
        st.text(alphabet="0123456789abcdef", min_size=30, max_size=70),
        st.text(alphabet="AKIASQXZ0123456789", min_size=16, max_size=24),
        st.text(max_size=6),  # now and then a character beyond ASCII: the other path
    )


_TEXTS = st.lists(_pieces(), max_size=14).flatmap(
    lambda pieces: st.lists(
        st.sampled_from(["", " ", "\n", '"', "=", ": ", "_", "-"]), min_size=len(pieces), max_size=len(pieces)
    ).map(lambda glue: "".join(piece + sep for piece, sep in zip(pieces, glue)))
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXTS, which=st.sampled_from(range(4)), near=st.booleans())
def test_generated_text_gives_the_straightforward_matches(text: str, which: int, near: bool) -> None:
    """Searched near anchors (as a long ASCII text is) or with the formats whose literal occurs (a short one)."""
    name, formats, literal_only = format_sets()[which]
    saved = formats_module.NEAR_SEARCH_FROM
    formats_module.NEAR_SEARCH_FROM = 0 if near else 1 << 62
    try:
        fast = list(formats.iter_matches(text, literal_only=literal_only))
    finally:
        formats_module.NEAR_SEARCH_FROM = saved
    assert fast == straightforward(formats, text, literal_only=literal_only)


@pytest.mark.parametrize(
    "text",
    [
        "eyJrIjoiZXhhbXBsZSIsIm4iOiJ4In0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlX2hlcmU",  # a literal inside another
        "\u017fecret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8pLmN2vT",  # a long s the engine reads as `s`
        "aws_\u212aey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8pLmN2vT'",  # the Kelvin sign the engine reads as `k`
    ],
)
def test_a_short_text_finds_literals_inside_others_and_in_any_case(text: str) -> None:
    for _, formats, literal_only in format_sets():
        expected = straightforward(formats, text, literal_only=literal_only)
        assert list(formats.iter_matches(text, literal_only=literal_only)) == expected


@pytest.mark.usefixtures("near_always")
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXTS)
def test_the_detector_gives_the_same_secrets_either_way(text: str) -> None:
    """The detector's verdicts (overlaps resolved, longest first) with the near search and without."""
    detector = Detector.from_credentials({"API_TOKEN": "s3cr3t-Value-77"})
    near = list(detector.iter_matches(text))
    formats_module.NEAR_SEARCH_FROM = 1 << 62
    try:
        assert list(detector.iter_matches(text)) == near
    finally:
        formats_module.NEAR_SEARCH_FROM = 0


@settings(max_examples=300, deadline=None)
@given(
    literals=st.lists(st.text(alphabet="abkAK_-x", min_size=2, max_size=5), min_size=1, max_size=8, unique=True),
    text=st.text(alphabet="abkAK_-xy", max_size=80),
)
def test_the_literal_finder_finds_every_occurrence_overlapping_ones_too(literals: list[str], text: str) -> None:
    found = LiteralFinder((literal, "") for literal in literals).find(text)
    expected = {
        (literal, ""): [index for index in range(len(text)) if text.startswith(literal, index)] for literal in literals
    }
    assert found == {entry: starts for entry, starts in expected.items() if starts}


def _mask_values_by_alternation(text: str, credentials: dict[str, str]) -> str:
    """Masking as it was: one alternation of every form present, longest first, short ones bounded."""
    from contractkit.secrets.masking import _credential_forms
    from contractkit.secrets.scrub import placeholder

    items = tuple(sorted((name, value) for name, value in credentials.items() if len(value) >= 4))
    forms = _credential_forms(items) if items else {}
    present = [form for form in forms if form in text]
    if not present:
        return text
    alternatives = [
        re.escape(form) if len(form) >= 16 else rf"(?<![A-Za-z0-9]){re.escape(form)}(?![A-Za-z0-9])"
        for form in sorted(present, key=len, reverse=True)
    ]
    return re.compile("|".join(alternatives)).sub(lambda found: placeholder(forms[found[0]]), text)


_CREDENTIALS = {"GITHUB_TOKEN": "ghs_Q7x9LmT2vB8nK4pR6sW1yZ3cF5hJ0dGabcde", "DB_PASSWORD": "hunter22", "PIN": "x9Q/"}


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(
        st.one_of(
            st.sampled_from(sorted(_CREDENTIALS.values())),
            st.sampled_from(["aHVudGVyMjI=", "hunter22hunter22", "xhunter22", "x9Q%2F", "Basic ", "%2f"]),
            st.text(alphabet="ahnrtu2QZx9/ =_\n", max_size=12),
        ),
        max_size=12,
    )
)
def test_masking_credentials_in_one_pass_replaces_what_the_alternation_did(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert mask_values(text, _CREDENTIALS) == _mask_values_by_alternation(text, _CREDENTIALS)
