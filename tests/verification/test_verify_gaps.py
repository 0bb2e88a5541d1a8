"""`contracts verify` says what is missing: no pact, no cassette, a provider state that cannot be set up."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

from test_verification import make_registry, pact_file, verify  # noqa: F401 - pact_file is a fixture

from contractkit.cli import main
from contractkit.core.model import Status

__all__ = ["pact_file"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the socket is closed


def test_a_provider_with_a_contract_but_no_pact_fails_unless_allowed(tmp_path: Path, pact_file: Path, capsys):
    registry = make_registry(tmp_path, pact_file)
    (tmp_path / "pacts" / "devctl-grafana.json").unlink()
    text = registry.read_text().replace(
        "    spec: schemas/grafana/openapi.json\n",
        "    spec: schemas/grafana/openapi.json\n    contract: contracts/grafana.yaml\n",
    )
    registry.write_text(text)
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "grafana.yaml").write_text("interactions: []\n")

    code = main(["verify", "--registry", str(registry), "--provider", "grafana"])
    out = capsys.readouterr().out
    assert code == 1
    assert (
        "FAILED [pact] grafana: provider 'grafana' has a contract (contracts/grafana.yaml) but no pact at "
        "pacts/devctl-grafana.json: write it with `contracts consumer --provider grafana`, or pass --allow-missing"
    ) in out

    code = main(["verify", "--registry", str(registry), "--provider", "grafana", "--allow-missing"])
    out = capsys.readouterr().out
    assert code == 0
    assert "SKIPPED [pact] grafana: no pact at pacts/devctl-grafana.json" in out


def test_a_missing_cassette_is_named_as_missing(tmp_path: Path, pact_file: Path):
    registry = make_registry(tmp_path, pact_file, states="")
    (tmp_path / "cassettes" / "grafana" / "get_dashboard.json").unlink()

    report = verify(registry)

    [failed] = [
        result for result in report.results if result.check == "pact" and result.interaction == "get a dashboard"
    ]
    assert failed.status is Status.FAILED
    assert failed.message == (
        "no cassette for operation 'get_dashboard': cassettes/grafana/get_dashboard.yaml is "
        "missing, so nothing answers GET /api/dashboards/uid/abc; record it with "
        "`contracts record --provider grafana`"
    )
    assert [finding.code for finding in failed.findings] == ["CK425"]
    assert "501" not in failed.message and "missing keys" not in failed.message


def test_a_state_handler_that_raises_fails_its_interactions(tmp_path: Path, pact_file: Path, monkeypatch):
    module = tmp_path / "ck_broken_states.py"
    module.write_text(
        "CALLS = []\n\ndef setup(state, action, parameters):\n"
        "    CALLS.append((state, action))\n    raise RuntimeError('database is down')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("ck_broken_states", None)
    states = "    states:\n      dashboards exist: {callable: 'ck_broken_states:setup'}\n"

    report = verify(make_registry(tmp_path, pact_file, states=states))

    results = {result.interaction: result for result in report.results if result.check == "pact"}
    broken = results["search dashboards"]
    assert broken.status is Status.FAILED
    assert broken.message == (
        "provider state 'dashboards exist' could not be set up: ck_broken_states:setup raised "
        "RuntimeError: database is down"
    )
    assert results["get a dashboard"].status is Status.PASSED
    # the failing handler is called once, not retried for every interaction and teardown
    assert sys.modules["ck_broken_states"].CALLS == [("dashboards exist", "setup")]


def test_a_state_url_that_is_down_fails_its_interactions(tmp_path: Path, pact_file: Path):
    port = _closed_port()
    states = f"    states:\n      dashboards exist: {{url: 'http://127.0.0.1:{port}/_state'}}\n"

    report = verify(make_registry(tmp_path, pact_file, states=states))

    results = {result.interaction: result for result in report.results if result.check == "pact"}
    broken = results["search dashboards"]
    assert broken.status is Status.FAILED
    assert broken.message.startswith(
        f"provider state 'dashboards exist' could not be set up: POST http://127.0.0.1:{port}/_state raised URLError"
    )
    assert "Connection refused" in broken.message
