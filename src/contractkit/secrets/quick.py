"""A quick look at a whole JSON or XML body: which of its string values can hold anything to scrub.

Judging every value of a body one by one costs microseconds each, and recorded traffic has tens of thousands
of values per megabyte. Almost all of them are plainly data, and one pass over the body's bytes tells which are
not, with C-speed searches only (a byte translation, then substring searches):

- a value holding a token run (16 or more token characters, 40 with `/`) that looks random and is not hex:
  every credential format and every random secret has one (hex is how digests and ids are written; a hex
  credential is known by its name, its format's literal or as a credential of the run);
- a URL with a query, a fragment or userinfo;

and when the body holds anything that needs the full walk instead (an escape, a percent-escape or character
reference, CDATA, an assignment to a secret name inside a value, a credential of the run), the answer is None.
The walk then judges only the values found here and trusts the rest, so the verdicts are those of the full walk.

A recording meets the same URLs, names and ids again and again: the verdict on each token run is remembered
(bounded, `clear_memo` forgets it), and a run that is a slug or a path of slugs, most of them, is passed over by
one bytes regex before anything else is computed.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from contractkit.core.loading import parse_json_value
from contractkit.secrets.formats import is_random_run, is_slug, shannon_entropy

__all__ = ["clear_memo", "has_hex_bodied_literal", "hex_run_starts", "is_plain_value", "suspect_values"]

_RUN_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+_=~-")
_NAME_END = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
# token characters -> `a`, `/` -> `/`, the rest -> space
_RUNS = bytes(97 if code in _RUN_CHARS else 47 if code == 47 else 32 for code in range(256))
# name characters but `.` and `-` -> `a`, `:`, `=` and `/` kept, quotes -> `"`, the rest -> space (`/` is kept so
# that a URL's scheme, `https://`, is not read as `https: `; the walk reads a colon as an assignment only before a
# space or a quote)
_NAMES = bytes(
    97 if code in _NAME_END or 48 <= code <= 57 else code if code in b":=/" else 34 if code in b"\"'" else 32
    for code in range(256)
)
# in JSON text quotes too -> space: inside a JSON string a quote is escaped (`\\"` -> two spaces), and a string's
# closing quote after a colon leaves nothing to assign
_JSON_NAMES = _NAMES.replace(b'"', b" ")
# the marks of an assignment (see `_secret_assignments`): `name=`, `name: `, `name:"`, and in XML text `name"=`,
# `name": `, `name":"` too (a colon without a space is a scheme, an ARN or a time, not an assignment)
# name characters (letters, digits, `_`, `.`, `-`) -> `a`, the rest -> space
_WORDS = bytes(97 if code in _NAME_END or code in b"0123456789.-" else 32 for code in range(256))
_SHORT, _LONG = b"a" * 16, b"a" * 40
_HEX = re.compile(rb"[0-9a-fA-F]+")
_SPECIAL = re.compile(rb"%[0-9A-Fa-f]{2}|&#?[A-Za-z0-9]+;|<!\[CDATA\[")


def suspect_values(
    text: str,
    is_secret_name: Callable[[str], bool],
    literal_spans: Callable[[str, bytes], Iterable[tuple[int, int]]],
) -> frozenset[str] | None:
    """The string values of a JSON or XML text that may hold a secret (decoded, as the walk sees them), or None
    when the text needs a full walk (CDATA)."""
    data = text.encode("utf-8", "surrogatepass")
    if b"<![CDATA[" in data:
        return None
    spans = list(literal_spans(text, data))
    if b"%" in data or b"&" in data:
        spans += [found.span() for found in _SPECIAL.finditer(data)]
    spans += _secret_assignments(data, is_secret_name, quoted=not text.lstrip().startswith(("{", "[")))
    spans += _random_runs(data)
    spans += _urls(data)
    if text.lstrip().startswith(("{", "[")):  # a document inside a JSON string: its names are judged by the walk
        spans += _starts(data)
    enclosing = _json_string if text.lstrip().startswith(("{", "[")) else _xml_text
    return frozenset(enclosing(data, start, end) for start, end in spans)


_SPECIAL_TEXT = re.compile(r"%[0-9A-Fa-f]{2}|&#?[A-Za-z0-9]+;|<!\[CDATA\[")
_RUN_TEXT = re.compile(r"[A-Za-z0-9+_=~-]{16,}|[A-Za-z0-9+/=]{40,}")
_HEX_TEXT = re.compile(r"[0-9a-fA-F]+")
_ASSIGNED = re.compile(r"([A-Za-z_][\w.-]*)[\"']?(?:=|:(?=[ \"']))")


def is_plain_value(value: str, is_secret_name: Callable[[str], bool], has_literal: Callable[[str], bool]) -> bool:
    """True when one string value (not a document) cannot hold anything to scrub: the test of `suspect_values`
    for a short text, in a few searches."""
    if "\\" in value or has_literal(value):
        return False
    if ("%" in value or "&" in value or "<!" in value) and _SPECIAL_TEXT.search(value):
        return False
    if "://" in value and ("?" in value or "#" in value or "@" in value):
        return False
    if any(not _HEX_TEXT.fullmatch(run) and is_random_run(run) for run in _RUN_TEXT.findall(value)):
        return False
    if ("=" in value or ":" in value) and any(is_secret_name(name) for name in _ASSIGNED.findall(value)):
        return False
    return True


def hex_run_starts(text: str) -> list[int] | None:
    """Where each run of 16 or more hex digits of a text starts (the index of its first digit), in a byte
    translation and substring searches; None for a text that is not ASCII (byte and character indexes differ)."""
    if not text.isascii():
        return None
    mapped = text.encode("ascii").translate(_HEX_BYTES)
    starts = []
    position = mapped.find(_SHORT)
    while position >= 0:
        starts.append(position)
        end = mapped.find(b" ", position)
        position = mapped.find(_SHORT, end) if end >= 0 else -1
    return starts


_HEX_BYTES = bytes(97 if code in b"0123456789abcdefABCDEF" else 32 for code in range(256))  # hex digit -> `a`


def has_hex_bodied_literal(text: str, adjacent: Iterable[str], others: Iterable[str]) -> bool | None:
    """Whether a text holds a run of 16 or more hex digits and a literal of the formats whose body may be hex
    alone: one of `adjacent` (a literal that its hex body follows at once) right before a run, or one of
    `others` anywhere. The literals of `adjacent` are looked for only where runs start, not in the whole text
    (substring searches of short literals cost more than the runs). None for a text that is not ASCII."""
    starts = hex_run_starts(text)
    if starts is None or not starts:
        return None if starts is None else False
    if any(literal in text for literal in others):
        return True
    return any(text.endswith(literal, 0, start) for start in starts for literal in adjacent)


def _random_runs(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of every token run that looks random and is not hex (nor a JSON key)."""
    mapped = data.translate(_RUNS)
    spans = _runs(data, mapped, _SHORT, slash=False)
    if b"/" in data:  # runs with `/` (base64) count from 40 characters
        spans += _runs(data, mapped.replace(b"/", b"a"), _LONG, slash=True)
    return spans


