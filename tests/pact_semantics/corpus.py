"""A matching corpus over every matcher of the Pact V2, V3 and V4 specifications and every body kind the Pact core
compares: each case is a pact interaction's response (status, headers, body, matching rules) and an actual
response. The verdicts are not written here: the Pact core's own verifier gives them (tests/pact_semantics/oracle.py).

The shapes come from three independent sources: the Pact specification's own test cases (pact-specification
`testcases/response/{body,headers,status}`), the V3/V4 matcher definitions, and bodies built with pact-python's
`pact.match` helpers and written by the core itself (`Pact(...).with_specification("V4")...write_file`).
"""

from __future__ import annotations

import base64
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

__all__ = ["Case", "build_corpus"]

JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Case:
    """One pact response and one actual response; `matcher` and `kind` only group the corpus for reporting."""

    index: int
    name: str
    matcher: str
    kind: str
    response: dict[str, Any]  # the V4 pact response: status, headers, body, matchingRules
    actual_status: int
    actual_headers: tuple[tuple[str, str], ...]
    actual_body: bytes

    @property
    def id(self) -> str:
        """case-N, with `-heldout` for every third case (index % 3 == 2)."""
        return f"case-{self.index}" + ("-heldout" if self.is_heldout else "")

    @property
    def is_heldout(self) -> bool:
        return self.index % 3 == 2


def m(kind: str, **attrs: Any) -> dict[str, Any]:
    return {"match": kind, **attrs}


def rule(*matchers: dict[str, Any], combine: str = "AND") -> dict[str, Any]:
    return {"combine": combine, "matchers": list(matchers)}


class _Builder:
    def __init__(self) -> None:
        self.cases: list[Case] = []

    def add(
        self,
        matcher: str,
        kind: str,
        name: str,
        response: dict[str, Any],
        actual_status: int,
        actual_headers: list[tuple[str, str]],
        actual_body: bytes,
    ) -> None:
        self.cases.append(
            Case(len(self.cases), name, matcher, kind, response, actual_status, tuple(actual_headers), actual_body)
        )

    def json(
        self,
        matcher: str,
        name: str,
        expected: Any,
        rules: dict[str, Any] | None,
        actual: Any,
        *,
        raw: bytes | None = None,
        actual_type: str = JSON,
    ) -> None:
        response: dict[str, Any] = {
            "status": 200,
            "headers": {"Content-Type": [JSON]},
            "body": {"content": expected, "contentType": JSON, "encoded": False},
        }
        if rules:
            response["matchingRules"] = {"body": {path: _as_rule(value) for path, value in rules.items()}}
        body = raw if raw is not None else json.dumps(actual).encode()
        self.add(matcher, "json", name, response, 200, [("Content-Type", actual_type)], body)

    def typed(
        self,
        matcher: str,
        kind: str,
        media: str,
        name: str,
        expected: str | bytes,
        rules: dict[str, Any] | None,
        actual: str | bytes,
        *,
        actual_type: str | None = None,
    ) -> None:
        if isinstance(expected, bytes):
            body = {"content": base64.b64encode(expected).decode(), "contentType": media, "encoded": "base64"}
        else:
            body = {"content": expected, "contentType": media, "encoded": False}
        response: dict[str, Any] = {"status": 200, "headers": {"Content-Type": [media]}, "body": body}
        if rules:
            response["matchingRules"] = {"body": {path: _as_rule(value) for path, value in rules.items()}}
        data = actual if isinstance(actual, bytes) else actual.encode()
        headers = [("Content-Type", actual_type if actual_type is not None else media)]
        self.add(matcher, kind, name, response, 200, [h for h in headers if h[1]], data)

    def headers(
        self,
        matcher: str,
        name: str,
        expected: dict[str, Any],
        rules: dict[str, Any] | None,
        actual: list[tuple[str, str]],
    ) -> None:
        response: dict[str, Any] = {"status": 200, "headers": expected}
        if rules:
            response["matchingRules"] = {"header": {key: _as_rule(value) for key, value in rules.items()}}
        self.add(matcher, "headers", name, response, 200, actual, b"")

    def status(self, matcher: str, name: str, expected: int, rules: dict[str, Any] | None, actual: int) -> None:
        response: dict[str, Any] = {"status": expected}
        if rules:
            response["matchingRules"] = {"status": rules}
        self.add(matcher, "status", name, response, actual, [], b"")


def _as_rule(value: Any) -> dict[str, Any]:
    if isinstance(value, dict) and "matchers" in value:
        return value
    if isinstance(value, dict):
        return rule(value)
    return rule(*value)


# ---------------------------------------------------------------- the Pact specification's test cases


def _specification(b: _Builder) -> None:
    """The shapes of pact-specification testcases/response/body, headers and status."""
    simple = {"alligator": {"name": "Mary", "feet": 4, "favouriteColours": ["red", "blue"]}}
    b.json("equality", "matches", simple, None, simple)
    b.json(
        "equality",
        "array in different order",
        simple,
        None,
        {"alligator": {"name": "Mary", "feet": 4, "favouriteColours": ["blue", "red"]}},
    )
    b.json(
        "equality",
        "different value found at index",
        simple,
        None,
        {"alligator": {"name": "Mary", "feet": 4, "favouriteColours": ["red", "taupe"]}},
    )
    b.json(
        "equality",
        "different value found at key",
        simple,
        None,
        {"alligator": {"name": "Mary", "feet": 5, "favouriteColours": ["red", "blue"]}},
    )
    b.json(
        "equality",
        "keys out of order match",
        {"alligator": {"name": "Mary", "feet": 4}},
        None,
        {"alligator": {"feet": 4, "name": "Mary"}},
    )
    b.json(
        "equality",
        "missing index",
        simple,
        None,
        {"alligator": {"name": "Mary", "feet": 4, "favouriteColours": ["red"]}},
    )
    b.json(
        "equality", "missing key", simple, None, {"alligator": {"name": "Mary", "favouriteColours": ["red", "blue"]}}
    )
    b.json("equality", "not null found at key when null expected", {"name": None}, None, {"name": "Mary"})
    b.json(
        "equality",
        "not null found in array when null expected",
        {"list": ["1", None, "3"]},
        None,
        {"list": ["1", "2", "3"]},
    )
    b.json("equality", "null found at key where not null expected", {"name": "Mary"}, None, {"name": None})
    b.json(
        "equality",
        "null found in array when not null expected",
        {"list": ["1", "2", "3"]},
        None,
        {"list": ["1", None, "3"]},
    )
    b.json("equality", "number found at key when string expected", {"nameId": "1"}, None, {"nameId": 1})
    b.json("equality", "number found in array when string expected", {"list": ["1", "2"]}, None, {"list": [1, "2"]})
    b.json(
        "equality",
        "property name is different case",
        {"alligator": {"FavouriteColour": "red"}},
        None,
        {"alligator": {"favouritecolour": "red"}},
    )
    b.json("equality", "string found at key when number expected", {"feet": 4}, None, {"feet": "4"})
    b.json("equality", "string found in array when number expected", {"list": [1, 2]}, None, {"list": [1, "2"]})
    b.json("equality", "unexpected index with not null value", {"list": ["a", "b"]}, None, {"list": ["a", "b", "c"]})
    b.json("equality", "unexpected index with null value", {"list": ["a", "b"]}, None, {"list": ["a", "b", None]})
    b.json("equality", "unexpected key with not null value", {"name": "Mary"}, None, {"name": "Mary", "age": 79})
    b.json("equality", "unexpected key with null value", {"name": "Mary"}, None, {"name": "Mary", "age": None})
    b.json(
        "equality",
        "deeply nested objects",
        {"a": {"b": {"c": {"d": {"e": 1}}}}},
        None,
        {"a": {"b": {"c": {"d": {"e": 1, "f": 2}}}}},
    )
    b.json("equality", "matches with floats", {"product": {"price": 12.5}}, None, {"product": {"price": 12.5}})
    b.json("equality", "floats that differ", {"product": {"price": 12.5}}, None, {"product": {"price": 12.50001}})
    b.json("equality", "integer and float with the same value", {"n": 1}, None, {"n": 1.0})
    animals = {"animals": [{"name": "Fred"}, {"name": "Mary"}]}
    b.json(
        "equality",
        "objects in array first matches",
        animals,
        None,
        {"animals": [{"name": "Fred"}, {"name": "Mary"}, {"name": "X"}]},
    )
    b.json("equality", "objects in array no matches", animals, None, {"animals": [{"name": "Mary"}, {"name": "Fred"}]})
    b.json(
        "type",
        "objects in array type matching",
        animals,
        {"$.animals": m("type", min=1), "$.animals[*].name": m("type")},
        {"animals": [{"name": "Peter"}, {"name": "Paul"}, {"name": "John"}]},
    )
    b.json(
        "type",
        "additional property with type matcher",
        {"a": {"x": 1}},
        {"$.a": m("type")},
        {"a": {"x": 2, "y": "extra"}},
    )
    b.json(
        "type",
        "additional property with type matcher that does not match",
        {"a": {"x": 1}},
        {"$.a": m("type")},
        {"a": {"x": "2", "y": "extra"}},
    )
    b.json("type", "array with type matcher", {"myDates": [10]}, {"$.myDates": m("type")}, {"myDates": [20, 5, 1910]})
    b.json(
        "type",
        "array with type matcher mismatch",
        {"myDates": [10]},
        {"$.myDates[*]": m("type")},
        {"myDates": [20, "5", 1910]},
    )
    b.json(
        "regex",
        "array with regex matcher",
        {"myDates": ["29/10/2015"]},
        {"$.myDates": m("type"), "$.myDates[*]": m("regex", regex=r"\d{2}/\d{2}/\d{4}")},
        {"myDates": ["01/11/2010", "15/12/2014"]},
    )
    b.json(
        "regex",
        "matches with regex",
        {"alligator": {"name": "Mary", "feet": 4}},
        {"$.alligator.name": m("regex", regex="\\w+"), "$.alligator.feet": m("regex", regex="\\d+")},
        {"alligator": {"name": "Harry", "feet": 4}},
    )
    b.json(
        "regex",
        "matches with regex with bracket notation",
        {"2": {"3": "x"}},
        {"$['2']['3']": m("regex", regex="\\w+")},
        {"2": {"3": "yz"}},
    )
    b.json(
        "type",
        "array with nested array that matches",
        {"animals": [{"children": [{"age": 9}]}]},
        {
            "$.animals": m("type", min=1),
            "$.animals[*].children": m("type", min=1),
            "$.animals[*].children[*].age": m("integer"),
        },
        {"animals": [{"children": [{"age": 1}, {"age": 4}]}, {"children": [{"age": 3}]}]},
    )
    b.json(
        "type",
        "array with nested array that does not match",
        {"animals": [{"children": [{"age": 9}]}]},
        {
            "$.animals": m("type", min=1),
            "$.animals[*].children": m("type", min=1),
            "$.animals[*].children[*].age": m("integer"),
        },
        {"animals": [{"children": [{"age": 1}, {"age": "four"}]}, {"children": []}]},
    )
    b.json(
        "type",
        "array with at least one element not matching example type",
        {"animals": [{"name": "Fred"}]},
        {"$.animals": m("type", min=1)},
        {"animals": [{"name": "Fred"}, {"name": 1}]},
    )
    b.json(
        "type",
        "array size less than required",
        {"animals": [{"name": "Fred"}]},
        {"$.animals": m("type", min=2)},
        {"animals": [{"name": "Fred"}]},
    )
    b.json(
        "regex",
        "array with regular expression that does not match in element",
        {"a": ["a1"]},
        {"$.a": m("type", min=1), "$.a[*]": m("regex", regex="[a-z]\\d")},
        {"a": ["a1", "bb"]},
    )
    b.json("equality", "missing body", None, None, {"a": 1}, raw=b"")
    b.json("equality", "null body", None, None, None, raw=b"null")
    b.json("equality", "not null body found when null expected", None, None, {"a": 1})
    b.headers(
        "headers",
        "header matches",
        {"Accept": ["alligators"], "Content-Type": ["hippos"]},
        None,
        [("Accept", "alligators"), ("Content-Type", "hippos")],
    )
    b.headers("headers", "empty headers", {}, None, [("Accept", "alligators")])
    b.headers("headers", "header name is different case", {"Accept": ["alligators"]}, None, [("ACCEPT", "alligators")])
    b.headers("headers", "header value is different case", {"Accept": ["alligators"]}, None, [("Accept", "Alligators")])
    b.headers(
        "headers",
        "order of comma separated header values different",
        {"Accept": ["alligators, hippos"]},
        None,
        [("Accept", "hippos, alligators")],
    )
    b.headers(
        "headers",
        "unexpected header found",
        {"Accept": ["alligators"]},
        None,
        [("Accept", "alligators"), ("X-Extra", "1")],
    )
    b.headers(
        "headers",
        "whitespace after comma different",
        {"Accept": ["alligators,hippos"]},
        None,
        [("Accept", "alligators, hippos")],
    )
    b.headers("headers", "header missing", {"X-Id": ["1"]}, None, [("X-Other", "1")])
    b.status("status", "status matches", 202, None, 202)
    b.status("status", "different status", 202, None, 400)


