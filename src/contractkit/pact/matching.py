"""Pact matching semantics in one place: rule paths, the best rule for a value, and the matchers themselves.

This follows the Pact core (pact_models and pact_matching): a rule path (`$.items[*].id`, `$['a-b']`,
`$.*`) applies to a value at that path and, cascading, to every value below it; among the rules that apply,
the one with the highest path weight wins (an exact segment weighs 2, a wildcard 1, ties go to the longer
path). A rule is a list of matchers combined with AND or OR (`$null_or` is `null OR type`). Matchers: type
(with min/max for arrays and objects), regex, integer, decimal, number, boolean, null, date/time/datetime/timestamp
with Java-style formats, include, equality, values, notEmpty, semver, contentType, arrayContains,
eachKey/eachValue and statusCode. Where no rule applies, the Pact core compares by equality;
`literal="type"` compares by shape instead (used where the provider state is not the pact's, as when
fuzzing).

The walk over a JSON body is the core's: an object's keys and an array's items are compared with the governing
rule's container semantics (`values`/`eachValue` match every actual value like the pact's first one,
`eachKey` checks keys and lets the pact's keys go missing, `arrayContains` looks for an item like each variant,
min/max count an array's items or an object's keys only where the rule is written), and a rule cascades in
full to what is below it. Texts (headers, XML, form values, plain bodies) are matched by `check_text`.

    mismatches = list(iter_mismatches(expected_body, actual_body, response.rules.get("body", {})))
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator, Mapping, Sequence

from contractkit.pact.formats import DEFAULT_FORMATS, datetime_problem, is_semver, media_matches

__all__ = [
    "ANY_INDEX",
    "DateFormat",
    "Mismatch",
    "Rule",
    "RuleSet",
    "Segment",
    "best_rule",
    "check_text",
    "iter_mismatches",
    "java_format_regex",
    "json_kind",
    "json_text",
    "matcher_kind",
    "matches_rule",
    "matches_text_rule",
    "normalize_path",
    "number_kind",
    "own_rule",
    "parse_rule_path",
    "path_weight",
    "render_path",
    "rule_matchers",
    "same_json",
    "size_problem",
]

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


@dataclass(frozen=True, slots=True)
class DateFormat:
    """A Java-style date/time format as the Pact core reads it; `fullmatch` says whether a text is in it."""

    pattern: str

    def fullmatch(self, text: str) -> bool:
        """Whether `text` is a valid date/time in this format."""
        return datetime_problem(text, self.pattern) is None


def java_format_regex(pattern: str) -> DateFormat:
    """A Java date/time format (`yyyy-MM-dd'T'HH:mm:ss'Z'`) as a matcher of texts."""
    return DateFormat(pattern)


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


def number_kind(value: Any) -> str | None:
    """ "integer" or "decimal" as the Pact core's JSON parser reads a number (an integer beyond 64 bits is a
    decimal there), None for a value that is not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return "integer" if isinstance(value, int) and -(2**63) <= value < 2**64 else "decimal"


def json_text(value: Any) -> str:
    """A value as the Pact core prints it for text matchers: a string as it is, anything else as compact JSON."""
    if isinstance(value, str):
        return value
    if number_kind(value) == "decimal":
        return repr(float(value))  # an integer beyond 64 bits is a decimal to the core: 1e+20
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def same_json(expected: Any, actual: Any) -> bool:
    """JSON equality as the Pact core has it: 1 and 1.0 differ, true and 1 differ, keys in any order."""
    if isinstance(expected, dict) or isinstance(actual, dict):
        return (
            isinstance(expected, dict)
            and isinstance(actual, dict)
            and expected.keys() == actual.keys()
            and all(same_json(expected[key], actual[key]) for key in expected)
        )
    if isinstance(expected, list) or isinstance(actual, list):
        return (
            isinstance(expected, list)
            and isinstance(actual, list)
            and len(expected) == len(actual)
            and all(same_json(one, other) for one, other in zip(expected, actual))
        )
    if number_kind(expected) or number_kind(actual):
        return number_kind(expected) == number_kind(actual) and expected == actual
    return type(expected) is type(actual) and expected == actual


def _same_type(expected: Any, actual: Any) -> bool:
    return json_kind(expected) == json_kind(actual)


