"""Judging one actual HTTP response against one pact interaction, as the Pact core's verifier does.

    mismatches = judge_response(interaction, 200, {"Content-Type": "application/json"}, b'{"id": 7}')

- status: a `statusCode` matcher (a class such as `success`, or a list of codes) or equality.
- headers: every header of the pact must be there (names case-insensitive, extra headers allowed). Values of the
  known multi-value headers (Accept, Cache-Control, Vary...) are split at commas, as the core reads them; a header
  rule matches each value; Content-Type and Accept compare by media type and the pact's parameters; other values
  are equal up to the spaces after commas.
- body: a pact without a body accepts any; an empty one (`""`, null) wants none. The media types must be
  equivalent (the same base type, or both JSON, or both XML; a missing Content-Type is read from the bytes), then
  the body is compared by the pact's kind: JSON (`matching`), XML, form, multipart, text or binary (`bodies`).
  A V4 JSON body whose `content` is a string is that JSON string, as the core reads it.

`literal="type"` compares what no rule governs by type, judges only headers that have a rule (not Content-Type),
reads the body by the pact's kind whatever the response declares and lets a body come where the pact has an
empty one; `minimums=False` drops arrays' minimum lengths. Both are for the fuzzer's consumer check, whose requests
are not the pact's provider state and which judges the media type itself.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Iterator, Mapping, Sequence

from contractkit.core.loading import parse_json_value
from contractkit.pact.bodies import (
    iter_binary_mismatches,
    iter_form_mismatches,
    iter_multipart_mismatches,
    iter_text_mismatches,
    iter_xml_mismatches,
    parameter_header_problem,
)
from contractkit.pact.formats import detect_media_type
from contractkit.pact.matching import (
    Mismatch,
    Rule,
    RuleSet,
    iter_mismatches,
    matcher_kind,
    matches_text_rule,
    parse_rule_path,
    rule_matchers,
    size_problem,
)
from contractkit.pact.reader import PactInteraction, first_value

__all__ = ["HeaderValues", "MULTI_VALUE_HEADERS", "PARAMETERISED_HEADERS", "judge_response"]

HeaderValues = Mapping[str, "str | Sequence[str]"] | Sequence[tuple[str, str]]

# The headers whose values the Pact core splits at commas (pact_models `MULTI_VALUE_HEADERS` of the core this runs
# with; others, X-Forwarded-For included, keep their commas).
MULTI_VALUE_HEADERS = frozenset(
    (
        "accept",
        "accept-encoding",
        "accept-language",
        "access-control-allow-headers",
        "access-control-allow-methods",
        "access-control-expose-headers",
        "access-control-request-headers",
        "allow",
        "cache-control",
        "if-match",
        "if-none-match",
        "vary",
    )
)
PARAMETERISED_HEADERS = frozenset(("accept", "content-type"))
_STATUS_CLASSES = {
    "info": (100, 199),
    "success": (200, 299),
    "redirect": (300, 399),
    "clientError": (400, 499),
    "serverError": (500, 599),
    "nonError": (100, 399),
    "error": (400, 599),
}
_EMPTY = object()


def judge_response(
    interaction: PactInteraction,
    status: int,
    headers: HeaderValues,
    body: bytes,
    *,
    literal: str = "equal",
    minimums: bool = True,
) -> list[Mismatch]:
    """Every way an actual response (status, headers, raw body) fails what one pact interaction's response expects,
    each with its path (`status`, `$.headers.Name`, a JSON/XML/form path into the body) and reason; [] when the
    Pact core's verifier would pass it."""
    actual_headers = _actual_headers(headers)
    out = list(_status_mismatches(interaction, status))
    out.extend(_header_mismatches(interaction, actual_headers, literal))
    out.extend(_body_mismatches(interaction, actual_headers, body, literal, minimums))
    return out


# ---------------------------------------------------------------- status


def _status_mismatches(interaction: PactInteraction, status: int) -> Iterator[Mismatch]:
    expected = interaction.response.status
    rules = [rule for rule in (interaction.response.rules.get("status") or {}).values() if isinstance(rule, Mapping)]
    codes = [matcher for rule in rules for matcher in rule_matchers(rule) if matcher_kind(matcher) == "statusCode"]
    if codes:
        for matcher in codes:
            wanted = matcher.get("status")
            low, high = _STATUS_CLASSES.get(str(wanted), (0, -1))
            if not (status in wanted if isinstance(wanted, list) else low <= status <= high):
                yield Mismatch("status", f"status is not {wanted}", f"status {status} is not {wanted}")
    elif status != expected:
        yield Mismatch("status", "status is not the expected status", f"status {status}, the pact expects {expected}")


