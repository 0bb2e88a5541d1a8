"""The layers, as the imports give them: a subpackage imports only subpackages of a lower layer, never one of its
own layer (subpackages side by side are independent of each other) and never one above. Every import counts:
module-level, function-local (the CLI's and the plugin's lazy ones) and type-only.

The order is written once, here; docs/architecture.md's "Layers" block draws the same order, top layer first."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "contractkit"

# Bottom first. A subpackage may import any subpackage of a lower layer.
LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(layer.split())
    for layer in (
        "core",  # errors, the model, loading, files, HTTP helpers, the router, codes, settings
        "openapi aws runtime",  # descriptions; botocore's models; providers' own processes
        "pact",  # the pact reader and the Pact core's matching (uses both description formats)
        "cassettes",  # recorded interactions and their replay server
        "validation secrets",  # responses held to descriptions; the secret detector and scrubbing
        "compat",  # a consumer's pact against a description
        "consumer diff",  # contract files -> pacts; descriptions compared, the gate, the spec watch
        "registry",  # registry.yaml: loader, lint (over every format), inventory, provider context
        "recording verify fuzz broker",  # engines over a provider; the Pact Broker and can-i-deploy
        "reports",  # every renderer
        "scaffold",  # init and provider add
        "cli plugin",  # adapters
    )
)
LAYER_OF = {package: level for level, layer in enumerate(LAYERS) for package in layer}


def _subpackages() -> set[str]:
    return {path.parent.name for path in PACKAGE.glob("*/__init__.py") if path.parent.name != "data"}


def _imports() -> Iterator[tuple[str, str, str]]:
    """(importing subpackage, imported subpackage, file:line) for every import of one subpackage by another."""
    for path in sorted(PACKAGE.glob("*/**/*.py")):
        own = path.relative_to(PACKAGE).parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                # `from contractkit import validation` imports the subpackage it names (`__version__` is no layer)
                modules = (
                    [f"contractkit.{alias.name}" for alias in node.names if (PACKAGE / alias.name).is_dir()]
                    if node.module == "contractkit"
                    else [node.module]
                )
            for module in modules:
                parts = module.split(".")
                if parts[0] == "contractkit" and len(parts) > 1 and parts[1] != own:
                    yield own, parts[1], f"{path.relative_to(PACKAGE)}:{node.lineno}"


def test_every_subpackage_has_one_layer():
    listed = [package for layer in LAYERS for package in layer]
    assert sorted(listed) == sorted(_subpackages())


def test_no_package_module_outside_a_subpackage():
    assert sorted(path.name for path in PACKAGE.glob("*.py")) == ["__init__.py"]


def test_imports_point_down_the_layers():
    upward = [
        f"{where}: {importer} (layer {LAYER_OF[importer]}) imports {imported} (layer {LAYER_OF[imported]})"
        for importer, imported, where in _imports()
        if LAYER_OF[imported] >= LAYER_OF[importer]
    ]
    assert upward == []


def test_the_documented_layers_are_these():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = text.split("## Layers", 1)[1].split("```", 2)[1]
    drawn = [
        frozenset(name.rstrip("/") for name in re.split(r"\s{3,}", line.strip())[0].split())
        for line in block.strip("\n").splitlines()
    ]
    assert drawn == list(reversed(LAYERS))
