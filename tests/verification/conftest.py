"""Fixtures for the verification tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from verification_support import write_registry

os.environ.setdefault("PACT_DO_NOT_TRACK", "true")


@pytest.fixture()
def registry_path(tmp_path: Path) -> Path:
    return write_registry(tmp_path)
