"""Other teams' pacts are verified: `contracts verify` replays every consumer's pact with a provider (ours and those
of the registry's `consumer_pacts` folders) against the same cassettes, judges each against the description, and
names the consumer whose pact failed in every format."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from verification_support import DASHBOARD, HIT, grafana_like_spec, write_cassette, write_registry

from contractkit.core.model import Status
from contractkit.registry import load_registry
from contractkit.registry.context import ProviderContext
from contractkit.registry.overlay_evidence import iter_unneeded_entries
from contractkit.verify.consumers import consumer_pacts
from contractkit.verify.verifier import verify_registry

BASE = "http://127.0.0.1:3000"
BILLING = "billing: invoice links of the ops dashboards"


@pytest.fixture(scope="module")
def pacts(tmp_path_factory) -> dict[str, Path]:
    """Two consumers' pacts with grafana, written by pact-python's real mock server: devctl reads the hits' uid,
    title and id and a dashboard's meta; billing reads the hits' uid and url."""
    from pact import Pact, match

    folder = tmp_path_factory.mktemp("pacts")
    ours = Pact("devctl", "grafana").with_specification("V4")
    (
        ours.upon_receiving("search dashboards")
        .with_request("GET", "/api/search")
        .with_query_parameter("query", "ops")
        .will_respond_with(200)
        .with_body(
            match.each_like({"uid": match.str("abc"), "title": match.str("Ops"), "id": match.int(1)}),
            content_type="application/json",
        )
    )
    (
        ours.upon_receiving("get a dashboard")
        .with_request("GET", "/api/dashboards/uid/abc")
        .will_respond_with(200)
        .with_body({"meta": {"slug": match.str("ops")}}, content_type="application/json")
    )
    billing = Pact("billing", "grafana").with_specification("V4")
    (
        billing.upon_receiving("invoice links of the ops dashboards")
        .with_request("GET", "/api/search")
        .with_query_parameter("query", "ops")
        .will_respond_with(200)
        .with_body(
            match.each_like({"uid": match.str("abc"), "url": match.str("/d/abc/ops")}), content_type="application/json"
        )
    )
    with ours.serve() as server:
        requests.get(f"{server.url}/api/search", params={"query": "ops"}, timeout=10)
        requests.get(f"{server.url}/api/dashboards/uid/abc", timeout=10)
    with billing.serve() as server:
        requests.get(f"{server.url}/api/search", params={"query": "ops"}, timeout=10)
    ours.write_file(folder, overwrite=True)
    billing.write_file(folder, overwrite=True)
    return {"devctl": folder / "devctl-grafana.json", "billing": folder / "billing-grafana.json"}


def make_registry(
    root: Path,
    pacts: dict[str, Path],
    *,
    hits: list[dict[str, Any]] | None = None,
    spec: dict[str, Any] | None = None,
    ours: bool = True,
    contract: bool = False,
) -> Path:
    """A grafana registry with our pact in pacts/, billing's in other-pacts/ (listed under consumer_pacts) and one
    cassette per read operation."""
    extra = "    contract: contracts/grafana.yaml\n" if contract else ""
    registry = write_registry(root, spec, extra_provider=extra)
    registry.write_text(
        registry.read_text().replace("consumer: devctl\n", "consumer: devctl\nconsumer_pacts: [other-pacts]\n")
    )
    if contract:
        (root / "contracts").mkdir(exist_ok=True)
        (root / "contracts" / "grafana.yaml").write_text("interactions: []\n")
    (root / "pacts").mkdir(exist_ok=True)
    (root / "other-pacts").mkdir(exist_ok=True)
    if ours:
        shutil.copy(pacts["devctl"], root / "pacts" / "devctl-grafana.json")
    shutil.copy(pacts["billing"], root / "other-pacts" / "billing-grafana.json")
    cassettes = root / "cassettes" / "grafana"
    write_cassette(
        cassettes, "search_dashboards", ("GET", f"{BASE}/api/search?query=ops", 200, [HIT] if hits is None else hits)
    )
    write_cassette(cassettes, "get_dashboard", ("GET", f"{BASE}/api/dashboards/uid/abc", 200, DASHBOARD))
    return registry


def rows(report, check: str) -> dict[str, Any]:
    return {result.interaction: result for result in report.results if result.check == check}


def verify(path: Path, **options: Any):
    registry = load_registry(path)
    return verify_registry(registry, [registry.provider("grafana")], **options)


def test_every_consumers_pact_is_verified_against_the_same_cassettes(tmp_path, pacts, run_cli):
    path = make_registry(tmp_path, pacts)
    report = verify(path)
    assert not report.failed
    pact_rows = rows(report, "pact")
    assert {name: row.status for name, row in pact_rows.items()} == {
        "search dashboards": Status.PASSED,
        "get a dashboard": Status.PASSED,
        BILLING: Status.PASSED,
    }
    assert pact_rows[BILLING].details["consumer"] == "billing"
    assert pact_rows[BILLING].details["pact"] == "other-pacts/billing-grafana.json"
    assert pact_rows["search dashboards"].details["consumer"] == "devctl"
    assert {name: row.status for name, row in rows(report, "pact-openapi").items()} == {
        "search dashboards": Status.PASSED,
        "get a dashboard": Status.PASSED,
        BILLING: Status.PASSED,
    }
    code, out, _ = run_cli("verify", "--registry", str(path), "--all")
    assert code == 0 and f"PASSED [pact] grafana / search_dashboards / {BILLING}" in out


def test_a_field_another_consumer_reads_missing_from_the_cassette_fails_naming_it(tmp_path, pacts, run_cli):
    hit = {key: value for key, value in HIT.items() if key != "url"}  # devctl never reads url, billing does
    path = make_registry(tmp_path, pacts, hits=[hit])
    report = verify(path)
    failed = [row for row in report.results if row.status is Status.FAILED]
    assert [(row.check, row.operation, row.interaction, row.details["consumer"]) for row in failed] == [
        ("pact", "search_dashboards", BILLING, "billing")
    ]
    assert any(
        "missing the following keys: url" in finding.message and finding.location == "$[0]"
        for finding in failed[0].findings
    )

    code, out, _ = run_cli("verify", "--registry", str(path), "--provider", "grafana")
    assert code == 1
    assert f"FAILED [pact] grafana / search_dashboards / {BILLING}: " in out
    assert "PASSED [pact] grafana / search_dashboards / search dashboards" in out
    code, out, _ = run_cli("verify", "--registry", str(path), "--provider", "grafana", "--format", "markdown")
    assert code == 1 and f"| ❌ | pact | search_dashboards | {BILLING} |" in out
    code, out, _ = run_cli("verify", "--registry", str(path), "--all", "--format", "junit")
    assert code == 1 and f'name="search_dashboards {BILLING}"' in out and 'failures="1"' in out
    code, out, _ = run_cli("verify", "--registry", str(path), "--provider", "grafana", "--format", "json")
    [row] = [row for row in json.loads(out)["results"] if row["status"] == "failed"]
    assert (row["interaction"], row["consumer"], row["pact"]) == (
        BILLING,
        "billing",
        "other-pacts/billing-grafana.json",
    )


def test_the_pact_openapi_check_names_another_consumers_incompatibility(tmp_path, pacts):
    spec = grafana_like_spec()
    del spec["components"]["schemas"]["Hit"]["properties"]["url"]  # billing reads a field the description drops
    report = verify(make_registry(tmp_path, pacts, spec=spec))
    checks = rows(report, "pact-openapi")
    assert checks["search dashboards"].status is Status.PASSED and checks["get a dashboard"].status is Status.PASSED
    failed = checks[BILLING]
    assert failed.status is Status.FAILED and failed.details["consumer"] == "billing"
    assert failed.details["contract"] == "other-pacts/billing-grafana.json"  # what billing expects: its pact
    [finding] = failed.findings
    assert (finding.code, finding.location, finding.provider, finding.operation) == (
        "CK418",
        "response.body[*].url",
        "grafana",
        "search_dashboards",
    )
    assert finding.message == (
        "invoice links of the ops dashboards: expects field 'url', which the description does not declare"
    )
    assert rows(report, "pact")[BILLING].status is Status.PASSED  # the cassette still carries url


def test_our_missing_pact_still_fails_and_the_others_are_verified(tmp_path, pacts, run_cli):
    path = make_registry(tmp_path, pacts, ours=False, contract=True)
    report = verify(path)
    pact_rows = rows(report, "pact")
    assert set(pact_rows) == {"", BILLING}
    assert pact_rows[""].findings[0].code == "CK424" and pact_rows[""].status is Status.FAILED
    assert pact_rows[BILLING].status is Status.PASSED
    code, out, _ = run_cli("verify", "--registry", str(path), "--provider", "grafana", "--allow-missing")
    assert code == 0 and f"PASSED [pact] grafana / search_dashboards / {BILLING}" in out


def test_a_pact_belongs_to_the_provider_it_names_else_to_its_file_name(tmp_path, pacts):
    path = make_registry(tmp_path, pacts)
    data = json.loads(pacts["billing"].read_text())
    (tmp_path / "other-pacts" / "audit-grafana.json").write_text(
        json.dumps({**data, "consumer": {"name": "audit"}, "provider": {"name": "Grafana Cloud"}})
    )
    (tmp_path / "other-pacts" / "billing-pager.json").write_text(json.dumps({**data, "provider": {"name": "pager"}}))
    (tmp_path / "other-pacts" / "ledger-grafana.json").write_text(
        json.dumps({**data, "consumer": {"name": "ledger"}, "provider": {"name": "grafana"}})
    )
    registry = load_registry(path)
    found = consumer_pacts(ProviderContext(registry, registry.provider("grafana")))
    assert [(owned.consumer, owned.shown, owned.is_ours) for owned in found] == [
        ("devctl", "pacts/devctl-grafana.json", True),
        ("audit", "other-pacts/audit-grafana.json", False),  # names no provider of the registry: its file name says
        ("billing", "other-pacts/billing-grafana.json", False),
        ("ledger", "other-pacts/ledger-grafana.json", False),
    ]  # billing-pager.json names pager: not grafana's
    report = verify(path)
    assert not report.failed
    assert {row.details["consumer"] for row in report.results if row.check == "pact"} == {
        "devctl",
        "audit",
        "billing",
        "ledger",
    }


class _LiveGrafana(BaseHTTPRequestHandler):
    """A stand-in live provider whose search hits carry no url."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        hit = {key: value for key, value in HIT.items() if key != "url"}
        data = json.dumps([hit] if self.path.startswith("/api/search") else DASHBOARD).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


