"""One JSON entry point with the nesting guard on every path: no module parses JSON but core/loading, and a YAML
loader runs only where the text has been through the nesting check (read_text or check_nesting) first."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "contractkit"
PARSER = PACKAGE / "core" / "loading.py"
# where yaml.load runs on text the module has checked: the file came through read_text, or check_nesting ran
YAML_CHECKED = {
    "cassettes/model.py": "read_text",
    "validation/sources.py": "check_nesting",
    "diff/sources.py": "check_nesting",
}


def _calls(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
        ):
            found.append((f"{node.func.value.id}.{node.func.attr}", node.lineno))
    return found


def test_json_is_parsed_only_by_the_one_guarded_parser() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line}: {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PARSER
        for name, line in _calls(path)
        if name in ("json.loads", "json.load", "orjson.loads")
    ]
    assert offenders == [], "parse JSON with core.loading.parse_json_value / parse_json instead: " + "; ".join(
        offenders
    )


def test_yaml_is_loaded_only_after_the_nesting_check() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PARSER:
            continue
        relative = str(path.relative_to(PACKAGE))
        loads = [line for name, line in _calls(path) if name in ("yaml.load", "yaml.safe_load", "yaml.full_load")]
        guard = YAML_CHECKED.get(relative)
        if loads and (guard is None or guard not in path.read_text(encoding="utf-8")):
            offenders.append(f"{relative}:{loads[0]}")
    assert offenders == [], "a YAML loader on text not checked for nesting: " + "; ".join(offenders)
