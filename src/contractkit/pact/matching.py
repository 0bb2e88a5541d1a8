"""Pact matching semantics in one place: rule paths, the best rule for a value, and the matchers themselves.

This follows the Pact core (pact_models and pact_matching): a rule path (`$.items[*].id`, `$['a-b']`,
`$.*`) applies to a value at that path and, cascading, to every value below it; among the rules that apply,
the one with the highest path weight wins (an exact segment weighs 2, a wildcard 1, ties go to the longer
path). A rule is a list of matchers combined with AND or OR (`$null_or` is `null OR type`). Matchers: type
(with min/max for arrays), regex, integer, decimal, number, boolean, null, date/time/datetime/timestamp
with Java-style formats, include, equality, values, notEmpty, semver, contentType, arrayContains,
eachKey/eachValue and statusCode. Where no rule applies, the Pact core compares by equality;
`literal="type"` compares by shape instead (used where the provider state is not the pact's, as when
fuzzing).

    mismatches = list(iter_mismatches(expected_body, actual_body, response.rules.get("body", {})))
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator, Mapping, Sequence

__all__ = ["Mismatch", "Rule", "best_rule", "iter_mismatches", "java_format_regex", "json_kind", "matches_rule",
           "normalize_path", "own_rule", "parse_rule_path", "path_weight", "render_path"]

Rule = Mapping[str, Any]  # {"matchers": [...], "combine": "AND"|"OR"}
Segment = str | int  # a key, an index, or "*" (any key) / -1 (any index) in a rule path
ANY_INDEX = -1
_TOKEN = re.compile(r"\.([^.\[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\*|\d+)\]|\.?\*")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


@dataclass(frozen=True, slots=True)
class Mismatch:
    """Where a value fails what the pact expects: `title` names the problem without the value, `detail` with it."""

    path: str
    title: str
    detail: str


# ---------------------------------------------------------------- rule paths


@lru_cache(maxsize=4096)
def parse_rule_path(path: str) -> tuple[Segment, ...]:
    """`$.a[*]['b c'].*` -> ('a', -1, 'b c', '*'); V2's `$.body` prefix is the reader's business."""
    text = path.strip()
    if text.startswith("$"):
        text = text[1:]
    segments: list[Segment] = []
    position = 0
    while position < len(text):
        token = _TOKEN.match(text, position)
        if token is None:  # a bare key with odd characters: keep the rest as one key
            segments.append(text[position:].lstrip("."))
            break
        key, quoted, index = token.groups()
        if key is not None:
            segments.append("*" if key == "*" else key)
        elif quoted is not None:
            segments.append(quoted.replace("\\'", "'"))
        elif index is not None:
            segments.append(ANY_INDEX if index == "*" else int(index))
        else:
            segments.append("*")
        position = token.end()
    return tuple(segments)


def render_path(segments: Sequence[Segment]) -> str:
    """('a', -1, 'b c') -> `$.a[*]['b c']`."""
    parts = ["$"]
    for segment in segments:
        if isinstance(segment, int):
            parts.append("[*]" if segment == ANY_INDEX else f"[{segment}]")
        elif segment == "*" or _PLAIN_KEY.match(segment):
            parts.append(f".{segment}")
        else:
            parts.append("['" + segment.replace("'", "\\'") + "']")
    return "".join(parts)


def normalize_path(path: str) -> str:
    """A JSON path in one spelling, array indexes as `[*]`: `$['a'][0].b` -> `$.a[*].b`."""
    return render_path([ANY_INDEX if isinstance(segment, int) else segment for segment in parse_rule_path(path)])


def path_weight(rule_path: Sequence[Segment], actual: Sequence[Segment]) -> int:
    """The Pact core's weight of a rule path for a value's path: 0 when it does not apply, else the product of
    2 per exact segment and 1 per wildcard; a rule on an ancestor applies too (cascade)."""
    if len(rule_path) > len(actual):
        return 0
    weight = 2  # the root
    for expected, found in zip(rule_path, actual):
        if expected == found:
            weight *= 2
        elif (expected == ANY_INDEX and isinstance(found, int)) or (expected == "*" and not isinstance(expected, int)):
            weight *= 1
        else:
            return 0
    return weight


def best_rule(rules: Mapping[str, Rule], actual: Sequence[Segment]) -> Rule | None:
    """The rule that governs the value at `actual` (highest weight, then the longest path), or None."""
    best: tuple[int, int] = (0, -1)
    chosen: Rule | None = None
    for path, rule in rules.items():
        segments = parse_rule_path(path)
        weight = path_weight(segments, actual)
        if weight and (weight, len(segments)) > best:
            best, chosen = (weight, len(segments)), rule
    return chosen


def own_rule(rules: Mapping[str, Rule], actual: Sequence[Segment]) -> Rule | None:
    """A rule written for exactly this path (wildcards allowed), not inherited from an ancestor."""
    best: tuple[int, int] = (0, -1)
    chosen: Rule | None = None
    for path, rule in rules.items():
        segments = parse_rule_path(path)
        if len(segments) == len(actual):
            weight = path_weight(segments, actual)
            if weight and (weight, len(segments)) > best:
                best, chosen = (weight, len(segments)), rule
    return chosen


# ---------------------------------------------------------------- matchers


def json_kind(value: Any) -> str:
    """A value's JSON type in words: null, a boolean, a number, a string, an array, an object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


