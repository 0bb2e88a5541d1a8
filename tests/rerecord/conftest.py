"""The example registry copied into a temporary folder, and `contracts` run there as a subprocess, the way the
scheduled workflow (.github/workflows/rerecord.yml) runs it: no provider credentials in the environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rerecord_support import COPIED, REPOSITORY, WORKFLOW_VARIABLES, Contracts


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """The repository's registry, cassettes, contracts, schemas, pacts and example provider, in tmp_path/repo."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in COPIED:
        source = REPOSITORY / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    (root / "reports").mkdir()
    return root


@pytest.fixture
def contracts(example_copy: Path) -> Contracts:
    """Run `contracts ARGS...` in the copy with the workflow's environment (no credentials); bounded in time."""
    environ = {key: value for key, value in os.environ.items() if key not in WORKFLOW_VARIABLES}
    environ.update(PACT_DO_NOT_TRACK="true", PYTHONUNBUFFERED="1")

    def run(*args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", "from contractkit.cli import run; run()", *args]
        return subprocess.run(
            command,
            cwd=example_copy,
            env={**environ, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    return run
