"""Helpers for fuzzing tests: the inventory example provider on a loopback thread, and registries under tmp_path."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

REPO = Path(__file__).resolve().parents[2]
INVENTORY = REPO / "examples" / "inventory"
DATA = REPO / "tests" / "data" / "fuzzing"


def load_inventory_module() -> Any:
    """examples/inventory/app.py under a name of its own (it is not a package)."""
    name = "contractkit_example_inventory"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, INVENTORY / "app.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@dataclass
class RunningProvider:
    """A provider serving on 127.0.0.1, with the methods of the requests it received."""

    url: str
    methods: Counter[str] = field(default_factory=Counter)


def inventory_registry(
    tmp_path: Path,
    *,
    third_party: bool = False,
    auth: str = "{scheme: none}",
    fuzz: str = "{max_examples: 15, seed: 20261122}",
    process: str | None = None,
    name: str = "inventory",
) -> Path:
    """A registry under tmp_path for the inventory description, error schema and pacts in examples/inventory."""
    pacts = tmp_path / "pacts"
    pacts.mkdir(exist_ok=True)
    source = (INVENTORY / "pacts" / "shopfront-inventory.json").read_text(encoding="utf-8")
    (pacts / f"shopfront-{name}.json").write_text(source, encoding="utf-8")
    lines = [
        "version: 1",
        "consumer: shopfront",
        "pacts: pacts",
        "providers:",
        f"  {name}:",
        "    base_url: http://127.0.0.1:9/",
        f"    third_party: {str(third_party).lower()}",
        f"    auth: {auth}",
        f"    spec: {INVENTORY / 'openapi.json'}",
        f"    error_schema: {INVENTORY / 'error.schema.json'}",
        f"    fuzz: {fuzz}",
    ]
    if process:
        lines.append(f"    process: {process}")
    lines += [
        "    operations:",
        "      list_items: {method: GET, path: /items, safe: true}",
        "      get_item: {method: GET, path: '/items/{item_id}', safe: true}",
        "      create_item: {method: POST, path: /items, safe: false}",
    ]
    path = tmp_path / "registry.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
