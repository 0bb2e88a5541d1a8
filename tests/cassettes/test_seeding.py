"""Seeding cassettes from an OpenAPI document: published examples kept where they fit, realistic instances,
and provider-state variants seeded with the state's parameters."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from contractkit.cassettes import load_cassette
from contractkit.recording.instances import schema_instance

INCIDENT = {
    "type": "object",
    "required": ["id", "status"],
    "properties": {
        "id": {"type": "string"},
        "status": {"type": "string", "enum": ["triggered", "acknowledged", "resolved"]},
        "title": {"type": "string"},
        "ended_at": {"type": "string", "format": "date-time"},
        "service": {"type": "object", "properties": {"id": {"type": "string"}, "summary": {"type": "string"}}},
    },
}
# the published example, as providers publish them: realistic, with one value its own schema rejects (null)
PUBLISHED = {
    "incident": {
        "id": "PT4KHLK",
        "status": "triggered",
        "title": "The server is on fire.",
        "ended_at": None,
        "service": {"id": "PIJ90N7", "summary": "My Mail Service"},
    }
}


def _document() -> dict[str, Any]:
    schema = {
        "type": "object",
        "required": ["incident"],
        "properties": {"incident": {"$ref": "#/components/schemas/Incident"}},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "incidents", "version": "1"},
        "paths": {
            "/incidents/{id}": {
                "get": {
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                            "example": "PXYZ123",
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "the incident",
                            "content": {"application/json": {"schema": schema, "example": PUBLISHED}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Incident": INCIDENT}},
    }


@pytest.fixture
def seeded_registry(tmp_path: Path) -> Path:
    """A registry whose provider is described by a small OpenAPI document with a published example."""
    (tmp_path / "openapi.json").write_text(json.dumps(_document()))
    (tmp_path / "registry.yaml").write_text(
        "version: 1\nconsumer: demo\nproviders:\n  incidents:\n    base_url: http://127.0.0.1:1\n"
        "    spec: openapi.json\n    cassettes: cassettes/incidents\n    operations:\n"
        "      get_incident: {method: GET, path: '/incidents/{id}', safe: true}\n"
    )
    return tmp_path / "registry.yaml"


def _record(run_cli, registry: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli(
        "record",
        "--registry",
        str(registry),
        "--provider",
        "incidents",
        "--from-spec",
        str(registry.parent / "openapi.json"),
        *extra,
    )


def test_a_published_example_keeps_its_values_and_only_the_rejected_one_is_replaced(seeded_registry, run_cli) -> None:
    code, _, err = _record(run_cli, seeded_registry)
    assert code == 0, err
    cassette = load_cassette(seeded_registry.parent / "cassettes" / "incidents" / "get_incident.yaml")
    body = cassette.interactions[0].response.json()["incident"]
    assert body["id"] == "PT4KHLK" and body["service"] == PUBLISHED["incident"]["service"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", body["ended_at"])  # the null became a date-time
    assert cassette.source == "openapi-example"
    assert cassette.metadata["example_repaired"] == ["$.incident.ended_at"]
    assert "ended_at" in cassette.metadata["example_rejected"]
    assert cassette.interactions[0].request.uri.endswith("/incidents/PXYZ123")  # the parameter's own example


def test_a_state_variant_answers_for_the_state_parameters(seeded_registry, run_cli) -> None:
    code, _, err = _record(
        run_cli,
        seeded_registry,
        "--state",
        "an incident exists",
        "--param",
        "id=PABC999",
        "--param",
        "$.incident.title=Disk full on db-1",
    )
    assert code == 0, err
    folder = seeded_registry.parent / "cassettes" / "incidents"
    variant = load_cassette(folder / "states" / "an-incident-exists" / "get_incident.yaml")
    interaction = variant.interactions[0]
    assert interaction.request.uri.endswith("/incidents/PABC999")
    incident = interaction.response.json()["incident"]
    assert incident["id"] == "PABC999"  # the shallowest `id`, not the service's
    assert incident["service"]["id"] == "PIJ90N7" and incident["title"] == "Disk full on db-1"
    assert variant.metadata["state"] == {
        "name": "an incident exists",
        "params": {"id": "PABC999", "$.incident.title": "Disk full on db-1"},
    }
    assert not (folder / "get_incident.yaml").exists()  # the default cassette is not touched by a variant


def test_a_state_value_the_schema_rejects_fails_the_seed(seeded_registry, run_cli) -> None:
    code, out, _ = _record(run_cli, seeded_registry, "--state", "s", "--param", "$.incident.status=on fire")
    assert code == 1 and "no example or schema instance fits" in out
    # without --state, parameters shape the provider's own seeded cassettes (issue 15): the same bad value fails alike
    code, out, _ = _record(run_cli, seeded_registry, "--param", "$.incident.status=on fire")
    assert code == 1 and "no example or schema instance fits" in out


def test_generated_values_follow_formats_patterns_and_enums() -> None:
    document: dict[str, Any] = {}
    assert schema_instance(document, {"type": "string", "format": "email"}) == "user@example.com"
    assert re.fullmatch(r"[A-Z0-9]{7}", schema_instance(document, {"type": "string", "pattern": "^[A-Z0-9]{7}$"}))
    assert schema_instance(document, {"type": "string", "enum": ["Synced", "OutOfSync"]}) == "Synced"
    assert schema_instance(document, {"type": "string", "example": "PT4KHLK", "pattern": "^P"}) == "PT4KHLK"
    # no type, and the only alternatives described include null: null, not an empty object
    assert (
        schema_instance(document, {"items": {"anyOf": [{"type": "integer"}, {"enum": [None], "nullable": True}]}})
        is None
    )


def test_an_aws_state_variant_is_seeded_from_botocore_with_the_state_values(tmp_path: Path, run_cli) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_text(
        "version: 1\nconsumer: c\nproviders:\n  aws:\n    kind: aws\n    base_url: http://127.0.0.1:5000\n"
        "    auth: {scheme: aws-sigv4, env: [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY]}\n"
        "    operations:\n      forecast: {service: ce, operation: GetCostForecast, safe: true}\n"
    )
    code, out, err = run_cli(
        "record",
        "--registry",
        str(registry),
        "--provider",
        "aws",
        "--from-spec",
        "botocore",
        "--state",
        "costs exist",
        "--param",
        "$.Total.Amount=98.40",
        "--param",
        "$.ForecastResultsByTime[0].TimePeriod.Start=2024-06-01",
    )
    assert (code, err) == (0, ""), out
    variant = load_cassette(tmp_path / "cassettes" / "aws" / "states" / "costs-exist" / "forecast.yaml")
    answer = json.loads(variant.interactions[0].response.body)
    assert answer["Total"]["Amount"] == "98.40"
    assert answer["ForecastResultsByTime"][0]["TimePeriod"]["Start"] == "2024-06-01"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", answer["ForecastResultsByTime"][0]["TimePeriod"]["End"]), (
        "botocore's pattern"
    )
    assert variant.metadata["source"] == "botocore-schema" and variant.metadata["state"]["name"] == "costs exist"
    assert not (tmp_path / "cassettes" / "aws" / "forecast.yaml").exists(), "the default cassette is untouched"


CONTRACT = """provider: incidents
interactions:
  - operation: get_incident
    description: the incident PABC999
    request:
      path_params: {id: PABC999}
    response:
      status: 200
      body:
        incident:
          id: PABC999
          status: acknowledged
          priority: {$integer: 3}
          resolved_by: null
          tags: {$each_like: checkout}
          assignees: {$each_like: {id: {$like: PUSER01}, summary: Ada Lovelace}, min: 2}
          service: {id: PSVC001, summary: {$like: Checkout}}
