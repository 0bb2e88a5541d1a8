"""Every third-party module imported under src/ is declared in pyproject.toml, at run time or in a named extra: a
fresh install has nothing else. A module reached only through another package's dependencies (botocore through
boto3) counts as undeclared. An optional module (imported under `except ImportError`) belongs to an extra (or is an optional part of
a run-time dependency, as libyaml's C loader is of PyYAML) and is imported in one place, so the code has one fast path and one fallback, not one per reader."""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src"
OWN = {path.name for path in SOURCE.iterdir() if path.is_dir()}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> tuple[set[str], dict[str, set[str]]]:
    """(run-time distributions, extra name -> distributions), names normalised; extras naming the project itself
    (`contractkit-cdc[test,fast]`) are followed."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirement = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")

    def names(requirements: list[str]) -> set[str]:
        found = set()
        for text in requirements:
            match = requirement.match(text)
            assert match, f"pyproject.toml: cannot read the requirement {text!r}"
            if _normal(match.group(1)) == _normal(project["name"]):
                for extra in (match.group(2) or "").split(","):
                    found |= names(project["optional-dependencies"][extra.strip()])
            else:
                found.add(_normal(match.group(1)))
        return found

    extras = {extra: names(items) for extra, items in project.get("optional-dependencies", {}).items()}
    return names(project.get("dependencies", [])), extras


def _imports() -> dict[str, list[tuple[str, str | None]]]:
    """Top-level module -> [(file:line, guard)] for every absolute import under src/, function-local included; the
    guard is the file:line of the enclosing `try` whose handler catches ImportError (None when there is none)."""
    found: dict[str, list[tuple[str, str | None]]] = defaultdict(list)

    def visit(node: ast.AST, path: Path, guard: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = guard
            if (
                guard is None
                and isinstance(child, ast.Try)
                and any(
                    "ImportError" in ast.unparse(handler.type or ast.Name("BaseException"))
                    for handler in child.handlers
                )
            ):
                inner = f"{path.relative_to(ROOT)}:{child.lineno}"
            modules: list[str] = []
            if isinstance(child, ast.Import):
                modules = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                modules = [child.module]
            for module in modules:
                found[module.split(".")[0]].append((f"{path.relative_to(ROOT)}:{child.lineno}", inner))
            visit(child, path, inner)

    for path in sorted(SOURCE.rglob("*.py")):
        visit(ast.parse(path.read_text(encoding="utf-8")), path, None)
    return {
        module: places
        for module, places in found.items()
        if module not in sys.stdlib_module_names and module not in OWN and module != "__future__"
    }


def _distributions(module: str) -> set[str]:
    """The installed distributions that provide a top-level module; its own name when none is installed."""
    return {_normal(name) for name in md.packages_distributions().get(module, [])} or {_normal(module)}


def test_every_imported_module_is_declared() -> None:
    runtime, extras = _declared()
    anywhere = runtime.union(*extras.values())
    undeclared = [
        f"{module} ({', '.join(sorted(_distributions(module)))}) imported at {places[0][0]}"
        for module, places in sorted(_imports().items())
        if not _distributions(module) & anywhere
    ]
    assert undeclared == [], "imported under src/ but not declared in pyproject.toml: " + "; ".join(undeclared)


def test_a_module_imported_unconditionally_is_a_runtime_dependency() -> None:
    runtime, _ = _declared()
    misplaced = [
        f"{module} at {place}"
        for module, places in sorted(_imports().items())
        for place, guard in places
        if guard is None and not _distributions(module) & runtime
    ]
    assert misplaced == [], "imported without a fallback but declared only in an extra: " + "; ".join(misplaced)


def test_an_optional_module_belongs_to_an_extra_and_is_imported_in_one_place() -> None:
    runtime, extras = _declared()
    optional = {
        module: sorted({guard for _, guard in places if guard is not None})
        for module, places in _imports().items()
        if any(guard for _, guard in places)
    }
    assert optional, "no optional fast path found: the `fast` extra's import has moved or gone"
    problems = []
    for module, places in sorted(optional.items()):
        in_extra = [extra for extra, names in extras.items() if _distributions(module) & names]
        if not in_extra and not _distributions(module) & runtime:  # a run-time package's optional C part is fine
            problems.append(f"{module}: optional at {places[0]} but in no extra")
        if len(places) > 1:
            problems.append(
                f"{module}: imported optionally in {len(places)} places ({', '.join(places)}); read it "
                "through one function"
            )
    assert problems == []


def test_the_fast_path_is_the_fast_extra() -> None:
    _, extras = _declared()
    assert "orjson" in extras["fast"]
    assert not any(_normal("contractkit-cdc") in names for names in extras.values())
