"""Engines see a provider through its context: settings are typed fields read in one place, verification builds one
router per provider and command, and the Pact core's errors reach the report instead of being swallowed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from contractkit.core import routing

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "contractkit"
REPO = PACKAGE.parents[1]
SETTINGS_HOMES = ("core/settings.py", "registry/context.py")  # the typed settings and the context that hands them out
ROUTER_BUILDERS = ("provider_router", "OperationRouter")
ROUTER_USERS = ("InteractionIndex", "ReplayServer")  # they build a router of their own unless given the command's


def _trees(folder: Path = PACKAGE) -> list[tuple[str, ast.AST]]:
    return [
        (str(path.relative_to(PACKAGE)), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(folder.rglob("*.py"))
    ]


def _is_settings(node: ast.AST) -> bool:
    """`settings`, `x.settings`, `provider.settings.fuzz`: an expression that names settings."""
    return (isinstance(node, ast.Attribute) and node.attr == "settings") or (
        isinstance(node, ast.Name) and node.id == "settings"
    )


def _raw_reads(tree: ast.AST) -> list[int]:
    """Lines of `<...>.settings.get(...)` and `<...>.settings[...]`: settings read as a raw dict."""
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and _is_settings(node.func.value)
        ):
            lines.append(node.lineno)
        elif isinstance(node, ast.Subscript) and _is_settings(node.value):
            lines.append(node.lineno)
    return lines


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def test_no_engine_reads_settings_as_a_raw_dict():
    reads = [f"{name}:{line}" for name, tree in _trees() if name not in SETTINGS_HOMES for line in _raw_reads(tree)]
    assert reads == [], "read the typed fields of core/settings.py (provider.settings.fuzz.seed), not the YAML's dict"


def test_the_check_itself_sees_a_raw_read():
    tree = ast.parse("def f(provider, settings):\n    a = provider.settings.get('fuzz')\n    b = settings['seed']\n")
    assert _raw_reads(tree) == [2, 3]


def _verify_calls() -> list[tuple[str, str, ast.Call, bool]]:
    """(module, enclosing function, call, inside a loop or comprehension) for every call in verify/."""
    found = []

    def visit(node: ast.AST, module: str, function: str, looping: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner_function = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            inner_loop = looping or isinstance(
                child,
                (
                    ast.For,
                    ast.While,
                    ast.comprehension,
                    ast.ListComp,
                    ast.SetComp,
                    ast.DictComp,
                    ast.GeneratorExp,
                    ast.Lambda,
                ),
            )
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner_loop = False
            if isinstance(child, ast.Call):
                found.append((module, function, child, looping))
            visit(child, module, inner_function, inner_loop)

    for module, tree in _trees(PACKAGE / "verify"):
        visit(tree, module, "", False)
    return found


def test_verification_builds_no_router_per_interaction():
    built = [
        f"{module}:{call.lineno} {function}"
        for module, function, call, looping in _verify_calls()
        if _name(call) in ROUTER_BUILDERS and (looping or function != "operation_for")
    ]
    assert built == [], "take the provider's router from its context (context.router), built once per command"
    unshared = [
        f"{module}:{call.lineno} {_name(call)}"
        for module, _, call, _ in _verify_calls()
        if _name(call) in ROUTER_USERS and not any(keyword.arg == "router" for keyword in call.keywords)
    ]
    assert unshared == [], "pass router=context.router, or the replay index builds a router of its own"


def _swallowing_handlers(tree: ast.AST) -> list[int]:
    """Lines of `except ...: pass` (or `...`), and of handlers of RuntimeError that do not keep the error."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ExceptHandler):
            continue
        only_pass = all(
            isinstance(statement, ast.Pass)
            or (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))
            for statement in node.body
        )
        catches_runtime = node.type is not None and "RuntimeError" in ast.unparse(node.type)
        uses_error = node.name is not None and any(
            isinstance(inner, ast.Name) and inner.id == node.name
            for statement in node.body
            for inner in ast.walk(statement)
        )
        if only_pass or (catches_runtime and not uses_error):
            lines.append(node.lineno)
    return lines


def test_verification_swallows_no_error_of_the_pact_core():
    swallowed = [
        f"{module}:{line}" for module, tree in _trees(PACKAGE / "verify") for line in _swallowing_handlers(tree)
    ]
    assert swallowed == [], "report the core's error as a finding with its message; never `except RuntimeError: pass`"


def test_the_check_itself_sees_a_swallowed_error():
    tree = ast.parse(
        "try:\n    f()\nexcept RuntimeError:\n    pass\ntry:\n    f()\nexcept RuntimeError as exc:\n"
        "    g()\ntry:\n    f()\nexcept RuntimeError as exc:\n    g(exc)\n"
    )
    assert _swallowing_handlers(tree) == [3, 7]


@pytest.fixture
def routers_built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the operation routers built while the test runs."""
    built: list[int] = []
    original = routing.OperationRouter.__init__

    def counting(self: routing.OperationRouter, *args: object, **kwargs: object) -> None:
        built.append(1)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(routing.OperationRouter, "__init__", counting)
    return built


def test_one_verify_builds_one_router_per_provider(routers_built, run_cli, tmp_path):
    code, _, err = run_cli(
        "verify",
        "--registry",
        str(REPO / "registry.yaml"),
        "--provider",
        "grafana",
        "--format",
        "json",
        "-o",
        str(tmp_path / "report.json"),
    )
    assert code == 0, err
    assert len(routers_built) == 1  # it was 5: one per replay server and one per result batch, per state group


def test_an_error_of_the_pact_core_is_a_finding_with_its_message(run_cli, tmp_path, monkeypatch):
    import json

    from pact import Verifier

    def failing(self: Verifier) -> Verifier:
        raise RuntimeError("the core could not load the pact")

    monkeypatch.setattr(Verifier, "verify", failing)  # pact-python's core, not ours: the one way to make it fail
    output = tmp_path / "report.json"
    code, _, err = run_cli(
        "verify",
        "--registry",
        str(REPO / "registry.yaml"),
        "--provider",
        "grafana",
        "--format",
        "json",
        "-o",
        str(output),
    )
    assert code == 1, err
    pact_rows = [row for row in json.loads(output.read_text())["results"] if row["check"] == "pact"]
    assert pact_rows and all(row["status"] == "failed" for row in pact_rows)
    assert {(finding["code"], finding["message"]) for row in pact_rows for finding in row["findings"]} == {
        ("CK422", "the Pact core reported no result for this interaction: the core could not load the pact")
    }
