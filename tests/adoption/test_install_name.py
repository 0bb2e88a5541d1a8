"""The project installs by its own name everywhere: pyproject, the README and the workflow `contracts init` writes.
`contractkit` on the public package index is an unrelated library; a new project's CI must never install it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from contractkit.scaffold.init import DISTRIBUTION, install_requirement

ROOT = Path(__file__).resolve().parents[2]
_PINNED = re.compile(rf"^{re.escape(DISTRIBUTION)}(==\d+\.\d+\.\d+\S*| @ git\+https://\S+@[0-9a-f]{{40}})$")


def _workflow(project: Path) -> dict:
    return yaml.safe_load((project / ".github/workflows/contracts.yml").read_text(encoding="utf-8"))


def _install_step(workflow: dict) -> str:
    steps = workflow["jobs"]["contracts"]["steps"]
    return next(step["run"] for step in steps if step.get("name") == "Install")


def test_the_distribution_name_is_the_one_pyproject_declares() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]
    assert declared == DISTRIBUTION != "contractkit"


def test_init_writes_a_workflow_that_installs_this_project_pinned(project: Path, run_cli) -> None:
    assert run_cli("init")[0] == 0
    command = _install_step(_workflow(project))
    requirement = re.fullmatch(r"python -m pip install '([^']+)'", command.strip())
    assert requirement, command
    assert _PINNED.match(requirement.group(1)), requirement.group(1)
    assert requirement.group(1) == install_requirement()


def test_init_install_option_names_what_ci_installs(project: Path, run_cli) -> None:
    wanted = f"{DISTRIBUTION} @ git+https://git.example.test/platform/contractkit@{'a' * 40}"
    assert run_cli("init", "--install", wanted)[0] == 0
    assert _install_step(_workflow(project)).strip() == f"python -m pip install '{wanted}'"


def test_the_generated_workflow_expands_no_expression_inside_a_script(project: Path, run_cli) -> None:
    """A branch name or dispatch input expanded into `run:` becomes shell code: values go through `env:`."""
    assert run_cli("init")[0] == 0
    steps = _workflow(project)["jobs"]["contracts"]["steps"]
    scripts = [step["run"] for step in steps if "run" in step]
    assert scripts and not [script for script in scripts if "${{" in script]
    checkouts = [step for step in steps if str(step.get("uses", "")).startswith("actions/checkout")]
    assert checkouts and all(step["with"]["persist-credentials"] is False for step in checkouts)


def test_no_file_tells_a_user_to_install_the_unrelated_package() -> None:
    """README, docs and workflows install this project by its own name (or from the checkout)."""
    offenders = []
    for path in [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / ".github").rglob("*.yml")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"pip install\s+(-U\s+)?['\"]?contractkit(?![-\w])", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