# ---------------------------------------------------------------- the V3/V4 matcher definitions, by matcher


def _scalars(b: _Builder) -> None:
    for name, expected, actual in [
        ("string", "x", "y"),
        ("string vs number", "x", 1),
        ("number", 1, 250),
        ("integer vs decimal", 1, 2.5),
        ("boolean", True, False),
        ("boolean vs string", True, "true"),
        ("null", None, None),
        ("null vs string", None, ""),
        ("object", {"a": 1}, {"b": 2}),
        ("array vs object", [1], {"a": 1}),
        ("string vs null", "x", None),
    ]:
        b.json("type", f"type: {name}", {"v": expected}, {"$.v": m("type")}, {"v": actual})
    b.json(
        "type",
        "type on the root cascades",
        {"a": 1, "b": {"c": "x"}},
        {"$": m("type")},
        {"a": 5, "b": {"c": "y", "d": 0}},
    )
    b.json(
        "type",
        "type on the root, a nested type differs",
        {"a": 1, "b": {"c": "x"}},
        {"$": m("type")},
        {"a": 5, "b": {"c": 1}},
    )
    b.json("type", "type on the root, a key missing", {"a": 1, "b": 2}, {"$": m("type")}, {"a": 5})
    b.json(
        "type",
        "type with a wildcard key",
        {"a": {"x": 1, "y": 2}},
        {"$.a.*": m("type")},
        {"a": {"x": 9, "y": 8, "z": "s"}},
    )
    b.json(
        "type",
        "type cascades into an array's items",
        {"l": [{"a": 1}]},
        {"$.l": m("type")},
        {"l": [{"a": 2}, {"a": 3}]},
    )
    b.json("type", "type on an empty expected array", {"l": []}, {"$.l": m("type")}, {"l": [1, 2]})
    b.json("type", "type on a list, items of another type", {"l": [1]}, {"$.l": m("type")}, {"l": [1, "a"]})
    for regex, actual in [
        ("^[a-z]+$", "abc"),
        ("^[a-z]+$", "ab1"),
        ("[a-z]", "1a1"),
        ("\\d+", 1234),
        ("\\d+", "x1"),
        ("^true$", True),
        ("^\\d+\\.\\d+$", 1.5),
        ("^$", ""),
        ("null", None),
        ("^a|b$", "xb"),
    ]:
        b.json("regex", f"regex {regex} on {actual!r}", {"v": "abc"}, {"$.v": m("regex", regex=regex)}, {"v": actual})
    b.json("regex", "regex on an object", {"v": {"a": "x"}}, {"$.v": m("regex", regex=".*")}, {"v": {"a": "y"}})
    b.json("regex", "regex on array items", {"v": ["ab"]}, {"$.v[*]": m("regex", regex="^a")}, {"v": ["ax", "ay"]})
    b.json(
        "regex",
        "regex on array items, one fails",
        {"v": ["ab"]},
        {"$.v[*]": m("regex", regex="^a")},
        {"v": ["ax", "by"]},
    )
    b.json("regex", "regex with unicode", {"v": "é"}, {"$.v": m("regex", regex="^\\w$")}, {"v": "ü"})
    for expected, actual in [
        ("x", "x"),
        ("x", "y"),
        (1, 1),
        (1, 1.0),
        ({"a": [1]}, {"a": [1]}),
        ({"a": [1]}, {"a": [1], "b": 2}),
        ([1, 2], [2, 1]),
        (None, None),
    ]:
        b.json(
            "equality", f"equality {expected!r} vs {actual!r}", {"v": expected}, {"$.v": m("equality")}, {"v": actual}
        )
    b.json(
        "equality",
        "equality under a type rule",
        {"a": {"b": "x", "c": "y"}},
        {"$.a": m("type"), "$.a.b": m("equality")},
        {"a": {"b": "x", "c": "z"}},
    )
    b.json(
        "equality",
        "equality under a type rule fails",
        {"a": {"b": "x", "c": "y"}},
        {"$.a": m("type"), "$.a.b": m("equality")},
        {"a": {"b": "q", "c": "z"}},
    )
    for value, actual in [
        ("ell", "hello"),
        ("ell", "help"),
        ("12", 3124),
        ("", "x"),
        ("x", None),
        ("tr", True),
        ("a", ["a"]),
    ]:
        b.json(
            "include",
            f"include {value!r} in {actual!r}",
            {"v": "hello"},
            {"$.v": m("include", value=value)},
            {"v": actual},
        )
    for kind, actual in [
        ("number", 1),
        ("number", 1.5),
        ("number", "1"),
        ("number", True),
        ("number", None),
        ("integer", 1),
        ("integer", 1.0),
        ("integer", 1.5),
        ("integer", "1"),
        ("integer", -7),
        ("integer", 10**20),
        ("decimal", 1.5),
        ("decimal", 1),
        ("decimal", 1.0),
        ("decimal", "1.5"),
        ("decimal", -0.25),
    ]:
        b.json(kind, f"{kind} on {actual!r}", {"v": 2}, {"$.v": m(kind)}, {"v": actual})
    b.json("decimal", "decimal written 1.0 in the body", {"v": 2.5}, {"$.v": m("decimal")}, None, raw=b'{"v": 1.0}')
    b.json("integer", "integer written 1e3 in the body", {"v": 2}, {"$.v": m("integer")}, None, raw=b'{"v": 1e3}')
    b.json("number", "number on an array", {"v": 2}, {"$.v": m("number")}, {"v": [1]})
    for actual in [True, False, "true", "false", "TRUE", 1, 0, None, "yes"]:
        b.json("boolean", f"boolean on {actual!r}", {"v": True}, {"$.v": m("boolean")}, {"v": actual})
    for actual in [None, "null", 0, "", False, {}]:
        b.json("null", f"null on {actual!r}", {"v": None}, {"$.v": m("null")}, {"v": actual})


def _formats(b: _Builder) -> None:
    cases = [
        ("date", {"format": "yyyy-MM-dd"}, "2024-02-29"),
        ("date", {"format": "yyyy-MM-dd"}, "2023-02-29"),
        ("date", {"format": "yyyy-MM-dd"}, "2024-2-3"),
        ("date", {"format": "dd/MM/yyyy"}, "03/02/2024"),
        ("date", {"format": "dd/MM/yyyy"}, "2024-02-03"),
        ("date", {}, "2024-02-03"),
        ("date", {}, "20240203"),
        ("date", {"date": "yyyy-MM-dd"}, "2024-13-01"),
        ("date", {"format": "yyyy-MM-dd"}, 20240203),
        ("date", {"format": "EEE, dd MMM yyyy"}, "Sat, 03 Feb 2024"),
        ("date", {"format": "yyyy-MM-dd"}, "2024-02-03x"),
        ("time", {"format": "HH:mm:ss"}, "10:20:30"),
        ("time", {"format": "HH:mm:ss"}, "25:20:30"),
        ("time", {"format": "HH:mm"}, "10:20:30"),
        ("time", {}, "10:20:30"),
        ("time", {"time": "hh:mm a"}, "10:20 PM"),
        ("time", {"format": "HH:mm:ss.SSS"}, "10:20:30.123"),
        ("time", {}, "T10:20:30"),
        ("datetime", {"format": "yyyy-MM-dd'T'HH:mm:ss"}, "2024-02-03T10:20:30"),
        ("datetime", {"format": "yyyy-MM-dd'T'HH:mm:ss"}, "2024-02-03 10:20:30"),
        ("datetime", {"format": "yyyy-MM-dd'T'HH:mm:ssXXX"}, "2024-02-03T10:20:30+01:00"),
        ("datetime", {"format": "yyyy-MM-dd'T'HH:mm:ssXXX"}, "2024-02-03T10:20:30Z"),
        ("datetime", {"format": "yyyy-MM-dd'T'HH:mm:ss.SSSX"}, "2024-02-03T10:20:30.123Z"),
        ("datetime", {}, "2024-02-03T10:20:30Z"),
        ("datetime", {}, "2024-02-03T10:20:30"),
        ("timestamp", {"format": "yyyy-MM-dd HH:mm:ss"}, "2024-02-03 10:20:30"),
        ("timestamp", {"timestamp": "yyyy-MM-dd HH:mm:ss"}, "2024-02-03T10:20:30"),
        ("timestamp", {}, "2024-02-03T10:20:30.000+01:00"),
        ("timestamp", {"format": "yyyy-MM-dd'T'HH:mm:ssZ"}, "2024-02-03T10:20:30+0100"),
        ("timestamp", {"format": "EEE, d MMM yyyy HH:mm:ss z"}, "Sat, 3 Feb 2024 10:20:30 GMT"),
    ]
    for kind, attrs, actual in cases:
        b.json(
            kind if kind != "datetime" else "timestamp",
            f"{kind} {attrs} on {actual!r}",
            {"v": "x"},
            {"$.v": m(kind, **attrs)},
            {"v": actual},
        )


