"""Credential formats: detect-secrets' formats as the base, our own rules only for what it lacks, in one fast pass.

The vendor formats come from detect-secrets (Yelp's maintained scanner, the `denylist` regexes of its plugins),
read from the installed release (and kept in the cache between runs, keyed by the plugins' source), so a new release
brings its new formats without an edit here. Three of its plugins are left out on principle: public IP addresses
are not credentials, `user:password@` in a URL is read by the URL's structure (secrets/scrub.py), and the
private-key headers are widened to the whole key block by our own rule. Formats whose fixed part is shorter than
four characters (Twilio's `AC`, Telegram's `:`, Artifactory's `AP`) match words and identifiers too, so a match of
one of them counts only when it also looks random.

Our own rules (`OWN_FORMATS`) cover what the library lacks, most of them by principle rather than by vendor:
a vendor prefix and a separator before a long random part (`hf_…`, `dop_v1_…`, `shpat_…`), an
`Authorization`-style scheme word before a token, a URL whose path carries a long random segment.

Checking eighty regexes one after another on every value costs too much (detect-secrets' own per-line scan reads
0.2 MB/s), so `FormatSet` reads from each regex the literal text every match must contain (`ghp_`, `xox`, `-us`).
A short text is searched once for all of these literals together; only the formats whose literal occurs, and the
few with no literal at all, then run. A long ASCII text (a report, a large body) is searched near each format's
literal or anchor instead (secrets/anchors.py): the literals and what must follow them in one pass, then each
format's regex only where a match can start, with the same matches as the regex over the whole text.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from importlib import import_module
from importlib.util import find_spec
from itertools import chain, product
from math import log2
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from contractkit.core.cache import cached
from contractkit.secrets.anchors import (
    LiteralFinder,
    NearSearch,
    Plan,
    frequency,
    plan_for,
    run_starts,
    start_ranges,
)

__all__ = [
    "DOCUMENTED_EXAMPLES",
    "FormatMatch",
    "FormatSet",
    "GENERIC_KINDS",
    "is_random_run",
    "is_slug",
    "LEFT_TO_STRUCTURE",
    "OWN_FORMATS",
    "S",
    "library_formats",
    "looks_random",
    "shannon_entropy",
    "trie_pattern",
]

_B64 = r"A-Za-z0-9+/"
# where a token may start: not inside a word, but right after an escaped newline or tab (`\nghp_...` in JSON text)
S = r"(?:(?<=\\[nrt])|(?<![A-Za-z0-9_]))"
# detect-secrets plugins whose verdict is made elsewhere, and why (see the module docstring)
LEFT_TO_STRUCTURE = frozenset({"IPPublicDetector", "BasicAuthDetector", "PrivateKeyDetector"})

OWN_FORMATS: tuple[tuple[str, str], ...] = (
    (
        "private-key",
        r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----",
    ),
    ("private-key", r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:[" + _B64 + r"=\s]|\\[nr]){40,}"),
    ("private-key", r"PuTTY-User-Key-File-[23]:[\s\S]*?Private-MAC:\s*[0-9a-fA-F]+"),
    ("private-key", r"PuTTY-User-Key-File-[23]:[^\n]*"),
    ("twitter-bearer-token", S + r"A{22}[A-Za-z0-9%]{60,}"),
    ("age-secret-key", r"AGE-SECRET-KEY-1[0-9A-Z]{58}"),
    ("jwt", S + r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    ("aws-access-key-id", r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"),
    (
        "aws-secret-access-key",
        r"(?i:aws.{0,20}secret.{0,20}|secret_?access_?key.{0,5})[=:\"'\s>]+(?P<v>["
        + _B64
        + r"]{40})(?!["
        + _B64
        + "])",
    ),
    ("aws-session-token", r"(?:FwoGZXIvYXdz|FQoGZXIvYXdz|IQoJb3JpZ2lu)[" + _B64 + r"]{40,}={0,2}"),
    ("aws-signature", r"(?i)signature=(?P<v>[0-9a-f]{64})\b"),
    ("github-token", S + r"gh[pousr]_[A-Za-z0-9]{36,255}\b"),
    ("github-pat", S + r"github_pat_[A-Za-z0-9_]{22,255}\b"),
    ("gitlab-token", S + r"gl(?:pat|dt|ptt|rt|cbt|imt|ft|soat|oas)-[A-Za-z0-9_-]{20,}"),
    ("slack-token", S + r"xox[abposre]-[A-Za-z0-9-]{10,}"),
    ("slack-app-token", S + r"xapp-\d-[A-Za-z0-9-]{10,}"),
    ("slack-webhook", r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]+"),
    ("stripe-key", S + r"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"),
    ("stripe-webhook-secret", S + r"whsec_[A-Za-z0-9+/=]{24,}"),
    ("twilio-api-key", S + r"SK[0-9a-f]{32}\b"),
    ("sendgrid-key", S + r"SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}"),
    ("npm-token", S + r"npm_[A-Za-z0-9]{36}\b"),
    ("pypi-token", S + r"pypi-AgE[A-Za-z0-9_-]{50,}"),
    ("atlassian-api-token", S + r"ATATT[A-Za-z0-9_=-]{20,}"),
    ("grafana-service-account-token", S + r"glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}\b"),
    ("grafana-cloud-token", S + r"glc_[A-Za-z0-9+/]{32,}={0,2}"),
    ("grafana-api-key", S + r"eyJrIjoi[A-Za-z0-9+/=_-]{20,}"),
    ("pagerduty-token", r"(?i)token token=(?P<v>[A-Za-z0-9_+-]{20,})"),
    ("pagerduty-user-token", S + r"u\+[A-Za-z0-9_-]{18}(?![A-Za-z0-9_-])"),
    ("google-api-key", S + r"AIza[0-9A-Za-z_-]{35}"),
    ("google-oauth-token", S + r"ya29\.[0-9A-Za-z_-]{20,}"),
    ("google-client-secret", S + r"GOCSPX-[0-9A-Za-z_-]{20,}"),
    ("google-refresh-token", S + r"1//0[0-9A-Za-z_-]{40,}"),
    ("azure-storage-key", r"(?i)AccountKey=(?P<v>[" + _B64 + r"]{86}==)"),
    ("azure-sas-signature", r"(?i)[?&;]sig=(?P<v>[A-Za-z0-9%+/=]{20,})"),
    (
        "azure-client-secret",
        r"(?:(?<=\\[nrt])|(?<![A-Za-z0-9_~.-]))[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])",
    ),
    ("openai-key", S + r"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}"),
    ("mailgun-key", S + r"key-[0-9a-f]{32}\b"),
    # the library has no rule for these two; the maintained gitleaks rule set has (databricks-api-token,
    # hashicorp-tf-api-token), and their shapes are taken from it
    ("databricks-token", S + r"dapi[a-h0-9]{32}(?:-\d)?(?![A-Za-z0-9])"),
    ("terraform-cloud-token", r"(?i)(?<![A-Za-z0-9])[a-z0-9]{14}\.atlasv1\.[a-z0-9\-_=]{60,70}"),
    # principle: a vendor prefix (letters, with a version or kind word) and `_`/`-`, then a long random part
    (
        "prefixed-token",
        r"(?<![A-Za-z0-9_.+/-])(?P<p>[A-Za-z][A-Za-z0-9]{0,11}(?:[_.-][A-Za-z0-9]{1,10}){0,3}[_.-])"
        r"(?P<r>[A-Za-z0-9][A-Za-z0-9+/_.-]{15,400}={0,2})(?![A-Za-z0-9_+/=-])",
    ),
    # principle: whatever follows an `Authorization` scheme word in text (Token, Digest, AWS4-HMAC-SHA256, OAuth ...)
    # the token, then the scheme's `, name=value` parameters (AWS4-HMAC-SHA256 `Credential=..., Signature=...`)
    (
        "authorization",
        r"(?i)authorization[\"']?\s*[:=]\s*[\"']?[A-Za-z][A-Za-z0-9._-]*[ ]+"
        r"(?P<v>[^\s\"'<>\\]{8,}(?:,?[ ]+[A-Za-z][A-Za-z0-9_-]*=[^\s\"'<>\\]+)*)",
    ),
    # principle: a scheme word and a token, as in `Authorization: <scheme> <token>`; also inside text
    ("bearer", r"(?i)bearer (?P<v>[A-Za-z0-9._~+/-]{16,}=*)"),
    ("basic-credentials", r"(?i)basic (?P<v>[" + _B64 + r"]{12,}={0,2})"),
)

# generic shapes: a scheme word before any string; contract examples use them with placeholder values
GENERIC_KINDS = frozenset({"bearer", "basic-credentials", "prefixed-token"})
# credentials that vendors publish in their documentation as examples: public, never a leak
DOCUMENTED_EXAMPLES = frozenset(
    {
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "y_NbAkKc66ryYTWUXYEu",
        "ASIAIOSFODNN7EXAMPLE",
    }
)
# prefix words that say a key is published on purpose: Stripe's `pk_live_`, Mapbox's `pk.`, `pub_`, `publishable_`
# a vendor prefix that calls the token it starts public, right before a match: the match is that public key's body
# (a Mapbox public token `pk.eyJ...` holds a JWT-shaped part)
_PUBLIC_LEAD = re.compile(r"(?<![A-Za-z0-9_.-])(?:pk|pub|publishable)[._-](?:(?:live|test)[._-])?\Z")
_PUBLIC_PREFIX_WORDS = frozenset({"pk", "pub", "public", "publishable", "client"})
_PREFIX_WORD = re.compile(r"[A-Za-z]+")


def _kind(secret_type: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", secret_type.lower()).strip("-")


# raise when what library_formats reads from the plugins, or how it names them, changes
_LIBRARY_READING = 1


def library_formats() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(kind, compiled regex) of every detect-secrets plugin's formats, but those LEFT_TO_STRUCTURE.

    Importing detect-secrets and its plugins (with requests, urllib3 and charset_normalizer) costs about 0.1 s of
    every command that prints, so the regexes read from the installed plugins are kept in the cache between runs
    (core/cache.py), keyed by the plugins' source files: another release, or no cache, reads the plugins again."""
    key = _library_key()
    if key is None:
        return _read_library_formats()
    sources = cached("secret-formats", key, _library_sources)
    return tuple((kind, re.compile(source, flags)) for kind, source, flags in sources)


