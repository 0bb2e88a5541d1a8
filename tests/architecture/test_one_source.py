"""One answer per question: each finding code has one home, and nothing under src/ is defined but never used.

Finding codes live in one table, the `Code` enum of core/codes.py; the diff's rule codes (CK5xx/CK6xx) are built
by the rule table in diff/rules.py. A code written as a literal anywhere else, or a second name bound to a
member, is a second source that can drift from the first.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

from contractkit.core.codes import Code

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "contractkit"
TABLE = PACKAGE / "core" / "codes.py"
FINDING_CODE = re.compile(r"CK\d{3}")


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(PACKAGE.rglob("*.py"))]


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring nodes: prose about codes is documentation, not a source of them."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def test_no_finding_code_literal_outside_the_table() -> None:
    offenders = []
    for path, tree in _modules():
        if path == TABLE:
            continue
        docstrings = _docstrings(tree)
        offenders += [
            f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and FINDING_CODE.search(node.value)
        ]
    assert offenders == [], "name the code as a member of core.codes.Code instead: " + "; ".join(offenders)


def test_every_code_has_exactly_one_row() -> None:
    """Each member is one row of the class body, no two rows share a code, and no code is also a diff rule's."""
    [table] = [
        node
        for node in ast.parse(TABLE.read_text(encoding="utf-8")).body
        if isinstance(node, ast.ClassDef) and node.name == "Code"
    ]
    rows = [
        target.id
        for node in table.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    ]
    assert rows == list(Code.__members__), "every row is a member and every member a row"
    assert len({code.value for code in Code}) == len(rows), "two rows share a code"
    from contractkit.diff import RULES

    assert {code.value for code in Code}.isdisjoint(rule.code for rule in RULES.values())


def test_no_second_name_for_a_code() -> None:
    """`UNNEEDED = Code.OVERLAY_UNNEEDED` or `import ... as CK202_NOT_RECEIVED` is a constant assigned twice."""
    offenders = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Attribute)
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id == "Code"
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and node.module == "contractkit.core.codes":
                offenders += [
                    f"{path.relative_to(PACKAGE)}:{node.lineno}: {alias.name}"
                    for alias in node.names
                    if alias.name != "Code" or alias.asname
                ]
    assert offenders == []


def test_a_change_knows_its_code_without_importing_the_rules_first() -> None:
    """The rule table is read, not filled in by an import's side effect: the model alone gives the code."""
    probe = (
        "from contractkit.diff.model import Change\n"
        "print(Change('path-removed', '/pets', '', '#/paths/~1pets', 'removed').code)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "CK501"


# A function called through a framework rather than by name is used. Each rule says why:
# - a decorator registers it: click commands and groups (`@group.command("x")`), pytest fixtures and hooks
#   (`@pytest.fixture`, `@pytest.hookimpl`), `@atexit.register`;
# - pytest calls its hooks (`pytest_*`) by name in the module pyproject.toml names as the pytest11 entry point;
# - the console scripts and entry points pyproject.toml names (`contractkit.cli:run`) are called by the installer's
#   wrappers;
# - the package's own `__all__` (contractkit/__init__.py) is the API offered to users, used or not in this repository.
REGISTRARS = frozenset({"command", "group", "fixture", "hookimpl", "register"})
ATTRIBUTE_CALLS = frozenset({"getattr", "setattr", "hasattr", "delattr"})


def _entry_points() -> tuple[set[str], set[str]]:
    """(functions named by pyproject.toml's scripts and entry points, modules whose pytest hooks pytest calls)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    targets = list(project.get("scripts", {}).values())
    plugins = set(project.get("entry-points", {}).get("pytest11", {}).values())
    for group, entries in project.get("entry-points", {}).items():
        targets += [] if group == "pytest11" else list(entries.values())
    return {target.partition(":")[2] for target in targets if ":" in target}, plugins


def _is_registered(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name in REGISTRARS:
            return True
    return False


def _references(trees: list[ast.Module]) -> Counter[str]:
    """Every name read, attribute taken, or string that names a function: `"module:function"` (a provider state's
    callable) or the name given to getattr/setattr (a monkeypatch). An `__all__` entry or an import exports a
    name without using it."""
    found: Counter[str] = Counter()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                found[node.id] += 1
            elif isinstance(node, ast.Attribute):
                found[node.attr] += 1
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"[\w.]+:\w+", node.value)
            ):
                found[node.value.rpartition(":")[2]] += 1
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) in ATTRIBUTE_CALLS
            ):
                found.update(
                    arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                )
    return found


def test_no_public_function_is_defined_but_never_used() -> None:
    """A public module-level function under src/ that nothing in src/, tests/ or benchmarks/ calls is dead code."""
    scripts, plugins = _entry_points()
    package = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    offered = {
        elt.value
        for node in package.body
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
        for elt in getattr(node.value, "elts", [])
        if isinstance(elt, ast.Constant)
    }
    modules = _modules()
    others = [
        ast.parse(path.read_text(encoding="utf-8"))
        for folder in ("tests", "benchmarks")
        for path in sorted((ROOT / folder).rglob("*.py"))
    ]
    used = _references([tree for _, tree in modules] + others)
    dead = []
    for path, tree in modules:
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        dotted = ".".join(("contractkit", *(parts[:-1] if parts[-1] == "__init__" else parts)))
        for node in tree.body:
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.name.startswith("_"):
                continue
            if (
                used[node.name]
                or _is_registered(node)
                or node.name in scripts
                or node.name in offered
                or (dotted in plugins and node.name.startswith("pytest_"))
            ):
                continue
            dead.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.name}")
    assert dead == [], "defined but never used (remove it, and its __all__ entry): " + "; ".join(dead)
