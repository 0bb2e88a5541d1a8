"""What scrubbing redacts: secret header, query and field names, value formats, a run's literal credentials, the
provider's allow-list of fields to keep, and what the provider's description says about its fields.

One `ScrubRules` value is built per provider and run (`rules_for_provider`) and used by the recorder, the scanner
and the contract-file check alike, so they give the same verdicts.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Mapping

from contractkit.secrets.description import DescriptionHints
from contractkit.secrets.detector import (
    Detector,
    default_formats,
    is_credential_param,
    is_secret_by_shape,
    is_secret_name,
)
from contractkit.secrets.formats import FormatSet, trie_pattern

# characters that few bodies hold and that the encoded forms of a credential do (UTF-16 and UTF-32, character
# references, percent-encoding, escapes): one search for the character stands for the searches of all its forms
_RARE_CHARACTERS = ("\x00", "&", "%", "\\")


def _by_rare_character(forms: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Forms grouped by the first rare character each holds ("" for none): a text without the character holds
    none of its group."""
    groups: dict[str, list[str]] = {}
    for form in forms:
        groups.setdefault(next((mark for mark in _RARE_CHARACTERS if mark in form), ""), []).append(form)
    return tuple((mark, tuple(group)) for mark, group in groups.items())


def _shared_prefixes(literals: list[str]) -> tuple[str, ...]:
    """Literals to search for, those that share a prefix of 8 characters or more merged into it (one search for
    `PuTTY-User-Key-File-`, not one for each version): a text holding none of the result holds none of them."""
    merged: list[str] = []
    for literal in sorted(literals):
        shared = os.path.commonprefix([merged[-1], literal]) if merged else ""
        if len(shared) >= 8:
            merged[-1] = shared
        else:
            merged.append(literal)
    return tuple(merged)


# a format that is a literal (ending in a character that is not a hex digit) and then a fixed count of hex digits
_LITERAL_THEN_HEX = re.compile(r"(?P<literal>[A-Za-z_-]*[G-Zg-z_-])\[0-9a-f\]\{(?P<count>[0-9]+)\}\\b")

__all__ = ["KEEP_PATH", "PLACEHOLDER", "SECRET_HEADERS", "SECRET_QUERY", "ScrubRules", "field_key", "placeholder"]

PLACEHOLDER = "<scrubbed:{}>"
# an allow-list entry that is a JSON path: `$.data[*].id`, `$.items[0].sha`, `$..publishable_key`
KEEP_PATH = re.compile(r"\$(?:\.\.?[A-Za-z_][\w-]*|\[(?:\*|\d+)\])+")

# headers scrubbed whole beyond the ones `is_secret_name` recognises (signing inputs that change every run)
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api-key",
        "apikey",
        "x-auth-token",
        "x-access-token",
        "private-token",
        "x-csrf-token",
        "x-xsrf-token",
        "x-amz-security-token",
        "x-amz-date",
        "x-amz-content-sha256",
        "x-grafana-org-token",
        "x-slack-signature",
        "x-hub-signature",
        "x-hub-signature-256",
        "x-atlassian-token",
    }
)
SECRET_QUERY = frozenset(
    {"sig", "x-amz-signature", "x-amz-credential", "x-amz-security-token", "x-amz-date", "state_token", "ticket"}
)  # `code` is secret only when it looks like one: is_secret_by_shape
_COOKIE_HEADERS = frozenset({"cookie", "set-cookie", "set-cookie2"})


