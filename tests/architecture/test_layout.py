"""The package shows its architecture: no import cycles, no private name crossing a module, no module over
800 lines, no function-local import of the package except where laziness is the point (the CLI and the pytest
plugin import engines on use so `contracts --help` and every pytest run stay fast)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "contractkit"
LAZY_BY_DESIGN = ("cli", "plugin")
MAX_LINES = 800  # 600 at 150 columns; the same code formatted at 120 columns runs about a third longer


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, *, local: bool) -> list[tuple[str, list[str], int]]:
    """(module, names, line) of every `from contractkit... import` at module level or (local=True) in a function."""
    tree = ast.parse(path.read_text())
    out = []

    def visit(node: ast.AST, in_function: bool, in_type_checking: bool) -> None:
        for child in ast.iter_child_nodes(node):
            function = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            checking = in_type_checking or (isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test))
            if isinstance(child, ast.ImportFrom) and (child.module or "").startswith("contractkit") and not checking:
                if function == local:
                    out.append((child.module or "", [alias.name for alias in child.names], child.lineno))
            visit(child, function, checking)

    visit(tree, False, False)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for local in (False, True):
            for module, names, _ in _imports(path, local=local):
                targets = [f"{module}.{n}" for n in names if f"{module}.{n}" in modules] or [module]
                for target in targets:
                    # importing a package runs its __init__, which imports its modules
                    graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], [0]

    def connect(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in list(graph):
        if node not in index:
            connect(node)
    return result


def _package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def test_no_import_cycle_between_subpackages():
    graph = _graph()
    packages: dict[str, set[str]] = defaultdict(set)
    for module, targets in graph.items():
        for target in targets:
            if _package_of(module) != _package_of(target) and target != "contractkit":
                packages[_package_of(module)].add(_package_of(target))
    assert _cycles(packages) == []


def test_no_import_cycle_between_modules():
    graph = {
        module: {t for t in targets if not _modules()[t].name == "__init__.py"} if False else targets
        for module, targets in _graph().items()
    }
    inner = {
        m: {t for t in ts if t != m and _package_of(t) == _package_of(m) and not t.endswith(_package_of(m))}
        for m, ts in graph.items()
    }
    assert _cycles(inner) == []


def test_no_private_name_crosses_a_module():
    crossings = [
        f"{path.relative_to(PACKAGE)}:{line} {module}.{name}"
        for path in _modules().values()
        for local in (False, True)
        for module, names, line in _imports(path, local=local)
        for name in names
        if name.startswith("_") and name != "__version__"
    ]
    assert crossings == []


def test_function_local_imports_only_where_laziness_is_the_point():
    local = [
        f"{path.relative_to(PACKAGE)}:{line} {module}"
        for name, path in _modules().items()
        if not any(part in LAZY_BY_DESIGN for part in name.split("."))
        for module, _names, line in _imports(path, local=True)
    ]
    assert local == []


def test_no_module_over_800_lines():
    long = {
        str(path.relative_to(PACKAGE)): count
        for path in _modules().values()
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_subpackage_names_its_public_api():
    missing = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.glob("*/__init__.py")
        if "__all__" not in path.read_text() and path.parent.name not in ("data",)
    ]
    assert missing == []