def size_problem(matcher: Mapping[str, Any], actual: Any, cascaded: bool) -> str | None:
    """min/max of a type matcher hold for arrays and objects, and only where the rule is written (not cascaded)."""
    if cascaded or not isinstance(actual, (list, dict)):
        return None
    low, high = matcher.get("min"), matcher.get("max")
    if isinstance(low, int) and len(actual) < low:
        return f"has fewer than {low} item(s)"
    if isinstance(high, int) and len(actual) > high:
        return f"has more than {high} item(s)"
    return None


def matcher_kind(matcher: Mapping[str, Any]) -> str:
    """A matcher's type; V2 leaves `match` out where min, max or regex say it."""
    kind = matcher.get("match", matcher.get("pact:matcher:type"))
    if kind is None:
        if "regex" in matcher:
            return "regex"
        for key in ("timestamp", "date", "time"):
            if key in matcher:
                return key
        return "type"
    return {"min": "type", "max": "type", "minType": "type", "maxType": "type", "real": "decimal"}.get(
        str(kind), str(kind)
    )


def _check(matcher: Mapping[str, Any], expected: Any, actual: Any, cascaded: bool = False) -> str | None:
    """Why a JSON value fails one matcher (a value-free phrase), or None when it passes."""
    kind = matcher_kind(matcher)
    if kind == "type":
        return (None if _same_type(expected, actual) else f"is not {json_kind(expected)}") or size_problem(
            matcher, actual, cascaded
        )
    if kind in ("equality", "values"):
        return None if same_json(expected, actual) else "is not the value the pact expects"
    if kind == "null":
        return None if actual is None else "is not null"
    if kind in ("integer", "decimal"):
        return (
            None
            if number_kind(actual) == kind
            else ("is not an integer" if kind == "integer" else "is not a decimal number")
        )
    if kind == "number":
        return None if number_kind(actual) else "is not a number"
    if kind == "boolean":
        return None if isinstance(actual, bool) or actual in ("true", "false") else "is not a boolean"
    if kind == "notEmpty":
        return "is empty" if actual is None or actual in ("", [], {}) else None
    if kind == "semver":
        return None if isinstance(actual, str) and is_semver(actual) else "is not a semantic version"
    if kind == "contentType":
        return _content_problem(str(matcher.get("value", "")), actual)
    if kind in ("eachKey", "eachValue", "arrayContains", "statusCode"):
        return None  # these govern what is inside (or the status), not the value itself
    return check_text(matcher, json_text(expected), json_text(actual))


def _content_problem(media: str, actual: Any) -> str | None:
    data = actual.encode() if isinstance(actual, str) else json_text(actual).encode()
    if isinstance(actual, str):
        try:
            data = base64.b64decode(actual, validate=True)
        except ValueError:
            pass
    problem = media_matches(data, media)
    return f"is not {media}: {problem}" if problem else None


