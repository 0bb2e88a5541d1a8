"""Shared test helpers: the repository root and the optional ../shared/specs folder."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
# The description cache of a test run lives in the run's own temporary folder, never in the user's ~/.cache.
os.environ["CONTRACTKIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="contractkit-test-cache-")
atexit.register(shutil.rmtree, os.environ["CONTRACTKIT_CACHE_DIR"], True)
# As in the `contracts` command: jsonschema's optional iri grammars cost 1.7 s per process and nothing tested needs them.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

pytest_plugins = ["pytester"]  # tests of the pytest plugin run small user suites

REPO = Path(__file__).resolve().parents[1]
SHARED_SPECS = REPO.parent / "shared" / "specs"


@pytest.fixture
def shared_specs() -> Path:
    """The providers' official documents; tests that need them skip where the folder is absent."""
    if not SHARED_SPECS.is_dir():
        pytest.skip(f"{SHARED_SPECS} is absent: the official provider documents are not available here")
    return SHARED_SPECS


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """Run `contracts ...` in-process; returns (exit code, stdout, stderr)."""
    from contractkit.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
