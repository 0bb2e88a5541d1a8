"""`contracts verify`: the real pact core against the replay server of cassettes, and the planted faults it catches."""

from __future__ import annotations

import json
import shutil
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from verification_support import DASHBOARD, HIT, grafana_like_spec, write_cassette, write_registry

from contractkit.cassettes.drift import iter_drift
from contractkit.cassettes.model import load_cassette
from contractkit.cli import main
from contractkit.core.model import Severity, Status
from contractkit.pact.usage import load_usage
from contractkit.registry import load_registry
from contractkit.verify.verifier import verify_registry

BASE = "http://127.0.0.1:3000"


@pytest.fixture(scope="module")
def pact_file(tmp_path_factory) -> Path:
    """A V4 pact written by pact-python's real mock server, as the consumer run would write it."""
    from pact import Pact, match

    folder = tmp_path_factory.mktemp("pacts")
    pact = Pact("devctl", "grafana").with_specification("V4")
    (
        pact.upon_receiving("search dashboards")
        .given("dashboards exist")
        .with_request("GET", "/api/search")
        .with_query_parameter("query", "ops")
        .will_respond_with(200)
        .with_body(
            match.each_like({"uid": match.str("abc"), "title": match.str("Ops"), "id": match.int(1)}),
            content_type="application/json",
        )
    )
    (
        pact.upon_receiving("search dashboards when there are none")
        .given("no dashboards")
        .with_request("GET", "/api/search")
        .with_query_parameter("query", "ops")
        .will_respond_with(200)
        .with_body([], content_type="application/json")
    )
    (
        pact.upon_receiving("get a dashboard")
        .with_request("GET", "/api/dashboards/uid/abc")
        .will_respond_with(200)
        .with_body(
            {"dashboard": match.like({"uid": "abc"}), "meta": {"slug": match.str("ops"), "version": match.int(3)}},
            content_type="application/json",
        )
    )
    with pact.serve() as server:
        requests.get(f"{server.url}/api/search", params={"query": "ops"}, timeout=10)
        requests.get(f"{server.url}/api/search", params={"query": "ops"}, timeout=10)
        requests.get(f"{server.url}/api/dashboards/uid/abc", timeout=10)
    pact.write_file(folder, overwrite=True)
    return folder / "devctl-grafana.json"


def make_registry(
    root: Path,
    pact_file: Path,
    *,
    hits: list[dict[str, Any]] | None = None,
    dashboard: dict[str, Any] | None = None,
    search_status: int = 200,
    content_type: str = "application/json",
    spec: dict | None = None,
    states: str | None = None,
) -> Path:
    """A registry with the pact, cassettes (one per operation) and the `no dashboards` state as a cassette variant."""
    extra = states if states is not None else "    states:\n      no dashboards: {cassette: cassettes/variants/empty}\n"
    registry = write_registry(root, spec, extra_provider=extra)
    (root / "pacts").mkdir(exist_ok=True)
    shutil.copy(pact_file, root / "pacts" / "devctl-grafana.json")
    cassettes = root / "cassettes" / "grafana"
    write_cassette(
        cassettes,
        "search_dashboards",
        ("GET", f"{BASE}/api/search?query=ops", search_status, [HIT] if hits is None else hits),
        content_type=content_type,
    )
    write_cassette(cassettes, "get_dashboard", ("GET", f"{BASE}/api/dashboards/uid/abc", 200, dashboard or DASHBOARD))
    write_cassette(
        root / "cassettes" / "variants" / "empty", "search_dashboards", ("GET", f"{BASE}/api/search?query=ops", 200, [])
    )
    return registry


def verify(registry_path: Path):
    registry = load_registry(registry_path)
    return verify_registry(registry, [registry.provider("grafana")])


def failures(report, check: str) -> list:
    return [result for result in report.results if result.check == check and result.status.value == "failed"]


def test_the_unchanged_provider_passes_every_check(tmp_path, pact_file):
    report = verify(make_registry(tmp_path, pact_file))
    assert not report.failed, [r.message for r in report.results if r.status.value == "failed"]
    checks = sorted({(r.check, r.interaction) for r in report.results})
    assert ("pact", "search dashboards when there are none") in checks  # served from the state's cassette variant
    assert {r.check for r in report.results} == {"pact", "response-schema", "pact-openapi"}