def _arrays(b: _Builder) -> None:
    item = {"id": 1, "name": "a"}
    for kind, attrs, count in [
        ("type", {"min": 1}, 0),
        ("type", {"min": 1}, 1),
        ("type", {"min": 2}, 3),
        ("type", {"max": 2}, 3),
        ("type", {"max": 2}, 2),
        ("type", {"min": 1, "max": 2}, 0),
        ("type", {"min": 1, "max": 2}, 2),
        ("type", {"min": 1, "max": 2}, 3),
        ("min", {"min": 2}, 1),
        ("max", {"max": 1}, 2),
        ("type", {"min": 0}, 0),
        ("type", {"max": 0}, 1),
    ]:
        b.json(
            "min/max",
            f"{kind} {attrs} with {count} item(s)",
            {"items": [item]},
            {"$.items": m(kind, **attrs)},
            {"items": [{"id": n, "name": "b"} for n in range(count)]},
        )
    b.json(
        "min/max",
        "min: items compared with the first expected one",
        {"items": [item]},
        {"$.items": m("type", min=1)},
        {"items": [{"id": 2, "name": "b"}, {"id": "3", "name": "c"}]},
    )
    b.json(
        "min/max",
        "min: an item missing a key",
        {"items": [item]},
        {"$.items": m("type", min=1)},
        {"items": [{"id": 2}]},
    )
    b.json("min/max", "min on a string", {"v": "abc"}, {"$.v": m("type", min=5)}, {"v": "a"})
    b.json("min/max", "max on an object", {"v": {"a": 1}}, {"$.v": m("type", max=0)}, {"v": {"a": 1, "b": 2}})
    b.json(
        "min/max",
        "min with an item rule",
        {"items": [item]},
        {"$.items": m("type", min=1), "$.items[*].id": m("integer")},
        {"items": [{"id": 1.5, "name": "b"}]},
    )
    b.json(
        "min/max",
        "two expected items, more actual",
        {"items": [{"a": 1}, {"b": "x"}]},
        {"$.items": m("type", min=1)},
        {"items": [{"a": 1}, {"b": "y"}, {"a": 3}]},
    )
    b.json(
        "min/max",
        "two expected items, third compared with the first",
        {"items": [{"a": 1}, {"b": "x"}]},
        {"$.items": m("type", min=1)},
        {"items": [{"a": 1}, {"b": "y"}, {"b": "z"}]},
    )
    b.json("min/max", "nested arrays under min", {"l": [[1]]}, {"$.l": m("type", min=1)}, {"l": [[1, 2], [3]]})
    b.json(
        "min/max",
        "nested arrays under min with a string inside",
        {"l": [[1]]},
        {"$.l": m("type", min=1)},
        {"l": [[1, "2"]]},
    )
    b.json(
        "min/max",
        "min on the root array",
        [item],
        {"$": m("type", min=1)},
        [{"id": 5, "name": "q"}, {"id": 6, "name": "r"}],
    )
    b.json("min/max", "min on the root array, empty", [item], {"$": m("type", min=1)}, [])
    b.json("min/max", "V2 min without match", {"items": [1]}, {"$.items": {"min": 1}}, {"items": [2, 3]})
    b.json("min/max", "V2 max without match", {"items": [1]}, {"$.items": {"max": 1}}, {"items": [2, 3]})
    for variants, actual in [
        ([{"index": 0, "rules": {"$.id": rule(m("integer"))}}], [{"id": 1}, {"id": "x"}]),
        ([{"index": 0, "rules": {"$.id": rule(m("integer"))}}], [{"id": "a"}, {"id": "x"}]),
        ([{"index": 0, "rules": {}}, {"index": 1, "rules": {}}], [{"id": 2}, {"id": 1}, {"id": 3}]),
        ([{"index": 0, "rules": {}}, {"index": 1, "rules": {}}], [{"id": 1}]),
        ([{"index": 0, "rules": {"$.id": rule(m("type"))}}], []),
        ([{"index": 0, "rules": {"$.id": rule(m("regex", regex="^a"))}}], [{"id": "b"}, {"id": "ab"}]),
        ([{"index": 1, "rules": {"$.id": rule(m("type"))}}], [{"id": "q"}]),
        ([{"index": 0, "rules": {}}], [{"id": 1, "extra": True}]),
    ]:
        expected = [{"id": 1}, {"id": 2}] if any(v["index"] == 1 for v in variants) else [{"id": 1}]
        b.json(
            "arrayContains",
            f"arrayContains {variants} in {actual}",
            {"v": expected},
            {"$.v": m("arrayContains", variants=variants)},
            {"v": actual},
        )
    b.json(
        "arrayContains",
        "arrayContains on scalars",
        {"v": [1, "x"]},
        {
            "$.v": m(
                "arrayContains", variants=[{"index": 0, "rules": {"$": rule(m("integer"))}}, {"index": 1, "rules": {}}]
            )
        },
        {"v": ["y", "x", 7]},
    )
    b.json(
        "arrayContains",
        "arrayContains on an object",
        {"v": [1]},
        {"$.v": m("arrayContains", variants=[{"index": 0, "rules": {}}])},
        {"v": {"a": 1}},
    )


def _maps(b: _Builder) -> None:
    for actual in [{"a": 1, "b": 2}, {"a": 1, "b": "x"}, {}, {"zz": 5}]:
        b.json("values", f"values on {actual}", {"v": {"a": 1}}, {"$.v": m("values")}, {"v": actual})
    b.json(
        "values",
        "values with a rule on the values",
        {"v": {"a": 1}},
        {"$.v": m("values"), "$.v.*": m("integer")},
        {"v": {"a": 1, "b": 2.5}},
    )
    b.json(
        "values",
        "values of objects",
        {"v": {"k": {"id": 1}}},
        {"$.v": m("values")},
        {"v": {"x": {"id": 2}, "y": {"id": "3"}}},
    )
    b.json("values", "values on a list", {"v": [1, 2]}, {"$.v": m("values")}, {"v": [2, 1]})
    b.json(
        "values",
        "values combined with type",
        {"v": {"a": 1}},
        {"$.v": rule(m("values"), m("type"))},
        {"v": {"b": 2, "c": 3}},
    )
    key_rules = [m("regex", regex="^[a-z]+$")]
    for actual in [{"abc": 1}, {"abc": 1, "Bad": 2}, {}, {"a": "x"}, {"1": 1}]:
        b.json(
            "eachKey",
            f"eachKey regex on {actual}",
            {"v": {"abc": 1}},
            {"$.v": m("eachKey", rules=key_rules)},
            {"v": actual},
        )
    b.json(
        "eachKey",
        "eachKey with the pact's key missing",
        {"v": {"abc": 1}},
        {"$.v": m("eachKey", rules=key_rules)},
        {"v": {"xyz": 1}},
    )
    b.json(
        "eachKey",
        "eachKey with a type matcher",
        {"v": {"a": 1}},
        {"$.v": m("eachKey", rules=[m("type")])},
        {"v": {"z": 1}},
    )
    b.json(
        "eachKey",
        "eachKey with an include",
        {"v": {"id-1": 1}},
        {"$.v": m("eachKey", rules=[m("include", value="id-")])},
        {"v": {"id-1": 1, "x": 2}},
    )
    b.json("eachKey", "eachKey on a list", {"v": {"a": 1}}, {"$.v": m("eachKey", rules=key_rules)}, {"v": [1]})
    for actual in [{"a": 1, "b": 2}, {"a": 1, "b": "2"}, {}, {"a": 1.5}, {"q": None}]:
        b.json(
            "eachValue",
            f"eachValue integer on {actual}",
            {"v": {"a": 1}},
            {"$.v": m("eachValue", rules=[m("integer")])},
            {"v": actual},
        )
    b.json(
        "eachValue",
        "eachValue with a regex",
        {"v": {"a": "x1"}},
        {"$.v": m("eachValue", rules=[m("regex", regex="^x\\d$")])},
        {"v": {"a": "x1", "b": "x2", "c": "y3"}},
    )
    b.json(
        "eachValue",
        "eachValue with type on objects",
        {"v": {"a": {"n": 1}}},
        {"$.v": m("eachValue", rules=[m("type")])},
        {"v": {"a": {"n": 2}, "b": {"n": "x"}}},
    )
    b.json(
        "eachValue",
        "eachValue with type on objects missing a key",
        {"v": {"a": {"n": 1}}},
        {"$.v": m("eachValue", rules=[m("type")])},
        {"v": {"b": {"m": 2}}},
    )
    b.json(
        "eachValue", "eachValue on a list", {"v": [1]}, {"$.v": m("eachValue", rules=[m("integer")])}, {"v": [1, "x"]}
    )
    b.json(
        "eachValue",
        "eachKey and eachValue",
        {"v": {"ab": 1}},
        {"$.v": rule(m("eachKey", rules=key_rules), m("eachValue", rules=[m("integer")]))},
        {"v": {"cd": 2, "ef": "3"}},
    )


def _v4(b: _Builder) -> None:
    for actual in ["x", "", [], [1], {}, {"a": 1}, None, 0, 5, False, " "]:
        b.json("notEmpty", f"notEmpty on {actual!r}", {"v": "abc"}, {"$.v": m("notEmpty")}, {"v": actual})
    b.json("notEmpty", "notEmpty on a list expected", {"v": [1]}, {"$.v": m("notEmpty")}, {"v": ["a"]})
    b.json("notEmpty", "notEmpty on a list expected, got a string", {"v": [1]}, {"$.v": m("notEmpty")}, {"v": "a"})
    b.json(
        "notEmpty", "notEmpty on an object expected", {"v": {"a": 1}}, {"$.v": m("notEmpty")}, {"v": {"a": 2, "b": 3}}
    )
    b.json("notEmpty", "notEmpty on a number expected", {"v": 1}, {"$.v": m("notEmpty")}, {"v": 2})
    b.json("notEmpty", "notEmpty on a number expected, got a string", {"v": 1}, {"$.v": m("notEmpty")}, {"v": "2"})
    for actual in [
        "1.2.3",
        "1.2",
        "v1.2.3",
        "1.2.3-beta.1",
        "1.2.3+build.5",
        "01.2.3",
        1,
        "1.2.3.4",
        "10.20.30-rc.1+b",
    ]:
        b.json("semver", f"semver on {actual!r}", {"v": "1.0.0"}, {"$.v": m("semver")}, {"v": actual})
    for combine, matchers, actual in [
        ("OR", [m("null"), m("integer")], None),
        ("OR", [m("null"), m("integer")], 5),
        ("OR", [m("null"), m("integer")], "5"),
        ("AND", [m("type"), m("regex", regex="^P\\d+$")], "P12"),
        ("AND", [m("type"), m("regex", regex="^P\\d+$")], "Q12"),
        ("AND", [m("integer"), m("regex", regex="^\\d{2}$")], 123),
        ("OR", [m("regex", regex="^a"), m("regex", regex="b$")], "xb"),
        ("OR", [m("regex", regex="^a"), m("regex", regex="b$")], "xc"),
        ("AND", [m("include", value="a"), m("include", value="b")], "ab"),
        ("AND", [m("include", value="a"), m("include", value="b")], "a"),
        ("OR", [m("decimal"), m("integer")], "1"),
        ("OR", [m("equality"), m("null")], None),
        ("OR", [m("equality"), m("null")], "other"),
    ]:
        b.json(
            "combine",
            f"{combine} {[x['match'] for x in matchers]} on {actual!r}",
            {"v": "abc" if combine == "AND" else 1},
            {"$.v": rule(*matchers, combine=combine)},
            {"v": actual},
        )
    b.json(
        "combine",
        "OR type min on a list",
        {"v": [1]},
        {"$.v": rule(m("type", min=2), m("null"), combine="OR")},
        {"v": [1]},
    )
    b.json(
        "combine",
        "OR type min on null",
        {"v": [1]},
        {"$.v": rule(m("type", min=2), m("null"), combine="OR")},
        {"v": None},
    )
    b.status("statusCode", "statusCode success on 201", 200, {"$": rule(m("statusCode", status="success"))}, 201)
    b.status("statusCode", "statusCode success on 404", 200, {"$": rule(m("statusCode", status="success"))}, 404)
    b.status(
        "statusCode", "statusCode clientError on 404", 400, {"$": rule(m("statusCode", status="clientError"))}, 404
    )
    b.status("statusCode", "statusCode error on 503", 400, {"$": rule(m("statusCode", status="error"))}, 503)
    b.status("statusCode", "statusCode nonError on 302", 200, {"$": rule(m("statusCode", status="nonError"))}, 302)
    b.status("statusCode", "statusCode list on 204", 200, {"$": rule(m("statusCode", status=[200, 204]))}, 204)
    b.status("statusCode", "statusCode list on 202", 200, {"$": rule(m("statusCode", status=[200, 204]))}, 202)
    b.status("statusCode", "statusCode redirect on 200", 301, {"$": rule(m("statusCode", status="redirect"))}, 200)
    b.status("status", "status 200 vs 201", 200, None, 201)
    b.status("status", "status 404 vs 404", 404, None, 404)


