"""Subpackages meet at their faces: an import from another subpackage names the subpackage (`from
contractkit.validation import SpecValidator`), never a module inside it, and takes only what the face offers in
its `__all__`. `core/` is the ground floor every subpackage stands on; its modules are imported directly.

What is left reaching into a module is listed below with its reason."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "contractkit"
GROUND = "core"

# "importer path:imported module" -> why it may bypass the face. Keep it short; an entry that no longer matches fails.
ALLOWED: dict[str, str] = {}


def _subpackage(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports() -> Iterator[tuple[Path, int, str, list[str]]]:
    """(file, line, imported module, names) of every import of another subpackage than the file's own and core."""
    for path in sorted(PACKAGE.rglob("*.py")):
        own = _subpackage(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found = [(node.module, [alias.name for alias in node.names])]
            elif isinstance(node, ast.Import):
                found = [(alias.name, []) for alias in node.names]
            else:
                continue
            for module, names in found:
                parts = module.split(".")
                if parts[0] == "contractkit" and len(parts) > 1 and parts[1] not in (own, GROUND):
                    yield path, node.lineno, module, names


def _exported(face: str) -> set[str]:
    tree = ast.parse((PACKAGE / face / "__init__.py").read_text(encoding="utf-8"))
    return {
        element.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets)
        for element in getattr(node.value, "elts", [])
        if isinstance(element, ast.Constant)
    }


def test_imports_across_subpackages_go_through_the_face():
    bypassing = {
        f"{path.relative_to(PACKAGE)}:{module}": line for path, line, module, _ in _imports() if module.count(".") > 1
    }
    unexplained = [f"{key} (line {line})" for key, line in sorted(bypassing.items()) if key not in ALLOWED]
    assert unexplained == [], "import these from the subpackage (add the names to its __init__ and __all__)"


def test_every_allowed_bypass_still_exists():
    bypassing = {f"{path.relative_to(PACKAGE)}:{module}" for path, _, module, _ in _imports()}
    assert sorted(set(ALLOWED) - bypassing) == []


def test_a_face_offers_in_all_what_other_subpackages_take():
    missing = [
        f"{path.relative_to(PACKAGE)}:{line} {module}.{name}"
        for path, line, module, names in _imports()
        if module.count(".") == 1 and (PACKAGE / module.split(".")[1] / "__init__.py").exists()
        for name in names
        if name not in _exported(module.split(".")[1])
    ]
    assert missing == []
