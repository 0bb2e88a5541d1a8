"""Helpers for the adoption tests: a small OpenAPI description written on the fly, for where ../shared/specs is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.adoption.specs import SMALL_SPEC


@pytest.fixture
def small_spec(tmp_path: Path) -> Path:
    """A small OpenAPI 3 description with required fields, a pattern, a nested object and a path parameter."""
    path = tmp_path / "specs" / "widgets.json"
    path.parent.mkdir()
    path.write_text(json.dumps(SMALL_SPEC))
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty repository (a .git folder and nothing else) as the working directory."""
    root = tmp_path / "shop"
    (root / ".git").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root
