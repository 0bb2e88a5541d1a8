"""Helpers for the consumer-side tests: small registries and contracts written into tmp_path."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
REPO = Path(__file__).resolve().parents[2]

REGISTRY = """\
version: 1
consumer: shop
providers:
  stock:
    base_url: http://127.0.0.1:9/v1
    auth: {scheme: bearer, env: STOCK_TOKEN}
    contract: contracts/stock.yaml
    operations:
      list_items: {method: GET, path: /items, safe: true}
      get_item: {method: GET, path: "/items/{id}", safe: true}
      add_item: {method: POST, path: /items, safe: false}
"""

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "stock", "version": "1"},
    "paths": {
        "/items/{id}": {
            "get": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "an item",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["id", "count"],
                                    "properties": {
                                        "id": {"type": "string"},
                                        "count": {"type": "integer", "minimum": 0},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        },
    },
}


class Project:
    """A registry and its contract file in a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.registry = root / "registry.yaml"
        self.contract = root / "contracts" / "stock.yaml"
        self.pacts = root / "pacts"

    def write(self, contract: str, registry: str = REGISTRY, spec: bool = False) -> "Project":
        if spec:
            registry = registry.replace(
                "    contract: contracts/stock.yaml\n",
                "    contract: contracts/stock.yaml\n    spec: schemas/stock/openapi.json\n",
            )
            (self.root / "schemas" / "stock").mkdir(parents=True, exist_ok=True)
            (self.root / "schemas" / "stock" / "openapi.json").write_text(json.dumps(SPEC), encoding="utf-8")
        self.registry.write_text(registry, encoding="utf-8")
        self.contract.parent.mkdir(parents=True, exist_ok=True)
        self.contract.write_text(textwrap.dedent(contract), encoding="utf-8")
        return self

    def pact(self) -> dict:
        return json.loads((self.pacts / "shop-stock.json").read_text(encoding="utf-8"))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(tmp_path)  # messages name files relative to the working folder
    return Project(tmp_path)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """Run `contracts ...` in-process; returns exit code, stdout, stderr."""
    from contractkit.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