@dataclass(frozen=True, slots=True)
class ScrubRules:
    """What to redact: extra header, query and field names, value formats, literal secret values, the fields to
    keep (the registry's allow-list) and the description's hints."""

    headers: frozenset[str] = SECRET_HEADERS
    query: frozenset[str] = SECRET_QUERY
    fields: frozenset[str] = frozenset()
    patterns: FormatSet = field(default_factory=default_formats)
    literals: tuple[tuple[str, str], ...] = ()  # (name, value): the credentials a run uses, wherever they appear
    keep: frozenset[str] = frozenset()  # field names (compared by field_key) or JSON paths (`$.data[*].id`)
    hints: DescriptionHints = field(default_factory=DescriptionHints)
    # the kinds of the patterns the registry added: no quick look knows their shapes, so they are searched as such
    custom_patterns: frozenset[str] = frozenset()
    _memo: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def extended(
        self,
        *,
        headers: Iterable[str] = (),
        query: Iterable[str] = (),
        fields: Iterable[str] = (),
        patterns: Iterable[tuple[str, str]] = (),
        literals: Mapping[str, str] | None = None,
        keep: Iterable[str] = (),
        hints: DescriptionHints | None = None,
    ) -> ScrubRules:
        """These rules plus more names, patterns, literal values, kept fields and description hints."""
        extra_literals = tuple((name, value) for name, value in (literals or {}).items() if len(value) >= 4)
        extra_patterns = list(patterns)
        return ScrubRules(
            headers=self.headers | {name.lower() for name in headers},
            query=self.query | {name.lower() for name in query},
            fields=self.fields | {field_key(name) for name in fields},
            patterns=self.patterns + FormatSet(extra_patterns) if extra_patterns else self.patterns,
            literals=tuple(sorted(set(self.literals + extra_literals), key=lambda item: (-len(item[1]), item[0]))),
            keep=self.keep | {_keep_key(item) for item in keep},
            hints=self.hints.merged(hints) if hints is not None else self.hints,
            custom_patterns=self.custom_patterns | {kind for kind, _ in extra_patterns},
        )

    @property
    def detector(self) -> Detector:
        """The value detector of these rules: formats and literals."""
        return _detector(self.patterns, self.literals)

    @property
    def gate(self) -> re.Pattern[str]:
        """A quick test of whether a value may hold anything to scrub (see `needs_judging`)."""
        if "gate" not in self._memo:
            self._memo["gate"] = _gate(self.patterns, self.literals)
        return self._memo["gate"]

    def needs_judging(self, value: str) -> bool:
        """False when a value cannot hold a secret: no format's literal, no credential of the run, no encoded
        layer, no assignment and no token run but hex ones (digests and ids: a hex credential is known by its
        name or format)."""
        for found in self.gate.finditer(value):
            if found.lastgroup != "run" or not _HEX.fullmatch(found[0]):
                return True
        return self.matches_custom(value)

    def matches_custom(self, value: str) -> bool:
        """True when one of the registry's own patterns matches a value."""
        return bool(self.custom_patterns) and any(regex.search(value) for regex in self._custom_regexes())

    def _custom_regexes(self) -> list[re.Pattern[str]]:
        if "custom" not in self._memo:
            chosen = [item.regex for item in self.patterns.formats if item.kind in self.custom_patterns]
            self._memo["custom"] = chosen
        return self._memo["custom"]

    def literal_spans(self, text: str, data: bytes) -> list[tuple[int, int]]:
        """Where the run's credentials occur in a whole body (see Detector.literal_spans). A few credentials' forms
        are first looked for by substring search, each a fast skip through the text: a body that holds none of
        them, nearly every body, needs no regex pass."""
        if "literal forms" not in self._memo:
            forms = sorted({value for _, value in self.literals}, key=len, reverse=True)
            self._memo["literal forms"] = _by_rare_character(forms) if len(forms) <= _FEW_FORMS else None
        groups = self._memo["literal forms"]
        if groups is not None and not any(
            (not mark or mark in text) and any(form in text for form in forms) for mark, forms in groups
        ):
            return []
        return self.detector.literal_spans(text, data)

    def hex_bodied_literals(self) -> tuple[str, ...]:
        """The fixed literals of the formats whose secret part may be hex alone (`key-`, `SK`): every match of
        one of them holds one of these."""
        if "hex literals" not in self._memo:
            formats = self.detector.formats.hex_bodied.formats
            self._memo["hex literals"] = tuple(sorted({literal for item in formats for literal in item.literals}))
        return self._memo["hex literals"]

    def hex_bodied_literals_by_place(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The literals of `hex_bodied_literals` in two groups: those whose format is the literal and then 16 or
        more hex digits at once (`SK` and 32 hex; the literal ends in a letter that is not hex), so that every match
        starts a run of hex digits right after the literal, and the others."""
        if "hex literals by place" not in self._memo:
            adjacent = set()
            for item in self.detector.formats.hex_bodied.formats:
                found = _LITERAL_THEN_HEX.fullmatch(item.regex.pattern)
                exact = not item.folded and not item.regex.flags & re.IGNORECASE
                if exact and found and found["literal"] in item.literals and int(found["count"]) >= 16:
                    adjacent.add(found["literal"])
            others = _shared_prefixes([literal for literal in self.hex_bodied_literals() if literal not in adjacent])
            self._memo["hex literals by place"] = (tuple(sorted(adjacent)), others)
        return self._memo["hex literals by place"]

    def clean_values(self, assignments: bool) -> dict[str, bool]:
        """The values already judged clean in this run (by whether `name=value` assignments in text counted): a
        recording meets the same URLs and ids again and again, and each is judged once. Bounded: when full, it
        starts afresh."""
        memo = self._memo.setdefault(("clean", assignments), {})
        if len(memo) >= _CLEAN_MEMO_SIZE:
            memo.clear()
        return memo

    def forget(self) -> None:
        """Forget every verdict remembered by these rules (a benchmark measures each pass as a first meeting)."""
        self._memo.clear()

    def field_verdict(self, name: str) -> str:
        """What a field's name says, whatever its value: `kept`, `secret`, `shape` (the value decides, as under
        `code`), `unexplained` (the description documents no such field) or `plain`."""
        memo = self._memo.setdefault("fields", {})
        if name not in memo:
            memo[name] = self._verdict(name)
        return memo[name]

    def _verdict(self, name: str) -> str:
        key = field_key(name)
        if key in self.keep:
            return "kept"
        if self.is_secret_field(name):
            return "secret"
        if is_secret_by_shape(name, "a1" * 8):
            return "shape"
        return "unexplained" if self.hints.is_unexplained(name) else "plain"

    def is_secret_field(self, name: str, value: str = "") -> bool:
        """True when a JSON, XML, form field or cookie of this name holds a secret; under a name such as `code`
        only a credential-shaped value does (an OAuth code, not `NOT_FOUND` or a finding code `CK612`)."""
        key = field_key(name)
        if key in self.keep:
            return False
        return (
            key in self.fields
            or self.hints.is_secret(name)
            or _is_secret_name(name)
            or name.lower() in self.headers
            or name.lower() in self.query
            or is_secret_by_shape(name, value)
        )

    def is_kept(self, name: str, path: str = "") -> bool:
        """True when the registry's allow-list keeps this field (by name, or by its JSON path)."""
        return bool(self.keep) and (field_key(name) in self.keep or (bool(path) and _path_kept(path, self.keep)))

    def is_secret_header(self, name: str) -> bool:
        """True when a header's whole value is a secret."""
        lowered = name.lower()
        if lowered in _COOKIE_HEADERS:
            return False
        return lowered in self.headers or self.is_secret_field(name) or _is_credential_param(name)

    def is_secret_query(self, name: str, value: str = "") -> bool:
        """True when a query, fragment or form parameter of this name (with this value) holds a secret."""
        if not value:
            memo = self._memo.setdefault("query", {})
            if name not in memo:
                memo[name] = self._is_secret_query(name, "")
            return memo[name]
        return self._is_secret_query(name, value)

    def _is_secret_query(self, name: str, value: str) -> bool:
        return (
            name.lower() in self.query
            or self.is_secret_field(name, value)
            or (_is_credential_param(name) and field_key(name) not in self.keep)
        )