def _library_key() -> bytes | None:
    """The source of the library's plugins and of what lists them (found without importing the library), with
    how we read them; None when they cannot be read as files."""
    spec = find_spec("detect_secrets")
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    if not folders:
        return None
    root = Path(folders[0])
    files = sorted((root / "plugins").glob("*.py")) + [root / "core" / "plugins" / "util.py"]
    try:
        parts = [f"{path.name}\0".encode() + path.read_bytes() for path in files]
    except OSError:
        return None
    return b"\0".join([f"{_LIBRARY_READING}\0{sorted(LEFT_TO_STRUCTURE)}".encode(), *parts])


def _library_sources() -> tuple[tuple[str, str, int], ...]:
    """(kind, regex source, flags) of the library's formats: plain data for the cache."""
    return tuple((kind, pattern.pattern, pattern.flags) for kind, pattern in _read_library_formats())


def _read_library_formats() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The library's formats read from its plugins; imported here only, on the first run of a release."""
    util = import_module("detect_secrets.core.plugins.util")
    found = []
    plugins: dict[str, Any] = util.get_mapping_from_secret_type_to_class()
    for secret_type, plugin in sorted(plugins.items()):
        if plugin.__name__ in LEFT_TO_STRUCTURE:
            continue
        for pattern in getattr(plugin, "denylist", ()):
            found.append((_kind(secret_type), pattern))
    return tuple(found)


