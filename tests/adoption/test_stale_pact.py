"""When a consumer contract fails in `contracts run`, the pact on disk was not rewritten: it no longer is the
contract, so its verification is not shown as PASSED in any format; it is skipped, saying why."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_a_failed_consumer_contract_leaves_no_passed_verdict_on_its_stale_pact(tmp_path: Path, run_cli) -> None:
    for name in ("registry.yaml", "pacts", "schemas", "contracts", "cassettes", "examples"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, tmp_path / name)
    contract = tmp_path / "contracts" / "inventory.yaml"
    # an example the provider's description refuses: the consumer contract fails, the old pact stays on disk
    contract.write_text(contract.read_text().replace("quantity: {$integer: 3}", "quantity: {$like: three}", 1))
    before = (tmp_path / "pacts" / "devctl-inventory.json").read_bytes()
    code, out, _ = run_cli(
        "run", "--registry", str(tmp_path / "registry.yaml"), "--provider", "inventory", "--format", "json"
    )
    assert code == 1
    rows = json.loads(out)["results"]
    assert any(row["check"] == "consumer" and row["status"] == "failed" for row in rows)
    assert (tmp_path / "pacts" / "devctl-inventory.json").read_bytes() == before
    stale = [row for row in rows if row["check"] in ("pact", "pact-openapi") and row["status"] != "failed"]
    assert stale and all(row["status"] == "skipped" and "the pact on disk is stale" in row["message"] for row in stale)
    code, text, _ = run_cli("run", "--registry", str(tmp_path / "registry.yaml"), "--provider", "inventory")
    assert "PASSED [pact]" not in text and "SKIPPED [pact] inventory" in text
