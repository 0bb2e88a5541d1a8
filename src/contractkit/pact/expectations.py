"""What a consumer's pact expects of a provider's responses, and whether a response still gives it that.

Used by the fuzzer's consumer-compatibility check: every response the fuzzer provokes must keep what
the registered consumers rely on for its status. Values are compared by shape, not equality, because
fuzzed inputs are not the pact's provider state: fields present, JSON types, matcher regexes, and the
content type the pact names. For the same reason a list's minimum length is not held against a fuzzed
response (a filter the fuzzer made up may rightly find nothing); the items a list has are checked. Reads pact files of specification V2 to V4.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from contractkit.core.routing import Router
from contractkit.pact.reader import PactInteraction, load_pact


@dataclass(frozen=True, slots=True)
class Expectation:
    """What one pact interaction expects of a response: the consumer relies on this shape for this status."""

    consumer: str
    description: str
    status: int
    body: Any = None
    has_body: bool = False
    rules: Mapping[str, Any] = field(default_factory=dict)  # JSON path -> matcher list
    content_type: str | None = None


def load_pact_expectations(pact_files: Sequence[Path], routes: Sequence[tuple[str, str, str]]) -> dict[str, list[Expectation]]:
    """Expectations per route label, from pact files; a route is (label, METHOD, full path template).

    Each pact request goes to the one route the router gives it (literal segments before templates)."""
    router: Router[str] = Router((method, template, label) for label, method, template in routes)
    expectations: dict[str, list[Expectation]] = {}
    for pact_path in pact_files:
        pact = load_pact(pact_path)
        consumer = pact.consumer or pact_path.stem
        for interaction in pact.interactions:
            route = router.match(interaction.request.method, interaction.request.path)
            if route is not None:
                expectations.setdefault(route.value, []).append(expectation_from_interaction(consumer, interaction))
    return expectations


def expectation_from_interaction(consumer: str, interaction: PactInteraction) -> Expectation:
    """What one pact interaction (V2 to V4) expects of its response."""
    response = interaction.response
    rules = response.rules.get("body") or {}
    return Expectation(consumer=consumer, description=interaction.description, status=response.status,
                       body=response.body, has_body=response.has_body,
                       rules={key: list(value.get("matchers") or []) for key, value in rules.items()},
                       content_type=response.header("content-type"))


def iter_consumer_problems(status: int, content_type: str, body: bytes, expectations: Sequence[Expectation]) -> Iterator[str]:
    """Why a response fails every pact expectation for its status (nothing when one holds or none applies).

    Values are compared by shape, not by equality: fuzzed inputs are not the pact's provider state, so
    a consumer can only rely on the fields, their types and the regexes its matchers give.
    """
    relevant = [expectation for expectation in expectations if expectation.status == status]
    if not relevant:
        return
    try:
        actual = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        actual = _NOT_JSON
    problems_by_expectation = [list(_expectation_problems(expectation, content_type, actual)) for expectation in relevant]
    if any(not problems for problems in problems_by_expectation):
        return
    best = min(range(len(relevant)), key=lambda index: len(problems_by_expectation[index]))
    expectation = relevant[best]
    for problem in problems_by_expectation[best][:3]:
        yield f"{expectation.consumer} ({expectation.description}): {problem}"


_NOT_JSON = object()


def _expectation_problems(expectation: Expectation, content_type: str, actual: Any) -> Iterator[str]:
    if expectation.content_type and not _same_media_type(expectation.content_type, content_type):
        yield f"Content-Type is {content_type or 'missing'}, the consumer expects {expectation.content_type}"
    if not expectation.has_body or expectation.body is None:
        return
    if actual is _NOT_JSON:
        yield "the body is not JSON"
        return
    yield from _compare(expectation.body, actual, "$", expectation.rules)


def _same_media_type(expected: str, actual: str) -> bool:
    return expected.split(";")[0].strip().lower() == actual.split(";")[0].strip().lower()


def _rule_for(path: str, rules: Mapping[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    wildcard = re.sub(r"\[\d+\]", "[*]", path)
    return rules.get(path) or rules.get(wildcard) or []


def _compare(expected: Any, actual: Any, path: str, rules: Mapping[str, list[dict[str, Any]]]) -> Iterator[str]:
    for matcher in _rule_for(path, rules):
        kind = matcher.get("match")
        if kind == "regex" and isinstance(actual, str) and not re.fullmatch(str(matcher.get("regex")), actual):
            yield f"{path} is {actual!r}, which does not match /{matcher.get('regex')}/"
            return
        if kind == "integer" and not (isinstance(actual, int) and not isinstance(actual, bool)):
            yield f"{path} is {_kind(actual)}, the consumer expects an integer"
            return
        if kind in ("decimal", "number") and not (isinstance(actual, (int, float)) and not isinstance(actual, bool)):
            yield f"{path} is {_kind(actual)}, the consumer expects a number"
            return
    if _kind(expected) != _kind(actual):
        yield f"{path} is {_kind(actual)}, the consumer expects {_kind(expected)}"
        return
    if isinstance(expected, dict):
        for key, value in expected.items():
            if key not in actual:
                yield f"{path}.{key} is missing, the consumer expects it"
            else:
                yield from _compare(value, actual[key], f"{path}.{key}", rules)
    elif isinstance(expected, list) and expected:
        # An array matcher (eachLike) gives one example for every item; plain arrays compare position by position.
        template_rule = bool(_rule_for(path, rules))
        for index, item in enumerate(actual):
            example = expected[0] if template_rule or index >= len(expected) else expected[index]
            yield from _compare(example, item, f"{path}[{index}]", rules)


def _kind(value: Any) -> str:
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