# ---------------------------------------------------------------- randomness


_TOKEN_CHARS = re.compile(r"[A-Za-z0-9+/=_.~-]+")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DIGIT = re.compile(r"[0-9]")
_UPPER = re.compile(r"[A-Z]")
_SLUG = re.compile(r"(?:[a-z]+|[A-Z][a-z]*|[A-Z]+|[0-9]+)(?:[-_./](?:[a-z]+|[A-Z][a-z]*|[A-Z]+|[0-9]+))*")
_LOWER = re.compile(r"[a-z]")
_LETTER = re.compile(r"[A-Za-z]")


@lru_cache(maxsize=16384)
def shannon_entropy(value: str) -> float:
    """Bits per character of a string."""
    if not value:
        return 0.0
    length = len(value)
    return log2(length) - sum(count * log2(count) for count in Counter(value).values()) / length


@lru_cache(maxsize=16384)
def looks_random(value: str, *, min_length: int = 16) -> bool:
    """True for a long token-alphabet string of letters and digits with high entropy (not a UUID or a word)."""
    if len(value) < min_length or not _TOKEN_CHARS.fullmatch(value) or _UUID.fullmatch(value):
        return False
    if not (_DIGIT.search(value) and _LETTER.search(value)):
        return False
    return shannon_entropy(value) >= min(3.0 + len(value) / 64, 3.6)