def _headers(b: _Builder) -> None:
    b.headers(
        "headers",
        "content type with charset",
        {"Content-Type": ["application/json"]},
        None,
        [("Content-Type", "application/json; charset=UTF-8")],
    )
    b.headers(
        "headers",
        "content type with another charset expected",
        {"Content-Type": ["application/json; charset=UTF-8"]},
        None,
        [("Content-Type", "application/json")],
    )
    b.headers(
        "headers",
        "content type parameters differ",
        {"Content-Type": ["text/plain; charset=UTF-8"]},
        None,
        [("Content-Type", "text/plain; charset=ISO-8859-1")],
    )
    b.headers(
        "headers",
        "content type charset case",
        {"Content-Type": ["text/plain; charset=utf-8"]},
        None,
        [("Content-Type", "text/plain;charset=UTF-8")],
    )
    b.headers(
        "headers",
        "content type base differs",
        {"Content-Type": ["application/json"]},
        None,
        [("Content-Type", "application/hal+json")],
    )
    b.headers("headers", "a list of values vs a comma list", {"X-Values": ["a", "b"]}, None, [("X-Values", "a, b")])
    b.headers(
        "headers",
        "a list of values vs repeated headers",
        {"X-Values": ["a", "b"]},
        None,
        [("X-Values", "a"), ("X-Values", "b")],
    )
    b.headers("headers", "a list of values, one missing", {"X-Values": ["a", "b"]}, None, [("X-Values", "a")])
    b.headers(
        "headers",
        "a value with a date",
        {"Expires": ["Wed, 21 Oct 2015 07:28:00 GMT"]},
        None,
        [("Expires", "Wed, 21 Oct 2015 07:28:00 GMT")],
    )
    b.headers("headers", "trailing whitespace", {"X-A": ["1"]}, None, [("X-A", "1 ")])
    b.headers(
        "headers",
        "regex rule on a header",
        {"X-Id": ["abc-1"]},
        {"X-Id": m("regex", regex="^[a-z]+-\\d+$")},
        [("X-Id", "xyz-42")],
    )
    b.headers(
        "headers",
        "regex rule on a header fails",
        {"X-Id": ["abc-1"]},
        {"X-Id": m("regex", regex="^[a-z]+-\\d+$")},
        [("X-Id", "xyz")],
    )
    b.headers(
        "headers",
        "regex rule keyed in lower case",
        {"X-Id": ["abc-1"]},
        {"x-id": m("regex", regex="^[a-z]+-\\d+$")},
        [("X-Id", "q-2")],
    )
    b.headers("headers", "type rule on a header", {"X-Id": ["abc"]}, {"X-Id": m("type")}, [("X-Id", "other")])
    b.headers("headers", "integer rule on a header", {"X-Count": ["5"]}, {"X-Count": m("integer")}, [("X-Count", "12")])
    b.headers(
        "headers", "integer rule on a header fails", {"X-Count": ["5"]}, {"X-Count": m("integer")}, [("X-Count", "1.5")]
    )
    b.headers(
        "headers",
        "include rule on a header",
        {"Link": ["<a>; rel=next"]},
        {"Link": m("include", value="rel=next")},
        [("Link", "<b>; rel=next")],
    )
    b.headers(
        "headers",
        "regex rule on a list header",
        {"X-Values": ["a1", "b2"]},
        {"X-Values": m("regex", regex="^[a-z]\\d$")},
        [("X-Values", "c3, d4")],
    )
    b.headers("headers", "regex rule on a missing header", {"X-Id": ["abc-1"]}, {"X-Id": m("regex", regex=".*")}, [])
    b.headers(
        "headers",
        "content type rule regex",
        {"Content-Type": ["application/json"]},
        {"Content-Type": m("regex", regex="^application/.*json")},
        [("Content-Type", "application/vnd.api+json")],
    )
    b.headers(
        "headers",
        "date rule on a header",
        {"X-Day": ["2024-01-01"]},
        {"X-Day": m("date", format="yyyy-MM-dd")},
        [("X-Day", "2024-1-1")],
    )
    b.headers(
        "headers", "equal values, differing case in name and value", {"X-Mode": ["fast"]}, None, [("x-mode", "FAST")]
    )
    b.headers(
        "headers",
        "semicolon parameters in another header",
        {"Cache-Control": ["max-age=60, public"]},
        None,
        [("Cache-Control", "max-age=60,public")],
    )


def _bodies(b: _Builder) -> None:
    text = "text/plain"
    b.typed("equality", "text", text, "text equal", "hello world", None, "hello world")
    b.typed("equality", "text", text, "text differs", "hello world", None, "hello World")
    b.typed("equality", "text", text, "text trailing newline", "hello", None, "hello\n")
    b.typed(
        "regex", "text", text, "text with a regex rule", "order 1", {"$": m("regex", regex="^order \\d+$")}, "order 42"
    )
    b.typed(
        "regex",
        "text",
        text,
        "text with a regex rule fails",
        "order 1",
        {"$": m("regex", regex="^order \\d+$")},
        "order x",
    )
    b.typed("include", "text", text, "text with include", "hello", {"$": m("include", value="ell")}, "well hello")
    b.typed("type", "text", text, "text with a type rule", "hello", {"$": m("type")}, "anything")
    b.typed(
        "equality",
        "text",
        text,
        "text charset in the actual type",
        "hi",
        None,
        "hi",
        actual_type="text/plain; charset=utf-8",
    )
    b.typed("equality", "text", text, "text served as html", "hi", None, "hi", actual_type="text/html")
    b.typed("equality", "text", text, "text served without a content type", "hi", None, "hi", actual_type="")
    b.typed("equality", "text", text, "empty text expected", "", None, "something")
    b.typed("equality", "json", JSON, "json expected, text served", '{"a": 1}', None, '{"a": 1}', actual_type=text)
    b.typed(
        "equality", "json", JSON, "json expected, no content type served", '{"a": 1}', None, '{"a": 1}', actual_type=""
    )
    b.typed(
        "equality", "json", JSON, "json expected, invalid json served", '{"a": 1}', None, '{"a": 1', actual_type=JSON
    )
    b.typed(
        "equality", "json", "application/hal+json", "hal json vs json", '{"a": 1}', None, '{"a": 1}', actual_type=JSON
    )
    b.typed(
        "equality",
        "json",
        JSON,
        "json served as vnd json",
        '{"a": 1}',
        None,
        '{"a": 1}',
        actual_type="application/vnd.x+json",
    )
    xml = "application/xml"
    doc = '<?xml version="1.0" encoding="UTF-8"?><root><item id="1">one</item><item id="2">two</item></root>'
    b.typed("equality", "xml", xml, "xml equal", doc, None, doc)
    b.typed("equality", "xml", xml, "xml whitespace between elements", doc, None, doc.replace("<item", "\n  <item"))
    b.typed("equality", "xml", xml, "xml text differs", doc, None, doc.replace("two", "deux"))
    b.typed("equality", "xml", xml, "xml attribute differs", doc, None, doc.replace('id="2"', 'id="3"'))
    b.typed("equality", "xml", xml, "xml extra attribute", doc, None, doc.replace('id="2"', 'id="2" x="y"'))
    b.typed("equality", "xml", xml, "xml missing element", doc, None, doc.replace('<item id="2">two</item>', ""))
    b.typed(
        "equality",
        "xml",
        xml,
        "xml extra element",
        doc,
        None,
        doc.replace("</root>", '<item id="3">three</item></root>'),
    )
    b.typed(
        "equality",
        "xml",
        xml,
        "xml other child name",
        doc,
        None,
        doc.replace('<item id="2">two</item>', '<other id="2">two</other>'),
    )
    b.typed("equality", "xml", xml, "xml other root", doc, None, doc.replace("root>", "base>"))
    b.typed("equality", "xml", xml, "xml invalid", doc, None, "<root><item>")
    b.typed("equality", "xml", xml, "xml served as text/xml", doc, None, doc, actual_type="text/xml")
    b.typed(
        "type",
        "xml",
        xml,
        "xml type rule on elements",
        doc,
        {"$.root.item": m("type", min=1)},
        '<root><item id="7">seven</item><item id="8">eight</item><item id="9">nine</item></root>',
    )
    b.typed("type", "xml", xml, "xml type rule, too few", doc, {"$.root.item": m("type", min=3)}, doc)
    b.typed(
        "regex",
        "xml",
        xml,
        "xml regex on an attribute",
        doc,
        {"$.root.item": m("type"), "$.root.item['@id']": m("regex", regex="^\\d+$")},
        '<root><item id="10">one</item><item id="11">two</item></root>',
    )
    b.typed(
        "regex",
        "xml",
        xml,
        "xml regex on an attribute fails",
        doc,
        {"$.root.item": m("type"), "$.root.item['@id']": m("regex", regex="^\\d+$")},
        '<root><item id="x">one</item><item id="11">two</item></root>',
    )
    b.typed(
        "regex",
        "xml",
        xml,
        "xml regex on text",
        doc,
        {"$.root.item": m("type"), "$.root.item['#text']": m("regex", regex="^[a-z]+$")},
        '<root><item id="1">uno</item><item id="2">dos</item></root>',
    )
    b.typed(
        "regex",
        "xml",
        xml,
        "xml regex on text fails",
        doc,
        {"$.root.item['#text']": m("regex", regex="^[a-z]+$")},
        '<root><item id="1">uno</item><item id="2">DOS2</item></root>',
    )
    b.typed(
        "integer",
        "xml",
        xml,
        "xml integer on text",
        "<a><n>1</n></a>",
        {"$.a.n['#text']": m("integer")},
        "<a><n>42</n></a>",
    )
    b.typed(
        "integer",
        "xml",
        xml,
        "xml integer on text fails",
        "<a><n>1</n></a>",
        {"$.a.n['#text']": m("integer")},
        "<a><n>4.2</n></a>",
    )
    b.typed(
        "type",
        "xml",
        xml,
        "xml type on the root",
        "<a><n>1</n><m>x</m></a>",
        {"$.a": m("type")},
        "<a><n>2</n><m>y</m></a>",
    )
    b.typed(
        "equality", "xml", xml, "xml namespaces", '<a xmlns="urn:x"><n>1</n></a>', None, '<a xmlns="urn:x"><n>1</n></a>'
    )
    b.typed("equality", "xml", xml, "xml element order", "<a><n>1</n><m>2</m></a>", None, "<a><m>2</m><n>1</n></a>")
    b.typed("equality", "xml", xml, "xml text vs empty", "<a><n>1</n></a>", None, "<a><n/></a>")
    form = "application/x-www-form-urlencoded"
    b.typed("equality", "form", form, "form equal", "a=1&b=x", None, "a=1&b=x")
    b.typed("equality", "form", form, "form in another order", "a=1&b=x", None, "b=x&a=1")
    b.typed("equality", "form", form, "form value differs", "a=1&b=x", None, "a=2&b=x")
    b.typed("equality", "form", form, "form key missing", "a=1&b=x", None, "a=1")
    b.typed("equality", "form", form, "form extra key", "a=1&b=x", None, "a=1&b=x&c=3")
    b.typed("equality", "form", form, "form encoded space", "a=hello+world", None, "a=hello%20world")
    b.typed("regex", "form", form, "form regex rule", "a=1&b=x", {"$.a": m("regex", regex="^\\d+$")}, "a=77&b=x")
    b.typed("regex", "form", form, "form regex rule fails", "a=1&b=x", {"$.a": m("regex", regex="^\\d+$")}, "a=q&b=x")
    b.typed("type", "form", form, "form repeated key", "a=1&a=2", None, "a=1&a=2")
    b.typed("type", "form", form, "form repeated key, one less", "a=1&a=2", None, "a=1")
    b.typed("type", "form", form, "form type rule with min", "a=1", {"$.a": m("type", min=1)}, "a=5&a=6")
    boundary = "XyZ"
    media = f"multipart/form-data; boundary={boundary}"

    def multipart(parts: list[tuple[str, str, str]]) -> str:
        out = []
        for name, ctype, value in parts:
            out.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\nContent-Type: {ctype}\r\n\r\n{value}\r\n'
            )
        return "".join(out) + f"--{boundary}--\r\n"

    base = multipart([("field", "text/plain", "hello"), ("data", JSON, '{"a": 1}')])
    b.typed("equality", "multipart", media, "multipart equal", base, None, base)
    b.typed(
        "equality",
        "multipart",
        media,
        "multipart text part differs",
        base,
        None,
        multipart([("field", "text/plain", "bye"), ("data", JSON, '{"a": 1}')]),
    )
    b.typed(
        "equality",
        "multipart",
        media,
        "multipart json part differs",
        base,
        None,
        multipart([("field", "text/plain", "hello"), ("data", JSON, '{"a": 2}')]),
    )
    b.typed(
        "equality",
        "multipart",
        media,
        "multipart part missing",
        base,
        None,
        multipart([("field", "text/plain", "hello")]),
    )
    b.typed(
        "equality",
        "multipart",
        media,
        "multipart extra part",
        base,
        None,
        multipart([("field", "text/plain", "hello"), ("data", JSON, '{"a": 1}'), ("x", "text/plain", "y")]),
    )
    b.typed(
        "regex",
        "multipart",
        media,
        "multipart rule on a text part",
        base,
        {"$.field": m("regex", regex="^h")},
        multipart([("field", "text/plain", "howdy"), ("data", JSON, '{"a": 1}')]),
    )
    b.typed(
        "integer",
        "multipart",
        media,
        "multipart rule in a json part",
        base,
        {"$.data.a": m("integer")},
        multipart([("field", "text/plain", "hello"), ("data", JSON, '{"a": 9}')]),
    )
    b.typed(
        "integer",
        "multipart",
        media,
        "multipart rule in a json part fails",
        base,
        {"$.data.a": m("integer")},
        multipart([("field", "text/plain", "hello"), ("data", JSON, '{"a": "9"}')]),
    )
    b.typed(
        "contentType",
        "multipart",
        media,
        "multipart part content type differs",
        base,
        None,
        multipart([("field", "text/html", "hello"), ("data", JSON, '{"a": 1}')]),
    )
    b.typed(
        "equality",
        "multipart",
        media,
        "multipart other boundary",
        base,
        None,
        base.replace(boundary, "Other"),
        actual_type="multipart/form-data; boundary=Other",
    )
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    octet = "application/octet-stream"
    b.typed("equality", "binary", octet, "binary equal", b"\x00\x01\x02\xff", None, b"\x00\x01\x02\xff")
    b.typed("equality", "binary", octet, "binary differs", b"\x00\x01\x02\xff", None, b"\x00\x01\x02\xfe")
    b.typed("equality", "binary", octet, "binary shorter", b"\x00\x01\x02\xff", None, b"\x00\x01")
    b.typed(
        "equality",
        "binary",
        octet,
        "binary served without a content type",
        b"\x00\x01",
        None,
        b"\x00\x01",
        actual_type="",
    )
    b.typed(
        "contentType",
        "binary",
        octet,
        "contentType png on a png",
        png,
        {"$": m("contentType", value="image/png")},
        png + b"\x00",
    )
    b.typed(
        "contentType", "binary", octet, "contentType png on a pdf", png, {"$": m("contentType", value="image/png")}, pdf
    )
    b.typed(
        "contentType", "binary", "image/png", "image/png expected, png served", png, None, png, actual_type="image/png"
    )
    b.typed(
        "contentType",
        "binary",
        "image/png",
        "image/png with contentType, other png",
        png,
        {"$": m("contentType", value="image/png")},
        png[:-4] + b"\x00\x00\x00\x00",
        actual_type="image/png",
    )
    b.typed(
        "contentType",
        "binary",
        "application/pdf",
        "pdf with contentType",
        pdf,
        {"$": m("contentType", value="application/pdf")},
        pdf.replace(b"1.4", b"1.7"),
        actual_type="application/pdf",
    )
    b.typed(
        "contentType",
        "binary",
        "application/pdf",
        "pdf with contentType, text served",
        pdf,
        {"$": m("contentType", value="application/pdf")},
        b"plain words",
        actual_type="application/pdf",
    )
    b.typed(
        "contentType",
        "binary",
        "image/png",
        "image/png expected, jpeg served",
        png,
        None,
        png,
        actual_type="image/jpeg",
    )
    b.typed(
        "contentType",
        "binary",
        octet,
        "contentType text/plain on text",
        b"hello",
        {"$": m("contentType", value="text/plain")},
        b"bye",
    )
    b.typed(
        "contentType",
        "binary",
        octet,
        "contentType json on json bytes",
        b'{"a":1}',
        {"$": m("contentType", value=JSON)},
        b'{"b": [2]}',
    )
    b.typed(
        "contentType",
        "json",
        JSON,
        "contentType on a json field",
        '{"img": "x"}',
        {"$.img": m("contentType", value="image/png")},
        json.dumps({"img": base64.b64encode(png).decode()}),
    )
    b.typed(
        "contentType",
        "json",
        JSON,
        "contentType on a json field fails",
        '{"img": "x"}',
        {"$.img": m("contentType", value="image/png")},
        json.dumps({"img": "plain"}),
    )


