"""A large generated description: no change against itself, and a change deep in a shared component still found."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from generated import generate_description

from contractkit.diff import Level, diff_any


@pytest.fixture(scope="module")
def description() -> dict[str, Any]:
    return generate_description(paths=2_000, components=400)


def _counts(report: dict[str, Any]) -> dict[str, int]:
    return {level: found["changes"] for level, found in report["summary"]["levels"].items()}


@pytest.mark.parametrize("same_file", [True, False], ids=["A A", "A COPY"])
def test_a_large_description_against_itself_has_no_change(
    tmp_path: Path, run_cli, description, same_file: bool
) -> None:
    old = tmp_path / "openapi.json"
    old.write_text(json.dumps(description, indent=1))
    new = old if same_file else tmp_path / "copy.json"
    new.write_text(old.read_text())
    code, out, err = run_cli("diff", str(old), str(new), "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert _counts(report) == {"breaking": 0, "warning": 0, "info": 0}
    assert report["changes"] == []


def test_a_change_two_references_deep_reaches_every_operation_that_answers_it(description) -> None:
    new = copy.deepcopy(description)
    error = new["components"]["schemas"]["Error"]  # reached through #/components/responses/Invalid and NotFound
    del error["properties"]["message"]
    error["required"].remove("message")
    result = diff_any(description, new, old_name="old", new_name="new")
    operations = {(change.method, change.path) for change in result.changes}
    assert operations == {(method.upper(), path) for path, item in description["paths"].items() for method in item}
    assert {(change.rule, change.level, change.origin) for change in result.changes} == {
        ("response-property-removed", Level.BREAKING, "#/components/schemas/Error/properties/message")
    }


def test_a_change_inside_a_recursive_component_is_found(description) -> None:
    new = copy.deepcopy(description)
    new["components"]["schemas"]["TreeNode"]["required"] = ["label"]  # TreeNode's children are TreeNodes
    result = diff_any(description, new, old_name="old", new_name="new")
    assert result.changes
    assert {change.origin for change in result.changes} == {"#/components/schemas/TreeNode/properties/label"}
    assert {change.rule for change in result.changes} >= {"request-property-became-required"}
