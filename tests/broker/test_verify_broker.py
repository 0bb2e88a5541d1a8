"""`contracts verify --broker`: the pacts the broker selects are verified against the provider's recordings; a
pending pact's failure is reported but does not fail, a pact that is not pending fails; results are published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.broker.mockbroker import OURS, pick, serve

REPO = Path(__file__).resolve().parents[2]
INDEX = (
    "a request for the index resource",
    "the pb:provider-pacts-for-verification and pb:pacticipant-branch-version relations exist in the index resource",
)
PENDING = "a pending pact of billing for grafana exists on billing's main branch"
NOT_PENDING = "a pact of billing for grafana, verified before by grafana's main branch, exists"


def _served(state: str) -> list[dict]:
    return pick(
        OURS,
        INDEX,
        ("a request for the pacts for verification", state),
        ("a request for a pact to verify", state),
        ("a request to record the branch of a provider version", state),
        ("a request to publish a failed verification result", state),
    )


def _verify(run_cli, url: str, output: Path) -> tuple[int, str]:
    code, _, err = run_cli(
        "verify", "--registry", str(REPO / "registry.yaml"), "--provider", "grafana", "--broker", url,
        "--enable-pending", "--include-wip-pacts-since", "2026-01-01", "--provider-version", "1.0.0",
        "--provider-branch", "main", "--record-results", "--format", "json", "-o", str(output),
    )  # fmt: skip
    return code, err


def _billing(output: Path) -> list[dict]:
    return [r for r in json.loads(output.read_text())["results"] if r.get("consumer") == "billing"]


@pytest.mark.parametrize(("state", "code", "status"), [(PENDING, 0, "skipped"), (NOT_PENDING, 1, "failed")])
def test_a_pending_pacts_failure_does_not_fail_and_another_does(
    tmp_path: Path, run_cli, state: str, code: int, status: str
) -> None:
    output = tmp_path / "verify.json"
    with serve(_served(state)) as url:
        exit_code, err = _verify(run_cli, url, output)
    assert exit_code == code, err
    replayed = [r for r in _billing(output) if r["check"] == "pact"]
    assert replayed and {r["status"] for r in replayed} == {status}
    assert all(r["findings"] for r in replayed)  # the failure is reported either way
    assert all(r["pending"] is (state == PENDING) for r in replayed)
    assert "broker: verifying latest from billing's main branch" in err
    assert ("a failure will not affect the build result" in err) is (state == PENDING)
    assert "broker: published the verification of latest from billing's main branch by grafana 1.0.0" in err
    # our own consumer's pact is verified too, and holds
    ours = json.loads(output.read_text())["results"]
    assert any(r.get("consumer") == "devctl" and r["status"] == "passed" for r in ours)
