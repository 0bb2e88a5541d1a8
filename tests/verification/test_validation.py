"""Response validation against an OpenAPI slice, a JSON Schema file and botocore output shapes."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from verification_support import DASHBOARD, HIT, grafana_like_spec

from contractkit.core.errors import SchemaLoadError
from contractkit.registry import load_registry
from contractkit.validation import SpecValidator, to_json_schema, validate_response

JSON = {"Content-Type": "application/json; charset=utf-8"}


def codes(findings):
    return [finding.code for finding in findings]


@pytest.fixture()
def grafana(registry_path: Path):
    return load_registry(registry_path).provider("grafana")


def test_a_conforming_response_has_no_findings(grafana):
    assert validate_response(grafana, "search_dashboards", 200, JSON, json.dumps([HIT]).encode()) == []
    assert validate_response(grafana, "get_dashboard", 200, JSON, json.dumps(DASHBOARD)) == []


def test_parsed_data_is_accepted_as_a_body(grafana):
    assert validate_response(grafana, "search_dashboards", 200, JSON, [HIT]) == []


def test_a_new_optional_field_is_compatible(grafana):
    body = [dict(HIT, starred=True, folderTitle="General")]
    assert validate_response(grafana, "search_dashboards", 200, JSON, body) == []


def test_a_changed_type_is_reported_with_its_json_path(grafana):
    body = [dict(HIT, id="1")]
    [finding] = validate_response(grafana, "search_dashboards", 200, JSON, body)
    assert finding.code == "CK401"
    assert finding.location == "$[0].id"
    assert "expected integer, got string" in finding.message
    assert finding.provider == "grafana" and finding.operation == "search_dashboards"


def test_a_removed_required_field_is_reported(grafana):
    body = [{key: value for key, value in HIT.items() if key != "title"}]
    [finding] = validate_response(grafana, "search_dashboards", 200, JSON, body)
    assert finding.location == "$[0]" and "missing required property 'title'" in finding.message


def test_an_enum_value_the_schema_does_not_allow_is_reported(grafana):
    [finding] = validate_response(grafana, "search_dashboards", 200, JSON, [dict(HIT, type="dash-panel")])
    assert finding.location == "$[0].type"
    assert '"dash-panel" is not one of the documented values' in finding.message


def test_an_undeclared_status_code_is_a_failure(grafana):
    [finding] = validate_response(grafana, "search_dashboards", 500, JSON, b'{"message": "boom"}')
    assert finding.code == "CK402"
    assert finding.message == "GET /search: status 500 is not declared (declared: 200, 401)"


def test_a_declared_error_status_is_checked_against_its_shared_response(grafana):
    assert validate_response(grafana, "get_dashboard", 404, JSON, b'{"message": "Dashboard not found"}') == []
    [finding] = validate_response(grafana, "get_dashboard", 404, JSON, b'{"error": "nope"}')
    assert "missing required property 'message'" in finding.message


def test_an_undeclared_content_type_is_a_failure(grafana):
    [finding] = validate_response(grafana, "search_dashboards", 200, {"Content-Type": "text/html"}, b"<html></html>")
    assert finding.code == "CK403"
    assert "'text/html' is not declared (declared: application/json)" in finding.message


def test_a_body_that_is_not_json_is_a_failure(grafana):
    [finding] = validate_response(grafana, "search_dashboards", 200, JSON, b"<html>")
    assert finding.code == "CK405" and "not valid JSON" in finding.message


def test_formats_are_checked(grafana):
    body = copy.deepcopy(DASHBOARD)
    body["meta"]["created"] = "yesterday"
    [finding] = validate_response(grafana, "get_dashboard", 200, JSON, body)
    assert finding.location == "$.meta.created" and "is not a valid date-time" in finding.message


def test_nullable_and_exclusive_minimum_follow_openapi_3_0(grafana):
    assert validate_response(grafana, "search_dashboards", 200, JSON, [dict(HIT, folderUid=None, sortMeta=1)]) == []
    [finding] = validate_response(grafana, "search_dashboards", 200, JSON, [dict(HIT, sortMeta=0)])
    assert finding.location == "$[0].sortMeta"


def test_oas30_conversion_keeps_refs_and_drops_openapi_only_keywords():
    converted = to_json_schema(
        {
            "type": "string",
            "nullable": True,
            "enum": ["a"],
            "example": "a",
            "x-go-name": "A",
            "discriminator": {"propertyName": "k"},
        }
    )
    assert converted == {"type": ["string", "null"], "enum": ["a", None]}
    assert to_json_schema({"$ref": "#/components/schemas/A", "nullable": True}) == {
        "anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]
    }


def test_requests_are_matched_to_templates_with_the_server_base_path():
    validator = SpecValidator(grafana_like_spec())
    match = validator.match("GET", "/api/dashboards/uid/a%20b")
    assert match.template == "/dashboards/uid/{uid}" and match.parameters == {"uid": "a b"}
    assert validator.match("GET", "/api/search?query=x").template == "/search"
    assert validator.match("DELETE", "/api/search") is None
    assert validator.match("GET", "/elsewhere") is None


def test_literal_segments_win_over_parameters():
    spec = {
        "openapi": "3.0.3",
        "paths": {
            "/pulls/{number}": {"get": {"responses": {"200": {"description": "one"}}}},
            "/pulls/comments": {"get": {"responses": {"200": {"description": "comments"}}}},
        },
    }
    assert SpecValidator(spec).match("GET", "/pulls/comments").template == "/pulls/comments"


def test_a_broken_reference_is_bad_input():
    spec = grafana_like_spec()
    del spec["components"]["schemas"]["Hit"]
    with pytest.raises(SchemaLoadError, match="reference '#/components/schemas/Hit' does not resolve"):
        SpecValidator(spec, source="openapi.json").validate("GET", "/search", 200, JSON, [HIT])


def test_a_json_schema_file_source_validates_success_and_error_bodies(tmp_path: Path):
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "me.schema.json").write_text(
        json.dumps(
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "required": ["login"],
                "properties": {
                    "login": {"type": "string"},
                    "seen": {"type": "string", "format": "date-time"},
                    "pair": {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}]},
                },
            }
        )
    )
    (tmp_path / "schemas" / "error.schema.json").write_text(json.dumps({"type": "object", "required": ["error"]}))
    (tmp_path / "registry.yaml").write_text("""version: 1