# ---------------------------------------------------------------- headers


def _actual_headers(headers: HeaderValues) -> dict[str, list[str]]:
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    out: dict[str, list[str]] = {}
    for name, value in pairs:
        key = str(name).lower()
        for one in [value] if isinstance(value, (str, bytes)) else list(value):
            text = one.decode("latin-1") if isinstance(one, bytes) else str(one)
            parts = text.split(",") if key in MULTI_VALUE_HEADERS else [text]
            out.setdefault(key, []).extend(part.strip() for part in parts)
    return out


def _header_rules(interaction: PactInteraction) -> dict[str, Rule]:
    out = {}
    for path, rule in (interaction.response.rules.get("header") or {}).items():
        segments = parse_rule_path(str(path))  # `X-Id`, `$.X-Id` and `$['X-Id']` name the same header
        if segments and isinstance(segments[0], str):
            out[segments[0].lower()] = rule
    return out


def _header_mismatches(
    interaction: PactInteraction, actual: Mapping[str, list[str]], literal: str
) -> Iterator[Mismatch]:
    rules = _header_rules(interaction)
    for name, values in interaction.response.headers.items():
        key = name.lower()
        if literal != "equal" and (key not in rules or key == "content-type"):
            continue  # compared by shape: only what a rule says of a header (the caller judges the media type)
        where = f"$.headers.{name}"
        found = actual.get(key)
        if found is None:
            yield Mismatch(where, f"header {name} is missing", f"header {name} is missing, the pact expects it")
        elif not values and found:
            yield Mismatch(
                where,
                f"header {name} is not empty",
                f"header {name} is {', '.join(found)!r}, the pact expects it empty",
            )
        else:
            yield from _header_values(name, list(values), found, rules.get(key))


def _header_values(name: str, values: list[str], found: list[str], rule: Rule | None) -> Iterator[Mismatch]:
    if len(values) == 1 and len(found) == 1:
        yield from _header_value(name, values[0], found[0], rule)
        return
    if rule is not None:
        for matcher in rule_matchers(rule):
            problem = size_problem(matcher, found, False) if matcher_kind(matcher) == "type" else None
            if problem:
                yield Mismatch(f"$.headers.{name}", f"header {name} {problem}", f"header {name} {problem}")
        for index, value in enumerate(found):
            yield from _header_value(
                name, values[index] if index < len(values) else values[0] if values else "", value, rule
            )
        return
    for index in range(max(len(values), len(found))):
        expected = values[index] if index < len(values) else ""
        if index < len(found):
            yield from _header_value(name, expected, found[index], None)
        else:
            yield Mismatch(
                f"$.headers.{name}",
                f"header {name} has fewer values",
                f"header {name} has {len(found)} value(s), the pact expects {values}",
            )


def _header_value(name: str, expected: str, actual: str, rule: Rule | None) -> Iterator[Mismatch]:
    expected, actual = expected.strip(), actual.strip()
    if rule is not None:
        problem = matches_text_rule(rule, expected, actual)
    elif name.lower() in PARAMETERISED_HEADERS:
        problem = f"is not {expected!r}" if parameter_header_problem(expected, actual) else None
    else:
        same = ",".join(part.strip() for part in expected.split(",")) == ",".join(
            part.strip() for part in actual.split(",")
        )
        problem = None if same else f"is not {expected!r}"
    if problem is not None:
        yield Mismatch(f"$.headers.{name}", f"header {name} {problem}", f"header {name} is {actual!r}: it {problem}")


# ---------------------------------------------------------------- bodies


def _expected_media(interaction: PactInteraction, raw_body: Any) -> str:
    """The pact's media type: its Content-Type header, else the V4 body's contentType, else what the body reads as."""
    declared = first_value(interaction.response.headers, "content-type")
    if declared:
        return declared
    if isinstance(raw_body, Mapping) and isinstance(raw_body.get("contentType"), str):
        return str(raw_body["contentType"])
    if isinstance(raw_body, str):
        return detect_media_type(raw_body.encode())
    return "application/json"