_RUN = re.compile(r"[A-Za-z0-9+/=_.~-]{16,}")
# the literals compared in any case are words that occur in prose (`pass` in `passed`): searched for whole only
# when made of the commonest characters (secrets/anchors.py)
WORD_SCANNED_ABOVE = 20
# from this length a text is searched near each format's literal or anchor rather than by each format's regex
NEAR_SEARCH_FROM = 2048


_HEX_BODY = re.compile(r"[A-Za-z]{0,4}([0-9a-f]{24,}|[0-9A-F]{24,})")


def is_slug(run: str) -> bool:
    """True for words and numbers joined by `-`, `_`, `.` or `/` (`repository-12060`, `repos/octo/app/commits`):
    a name or a path, not a token."""
    return bool(_SLUG.fullmatch(run))


def is_random_run(run: str) -> bool:
    """True for a run of token characters that looks random by any measure the formats use: letters and digits
    at random, hex after a short prefix (judged by the entropy hex can have, at most 4 bits a character), or
    upper- and lower-case letters at random."""
    if is_slug(run):
        return False
    if looks_random(run):
        return True
    hex_body = _HEX_BODY.fullmatch(run)
    if hex_body and _DIGIT.search(hex_body[1]) and _LETTER.search(hex_body[1]) and shannon_entropy(hex_body[1]) >= 3.0:
        return True
    return len(run) >= 24 and bool(_UPPER.search(run) and _LOWER.search(run)) and shannon_entropy(run) >= 4.2


def _random_part(text: str) -> bool:
    """True when a match has a random run of token characters (the test for formats with a short fixed part)."""
    return any(is_random_run(run) for run in _RUN.findall(text))


# ---------------------------------------------------------------- the literal every match contains


def _literal_sets(pattern: str, flags: int) -> tuple[list[str] | None, int, int | None]:
    """The strings of which every match contains one (the set with the longest shortest string found at the top
    level of the regex), or None when no set of strings of two or more characters is found; and the indexes of the
    top-level elements where those strings start and end (None when they end inside an element)."""
    from re import _parser  # type: ignore[attr-defined]

    try:
        parsed = _parser.parse(pattern, flags)
    except re.error:
        return None, 0, None
    best: list[str] | None = None
    best_at, at, best_end = 0, 0, None
    current: list[str] = [""]
    for index, (op, arg) in enumerate(list(parsed) + [(None, None)]):
        options = _options(op, arg)
        if options is not None and len(current) * len(options) <= 32:
            at = index if current == [""] else at
            current = [head + tail for head, tail in product(current, options)]
            continue
        prefixes = _branch_prefixes(op, arg) if options is None else None
        inside = prefixes is not None and len(current) * len(prefixes) <= 32
        if prefixes is not None and inside:
            at = index if current == [""] else at
            current = [head + tail for head, tail in product(current, prefixes)]  # a match goes on past them
        chosen = _better(best, current)
        if chosen is not best:
            best, best_at, best_end = chosen, at, None if inside else index
        current, at = ([""], index + 1) if options is None or len(options) > 32 else (options, index)
    return best, best_at, best_end


