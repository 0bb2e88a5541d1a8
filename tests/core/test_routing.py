"""One router, one answer: a literal path listed after a template that also matches it (as in PagerDuty's
description, where `/business_services/{id}` comes before `/business_services/impactors`) goes to the literal
operation in validation, replay, verification, the fuzzer's consumer expectations and the gate alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractkit.cassettes import (
    IncomingRequest,
    InteractionIndex,
    RecordedInteraction,
    RecordedRequest,
    RecordedResponse,
)
from contractkit.core.routing import OperationRoute, OperationRouter, Router
from contractkit.pact.expectations import load_pact_expectations
from contractkit.registry import load_registry
from contractkit.validation import SpecValidator
from contractkit.verify import operation_for

TEMPLATE, LITERAL = "/business_services/{id}", "/business_services/impactors"

# The template first, as the vendor's description lists it.
DOCUMENT = {
    "openapi": "3.0.3",
    "info": {"title": "services", "version": "1"},
    "paths": {
        TEMPLATE: {"get": {"operationId": "getBusinessService", "responses": {"200": {"description": "one"}}}},
        LITERAL: {"get": {"operationId": "getImpactors", "responses": {"200": {"description": "impactors"}}}},
    },
}

REGISTRY = f"""\
version: 1
consumer: devctl
providers:
  services:
    base_url: http://127.0.0.1:9/api
    auth: {{scheme: none}}
    operations:
      get_business_service: {{method: GET, path: "{TEMPLATE}", safe: true}}
      get_impactors: {{method: GET, path: "{LITERAL}", safe: true}}
"""


@pytest.fixture
def provider(tmp_path: Path):
    (tmp_path / "registry.yaml").write_text(REGISTRY)
    return load_registry(tmp_path / "registry.yaml").provider("services")


def test_the_router_prefers_the_literal_segment_whatever_the_order():
    for routes in (
        [("get", TEMPLATE, "template"), ("get", LITERAL, "literal")],
        [("get", LITERAL, "literal"), ("get", TEMPLATE, "template")],
    ):
        router = Router(routes, base_paths=["/api"])
        assert router.match("GET", "/api/business_services/impactors").value == "literal"
        found = router.match("GET", "/api/business_services/P123")
        assert (found.value, found.parameters) == ("template", {"id": "P123"})
        assert router.match("POST", "/api/business_services/impactors") is None


def test_a_literal_route_without_the_method_falls_back_to_the_template():
    router = Router([("get", LITERAL, "literal"), ("delete", TEMPLATE, "template")])
    assert router.match("DELETE", LITERAL).value == "template"
    assert router.methods(LITERAL) == ["get", "delete"]


def test_operation_router_takes_the_most_specific_query_keys_and_named_actions():
    router = OperationRouter(
        [
            OperationRoute("bucket", "GET", "/{Bucket}"),
            OperationRoute("location", "GET", "/{Bucket}", frozenset({"location"})),
            OperationRoute("objects", "GET", "/{Bucket}/{Key+}"),
            OperationRoute("users", "POST", "/", action="ListUsers"),
        ]
    )
    assert router.match("GET", "/b", query_keys=["location"]).name == "location"
    assert router.match("GET", "/b").name == "bucket"
    assert router.match("GET", "/b/deep/key.txt").name == "objects"
    assert router.match("POST", "/", action="ListUsers").name == "users"
    assert router.match("POST", "/", action="DeleteUser") is None


def test_validation_routes_to_the_literal_operation():
    match = SpecValidator(DOCUMENT).match("GET", LITERAL)
    assert match.template == LITERAL and match.operation["operationId"] == "getImpactors"


def test_replay_routes_to_the_literal_operation(provider):
    def recorded(operation: str, uri: str) -> RecordedInteraction:
        return RecordedInteraction(
            RecordedRequest("GET", uri, {}),
            RecordedResponse(200, {"Content-Type": ("application/json",)}, json.dumps(operation)),
            operation,
        )

    index = InteractionIndex(
        [
            recorded("get_business_service", "http://127.0.0.1:9/api/business_services/P1?limit=1"),
            recorded("get_impactors", "http://127.0.0.1:9/api/business_services/impactors?limit=1"),
        ],
        provider,
    )
    match = index.match(IncomingRequest("GET", "/api/business_services/impactors?limit=5", {}))
    assert (match.how, match.interaction.operation) == ("operation", "get_impactors")
    match = index.match(IncomingRequest("GET", "/api/business_services/P9?limit=5", {}))
    assert match.interaction.operation == "get_business_service"


def test_verification_names_the_literal_operation(provider):
    assert operation_for(provider, {"method": "GET", "path": "/api/business_services/impactors"}) == "get_impactors"
    assert operation_for(provider, {"method": "GET", "path": "/api/business_services/P9"}) == "get_business_service"


def test_fuzz_expectations_go_to_the_literal_operation(tmp_path: Path):
    pact = {
        "consumer": {"name": "devctl"},
        "provider": {"name": "services"},
        "interactions": [
            {
                "description": "impactors",
                "request": {"method": "GET", "path": LITERAL},
                "response": {"status": 200, "body": {"impactors": []}},
            }
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }
    pact_file = tmp_path / "devctl-services.json"
    pact_file.write_text(json.dumps(pact))
    routes = [(f"GET {TEMPLATE}", "GET", TEMPLATE), (f"GET {LITERAL}", "GET", LITERAL)]
    expectations = load_pact_expectations([pact_file], routes)
    assert list(expectations) == [f"GET {LITERAL}"]


def test_the_gate_usage_model_routes_to_the_literal_operation(provider, tmp_path: Path):
    """The gate judges a change by who calls the operation: the pact request must land on the literal one."""
    from contractkit.pact.reader import parse_pact
    from contractkit.pact.usage import usage_from_pacts

    pact = parse_pact(
        {
            "consumer": {"name": "devctl"},
            "provider": {"name": "services"},
            "interactions": [
                {
                    "description": "impactors",
                    "request": {"method": "GET", "path": "/api" + LITERAL},
                    "response": {"status": 200, "body": {"impactors": []}},
                },
                {
                    "description": "one service",
                    "request": {"method": "GET", "path": "/api/business_services/P9"},
                    "response": {"status": 200, "body": {"id": "P9"}},
                },
            ],
        }
    )
    usage = usage_from_pacts([provider], [pact])
    assert {item.description: item.operation for item in usage.interactions} == {
        "impactors": "get_impactors",
        "one service": "get_business_service",
    }
