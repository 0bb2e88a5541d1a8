"""Fixtures for the validation tests: the shared vendor descriptions, and the example builders of tests/verification."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "verification"))  # github_examples, verification_support

SHARED_SPECS = HERE.parents[1] / ".." / "shared" / "specs"
GITHUB = SHARED_SPECS / "github" / "new" / "api.github.com.json"


@pytest.fixture(scope="session")
def github_document():
    """The full GitHub description (13 MB), loaded once; skipped when the shared specs are absent."""
    from contractkit.openapi.documents import load_spec_document

    if not GITHUB.is_file():
        pytest.skip(f"the shared GitHub description is not available at {GITHUB}")
    return load_spec_document(GITHUB)


@pytest.fixture(autouse=True)
def description_cache(tmp_path_factory, monkeypatch):
    """Each test's own description cache folder, so no test reads an entry another wrote (or the user's)."""
    folder = tmp_path_factory.mktemp("contractkit-cache")
    monkeypatch.setenv("CONTRACTKIT_CACHE_DIR", str(folder))
    monkeypatch.delenv("CONTRACTKIT_NO_CACHE", raising=False)
    return folder