_JAVA_FIELDS = (("yyyy", r"\d{4}"), ("yy", r"\d{2}"), ("MMMM", r"[A-Za-z]+"), ("MMM", r"[A-Za-z]{3}"),
                ("MM", r"\d{2}"), ("M", r"\d{1,2}"), ("dd", r"\d{2}"), ("d", r"\d{1,2}"), ("HH", r"\d{2}"),
                ("H", r"\d{1,2}"), ("hh", r"\d{2}"), ("h", r"\d{1,2}"), ("mm", r"\d{2}"), ("m", r"\d{1,2}"),
                ("ss", r"\d{2}"), ("s", r"\d{1,2}"), ("SSSSSS", r"\d{6}"), ("SSS", r"\d{3}"), ("S", r"\d+"),
                ("EEEE", r"[A-Za-z]+"), ("EEE", r"[A-Za-z]{3}"), ("a", r"(?:AM|PM|am|pm)"),
                ("XXX", r"(?:Z|[+-]\d{2}:\d{2})"), ("XX", r"(?:Z|[+-]\d{4})"), ("X", r"(?:Z|[+-]\d{2})"),
                ("ZZZ", r"[+-]\d{4}"), ("Z", r"[+-]\d{4}"), ("z", r"[A-Za-z]{1,5}"))


@lru_cache(maxsize=256)
def java_format_regex(pattern: str) -> re.Pattern[str]:
    """A Java date/time format (`yyyy-MM-dd'T'HH:mm:ss'Z'`, as the Pact core reads it) as a regex."""
    out, position = [], 0
    while position < len(pattern):
        char = pattern[position]
        if char == "'":
            end = pattern.find("'", position + 1)
            end = len(pattern) if end < 0 else end
            out.append(re.escape(pattern[position + 1:end]) if end > position + 1 else "'")
            position = end + 1
            continue
        for field, regex in _JAVA_FIELDS:
            if pattern.startswith(field, position):
                out.append(regex)
                position += len(field)
                break
        else:
            out.append(re.escape(char))
            position += 1
    return re.compile("".join(out))


def _iso(value: str, kind: str) -> bool:
    text = value.replace("Z", "+00:00")
    try:
        if kind == "date":
            dt.date.fromisoformat(text)
        elif kind == "time":
            dt.time.fromisoformat(text)
        else:
            dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check(matcher: Mapping[str, Any], expected: Any, actual: Any) -> str | None:
    """Why `actual` fails one matcher (a value-free phrase), or None when it passes."""
    kind = str(matcher.get("match", "type"))
    if kind in ("type", "min", "max", "minType", "maxType"):
        return _check_type(matcher, expected, actual)
    if kind == "regex":
        text = _scalar_text(actual)
        regex = str(matcher.get("regex", ""))
        return None if text is not None and re.fullmatch(regex, text) else f"does not match /{regex}/"
    if kind == "integer":
        return None if isinstance(actual, int) and not isinstance(actual, bool) else "is not an integer"
    if kind == "decimal":
        return None if isinstance(actual, float) else "is not a decimal number"
    if kind == "number":
        return None if _is_number(actual) else "is not a number"
    if kind == "boolean":
        return None if isinstance(actual, bool) or actual in ("true", "false") else "is not a boolean"
    if kind == "null":
        return None if actual is None else "is not null"
    if kind in ("date", "time", "datetime", "timestamp"):
        return _check_time(matcher, kind, actual)
    return _check_other(kind, matcher, expected, actual)


