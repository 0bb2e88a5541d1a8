"""The value formats Pact matchers check, as the Pact core reads them: Java-style date/time patterns
(`yyyy-MM-dd'T'HH:mm:ssXXX`, validated field by field: 2023-02-29 is not a date), semantic versions (strict
SemVer 2.0: no `v` prefix, no leading zeros) and the media type of raw bytes (magic numbers, then JSON, XML or
plain text), which the `contentType` matcher compares with the one the pact names.

    problem = datetime_problem("2024-02-30", "yyyy-MM-dd")  # "day 30 is not in month 2 of 2024"
"""

from __future__ import annotations

import calendar
import re
from functools import lru_cache

from contractkit.core.loading import parse_json_value

__all__ = ["DEFAULT_FORMATS", "datetime_problem", "detect_media_type", "is_semver", "media_matches", "sniff_text"]

DEFAULT_FORMATS = {
    "date": "yyyy-MM-dd",
    "time": "HH:mm:ss",
    "datetime": "yyyy-MM-dd'T'HH:mm:ssXXX",
    "timestamp": "yyyy-MM-dd'T'HH:mm:ssXXX",
}

_MONTHS = [name.lower() for name in calendar.month_name[1:]]
_DAYS = [name.lower() for name in calendar.day_name]
_Token = tuple[str, str]  # ("field", "yyyy") or ("text", "T")


@lru_cache(maxsize=256)
def _tokens(pattern: str) -> tuple[_Token, ...]:
    out: list[_Token] = []
    position = 0
    while position < len(pattern):
        char = pattern[position]
        if char == "'":
            if pattern.startswith("''", position):
                out.append(("text", "'"))
                position += 2
                continue
            end, text = position + 1, []
            while end < len(pattern):
                if pattern.startswith("''", end):
                    text.append("'")
                    end += 2
                elif pattern[end] == "'":
                    break
                else:
                    text.append(pattern[end])
                    end += 1
            out.append(("text", "".join(text)))
            position = end + 1
        elif char.isalpha():
            end = position
            while end < len(pattern) and pattern[end] == char:
                end += 1
            out.append(("field", pattern[position:end]))
            position = end
        else:
            out.append(("text", char))
            position += 1
    return tuple(out)


def _digits(text: str, position: int, low: int, high: int) -> tuple[int, int] | None:
    end = position
    while end < len(text) and end - position < high and text[end].isdigit():
        end += 1
    return (int(text[position:end]), end) if end - position >= low else None


def _word(text: str, position: int, names: list[str], short: bool) -> tuple[int, int] | None:
    for index, name in enumerate(names):
        candidate = name[:3] if short else name
        if text[position : position + len(candidate)].lower() == candidate:
            return index + 1, position + len(candidate)
    return None


_ZONE = {
    "X": re.compile(r"Z|[+-]\d{2}(?:\d{2})?"),
    "XX": re.compile(r"Z|[+-]\d{4}"),
    "XXX": re.compile(r"Z|[+-]\d{2}:\d{2}"),
    "x": re.compile(r"[+-]\d{2}(?:\d{2})?"),
    "xx": re.compile(r"[+-]\d{4}"),
    "xxx": re.compile(r"[+-]\d{2}:\d{2}"),
    "Z": re.compile(r"[+-]\d{4}"),
    "z": re.compile(r"[A-Za-z][A-Za-z0-9/_+-]*"),
    "V": re.compile(r"[A-Za-z][A-Za-z0-9/_+-]*"),
    "O": re.compile(r"GMT(?:[+-]\d{1,2}(?::\d{2})?)?"),
}
_NUMERIC = {
    "d": "day",
    "H": "hour",
    "k": "hour24",
    "K": "hour12",
    "h": "hour12",
    "m": "minute",
    "s": "second",
    "D": "dayofyear",
    "w": "week",
    "W": "week",
    "F": "week",
    "u": "weekday",
    "e": "weekday",
    "c": "weekday",
}
_BOUNDS = {
    "month": (1, 12),
    "day": (1, 31),
    "hour": (0, 23),
    "hour24": (1, 24),
    "hour12": (0, 12),
    "minute": (0, 59),
    "second": (0, 60),
    "dayofyear": (1, 366),
    "week": (0, 53),
    "weekday": (1, 7),
}