_CLEAN_MEMO_SIZE = 1 << 16
# up to this many forms of the run's credentials, substring searches beat the one regex of them all
_FEW_FORMS = 24


@lru_cache(maxsize=4096)
def _is_secret_name(name: str) -> bool:
    return is_secret_name(name)


@lru_cache(maxsize=4096)
def _is_credential_param(name: str) -> bool:
    return is_credential_param(name)


@lru_cache(maxsize=64)
def _detector(patterns: FormatSet, literals: tuple[tuple[str, str], ...]) -> Detector:
    return Detector(patterns, literals)


_HEX = re.compile(r"[0-9a-fA-F]+")
_ATTENTION = (
    r"(?P<run>[A-Za-z0-9+/_=~-]{16,})"  # a token, a base64 blob
    r"|%[0-9A-Fa-f]{2}|&#?[A-Za-z0-9]+;|\\|@|<!\[CDATA\["  # encodings, userinfo
    r"|[A-Za-z_][\w.-]*[A-Za-z_][\"']?\s*[:=](?!//)\s*\S"  # an assignment, not a URL's scheme
    r"|^\s*[{\[]"  # a document inside
)


@lru_cache(maxsize=64)
def _gate(patterns: FormatSet, literals: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    # every format needs a token run of 16 characters or a name (an assignment), so its literals add nothing here
    values = [value for _, value in literals]
    return re.compile(_ATTENTION + ("|" + trie_pattern(values) if values else ""))


def _keep_key(item: str) -> str:
    return item if item.startswith("$") else field_key(item)


def _path_kept(path: str, keep: frozenset[str]) -> bool:
    """True when a JSON path (`$.data[3].id`) is kept by an allow-list path (`$.data[*].id`, `$..id`)."""
    generic = re.sub(r"\[\d+\]", "[*]", path)
    if path in keep or generic in keep:
        return True
    return any(item.startswith("$..") and generic.endswith("." + item[3:]) for item in keep)


def field_key(name: str) -> str:
    """A field name as compared: lower-cased, without `_` and `-`."""
    return name.lower().replace("_", "").replace("-", "")


def placeholder(name: str) -> str:
    """The stable placeholder for a secret called `name`."""
    return PLACEHOLDER.format(re.sub(r"[<>\s]", "_", name.lower()))
