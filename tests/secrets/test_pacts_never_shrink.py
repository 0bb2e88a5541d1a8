"""The pytest plugin never shrinks a committed pact: a run that exercised a subset keeps the other interactions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_pytest(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PACT_DO_NOT_TRACK": "true"}
    env.pop("PYTEST_XDIST_WORKER", None)
    env.pop("PYTEST_ADDOPTS", None)
    quiet = [
        "-p",
        "no:cacheprovider",
        "-p",
        "no:schemathesis",
        "-p",
        "no:hypothesispytest",
        "-p",
        "no:benchmark",
        "-p",
        "no:anyio",
        "-p",
        "no:xdist",
        "-q",
    ]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *quiet, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.skipif(not (REPO / "tests" / "contracts").is_dir(), reason="the example contract suite is absent")
def test_a_k_selected_run_leaves_the_committed_pact_intact(tmp_path: Path) -> None:
    pacts = tmp_path / "pacts"
    shutil.copytree(REPO / "pacts", pacts)
    before = (pacts / "devctl-grafana.json").read_bytes()
    result = run_pytest(REPO, "tests/contracts", "-k", "grafana and search", "--contracts-pacts", str(pacts))
    assert result.returncode == 0, result.stdout + result.stderr
    interactions = json.loads(before)["interactions"]
    assert len(interactions) > 3  # the selection below ran only some of them
    assert (pacts / "devctl-grafana.json").read_bytes() == before
    assert "kept from the pact on disk (not run this time)" in result.stdout


STOCK_REGISTRY = """\
version: 1
consumer: shop
providers:
  stock:
    base_url: http://127.0.0.1:9/v1
    auth: {scheme: none}
    contract: contracts/stock.yaml
    operations:
      list_items: {method: GET, path: /items, safe: true}
      get_item: {method: GET, path: "/items/{id}", safe: true}
"""

STOCK_CONTRACT = """\
provider: stock
interactions:
  - operation: get_item
    description: the item A1
    request: {path_params: {id: A1}}
    response: {status: 200, body: {id: A1, count: {$integer: 3}}}
  - operation: list_items
    description: the first page of items
    request: {query: {page: "1"}}
    response: {status: 200, body: []}
"""

STOCK_TESTS = """\
import json
import urllib.request


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.loads(answer.read())


def test_item(contract):
    with contract("stock", "get_item") as server:
        assert fetch(server.url + "/items/A1")["count"] == 3


def test_list(contract):
    with contract("stock", "list_items") as server:
        assert fetch(server.url + "/items?page=1") == []
"""


def _stock_project(root: Path) -> Path:
    (root / "contracts").mkdir(parents=True)
    (root / "registry.yaml").write_text(STOCK_REGISTRY, encoding="utf-8")
    (root / "contracts" / "stock.yaml").write_text(STOCK_CONTRACT, encoding="utf-8")
    (root / "test_stock.py").write_text(STOCK_TESTS, encoding="utf-8")
    return root / "pacts" / "shop-stock.json"


def _descriptions(path: Path) -> list[str]:
    return [item["description"] for item in json.loads(path.read_text(encoding="utf-8"))["interactions"]]


def test_one_test_keeps_the_other_and_a_full_run_drops_what_the_contract_lost(tmp_path: Path) -> None:
    pact = _stock_project(tmp_path)
    full = run_pytest(tmp_path, "--contracts-registry", "registry.yaml")
    assert full.returncode == 0, full.stdout + full.stderr
    assert _descriptions(pact) == ["the first page of items", "the item A1"]
    complete = pact.read_bytes()

    one = run_pytest(tmp_path, "--contracts-registry", "registry.yaml", "test_stock.py::test_item")
    assert one.returncode == 0, one.stdout + one.stderr
    assert pact.read_bytes() == complete
    assert "1 interaction(s) from this run, 1 kept from the pact on disk" in one.stdout

    # the list interaction leaves the contract (and its test goes): the next run removes it from the pact
    (tmp_path / "contracts" / "stock.yaml").write_text(
        STOCK_CONTRACT.split("  - operation: list_items")[0], encoding="utf-8"
    )
    (tmp_path / "test_stock.py").write_text(STOCK_TESTS.split("def test_list")[0], encoding="utf-8")
    again = run_pytest(tmp_path, "--contracts-registry", "registry.yaml")
    assert again.returncode == 0, again.stdout + again.stderr
    assert _descriptions(pact) == ["the item A1"]
    assert "1 dropped (no longer in the contract)" in again.stdout


def test_an_unreadable_pact_on_disk_is_never_replaced_by_a_partial_one(tmp_path: Path) -> None:
    pact = _stock_project(tmp_path)
    pact.parent.mkdir()
    pact.write_text("{ not json", encoding="utf-8")
    result = run_pytest(tmp_path, "--contracts-registry", "registry.yaml", "test_stock.py::test_item")
    assert pact.read_text(encoding="utf-8") == "{ not json"
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert f"contractkit: no pact written: {pact}: cannot read the pact to merge into" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