def _better(best: list[str] | None, current: list[str]) -> list[str] | None:
    """The set whose shortest string is longer; of two as long, the one whose strings hold rarer characters
    (`key|pwd|pw|...` rather than `cl|clou|cloudant`: fewer places in a text to look at)."""
    shortest = min(map(len, current))
    if shortest < 2 or (best is not None and shortest < min(map(len, best))):
        return best
    if best is not None and shortest == min(map(len, best)) and _commonest(current) >= _commonest(best):
        return best
    return current


def _commonest(strings: list[str]) -> float:
    """How common the rarest character of the commonest of these strings is."""
    return max(min(map(frequency, string)) for string in strings)


def _branch_prefixes(op: Any, arg: Any) -> list[str] | None:
    """For a group of alternatives that are not all fixed strings (`A3T[A-Z0-9]|AKIA`), the fixed text each
    alternative starts with, when every one starts with some."""
    from re import _constants  # type: ignore[attr-defined]

    if op is _constants.SUBPATTERN:
        return _branch_prefixes(*arg[-1][0]) if len(arg[-1]) == 1 else None
    if op is not _constants.BRANCH:
        return None
    found: list[str] = []
    for branch in arg[1]:
        prefix = ""
        for item_op, item_arg in branch:
            if item_op is not _constants.LITERAL:
                break
            prefix += chr(item_arg)
        if not prefix:
            return None
        found.append(prefix)
    return found


def _options(op: Any, arg: Any) -> list[str] | None:
    """The strings one regex element matches when it matches few fixed strings, else None."""
    from re import _constants  # type: ignore[attr-defined]

    if op is _constants.LITERAL:
        return [chr(arg)]
    if op is _constants.IN and all(kind is _constants.LITERAL for kind, _ in arg) and len(arg) <= 8:
        return [chr(value) for _, value in arg]
    if op is _constants.SUBPATTERN:
        return _sequence_options(arg[-1])
    if op is _constants.BRANCH:
        found: list[str] = []
        for branch in arg[1]:
            options = _sequence_options(branch)
            if options is None:
                return None
            found += options
        return found if len(found) <= 16 else None
    return None


def _sequence_options(sequence: Any) -> list[str] | None:
    current = [""]
    for op, arg in sequence:
        options = _options(op, arg)
        if options is None or len(current) * len(options) > 16:
            return None
        current = [head + tail for head, tail in product(current, options)]
    return current


# a character class of hex digits alone, as a secret part written in hex is matched: `[0-9a-f]`, `[a-h0-9]`
_HEX_CLASS = re.compile(r"\[(?:0-9a-[a-hA-H]|a-[a-hA-H]0-9|0-9a-fA-F|a-fA-F0-9|0-9A-F)\]")

# ---------------------------------------------------------------- the combined pass


