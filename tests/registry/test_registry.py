"""The registry loads into typed objects; `contracts list` shows what exists for each operation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractkit.core.errors import RegistryError
from contractkit.core.model import ProviderKind, SchemaSource
from contractkit.core.text import interpolate
from contractkit.registry import load_registry

REPO = Path(__file__).resolve().parents[2]


def test_example_registry_loads_into_typed_objects() -> None:
    registry = load_registry(REPO / "registry.yaml", environ={})
    assert registry.consumer == "devctl"
    assert len(registry.providers) >= 8
    assert sum(len(p.operations) for p in registry.providers.values()) >= 25
    grafana = registry.provider("grafana")
    assert grafana.base_url == "http://127.0.0.1:3000/api" and grafana.base_path == "/api"
    assert grafana.auth.scheme == "bearer" and grafana.auth.env == ("GRAFANA_TOKEN",)
    assert grafana.operation("create_annotation").safe is False
    assert grafana.operation("search_dashboards").schema_source is SchemaSource.OPENAPI
    aws = registry.provider("aws")
    assert aws.kind is ProviderKind.AWS
    assert aws.operation("ce_get_cost_forecast").label == "ce GetCostForecast"
    assert aws.operation("ce_get_cost_forecast").schema_source is SchemaSource.BOTOCORE
    assert registry.pact_file("grafana") == REPO / "pacts" / "devctl-grafana.json"


def test_base_url_reads_the_environment_with_a_default() -> None:
    registry = load_registry(REPO / "registry.yaml", environ={"GRAFANA_URL": "http://127.0.0.1:4000"})
    assert registry.provider("grafana").base_url == "http://127.0.0.1:4000/api"
    assert load_registry(REPO / "registry.yaml", environ={}).provider("github").base_url == "https://api.github.com"


@pytest.mark.parametrize(
    ("text", "environ", "expected"),
    [
        ("${A:-x}/y", {}, "x/y"),
        ("${A:-x}/y", {"A": "z"}, "z/y"),
        ("${A}-${B:-}", {"A": "1"}, "1-"),
        ("plain", {}, "plain"),
    ],
)
def test_interpolation(text: str, environ: dict[str, str], expected: str) -> None:
    assert interpolate(text, environ, file="r.yaml", key_path=("k",), line=1) == expected


def test_unknown_provider_and_operation_name_the_known_ones() -> None:
    registry = load_registry(REPO / "registry.yaml", environ={})
    with pytest.raises(Exception) as raised:
        registry.provider("grafna")
    assert "registry.yaml has no provider 'grafna' (known: argocd, aws, confluence, github" in str(raised.value)
    with pytest.raises(Exception) as raised:
        registry.provider("grafana").operation("nope")
    assert "provider 'grafana' has no operation 'nope' (known: create_annotation, get_dashboard" in str(raised.value)


def test_a_folder_is_not_a_registry(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="is a folder, expected a registry file"):
        load_registry(tmp_path)


def test_list_json_shows_providers_operations_and_artifacts(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    code, out, err = run_cli("list", "--format", "json")
    assert (code, err) == (0, "")
    listing = json.loads(out)
    assert listing["summary"]["providers"] >= 8 and listing["summary"]["operations"] >= 25
    github = next(p for p in listing["providers"] if p["name"] == "github")
    assert github["spec"] == "schemas/github/openapi.json" and github["spec_source"] == "official"
    pulls = next(o for o in github["operations"] if o["name"] == "list_pulls")
    assert pulls["label"] == "GET /repos/{owner}/{repo}/pulls" and pulls["schema"] is True
    aws = next(p for p in listing["providers"] if p["name"] == "aws")
    assert all(o["schema"] for o in aws["operations"]), "every AWS operation exists in botocore's models"
    missing = [
        (p["name"], o["name"])
        for p in listing["providers"]
        for o in p["operations"]
        if not (o["contract"] and o["pact"] and o["cassette"])
    ]
    assert missing == [], "the example registry has a contract, a pact and a cassette for every operation"


def test_list_marks_a_missing_schema(tmp_path: Path, run_cli) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_text(
        "version: 1\nconsumer: c\nproviders:\n  p:\n    base_url: http://127.0.0.1:1\n    spec: missing.json\n"
        "    operations:\n      op: {method: GET, path: /x, safe: true}\n"
    )
    code, out, _ = run_cli("list", "--registry", str(registry), "--format", "json")
    operation = json.loads(out)["providers"][0]["operations"][0]
    assert code == 0 and operation["schema"] is False and operation["contract"] is False