# ---------------------------------------------------------------- bodies written by pact-python's match helpers


def _helpers(b: _Builder) -> None:
    from pact import Pact, match

    def written(body: Any) -> dict[str, Any]:
        pact = Pact("corpus-consumer", "corpus-provider").with_specification("V4")
        pact.upon_receiving("one").with_request("GET", "/one").will_respond_with(200).with_body(body, content_type=JSON)
        with tempfile.TemporaryDirectory() as folder:
            pact.write_file(folder, overwrite=True)
            data = json.loads(next(Path(folder).glob("*.json")).read_text())
        return data["interactions"][0]["response"]

    def add(label: str, body: Any, actuals: list[Any]) -> None:
        response = written(body)
        for number, actual in enumerate(actuals):
            b.add(
                label,
                "json",
                f"pact.match {label} #{number}",
                response,
                200,
                [("Content-Type", JSON)],
                json.dumps(actual).encode(),
            )

    add(
        "type",
        {"s": match.str("x"), "n": match.int(1), "f": match.float(1.5)},
        [{"s": "y", "n": 2, "f": 2.5}, {"s": 1, "n": 2, "f": 2.5}, {"s": "y", "n": 2.5, "f": 2}],
    )
    add(
        "regex",
        {"r": match.regex("ab", regex="^a.*"), "u": match.uuid("00000000-0000-0000-0000-000000000000")},
        [{"r": "az", "u": "123e4567-e89b-12d3-a456-426614174000"}, {"r": "za", "u": "not-a-uuid"}],
    )
    add(
        "date/time",
        {
            "d": match.date("2024-01-02", "%Y-%m-%d"),
            "t": match.time("10:00:00", "%H:%M:%S"),
            "ts": match.datetime("2024-01-02T10:00:00", "%Y-%m-%dT%H:%M:%S"),
        },
        [
            {"d": "2025-12-31", "t": "23:59:59", "ts": "2025-12-31T23:59:59"},
            {"d": "31/12/2025", "t": "23:59", "ts": "2025-12-31"},
        ],
    )
    add("date/time", {"d": match.date("2024-01-02", "yyyy-MM-dd")}, [{"d": "2025-12-31"}])
    add(
        "each-like",
        {"items": match.each_like({"id": match.int(1), "name": match.str("a")}, min=1, max=3)},
        [
            {"items": [{"id": 1, "name": "x"}, {"id": 2, "name": "y"}]},
            {"items": []},
            {"items": [{"id": "1", "name": "x"}]},
            {"items": [{"id": n, "name": "x"} for n in range(4)]},
        ],
    )
    add("include", {"i": match.includes("hello")}, [{"i": "oh hello there"}, {"i": "goodbye"}])
    add(
        "arrayContains",
        {"a": match.array_containing([match.int(1), match.str("x")])},
        [{"a": ["q", 5]}, {"a": [5, 6]}, {"a": []}],
    )
    add(
        "eachKey",
        {"k": match.each_key_matches({"ab": 1}, rules=match.regex("ab", regex="^[a-z]+$"))},
        [{"k": {"cd": 1, "ef": 2}}, {"k": {"cd": 1, "EF": 2}}],
    )
    add(
        "eachValue",
        {"v": match.each_value_matches({"ab": 1}, rules=match.int(1))},
        [{"v": {"x": 1, "y": 2}}, {"v": {"x": "1"}}],
    )
    add("null", {"n": match.null(), "b": match.bool(True)}, [{"n": None, "b": False}, {"n": 0, "b": "false"}])
    add(
        "number",
        {"num": match.number(1.5), "dec": match.decimal(1.5), "i": match.integer(3)},
        [{"num": 7, "dec": 2.25, "i": 9}, {"num": "7", "dec": 2, "i": 9.5}],
    )
    add(
        "contentType",
        {"c": match.content_type("text/plain")},
        [{"c": base64.b64encode(b"some text").decode()}, {"c": "plain"}],
    )
    add(
        "type",
        {"like": match.like({"a": 1, "b": ["x"]})},
        [{"like": {"a": 2, "b": ["y", "z"]}}, {"like": {"a": "2", "b": "y"}}],
    )


# ---------------------------------------------------------------- a second round: edges of the first


