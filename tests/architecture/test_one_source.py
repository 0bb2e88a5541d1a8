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
        offenders += [f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
                      if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                      and FINDING_CODE.search(node.value)]
    assert offenders == [], "name the code as a member of core.codes.Code instead: " + "; ".join(offenders)


def test_every_code_has_exactly_one_row() -> None:
    """Each member is one row of the class body, no two rows share a code, and no code is also a diff rule's."""
    [table] = [node for node in ast.parse(TABLE.read_text(encoding="utf-8")).body
               if isinstance(node, ast.ClassDef) and node.name == "Code"]
    rows = [target.id for node in table.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)]
    assert rows == list(Code.__members__), "every row is a member and every member a row"
    assert len({code.value for code in Code}) == len(rows), "two rows share a code"
    from contractkit.diff import RULES

    assert {code.value for code in Code}.isdisjoint(rule.code for rule in RULES.values())


def test_no_second_name_for_a_code() -> None:
    """`UNNEEDED = Code.OVERLAY_UNNEEDED` or `import ... as CK202_NOT_RECEIVED` is a constant assigned twice."""
    offenders = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Attribute) \
                    and isinstance(node.value.value, ast.Name) and node.value.value.id == "Code":
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and node.module == "contractkit.core.codes":
                offenders += [f"{path.relative_to(PACKAGE)}:{node.lineno}: {alias.name}" for alias in node.names
                              if alias.name != "Code" or alias.asname]
    assert offenders == []


def test_a_change_knows_its_code_without_importing_the_rules_first() -> None:
    """The rule table is read, not filled in by an import's side effect: the model alone gives the code."""
    probe = ("from contractkit.diff.model import Change, Level\n"
             "print(Change('path-removed', Level.BREAKING, '/pets', '', '#/paths/~1pets', 'removed').code)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "CK501"
