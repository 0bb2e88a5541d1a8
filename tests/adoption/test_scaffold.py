"""From an empty repository to a green `contracts run`: init, provider add, run."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from contractkit.registry.loader import find_registry, load_registry

STRIPE = Path(__file__).resolve().parents[3] / "shared" / "specs" / "stripe" / "2023-09" / "spec3.yaml"


def test_init_writes_registry_folders_workflow_and_test(project: Path, run_cli) -> None:
    code, out, _ = run_cli("init")
    assert code == 0
    for relative in ("registry.yaml", ".github/workflows/contracts.yml", "tests/contracts/test_contracts.py"):
        assert (project / relative).is_file(), relative
    for folder in ("contracts", "schemas", "cassettes", "pacts"):
        assert (project / folder).is_dir()
    assert load_registry(project / "registry.yaml").consumer == "shop"
    assert yaml.safe_load((project / ".github/workflows/contracts.yml").read_text())["jobs"]
    assert "wrote registry.yaml" in out


def test_init_refuses_an_existing_registry(project: Path, run_cli) -> None:
    (project / "registry.yaml").write_text("version: 1\n")
    code, _, err = run_cli("init")
    assert code == 2
    assert "a registry exists already" in err
    assert (project / "registry.yaml").read_text() == "version: 1\n"


def test_empty_registry_runs_green(project: Path, run_cli) -> None:
    assert run_cli("init")[0] == 0
    code, out, _ = run_cli("run", "--quiet")
    assert code == 0, out


def test_small_description_from_empty_directory_to_green_run(project: Path, small_spec: Path, run_cli) -> None:
    assert run_cli("init", "--consumer", "shop")[0] == 0
    code, out, err = run_cli(
        "provider",
        "add",
        "widgets",
        "--from",
        str(small_spec),
        "--operation",
        "GET /widgets",
        "--operation",
        "GET /widgets/{widget_id}",
    )
    assert code == 0, err
    registry = load_registry(project / "registry.yaml")
    provider = registry.provider("widgets")
    assert set(provider.operations) == {"list_widgets", "get_widget"}
    assert provider.base_url == "https://widgets.example.com/api"
    assert provider.auth.scheme == "bearer"
    contract = yaml.safe_load((project / "contracts/widgets.yaml").read_text())
    body = contract["interactions"][1]["response"]["body"]
    assert set(body) == {"id", "name", "tags"}  # the required fields, and only those
    assert contract["interactions"][1]["request"]["path_params"]["widget_id"].startswith("wd_")
    code, out, _ = run_cli("run", "--quiet")
    assert code == 0, out
    assert "0 failed" in out


def test_provider_add_names_the_operation_it_cannot_find(project: Path, small_spec: Path, run_cli) -> None:
    run_cli("init")
    before = (project / "registry.yaml").read_text()
    code, _, err = run_cli("provider", "add", "widgets", "--from", str(small_spec), "--operation", "GET /widget")
    assert code == 2
    assert "no operation GET /widget in the document" in err and "did you mean '/widgets'" in err
    assert "Traceback" not in err
    assert (project / "registry.yaml").read_text() == before


@pytest.mark.parametrize("text", ["/widgets", "GET", "GET widgets"])
def test_provider_add_refuses_a_malformed_operation(project: Path, small_spec: Path, run_cli, text: str) -> None:
    run_cli("init")
    code, _, err = run_cli("provider", "add", "widgets", "--from", str(small_spec), "--operation", text)
    assert code == 2
    assert f"--operation {text!r}: expected 'METHOD /path'" in err


def test_stripe_from_empty_directory_to_green_run(project: Path, run_cli) -> None:
    if not STRIPE.is_file():
        pytest.skip(f"{STRIPE} is absent: Stripe's official description is not available here")
    assert run_cli("init")[0] == 0
    code, _, err = run_cli(
        "provider",
        "add",
        "stripe",
        "--from",
        str(STRIPE),
        "--operation",
        "GET /v1/customers",
        "--operation",
        "GET /v1/customers/{customer}",
        "--operation",
        "get_balance=GET /v1/balance",
    )
    assert code == 0, err
    code, out, _ = run_cli("run", "--quiet")
    assert code == 0, out
    assert "stripe / get_customers_customer" in out and "0 failed" in out


def test_the_registry_is_found_from_a_subfolder(project: Path, small_spec: Path, run_cli, monkeypatch) -> None:
    run_cli("init")
    run_cli("provider", "add", "widgets", "--from", str(small_spec), "--operation", "GET /widgets")
    monkeypatch.chdir(project / "tests" / "contracts")
    assert find_registry().resolve() == (project / "registry.yaml").resolve()
    code, out, _ = run_cli("list")
    assert code == 0 and "list_widgets" in out


def test_the_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / "registry.yaml").write_text("version: 1\n")  # outside the repository: not this project's
    inner = tmp_path / "repo" / "src"
    inner.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    assert find_registry(inner) == inner / "registry.yaml"


def test_param_without_a_state_shapes_the_providers_own_cassettes(project: Path, small_spec: Path, run_cli) -> None:
    run_cli("init")
    run_cli("provider", "add", "widgets", "--from", str(small_spec), "--operation", "GET /widgets/{widget_id}")
    code, out, err = run_cli(
        "record",
        "--provider",
        "widgets",
        "--from-spec",
        str(project / "schemas/widgets/openapi.json"),
        "--force",
        "--param",
        "widget_id=wd_zz99",
        "--param",
        "$.name=Blue widget",
    )
    assert code == 0, out + err
    cassette = yaml.safe_load((project / "cassettes/widgets/get_widget.yaml").read_text())
    interaction = cassette["interactions"][0]
    assert interaction["request"]["uri"].endswith("/widgets/wd_zz99")
    assert '"name": "Blue widget"' in interaction["response"]["body"]["string"]
    assert not (project / "cassettes/widgets/states").exists()