consumer: devctl
providers:
  own:
    base_url: http://127.0.0.1:9/
    error_schema: schemas/error.schema.json
    operations:
      me: {method: GET, path: /me, safe: true, response_schema: schemas/me.schema.json}
""")
    own = load_registry(tmp_path / "registry.yaml").provider("own")
    assert validate_response(own, "me", 200, JSON, {"login": "a", "pair": [1, "x"]}) == []
    [finding] = validate_response(own, "me", 200, JSON, {"login": "a", "pair": ["x", "x"]})
    assert finding.location == "$.pair[0]"  # a 2020-12 keyword, really checked
    [finding] = validate_response(own, "me", 200, JSON, {"login": "a", "seen": "soon"})
    assert "is not a valid date-time" in finding.message
    assert validate_response(own, "me", 403, JSON, {"error": "forbidden"}) == []
    assert codes(validate_response(own, "me", 403, JSON, {"message": "forbidden"})) == ["CK401"]


def test_declared_response_headers_are_checked():
    spec = grafana_like_spec()
    spec["paths"]["/search"]["get"]["responses"]["200"]["headers"] = {
        "X-Total-Count": {"required": True, "schema": {"type": "integer", "minimum": 0}},
        "X-Trace": {"schema": {"type": "string"}},
    }
    validator = SpecValidator(spec)
    assert (
        validator.validate("GET", "/search", 200, {"Content-Type": "application/json", "x-total-count": "3"}, [HIT])
        == []
    )
    [missing] = validator.validate("GET", "/search", 200, JSON, [HIT])
    assert (missing.code, missing.location) == ("CK404", "headers.X-Total-Count")
    [invalid] = validator.validate("GET", "/search", 200, {**JSON, "X-Total-Count": "many"}, [HIT])
    assert "response header 'X-Total-Count': expected integer, got string \"many\"" in invalid.message


def test_gzip_bodies_as_vcrpy_keeps_them_are_decoded_first():
    import gzip

    validator = SpecValidator(grafana_like_spec())
    body = gzip.compress(json.dumps([HIT]).encode())
    assert validator.validate("GET", "/search", 200, {**JSON, "Content-Encoding": "gzip"}, body) == []
    bad = gzip.compress(json.dumps([dict(HIT, id="x")]).encode())
    [finding] = validator.validate("GET", "/search", 200, {**JSON, "Content-Encoding": "gzip"}, bad)
    assert finding.location == "$[0].id"
