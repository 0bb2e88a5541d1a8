"""Pact against OpenAPI, judged by the compatibility engine as `contracts verify` reports it: planted mismatches are
caught (an error when certain, a warning when possible), compatible subsets pass."""

from __future__ import annotations

import copy
from typing import Any

from verification_support import HIT, grafana_like_spec

from contractkit.core.model import Finding, Severity
from contractkit.pact.reader import parse_pact
from contractkit.validation import SpecValidator
from contractkit.verify.verifier import interaction_findings


def interaction(
    description: str,
    method: str = "GET",
    path: str = "/api/search",
    *,
    query: dict | None = None,
    status: int = 200,
    body: Any = None,
    request_body: Any = None,
) -> dict[str, Any]:
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


def findings_for(*interactions: dict[str, Any], spec: dict[str, Any] | None = None) -> list[Finding]:
    """The findings of every interaction against the slice (grafana's by default), served under /api."""
    pact = parse_pact(
        {
            "consumer": {"name": "devctl"},
            "provider": {"name": "grafana"},
            "interactions": list(interactions),
            "metadata": {"pactSpecification": {"version": "4.0"}},
        }
    )
    validator = SpecValidator(spec or grafana_like_spec(), base_paths=("/api",))
    return [
        finding
        for item in pact.interactions
        for finding in interaction_findings(item, validator, provider="grafana", operation="search_dashboards")
    ]


def test_a_compatible_subset_passes():
    subset = {"uid": "abc", "title": "Ops"}  # the consumer ignores documented fields it does not need
    assert findings_for(interaction("search", query={"query": ["ops"], "limit": ["5"]}, body=[subset])) == []


def test_a_path_the_slice_lacks_is_caught():
    [finding] = findings_for(interaction("folders", path="/api/folders", body=[]))
    assert (finding.code, finding.severity, finding.location) == ("CK411", Severity.ERROR, "request.path")
    assert finding.message == "folders: GET /api/folders matches no path of the description"
    assert (finding.provider, finding.operation) == ("grafana", "search_dashboards")


def test_a_method_the_path_lacks_is_caught():
    [finding] = findings_for(interaction("delete search", method="DELETE"))
    assert finding.code == "CK412" and finding.location == "request.method"
    assert finding.message == "delete search: DELETE is not documented for /api/search (documented: GET)"


def test_a_field_the_provider_does_not_document_is_caught():
    [finding] = findings_for(interaction("search", body=[dict(HIT, ownerEmail="a@b.c")]))
    assert finding.code == "CK418" and finding.severity is Severity.ERROR
    assert finding.location == "response.body[*].ownerEmail"
    assert finding.message == "search: expects field 'ownerEmail', which the description does not declare"


def test_a_field_under_a_ref_and_additional_properties_is_understood():
    body = {"dashboard": {"anything": 1}, "meta": {"slug": "ops", "folderless": True}}
    [finding] = findings_for(interaction("dashboard", path="/api/dashboards/uid/abc", body=body))
    assert finding.code == "CK418" and finding.location == "response.body.meta.folderless"


def test_a_value_the_provider_does_not_document_is_caught():
    [finding] = findings_for(interaction("search", body=[{"uid": "a", "type": "dash-panel"}]))
    assert finding.code == "CK419" and finding.location == "response.body[*].type"
    assert 'expects "dash-panel", which is not one of the documented values' in finding.message
    [finding] = findings_for(interaction("search", body=[{"uid": 7}]))
    assert finding.code == "CK419" and finding.location == "response.body[*].uid"
    assert finding.message == "search: expects integer 7, the description documents string"


def test_nullable_fields_accept_null():
    assert findings_for(interaction("search", body=[{"uid": "a", "folderUid": None}])) == []


def test_a_nullable_field_under_a_type_matcher_is_a_warning():
    search = interaction("search", body=[{"uid": "a", "folderUid": "f"}])
    search["response"]["matchingRules"] = {
        "body": {"$[*].folderUid": {"combine": "AND", "matchers": [{"match": "type"}]}}
    }
    [finding] = findings_for(
        search
    )  # the provider may send null, which the type matcher refuses: possible, not certain
    assert (finding.code, finding.severity, finding.location) == (
        "CK419",
        Severity.WARNING,
        "response.body[*].folderUid",
    )
    assert finding.message == "search: may be null, which the type matcher does not accept"


def test_an_undocumented_status_is_caught():
    [finding] = findings_for(interaction("search", status=418, body={"message": "teapot"}))
    assert finding.code == "CK416" and finding.location == "response.status"
    assert "documented: 200, 401" in finding.message


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
    [finding] = findings_for(interaction("search", body=[]), spec=spec_required)
    assert finding.code == "CK413" and finding.location == "request.query.query"
    assert finding.message == "search: the required query parameter 'query' is not sent"


def test_allof_members_documenting_one_property_document_the_union_of_its_fields():
    spec = grafana_like_spec()
    spec["paths"]["/search"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "allOf": [
            {
                "type": "object",
                "properties": {"_links": {"type": "object", "properties": {"webui": {"type": "string"}}}},
            },
            {
                "type": "object",
                "properties": {"_links": {"type": "object", "properties": {"base": {"type": "string"}}}},
            },
        ]
    }
    assert findings_for(interaction("links", body={"_links": {"webui": "/x", "base": "http://b"}}), spec=spec) == []
    [finding] = findings_for(interaction("links", body={"_links": {"tinyui": "/t"}}), spec=spec)
    assert finding.code == "CK418" and finding.location == "response.body._links.tinyui"


def test_a_free_form_object_documents_any_field_and_oas_ignored_headers_are_not_required():
    spec = grafana_like_spec()
    spec["paths"]["/search"]["get"]["parameters"].append(
        {"name": "Content-Type", "in": "header", "required": True, "schema": {"type": "string"}}
    )
    spec["components"]["schemas"]["DashboardFullWithMeta"]["properties"]["dashboard"] = {"type": "object"}
    body = {"dashboard": {"panels": [], "anything": {"x": 1}}, "meta": {"slug": "ops"}}
    assert (
        findings_for(
            interaction("dashboard", path="/api/dashboards/uid/abc", body=body),
            interaction("search", body=[]),
            spec=spec,
        )
        == []
    )