@dataclass(frozen=True, slots=True)
class FormatMatch:
    """A credential format found in a text: its kind and the span of the secret."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Format:
    kind: str
    source: str | re.Pattern[str]  # as given, to combine sets
    regex: re.Pattern[str]
    bounded: bool  # must start at a token boundary (the `S` prefix, checked per candidate)
    weak: bool  # its fixed part is short: a match counts only when it looks random
    literals: tuple[str, ...]
    folded: bool  # its literals are compared case-insensitively
    plan: Plan | None  # where its matches can be, relative to its literal or anchor (secrets/anchors.py)
    order: int = 0  # its place in the set: on a tie the earlier (and a specific before a generic) format names it

    @property
    def entries(self) -> frozenset[tuple[str, str]]:
        """Its literals as searched (lower-cased when compared case-insensitively), each with a regex for what
        must follow it (secrets/anchors.py)."""
        rest = self.plan.rest if self.plan is not None else ""
        return frozenset((literal.lower() if self.folded else literal, rest) for literal in self.literals)


class FormatSet:
    """Compiled credential formats searched in one prefiltered pass."""

    def __init__(self, formats: Iterable[tuple[str, str | re.Pattern[str]]]) -> None:
        compiled = [_compile(kind, pattern) for kind, pattern in formats]
        generic = [item for item in compiled if item.kind in GENERIC_KINDS]
        ordered = [item for item in compiled if item.kind not in GENERIC_KINDS] + generic
        self.formats = tuple(replace(item, order=index) for index, item in enumerate(ordered))
        self._hex_bodied: FormatSet | None = None
        self._literal_finders: tuple[LiteralFinder | None, LiteralFinder | None] | None = None
        self._always = tuple(item for item in self.formats if not item.literals)
        self._by_literal: dict[str, list[_Format]] = {}
        for item in self.formats:
            for literal in item.literals:
                self._by_literal.setdefault(literal.lower() if item.folded else literal, []).append(item)
        exact = sorted(
            {lit for item in self.formats if not item.folded for lit in item.literals}, key=len, reverse=True
        )
        folded = sorted({lit.lower() for item in self.formats if item.folded for lit in item.literals}, key=len)
        self._exact = re.compile(trie_pattern(exact)) if exact else None
        self._folded = re.compile(trie_pattern(folded), re.IGNORECASE) if folded else None
        # a literal found selects the formats of every literal that may hide in or under it: one inside it, or
        # one that begins inside it and goes on past it (the search resumes after it and cannot see those)
        self._selects: dict[tuple[bool, str], list[_Format]] = {
            (fold, key): [item for other in keys if _may_hide(key, other) for item in self._by_literal[other]]
            for fold, keys in ((False, exact), (True, folded))
            for key in keys
        }

    def __add__(self, other: FormatSet) -> FormatSet:
        return FormatSet((item.kind, item.source) for item in self.formats + other.formats)

    @property
    def hex_bodied(self) -> FormatSet:
        """The formats with a fixed, case-sensitive literal whose secret part may be hex alone (`key-` and 32
        hex): the quick look at a body passes hex runs over (digests, ids), so these are searched for by their
        literal. (A format matched in any case names its secret by a word, which the quick look's assignments
        see.)"""
        if self._hex_bodied is None:
            chosen = [
                (item.kind, item.source)
                for item in self.formats
                if item.literals
                and not item.folded
                and _HEX_CLASS.search(item.source if isinstance(item.source, str) else item.source.pattern)
            ]
            self._hex_bodied = FormatSet(chosen)
        return self._hex_bodied

    def without(self, kinds: Iterable[str]) -> FormatSet:
        """These formats but the named kinds."""
        dropped = set(kinds)
        return FormatSet((item.kind, item.source) for item in self.formats if item.kind not in dropped)

    def candidates(self, text: str, *, literal_only: bool = False) -> list[_Format]:
        """The formats that may match this text: those whose literal occurs in it, and (unless `literal_only`)
        those without one."""
        chosen: dict[int, _Format] = {}
        for trigger, fold in ((self._exact, False), (self._folded, True)):
            for literal in set(trigger.findall(text)) if trigger is not None else ():
                for item in self._selects.get((fold, _ascii_folded(literal) if fold else literal), ()):
                    chosen[id(item)] = item
        always = (
            self._always if not literal_only and _RUN.search(text) else ()
        )  # each format without a literal needs a long run
        return sorted([*always, *chosen.values()], key=lambda item: item.order)

    def iter_matches(self, text: str, *, literal_only: bool = False) -> Iterator[FormatMatch]:
        """Every credential format in a text (documented examples and public keys left out); with `literal_only`
        only the formats that have a literal (the others need a random run, which a caller finds itself).

        A long ASCII text is searched near each format's anchors (`_searches`); a short one, where a pass per
        anchor costs more than it saves, by each chosen format's regex over the whole text."""
        if len(text) >= NEAR_SEARCH_FROM and text.isascii():
            chosen = self._searches(text, self.literal_hits(text), literal_only=literal_only)
        else:
            chosen = ((item, None) for item in self.candidates(text, literal_only=literal_only))
        for item, search in chosen:
            for found in _finditer(item, text, search):
                match = _secret_span(item, found)
                if match is not None:
                    yield match

    def literal_hits(self, text: str) -> dict[bool, dict[tuple[str, str], list[int]]]:
        """Where each format's literal occurs in an ASCII text with what must follow it, in one pass for the
        literals compared exactly (False) and one over the lower-cased text for the others (True)."""
        exact, folded = self._finders()
        return {False: exact.find(text) if exact else {}, True: folded.find(text.lower()) if folded else {}}

    def _searches(
        self, text: str, found: dict[bool, dict[tuple[str, str], list[int]]], *, literal_only: bool
    ) -> Iterator[tuple[_Format, Callable[[int], re.Match[str] | None] | None]]:
        """The formats that may match an ASCII text, in order, each with its search held to where its literal
        (`found`, from `literal_hits`) or anchor occurs (None: the whole text, for a format whose matches cannot
        be bounded)."""
        backwards = ""  # the text reversed, made once for the formats that start where a run starts
        for item in self.formats:
            if item.literals:
                lists = [found[item.folded][entry] for entry in item.entries if entry in found[item.folded]]
                if not lists:
                    continue
                positions = lists[0] if len(lists) == 1 else sorted(chain.from_iterable(lists))
            elif literal_only:
                continue
            elif item.plan is not None and item.plan.anchor is not None:
                positions = [found.start() for found in item.plan.anchor.finditer(text)]
                if not positions:
                    continue
            else:
                yield item, None
                continue
            if item.plan is None or not item.plan.is_usable:
                yield item, None
            elif item.plan.run is not None:
                backwards = backwards or text[::-1]
                yield item, NearSearch(item.regex, text, run_starts(positions, item.plan, backwards), item.plan)
            else:
                yield item, NearSearch(item.regex, text, start_ranges(positions, item.plan), item.plan)

    def _finders(self) -> tuple[LiteralFinder | None, LiteralFinder | None]:
        """One finder for the literals compared exactly, one for those compared in lower case."""
        if self._literal_finders is None:
            exact = {entry for item in self.formats if not item.folded for entry in item.entries}
            folded = {entry for item in self.formats if item.folded for entry in item.entries}
            self._literal_finders = (
                LiteralFinder(exact) if exact else None,
                LiteralFinder(folded, scanned_above=WORD_SCANNED_ABOVE) if folded else None,
            )
        return self._literal_finders