def _field(field: str, text: str, position: int, values: dict[str, int]) -> int | None:
    """Parse one pattern field at `position`; the new position, or None."""
    letter, width = field[0], len(field)
    if letter in "yY":
        parsed = _digits(text, position, 2 if width == 2 else 4, 2 if width == 2 else 4)
        key = "year"
    elif letter in "ML":
        parsed = _word(text, position, _MONTHS, width == 3) if width >= 3 else _digits(text, position, 1, 2)
        key = "month"
    elif letter == "E":
        parsed = _word(text, position, _DAYS, width <= 3)
        key = "dayname"
    elif letter == "a":
        upper = text[position : position + 2].upper()
        parsed = ((1 if upper == "PM" else 0), position + 2) if upper in ("AM", "PM") else None
        key = "ampm"
    elif letter in "Sn":
        parsed = _digits(text, position, 1, 9)  # the core takes fewer fraction digits than the pattern has
        key = "fraction"
    elif letter in ("X", "x", "Z", "z", "V", "O"):
        match = _ZONE.get(field if letter in "Xx" else letter, _ZONE["z"]).match(text, position)
        return match.end() if match else None
    elif letter == "G":
        match = re.compile(r"AD|BC", re.I).match(text, position)
        return match.end() if match else None
    elif letter in _NUMERIC:
        parsed = _digits(text, position, 1, max(width, 3 if letter == "D" else 2))
        key = _NUMERIC[letter]
    else:
        return None
    if parsed is None:
        return None
    values[key] = parsed[0]
    return parsed[1]


def datetime_problem(value: str, pattern: str) -> str | None:
    """Why `value` is not a date/time in the Java-style `pattern` (the Pact core's reading), or None."""
    values: dict[str, int] = {}
    position = 0
    for kind, token in _tokens(pattern):
        if kind == "text":
            if not value.startswith(token, position):
                return f"expected {token!r} at position {position}"
            position += len(token)
            continue
        end = _field(token, value, position, values)
        if end is None:
            return f"no {token} at position {position}"
        position = end
    if position != len(value):
        return f"remaining data {value[position:]!r}"
    return _invalid(values)


def _invalid(values: dict[str, int]) -> str | None:
    for key, (low, high) in _BOUNDS.items():
        if key in values and not low <= values[key] <= high:
            return f"{key} {values[key]} is out of range"
    if "day" in values and "month" in values:
        year = values.get("year", 2000)
        if values["day"] > calendar.monthrange(year, values["month"])[1]:
            return f"day {values['day']} is not in month {values['month']} of {year}"
    return None


_SEMVER = re.compile(
    r"(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)"
    r"(?:-(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)


def is_semver(text: str) -> bool:
    """A strict semantic version (SemVer 2.0)."""
    return _SEMVER.fullmatch(text) is not None


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"BM", "image/bmp"),
    (b"RIFF", "application/x-riff"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
)


def detect_media_type(data: bytes) -> str:
    """The media type of raw bytes: a known magic number, else JSON, XML or plain text, else octet-stream."""
    for magic, media in _MAGIC:
        if data.startswith(magic):
            return media
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    if any(ord(char) < 9 or 13 < ord(char) < 32 for char in text):
        return "application/octet-stream"
    return sniff_text(text)


def sniff_text(text: str) -> str:
    """application/json, application/xml or text/plain for a text."""
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        try:
            parse_json_value(stripped)
            return "application/json"
        except ValueError:
            pass
    if stripped.startswith("<?xml") or (stripped.startswith("<") and stripped.endswith(">")):
        return "application/xml"
    return "text/plain"


def _magic_type(data: bytes) -> str:
    """The media type the core's magic-number database gives: an XML declaration is text/xml, other text is
    text/plain."""
    for magic, media in _MAGIC:
        if data.startswith(magic):
            return media
    if data.lstrip().startswith(b"<?xml"):
        return "text/xml"
    found = detect_media_type(data)
    return found if found == "application/octet-stream" else "text/plain"


def media_matches(data: bytes, expected: str) -> str | None:
    """Why bytes are not of the media type `expected` (the `contentType` matcher), or None: the magic-number type
    must be it, or, for plain text, the type the text reads as (JSON, XML)."""
    wanted = expected.split(";")[0].strip().lower()
    found = _magic_type(data)
    if found == wanted or (found == "text/plain" and detect_media_type(data) == wanted):
        return None
    return f"the contents look like {found}, not {wanted}"