def test_live_verification_replays_every_consumers_pact(tmp_path, pacts, run_cli, monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _LiveGrafana)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("GRAFANA_TOKEN", "live-token")
        code, out, _ = run_cli(
            "verify",
            "--registry",
            str(make_registry(tmp_path, pacts)),
            "--provider",
            "grafana",
            "--base-url",
            f"http://127.0.0.1:{server.server_port}/api",
            "--format",
            "json",
        )
    finally:
        server.shutdown()
        server.server_close()
    statuses = {row["interaction"]: row["status"] for row in json.loads(out)["results"] if row["check"] == "pact"}
    assert code == 1
    assert statuses == {"search dashboards": "passed", "get a dashboard": "passed", BILLING: "failed"}


OVERLAY = """version: 1
corrections:
  - id: search-hit-owner-email
    op: add
    path: /components/schemas/Hit/properties/ownerEmail
    value: {type: string}
    provenance:
      reference: "tests: billing reads the owner of a dashboard"
      observed: 2026-11-22
      reason: search hits carry the owner's e-mail address
"""


def test_a_correction_only_another_consumers_pact_needs_is_still_needed(tmp_path):
    def interaction(body: Any) -> dict[str, Any]:
        return {
            "type": "Synchronous/HTTP",
            "description": "owners of the dashboards",
            "request": {"method": "GET", "path": "/api/search"},
            "response": {
                "status": 200,
                "headers": {"Content-Type": ["application/json"]},
                "body": {"content": body, "contentType": "application/json", "encoded": False},
            },
        }

    (tmp_path / "schemas" / "grafana").mkdir(parents=True)
    (tmp_path / "schemas" / "grafana" / "overlay.yaml").write_text(OVERLAY)
    path = write_registry(tmp_path, extra_provider="    overlay: schemas/grafana/overlay.yaml\n")
    write_cassette(tmp_path / "cassettes" / "grafana", "search_dashboards", ("GET", f"{BASE}/api/search", 200, [HIT]))
    (tmp_path / "other-pacts").mkdir()
    (tmp_path / "other-pacts" / "billing-grafana.json").write_text(
        json.dumps(
            {
                "consumer": {"name": "billing"},
                "provider": {"name": "grafana"},
                "interactions": [interaction([{"uid": "abc", "ownerEmail": "ops@example.com"}])],
                "metadata": {"pactSpecification": {"version": "4.0"}},
            }
        )
    )

    def unneeded() -> list[str]:
        registry = load_registry(path)
        return [
            finding.message
            for finding in iter_unneeded_entries(ProviderContext(registry, registry.provider("grafana")))
        ]

    [message] = unneeded()  # without billing's pact, nothing recorded needs the correction
    assert "'search-hit-owner-email' is no longer needed: all 1 recorded responses and pact interactions" in message
    path.write_text(path.read_text().replace("consumer: devctl\n", "consumer: devctl\nconsumer_pacts: [other-pacts]\n"))
    assert unneeded() == []  # billing expects ownerEmail: without the correction its interaction cannot verify