def test_a_new_optional_field_is_a_compatible_change(tmp_path, pact_file):
    make_registry(tmp_path / "before", pact_file)
    after = make_registry(tmp_path / "after", pact_file, hits=[dict(HIT, starred=True)])
    registry = load_registry(after)
    search = Path("cassettes", "grafana", "search_dashboards.json")

    drift = list(
        iter_drift(
            load_cassette(tmp_path / "before" / search),
            load_cassette(tmp_path / "after" / search),
            usage=load_usage(registry),
            provider=registry.provider("grafana"),
        )
    )
    assert [(f.code, f.severity, f.message) for f in drift] == [
        ("CK304", Severity.INFO, "field $[*].starred (boolean) added: added field")
    ]  # reported, graded compatible

    report = verify(after)  # and verification of the changed recording passes every check that reads it
    assert not report.failed and [f for r in report.results for f in r.findings] == []
    passed = {(r.check, r.interaction) for r in report.results if r.status is Status.PASSED}
    assert {
        ("pact", "search dashboards"),
        ("response-schema", search.as_posix() + "#0"),
        ("pact-openapi", "search dashboards"),
    } <= passed


def test_a_field_the_consumer_relies_on_removed_from_the_cassette(tmp_path, pact_file):
    hit = {key: value for key, value in HIT.items() if key != "title"}
    report = verify(make_registry(tmp_path, pact_file, hits=[hit]))
    [pact_failure] = failures(report, "pact")
    assert pact_failure.interaction == "search dashboards" and pact_failure.operation == "search_dashboards"
    assert any("missing the following keys: title" in f.message and f.location == "$[0]" for f in pact_failure.findings)
    [schema_failure] = failures(report, "response-schema")
    assert "missing required property 'title'" in schema_failure.message


def test_a_type_changed_in_the_cassette(tmp_path, pact_file):
    report = verify(make_registry(tmp_path, pact_file, hits=[dict(HIT, id="1")]))
    [pact_failure] = failures(report, "pact")
    [finding] = pact_failure.findings
    assert finding.code == "CK421" and finding.location == "$[0].id" and "to be an integer" in finding.message
    assert pact_failure.details["mismatches"][0]["expected"] == "1"
    [schema_failure] = failures(report, "response-schema")
    assert schema_failure.findings[0].location == "$[0].id"


def test_a_status_code_changed_in_the_cassette(tmp_path, pact_file):
    report = verify(make_registry(tmp_path, pact_file, search_status=500, hits={"message": "db down"}))
    [pact_failure] = failures(report, "pact")
    assert any(f.message == "expected status 200, got 500" for f in pact_failure.findings)
    [schema_failure] = failures(report, "response-schema")
    assert schema_failure.findings[0].code == "CK402"


def test_an_enum_value_the_schema_does_not_allow(tmp_path, pact_file):
    report = verify(make_registry(tmp_path, pact_file, hits=[dict(HIT, type="dash-panel")]))
    assert failures(report, "pact") == []  # the consumer does not read `type`, the schema still does
    [schema_failure] = failures(report, "response-schema")
    assert schema_failure.findings[0].location == "$[0].type"
    assert "is not one of the documented values" in schema_failure.message


def test_an_undeclared_content_type(tmp_path, pact_file):
    report = verify(make_registry(tmp_path, pact_file, content_type="application/xml"))
    [schema_failure] = failures(report, "response-schema")
    assert schema_failure.findings[0].code == "CK403"
    assert "'application/xml' is not declared (declared: application/json)" in schema_failure.message


def test_a_pact_interaction_on_a_path_the_slice_lacks(tmp_path, pact_file):
    spec = grafana_like_spec()
    del spec["paths"]["/dashboards/uid/{uid}"]
    report = verify(make_registry(tmp_path, pact_file, spec=spec, states=""))
    [check] = [r for r in failures(report, "pact-openapi") if r.interaction == "get a dashboard"]
    assert check.findings[0].code == "CK411"
    assert "GET /api/dashboards/uid/abc matches no path of the description" in check.message


def test_a_pact_expecting_a_field_the_provider_does_not_document(tmp_path, pact_file):
    spec = grafana_like_spec()
    del spec["components"]["schemas"]["DashboardMeta"]["properties"]["version"]
    report = verify(make_registry(tmp_path, pact_file, spec=spec))
    [check] = failures(report, "pact-openapi")
    assert check.interaction == "get a dashboard"
    assert check.findings[0].code == "CK418" and check.findings[0].location == "response.body.meta.version"