def _edges(b: _Builder) -> None:
    """Shapes the first round left open, added after it agreed with the core."""
    null_or = rule(m("null"), m("type"), combine="OR")
    b.json("combine", "null OR type on an object, null served", {"o": {"a": 1}}, {"$.o": null_or}, {"o": None})
    b.json("combine", "null OR type on an object, object served", {"o": {"a": 1}}, {"$.o": null_or}, {"o": {"a": 2}})
    b.json("combine", "null OR type on an object, string served", {"o": {"a": 1}}, {"$.o": null_or}, {"o": "x"})
    b.json("combine", "null OR type on a list, null served", {"l": [1]}, {"$.l": null_or}, {"l": None})
    b.json(
        "combine",
        "null OR integer on an integer, decimal served",
        {"n": 1},
        {"$.n": rule(m("null"), m("integer"), combine="OR")},
        {"n": 1.5},
    )
    b.json("values", "values on a list, another order", {"v": [1, 2]}, {"$.v": m("values")}, {"v": [1, 2, 1]})
    b.json(
        "eachKey",
        "eachKey with a differing value",
        {"v": {"abc": 1}},
        {"$.v": m("eachKey", rules=[m("regex", regex="^[a-z]+$")])},
        {"v": {"abc": 2}},
    )
    b.json(
        "eachValue",
        "eachValue on a list of objects",
        {"v": [{"id": 1}]},
        {"$.v": m("eachValue", rules=[m("type")])},
        {"v": [{"id": 2}, {"id": "3"}]},
    )
    b.json("min/max", "min on an object", {"v": {"a": 1}}, {"$.v": m("type", min=2)}, {"v": {"a": 1}})
    b.json("min/max", "max on a string", {"v": "abc"}, {"$.v": m("type", max=1)}, {"v": "abcdef"})
    b.json(
        "min/max",
        "min cascades no size to a nested list",
        {"l": [{"m": [1, 2]}]},
        {"$.l": m("type", min=1)},
        {"l": [{"m": [3]}]},
    )
    b.json(
        "min/max",
        "a nested list under min keeps its own length",
        {"l": [{"m": [1, 2]}]},
        {"$.l": m("type", min=1)},
        {"l": [{"m": [3, 4, 5]}]},
    )
    b.json("type", "type on an item index", {"l": [1, "a"]}, {"$.l[1]": m("type")}, {"l": [1, "b"]})
    b.json("type", "type on an item index, first item differs", {"l": [1, "a"]}, {"$.l[1]": m("type")}, {"l": [2, "b"]})
    b.json("type", "a wildcard on array items", {"l": [{"a": 1}]}, {"$.l.*": m("type")}, {"l": [{"a": 2}]})
    b.json("regex", "regex on a big number", {"v": 1}, {"$.v": m("regex", regex="^\\d+$")}, {"v": 10**20})
    b.json(
        "regex",
        "regex on a decimal written with an exponent",
        {"v": 1},
        {"$.v": m("regex", regex="^[0-9.]+$")},
        None,
        raw=b'{"v": 1e3}',
    )
    b.json("equality", "equality 1000.0 vs 1e3", {"v": 1000.0}, {"$.v": m("equality")}, None, raw=b'{"v": 1e3}')
    b.json("equality", "an empty object expected, keys served", {"o": {}}, None, {"o": {"a": 1}})
    b.json("equality", "an empty list expected, items served", {"l": []}, None, {"l": [1]})
    b.json("equality", "json expected, empty body served", {"a": 1}, None, None, raw=b"")
    b.json("equality", "a string body expected", "hello", None, "hello")
    b.json("equality", "a number body expected", 5, None, 5.0)
    b.json(
        "include", "include on a key's object", {"o": {"a": "x"}}, {"$.o": m("include", value="a")}, {"o": {"a": "y"}}
    )
    b.json("notEmpty", "notEmpty cascades to items", {"l": ["a"]}, {"$.l": m("notEmpty")}, {"l": ["b", ""]})
    b.json(
        "arrayContains",
        "arrayContains with a nested path rule",
        {"v": [{"a": {"b": 1}}]},
        {"$.v": m("arrayContains", variants=[{"index": 0, "rules": {"$.a.b": rule(m("integer"))}}])},
        {"v": [{"a": {"b": 9, "c": 1}}]},
    )
    b.json(
        "arrayContains",
        "arrayContains, item with a missing key",
        {"v": [{"a": 1, "b": 2}]},
        {"$.v": m("arrayContains", variants=[{"index": 0, "rules": {"$.a": rule(m("type")), "$.b": rule(m("type"))}}])},
        {"v": [{"a": 5}]},
    )
    b.json(
        "date",
        "date with a one-digit day pattern",
        {"v": "x"},
        {"$.v": m("date", format="d/M/yyyy")},
        {"v": "3/2/2024"},
    )
    b.json("date", "date with a two-digit year", {"v": "x"}, {"$.v": m("date", format="dd.MM.yy")}, {"v": "03.02.24"})
    b.json(
        "time",
        "time with a 12-hour clock and hour 13",
        {"v": "x"},
        {"$.v": m("time", format="hh:mm a")},
        {"v": "13:20 PM"},
    )
    b.json("time", "time with seconds 60", {"v": "x"}, {"$.v": m("time", format="HH:mm:ss")}, {"v": "10:20:60"})
    b.json(
        "timestamp",
        "timestamp with a zone offset without colon, XXX",
        {"v": "x"},
        {"$.v": m("timestamp", format="yyyy-MM-dd'T'HH:mm:ssXXX")},
        {"v": "2024-02-03T10:20:30+0100"},
    )
    b.json(
        "timestamp",
        "timestamp with millis and Z",
        {"v": "x"},
        {"$.v": m("timestamp", format="yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")},
        {"v": "2024-02-03T10:20:30.12Z"},
    )
    b.json("semver", "semver with a leading zero pre-release", {"v": "1.0.0"}, {"$.v": m("semver")}, {"v": "1.2.3-01"})
    b.json("boolean", "boolean on 'True'", {"v": True}, {"$.v": m("boolean")}, {"v": "True"})
    b.headers(
        "headers",
        "accept with parameters",
        {"Accept": ["application/json"]},
        None,
        [("Accept", "application/json;q=0.9")],
    )
    b.headers(
        "headers",
        "accept, two values",
        {"Accept": ["application/json", "text/plain"]},
        None,
        [("Accept", "application/json, text/plain")],
    )
    b.headers(
        "headers",
        "cache-control split",
        {"Cache-Control": ["no-cache", "no-store"]},
        None,
        [("Cache-Control", "no-cache, no-store")],
    )
    b.headers(
        "headers",
        "cache-control, another order",
        {"Cache-Control": ["no-cache", "no-store"]},
        None,
        [("Cache-Control", "no-store, no-cache")],
    )
    b.headers(
        "headers",
        "a rule on a split header with min",
        {"Vary": ["Accept"]},
        {"Vary": m("type", min=2)},
        [("Vary", "Accept")],
    )
    b.headers(
        "headers",
        "a rule on a split header, more values",
        {"Vary": ["Accept"]},
        {"Vary": m("regex", regex="^[A-Z][a-z-]+$")},
        [("Vary", "Accept, Origin")],
    )
    b.headers(
        "headers",
        "content type base in another case",
        {"Content-Type": ["application/json"]},
        None,
        [("Content-Type", "Application/JSON")],
    )
    b.headers("headers", "an empty header expected", {"X-Empty": [""]}, None, [("X-Empty", "")])
    b.headers(
        "headers",
        "a content type rule with a charset served",
        {"Content-Type": ["application/json"]},
        {"Content-Type": m("regex", regex="application/json")},
        [("Content-Type", "application/json; charset=utf-8")],
    )
    b.headers(
        "headers",
        "a date header with a comma",
        {"Date": ["Wed, 21 Oct 2015 07:28:00 GMT"]},
        None,
        [("Date", "Wed, 21 Oct 2015 07:28:01 GMT")],
    )
    b.status("status", "status 500 vs 503", 500, None, 503)
    b.status(
        "statusCode", "statusCode serverError on 500", 200, {"$": rule(m("statusCode", status="serverError"))}, 500
    )
    b.status("statusCode", "statusCode info on 200", 200, {"$": rule(m("statusCode", status="info"))}, 200)
    text, html, xml, form = "text/plain", "text/html", "application/xml", "application/x-www-form-urlencoded"
    b.typed("equality", "text", html, "html equal", "<p>hi</p>", None, "<p>hi</p>")
    b.typed("equality", "text", html, "html differs", "<p>hi</p>", None, "<p>ho</p>")
    b.typed(
        "regex", "text", "text/csv", "csv with a regex", "a,b\n1,2", {"$": m("regex", regex="(?s)a,b.*")}, "a,b\n3,4"
    )
    b.typed("equality", "text", text, "text served as json", "{}", None, "{}", actual_type=JSON)
    b.typed(
        "equality",
        "xml",
        xml,
        "xml extra attribute on the root",
        "<a x='1'><b>2</b></a>",
        None,
        "<a x='1' y='2'><b>2</b></a>",
    )
    b.typed("equality", "xml", xml, "xml missing attribute", "<a x='1'><b>2</b></a>", None, "<a><b>2</b></a>")
    b.typed(
        "equality",
        "xml",
        xml,
        "xml namespace differs",
        '<a xmlns="urn:x"><b>2</b></a>',
        None,
        '<a xmlns="urn:y"><b>2</b></a>',
    )
    b.typed(
        "equality",
        "xml",
        xml,
        "xml prefixed and default namespace",
        '<p:a xmlns:p="urn:x"><p:b>2</p:b></p:a>',
        None,
        '<a xmlns="urn:x"><b>2</b></a>',
    )
    b.typed("equality", "xml", xml, "xml CDATA text", "<a><b>x &lt; y</b></a>", None, "<a><b><![CDATA[x < y]]></b></a>")
    b.typed(
        "type",
        "xml",
        xml,
        "xml type on an element, attribute differs",
        "<a><b id='1'>x</b></a>",
        {"$.a.b": m("type")},
        "<a><b id='2'>y</b><b id='3'>z</b></a>",
    )
    b.typed(
        "equality", "xml", xml, "xml text with surrounding whitespace", "<a><b>x</b></a>", None, "<a><b>  x  </b></a>"
    )
    b.typed(
        "equality",
        "xml",
        xml,
        "xml nested missing grandchild",
        "<a><b><c>1</c></b></a>",
        None,
        "<a><b><d>1</d></b></a>",
    )
    b.typed("equality", "xml", xml, "xml expected empty element, text served", "<a><b/></a>", None, "<a><b>x</b></a>")
    b.typed("equality", "form", form, "form empty value", "a=&b=1", None, "a=&b=1")
    b.typed("equality", "form", form, "form empty value vs missing", "a=&b=1", None, "b=1")
    b.typed("regex", "form", form, "form rule on a missing key", "a=1", {"$.a": m("regex", regex="\\d")}, "b=1")
    b.typed("equality", "form", form, "form values in another order", "a=1&a=2", None, "a=2&a=1")
    b.typed("equality", "binary", "application/octet-stream", "binary empty expected", b"", None, b"\x00")
    b.typed(
        "contentType",
        "binary",
        "application/octet-stream",
        "contentType gif on a gif",
        b"GIF89a\x01\x00",
        {"$": m("contentType", value="image/gif")},
        b"GIF89a\x02\x00\x02\x00",
    )
    b.typed(
        "contentType",
        "binary",
        "application/octet-stream",
        "contentType jpeg on a png",
        b"\xff\xd8\xff\xe0",
        {"$": m("contentType", value="image/jpeg")},
        b"\x89PNG\r\n\x1a\n\x00\x00",
    )
    b.typed(
        "contentType",
        "binary",
        "application/octet-stream",
        "contentType xml on xml bytes",
        b"<a/>",
        {"$": m("contentType", value="application/xml")},
        b"<?xml version='1.0'?><b>x</b>",
    )
    b.typed(
        "contentType",
        "binary",
        "application/octet-stream",
        "contentType text/plain on binary",
        b"a",
        {"$": m("contentType", value="text/plain")},
        b"\x00\x01\x02\x03",
    )
    b.typed(
        "contentType",
        "binary",
        "application/octet-stream",
        "contentType octet-stream on text",
        b"a",
        {"$": m("contentType", value="application/octet-stream")},
        b"some words",
    )


# ---------------------------------------------------------------- a third round: compositions