def _may_hide(found: str, other: str) -> bool:
    """True when `other` may occur in or under an occurrence of `found`: inside it, or beginning in it and
    going on past it."""
    return other in found or any(other.startswith(found[index:]) for index in range(1, len(found)))


def _ascii_folded(found: str) -> str:
    """A literal found ignoring case, as its lower-case ASCII spelling (the engine also matches `ſ` to `s` and
    the Kelvin sign to `k`)."""
    return found.lower() if found.isascii() else "".join(map(_ascii_letter, found))


@lru_cache(maxsize=256)
def _ascii_letter(char: str) -> str:
    if char.isascii():
        return char.lower()
    return next((letter for letter in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(letter, char, re.I)), char)


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of the words, written as a trie (`g(?:h[pousr]_|l(?:pat-|dt-))`): the regex engine
    then tries one branch per character instead of every word at every position."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, Any]) -> str:
    ends = "" in node
    branches = [re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:  # a word ends here; the longer words are tried first
        return "(?:" + body + ")?"
    return body


def _compile(kind: str, pattern: str | re.Pattern[str]) -> _Format:
    source, flags = (pattern.pattern, pattern.flags) if isinstance(pattern, re.Pattern) else (pattern, 0)
    bounded = source.startswith(S)
    if bounded:
        source = source[len(S) :]
    regex = re.compile(source, flags)
    literals, literal_at, literal_end = _literal_sets(source, flags & ~re.UNICODE)
    folded = bool(regex.flags & re.IGNORECASE) or "(?i" in source
    strong = literals is not None and min(map(len, literals)) >= 4  # short literals only filter
    plan = plan_for(source, flags, tuple(literals or ()), (literal_at, literal_end), folded=folded)
    weak = not strong and kind != "prefixed-token"
    return _Format(kind, pattern, regex, bounded, weak, tuple(literals or ()), folded, plan)


def _finditer(
    item: _Format, text: str, search: Callable[[int], re.Match[str] | None] | None = None
) -> Iterator[re.Match[str]]:
    """A format's matches in a text: its regex's `finditer`, through `search` (the regex's own `search` held to
    where matches can start) when given, and only at a token boundary for a bounded format."""
    if search is None and not item.bounded:
        yield from item.regex.finditer(text)
        return
    if search is None:
        search = partial(item.regex.search, text)
    position = 0
    while (found := search(position)) is not None:
        if not item.bounded or _at_boundary(text, found.start()):
            yield found
            position = max(found.end(), found.start() + 1)
        else:
            position = found.start() + 1


def _at_boundary(text: str, start: int) -> bool:
    if start >= 2 and text[start - 2] == "\\" and text[start - 1] in "nrt":
        return True  # after an escaped newline or tab inside a JSON string
    return start == 0 or not (text[start - 1].isascii() and (text[start - 1].isalnum() or text[start - 1] == "_"))


def _secret_span(item: _Format, found: re.Match[str]) -> FormatMatch | None:
    groups = item.regex.groupindex
    if "v" in groups:
        start, end = found.span("v")
    elif item.regex.groups and found.lastindex and "p" not in groups and found.end() - found.end(found.lastindex) <= 1:
        start, end = found.span(found.lastindex)  # a keyword-context format: the group is the value after the name
    else:
        start, end = found.span()
    value = found.string[start:end]
    if end <= start or value in DOCUMENTED_EXAMPLES or _PUBLIC_LEAD.search(found.string, max(0, start - 16), start):
        return None
    if item.kind == "prefixed-token" and not _is_vendor_token(found["p"], found["r"]):
        return None
    if item.weak and not _random_part(value):
        return None
    if item.kind in _SCHEME_KINDS and not _is_scheme_token(item.kind, value):
        return None
    return FormatMatch(item.kind, start, end)


# a scheme word before prose is no credential: `Authorization: the value looks like ...`, `basic authentication`
_SCHEME_KINDS = frozenset({"authorization", "bearer", "basic-credentials"})


@lru_cache(maxsize=1024)  # a report or a body repeats its tokens
def _is_scheme_token(kind: str, value: str) -> bool:
    """What follows a scheme word is a credential when it is one: Basic credentials decode to `user:password`;
    any other token mixes letters and digits in a run, or is random."""
    if kind == "basic-credentials":
        try:
            decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
        except (binascii.Error, ValueError):
            return False
        return b":" in decoded
    return any(re.search(r"[0-9]", run) and re.search(r"[A-Za-z]", run) for run in _RUN.findall(value)) or (
        _random_part(value)
    )


# a digest's algorithm before it: `sha512-...` (subresource integrity), `sha-256=...`, `md5-...`
_DIGEST_PREFIX = re.compile(r"(?i)(?:sha-?\d*|md5|crc32c?|blake2[bs]?|xxh\d*)[_.-]")
# prefix words that name a credential: with one of them, a shorter random part is enough (`sm_pat_...`)
_CREDENTIAL_PREFIX_WORDS = frozenset({"pat", "key", "token", "secret", "sk", "api", "pw", "auth", "pass"})


@lru_cache(maxsize=1024)  # a report or a body repeats its tokens
def _is_vendor_token(prefix: str, rest: str) -> bool:
    """A prefixed token is a secret when its prefix does not call it public and its random part is random: 20
    characters or more (16 under a credential word such as `pat`), judged as hex when it is hex."""
    words = {word.lower() for word in _PREFIX_WORD.findall(prefix)}
    if words & _PUBLIC_PREFIX_WORDS or _DIGEST_PREFIX.match(prefix):
        return False
    shortest = 16 if words & _CREDENTIAL_PREFIX_WORDS else 20
    runs = [run for run in re.split(r"[._-]", rest) if run]
    longest = max(runs, key=len, default="")
    if len(rest) < shortest or len(longest) < 12:
        return False
    return _random_part(rest) or (looks_random(longest, min_length=12) and shannon_entropy(rest) >= 3.8)
