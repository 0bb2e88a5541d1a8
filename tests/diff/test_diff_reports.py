"""Diff reports sized by distinct changes: a change in a shared component is one entry in every format, with the
operations it reaches named once in `reaches` (JSON) or a few of them (text), and every occurrence with --expand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

PATHS = [f"/shelves/{index}/pets" for index in range(6)]
REMOVED = "#/components/schemas/Pet/properties/name"


def _description(*, with_name: bool) -> dict[str, Any]:
    """Six operations answering the same component `Pet`, and one operation of its own (`/health`)."""
    pet: dict[str, Any] = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
    if with_name:
        pet["required"] = ["id", "name"]
        pet["properties"]["name"] = {"type": "string"}
    answer = {
        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}
    }
    paths: dict[str, Any] = {path: {"get": {"responses": answer}} for path in PATHS}
    health = {"type": "object", "properties": {"up": {"type": "boolean"}}, "required": ["up"] if with_name else []}
    paths["/health"] = {
        "get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": health}}}}}
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "pets", "version": "1"},
        "paths": paths,
        "components": {"schemas": {"Pet": pet}},
    }


@pytest.fixture()
def pair(tmp_path: Path) -> tuple[str, str]:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(_description(with_name=True)), encoding="utf-8")
    new.write_text(json.dumps(_description(with_name=False)), encoding="utf-8")
    return str(old), str(new)


def _breaking(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [change for change in report["changes"] if change["level"] == "breaking"]


def test_a_shared_change_is_one_json_entry_naming_its_operations_once(run_cli, pair: tuple[str, str]) -> None:
    code, out, _ = run_cli("diff", *pair, "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["expanded"] is False
    shared, own = _breaking(report)
    assert (shared["rule"], shared["location"], shared["shared"]) == ("response-property-removed", REMOVED, True)
    assert (shared["operations"], shared["occurrences"]) == (6, 6) and "at" not in shared
    assert report["reaches"][shared["reach"]] == [f"GET {path}" for path in PATHS]
    assert (own["rule"], own["shared"], own["operations"]) == ("response-property-became-optional", False, 1)
    assert report["reaches"][own["reach"]] == ["GET /health"]
    assert report["summary"]["levels"]["breaking"] == {"changes": 7, "distinct": 2}


def test_expand_lists_every_occurrence(run_cli, pair: tuple[str, str]) -> None:
    code, out, _ = run_cli("diff", *pair, "--format", "json", "--expand")
    report = json.loads(out)
    assert code == 1 and report["expanded"] is True
    shared = _breaking(report)[0]
    assert [(item["method"], item["path"]) for item in shared["at"]] == [("GET", path) for path in PATHS]
    assert all(item["location"].endswith("/schema/properties/name") for item in shared["at"])
    assert all(item["message"] for item in shared["at"])


def test_text_names_a_few_operations_and_expand_names_them_all(run_cli, pair: tuple[str, str]) -> None:
    _, text, _ = run_cli("diff", *pair)
    assert f"in {REMOVED}" in text and text.count(REMOVED) == 1
    assert f"reached by 6 operations: GET {PATHS[0]}, GET {PATHS[1]}, GET {PATHS[2]}, GET {PATHS[3]} and 2 more" in text
    _, expanded, _ = run_cli("diff", *pair, "--expand")
    assert "reached by 6 operations: " + ", ".join(f"GET {path}" for path in PATHS) + "\n" in expanded


def test_junit_has_one_testcase_per_distinct_change(run_cli, pair: tuple[str, str], tmp_path: Path) -> None:
    report = tmp_path / "diff.xml"
    code, _, _ = run_cli("diff", *pair, "--format", "junit", "--output", str(report))
    root = ElementTree.parse(report).getroot()
    cases = root.findall(".//testcase")
    assert code == 1 and root.get("failures") == "2" and len(cases) == 2
    assert cases[0].get("name") == f"in {REMOVED}" and "reached by 6 operations" in cases[0].find("failure").text


@pytest.mark.parametrize("output_format", ["markdown", "html"])
def test_markdown_and_html_carry_the_shared_change_once(run_cli, pair: tuple[str, str], output_format: str) -> None:
    _, out, _ = run_cli("diff", *pair, "--format", output_format)
    assert out.count(REMOVED) == 1 and "6 operations" in out


def test_a_plain_diff_does_not_import_the_gate_or_what_it_stands_on(pair: tuple[str, str], tmp_path: Path) -> None:
    """Start-up is part of every diff's time: the gate, the consumer verdicts, the spec watch, the compatibility
    engine, validation and jsonschema are imported on first use, and a plain diff never uses them."""
    probe = (
        "import sys\n"
        "from contractkit.cli import main\n"
        "code = main(['diff', sys.argv[1], sys.argv[2], '--format', 'json', '--output', sys.argv[3]])\n"
        "heavy = ['contractkit.diff.gate', 'contractkit.diff.verdicts', 'contractkit.diff.watch', "
        "'contractkit.compat', 'contractkit.validation', 'jsonschema']\n"
        "print(code, [name for name in heavy if name in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *pair, str(tmp_path / "report.json")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")},
    )
    assert done.stdout.split("\n")[-2] == "1 []"


def test_the_new_side_is_checked_where_it_differs_and_a_shared_problem_names_the_old_file(
    run_cli, tmp_path: Path
) -> None:
    """Parts of the new description that are the same JSON as the old one's were checked there already."""
    old_doc, new_doc = _description(with_name=True), _description(with_name=True)
    old_doc["paths"]["/health"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["minimum"] = 1
    # equal to Python (True == 1), not the same JSON: checked again, and refused
    new_doc["paths"]["/health"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["minimum"] = True
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(old_doc), encoding="utf-8")
    new.write_text(json.dumps(new_doc), encoding="utf-8")
    code, _, err = run_cli("diff", str(old), str(new))
    pointer = "#/paths/~1health/get/responses/200/content/application~1json/schema/minimum"
    assert code == 2 and err.startswith(f"error: {new}: {pointer}: expected a number, got True")
    old_doc["components"]["schemas"]["Pet"]["maxProperties"] = -1
    new_doc["components"]["schemas"]["Pet"]["maxProperties"] = -1
    old.write_text(json.dumps(old_doc), encoding="utf-8")
    new.write_text(json.dumps(new_doc), encoding="utf-8")
    code, _, err = run_cli("diff", str(old), str(new))
    assert code == 2 and err.startswith(f"error: {old}: #/components/schemas/Pet/maxProperties: expected a count")
