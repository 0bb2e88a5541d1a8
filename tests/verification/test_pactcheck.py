"""Pact against OpenAPI: planted mismatches are caught, compatible subsets pass."""

from __future__ import annotations

import copy
from typing import Any

from verification_support import HIT, grafana_like_spec

from contractkit.validation.pacts import iter_pact_findings


def interaction(description: str, method: str = "GET", path: str = "/api/search", *, query: dict | None = None,
                status: int = 200, body: Any = None, request_body: Any = None) -> dict[str, Any]:
    request: dict[str, Any] = {"method": method, "path": path}
    if query:
        request["query"] = query
    if request_body is not None:
        request["headers"] = {"Content-Type": ["application/json"]}
        request["body"] = {"content": request_body, "contentType": "application/json", "encoded": False}
    response: dict[str, Any] = {"status": status}
    if body is not None:
        response["headers"] = {"Content-Type": ["application/json"]}
        response["body"] = {"content": body, "contentType": "application/json", "encoded": False}
    return {"type": "Synchronous/HTTP", "description": description, "request": request, "response": response}


def findings_for(*interactions: dict[str, Any]):
    pact = {"consumer": {"name": "devctl"}, "provider": {"name": "grafana"}, "interactions": list(interactions),
            "metadata": {"pactSpecification": {"version": "4.0"}}}
    return list(iter_pact_findings(pact, grafana_like_spec(), base_path="/api", provider="grafana"))


def test_a_compatible_subset_passes():
    subset = {"uid": "abc", "title": "Ops"}  # the consumer ignores documented fields it does not need
    assert findings_for(interaction("search", query={"query": ["ops"], "limit": ["5"]}, body=[subset])) == []


def test_a_path_the_slice_lacks_is_caught():
    [finding] = findings_for(interaction("folders", path="/api/folders", body=[]))
    assert finding.code == "CK411"
    assert finding.message == "'folders': GET /api/folders matches no path of the OpenAPI description"


def test_a_method_the_path_lacks_is_caught():
    [finding] = findings_for(interaction("delete search", method="DELETE"))
    assert finding.code == "CK412" and "documented: GET" in finding.message


def test_a_field_the_provider_does_not_document_is_caught():
    [finding] = findings_for(interaction("search", body=[dict(HIT, ownerEmail="a@b.c")]))
    assert finding.code == "CK418"
    assert finding.location == "response.body[0].ownerEmail"
    assert "expects field 'ownerEmail', which the provider does not document" in finding.message


def test_a_field_under_a_ref_and_additional_properties_is_understood():
    body = {"dashboard": {"anything": 1}, "meta": {"slug": "ops", "folderless": True}}
    [finding] = findings_for(interaction("dashboard", path="/api/dashboards/uid/abc", body=body))
    assert finding.code == "CK418" and finding.location == "response.body.meta.folderless"


def test_a_value_the_provider_does_not_document_is_caught():
    [finding] = findings_for(interaction("search", body=[{"uid": "a", "type": "dash-panel"}]))
    assert finding.code == "CK419" and finding.location == "response.body[0].type"
    [finding] = findings_for(interaction("search", body=[{"uid": 7}]))
    assert "expects integer 7, the provider documents string" in finding.message


def test_nullable_fields_accept_null():
    assert findings_for(interaction("search", body=[{"uid": "a", "folderUid": None}])) == []


def test_an_undocumented_status_is_caught():
    [finding] = findings_for(interaction("search", status=418, body={"message": "teapot"}))
    assert finding.code == "CK416" and "documented: 200, 401" in finding.message


def test_required_request_body_and_parameters_are_checked():
    missing = interaction("annotate", method="POST", path="/api/annotations")
    wrong = interaction("annotate badly", method="POST", path="/api/annotations", request_body={"tags": "x"})
    bad_query = interaction("search", query={"limit": ["many"]}, body=[])
    found = findings_for(missing, wrong, bad_query)
    assert [(f.code, f.location) for f in found] == [
        ("CK415", "request.body"),
        ("CK415", "request.body"),
        ("CK415", "request.body.tags"),
        ("CK414", "request.query.limit"),
    ]


def test_a_required_query_parameter_missing_is_caught():
    spec_required = copy.deepcopy(grafana_like_spec())
    spec_required["paths"]["/search"]["get"]["parameters"][0]["required"] = True
    pact = {"interactions": [interaction("search", body=[])]}
    [finding] = list(iter_pact_findings(pact, spec_required, base_path="/api"))
    assert finding.code == "CK413" and "required query parameter 'query' is missing" in finding.message


def test_allof_members_documenting_one_property_document_the_union_of_its_fields():
    spec = grafana_like_spec()
    spec["paths"]["/search"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {"allOf": [
        {"type": "object", "properties": {"_links": {"type": "object", "properties": {"webui": {"type": "string"}}}}},
        {"type": "object", "properties": {"_links": {"type": "object", "properties": {"base": {"type": "string"}}}}}]}
    ok = {"interactions": [interaction("links", body={"_links": {"webui": "/x", "base": "http://b"}})]}
    assert list(iter_pact_findings(ok, spec, base_path="/api")) == []
    bad = {"interactions": [interaction("links", body={"_links": {"tinyui": "/t"}})]}
    [finding] = list(iter_pact_findings(bad, spec, base_path="/api"))
    assert finding.code == "CK418" and finding.location == "response.body._links.tinyui"


def test_a_free_form_object_documents_any_field_and_oas_ignored_headers_are_not_required():
    spec = grafana_like_spec()
    spec["paths"]["/search"]["get"]["parameters"].append({"name": "Content-Type", "in": "header", "required": True,
                                                          "schema": {"type": "string"}})
    spec["components"]["schemas"]["DashboardFullWithMeta"]["properties"]["dashboard"] = {"type": "object"}
    body = {"dashboard": {"panels": [], "anything": {"x": 1}}, "meta": {"slug": "ops"}}
    pact = {"interactions": [interaction("dashboard", path="/api/dashboards/uid/abc", body=body),
                             interaction("search", body=[])]}
    assert list(iter_pact_findings(pact, spec, base_path="/api")) == []
