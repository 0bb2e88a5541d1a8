"""Laws of the diff, checked on generated schemas, and the diff on real provider descriptions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractkit.diff import Level, diff_schemas, diff_sources

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "specs"

_names = st.sampled_from(["id", "name", "state", "tags", "owner", "url"])
_leaves = st.one_of(
    st.builds(lambda n: {"type": "string", **({"maxLength": n} if n else {})}, st.integers(0, 50)),
    st.builds(lambda n: {"type": "integer", "minimum": n}, st.integers(-5, 5)),
    st.builds(
        lambda values: {"type": "string", "enum": values},
        st.lists(st.sampled_from("abcde"), min_size=1, max_size=3, unique=True),
    ),
    st.just({"type": "boolean", "nullable": True}),
)


def _object(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return (
        {"type": "object", "properties": properties, "required": sorted(set(required) & set(properties))}
        if required
        else {"type": "object", "properties": properties}
    )


SCHEMAS = st.recursive(
    _leaves,
    lambda children: st.one_of(
        st.builds(_object, st.dictionaries(_names, children, max_size=4), st.lists(_names, max_size=3)),
        st.builds(lambda item: {"type": "array", "items": item}, children),
        st.builds(lambda options: {"oneOf": options}, st.lists(children, min_size=2, max_size=3)),
        st.builds(lambda parts: {"allOf": parts}, st.lists(children, min_size=1, max_size=2)),
    ),
    max_leaves=12,
)
DIRECTIONS = st.sampled_from(["request", "response"])
LAW_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@LAW_SETTINGS
@given(SCHEMAS, DIRECTIONS)
def test_a_schema_compared_with_itself_has_no_changes(schema: dict[str, Any], direction: str) -> None:
    assert diff_schemas(schema, json.loads(json.dumps(schema)), direction=direction).changes == ()


@LAW_SETTINGS
@given(SCHEMAS, DIRECTIONS)
def test_moving_a_schema_behind_a_renamed_ref_is_no_change(schema: dict[str, Any], direction: str) -> None:
    old = {"$defs": {"before": schema}, "$ref": "#/$defs/before"}
    new = {"$defs": {"after": json.loads(json.dumps(schema))}, "allOf": [{"$ref": "#/$defs/after"}]}
    assert diff_schemas(old, new, direction=direction).changes == ()


@LAW_SETTINGS
@given(SCHEMAS, SCHEMAS)
def test_accepting_more_never_breaks_a_request(schema: dict[str, Any], extra: dict[str, Any]) -> None:
    wider = {"anyOf": [json.loads(json.dumps(schema)), extra]}
    assert not diff_schemas(schema, wider, direction="request").breaking


@LAW_SETTINGS
@given(SCHEMAS, SCHEMAS)
def test_producing_less_never_breaks_a_response(schema: dict[str, Any], extra: dict[str, Any]) -> None:
    wider = {"anyOf": [json.loads(json.dumps(schema)), extra]}
    assert not diff_schemas(wider, schema, direction="response").breaking


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared provider descriptions are not on this machine")
    return path


def test_real_description_compared_with_itself_has_no_changes() -> None:
    spec = _require(SHARED / "grafana" / "openapi3.json")
    assert diff_sources(str(spec), str(spec)).changes == ()


def test_swagger_and_openapi_editions_of_grafana_diff_without_errors() -> None:
    swagger = _require(SHARED / "grafana" / "api-merged.json")
    openapi = _require(SHARED / "grafana" / "openapi3.json")
    result = diff_sources(str(swagger), str(openapi))
    assert all(change.rule and change.location.startswith("#/paths/") for change in result.changes)


def test_github_pair_reports_known_breaking_changes() -> None:
    old = _require(SHARED / "github" / "old" / "api.github.com.json")
    new = _require(SHARED / "github" / "new" / "api.github.com.json")
    result = diff_sources(str(old), str(new))
    found = {(c.rule, c.method, c.path) for c in result.changes if c.is_breaking}
    warnings = {(c.rule, c.method, c.path) for c in result.changes if c.level is Level.WARNING}
    assert result.breaking
    assert ("path-removed", "", "/orgs/{org}/copilot/usage") in found
    # Team discussions were deprecated before they went (no sunset date): a warning, not a break.
    assert ("deprecated-operation-removed", "GET", "/teams/{team_id}/discussions") in warnings
    assert ("operation-removed", "POST", "/orgs/{org}/organization-roles") in found
    assert ("response-content-type-removed", "GET", "/zen") in found
    assert (
        "request-parameter-type-changed",
        "GET",
        "/orgs/{org}/rulesets/rule-suites",
    ) not in found  # integer -> plain string
    assert ("response-property-type-changed", "GET", "/repos/{owner}/{repo}/branches/{branch}/protection") in found
    assert ("request-property-became-required", "PUT", "/repos/{owner}/{repo}/actions/secrets/{secret_name}") in found