def _compositions(b: _Builder) -> None:
    """Rules composed as real pacts compose them, and the headers and bodies real providers send."""
    from pact import match

    page = {
        "items": match.each_like(
            {
                "id": match.int(1),
                "tags": match.each_like(match.str("t"), min=1),
                "owner": match.like({"id": match.regex("U1", regex="^U\\d+$")}),
            },
            min=1,
        ),
        "next": match.regex("/p?o=10", regex="^/p\\?o=\\d+$"),
    }
    _written(
        b,
        "each-like",
        page,
        [
            {"items": [{"id": 2, "tags": ["x", "y"], "owner": {"id": "U9", "name": "n"}}], "next": "/p?o=20"},
            {"items": [{"id": 2, "tags": [], "owner": {"id": "U9"}}], "next": "/p?o=20"},
            {"items": [{"id": 2, "tags": ["x", 1], "owner": {"id": "U9"}}], "next": "/p?o=20"},
            {"items": [{"id": 2, "tags": ["x"], "owner": {"id": "X9"}}], "next": "/p?o=20"},
            {"items": [{"id": 2, "tags": ["x"], "owner": {}}], "next": "/p?o=x"},
            {
                "items": [
                    {"id": 2, "tags": ["x"], "owner": {"id": "U1"}},
                    {"id": 3.5, "tags": ["z"], "owner": {"id": "U2"}},
                ],
                "next": "/p?o=1",
            },
        ],
    )
    keyed = {
        "byId": match.each_key_matches(
            {"a1": match.each_like({"n": match.int(1)})}, rules=match.regex("a1", regex="^[a-z]\\d$")
        )
    }
    _written(
        b,
        "eachKey",
        keyed,
        [{"byId": {"b2": [{"n": 5}]}}, {"byId": {"bb": [{"n": 5}]}}, {"byId": {"a1": [{"n": "5"}]}}],
    )
    valued = {"counts": match.each_value_matches({"x": 1}, rules=match.int(1))}
    _written(b, "eachValue", valued, [{"counts": {"y": 2, "z": 3}}, {"counts": {"y": "2"}}])
    contains = {
        "events": match.array_containing(
            [{"type": "created", "at": match.datetime("2024-01-02T10:00:00", "%Y-%m-%dT%H:%M:%S")}]
        )
    }
    _written(
        b,
        "arrayContains",
        contains,
        [
            {"events": [{"type": "updated", "at": "x"}, {"type": "created", "at": "2025-05-05T05:05:05"}]},
            {"events": [{"type": "created", "at": "yesterday"}]},
            {"events": [{"type": "updated", "at": "2025-05-05T05:05:05"}]},
        ],
    )
    _written(b, "type", [match.like({"a": 1})], [[{"a": 2}], [{"a": 2}, {"a": 3}], [{"b": 2}]])
    _written(b, "integer", {"big": match.int(1)}, [{"big": 9007199254740993}, {"big": -1}])
    b.json("type", "a key with a dot", {"a.b": 1}, {"$['a.b']": m("type")}, {"a.b": 2})
    b.json("type", "a key with a dot, another type", {"a.b": 1}, {"$['a.b']": m("type")}, {"a.b": "2"})
    b.json(
        "type",
        "a wildcard then a key",
        {"x": {"id": 1}, "y": {"id": 2}},
        {"$.*.id": m("integer")},
        {"x": {"id": 3}, "y": {"id": 4.5}},
    )
    b.json(
        "type", "a list of lists", [[1, 2], [3]], {"$": m("type", min=1), "$[*]": m("type", min=1)}, [[5], [6, 7, 8]]
    )
    b.json(
        "type",
        "a list of lists, an empty inner list",
        [[1, 2], [3]],
        {"$": m("type", min=1), "$[*]": m("type", min=1)},
        [[5], []],
    )
    b.json("equality", "unicode strings", {"s": "café"}, None, {"s": "cafe\u0301"})
    b.json(
        "equality",
        "a deep mismatch under a type rule",
        {"a": {"b": [{"c": "x"}]}},
        {"$.a": m("type")},
        {"a": {"b": [{"c": 1}]}},
    )
    b.json(
        "regex",
        "a regex rule on a key that holds an object",
        {"o": {"a": "x"}},
        {"$.o": m("regex", regex=".*")},
        {"o": {"a": "y"}},
    )
    b.json("null", "null rule on an object", {"o": {"a": 1}}, {"$.o": m("null")}, {"o": None})
    b.json(
        "values",
        "values with an item rule deeper",
        {"m": {"k": {"id": 1, "n": "x"}}},
        {"$.m": m("values"), "$.m.*.id": m("integer")},
        {"m": {"q": {"id": 7, "n": "x"}, "r": {"id": 8, "n": "x"}}},
    )
    b.headers(
        "headers",
        "set-cookie is one value",
        {"Set-Cookie": ["a=1; Path=/, b=2"]},
        None,
        [("Set-Cookie", "a=1; Path=/, b=2")],
    )
    b.headers(
        "headers",
        "link with commas",
        {"Link": ["<a>; rel=next, <b>; rel=last"]},
        None,
        [("Link", "<a>; rel=next,<b>; rel=last")],
    )
    b.headers(
        "headers",
        "x-forwarded-for split",
        {"X-Forwarded-For": ["1.1.1.1", "2.2.2.2"]},
        None,
        [("X-Forwarded-For", "1.1.1.1, 2.2.2.2")],
    )
    b.headers(
        "headers",
        "a regex on a header with a comma",
        {"X-Ids": ["1,2"]},
        {"X-Ids": m("regex", regex="^\\d+(,\\d+)*$")},
        [("X-Ids", "3,4,5")],
    )
    b.headers(
        "headers",
        "accept with a different parameter",
        {"Accept": ["text/html;level=1"]},
        None,
        [("Accept", "text/html;level=2")],
    )
    b.headers("headers", "allow in another order", {"Allow": ["GET, POST"]}, None, [("Allow", "POST, GET")])
    b.status("status", "204 with no body", 204, None, 204)
    b.typed("equality", "text", "text/plain", "text expected, empty body served", "hello", None, "")
    b.typed(
        "include",
        "text",
        "text/plain",
        "text include and equality",
        "hello",
        {"$": rule(m("include", value="ell"), m("equality"))},
        "hello",
    )
    b.typed(
        "include",
        "text",
        "text/plain",
        "text include or regex",
        "hello",
        {"$": rule(m("include", value="zz"), m("regex", regex="h.*"), combine="OR")},
        "help",
    )
    b.typed(
        "regex",
        "xml",
        "application/xml",
        "xml rule on a nested element's text",
        "<a><b><c>1</c></b></a>",
        {"$.a.b.c['#text']": m("regex", regex="\\d+")},
        "<a><b><c>22</c></b></a>",
    )
    b.typed(
        "type",
        "xml",
        "application/xml",
        "xml type on the root, extra attribute and child",
        "<a x='1'><b>1</b></a>",
        {"$.a": m("type")},
        "<a x='2' y='3'><b>2</b><c/></a>",
    )
    b.typed(
        "type",
        "xml",
        "application/xml",
        "xml type with max on elements",
        "<a><b>1</b></a>",
        {"$.a.b": m("type", max=1)},
        "<a><b>1</b><b>2</b></a>",
    )
    b.typed(
        "equality",
        "form",
        "application/x-www-form-urlencoded",
        "form with a plus and percent",
        "q=a+b%26c",
        None,
        "q=a%20b%26c",
    )
    b.typed(
        "type",
        "form",
        "application/x-www-form-urlencoded",
        "form type rule, another value",
        "a=1",
        {"$.a": m("type")},
        "a=anything",
    )


def _written(b: _Builder, label: str, body: Any, actuals: list[Any]) -> None:
    """Cases whose pact response pact-python writes (its `match` helpers, the core's matchingRules)."""
    from pact import Pact

    pact = Pact("corpus-consumer", "corpus-provider").with_specification("V4")
    pact.upon_receiving("one").with_request("GET", "/one").will_respond_with(200).with_body(body, content_type=JSON)
    with tempfile.TemporaryDirectory() as folder:
        pact.write_file(folder, overwrite=True)
        response = json.loads(next(Path(folder).glob("*.json")).read_text())["interactions"][0]["response"]
    for number, actual in enumerate(actuals):
        b.add(
            label,
            "json",
            f"pact.match {label} #{number}",
            response,
            200,
            [("Content-Type", JSON)],
            json.dumps(actual).encode(),
        )


# ---------------------------------------------------------------- a fourth round: XML children the pact does not name


def _unexpected_children(b: _Builder) -> None:
    """Added after round three found the core refusing an XML child of a name the pact does not have."""
    xml = "application/xml"
    b.typed(
        "equality", "xml", xml, "xml extra child of another name", "<a><b>1</b></a>", None, "<a><b>1</b><c>2</c></a>"
    )
    b.typed(
        "equality",
        "xml",
        xml,
        "xml extra child of another name, deeper",
        "<a><b><c>1</c></b></a>",
        None,
        "<a><b><c>1</c><d/></b></a>",
    )
    b.typed(
        "type",
        "xml",
        xml,
        "xml extra child of another name under a type rule on it",
        "<a><b>1</b></a>",
        {"$.a.b": m("type")},
        "<a><b>1</b><x>2</x></a>",
    )
    b.typed(
        "equality", "xml", xml, "xml extra child of the same name", "<a><b>1</b></a>", None, "<a><b>1</b><b>2</b></a>"
    )
    b.typed(
        "equality",
        "xml",
        xml,
        "xml an element expected empty, a child served",
        "<a><b/></a>",
        None,
        "<a><b><c/></b></a>",
    )
    b.typed(
        "equality",
        "xml",
        xml,
        "xml a root with no children expected, children served",
        "<a>x</a>",
        None,
        "<a>x<b/></a>",
    )