_TEXT_NUMBERS = {
    "integer": (re.compile(r"-?\d+"), "is not an integer"),
    "decimal": (re.compile(r"-?\d+\.\d+"), "is not a decimal number"),
    "number": (re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"), "is not a number"),
}


def check_text(matcher: Mapping[str, Any], expected: str, actual: str) -> str | None:
    """Why a text (a header value, an XML text or attribute, a form value, a plain-text body) fails one matcher."""
    kind = matcher_kind(matcher)
    if kind == "regex":
        regex = str(matcher.get("regex", ""))
        return None if _regex(regex).fullmatch(actual) else f"does not match /{regex}/"
    if kind == "include":
        wanted = str(matcher.get("value", ""))
        return None if wanted in actual else f"does not include {wanted!r}"
    if kind in ("equality", "values"):
        return None if expected == actual else "is not the value the pact expects"
    if kind in _TEXT_NUMBERS:
        pattern, phrase = _TEXT_NUMBERS[kind]
        return None if pattern.fullmatch(actual) else phrase
    if kind == "boolean":
        return None if actual in ("true", "false") else "is not a boolean"
    if kind == "null":
        return None if actual == "" else "is not null"
    if kind in ("date", "time", "datetime", "timestamp"):
        form = str(matcher.get("format") or matcher.get(kind) or DEFAULT_FORMATS[kind])
        problem = datetime_problem(actual, form)
        return f"is not a {kind} in the format {form}" if problem else None
    if kind == "notEmpty":
        return "is empty" if actual == "" else None
    if kind == "semver":
        return None if is_semver(actual) else "is not a semantic version"
    if kind == "contentType":
        return _content_problem(str(matcher.get("value", "")), actual)
    return None  # type, min/max and the container matchers hold for any text


_INLINE_FLAGS = re.compile(r"\(\?([A-Za-z]*)(?:-([A-Za-z]*))?[:)]")
_NEVER = re.compile(r"(?!)")


@lru_cache(maxsize=512)
def _regex(regex: str) -> re.Pattern[str]:
    """A pattern as the core's regex engine (Oniguruma, Ruby syntax) reads it: inline flags are i, m (dot matches
    newlines) and x only; a pattern it cannot read matches nothing."""
    for flags in _INLINE_FLAGS.finditer(regex):
        if set("".join(part or "" for part in flags.groups())) - set("imx"):
            return _NEVER
    translated = _INLINE_FLAGS.sub(lambda flags: flags.group(0).replace("m", "s"), regex)
    for unicode_class, python_class in _UNICODE_CLASSES.items():
        translated = translated.replace(unicode_class, python_class)
    try:
        return re.compile(translated)
    except re.error:
        return _NEVER


# The Unicode classes pacts use most, in Python's terms (Python's `re` has no \p{...}).
_UNICODE_CLASSES = {
    "\\p{L}": "[^\\W\\d_]",
    "\\p{Lu}": "[A-Z\\u00C0-\\u00DE]",
    "\\p{Ll}": "[a-z\\u00DF-\\u00FF]",
    "\\p{N}": "\\d",
    "\\p{Nd}": "\\d",
    "\\p{Alpha}": "[^\\W\\d_]",
    "\\p{Digit}": "\\d",
}


def rule_matchers(rule: Rule) -> list[Mapping[str, Any]]:
    """The matchers of a rule, in order."""
    return [matcher for matcher in rule.get("matchers") or () if isinstance(matcher, Mapping)]


def _combined(problems: Sequence[str | None], combine: str) -> str | None:
    failed = [problem for problem in problems if problem is not None]
    if not failed:
        return None
    if str(combine).upper() == "OR":
        return None if len(failed) < len(problems) else " and ".join(failed)
    return failed[0]


def matches_rule(rule: Rule, expected: Any, actual: Any, *, cascaded: bool = False) -> str | None:
    """Why a JSON value fails a rule (its matchers combined with AND or OR), or None when it passes."""
    matchers = rule_matchers(rule)
    return _combined(
        [_check(matcher, expected, actual, cascaded) for matcher in matchers], str(rule.get("combine", "AND"))
    )


def matches_text_rule(rule: Rule, expected: str, actual: str) -> str | None:
    """Why a text fails a rule (matchers combined with AND or OR), or None when it passes."""
    return _combined(
        [check_text(matcher, expected, actual) for matcher in rule_matchers(rule)], str(rule.get("combine", "AND"))
    )


# ---------------------------------------------------------------- JSON bodies


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Rules by parsed path, and how values no rule governs compare ("equal", as the Pact core, or "type")."""

    rules: tuple[tuple[tuple[Segment, ...], Rule], ...]
    literal: str = "equal"

    @classmethod
    def from_rules(
        cls, rules: Mapping[str, Rule], literal: str = "equal", *, prefix: tuple[Segment, ...] = ()
    ) -> RuleSet:
        """From a path -> rule mapping; `prefix` re-roots the paths (a variant's `$` is an array item)."""
        return cls(tuple((prefix + parse_rule_path(path), rule) for path, rule in rules.items()), literal)

    def select(self, path: Sequence[Segment]) -> tuple[Rule, bool] | None:
        """The rule governing `path` and whether it is cascaded from an ancestor, or None."""
        best: tuple[int, int] = (0, -1)
        chosen: tuple[Rule, bool] | None = None
        for segments, rule in self.rules:
            weight = path_weight(segments, path)
            if weight and (weight, len(segments)) > best:
                best, chosen = (weight, len(segments)), (rule, len(segments) != len(path))
        return chosen

    def with_rule(self, path: tuple[Segment, ...], rule: Rule) -> RuleSet:
        """These rules and one more."""
        return RuleSet(self.rules + ((path, rule),), self.literal)


def iter_mismatches(
    expected: Any,
    actual: Any,
    rules: Mapping[str, Rule] | RuleSet,
    *,
    literal: str = "equal",
    path: tuple[Segment, ...] = (),
) -> Iterator[Mismatch]:
    """Every place where a JSON `actual` fails what a pact body expects, as the Pact core compares them.

    `literal` says how a value no rule governs is compared: "equal" (the Pact core) or "type" (by shape)."""
    ruleset = rules if isinstance(rules, RuleSet) else RuleSet.from_rules(rules, literal)
    yield from _compare(ruleset, path, expected, actual)


def _compare(rules: RuleSet, path: tuple[Segment, ...], expected: Any, actual: Any) -> Iterator[Mismatch]:
    if isinstance(expected, (dict, list)) and not _same_type(expected, actual):
        where = render_path(path)
        yield Mismatch(
            where,
            f"{_generic(path)} is not {json_kind(expected)}",
            f"{where} is {json_kind(actual)}, the pact expects {json_kind(expected)}",
        )
    elif isinstance(expected, dict):
        yield from _objects(rules, path, expected, actual)
    elif isinstance(expected, list):
        yield from _arrays(rules, path, expected, actual)
    else:
        yield from _scalars(rules, path, expected, actual)


def _scalars(rules: RuleSet, path: tuple[Segment, ...], expected: Any, actual: Any) -> Iterator[Mismatch]:
    selected = rules.select(path)
    if selected is not None:
        problem = matches_rule(selected[0], expected, actual, cascaded=selected[1])
        if problem is not None:
            yield _failed(path, actual, problem)
    elif rules.literal == "type":
        if not _same_type(expected, actual):
            yield _failed(path, actual, f"is not {json_kind(expected)}")
    elif not same_json(expected, actual):
        where = render_path(path)
        yield Mismatch(
            where,
            f"{_generic(path)} is not the expected value",
            f"{where} is {_shown(actual)}, the pact expects {_shown(expected)}",
        )


def _failed(path: tuple[Segment, ...], actual: Any, problem: str) -> Mismatch:
    where = render_path(path)
    return Mismatch(where, f"{_generic(path)} {problem}", f"{where} is {_shown(actual)}: it {problem}")


def _objects(
    rules: RuleSet, path: tuple[Segment, ...], expected: dict[str, Any], actual: dict[str, Any]
) -> Iterator[Mismatch]:
    selected = rules.select(path)
    kinds: dict[str, Mapping[str, Any]] = {}
    if selected is not None:
        problem = matches_rule(_container_rule(selected[0]), expected, actual, cascaded=selected[1])
        if problem is not None:
            yield _failed(path, actual, problem)
        kinds = {matcher_kind(matcher): matcher for matcher in rule_matchers(selected[0])}
    if "values" in kinds or "eachValue" in kinds:
        yield from _every_value(rules, path, expected, actual, kinds.get("eachValue"))
    else:
        yield from _keys(rules, path, expected, actual, kinds.get("eachKey"))


def _every_value(
    rules: RuleSet,
    path: tuple[Segment, ...],
    expected: dict[str, Any],
    actual: dict[str, Any],
    each: Mapping[str, Any] | None,
) -> Iterator[Mismatch]:
    """`values`/`eachValue`: keys are free, every actual value is compared with the pact's value for its key, else
    with the pact's first value; eachValue's own rules govern the values."""
    if each is not None:
        rules = rules.with_rule(path + ("*",), {"matchers": each.get("rules") or [], "combine": "AND"})
    first = next(iter(expected.values()), None)
    for key, value in actual.items():
        if expected:
            yield from _compare(rules, path + (key,), expected.get(key, first), value)


def _keys(
    rules: RuleSet,
    path: tuple[Segment, ...],
    expected: dict[str, Any],
    actual: dict[str, Any],
    each_key: Mapping[str, Any] | None,
) -> Iterator[Mismatch]:
    """Every key of the pact must be there (extra keys are fine), unless `eachKey` governs the keys instead."""
    if each_key is not None:
        key_rule = {"matchers": each_key.get("rules") or [], "combine": "AND"}
        for key in actual:
            problem = matches_text_rule(key_rule, "", key)
            if problem is not None:
                yield _failed(path + (key,), key, f"(a key) {problem}")
    for key, value in expected.items():
        if key in actual:
            yield from _compare(rules, path + (key,), value, actual[key])
        elif each_key is None:
            where = render_path(path + (key,))
            yield Mismatch(where, f"{_generic(path + (key,))} is missing", f"{where} is missing, the pact expects it")


def _arrays(rules: RuleSet, path: tuple[Segment, ...], expected: list[Any], actual: list[Any]) -> Iterator[Mismatch]:
    selected = rules.select(path)
    if selected is None:
        yield from _plain_arrays(rules, path, expected, actual)
        return
    rule, cascaded = selected
    matchers = rule_matchers(rule)
    contains = [matcher for matcher in matchers if matcher_kind(matcher) == "arrayContains"]
    others = [matcher for matcher in matchers if matcher_kind(matcher) != "arrayContains"]
    for matcher in contains:
        yield from _array_contains(rules, path, expected, actual, matcher)
    if not others:
        return
    problem = matches_rule(
        _container_rule({"matchers": others, "combine": rule.get("combine", "AND")}),
        expected,
        actual,
        cascaded=cascaded,
    )
    if problem is not None:
        yield _failed(path, actual, problem)
    each = next((matcher for matcher in others if matcher_kind(matcher) == "eachValue"), None)
    if each is not None:
        rules = rules.with_rule(path + ("*",), {"matchers": each.get("rules") or [], "combine": "AND"})
    if expected:
        for index, item in enumerate(actual):
            template = expected[index] if index < len(expected) else expected[0]  # as the Pact core pairs them
            yield from _compare(rules, path + (index,), template, item)


def _container_rule(rule: Rule) -> Rule:
    """A rule as the core applies it to an array or object itself: every matcher must hold (the core does not
    combine them with OR there), and `values` says how the items compare, not that the container is equal."""
    return {
        "matchers": [matcher for matcher in rule_matchers(rule) if matcher_kind(matcher) != "values"],
        "combine": "AND",
    }


def _plain_arrays(
    rules: RuleSet, path: tuple[Segment, ...], expected: list[Any], actual: list[Any]
) -> Iterator[Mismatch]:
    where = render_path(path)
    if rules.literal == "type":
        for index, item in enumerate(actual if expected else ()):
            yield from _compare(rules, path + (index,), expected[index] if index < len(expected) else expected[0], item)
        return
    for index, item in enumerate(expected[: len(actual)]):
        yield from _compare(rules, path + (index,), item, actual[index])
    if len(expected) != len(actual):
        yield Mismatch(
            where,
            f"{_generic(path)} has another number of items",
            f"{where} has {len(actual)} item(s), the pact expects {len(expected)}",
        )


def _array_contains(
    rules: RuleSet, path: tuple[Segment, ...], expected: list[Any], actual: list[Any], matcher: Mapping[str, Any]
) -> Iterator[Mismatch]:
    """Each variant must match some item, judged with the variant's own rules (rooted at the item)."""
    for variant in matcher.get("variants") or ():
        index = variant.get("index", 0) if isinstance(variant, Mapping) else 0
        template = expected[index] if isinstance(index, int) and 0 <= index < len(expected) else None
        own = variant.get("rules") or {} if isinstance(variant, Mapping) else {}
        found = any(
            not any(
                _compare(
                    RuleSet.from_rules(own, rules.literal, prefix=path + (position,)),
                    path + (position,),
                    template,
                    item,
                )
            )
            for position, item in enumerate(actual)
        )
        if not found:
            where = render_path(path)
            yield Mismatch(
                where,
                f"{_generic(path)} has no item like the pact's item {index}",
                f"{where} has no item like the pact's item {index} ({_shown(template)})",
            )


def _generic(path: Sequence[Segment]) -> str:
    """A value's path with indexes as `[*]`: the same problem on another item has the same title."""
    return render_path([ANY_INDEX if isinstance(segment, int) else segment for segment in path])


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, (str, int, float, bool)) else json_kind(value)
    return text if len(text) <= 60 else text[:57] + "..."
