"""The pytest plugin, seen from a user's pytest run: lazy import, the contract fixture, pacts, xdist."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HEAVY = (
    "pact",
    "pact_ffi",
    "boto3",
    "botocore",
    "requests",
    "jsonschema",
    "yaml",
    "contractkit.consumer",
    "contractkit.registry",
    "contractkit.consumer.contractfile",
    "contractkit.validation",
)


def run_pytest(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PACT_DO_NOT_TRACK": "true"}
    env.pop("PYTEST_XDIST_WORKER", None)
    env.pop("PYTEST_ADDOPTS", None)
    # other installed plugins (schemathesis, hypothesis, benchmark, anyio) only slow each process down here
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
        "-q",
    ]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *quiet, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_importing_the_plugin_loads_no_engine():
    code = f"import sys, contractkit.plugin; print([name for name in {HEAVY!r} if name in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[]"


USER_TESTS = """\
import json
import urllib.request

import pytest


def fetch(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


@pytest.mark.contract("stock", "get_item")
def test_item_from_marker(contract):
    with contract() as server:
        assert fetch(server.url + "/items/A1", "t0k3n")["count"] == 3


def test_unknown_operation_is_reported_without_a_traceback(contract):
    with contract("stock", "remove_item"):
        pass


def test_wrong_request_fails_the_test(contract):
    with contract("stock", "list_items") as server:
        try:
            fetch(server.url + "/items?page=2", "t0k3n")
        except Exception:
            pass
"""

CONTRACT = """\
provider: stock
interactions:
  - operation: get_item
    description: the item A1
    request:
      path_params: {id: A1}
      headers: {Authorization: {$regex: '^Bearer \\S+$', example: Bearer example}}
    response: {status: 200, body: {id: A1, count: {$integer: 3}}}
  - operation: list_items
    description: the first page of items
    request: {query: {page: "1"}}
    response: {status: 200, body: []}
"""


def test_contract_fixture_serves_checks_and_writes_the_pact(project):
    project.write(CONTRACT)
    (project.root / "test_user.py").write_text(USER_TESTS, encoding="utf-8")
    pacts = project.root / "out"
    result = run_pytest(project.root, "--contracts-registry", "registry.yaml", "--contracts-pacts", str(pacts))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 failed, 1 passed" in result.stdout
    assert "the consumer's requests do not satisfy the contract of stock list_items" in result.stdout
    assert (
        "\ncontractkit: provider 'stock' has no operation 'remove_item' (known: add_item, get_item, list_items)\n"
        in result.stdout
    )
    assert "During handling" not in result.stdout
    # only the interaction the consumer really exercised (and matched) reaches the pact
    pact = json.loads((pacts / "shop-stock.json").read_text(encoding="utf-8"))
    assert [i["description"] for i in pact["interactions"]] == ["the item A1"]
    assert pact["interactions"][0]["request"]["headers"] == {"Authorization": ["Bearer example"]}


@pytest.mark.skipif(not (REPO / "tests" / "contracts").is_dir(), reason="the example contract suite is absent")
def test_xdist_run_writes_the_same_pacts_as_a_serial_run(tmp_path):
    pytest.importorskip("xdist")
    # two providers, one of them AWS with eight operations: enough for both workers to write fragments
    selection = ["tests/contracts/test_grafana.py", "tests/contracts/test_aws.py"]
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    first = run_pytest(REPO, *selection, "--contracts-pacts", str(serial), "-p", "no:xdist")
    second = run_pytest(REPO, *selection, "--contracts-pacts", str(parallel), "-n", "2")
    assert first.returncode == 0, first.stdout + first.stderr
    assert second.returncode == 0, second.stdout + second.stderr
    written = sorted(path.name for path in serial.iterdir())
    assert written == ["devctl-aws.json", "devctl-grafana.json"]
    assert sorted(path.name for path in parallel.iterdir()) == written
    for name in written:
        assert (parallel / name).read_bytes() == (serial / name).read_bytes(), name
    interactions = json.loads((serial / "devctl-aws.json").read_text(encoding="utf-8"))["interactions"]
    assert len(interactions) == 8
