"""docs/architecture.md is taken from the code: every module of the package is on the map, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "contractkit"


def test_the_package_map_lists_every_module_and_only_modules_that_exist():
    text = (ROOT / "docs" / "architecture.md").read_text()
    listed = set(re.findall(r"\| `([a-z0-9_/]+\.py)` \|", text))
    actual = {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "__init__.py" and path.parent.name != "data"
    }
    assert actual - listed == set(), "modules missing from docs/architecture.md"
    assert listed - actual == set(), "docs/architecture.md lists modules that do not exist"


def test_every_subpackage_has_a_section():
    text = (ROOT / "docs" / "architecture.md").read_text()
    for package in sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py") if p.parent.name != "data"):
        assert f"### `{package}/`" in text, package
