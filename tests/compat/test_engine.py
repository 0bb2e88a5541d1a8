"""The compatibility engine, case by case: one pact interaction judged against an old and a new description.
A change breaks the consumer exactly when the interaction was compatible before and is not after; the cases are
the keywords of OpenAPI 3 and JSON Schema a provider's answer or a consumer's request depends on."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contractkit.compat import compare_calls, judge_interaction
from contractkit.pact.reader import parse_pact
from contractkit.pact.usage import InteractionUsage
from contractkit.validation import SpecValidator

TYPE = {"combine": "AND", "matchers": [{"match": "type"}]}
NULL_OR_TYPE = {"combine": "OR", "matchers": [{"match": "null"}, {"match": "type"}]}


def _regex(pattern: str) -> dict[str, Any]:
    return {"combine": "AND", "matchers": [{"match": "regex", "regex": pattern}]}


INCIDENT = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "string", "enum": ["triggered", "resolved"]},
        "urgency": {"type": "string"},
        "count": {"type": "integer"},
        "service": {"type": "object", "properties": {"id": {"type": "string"}, "summary": {"type": "string"}}},
        "tags": {"type": "array", "items": {"type": "string"}},
        "meta": {"type": "object"},
    },
}


def _document(
    schema: dict[str, Any],
    *,
    parameters: list[dict[str, Any]] | None = None,
    status: str = "200",
    media: str = "application/json",
) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/incidents/{id}": {
                "get": {
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                        *(parameters or []),
                    ],
                    "responses": {status: {"description": "", "content": {media: {"schema": schema}}}},
                }
            }
        },
    }


def _interaction(
    body: Any, rules: dict[str, Any] | None = None, *, query: dict[str, list[str]] | None = None, status: int = 200
) -> Any:
    pact = {
        "consumer": {"name": "devctl"},
        "provider": {"name": "pager"},
        "metadata": {"pactSpecification": {"version": "4.0"}},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": "the incident",
                "request": {"method": "GET", "path": "/incidents/I1", **({"query": query} if query else {})},
                "response": {
                    "status": status,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {"content": body, "contentType": "application/json", "encoded": False},
                    "matchingRules": {"body": rules or {}},
                },
            }
        ],
    }
    return parse_pact(pact).interactions[0]


def _without(schema: dict[str, Any], *path: str) -> dict[str, Any]:
    changed = copy.deepcopy(schema)
    node = changed
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return changed


def _with(schema: dict[str, Any], value: Any, *path: str) -> dict[str, Any]:
    changed = copy.deepcopy(schema)
    node = changed
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    return changed


def _breaks(interaction: Any, old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str]]:
    call = InteractionUsage(
        "devctl",
        "pager",
        "get_incident",
        "GET",
        "/incidents/{id}",
        interaction.description,
        (),
        interaction.response.status,
        (),
        (),
        "devctl-pager.json",
        interaction,
    )
    delta = compare_calls([call], SpecValidator(old), SpecValidator(new))
    return [(found.problem.code, found.problem.location) for found in delta.breaks]


BODY = {
    "id": "I1",
    "title": "Disk full",
    "status": "triggered",
    "count": 3,
    "service": {"id": "S1", "summary": "db"},
    "tags": ["db"],
}
TYPED = {"$.title": TYPE, "$.count": TYPE, "$.service.summary": TYPE, "$.tags": TYPE, "$.id": TYPE}

CASES = [
    # (name, body, rules, old schema, new schema, expected breaks)
    (
        "optional field read, removed",
        BODY,
        TYPED,
        INCIDENT,
        _without(INCIDENT, "properties", "title"),
        [("CK418", "$.title")],
    ),
    ("optional field not read, removed", BODY, TYPED, INCIDENT, _without(INCIDENT, "properties", "urgency"), []),
    (
        "nested field read, removed",
        BODY,
        TYPED,
        INCIDENT,
        _without(INCIDENT, "properties", "service", "properties", "summary"),
        [("CK418", "$.service.summary")],
    ),
    (
        "field read under type, becomes nullable",
        BODY,
        TYPED,
        INCIDENT,
        _with(INCIDENT, True, "properties", "title", "nullable"),
        [("CK419", "$.title#null")],
    ),
    (
        "field read under null-or-type, becomes nullable",
        BODY,
        {**TYPED, "$.title": NULL_OR_TYPE},
        INCIDENT,
        _with(INCIDENT, True, "properties", "title", "nullable"),
        [],
    ),
    (
        "3.1 type list gains null",
        BODY,
        TYPED,
        INCIDENT,
        _with(INCIDENT, ["string", "null"], "properties", "title", "type"),
        [("CK419", "$.title#null")],
    ),
    (
        "object read becomes nullable",
        BODY,
        TYPED,
        INCIDENT,
        _with(INCIDENT, True, "properties", "service", "nullable"),
        [("CK419", "$.service#null")],
    ),
    (
        "literal value stays possible when an enum grows",
        BODY,
        TYPED,
        INCIDENT,
        _with(INCIDENT, ["triggered", "resolved", "paused"], "properties", "status", "enum"),
        [],
    ),
    (
        "literal value removed from the enum",
        BODY,
        TYPED,
        INCIDENT,
        _with(INCIDENT, ["resolved"], "properties", "status", "enum"),
        [("CK419", "$.status")],
    ),
    (
        "regex matcher, enum grows past it",
        BODY,
        {**TYPED, "$.status": _regex("^(triggered|resolved)$")},
        INCIDENT,
        _with(INCIDENT, ["triggered", "resolved", "paused"], "properties", "status", "enum"),
        [("CK419", "$.status#values")],
    ),
    (
        "regex matcher, enum grows within it",
        BODY,
        {**TYPED, "$.status": _regex("^[a-z]+$")},
        INCIDENT,
        _with(INCIDENT, ["triggered", "resolved", "paused"], "properties", "status", "enum"),
        [],
    ),
    (
        "type changed under a type matcher",
        BODY,
        TYPED,
        INCIDENT,
        _with(INCIDENT, "string", "properties", "count", "type"),
        [("CK419", "$.count")],
    ),
    (
        "integer widened to number under integer matcher",
        BODY,
        {**TYPED, "$.count": {"combine": "AND", "matchers": [{"match": "integer"}]}},
        INCIDENT,
        _with(INCIDENT, "number", "properties", "count", "type"),
        [("CK419", "$.count#kind")],
    ),
    (
        "integer widened to number under type matcher",
        BODY,
        TYPED,
        INCIDENT,
        _with(INCIDENT, "number", "properties", "count", "type"),
        [],
    ),
    (
        "additionalProperties false added, read field still declared",
        BODY,
        TYPED,
        INCIDENT,
        _with(INCIDENT, False, "additionalProperties"),
        [],
    ),
    (
        "free-form object stays free-form",
        {**BODY, "meta": {"k": "v"}},
        TYPED,
        INCIDENT,
        _with(INCIDENT, {"type": "object", "additionalProperties": {"type": "string"}}, "properties", "meta"),
        [],
    ),
    (
        "free-form object closed to declared keys",
        {**BODY, "meta": {"k": "v"}},
        TYPED,
        INCIDENT,
        _with(
            INCIDENT,
            {"type": "object", "properties": {"other": {"type": "string"}}, "additionalProperties": False},
            "properties",
            "meta",
        ),
        [("CK418", "$.meta.k")],
    ),
    (
        "array items lose a field read",
        {**BODY, "tags": ["db"]},
        {**TYPED, "$.tags": TYPE},
        INCIDENT,
        _with(INCIDENT, {"type": "array", "items": {"type": "integer"}}, "properties", "tags"),
        [("CK419", "$.tags[*]")],
    ),
    (
        "response oneOf gains a branch without the field",
        BODY,
        TYPED,
        INCIDENT,
        {
            "oneOf": [
                INCIDENT,
                {"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": False},
            ]
        },
        [
            ("CK418", "$.title"),
            ("CK418", "$.count"),
            ("CK418", "$.service"),
            ("CK418", "$.tags"),
            ("CK418", "$.status"),
        ],
    ),
    (
        "response oneOf gains a branch the pact's discriminator excludes",
        {**BODY, "kind": "incident"},
        TYPED,
        _with(INCIDENT, {"type": "string", "enum": ["incident"]}, "properties", "kind"),
        {
            "oneOf": [
                _with(INCIDENT, {"type": "string", "enum": ["incident"]}, "properties", "kind"),
                {"type": "object", "properties": {"kind": {"type": "string", "enum": ["alert"]}}},
            ]
        },
        [],
    ),
    (
        "allOf split keeps the field",
        BODY,
        TYPED,
        INCIDENT,
        {
            "allOf": [
                _without(INCIDENT, "properties", "title"),
                {"type": "object", "properties": {"title": {"type": "string"}}},
            ]
        },
        [],
    ),
    (
        "field moved under a $ref",
        BODY,
        TYPED,
        INCIDENT,
        _with(INCIDENT, {"$ref": "#/components/schemas/Title"}, "properties", "title"),
        [],
    ),
]


def _documented(document: dict[str, Any]) -> dict[str, Any]:
    document.setdefault("components", {"schemas": {"Title": {"type": "string"}}})
    return document


@pytest.mark.parametrize(("name", "body", "rules", "old", "new", "expected"), CASES, ids=[case[0] for case in CASES])
def test_a_change_breaks_exactly_what_the_pact_relies_on(
    name: str,
    body: Any,
    rules: dict[str, Any],
    old: dict[str, Any],
    new: dict[str, Any],
    expected: list[tuple[str, str]],
) -> None:
    interaction = _interaction(body, rules)
    assert judge_interaction(interaction, SpecValidator(_documented(_document(old)))) == [] or name.startswith(
        "free-form"
    )
    found = _breaks(interaction, _documented(_document(old)), _documented(_document(new)))
    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize(("name", "body", "rules", "old", "new", "expected"), CASES, ids=[case[0] for case in CASES])
def test_an_unchanged_description_breaks_nothing(
    name: str,
    body: Any,
    rules: dict[str, Any],
    old: dict[str, Any],
    new: dict[str, Any],
    expected: list[tuple[str, str]],
) -> None:
    interaction = _interaction(body, rules)
    assert _breaks(interaction, _documented(_document(new)), _documented(_document(copy.deepcopy(new)))) == []


SENT = [
    {"name": "tag", "in": "query", "schema": {"type": "string"}},
    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
]


@pytest.mark.parametrize(
    ("name", "query", "old", "new", "expected"),
    [
        ("query parameter sent, removed", {"tag": ["ops"]}, SENT, SENT[1:], [("CK420", "tag")]),
        ("query parameter not sent, removed", {"limit": ["10"]}, SENT, SENT[1:], []),
        (
            "query parameter sent, value now out of range",
            {"limit": ["50"]},
            SENT,
            [SENT[0], {**SENT[1], "schema": {"type": "integer", "maximum": 20}}],
            [("CK414", "limit")],
        ),
        (
            "query parameter sent, value still in range",
            {"limit": ["10"]},
            SENT,
            [SENT[0], {**SENT[1], "schema": {"type": "integer", "maximum": 20}}],
            [],
        ),
        ("parameter not sent becomes required", {}, SENT, [{**SENT[0], "required": True}, SENT[1]], [("CK413", "tag")]),
        (
            "enum on a sent parameter excludes its value",
            {"tag": ["ops"]},
            SENT,
            [{**SENT[0], "schema": {"type": "string", "enum": ["dev"]}}, SENT[1]],
            [("CK414", "tag")],
        ),
    ],
)
def test_request_changes_break_what_the_consumer_sends(
    name: str,
    query: dict[str, list[str]],
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    expected: list[tuple[str, str]],
) -> None:
    interaction = _interaction(BODY, TYPED, query=query or None)
    found = _breaks(interaction, _document(INCIDENT, parameters=old), _document(INCIDENT, parameters=new))
    assert found == expected


def test_status_and_media_type_the_pact_expects_must_stay_documented() -> None:
    interaction = _interaction(BODY, TYPED)
    assert _breaks(interaction, _document(INCIDENT), _document(INCIDENT, status="201")) == [("CK416", "200")]
    assert _breaks(interaction, _document(INCIDENT), _document(INCIDENT, status="2XX")) == []
    assert _breaks(interaction, _document(INCIDENT), _document(INCIDENT, status="default")) == []
    assert _breaks(interaction, _document(INCIDENT), _document(INCIDENT, media="application/xml")) == [
        ("CK417", "application/json")
    ]


def test_an_interaction_already_incompatible_is_not_blamed_on_the_change() -> None:
    interaction = _interaction({**BODY, "undocumented": 1}, TYPED)
    old, new = _document(INCIDENT), _document(_without(INCIDENT, "properties", "urgency"))
    call = InteractionUsage(
        "devctl",
        "pager",
        "get_incident",
        "GET",
        "/incidents/{id}",
        "the incident",
        (),
        200,
        (),
        (),
        "devctl-pager.json",
        interaction,
    )
    delta = compare_calls([call], SpecValidator(old), SpecValidator(new))
    assert delta.breaks == ()
    assert [(found.problem.code, found.problem.location) for found in delta.already] == [("CK418", "$.undocumented")]