def test_contracts_run_verifies_the_other_consumers_pacts_of_the_example_registry(tmp_path, run_cli, monkeypatch):
    repo = Path(__file__).resolve().parents[2]
    for name in ("registry.yaml", "contracts", "schemas", "cassettes", "pacts", "examples", "tests/contracts/devctl"):
        (shutil.copytree if (repo / name).is_dir() else shutil.copy)(repo / name, tmp_path / name)  # devctl: handlers
    registry = tmp_path / "registry.yaml"
    registry.write_text(
        registry.read_text().replace("consumer: devctl\n", "consumer: devctl\nconsumer_pacts: [other-pacts]\n")
    )
    data = json.loads((repo / "pacts" / "devctl-pagerduty.json").read_text())
    (tmp_path / "other-pacts").mkdir()
    (tmp_path / "other-pacts" / "oncall-pagerduty.json").write_text(
        json.dumps({**data, "consumer": {"name": "oncall"}})
    )
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("run", "--format", "json", "-o", str(tmp_path / "report.json"))
    assert code == 0, err
    results = json.loads((tmp_path / "report.json").read_text())["results"]
    oncall = [(row["check"], row["status"]) for row in results if row.get("consumer") == "oncall"]
    ours = [
        (row["check"], row["status"])
        for row in results
        if row.get("consumer") == "devctl" and row["provider"] == "pagerduty"
    ]
    assert sorted(oncall) == sorted(ours) and len(oncall) == 2 * len(data["interactions"])
    assert all(row["interaction"].startswith("oncall: ") for row in results if row.get("consumer") == "oncall")
