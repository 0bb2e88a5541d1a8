"""The broker commands against a real Pact Broker, when one runs (see tests/broker/PROVENANCE.md for its container
image): skipped unless CONTRACTS_TEST_BROKER_URL names it. Credentials, if the broker needs them, come from
PACT_BROKER_TOKEN or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest

LIVE = os.environ.get("CONTRACTS_TEST_BROKER_URL")
pytestmark = pytest.mark.skipif(not LIVE, reason="CONTRACTS_TEST_BROKER_URL is not set: no live Pact Broker here")
CREDENTIALS = {
    name: os.environ.get(name, "") for name in ("PACT_BROKER_TOKEN", "PACT_BROKER_USERNAME", "PACT_BROKER_PASSWORD")
}


def test_publish_deploy_and_ask_a_live_broker(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in CREDENTIALS.items():
        if value:
            monkeypatch.setenv(name, value)
    run = uuid.uuid4().hex[:8]
    consumer, provider, environment = f"ck-web-{run}", f"ck-api-{run}", f"ck-env-{run}"
    pact = {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [{"description": "a ping", "request": {"method": "GET", "path": "/ping"},
                          "response": {"status": 200}}],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }  # fmt: skip
    (tmp_path / "pact.json").write_text(json.dumps(pact))
    broker = ("--broker", LIVE)
    assert run_cli("broker", "publish", str(tmp_path / "pact.json"), *broker, "--consumer-app-version", "c1",
                   "--branch", "main")[0] == 0  # fmt: skip
    assert run_cli("broker", "create-environment", *broker, "--name", environment)[0] == 0
    code, out, _ = run_cli("broker", "environments", *broker)
    assert code == 0 and environment in out
    assert run_cli("record-deployment", *broker, "--pacticipant", consumer, "--version", "c1",
                   "--environment", environment)[0] == 0  # fmt: skip
    # nothing verified the consumer's pact yet: the provider cannot go where the consumer is
    code, out, _ = run_cli("can-i-deploy", *broker, "--pacticipant", provider, "--version", "p1",
                           "--to-environment", environment)  # fmt: skip
    assert code == 1, out
    from contractkit.broker import BrokerClient, BrokerSettings, fetch_pacts_for_verification

    client = BrokerClient(BrokerSettings.from_environ(LIVE, os.environ))
    pacts = fetch_pacts_for_verification(client, provider, selectors=[{"mainBranch": True}], include_pending=True)
    assert [p.consumer for p in pacts] == [consumer] and pacts[0].pending