def _check_type(matcher: Mapping[str, Any], expected: Any, actual: Any) -> str | None:
    if json_kind(expected) != json_kind(actual) and not (_is_number(expected) and _is_number(actual)):
        return f"is not {json_kind(expected)}"
    if isinstance(actual, list):
        low, high = matcher.get("min"), matcher.get("max")
        if isinstance(low, int) and len(actual) < low:
            return f"has fewer than {low} item(s)"
        if isinstance(high, int) and len(actual) > high:
            return f"has more than {high} item(s)"
    return None


def _check_time(matcher: Mapping[str, Any], kind: str, actual: Any) -> str | None:
    if not isinstance(actual, str):
        return f"is not a {kind} string"
    pattern = matcher.get("format") or matcher.get(kind)
    if isinstance(pattern, str) and pattern:
        return None if java_format_regex(pattern).fullmatch(actual) else f"is not a {kind} in the format {pattern}"
    return None if _iso(actual, "datetime" if kind == "timestamp" else kind) else f"is not an ISO {kind}"


def _check_other(kind: str, matcher: Mapping[str, Any], expected: Any, actual: Any) -> str | None:
    if kind == "include":
        text = _scalar_text(actual)
        wanted = str(matcher.get("value", ""))
        return None if text is not None and wanted in text else f"does not include {wanted!r}"
    if kind == "equality":
        return None if actual == expected else "is not the value the pact expects"
    if kind == "notEmpty":
        return None if actual not in (None, "", [], {}) else "is empty"
    if kind == "semver":
        text = _scalar_text(actual) or ""
        return None if re.fullmatch(r"\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.\-+]*)?", text) else "is not a semantic version"
    if kind == "contentType":
        return None  # a body's media type is checked with the headers
    if kind == "statusCode":
        return _check_status(matcher.get("status"), actual)
    if kind in ("values", "eachKey", "eachValue", "arrayContains"):
        return None if json_kind(expected) == json_kind(actual) else f"is not {json_kind(expected)}"
    return None  # a matcher this version does not know is not held against the provider


_STATUS_CLASSES = {"information": (100, 199), "success": (200, 299), "redirect": (300, 399),
                   "clientError": (400, 499), "serverError": (500, 599), "nonError": (100, 399),
                   "error": (400, 599)}


def _check_status(status: Any, actual: Any) -> str | None:
    if not isinstance(actual, int):
        return "is not a status code"
    if isinstance(status, list):
        return None if actual in status else f"is not one of {status}"
    low, high = _STATUS_CLASSES.get(str(status), (100, 599))
    return None if low <= actual <= high else f"is not a {status} status"


def matches_rule(rule: Rule, expected: Any, actual: Any) -> str | None:
    """Why `actual` fails a rule (its matchers combined with AND or OR), or None when it passes."""
    matchers = [matcher for matcher in rule.get("matchers") or () if isinstance(matcher, Mapping)]
    if not matchers:
        return None
    problems = [_check(matcher, expected, actual) for matcher in matchers]
    failed = [problem for problem in problems if problem is not None]
    if str(rule.get("combine", "AND")).upper() == "OR":
        return None if len(failed) < len(problems) else " and ".join(failed)
    return failed[0] if failed else None


# ---------------------------------------------------------------- bodies


