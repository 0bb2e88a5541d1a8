"""`contracts specs check`: a newer vendor document against the slice, judged by what consumers use."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_a_change_a_consumer_reads_fails_and_update_reimports_the_slice(pager, run_cli):
    new = pager.parent / "openapi.new.json"
    code, out, err = run_cli("specs", "check", "--registry", str(pager), "--from", str(new), "--format", "json")
    assert code == 1, err
    report = json.loads(out)
    rows = {row["rule"]: row for row in report["results"]}
    assert set(rows) == {
        "response-property-removed",
        "response-property-type-changed",
        "request-parameter-constraint-tightened",
        "request-optional-parameter-removed",
    }  # every change
    removed = rows["response-property-removed"]
    assert removed["verdict"] == "block" and removed["status"] == "failed"
    assert removed["observers"] == [
        {
            "consumer": "devctl",
            "interaction": "a listing of pages",
            "location": "$.pages[*].title",
            "reason": "reads $.pages[*].title (matched by type)",
        }
    ]
    assert [(found["consumer"], found["where"], found["code"]) for found in removed["breaks"]] == [
        ("devctl", "response.body.pages[*].title", "CK418")
    ]
    changed = rows["response-property-type-changed"]  # another team's pact (consumer_pacts): blocks, naming it
    assert changed["verdict"] == "block" and [found["consumer"] for found in changed["breaks"]] == ["billing"]
    tightened = rows["request-parameter-constraint-tightened"]  # devctl sends limit, and its value still fits
    assert (tightened["verdict"], tightened["breaks"]) == ("warn", [])
    assert tightened["observers"][0]["location"] == "limit"
    unused = rows["request-optional-parameter-removed"]  # nobody sends it: the rule's level stands
    assert (unused["verdict"], unused["observers"]) == ("warn", [])
    assert report["title"].endswith(
        "(4 changes, 2 blocking, 3 observed by a consumer, 3 breaking by their rule; 2 consumer interactions judged)"
    )
    slice_before = (pager.parent / "openapi.old.json").read_text()
    code, _, err = run_cli(
        "specs",
        "check",
        "--registry",
        str(pager),
        "--provider",
        "pager",
        "--from",
        str(new),
        "--update",
        "--format",
        "markdown",
    )
    assert code == 1 and "wrote openapi.old.json from" in err
    updated = json.loads((pager.parent / "openapi.old.json").read_text())
    assert updated != json.loads(slice_before) and "/teams" not in updated["paths"]  # only registered operations
    code, out, _ = run_cli("specs", "check", "--registry", str(pager), "--from", str(new))
    assert code == 0 and "0 changes" in out


def test_changes_no_consumer_uses_pass_and_are_reported_as_unused(pager, run_cli):
    code, out, _ = run_cli(
        "specs", "check", "--registry", str(pager), "--from", str(pager.parent / "openapi.unused.json")
    )
    assert code == 0, out
    assert "0 blocking, 0 observed by a consumer, 1 breaking by their rule" in out
    assert "(warn: unused: no consumer sends or reads it (gate.unused_breaking: warn))" in out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--from", "missing.json"), "missing.json"),
        (("--provider", "nope", "--from", "openapi.new.json"), "registry.yaml has no provider 'nope' (known: pager)"),
    ],
)
def test_bad_input_is_one_paragraph_and_exit_2(pager, run_cli, monkeypatch, arguments, message):
    monkeypatch.chdir(pager.parent)
    code, _, err = run_cli("specs", "check", "--registry", str(pager), *arguments)
    assert code == 2 and message in err and "Traceback" not in err


def _registry_copy(tmp_path: Path) -> Path:
    for name in ("registry.yaml", "pacts", "schemas", "contracts"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    return tmp_path / "registry.yaml"


def test_pagerduty_2024_to_2026_nothing_devctl_uses_changed(shared_specs, tmp_path, run_cli):
    registry = _registry_copy(tmp_path)
    code, _, err = run_cli(
        "schemas",
        "import",
        "--registry",
        str(registry),
        "--provider",
        "pagerduty",
        "--from",
        str(shared_specs / "pagerduty" / "old-2024-08" / "openapiv3.json"),
    )
    assert code == 0, err
    code, out, _ = run_cli(
        "specs",
        "check",
        "--registry",
        str(registry),
        "--provider",
        "pagerduty",
        "--from",
        str(shared_specs / "pagerduty" / "openapiv3.json"),
        "--format",
        "json",
    )
    report = json.loads(out)
    assert code == 0, out
    rows = report["results"]
    breaking = [row for row in rows if row["level"] == "breaking"]
    assert breaking and all(row["verdict"] == "warn" and row["note"].startswith("unused: ") for row in breaking)
    assert not any(row["verdict"] == "block" or row["breaks"] for row in rows)
    assert any("response_play" in row["location"] for row in breaking)
    assert ", 0 blocking, 0 observed by a consumer" in report["title"]


def test_github_old_to_new_is_judged_by_what_devctl_reads(shared_specs, tmp_path, run_cli):
    registry = _registry_copy(tmp_path)
    code, _, err = run_cli(
        "schemas",
        "import",
        "--registry",
        str(registry),
        "--provider",
        "github",
        "--from",
        str(shared_specs / "github" / "old" / "api.github.com.json"),
    )
    assert code == 0, err
    code, out, _ = run_cli(
        "specs",
        "check",
        "--registry",
        str(registry),
        "--from",
        str(shared_specs / "github" / "new" / "api.github.com.json"),
        "--format",
        "json",
    )
    assert code in (0, 1), out
    report = json.loads(out)
    for row in report["results"]:
        assert (row["verdict"] == "block") == bool(row["breaks"]) or row["note"].startswith("unused: ")
        for seen in row["observers"]:
            assert seen["consumer"] == "devctl" and seen["location"]
        for found in row["breaks"]:  # a break is always among the observers of the change that explains it
            assert any(seen["interaction"] == found["interaction"] for seen in row["observers"])
    assert (code == 1) == any(row["verdict"] == "block" for row in report["results"])


# The vendor documents the scheduled watch fetches: each SaaS provider's published description upstream.
VENDOR_DOCUMENTS = {
    "grafana": "https://raw.githubusercontent.com/grafana/grafana/main/public/openapi3.json",
    "github": "https://raw.githubusercontent.com/github/rest-api-description/main/descriptions/api.github.com/"
    "api.github.com.json",
    "pagerduty": "https://raw.githubusercontent.com/PagerDuty/api-schema/main/reference/REST/openapiv3.json",
    "jira": "https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json",
    "argocd": "https://raw.githubusercontent.com/argoproj/argo-cd/master/assets/swagger.json",
    "slack": "https://raw.githubusercontent.com/slackapi/slack-api-specs/master/web-api/slack_web_openapi_v2.json",
    "confluence": "https://developer.atlassian.com/cloud/confluence/openapi-v2.v3.json",
}


def test_the_scheduled_watch_lists_every_saas_provider_of_the_example_registry(run_cli):
    code, out, err = run_cli("specs", "list", "--registry", str(REPO / "registry.yaml"), "--format", "json")
    assert (code, err) == (0, "")
    watched = {row["provider"]: (row["url"], row["slice"]) for row in json.loads(out)["watched"]}
    assert watched == {name: (url, f"schemas/{name}/openapi.json") for name, url in VENDOR_DOCUMENTS.items()}
    code, out, _ = run_cli("specs", "list", "--registry", str(REPO / "registry.yaml"))
    assert code == 0 and out.splitlines()[-1] == "7 providers watched"


@pytest.fixture
def vendor_server():
    """A loopback HTTP server handing out files of a folder, like a vendor publishing its document."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    servers = []

    def serve(folder: Path) -> str:
        class Quiet(SimpleHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def _watch_url(registry: Path, url: str) -> None:
    text = registry.read_text()
    old = 'spec_source: {kind: official, document: "pager v1"}'
    assert old in text
    registry.write_text(text.replace(old, f'spec_source: {{kind: official, document: "pager v1", url: "{url}"}}'))


def test_specs_check_fetches_each_watched_document_and_updates_its_slice(pager, run_cli, vendor_server):
    url = vendor_server(pager.parent) + "/openapi.new.json"
    _watch_url(pager, url)
    code, out, err = run_cli("specs", "check", "--registry", str(pager), "--update", "--format", "json")
    assert code == 1, err
    report = json.loads(out)
    assert report["title"].startswith("contracts specs check: 1 vendor documents watched (1 checked, 0 not checked)")
    first = report["results"][0]
    assert (first["provider"], first["interaction"], first["status"]) == ("pager", url, "failed")
    observed = [row for row in report["results"][1:] if row["observers"]]
    blocking = [row for row in report["results"][1:] if row["verdict"] == "block"]
    assert first["message"] == f"{url}: 4 changes, 2 blocking, 3 observed by a consumer, 3 breaking by their rule"
    assert {row["rule"] for row in observed} == {
        "request-parameter-constraint-tightened",
        "response-property-removed",
        "response-property-type-changed",
    }
    assert {row["rule"] for row in blocking} == {"response-property-removed", "response-property-type-changed"}
    assert f"wrote openapi.old.json from {url}" in err
    assert "/teams" not in json.loads((pager.parent / "openapi.old.json").read_text())["paths"]
    code, out, _ = run_cli("specs", "check", "--registry", str(pager))  # the slice is now the vendor's document
    assert code == 0 and f"PASSED [specs] pager / {url}" in out


def test_a_document_that_cannot_be_fetched_is_named_and_exits_2(pager, run_cli, vendor_server):
    url = vendor_server(pager.parent) + "/gone.json"
    _watch_url(pager, url)
    code, out, err = run_cli("specs", "check", "--registry", str(pager))
    assert code == 2
    assert f"FAILED [specs] pager / {url}: not checked: cannot fetch {url} (HTTP 404 File not found)" in out
    assert "-> registry.yaml:14" in out  # the line naming the URL
    assert f"error: pager: cannot fetch {url} (HTTP 404 File not found)" in err.splitlines()


def test_a_file_url_is_watched_too(pager, run_cli):
    url = (pager.parent / "openapi.unused.json").as_uri()
    _watch_url(pager, url)
    code, out, _ = run_cli("specs", "check", "--registry", str(pager))
    assert code == 0, out
    assert f"PASSED [specs] pager / {url}" in out


def test_a_registry_naming_no_vendor_document_watches_nothing_and_says_so(pager, run_cli):
    code, _, err = run_cli("specs", "check", "--registry", str(pager))
    assert code == 2
    assert err == (
        "error: no provider of registry.yaml names its vendor document, so there is nothing to watch. add "
        "spec_source.url (the vendor's published OpenAPI or Swagger document) to a provider\n"
    )


def test_the_scheduled_watch_checks_all_seven_vendor_documents(shared_specs, tmp_path, run_cli):
    """The job's command on the example registry, each URL pointed at the same vendor document on disk."""
    registry = _registry_copy(tmp_path)
    on_disk = {
        "grafana": "grafana/openapi3.json",
        "github": "github/new/api.github.com.json",
        "pagerduty": "pagerduty/openapiv3.json",
        "jira": "jira/swagger-v3.v3.json",
        "argocd": "argocd/swagger.json",
        "slack": "slack/slack_web_openapi_v2.json",
        "confluence": "confluence/openapi-v2.v3.json",
    }
    text = registry.read_text()
    for name, url in VENDOR_DOCUMENTS.items():
        text = text.replace(url, (shared_specs / on_disk[name]).as_uri())
    registry.write_text(text)
    code, out, err = run_cli("specs", "check", "--registry", str(registry), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    summaries = {row["provider"]: row for row in report["results"] if row["operation"] == ""}
    assert set(summaries) == set(VENDOR_DOCUMENTS)
    assert all(row["status"] == "passed" and row["interaction"].startswith("file://") for row in summaries.values())
    assert report["title"].startswith("contracts specs check: 7 vendor documents watched (7 checked, 0 not checked)")
