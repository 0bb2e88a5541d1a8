"""Slicing official documents: structure kept, prose dropped, every $ref carried along and resolvable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.core.errors import SchemaLoadError
from contractkit.openapi.documents import convert_swagger2, slice_spec, strip_prose, unresolved_refs, validate_spec

REPO = Path(__file__).resolve().parents[2]

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "2", "description": "A long vendor text"},
    "paths": {
        "/orders": {
            "parameters": [{"$ref": "#/components/parameters/Page"}],
            "get": {
                "summary": "List orders",
                "description": "Lists orders.",
                "operationId": "listOrders",
                "x-vendor-internal": {"team": "orders"},
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}},
                                "example": [{"id": "o1"}],
                            }
                        },
                    },
                    "default": {"$ref": "#/components/responses/Problem"},
                },
            },
            "post": {"responses": {"201": {"description": "created"}}},
        },
        "/customers": {
            "get": {
                "responses": {
                    "200": {
                        "description": "",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Customer"}}},
                    }
                }
            }
        },
    },
    "components": {
        "parameters": {"Page": {"name": "page", "in": "query", "schema": {"type": "integer"}, "description": "page"}},
        "responses": {
            "Problem": {
                "description": "error",
                "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
            }
        },
        "schemas": {
            "Order": {
                "type": "object",
                "description": "An order",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string", "example": "o-1"},
                    "description": {"type": "string", "description": "free text the customer wrote"},
                    "example": {"type": "boolean"},
                    "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}},
                    "parent": {"$ref": "#/components/schemas/Order"},
                },
            },
            "Line": {"allOf": [{"$ref": "#/components/schemas/Money/properties/amount"}], "title": "A line"},
            "Money": {"type": "object", "properties": {"amount": {"type": "number"}}},
            "Problem": {"type": "object", "properties": {"title": {"type": "string"}, "status": {"type": "integer"}}},
            "Customer": {"type": "object", "properties": {"name": {"type": "string"}}},
        },
    },
}


def test_slice_keeps_structure_and_every_reference_but_no_prose() -> None:
    sliced = slice_spec(DOCUMENT, [("GET", "/orders")])
    assert list(sliced["paths"]) == ["/orders"]
    assert set(sliced["paths"]["/orders"]) == {"parameters", "get"}
    assert set(sliced["components"]["schemas"]) == {"Order", "Line", "Money", "Problem"}
    assert set(sliced["components"]["parameters"]) == {"Page"}
    assert unresolved_refs(sliced) == []
    order = sliced["components"]["schemas"]["Order"]
    assert "description" not in order and "x-vendor-internal" not in sliced["paths"]["/orders"]["get"]
    assert set(order["properties"]) == {"id", "description", "example", "lines", "parent"}, "property names survive"
    assert order["properties"]["description"] == {"type": "string"}
    assert "example" not in order["properties"]["id"]
    assert sliced["paths"]["/orders"]["get"]["responses"]["200"]["description"] == "", "required key kept, text dropped"
    assert sliced["info"] == {"title": "Shop", "version": "2"}
    validate_spec(sliced, display="slice")


def test_examples_are_kept_only_when_asked() -> None:
    sliced = slice_spec(DOCUMENT, [("get", "/orders")], keep_examples=True)
    assert sliced["components"]["schemas"]["Order"]["properties"]["id"]["example"] == "o-1"
    assert sliced["paths"]["/orders"]["get"]["responses"]["200"]["content"]["application/json"]["example"] == [
        {"id": "o1"}
    ]


def test_path_parameter_names_do_not_have_to_match() -> None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a/{name}": {"get": {"responses": {"200": {"description": ""}}}}},
    }
    assert list(slice_spec(document, [("GET", "/a/{id}")])["paths"]) == ["/a/{name}"]


def test_missing_operation_names_the_path_and_suggests_the_closest() -> None:
    with pytest.raises(SchemaLoadError) as raised:
        slice_spec(DOCUMENT, [("GET", "/order")], display="shop.json")
    assert (
        raised.value.describe()
        == "shop.json: paths./order.get: no operation GET /order in the document. did you mean '/orders'?"
    )


def test_dangling_reference_in_the_source_is_reported_with_its_location() -> None:
    broken = json.loads(json.dumps(DOCUMENT))
    broken["components"]["schemas"]["Order"]["properties"]["lines"]["items"]["$ref"] = "#/components/schemas/Nope"
    with pytest.raises(SchemaLoadError) as raised:
        slice_spec(broken, [("GET", "/orders")], display="shop.json")
    assert "$ref '#/components/schemas/Nope' does not resolve" in raised.value.describe()
    assert "components.schemas.Order.properties.lines.items.$ref" in raised.value.describe()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from([("get", "/orders"), ("post", "/orders"), ("get", "/customers")]), min_size=1, unique=True)
)
def test_slicing_a_slice_changes_nothing(routes: list[tuple[str, str]]) -> None:
    once = slice_spec(DOCUMENT, routes)
    assert slice_spec(once, routes) == once
    assert unresolved_refs(once) == []


@settings(max_examples=40, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["description", "example", "type", "properties", "x-a", "summary", "title", "enum"]),
                inner,
                max_size=4,
            )
        ),
        max_leaves=20,
    )
)
def test_stripping_is_idempotent(node: object) -> None:
    once = strip_prose(node)
    assert strip_prose(once) == once


SWAGGER = {
    "swagger": "2.0",
    "info": {"title": "Legacy", "version": "1"},
    "host": "api.example.test",
    "basePath": "/v1",
    "schemes": ["https"],
    "consumes": ["application/json"],
    "produces": ["application/json"],
    "securityDefinitions": {"key": {"type": "apiKey", "name": "X-Key", "in": "header"}, "basic": {"type": "basic"}},
    "security": [{"key": []}],
    "parameters": {"Limit": {"name": "limit", "in": "query", "type": "integer", "maximum": 100}},
    "paths": {
        "/items": {
            "get": {
                "parameters": [
                    {"$ref": "#/parameters/Limit"},
                    {
                        "name": "tags",
                        "in": "query",
                        "type": "array",
                        "items": {"type": "string"},
                        "collectionFormat": "csv",
                    },
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "schema": {"type": "array", "items": {"$ref": "#/definitions/Item"}},
                        "headers": {"X-Total": {"type": "integer"}},
                    }
                },
            },
            "post": {
                "parameters": [
                    {"name": "body", "in": "body", "required": True, "schema": {"$ref": "#/definitions/Item"}}
                ],
                "responses": {"201": {"description": "created", "schema": {"$ref": "#/definitions/Item"}}},
            },
        },
        "/upload": {
            "post": {
                "consumes": ["multipart/form-data"],
                "parameters": [
                    {"name": "file", "in": "formData", "type": "file", "required": True},
                    {"name": "note", "in": "formData", "type": "string"},
                ],
                "responses": {"204": {"description": "done"}},
            }
        },
    },
    "definitions": {
        "Item": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "note": {"type": "string", "x-nullable": True},
                "pair": {"type": "array", "items": [{"type": "integer"}, {"type": "null"}]},
            },
        }
    },
}


def test_swagger2_becomes_valid_openapi3() -> None:
    converted = convert_swagger2(SWAGGER)
    validate_spec(converted, display="legacy.json")
    assert converted["servers"] == [{"url": "https://api.example.test/v1"}]
    items = converted["paths"]["/items"]
    assert items["get"]["parameters"][0] == {"$ref": "#/components/parameters/Limit"}
    assert items["get"]["parameters"][1]["style"] == "form" and items["get"]["parameters"][1]["explode"] is False
    assert items["get"]["responses"]["200"]["content"]["application/json"]["schema"]["items"] == {
        "$ref": "#/components/schemas/Item"
    }
    assert items["get"]["responses"]["200"]["headers"]["X-Total"] == {"schema": {"type": "integer"}}
    assert items["post"]["requestBody"] == {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
    }
    upload = converted["paths"]["/upload"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert upload["properties"]["file"] == {"type": "string", "format": "binary"} and upload["required"] == ["file"]
    item = converted["components"]["schemas"]["Item"]["properties"]
    assert item["note"] == {"type": "string", "nullable": True}
    assert item["pair"]["items"] == {"anyOf": [{"type": "integer"}, {"nullable": True, "enum": [None]}]}
    assert converted["components"]["securitySchemes"]["basic"] == {"type": "http", "scheme": "basic"}
    assert converted["components"]["parameters"]["Limit"]["schema"] == {"type": "integer", "maximum": 100}


def test_import_command_writes_a_valid_slice_atomically(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "data" / "registry", project)
    (project / "official.json").write_text(
        json.dumps(
            DOCUMENT
            | {
                "paths": {
                    **DOCUMENT["paths"],
                    "/widgets": DOCUMENT["paths"]["/orders"],
                    "/widgets/{wid}": {
                        "get": {
                            **DOCUMENT["paths"]["/customers"]["get"],
                            "parameters": [
                                {"name": "wid", "in": "path", "required": True, "schema": {"type": "string"}}
                            ],
                        }
                    },
                }
            }
        )
    )
    monkeypatch.chdir(project)
    before = (project / "spec.json").read_bytes()
    code, out, err = run_cli("schemas", "import", "--provider", "widgets", "--from", "official.json")
    assert (code, err) == (0, ""), out
    assert out.startswith("wrote spec.json: 2 operations")
    written = json.loads((project / "spec.json").read_text())
    assert written != json.loads(before) and set(written["paths"]) == {"/widgets", "/widgets/{wid}"}
    assert written["info"]["x-contractkit"]["source"] == "official.json"
    assert not list(project.glob(".spec.json.*")), "no temporary file is left behind"

    code, _, err = run_cli("schemas", "import", "--provider", "aws", "--from", "official.json")
    assert code == 2 and "is AWS: its shapes come from botocore's models" in err
    code, _, err = run_cli("schemas", "import", "--provider", "widgets", "--from", "missing.json")
    assert code == 2 and err.strip() == "error: missing.json: file not found"


SLICED_PROVIDERS = {
    "grafana": "grafana/openapi3.json",
    "github": "github/new/api.github.com.json",
    "pagerduty": "pagerduty/openapiv3.json",
    "jira": "jira/swagger-v3.v3.json",
    "argocd": "argocd/swagger.json",
    "slack": "slack/slack_web_openapi_v2.json",
    "confluence": "confluence/openapi-v2.v3.json",
}


@pytest.mark.parametrize("provider", sorted(SLICED_PROVIDERS))
def test_committed_slices_are_valid_and_reproducible(provider: str, shared_specs: Path) -> None:
    from contractkit.openapi.documents import import_spec_slice
    from contractkit.registry import load_registry

    committed = json.loads((REPO / "schemas" / provider / "openapi.json").read_text())
    assert unresolved_refs(committed) == []
    validate_spec(committed, display=provider)
    registry = load_registry(REPO / "registry.yaml")
    assert import_spec_slice(registry.provider(provider), shared_specs / SLICED_PROVIDERS[provider]) == committed
