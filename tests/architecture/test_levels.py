"""A change's level is decided in one place: the rule table gives every rule's default, an emission names only its
rule, and every adjustment after emission (an operation's stability level, the project's `gate.levels`) records
its source in `level_source`.

The corpus test diffs every pair of the diff suite (tests/diff/pairs and the specification corpus) and fails on a change whose level is not its
rule's default while its `level_source` still says "default". The ast test fails on a level literal anywhere in
diff/ that is not a comparison (`change.level is Level.INFO`), outside the rule table and the adjustment steps.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "diff"))

from diffpairs import case_options, diff_case, iter_sides, load_pairs  # noqa: E402
from spec_corpus import CASES as SPEC_CASES  # noqa: E402

from contractkit.diff import RULES, Change, diff_any  # noqa: E402
from contractkit.diff.levels import DEFAULT_SOURCE, Level  # noqa: E402

DIFF = ROOT / "src" / "contractkit" / "diff"
TABLE = {"rules.py", "levels.py"}  # the rule table and the levels themselves
ADJUSTMENT_STEPS = {("rules.py", "apply_levels"), ("lifecycle.py", "relax_unstable")}
LEVEL_NAMES = {member.name for member in Level}


def _corpus_changes() -> Iterator[tuple[str, Change]]:
    """Every change of the pair suite (tests/diff/pairs) and of the specification corpus, with the pair's name."""
    for case in load_pairs():
        for side in iter_sides(case):
            yield from ((f"{case['name']} [{side}]", change) for change in diff_case(case, side).changes)
    for case in SPEC_CASES:
        if not case.get("refused"):
            result = diff_any(case["old"], case["new"], old_name="old", new_name="new", options=case_options({}))
            yield from ((case["id"], change) for change in result.changes)


def test_every_level_other_than_the_default_names_its_source() -> None:
    offenders, total = [], 0
    for name, change in _corpus_changes():
        total += 1
        if change.level is not RULES[change.rule].level and change.level_source == DEFAULT_SOURCE:
            offenders.append(f"{name}: {change.rule} is {change.level}, its default is {RULES[change.rule].level}")
    assert total > 700
    assert offenders == []


def test_a_change_carries_no_level_of_its_own() -> None:
    """The level is the rule's default or an adjustment's: a change has no level field to set at emission."""
    assert "level" not in {field.name for field in fields(Change)}
    assert {"rule", "adjustment"} <= {field.name for field in fields(Change)}


def _level_aliases(tree: ast.Module) -> set[str]:
    """Names bound to a level member (`B, W, I = Level.BREAKING, ...`)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _is_level(node.value, set()):
            found |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
            for target in node.targets:
                if isinstance(target, ast.Tuple):
                    found |= {
                        t.id
                        for t, v in zip(target.elts, node.value.elts, strict=False)
                        if isinstance(t, ast.Name) and _is_level(v, set())
                    }
    return found


def _is_level(node: ast.AST, aliases: set[str]) -> bool:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id == "Level" and node.attr in LEVEL_NAMES
    return isinstance(node, ast.Name) and node.id in aliases and isinstance(node.ctx, ast.Load)


def _parents(tree: ast.Module) -> dict[int, ast.AST]:
    return {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _enclosing_function(node: ast.AST, parents: dict[int, ast.AST]) -> str:
    current = parents.get(id(node))
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
        current = parents.get(id(current))
    return current.name if current is not None else ""


def test_no_emission_site_decides_a_level() -> None:
    """A level literal in diff/ is read (compared), never passed to a constructor, returned or stored in a table,
    except in the rule table and the adjustment steps; an `Adjustment` is made only by an adjustment step."""
    offenders = []
    for path in sorted(DIFF.glob("*.py")):
        if path.name in TABLE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases, parents = _level_aliases(tree), _parents(tree)
        for node in ast.walk(tree):
            step = (path.name, _enclosing_function(node, parents)) in ADJUSTMENT_STEPS
            if _is_level(node, aliases) and not isinstance(parents.get(id(node)), ast.Compare) and not step:
                offenders.append(f"diff/{path.name}:{node.lineno}: a level literal outside a comparison")
            callee = getattr(node, "func", None)
            name = getattr(callee, "id", getattr(callee, "attr", ""))
            if isinstance(node, ast.Call) and name == "Adjustment" and not step:
                offenders.append(f"diff/{path.name}:{node.lineno}: an adjustment made outside the adjustment steps")
    assert offenders == [], "name a rule (add one to diff/rules.py for a variant) instead: " + "; ".join(offenders)