def _expected_content(raw_body: Any, media: str) -> Any:
    """The pact's body as the core reads it: bytes (base64), a JSON value (JSON media) or a text; _EMPTY for none."""
    if isinstance(raw_body, Mapping) and "content" in raw_body and ("contentType" in raw_body or "encoded" in raw_body):
        content, encoded = raw_body.get("content"), raw_body.get("encoded")
        if content is None or content == "":
            return _EMPTY
        if isinstance(content, str) and isinstance(encoded, str) and encoded.lower() == "base64":
            try:
                return base64.b64decode(content, validate=True)
            except (binascii.Error, ValueError):
                return content
        return content if _is_json(media) or isinstance(content, str) else json.dumps(content)
    if raw_body is None or raw_body == "":
        return _EMPTY
    if isinstance(raw_body, str) and _is_json(media):  # V2/V3 keep a JSON body as a string now and then
        try:
            return parse_json_value(raw_body)
        except ValueError:
            return raw_body
    return raw_body


def _base(media: str) -> str:
    return media.split(";")[0].strip().lower()


def _is_json(media: str) -> bool:
    sub = _base(media).partition("/")[2]
    return sub == "json" or sub.endswith("+json") or (_base(media).startswith("application/") and "json" in sub)


def _is_xml(media: str) -> bool:
    sub = _base(media).partition("/")[2]
    return sub == "xml" or sub.endswith("+xml")


def _equivalent(expected: str, actual: str) -> bool:
    if not expected or not actual:
        return True
    mine, theirs = _base(expected), _base(actual)
    return mine == theirs or (_is_json(mine) and _is_json(theirs)) or (_is_xml(mine) and _is_xml(theirs))


def _body_mismatches(
    interaction: PactInteraction, actual_headers: Mapping[str, list[str]], body: bytes, literal: str, minimums: bool
) -> Iterator[Mismatch]:
    raw = interaction.raw.get("response") if isinstance(interaction.raw.get("response"), Mapping) else {}
    if not isinstance(raw, Mapping) or "body" not in raw:
        return  # a pact that says nothing of the body accepts any
    media = _expected_media(interaction, raw["body"])
    content = _expected_content(raw["body"], media)
    if content is _EMPTY:
        if body and literal == "equal":
            yield Mismatch("$", "the body is not empty", f"the body has {len(body)} byte(s), the pact expects none")
        return
    actual_media = ", ".join(actual_headers.get("content-type", [])) or (detect_media_type(body) if body else "")
    if literal == "equal" and not _equivalent(media, actual_media):
        yield Mismatch(
            "$",
            f"the body is not {_base(media)}",
            f"the body is {_base(actual_media)}, the pact expects {_base(media)}",
        )
        return
    rules = RuleSet.from_rules(_body_rules(interaction, minimums), literal)
    yield from _by_kind(media, content, actual_media, body, rules)


def _body_rules(interaction: PactInteraction, minimums: bool) -> dict[str, Rule]:
    rules = dict(interaction.response.rules.get("body") or {})
    if minimums:
        return rules
    out: dict[str, Rule] = {}
    for path, rule in rules.items():
        matchers = [{key: value for key, value in matcher.items() if key != "min"} for matcher in rule_matchers(rule)]
        out[path] = {
            "matchers": [
                {**matcher, "match": "type"} if matcher.get("match") in ("min", "minType") else matcher
                for matcher in matchers
            ],
            "combine": rule.get("combine", "AND"),
        }
    return out


def _by_kind(media: str, content: Any, actual_media: str, body: bytes, rules: RuleSet) -> Iterator[Mismatch]:
    base = _base(media)
    if _is_json(media):
        expected = parse_json_value(content) if isinstance(content, bytes) else content
        try:
            actual = parse_json_value(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):  # not JSON, or nested beyond the limit
            yield Mismatch("$", "the body is not JSON", "the body is not JSON")
            return
        yield from iter_mismatches(expected, actual, rules)
        return
    data = content if isinstance(content, bytes) else str(content).encode()
    if base.startswith("multipart/"):
        yield from iter_multipart_mismatches(data, media, body, actual_media, rules)
    elif _is_xml(media):
        yield from iter_xml_mismatches(data, body, rules)
    elif base == "application/x-www-form-urlencoded":
        yield from iter_form_mismatches(data.decode("utf-8", "replace"), body.decode("utf-8", "replace"), rules)
    elif base.startswith("text/"):
        yield from iter_text_mismatches(data.decode("utf-8", "replace"), body.decode("utf-8", "replace"), rules)
    else:
        yield from iter_binary_mismatches(data, body, rules)
