"""`contracts diff OLD NEW`: exit codes, output formats, git sources and bad input, run in-process."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml

from contractkit.cli import main
from contractkit.diff import RULES

OLD: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "pets", "version": "1"},
    "paths": {
        "/pets": {
            "get": {
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["id", "name"],
                                        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}


def _new(**changes: Any) -> dict[str, Any]:
    new = json.loads(json.dumps(OLD))
    operation = new["paths"]["/pets"]["get"]
    if changes.get("drop_name"):
        item = operation["responses"]["200"]["content"]["application/json"]["schema"]["items"]
        item["properties"].pop("name")
        item["required"] = ["id"]
    if changes.get("add_tag"):
        item = operation["responses"]["200"]["content"]["application/json"]["schema"]["items"]
        item["properties"]["tag"] = {"type": "string"}
    return new


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    """old.json, a breaking new.yaml (YAML on purpose) and a compatible new.json."""
    paths = {
        "old": tmp_path / "old.json",
        "breaking": tmp_path / "new.yaml",
        "compatible": tmp_path / "compatible.json",
    }
    paths["old"].write_text(json.dumps(OLD), encoding="utf-8")
    paths["breaking"].write_text(yaml.safe_dump(_new(drop_name=True)), encoding="utf-8")
    paths["compatible"].write_text(json.dumps(_new(add_tag=True)), encoding="utf-8")
    return paths


def test_breaking_change_exits_1_with_the_documented_json(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["diff", str(files["old"]), str(files["breaking"]), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert set(report) == {"breaking", "expanded", "summary", "notes", "changes", "reaches"}
    assert report["breaking"] is True and report["expanded"] is False
    assert report["changes"] == [
        {
            "rule": "response-property-removed",
            "code": "CK535",
            "level": "breaking",
            "level_source": "default",
            "location": "#/paths/~1pets/get/responses/200/content/application~1json/schema/items/properties/name",
            "message": "[].name: required property 'name' removed",
            "shared": False,
            "operations": 1,
            "occurrences": 1,
            "reach": 0,
        }
    ]
    assert report["reaches"] == [["GET /pets"]]
    assert report["summary"]["levels"]["breaking"] == {"changes": 1, "distinct": 1}


def test_json_names_each_change_by_its_rule_code_unmasked(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The code is `code` in every part of the JSON, as the rule table gives it; the report masker, which masks
    an OAuth `code`, leaves a finding code alone, even with a credential in the environment."""
    monkeypatch.setenv("PAGER_API_TOKEN", "s3cr3t-Xq7vLp2Zt9Rk")
    assert main(["diff", str(files["old"]), str(files["breaking"]), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    rows = report["changes"] + report["summary"]["rules"]
    assert rows and all(row["code"] == RULES[row["rule"]].code for row in rows)
    assert all("rule_code" not in row for row in rows)


def test_compatible_change_exits_0(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["diff", str(files["old"]), str(files["compatible"]), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["breaking"] is False
    assert [(c["rule"], c["level"]) for c in report["changes"]] == [("response-property-added", "info")]


def test_level_filter_and_fail_on_warning(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(files["old"]), str(files["compatible"]), "--level", "warning", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["changes"] == []
    new = _new()
    new["paths"]["/pets"]["get"]["deprecated"] = True
    files["compatible"].write_text(json.dumps(new), encoding="utf-8")
    assert main(["diff", str(files["old"]), str(files["compatible"])]) == 0
    assert main(["diff", str(files["old"]), str(files["compatible"]), "--fail-on", "warning"]) == 1


def test_text_markdown_and_junit_formats(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["diff", str(files["old"]), str(files["breaking"])]) == 1
    text = capsys.readouterr().out
    assert "BREAKING  response-property-removed (CK" in text and "GET /pets" in text
    assert text.rstrip().endswith("1 breaking, 0 warning, 0 info: FAILED")
    assert main(["diff", str(files["old"]), str(files["breaking"]), "--format", "markdown"]) == 1
    assert "| ❌ | `response-property-removed` | GET /pets |" in capsys.readouterr().out
    junit = tmp_path / "diff.xml"
    assert main(["diff", str(files["old"]), str(files["breaking"]), "--format", "junit", "--output", str(junit)]) == 1
    root = ElementTree.parse(junit).getroot()
    assert root.get("failures") == "1"
    case = root.find(".//testcase")
    assert (case.get("classname"), case.get("name")) == (
        "response-property-removed",
        "GET /pets at #/paths/~1pets/get/responses/200/content/application~1json/schema/items/properties/name",
    )
    assert "reached by 1 operation: GET /pets" in case.find("failure").text


def test_github_annotations_when_running_in_actions(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["diff", str(files["old"]), str(files["breaking"]), "--format", "json"]) == 1
    captured = capsys.readouterr()
    json.loads(captured.out)  # the JSON on standard output stays parseable
    assert captured.err.startswith(f"::error file={files['breaking']},line=")
    assert ",title=response-property-removed%3A GET /pets::[].name: required property" in captured.err


def test_missing_and_malformed_files_exit_2_naming_the_file(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.json"
    assert main(["diff", str(files["old"]), str(missing)]) == 2
    assert capsys.readouterr().err.strip() == f"error: {missing}: file not found"
    broken = tmp_path / "broken.json"
    broken.write_text('{"openapi": "3.0.3",\n "paths": {,}}', encoding="utf-8")
    assert main(["diff", str(broken), str(files["old"])]) == 2
    assert capsys.readouterr().err.strip().startswith(f"error: {broken}:2: invalid JSON:")


def test_unresolvable_ref_exits_2(files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = _new()
    new["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Gone"
    }
    target = tmp_path / "dangling.json"
    target.write_text(json.dumps(new), encoding="utf-8")
    assert main(["diff", str(files["old"]), str(target)]) == 2
    assert "$ref '#/components/schemas/Gone' does not resolve" in capsys.readouterr().err


def test_api_description_against_json_schema_is_bad_input(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"type": "object"}), encoding="utf-8")
    assert main(["diff", str(files["old"]), str(schema)]) == 2
    assert "cannot compare an API description with a plain JSON Schema" in capsys.readouterr().err


def test_git_sources(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    for arguments in (
        ["init", "-q", "-b", "main"],
        ["config", "user.email", "d@example.invalid"],
        ["config", "user.name", "d"],
    ):
        subprocess.run(["git", "-C", str(repo), *arguments], check=True)
    (repo / "api.json").write_text(files["old"].read_text(), encoding="utf-8")
    subprocess.run(["git", "-C", str(repo), "add", "api.json"], check=True)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", "v1"], check=True)
    (repo / "api.json").write_text(json.dumps(_new(drop_name=True)), encoding="utf-8")
    monkeypatch.chdir(repo)
    assert main(["diff", "git:main:api.json", "api.json", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["changes"][0]["rule"] == "response-property-removed"
    assert main(["diff", "git:main:api.json", "git:HEAD:api.json"]) == 0
    capsys.readouterr()
    assert main(["diff", "git:v9:api.json", "api.json"]) == 2
    assert "git ref 'v9' cannot be resolved" in capsys.readouterr().err
    assert main(["diff", "git:main:missing.json", "api.json"]) == 2
    assert capsys.readouterr().err.strip() == "error: missing.json: no such file at git ref 'main'"
    assert main(["diff", "git:main", "api.json"]) == 2
    assert "expected git:REF:path" in capsys.readouterr().err


def test_list_rules_prints_every_rule_with_a_stable_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--list-rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(None, 3) == [
        "CK501",
        "path-removed",
        "breaking",
        "a path and every operation under it were removed",
    ]
    assert lines[1].split()[:3] == ["CK502", "operation-removed", "breaking"]
    assert any(line.split()[1:3] == ["request-optional-parameter-removed", "warning"] for line in lines)
    assert any(line.split()[1:3] == ["operation-removed-after-sunset", "info"] for line in lines)
    assert len({line.split()[0] for line in lines}) == len(lines) == len({line.split()[1] for line in lines})
    assert all(len(line.split(None, 3)) == 4 for line in lines)  # code, id, default level, explanation


@pytest.mark.parametrize(
    ("bad", "pointer", "problem"),
    [
        (
            {"type": 42},
            "#/components/schemas/Pet/type",
            ("expected one of array, boolean, integer, null, number, object, string or a list of them, got 42"),
        ),
        (
            {"type": "object", "properties": "id, name"},
            "#/components/schemas/Pet/properties",
            "expected a mapping of schemas, got a string ('id, name')",
        ),
        (
            {"type": "object", "properties": {"id": {"type": "intger"}}},
            "#/components/schemas/Pet/properties/id/type",
            "expected one of array, boolean, integer, null, number, object, string or a list of them, got 'intger'",
        ),
    ],
)
def test_an_invalid_schema_is_refused_with_file_and_pointer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: dict[str, Any], pointer: str, problem: str
) -> None:
    document = dict(OLD, components={"schemas": {"Pet": bad}})
    target = tmp_path / "bad.json"
    target.write_text(json.dumps(document), encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(OLD), encoding="utf-8")
    assert main(["diff", str(good), str(target)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (
        f"error: {target}: {pointer}: {problem}. fix the schema; the diff compares only valid schemas"
    )


def test_a_response_referring_to_a_request_body_is_refused_unless_lenient(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = json.loads(json.dumps(OLD))
    new["paths"]["/pets"]["get"]["responses"]["200"] = {"$ref": "#/components/requestBodies/Pets"}
    new["components"] = {"requestBodies": {"Pets": OLD["paths"]["/pets"]["get"]["responses"]["200"]}}
    old_file, new_file = tmp_path / "old.json", tmp_path / "new.json"
    old_file.write_text(json.dumps(OLD), encoding="utf-8")
    new_file.write_text(json.dumps(new), encoding="utf-8")
    assert main(["diff", str(old_file), str(new_file)]) == 2
    message = capsys.readouterr().err
    assert message.startswith(
        f"error: {new_file}: #/paths/~1pets/get/responses/200/$ref: a response refers to "
        "'#/components/requestBodies/Pets', which is in components/requestBodies"
    )
    assert main(["diff", str(old_file), str(new_file), "--lenient", "--format", "json"]) == 0
    captured = capsys.readouterr()
    note = (
        f"{new_file}: #/paths/~1pets/get/responses/200/$ref: a response refers to '#/components/requestBodies/Pets', "
        "which is in components/requestBodies; expected a reference into #/components/responses"
    )
    assert json.loads(captured.out)["notes"] == [note]
    assert captured.err.startswith("warning: ")


def test_levels_from_the_registry_are_applied_and_marked(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_text(
        "version: 1\nconsumer: shop\ngate:\n  levels:\n    response-property-removed: warning\n"
        "providers:\n  pets:\n    base_url: http://127.0.0.1:9\n    operations:\n"
        "      list: {method: GET, path: /pets, safe: true}\n",
        encoding="utf-8",
    )
    assert (
        main(["diff", str(files["old"]), str(files["breaking"]), "--registry", str(registry), "--format", "json"]) == 0
    )
    change = json.loads(capsys.readouterr().out)["changes"][0]
    assert (change["rule"], change["level"], change["level_source"]) == (
        "response-property-removed",
        "warning",
        "configuration: gate.levels",
    )
    registry.write_text(
        registry.read_text().replace("response-property-removed:", "response-property-remove:"), encoding="utf-8"
    )
    assert main(["diff", str(files["old"]), str(files["breaking"]), "--registry", str(registry)]) == 2
    assert "unknown rule id 'response-property-remove'" in capsys.readouterr().err


def test_text_report_prints_a_summary_then_each_shared_change_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    error = {
        "type": "object",
        "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
    }
    paths = {
        f"/r{index}": {
            "get": {
                "responses": {
                    "400": {
                        "description": "bad",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    }
                }
            }
        }
        for index in range(5)
    }
    old = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": {"Error": error}},
    }
    new = json.loads(json.dumps(old))
    new["components"]["schemas"]["Error"]["required"] = ["message"]
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    assert main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "Summary: 5 breaking (1 distinct), 0 warning (0 distinct), 0 info (0 distinct): FAILED"
    assert lines[3].split() == ["breaking", "response-property-became-optional", "CK539", "5", "(1", "distinct)"]
    assert lines[6:9] == [
        "BREAKING  response-property-became-optional (CK539)  in #/components/schemas/Error/properties/code",
        "          property 'code' became optional",
        "          reached by 5 operations: GET /r0, GET /r1, GET /r2, GET /r3 and 1 more",
    ]
