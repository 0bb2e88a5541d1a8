"""Shards that cannot lose a result: every shard's JSON carries its index, count, the command that ran and the
run; `contracts report merge` refuses (exit 2, naming what is wrong) a missing shard, a shard given twice and
shards from two runs; the gate's and a diff's JSON merge into the contract matrix, whose gate column they fill."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VERIFY = ["verify", "--registry", "registry.yaml", "--all", "--format", "json"]
WORK = "contracts verify --registry registry.yaml --all --format json"


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three shards of `contracts verify --all` from run A, and shard 3 again from run B."""
    from contractkit.cli import main

    folder = tmp_path_factory.mktemp("shards")
    made = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        for run, indexes in (("A", (1, 2, 3)), ("B", (3,))):
            patch.setenv("CONTRACTS_RUN_ID", f"run-{run}")
            for index in indexes:
                path = folder / f"verify-{run}{index}.json"
                assert main([*VERIFY, "--shard", f"{index}/3", "-o", str(path)]) == 0
                made[f"{run}{index}"] = path
    return made


def test_every_shard_says_which_it_is_what_ran_and_in_which_run(shards: dict[str, Path]) -> None:
    stamp = json.loads(shards["A2"].read_text())["shard"]
    assert stamp == {"index": 2, "count": 3, "command": f"{WORK} --shard 2/3", "work": WORK, "run": "run-A"}


def test_a_complete_set_merges(shards: dict[str, Path], run_cli) -> None:
    code, out, err = run_cli("report", "merge", *(str(shards[k]) for k in ("A1", "A2", "A3")))
    assert code == 0, err
    assert "0 failed" in out


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        (("A1", "A3"), f"`{WORK}`: missing shard 2/3"),
        (("A1",), f"`{WORK}`: missing shards 2/3, 3/3"),
        (("A1", "A1", "A2", "A3"), f"`{WORK}`: shard 1/3 given 2 times"),
        (("A1", "A2", "B3"), f"`{WORK}`: shards from 2 runs (run run-A: "),
    ],
    ids=["missing", "two-missing", "duplicated", "two-runs"],
)
def test_an_incomplete_or_mixed_set_is_refused(shards: dict[str, Path], run_cli, given, problem: str) -> None:
    code, out, err = run_cli("report", "merge", *(str(shards[k]) for k in given), "--format", "json")
    assert code == 2
    assert out == ""
    assert err.startswith("error: refusing to merge an incomplete or mixed set of shards: ")
    assert problem in err


def test_a_shard_stamp_that_is_not_one_is_bad_input(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"results": [], "shard": {"index": 4, "count": 3}}')
    code, _, err = run_cli("report", "merge", str(path))
    assert code == 2
    assert f"{path}: shard: index and count must be integers with 1 <= index <= count" in err


def _gate_column(page: str) -> list[str]:
    """The cells of the matrix's gate column, row by row."""
    head = re.search(r"<thead><tr>(.*?)</tr></thead>", page).group(1)
    names = re.findall(r"<th>(.*?)</th>", head)
    column = names.index("gate")
    rows = re.findall(r"<tr class='row [^']*'.*?</tr>", page)
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)[column] for row in rows]


def test_the_gate_merges_into_the_matrix_and_fills_its_gate_column(
    shards: dict[str, Path], tmp_path: Path, run_cli
) -> None:
    gate = tmp_path / "gate.json"
    code, _, err = run_cli("gate", "--registry", str(REPO / "registry.yaml"), "--base", "HEAD", "--format", "json",
                           "-o", str(gate))  # fmt: skip
    assert code == 0, err
    blocked = tmp_path / "blocked-gate.json"
    blocked.write_text(
        json.dumps(
            {
                "breaking": True, "base": "origin/main", "compared": ["schemas/grafana/openapi.json"],
                "changes": [{"rule": "response-property-removed", "code": "CK512", "level": "breaking",
                             "path": "/datasources", "method": "GET", "location": "#/paths/~1datasources/get",
                             "message": "response property name removed", "provider": "grafana",
                             "file": "schemas/grafana/openapi.json", "verdict": "block", "note": "devctl reads it"}],
                "pact_findings": [], "ledger": {"stale": [], "expired": []}, "notes": [],
            }
        )
    )  # fmt: skip
    merged = tmp_path / "contracts.json"
    files = [str(shards[k]) for k in ("A1", "A2", "A3")]
    code, _, err = run_cli("report", "merge", *files, str(gate), "--format", "json", "-o", str(merged))
    assert code == 0, err
    page = tmp_path / "matrix.html"
    assert run_cli("report", str(merged), "--format", "html", "-o", str(page))[0] == 0
    cells = _gate_column(page.read_text())
    assert any("✓" in cell for cell in cells)  # the gate's passing result fills its column
    code, out, _ = run_cli("report", "merge", *files, str(blocked), "--format", "html")
    assert code == 1
    assert any("✗ 1" in cell for cell in _gate_column(out))
    assert "CK512" in out and "devctl reads it" in out


def test_a_diff_merges_into_the_gate_column(tmp_path: Path, run_cli) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}}}}}}},
    }  # fmt: skip
    old.write_text(json.dumps(spec))
    del spec["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["name"]
    spec["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["required"] = []
    new.write_text(json.dumps(spec))
    diff = tmp_path / "diff.json"
    assert run_cli("diff", str(old), str(new), "--format", "json", "-o", str(diff))[0] == 1
    code, out, _ = run_cli("report", "merge", str(diff), "--format", "html")
    assert code == 1
    assert any("✗" in cell for cell in _gate_column(out))


def test_the_shipped_workflow_fails_when_a_shard_exits_2(tmp_path: Path) -> None:
    """The workflow's shard step, run by bash with a `contracts` that exits 2, fails the job; exit 1 does not."""
    import yaml

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "contracts.yml").read_text())
    step = next(s for s in workflow["jobs"]["contracts"]["steps"] if s.get("id") == "shard")
    for code, failed in ((2, True), (1, False), (0, False)):
        fake = tmp_path / f"bin{code}"
        fake.mkdir()
        (fake / "contracts").write_text(f"#!/bin/sh\nexit {code}\n")
        (fake / "contracts").chmod(0o755)
        env = {"PATH": f"{fake}:/usr/bin:/bin", "SHARD": "1/3", "SHARD_INDEX": "1"}
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert (done.returncode != 0) is failed, (code, done.stdout, done.stderr)


def test_lint_merges_too_and_an_inventory_is_refused(tmp_path: Path, run_cli) -> None:
    lint, inventory = tmp_path / "lint.json", tmp_path / "list.json"
    assert run_cli("lint", "--registry", str(REPO / "registry.yaml"), "--format", "json", "-o", str(lint))[0] == 0
    code, out, err = run_cli("report", "merge", str(lint))
    assert code == 0, err
    assert "PASSED [lint]" in out
    broken = tmp_path / "broken-lint.json"
    broken.write_text(
        json.dumps({"registry": "registry.yaml", "ok": False, "errors": 1, "warnings": 0, "problems": [
            {"code": "CK001", "level": "error", "file": "registry.yaml", "line": 7, "key_path": "providers",
             "message": "registry.yaml:7: providers: expected a mapping"}]})
    )  # fmt: skip
    code, out, _ = run_cli("report", "merge", str(broken))
    assert code == 1 and "FAILED [lint] registry.yaml:7" in out
    assert run_cli("list", "--registry", str(REPO / "registry.yaml"), "--format", "json", "-o", str(inventory))[0] == 0
    code, _, err = run_cli("report", "merge", str(inventory))
    assert code == 2
    assert f"{inventory}: results: expected a list of check results" in err
