"""A body met again under the same schema keeps its verdict: the findings of a repeated body are those of its first
check, each operation's own, and a body differing by one character, or checked without the memo, gets its own."""

from __future__ import annotations

import gzip
import json

from contractkit.validation.responses import BodyVerdicts, SpecValidator

JSON = {"Content-Type": ["application/json"]}


def _document() -> dict:
    def operation(schema: str) -> dict:
        return {
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
                }
            }
        }

    item = {"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "integer"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/items": {"get": operation("Items")},
            "/others": {"get": operation("Items")},
            "/loose": {"get": operation("Loose")},
        },
        "components": {
            "schemas": {"Items": {"type": "array", "items": item}, "Loose": {"type": "array"}},
        },
    }


def _messages(findings: list) -> list[tuple[str, str, str]]:
    return [(finding.code, finding.message, finding.location) for finding in findings]


def test_a_repeated_body_has_the_findings_of_its_first_check_and_each_operation_its_own():
    validator = SpecValidator(_document(), source="openapi.json")
    body = json.dumps([{"id": 1, "name": "a"}, {"id": "two"}])

    first = validator.validate("get", "/items", 200, JSON, body)
    again = validator.validate("get", "/items", 200, JSON, "".join(body))  # an equal text, another object
    other = validator.validate("get", "/others", 200, JSON, body)
    loose = validator.validate("get", "/loose", 200, JSON, body)

    assert _messages(first) == _messages(again)
    assert [message for _, message, _ in _messages(first)] == [
        "GET /items 200: missing required property 'name'",
        'GET /items 200: expected integer, got string "two"',
    ]
    assert [message for _, message, _ in _messages(other)] == [
        message.replace("/items", "/others") for _, message, _ in _messages(first)
    ]
    assert loose == []


def test_one_character_more_or_another_encoding_is_judged_on_its_own():
    validator = SpecValidator(_document(), source="openapi.json")
    good = json.dumps([{"id": 1, "name": "a"}])

    assert validator.validate("get", "/items", 200, JSON, good) == []
    assert validator.validate("get", "/items", 200, JSON, good.replace("1", "1.5")) != []
    zipped = {**JSON, "Content-Encoding": ["gzip"]}
    assert validator.validate("get", "/items", 200, zipped, gzip.compress(good.encode())) == []
    assert validator.validate("get", "/items", 200, JSON, good.replace("1", "null")) != []


def test_without_room_every_body_is_checked_and_the_verdicts_do_not_change():
    remembered = SpecValidator(_document(), source="openapi.json")
    unremembered = SpecValidator(_document(), source="openapi.json")
    unremembered._verdicts = BodyVerdicts(limit=0)
    bodies = [json.dumps([{"id": n % 3, "name": "x"} if n % 2 else {"id": str(n)}]) for n in range(12)]

    for body in bodies + bodies:
        assert _messages(remembered.validate("get", "/items", 200, JSON, body)) == _messages(
            unremembered.validate("get", "/items", 200, JSON, body)
        )


def test_the_memo_keeps_bodies_up_to_its_room_and_never_what_is_not_text():
    verdicts = BodyVerdicts(limit=10)
    verdicts.put(("k",), "0123456789", [])
    verdicts.put(("k",), "more text", [])  # no room left
    verdicts.put(("k",), [1, 2], [])  # parsed data is not remembered

    assert verdicts.get(("k",), "0123456789") == ()
    assert verdicts.get(("k",), "more text") is None
    assert verdicts.get(("k",), [1, 2]) is None
    assert verdicts.get(("other",), "0123456789") is None
