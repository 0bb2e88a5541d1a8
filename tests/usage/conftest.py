"""Helpers for the usage-model tests: the small pager registry under tests/usage/data, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def pager(tmp_path: Path) -> Path:
    """A copy of the small registry (provider `pager`, devctl's pact and billing's) in tmp_path; its registry.yaml."""
    target = tmp_path / "pager"
    shutil.copytree(DATA, target)
    return target / "registry.yaml"