"""


@pytest.fixture
def contracted_registry(seeded_registry: Path) -> Path:
    """The seeded registry's provider with more kinds of field, and a contract whose example gives a value to each."""
    document = _document()
    document["components"]["schemas"]["Incident"]["properties"].update(
        {
            "priority": {"type": "integer"},
            "resolved_by": {"type": "string", "nullable": True},
            "tags": {"type": "array", "items": {"type": "string"}},
            "assignees": {
                "type": "array",
                "items": {"type": "object", "properties": {"id": {"type": "string"}, "summary": {"type": "string"}}},
            },
        }
    )
    (seeded_registry.parent / "openapi.json").write_text(json.dumps(document))
    (seeded_registry.parent / "contracts").mkdir()
    (seeded_registry.parent / "contracts" / "incidents.yaml").write_text(CONTRACT)
    return seeded_registry


def test_a_seed_answers_with_every_value_the_contracts_example_gives(contracted_registry: Path, run_cli) -> None:
    code, out, err = _record(run_cli, contracted_registry)
    assert (code, err) == (0, ""), out
    cassette = load_cassette(contracted_registry.parent / "cassettes" / "incidents" / "get_incident.yaml")
    interaction = cassette.interactions[0]
    assert interaction.request.uri.endswith("/incidents/PABC999")  # the contract's path parameter
    incident = interaction.response.json()["incident"]
    assert {
        key: incident[key] for key in ("id", "status", "priority", "resolved_by", "tags", "assignees", "service")
    } == {
        "id": "PABC999",
        "status": "acknowledged",
        "priority": 3,
        "resolved_by": None,
        "tags": ["checkout"],
        "assignees": [{"id": "PUSER01", "summary": "Ada Lovelace"}] * 2,
        "service": {"id": "PSVC001", "summary": "Checkout"},
    }
    assert incident["title"] == "The server is on fire."  # what the contract does not give comes from the document
    assert cassette.metadata["contract_example"] == "contracts/incidents.yaml: the incident PABC999"


def test_a_param_overrides_the_contract_and_takes_json_values(contracted_registry: Path, run_cli) -> None:
    code, out, err = _record(
        run_cli,
        contracted_registry,
        "--param",
        '$.incident.tags=["a","b"]',
        "--param",
        "$.incident.priority=5",
        "--param",
        '$.incident.resolved_by:="PUSER01"',
        "--param",
        "$.incident.title=42",
    )
    assert (code, err) == (0, ""), out
    cassette = load_cassette(contracted_registry.parent / "cassettes" / "incidents" / "get_incident.yaml")
    incident = cassette.interactions[0].response.json()["incident"]
    assert (incident["tags"], incident["priority"], incident["resolved_by"], incident["title"]) == (
        ["a", "b"],
        5,
        "PUSER01",
        "42",
    )  # a text field keeps the text 42


def test_a_contract_value_the_schema_rejects_leaves_the_description_values_and_says_why(
    contracted_registry: Path, run_cli
) -> None:
    contract = contracted_registry.parent / "contracts" / "incidents.yaml"
    contract.write_text(CONTRACT.replace("status: acknowledged", "status: on fire"))
    code, out, err = _record(run_cli, contracted_registry)
    assert (code, err) == (0, ""), out
    cassette = load_cassette(contracted_registry.parent / "cassettes" / "incidents" / "get_incident.yaml")
    assert cassette.interactions[0].response.json()["incident"]["status"] == "triggered"
    assert "$.incident.status" in cassette.metadata["contract_example_rejected"]


def test_record_help_documents_json_param_values(run_cli) -> None:
    code, out, _ = run_cli("record", "--help")
    assert code == 0
    assert '--param \'$.tags=["a","b"]\'          a JSON array or object is JSON' in out
    assert "--param '$.owner:=null'             := is always JSON" in out
