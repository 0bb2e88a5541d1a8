"""Verdicts from the consumers' pacts, through the commands users run: `contracts gate` (against a git ref) and
`contracts specs check` (against a newer vendor document). A change breaks a consumer when an interaction of its
pact verified against the old description and would not against the new one, whatever level the diff's rule gives
the change; the verdict names the consumer. The registry is the small pager project: devctl's pact (ours) and
billing's (another team's, under `consumer_pacts`)."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable

import pytest

DATA = Path(__file__).resolve().parents[1] / "usage" / "data"
Edit = Callable[[dict[str, Any]], None]


def _git(root: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(root), *arguments], check=True, capture_output=True, text=True)


def _optional(document: dict[str, Any]) -> dict[str, Any]:
    """The pager description with every page field optional: what a consumer reads is then its own business."""
    changed = copy.deepcopy(document)
    changed["components"]["schemas"]["Page"]["required"] = ["id"]
    return changed


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The pager project committed in a git repository, its description made all-optional first."""
    root = tmp_path / "pager"
    shutil.copytree(DATA, root)
    spec = root / "openapi.old.json"
    spec.write_text(json.dumps(_optional(json.loads(spec.read_text())), indent=2))
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.email", "gate@example.invalid")
    _git(root, "config", "user.name", "gate test")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    return root


def _edited(project: Path, edit: Edit) -> dict[str, Any]:
    document = json.loads((project / "openapi.old.json").read_text())
    edit(document)
    return document


def _gate(project: Path, run_cli, edit: Edit) -> tuple[int, dict[str, Any], str]:
    (project / "openapi.old.json").write_text(json.dumps(_edited(project, edit), indent=2))
    code, out, err = run_cli("gate", "--registry", str(project / "registry.yaml"), "--base", "main", "--format", "json")
    return code, json.loads(out), err


def _specs(project: Path, run_cli, edit: Edit, output_format: str = "json") -> tuple[int, str]:
    newer = project / "vendor.json"
    newer.write_text(json.dumps(_edited(project, edit), indent=2))
    code, out, _ = run_cli(
        "specs",
        "check",
        "--registry",
        str(project / "registry.yaml"),
        "--provider",
        "pager",
        "--from",
        str(newer),
        "--format",
        output_format,
    )
    return code, out


def _drop_page_field(name: str) -> Edit:
    return lambda document: document["components"]["schemas"]["Page"]["properties"].pop(name)