def iter_mismatches(expected: Any, actual: Any, rules: Mapping[str, Rule], *, literal: str = "equal",
                    path: tuple[Segment, ...] = ()) -> Iterator[Mismatch]:
    """Every place where `actual` fails what a pact body expects, as the Pact core compares them.

    `literal` says how a value no rule governs is compared: "equal" (the Pact core) or "type" (by shape)."""
    rule = _effective_rule(rules, path, actual)
    if rule is not None:
        problem = matches_rule(rule, expected, actual)
        if problem is not None:
            where = render_path(path)
            yield Mismatch(where, f"{_generic(path)} {problem}", f"{where} is {_shown(actual)}: it {problem}")
        elif isinstance(actual, (dict, list)):
            yield from _structure(expected, actual, rules, literal, path, cascaded=True)
        return
    if isinstance(expected, (dict, list)) or literal != "equal":
        yield from _structure(expected, actual, rules, literal, path, cascaded=False)
    elif expected != actual:
        where = render_path(path)
        yield Mismatch(where, f"{_generic(path)} is not the expected value",
                       f"{where} is {_shown(actual)}, the pact expects {_shown(expected)}")


def _effective_rule(rules: Mapping[str, Rule], path: tuple[Segment, ...], actual: Any) -> Rule | None:
    """The rule written for this path, else one inherited from an ancestor: an inherited type rule loses its
    min/max (they were about the ancestor's array), and other inherited matchers only govern scalars."""
    own = own_rule(rules, path)
    if own is not None:
        return own
    inherited = best_rule(rules, path)
    if inherited is None:
        return None
    kept = []
    for matcher in inherited.get("matchers") or ():
        kind = str(matcher.get("match", "type"))
        if kind in ("type", "min", "max", "minType", "maxType"):
            kept.append({"match": "type"})
        elif not isinstance(actual, (dict, list)):
            kept.append(dict(matcher))
    return {"matchers": kept, "combine": inherited.get("combine", "AND")} if kept else {"matchers": [{"match": "type"}]}


def _structure(expected: Any, actual: Any, rules: Mapping[str, Rule], literal: str, path: tuple[Segment, ...],
               cascaded: bool) -> Iterator[Mismatch]:
    where = render_path(path)
    if json_kind(expected) != json_kind(actual) and not (_is_number(expected) and _is_number(actual)):
        yield Mismatch(where, f"{_generic(path)} is not {json_kind(expected)}",
                       f"{where} is {json_kind(actual)}, the pact expects {json_kind(expected)}")
        return
    if isinstance(expected, dict):
        yield from _objects(expected, actual, rules, literal, path)
    elif isinstance(expected, list):
        yield from _arrays(expected, actual, rules, literal, path, cascaded)


def _objects(expected: Mapping[str, Any], actual: Mapping[str, Any], rules: Mapping[str, Rule], literal: str,
             path: tuple[Segment, ...]) -> Iterator[Mismatch]:
    own = own_rule(rules, path) or {}
    kinds = {str(matcher.get("match")) for matcher in own.get("matchers") or ()}
    if kinds & {"values", "eachValue"} and expected:  # keys are free: every value is matched like the first
        template = next(iter(expected.values()))
        for key, value in actual.items():
            yield from iter_mismatches(template, value, rules, literal=literal, path=path + (key,))
        return
    for key, value in expected.items():
        if key not in actual:
            where = render_path(path + (key,))
            yield Mismatch(where, f"{_generic(path + (key,))} is missing", f"{where} is missing, the pact expects it")
        else:
            yield from iter_mismatches(value, actual[key], rules, literal=literal, path=path + (key,))


def _arrays(expected: list[Any], actual: list[Any], rules: Mapping[str, Rule], literal: str,
            path: tuple[Segment, ...], cascaded: bool) -> Iterator[Mismatch]:
    where = render_path(path)
    if not cascaded and literal == "equal" and len(expected) != len(actual):
        yield Mismatch(where, f"{_generic(path)} has another number of items",
                       f"{where} has {len(actual)} item(s), the pact expects {len(expected)}")
    if not expected:
        return
    for index, item in enumerate(actual):
        template = expected[index] if index < len(expected) else expected[0]  # as the Pact core pairs them
        yield from iter_mismatches(template, item, rules, literal=literal, path=path + (index,))


def _generic(path: Sequence[Segment]) -> str:
    """A value's path with indexes as `[*]`: the same problem on another item has the same title."""
    return render_path([ANY_INDEX if isinstance(segment, int) else segment for segment in path])


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, (str, int, float, bool)) else json_kind(value)
    return text if len(text) <= 60 else text[:57] + "..."