def _runs(data: bytes, mapped: bytes, needle: bytes, *, slash: bool) -> list[tuple[int, int]]:
    spans = []
    verdicts = _RUN_VERDICTS[slash]
    find, slug = mapped.find, _SLUG.fullmatch
    position = find(needle)
    while position >= 0:
        end = find(b" ", position)
        end = len(mapped) if end < 0 else end
        if slug(data, position, end) is None:  # a slug, or a path of them, is never random: most runs of a body are
            chunk = data[position:end]
            verdict = verdicts.get(chunk)
            if verdict is None:
                verdict = _remember(verdicts, chunk, _is_random_chunk(chunk, slash=slash))
            if verdict and not data.startswith(b'":', end):  # a JSON key is a name, judged by the walk
                spans.append((position, end))
        position = find(needle, end)
    return spans


# `formats.is_slug` on the bytes of a run (its characters are ASCII): words and numbers joined by `-`, `_`, `.`, `/`
_SLUG = re.compile(rb"(?:[a-z]+|[A-Z][a-z]*|[A-Z]+|[0-9]+)(?:[-_./](?:[a-z]+|[A-Z][a-z]*|[A-Z]+|[0-9]+))*")
# the verdict on each run met (without and with `/`): a recording meets the same URLs, names and ids again and again
_RUN_VERDICTS: tuple[dict[bytes, bool], dict[bytes, bool]] = ({}, {})
_MEMO_SIZE = 1 << 16


def _remember(verdicts: dict[bytes, bool], chunk: bytes, verdict: bool) -> bool:
    if len(verdicts) >= _MEMO_SIZE:  # bounded: a long recording of ever new values starts afresh
        verdicts.clear()
    verdicts[chunk] = verdict
    return verdict


def clear_memo() -> None:
    """Forget the verdicts remembered on runs (a benchmark measures each pass as meeting its values anew)."""
    for verdicts in _RUN_VERDICTS:
        verdicts.clear()


def _is_random_chunk(chunk: bytes, *, slash: bool) -> bool:
    """True for a run that is random: not hex, not a slug or a path of words; with `/` as random as base64 of
    random bytes (4.5 bits a character and more)."""
    if (slash and b"/" not in chunk) or _HEX.fullmatch(chunk):
        return False
    run = chunk.decode("utf-8", "replace")
    if is_slug(run) or (slash and shannon_entropy(run) < 4.5):
        return False
    return is_random_run(run)