def test_without_the_cassette_variant_the_state_is_not_met(tmp_path, pact_file):
    report = verify(make_registry(tmp_path, pact_file, states=""))
    [pact_failure] = failures(report, "pact")
    assert pact_failure.interaction == "search dashboards when there are none"


class _StateRecorder(BaseHTTPRequestHandler):
    calls: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", 0))
        type(self).calls.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def state_server():
    handler = type("Recorder", (_StateRecorder,), {"calls": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, handler.calls
    server.shutdown()
    server.server_close()


def test_state_change_urls_and_callables_are_called(tmp_path, pact_file, state_server, monkeypatch):
    server, calls = state_server
    module = tmp_path / "ck_states_for_test.py"
    module.write_text("SEEN = []\n\ndef setup(state, action, parameters):\n    SEEN.append((state, action))\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    states = (
        f"    states:\n      dashboards exist: {{url: 'http://127.0.0.1:{server.server_port}/_state'}}\n"
        "      no dashboards: {callable: 'ck_states_for_test:setup'}\n"
    )
    report = verify(make_registry(tmp_path, pact_file, states=states))
    assert [(c["state"], c["action"]) for c in calls] == [
        ("dashboards exist", "setup"),
        ("dashboards exist", "teardown"),
    ]
    seen = sys.modules["ck_states_for_test"].SEEN
    assert ("no dashboards", "setup") in seen and ("no dashboards", "teardown") in seen
    # without the cassette variant the empty-search interaction fails: the callable ran but replay answers hits
    assert [r.interaction for r in failures(report, "pact")] == ["search dashboards when there are none"]


def test_the_cli_reports_json_and_exits_one_on_a_failure(tmp_path, pact_file, capsys):
    registry = make_registry(tmp_path, pact_file, hits=[dict(HIT, id="1")])
    code = main(["verify", "--registry", str(registry), "--provider", "grafana", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert set(data["summary"]) >= {"total", "passed", "failed", "skipped", "success_rate", "duration"}
    assert set(data["summary"]["duration"]) >= {"p50", "p95", "p99"}
    failed = [r for r in data["results"] if r["status"] == "failed"]
    assert {(r["check"], r["operation"]) for r in failed} == {
        ("pact", "search_dashboards"),
        ("response-schema", "search_dashboards"),
    }
    assert all(
        set(r) >= {"check", "provider", "operation", "interaction", "status", "message"} for r in data["results"]
    )


def test_the_cli_passes_with_exit_zero_and_junit(tmp_path, pact_file, capsys):
    registry = make_registry(tmp_path, pact_file)
    code = main(["verify", "--registry", str(registry), "--all", "--format", "junit"])
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("<?xml") and 'failures="0"' in out


def test_usage_errors_exit_two(tmp_path, pact_file, capsys):
    registry = make_registry(tmp_path, pact_file)
    assert main(["verify", "--registry", str(registry)]) == 2
    assert "name providers with --provider P, or pass --all" in capsys.readouterr().err
    assert main(["verify", "--registry", str(registry), "--provider", "nope"]) == 2
    assert "has no provider 'nope' (known: grafana)" in capsys.readouterr().err


def test_pact_requests_are_named_by_their_registry_operation(tmp_path):
    from contractkit.verify.verifier import operation_for

    (tmp_path / "registry.yaml").write_text("""version: 1
consumer: devctl
providers:
  aws:
    kind: aws
    base_url: http://127.0.0.1:5000
    auth: {scheme: aws-sigv4, env: [AWS_ACCESS_KEY_ID]}
    operations:
      s3_list_buckets: {service: s3, operation: ListBuckets, safe: true}
      s3_get_bucket_location: {service: s3, operation: GetBucketLocation, safe: true}
      s3_list_objects: {service: s3, operation: ListObjectsV2, safe: true}
      iam_list_users: {service: iam, operation: ListUsers, safe: true}
      ce_get_cost_and_usage: {service: ce, operation: GetCostAndUsage, safe: true}
""")
    aws = load_registry(tmp_path / "registry.yaml").provider("aws")
    assert operation_for(aws, {"method": "GET", "path": "/"}) == "s3_list_buckets"
    assert (
        operation_for(aws, {"method": "GET", "path": "/artifacts", "query": {"location": [""]}})
        == "s3_get_bucket_location"
    )
    assert (
        operation_for(aws, {"method": "GET", "path": "/artifacts", "query": {"list-type": ["2"]}}) == "s3_list_objects"
    )
    assert (
        operation_for(aws, {"method": "POST", "path": "/", "body": {"content": "Action=ListUsers&Version=2010-05-08"}})
        == "iam_list_users"
    )
    assert (
        operation_for(
            aws,
            {"method": "POST", "path": "/", "headers": {"X-Amz-Target": ["AWSInsightsIndexService.GetCostAndUsage"]}},
        )
        == "ce_get_cost_and_usage"
    )


def test_a_longer_path_is_not_named_by_a_shorter_template(registry_path):
    from contractkit.verify.verifier import operation_for

    grafana = load_registry(registry_path).provider("grafana")
    assert operation_for(grafana, {"method": "GET", "path": "/api/dashboards/uid/abc"}) == "get_dashboard"
    assert operation_for(grafana, {"method": "GET", "path": "/api/search/sorting"}) == ""


class _LiveGrafana(BaseHTTPRequestHandler):
    """A stand-in live provider: answers like the cassettes and remembers the Authorization headers it saw."""

    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        type(self).seen.append(self.headers.get("Authorization", ""))
        body = [HIT] if self.path.startswith("/api/search") else DASHBOARD
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


def test_live_verification_sends_the_registry_credentials(tmp_path, pact_file, monkeypatch, capsys):
    handler = type("Live", (_LiveGrafana,), {"seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        registry = make_registry(tmp_path, pact_file, states="")
        monkeypatch.setenv("GRAFANA_TOKEN", "live-token-123")
        code = main(
            [
                "verify",
                "--registry",
                str(registry),
                "--provider",
                "grafana",
                "--format",
                "json",
                "--base-url",
                f"http://127.0.0.1:{server.server_port}/api",
            ]
        )
    finally:
        server.shutdown()
        server.server_close()
    out = capsys.readouterr().out
    data = json.loads(out)
    assert "live-token-123" not in out  # the secret never reaches the report
    assert set(handler.seen) == {"Bearer live-token-123"}
    by_interaction = {r["interaction"]: r["status"] for r in data["results"] if r["check"] == "pact"}
    # live, there is no cassette variant: the empty-search state is not met by this provider
    assert by_interaction == {
        "search dashboards": "passed",
        "get a dashboard": "passed",
        "search dashboards when there are none": "failed",
    }
    assert code == 1


def test_live_verification_without_the_credential_is_bad_input(tmp_path, pact_file, monkeypatch, capsys):
    registry = make_registry(tmp_path, pact_file)
    monkeypatch.delenv("GRAFANA_TOKEN", raising=False)
    assert (
        main(["verify", "--registry", str(registry), "--provider", "grafana", "--base-url", "http://127.0.0.1:9"]) == 2
    )
    assert capsys.readouterr().err == (
        "error: registry.yaml:6: providers.grafana.auth.env: provider 'grafana' needs the "
        "environment variable GRAFANA_TOKEN for its bearer auth, and GRAFANA_TOKEN is not "
        "set. export GRAFANA_TOKEN\n"
    )


def test_a_failure_answered_by_a_seeded_cassette_says_so(tmp_path, pact_file):
    registry = make_registry(tmp_path, pact_file)
    write_cassette(
        tmp_path / "cassettes" / "grafana",
        "get_dashboard",
        ("GET", f"{BASE}/api/dashboards/uid/other", 200, {"dashboard": {}, "meta": {"slug": "example"}}),
        source="openapi-schema",
    )
    [failure] = failures(verify(registry), "pact")
    assert failure.interaction == "get a dashboard"
    assert failure.details["answered_by"] == "cassettes/grafana/get_dashboard.json#0"
    assert failure.details["matched"] == "operation" and failure.details["cassette_source"] == "openapi-schema"
    assert "a cassette seeded from openapi-schema: its values are generated, not recorded" in failure.message


def test_the_steps_for_the_main_job_return_reports(tmp_path, pact_file):
    from contractkit.verify.verifier import validate_step, verify_step

    registry = load_registry(make_registry(tmp_path, pact_file, hits=[dict(HIT, type="dash-panel")]))
    verified = verify_step(registry)
    assert {r.check for r in verified.results} == {"pact"} and not verified.failed
    validated = validate_step(registry)
    assert {r.check for r in validated.results} == {"response-schema", "pact-openapi"} and validated.failed
