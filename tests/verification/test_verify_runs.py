"""A large pact is verified in several Verifier runs: every interaction keeps its own verdict, in pact order, and
provider states set up by callables are put in place once per interaction through the replay server."""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

from verification_support import write_cassette, write_registry

from contractkit.cassettes import ReplayServer
from contractkit.core.model import Status
from contractkit.registry import ProviderContext, load_registry
from contractkit.verify import verify_pacts
from contractkit.verify.core import SHARD_SIZE, is_plain_loopback

BASE = "http://127.0.0.1:3000"
COUNT = 2 * SHARD_SIZE + 7  # three runs, the last one short


def _body(index: int, *, broken: bool = False) -> dict[str, Any]:
    version: Any = f"v{index}" if broken else index
    return {"dashboard": {"uid": f"d{index}", "title": f"Dashboard {index}"}, "meta": {"version": version}}


def _interaction(index: int, with_state: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": "Synchronous/HTTP",
        "description": f"get dashboard {index}",
        "request": {"method": "GET", "path": f"/api/dashboards/uid/d{index}"},
        "response": {
            "status": 200,
            "headers": {"Content-Type": ["application/json"]},
            "body": {"content": _body(index), "contentType": "application/json", "encoded": False},
            "matchingRules": {"body": {"$.meta.version": {"combine": "AND", "matchers": [{"match": "integer"}]}}},
        },
    }
    if with_state:
        item["providerStates"] = [{"name": "dashboards exist", "params": {"uid": f"d{index}"}}]
    return item


def _project(root: Path, *, broken: set[int], states: str = "", with_state: bool = False) -> Path:
    registry = write_registry(root, extra_provider=states)
    (root / "pacts").mkdir()
    pact = {
        "consumer": {"name": "devctl"},
        "provider": {"name": "grafana"},
        "interactions": [_interaction(index, with_state) for index in range(COUNT)],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }
    (root / "pacts" / "devctl-grafana.json").write_text(json.dumps(pact))
    recorded = [
        ("GET", f"{BASE}/api/dashboards/uid/d{index}", 200, _body(index, broken=index in broken))
        for index in range(COUNT)
    ]
    write_cassette(root / "cassettes" / "grafana", "get_dashboard", *recorded)
    return registry


def _verify(registry_path: Path):
    registry = load_registry(registry_path)
    return verify_pacts(ProviderContext(registry, registry.provider("grafana")))


def test_every_interaction_of_a_pact_verified_in_several_runs_keeps_its_verdict_in_order(tmp_path: Path):
    broken = {3, SHARD_SIZE, SHARD_SIZE + 1, COUNT - 1}  # failures in every run, at their edges too

    results = _verify(_project(tmp_path, broken=broken))

    assert [result.interaction for result in results] == [f"get dashboard {index}" for index in range(COUNT)]
    failed = {int(result.interaction.split()[-1]) for result in results if result.status is Status.FAILED}
    assert failed == broken
    for index, result in enumerate(results):
        assert result.details["answered_by"] == f"cassettes/grafana/get_dashboard.json#{index}"
        if result.status is Status.FAILED:
            assert [finding.location for finding in result.findings] == ["$.meta.version"]


def test_a_callable_state_is_set_up_and_torn_down_for_every_interaction_across_runs(tmp_path: Path, monkeypatch):
    (tmp_path / "ck_run_states.py").write_text(
        "CALLS = []\n\ndef setup(state, action, parameters):\n    CALLS.append((state, action, parameters))\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("ck_run_states", None)
    states = "    states:\n      dashboards exist: {callable: 'ck_run_states:setup'}\n"

    results = _verify(_project(tmp_path, broken=set(), states=states, with_state=True))

    assert [result.status for result in results] == [Status.PASSED] * COUNT
    calls = sys.modules["ck_run_states"].CALLS
    expected = [
        ("dashboards exist", action, {"uid": f"d{index}"}) for index in range(COUNT) for action in ("setup", "teardown")
    ]
    assert calls == expected


def test_only_plain_http_on_this_machine_goes_without_certificate_checks():
    assert is_plain_loopback("http://127.0.0.1:8123") and is_plain_loopback("http://localhost:80")
    assert not is_plain_loopback("https://127.0.0.1:8123")
    assert not is_plain_loopback("http://10.0.0.7:8080")
    assert not is_plain_loopback("https://grafana.example.com")


def test_the_replay_server_calls_its_state_handler_before_answering_a_state_change():
    seen: list[tuple[str, str, dict[str, Any]]] = []
    with ReplayServer([], on_state_change=lambda *change: seen.append(change)) as server:
        request = urllib.request.Request(
            server.state_change_url,
            data=json.dumps({"state": "dashboards exist", "action": "setup", "params": {"uid": "d1"}}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
            assert seen == [("dashboards exist", "setup", {"uid": "d1"})]