def _secret_assignments(data: bytes, is_secret_name: Callable[[str], bool], *, quoted: bool) -> list[tuple[int, int]]:
    """Where a value assigns to a secret name: `password=...`, `token: ...`. In JSON a key's colon follows its
    closing quote, so only assignments inside values are read (a quoted name inside a value is escaped there:
    `password\\"=...`); in XML text a quoted name counts too."""
    mapped = data.translate(_NAMES if quoted else _JSON_NAMES)
    colons = (b"a: ", b'a:"', b'a": ', b'a":"') if quoted else (b"a: ",)
    ends = _after(mapped, b"=", (b"a",) if not quoted else (b"a", b'a"'))
    ends += [position for mark in colons for position in _finds(mapped, mark, 0)]
    if not quoted:  # the name's last character is before the escaped or single quote
        marks = [mark for mark in _JSON_QUOTED_MARKS if mark[:1] in data]  # one-byte tests are fast: most have none
        ends += [position - 1 for mark in marks for position in _finds(data, mark, 1)]
    if not ends:
        return []
    words = data.translate(_WORDS)
    verdicts: dict[bytes, bool] = {}
    spans = []
    for position in ends:
        start = words.rfind(b" ", max(0, position - 64), position) + 1
        name = data[start : position + 1]
        if name not in verdicts:
            verdicts[name] = is_secret_name(name.decode("utf-8", "replace"))
        if verdicts[name]:
            spans.append((start, position + 1))
    return spans


# a quoted name inside a JSON string: `password\\"=`, `password\\": `, `password'=`, `password': `
_JSON_QUOTED_MARKS = (b'\\"=', b'\\":', b"'=", b"':")


def _after(mapped: bytes, mark: bytes, leads: tuple[bytes, ...]) -> list[int]:
    """Positions of `lead + mark` for each lead, found from the mark, a rare byte (`=`): a search for `a=` is
    slow, as its first byte is everywhere in a body."""
    found = []
    position = mapped.find(mark)
    while position >= 0:
        found += [position - len(lead) for lead in leads if mapped.endswith(lead, 0, position)]
        position = mapped.find(mark, position + 1)
    return found


def _finds(data: bytes, needle: bytes, start: int) -> list[int]:
    """Every position of a needle in data from `start` on (not overlapping)."""
    found = []
    position = data.find(needle, start)
    while position >= 0:
        found.append(position)
        position = data.find(needle, position + len(needle))
    return found


def _starts(data: bytes) -> list[tuple[int, int]]:
    """Where a string starts with `{`, `[` or `<` (a document inside it), found in one search."""
    if b"{" not in data and b"[" not in data and b"<" not in data:
        return []
    return [(found.start() + 1, found.start() + 2) for found in _DOCUMENT_START.finditer(data)]


_DOCUMENT_START = re.compile(rb'"[{\[<]')


def _urls(data: bytes) -> list[tuple[int, int]]:
    """Where a URL with a query, a fragment or userinfo is: from its scheme's `://` to its end (a space, a quote or
    a bracket). Found from the marks, which are few, rather than from the URLs, which are many."""
    spans: list[tuple[int, int]] = []
    mapped = None
    for mark in (b"?", b"#", b"@"):
        position = data.find(mark)
        while position >= 0:
            if mapped is None:
                mapped = data.translate(_URL_ENDS)
            start = mapped.rfind(b" ", 0, position) + 1
            stop = mapped.find(b" ", position)
            stop = len(data) if stop < 0 else stop
            scheme = data.find(b"://", start, position)
            if scheme >= 0:
                spans.append((scheme, stop))
            position = data.find(mark, stop)
    return spans


# what ends a URL (white space, a quote, a bracket) -> space, the rest -> `a`
_URL_ENDS = bytes(32 if code in b" \t\n\r\x0b\x0c\"'<>" else 97 for code in range(256))


def _json_string(data: bytes, start: int, end: int) -> str:
    """The JSON string around a span, decoded (its quotes are the nearest ones not escaped)."""
    left = _quote(data, start, backwards=True)
    right = _quote(data, end, backwards=False)
    raw = data[left + 1 : right]
    if b"\\" in raw:
        try:
            decoded = parse_json_value(b'"' + raw + b'"')
        except ValueError:
            return raw.decode("utf-8", "replace")
        return decoded if isinstance(decoded, str) else raw.decode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def _quote(data: bytes, position: int, *, backwards: bool) -> int:
    """The nearest unescaped quote before (or from) a position."""
    while True:
        position = data.rfind(b'"', 0, position) if backwards else data.find(b'"', position)
        if position < 0:
            return -1 if backwards else len(data)
        escapes, before = 0, position - 1
        while before >= 0 and data[before] == 92:  # a backslash
            escapes, before = escapes + 1, before - 1
        if escapes % 2 == 0:
            return position
        position = position if backwards else position + 1


def _xml_text(data: bytes, start: int, end: int) -> str:
    """The XML text or attribute value around a span (tags or quotes bound it), as written."""
    left = max(data.rfind(b'"', 0, start), data.rfind(b">", 0, start))
    right = min((found for found in (data.find(b'"', end), data.find(b"<", end)) if found >= 0), default=len(data))
    return data[left + 1 : right].decode("utf-8", "replace")
