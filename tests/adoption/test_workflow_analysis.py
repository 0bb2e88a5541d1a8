"""The workflows we ship and the one `contracts init` writes pass a static analysis of GitHub Actions workflows
(zizmor, from the test extra) with no finding at its default level: no value expanded into a script (template
injection), least permissions per job, no credential persisted by a checkout, every action pinned by commit."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _zizmor() -> str:
    beside = Path(sys.executable).with_name("zizmor")
    found = str(beside) if beside.exists() else shutil.which("zizmor")
    assert found, "zizmor is not installed: it is part of the test extra (pip install -e '.[test]')"
    return found


def _findings(folder: Path) -> list[dict]:
    # --offline: no network (no check of the pinned commits against GitHub); the audits that need none all run
    done = subprocess.run(
        [_zizmor(), "--offline", "--format", "json", "--no-progress", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, 10, 11, 12, 13, 14), done.stderr  # 1x: findings of some severity
    return json.loads(done.stdout or "[]")


def _summary(findings: list[dict]) -> list[str]:
    """`audit: file` per finding, for a readable failure."""
    return [f"{finding['ident']}: {finding['locations'][0]['symbolic']['key']}" for finding in findings]


def test_the_shipped_workflows_have_no_finding() -> None:
    assert sorted((ROOT / ".github/workflows").glob("*.yml")), "the repository ships workflows"
    assert _summary(_findings(ROOT / ".github/workflows")) == []


def test_the_workflow_init_writes_has_no_finding(project: Path, run_cli) -> None:
    assert run_cli("init")[0] == 0
    workflows = project / ".github/workflows"
    assert (workflows / "contracts.yml").exists()
    assert _summary(_findings(workflows)) == []


@pytest.mark.parametrize("unsafe", ["run: echo ${{ github.head_ref }}", "uses: actions/checkout@v4"])
def test_the_analysis_finds_what_it_guards_against(tmp_path: Path, unsafe: str) -> None:
    """The guard is live: an injected branch name or an unpinned action is a finding."""
    workflows = tmp_path / ".github/workflows"
    workflows.mkdir(parents=True)
    step = unsafe if unsafe.startswith("run") else f"{unsafe}\n        with:\n          persist-credentials: false"
    (workflows / "ci.yml").write_text(
        "name: ci\non: pull_request\npermissions: {}\njobs:\n  a:\n    name: a\n    runs-on: ubuntu-latest\n"
        f"    steps:\n      - {step}\n",
        encoding="utf-8",
    )
    found = _summary(_findings(workflows))
    assert found and all(": " in line for line in found), found