def _namespaces(b: _Builder) -> None:
    """XML with namespaces, as AWS answers (IAM, S3): the core names an element or attribute `namespace-uri:local`
    (a prefix is only a spelling of its URI), so a rule path names them so too."""
    xml = "application/xml"
    iam = "https://iam.amazonaws.com/doc/2010-05-08/"
    s3 = "http://s3.amazonaws.com/doc/2006-03-01/"

    def q(uri: str, *names: str) -> str:
        return "$" + "".join(f"['{uri}:{name}']" for name in names)

    roles = (
        f"<?xml version='1.0'?><ListRolesResponse xmlns='{iam}'><ListRolesResult><IsTruncated>false</IsTruncated><Roles>"
        "<member><RoleName>deployer</RoleName><Arn>arn:aws:iam::123456789012:role/service/deployer</Arn>"
        "<CreateDate>2023-11-05T08:00:00.000Z</CreateDate></member></Roles></ListRolesResult></ListRolesResponse>"
    )
    member = q(iam, "ListRolesResponse", "ListRolesResult", "Roles", "member")
    role_rules = {
        member: m("type", min=1),
        member + "['" + iam + ":RoleName']['#text']": m("type"),
        member + "['" + iam + ":Arn']['#text']": m("regex", regex="^arn:aws:iam::\\d{12}:role/.+$"),
        member + "['" + iam + ":CreateDate']['#text']": m("regex", regex="^\\d{4}-\\d{2}-\\d{2}T.+Z$"),
        q(iam, "ListRolesResponse", "ListRolesResult", "IsTruncated") + "['#text']": m("boolean"),
    }
    other_role = roles.replace("deployer", "rec-role").replace("2023-11-05", "2026-01-02")
    b.typed(
        "type",
        "xml",
        xml,
        "xml namespaced rule paths, default namespace, other texts",
        roles,
        role_rules,
        other_role,
        actual_type="text/xml",
    )
    b.typed(
        "type",
        "xml",
        xml,
        "xml namespaced rule paths, two members",
        roles,
        role_rules,
        other_role.replace(
            "</member>",
            "</member><member><RoleName>b</RoleName><Arn>arn:aws:iam::123456789012:role/b</Arn>"
            "<CreateDate>2026-01-03T00:00:00Z</CreateDate></member>",
        ),
    )
    b.typed(
        "regex",
        "xml",
        xml,
        "xml namespaced rule paths, an arn fails its regex",
        roles,
        role_rules,
        other_role.replace("arn:aws:iam::123456789012:role", "arn:aws:iam::12:role"),
    )
    b.typed(
        "boolean",
        "xml",
        xml,
        "xml namespaced rule paths, a boolean text fails",
        roles,
        role_rules,
        other_role.replace("<IsTruncated>false", "<IsTruncated>maybe"),
    )
    b.typed(
        "type",
        "xml",
        xml,
        "xml namespaced rule paths, a member child missing",
        roles,
        role_rules,
        other_role.replace("<RoleName>rec-role</RoleName>", ""),
    )
    b.typed(
        "type",
        "xml",
        xml,
        "xml namespaced rule paths, no members",
        roles,
        role_rules,
        other_role[: other_role.index("<member>")] + other_role[other_role.index("</Roles>") :],
    )
    local_rules = {
        "$.ListRolesResponse.ListRolesResult.Roles.member": m("type", min=1),
        "$.ListRolesResponse.ListRolesResult.Roles.member.RoleName['#text']": m("type"),
    }
    b.typed(
        "type",
        "xml",
        xml,
        "xml local rule paths under a default namespace do not apply",
        roles,
        local_rules,
        other_role,
    )
    b.typed("type", "xml", xml, "xml local rule paths under a default namespace, same texts", roles, local_rules, roles)
    buckets = (
        f'<ListAllMyBucketsResult xmlns="{s3}"><Buckets><Bucket><Name>artifacts</Name></Bucket></Buckets>'
        "<Owner><ID>75aa57f0</ID></Owner></ListAllMyBucketsResult>"
    )
    bucket_rules = {
        q(s3, "ListAllMyBucketsResult", "Buckets", "Bucket"): m("type", min=1),
        q(s3, "ListAllMyBucketsResult", "Buckets", "Bucket", "Name") + "['#text']": m("regex", regex="^[a-z0-9.-]+$"),
        q(s3, "ListAllMyBucketsResult", "Owner", "ID") + "['#text']": m("type"),
    }
    b.typed(
        "regex",
        "xml",
        xml,
        "xml s3 buckets, other names",
        buckets,
        bucket_rules,
        buckets.replace("artifacts", "rec-bucket").replace("75aa57f0", "bcaf1ffd"),
    )
    b.typed(
        "regex",
        "xml",
        xml,
        "xml s3 buckets, a name fails its regex",
        buckets,
        bucket_rules,
        buckets.replace("artifacts", "Rec_Bucket"),
    )
    b.typed(
        "type",
        "xml",
        xml,
        "xml s3 buckets, an unruled owner child differs",
        buckets,
        bucket_rules,
        buckets.replace("<ID>", "<DisplayName>x</DisplayName><ID>"),
    )
    location = f"<LocationConstraint xmlns='{s3}'>eu-west-1</LocationConstraint>"
    b.typed(
        "type",
        "xml",
        xml,
        "xml namespaced root text, type rule, empty text",
        location,
        {q(s3, "LocationConstraint") + "['#text']": m("type")},
        f"<LocationConstraint xmlns='{s3}'/>",
    )
    b.typed(
        "regex",
        "xml",
        xml,
        "xml namespaced root text, regex rule, empty text",
        location,
        {q(s3, "LocationConstraint") + "['#text']": m("regex", regex="^[a-z]+-[a-z]+-\\d$")},
        f"<LocationConstraint xmlns='{s3}'/>",
    )
    b.typed(
        "equality",
        "xml",
        xml,
        "xml namespaced root text, no rule, other text",
        location,
        None,
        location.replace("eu-west-1", "us-east-2"),
    )
    prefixed = '<p:a xmlns:p="urn:x"><p:n>1</p:n></p:a>'
    b.typed(
        "integer",
        "xml",
        xml,
        "xml prefixed namespace, integer rule",
        prefixed,
        {"$['urn:x:a']['urn:x:n']['#text']": m("integer")},
        prefixed.replace(">1<", ">42<"),
    )
    b.typed(
        "integer",
        "xml",
        xml,
        "xml prefixed namespace, integer rule fails",
        prefixed,
        {"$['urn:x:a']['urn:x:n']['#text']": m("integer")},
        prefixed.replace(">1<", ">x<"),
    )
    b.typed(
        "integer",
        "xml",
        xml,
        "xml prefixed namespace, rule with the prefix does not apply",
        prefixed,
        {"$['p:a']['p:n']['#text']": m("integer")},
        prefixed.replace(">1<", ">42<"),
    )
    b.typed(
        "equality",
        "xml",
        xml,
        "xml prefixed in the pact, default namespace served",
        prefixed,
        None,
        '<a xmlns="urn:x"><n>1</n></a>',
    )
    b.typed(
        "equality",
        "xml",
        xml,
        "xml another prefix for the same namespace",
        prefixed,
        None,
        '<q:a xmlns:q="urn:x"><q:n>1</q:n></q:a>',
    )
    b.typed(
        "equality",
        "xml",
        xml,
        "xml another namespace on the root",
        '<a xmlns="urn:x"><n>1</n></a>',
        None,
        '<a xmlns="urn:y"><n>1</n></a>',
    )
    b.typed(
        "equality",
        "xml",
        xml,
        "xml a namespace served where the pact has none",
        "<a><n>1</n></a>",
        None,
        '<a xmlns="urn:x"><n>1</n></a>',
    )
    b.typed(
        "equality",
        "xml",
        xml,
        "xml a child in another namespace",
        '<a xmlns="urn:x"><n>1</n></a>',
        None,
        '<a xmlns="urn:x"><n xmlns="urn:y">1</n></a>',
    )
    b.typed(
        "type",
        "xml",
        xml,
        "xml a child of another namespace, rule names both",
        '<a xmlns="urn:d"><o:b xmlns:o="urn:o">1</o:b></a>',
        {"$['urn:d:a']['urn:o:b']['#text']": m("regex", regex="^\\d+$")},
        '<a xmlns="urn:d"><o:b xmlns:o="urn:o">77</o:b></a>',
    )
    b.typed(
        "equality",
        "xml",
        xml,
        "xml an extra namespace declaration served",
        '<a xmlns="urn:d"><b>1</b></a>',
        None,
        '<a xmlns="urn:d" xmlns:u="urn:u"><b>1</b></a>',
    )
    b.typed(
        "equality",
        "xml",
        xml,
        "xml a namespace declaration the pact has, not served",
        '<a xmlns="urn:d" xmlns:u="urn:u"><b>1</b></a>',
        None,
        '<a xmlns="urn:d"><b>1</b></a>',
    )
    attr = '<a xmlns:x="urn:x" x:id="1"><b>t</b></a>'
    b.typed(
        "regex",
        "xml",
        xml,
        "xml namespaced attribute, rule",
        attr,
        {"$.a['@urn:x:id']": m("regex", regex="^\\d+$")},
        attr.replace('"1"', '"22"'),
    )
    b.typed(
        "regex",
        "xml",
        xml,
        "xml namespaced attribute, rule fails",
        attr,
        {"$.a['@urn:x:id']": m("regex", regex="^\\d+$")},
        attr.replace('"1"', '"q"'),
    )
    b.typed(
        "regex",
        "xml",
        xml,
        "xml namespaced attribute, local rule does not apply",
        attr,
        {"$.a['@id']": m("regex", regex="^\\d+$")},
        attr.replace('"1"', '"22"'),
    )
    b.typed(
        "equality",
        "xml",
        xml,
        "xml namespaced attribute, another prefix",
        attr,
        None,
        '<a xmlns:y="urn:x" y:id="1"><b>t</b></a>',
    )
    b.typed(
        "equality", "xml", xml, "xml namespaced attribute, no namespace served", attr, None, '<a id="1"><b>t</b></a>'
    )
    plain_attr = '<a xmlns="urn:d" id="1"><b>t</b></a>'
    b.typed(
        "regex",
        "xml",
        xml,
        "xml plain attribute of a namespaced element",
        plain_attr,
        {"$['urn:d:a']['@id']": m("regex", regex="^\\d+$")},
        plain_attr.replace('"1"', '"9"'),
    )
    b.typed(
        "regex",
        "xml",
        xml,
        "xml plain attribute of a namespaced element, qualified rule does not apply",
        plain_attr,
        {"$['urn:d:a']['@urn:d:id']": m("regex", regex="^\\d+$")},
        plain_attr.replace('"1"', '"9"'),
    )
    items = '<a xmlns="urn:d"><item>x</item></a>'
    b.typed(
        "type",
        "xml",
        xml,
        "xml min on repeated namespaced elements",
        items,
        {"$['urn:d:a']['urn:d:item']": m("type", min=1), "$['urn:d:a']['urn:d:item']['#text']": m("type")},
        '<a xmlns="urn:d"><item>p</item><item>q</item><item>r</item></a>',
    )
    b.typed(
        "type",
        "xml",
        xml,
        "xml min 2 on repeated namespaced elements with one text each",
        items,
        {"$['urn:d:a']['urn:d:item']": m("type", min=2)},
        '<a xmlns="urn:d"><item>x</item><item>x</item></a>',
    )
    b.typed(
        "type",
        "xml",
        xml,
        "xml min 2 on a namespaced element with two children",
        '<a xmlns="urn:d"><item><v>1</v><w>2</w></item></a>',
        {"$['urn:d:a']['urn:d:item']": m("type", min=2)},
        '<a xmlns="urn:d"><item><v>1</v><w>2</w></item></a>',
    )
    b.typed(
        "type",
        "xml",
        xml,
        "xml max on the namespaced root",
        '<a xmlns="urn:d"><item>x</item></a>',
        {"$['urn:d:a']": m("type", max=1)},
        '<a xmlns="urn:d"><item>x</item><item>y</item></a>',
    )
    b.typed(
        "type",
        "xml",
        xml,
        "xml type on the namespaced root, a child of another name",
        '<a xmlns="urn:d"><b>1</b></a>',
        {"$['urn:d:a']": m("type")},
        '<a xmlns="urn:d"><b>1</b><c>2</c></a>',
    )
    b.typed(
        "type",
        "xml",
        xml,
        "xml wildcard under a namespaced root",
        '<a xmlns="urn:d"><b>1</b><c>2</c></a>',
        {"$['urn:d:a'].*['#text']": m("integer")},
        '<a xmlns="urn:d"><b>5</b><c>6</c></a>',
    )
    b.typed(
        "type",
        "xml",
        xml,
        "xml wildcard under a namespaced root fails",
        '<a xmlns="urn:d"><b>1</b><c>2</c></a>',
        {"$['urn:d:a'].*['#text']": m("integer")},
        '<a xmlns="urn:d"><b>5</b><c>x</c></a>',
    )
    b.typed(
        "type",
        "xml",
        xml,
        "xml dotted namespaced rule path",
        '<a xmlns="urn:d"><b>1</b></a>',
        {"$.urn:d:a.urn:d:b['#text']": m("integer")},
        '<a xmlns="urn:d"><b>5</b></a>',
    )


_SECTIONS: tuple[Callable[[_Builder], None], ...] = (
    _specification,
    _scalars,
    _formats,
    _arrays,
    _maps,
    _v4,
    _headers,
    _bodies,
    _helpers,
    _edges,
    _compositions,
    _unexpected_children,
    _namespaces,
)


def build_corpus() -> list[Case]:
    """Every case, in a stable order."""
    builder = _Builder()
    for section in _SECTIONS:
        section(builder)
    return builder.cases