def _drop_parameter(name: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        operation = document["paths"]["/pages"]["get"]
        operation["parameters"] = [item for item in operation["parameters"] if item["name"] != name]

    return edit


def _blocking(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [change for change in changes if change["verdict"] == "block"]


def test_an_optional_field_a_consumer_reads_removed_blocks_the_gate_naming_it(project: Path, run_cli) -> None:
    code, report, _ = _gate(project, run_cli, _drop_page_field("title"))
    assert code == 1
    [change] = _blocking(report["changes"])
    assert change["level"] != "breaking"  # the rule calls an optional field's removal harmless; devctl reads it
    assert [(found["consumer"], found["interaction"], found["location"]) for found in change["breaks"]] == [
        ("devctl", "a listing of pages", "$.pages[*].title")
    ]
    assert "breaks devctl (a listing of pages): response body $.pages[*].title" in change["note"]
    assert change["rule"] in change["note"]
    [finding] = [item for item in report["pact_findings"] if item["verdict"] == "block"]
    assert finding["location"] == "response.body.pages[*].title" and finding["message"].startswith("devctl (")


def test_a_field_only_another_teams_pact_reads_removed_blocks_naming_that_team(project: Path, run_cli) -> None:
    code, report, _ = _gate(project, run_cli, _drop_page_field("sortMeta"))
    assert code == 1
    [change] = _blocking(report["changes"])
    assert [found["consumer"] for found in change["breaks"]] == ["billing"]


def test_a_query_parameter_a_consumer_sends_removed_blocks(project: Path, run_cli) -> None:
    code, report, _ = _gate(project, run_cli, _drop_parameter("limit"))
    assert code == 1
    [change] = _blocking(report["changes"])
    assert [(found["consumer"], found["where"]) for found in change["breaks"]] == [("devctl", "request.query.limit")]


@pytest.mark.parametrize("setting,verdict,exit_code", [("warn", "warn", 0), ("block", "block", 1), ("off", "info", 0)])
def test_the_same_changes_nobody_reads_follow_the_unused_policy(
    project: Path, run_cli, setting: str, verdict: str, exit_code: int
) -> None:
    registry = project / "registry.yaml"
    registry.write_text(registry.read_text().replace("unused_breaking: warn", f"unused_breaking: {setting}"))
    _git(project, "commit", "-q", "--allow-empty", "-am", "policy")

    def edit(document: dict[str, Any]) -> None:  # owner.name: declared, required by nobody, read by nobody
        owner = document["components"]["schemas"]["Page"]["properties"]["owner"]
        owner["properties"]["name"]["type"] = "integer"  # a breaking type change of a field nobody reads

    code, report, _ = _gate(project, run_cli, edit)
    [change] = [item for item in report["changes"] if item["rule"] == "response-property-type-changed"]
    assert (change["verdict"], change["breaks"], change["observers"]) == (verdict, [], [])
    assert code == exit_code
    if setting != "off":
        assert change["note"] == f"unused: no consumer sends or reads it (gate.unused_breaking: {setting})"


def test_a_parameter_nobody_sends_removed_breaks_nobody(project: Path, run_cli) -> None:
    code, report, _ = _gate(project, run_cli, _drop_parameter("starred"))
    assert code == 0 and not _blocking(report["changes"])
    assert report["changes"] and all(change["breaks"] == [] for change in report["changes"])


def test_specs_check_blocks_the_same_change_in_every_format(project: Path, run_cli) -> None:
    code, out = _specs(project, run_cli, _drop_page_field("title"))
    assert code == 1
    rows = {row["rule"]: row for row in json.loads(out)["results"]}
    [blocking] = [row for row in rows.values() if row["verdict"] == "block"]
    assert [found["consumer"] for found in blocking["breaks"]] == ["devctl"]
    code, markdown = _specs(project, run_cli, _drop_page_field("title"), "markdown")
    assert code == 1 and "devctl" in markdown and "block" in markdown
    code, text = _specs(project, run_cli, _drop_page_field("title"), "text")
    assert code == 1 and "breaks devctl (a listing of pages): response body $.pages[*].title" in text


def test_the_second_consumers_pact_is_checked_against_the_new_description(project: Path, run_cli) -> None:
    """billing expects sortMeta as an integer; a description that makes it a string breaks billing, not devctl."""

    def edit(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["Page"]["properties"]["sortMeta"] = {"type": "string"}

    code, report, _ = _gate(project, run_cli, edit)
    assert code == 1
    blocking = [item for item in report["pact_findings"] if item["verdict"] == "block"]
    assert [item["message"].split(" (")[0] for item in blocking] == ["billing"]
    assert blocking[0]["location"] == "response.body.pages[*].sortMeta"


def test_the_gate_can_require_recorded_evidence(project: Path, run_cli) -> None:
    cassettes = project / "cassettes" / "pager"
    cassettes.mkdir(parents=True)
    (cassettes / "list_pages.yaml").write_text(
        "interactions:\n- request: {body: null, headers: {}, method: GET, uri: 'http://127.0.0.1:9/v2/pages'}\n"
        '  response:\n    body: {string: \'{"pages": [], "next_offset": null}\'}\n'
        "    headers: {Content-Type: [application/json]}\n    status: {code: 200, message: OK}\n"
        "metadata: {operation: list_pages, provider: pager, source: openapi-schema}\nversion: 1\n"
    )
    registry = project / "registry.yaml"
    text = registry.read_text().replace(
        "  ledger: accepted-changes.yaml", "  ledger: accepted-changes.yaml\n  require_recorded: [pager]"
    )
    registry.write_text(
        text.replace("    spec: openapi.old.json", "    spec: openapi.old.json\n    cassettes: cassettes/pager")
    )
    code, out, _ = run_cli("gate", "--registry", str(registry), "--base", "main", "--format", "json")
    report = json.loads(out)
    assert code == 1
    [finding] = [item for item in report["pact_findings"] if item["code"] == "CK331"]
    assert (
        finding["location"] == "cassettes/pager/list_pages.yaml" and "seeded from openapi-schema" in finding["message"]
    )


def test_require_recorded_naming_no_provider_is_bad_input(project: Path, run_cli) -> None:
    registry = project / "registry.yaml"
    registry.write_text(
        registry.read_text().replace(
            "  ledger: accepted-changes.yaml", "  ledger: accepted-changes.yaml\n  require_recorded: [pagre]"
        )
    )
    code, _, err = run_cli("gate", "--registry", str(registry), "--base", "main")
    assert code == 2 and "Traceback" not in err
    assert err == (
        "error: registry.yaml:9: gate.require_recorded: names 'pagre', which is not a provider of the registry "
        "(known: pager)\n"
    )
