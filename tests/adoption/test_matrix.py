"""The contract matrix: self-contained HTML, failures first with codes, messages and files; the text recap."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from contractkit.core.model import CheckResult, Finding, Report, Severity, Status
from contractkit.reports import render_report
from contractkit.reports.matrix import recap_lines, render_matrix

REPO = Path(__file__).resolve().parents[2]


def _finding(code: str, message: str, location: str = "") -> Finding:
    return Finding(code, Severity.ERROR, message, location)


def _report() -> Report:
    passed = [
        CheckResult(check, "grafana", "search_dashboards", "a search", Status.PASSED)
        for check in ("consumer", "pact", "response-schema")
    ]
    failed = CheckResult(
        "pact",
        "pagerduty",
        "get_incident",
        "the incident PT4KHLK",
        Status.FAILED,
        "two mismatches",
        findings=(
            _finding("CK421", "Expected 'yes' (String) to match a boolean", "$.incident.urgent"),
            _finding("CK421", "Actual map is missing the following keys: title", "$.incident"),
        ),
    )
    fuzz = CheckResult(
        "fuzz",
        "inventory",
        "list_items",
        "",
        Status.FAILED,
        "500",
        findings=(_finding("CK501", "server error 500 on GET /items"),),
    )
    return Report(
        "contracts run: devctl",
        (*passed, failed, fuzz, CheckResult("response-schema", "github", "list_pulls", "x", Status.SEEDED)),
    )


def test_failures_come_first_with_codes_messages_and_files() -> None:
    page = render_matrix(_report())
    failures = page.index("<section id='failures'>")
    assert failures < page.index("<section id='matrix'>")
    assert "Failures (2)" in page
    assert "<code class='code'>CK421</code>" in page and "<code class='code'>CK501</code>" in page
    # every finding is listed: nothing is hidden behind "(and 1 more)"
    assert "missing the following keys: title" in page and "to match a boolean" in page
    assert "open <code>cassettes/pagerduty/get_incident.yaml</code>" in page
    rows = re.findall(r"<tr class='row (\w+)' data-provider='([\w-]+)'", page)
    assert [status for status, _ in rows][:2] == ["failed", "failed"]
    assert {provider for _, provider in rows} == {"grafana", "pagerduty", "inventory", "github"}


def test_the_summary_counts_and_filters() -> None:
    page = render_matrix(_report())
    assert "<strong>6 checks</strong> over 4 providers and 4 operations" in page
    assert "2 failed</span>" in page and "3 passed</span>" in page and "1 seeded</span>" in page
    assert "<option value='pagerduty'>pagerduty</option>" in page and "<option value='failed'>failed</option>" in page
    for column in ("consumer", "pact", "schema", "fuzz"):
        assert f"<th>{column}</th>" in page


def test_columns_no_check_of_the_run_fills_are_left_out() -> None:
    page = render_matrix(_report())
    header = re.search(r"<thead><tr>(.*?)</tr></thead>", page[page.index("<section id='matrix'>") :]).group(1)
    assert re.findall(r"<th>([^<]+)</th>", header) == ["provider", "operation", "consumer", "pact", "schema", "fuzz"]
    for column in ("error format", "drift", "gate"):
        assert f"<strong>{column}</strong>" not in page


def test_the_legend_says_what_each_symbol_means() -> None:
    page = render_matrix(_report())
    legend = page[page.index("<section id='legend'>") :]
    for mark, meaning in (
        ("✗", "failed: n checks found a problem"),
        ("✓", "passed: n checks held against recorded or live responses"),
        ("≈", "seeded: n checks held, but against cassettes seeded from a description, not recorded"),
        ("–", "skipped: n checks did not run"),
    ):
        assert f"{mark} n</span> {meaning}</li>" in legend
    assert "no check of that column ran for the operation" in legend
    assert "<li><strong>schema</strong>: pact-openapi, response-schema</li>" in legend


def test_the_page_is_self_contained() -> None:
    page = render_matrix(_report())
    assert not re.search(r"""(src|href)=['"]?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page


def test_the_same_failures_render_the_same_bytes_in_any_finding_order() -> None:
    report = _report()
    failed = report.results[3]
    shuffled = list(failed.findings)
    random.Random(7).shuffle(shuffled)
    reversed_result = CheckResult(
        failed.check,
        failed.provider,
        failed.operation,
        failed.interaction,
        failed.status,
        failed.message,
        findings=tuple(reversed(shuffled)),
    )
    other = Report(report.title, (*report.results[:3], reversed_result, *report.results[4:]))
    assert render_matrix(other) == render_matrix(report)
    assert recap_lines(other) == recap_lines(report)


def test_the_text_report_ends_with_a_recap_of_failures() -> None:
    text = render_report(_report(), "text")
    recap = text[text.index("Failures (2):") :]
    assert (
        "pagerduty / get_incident [pact] CK421 Actual map is missing the following keys: title at $.incident "
        "(+1 more finding)  -> cassettes/pagerduty/get_incident.yaml" in recap
    )
    assert "inventory / list_items [fuzz] CK501 server error 500 on GET /items" in recap
    assert recap.rstrip().endswith("3 passed, 1 seeded, 2 failed, 0 skipped in 0.00s")


def test_the_file_to_open_is_the_contract_or_cassette_never_a_request_path_or_the_registry() -> None:
    quoted = "GET /repos/acme/devctl/contents/.github/workflows/ci.yaml"
    results = (
        CheckResult(
            "pact-openapi",
            "github",
            "",
            "a listing of ci.yaml",
            Status.FAILED,
            f"{quoted} matches no path",
            findings=(_finding("CK411", f"{quoted} matches no path of the OpenAPI description", "request.path"),),
        ),
        CheckResult(
            "response-schema",
            "github",
            "get_content",
            "x",
            Status.FAILED,
            "bad",
            findings=(_finding("CK401", "expected an object", "$"),),
            details={"file": "", "path": "/repos/acme/devctl/contents/ci.yaml"},
        ),
        CheckResult(
            "consumer",
            "grafana",
            "get_dashboard",
            "a dashboard",
            Status.FAILED,
            "mismatch",
            findings=(_finding("CK201", "the request does not satisfy its contract", "contracts/grafana.yaml:37"),),
        ),
        CheckResult(
            "fuzz",
            "inventory",
            "get_item",
            "GET /items/{item_id}",
            Status.FAILED,
            "500",
            findings=(_finding("CK801", "server error 500", "GET /items/{item_id}"),),
        ),
        CheckResult(
            "fuzz",
            "inventory",
            "get_item",
            "GET /items/{item_id}",
            Status.FAILED,
            "sku missing",
            findings=(_finding("CK807", "shopfront: $.sku is missing", "GET /items/{item_id}"),),
        ),
        CheckResult(
            "specs",
            "github",
            "list_pulls",
            "response-property-removed",
            Status.FAILED,
            "observed",
            findings=(_finding("BRK101", "removed", "paths./repos/{owner}/{repo}/pulls.get"),),
        ),
    )
    recap = recap_lines(Report("run", results))
    assert [line.rsplit("  -> ", 1)[1] for line in recap[2:]] == [
        "contracts/github.yaml",
        "cassettes/github/get_content.yaml",
        "contracts/grafana.yaml:37",
        "schemas/inventory/openapi.json",
        "contracts/inventory.yaml",
        "contracts/github.yaml",
    ]


def test_a_pact_asking_for_a_file_like_path_gets_the_contract_and_cassettes_to_open(
    tmp_path: Path, run_cli, monkeypatch
) -> None:
    for name in ("registry.yaml", "contracts", "schemas", "cassettes", "pacts", "examples"):
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
        copy(REPO / name, tmp_path / name)
    pact = tmp_path / "pacts" / "devctl-github.json"
    data = json.loads(pact.read_text())
    data["interactions"][0]["request"]["path"] = "/repos/acme/devctl/contents/.github/workflows/ci.yaml"
    pact.write_text(json.dumps(data))
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("verify", "--provider", "github")
    assert code == 1
    opened = [line.rsplit("  -> ", 1)[1] for line in out[out.index("Failures (2):") :].splitlines()[1:3]]
    assert opened == ["cassettes/github", "contracts/github.yaml"]


def test_a_green_report_has_no_recap() -> None:
    report = Report("ok", (CheckResult("pact", "a", "b", "c", Status.PASSED),))
    assert "Failures" not in render_report(report, "text")
    assert "Every check held." in render_report(report, "html")


def test_contracts_run_html_is_the_matrix_and_report_renders_saved_results(tmp_path: Path, run_cli) -> None:
    saved = tmp_path / "run.json"
    code, _, _ = run_cli(
        "run", "--registry", str(REPO / "registry.yaml"), "--quiet", "--format", "json", "-o", str(saved)
    )
    assert code == 0
    for output_format in ("text", "json", "junit", "markdown", "html"):
        target = tmp_path / f"report.{output_format}"
        assert run_cli("report", str(saved), "--format", output_format, "-o", str(target))[0] == 0
        assert target.stat().st_size > 200
    page = (tmp_path / "report.html").read_text()
    assert "Failures (0)" in page and "<section id='matrix'>" in page and "<td class='cell passed'" in page


@pytest.mark.parametrize("command", ["list", "lint"])
@pytest.mark.parametrize("output_format", ["text", "json", "junit", "markdown", "html"])
def test_list_and_lint_write_every_format_to_a_file(tmp_path: Path, run_cli, command: str, output_format: str) -> None:
    target = tmp_path / f"out.{output_format}"
    code, out, _ = run_cli(
        command, "--registry", str(REPO / "registry.yaml"), "--format", output_format, "-o", str(target)
    )
    assert code == 0 and out == ""
    text = target.read_text()
    marker = {"json": "{", "junit": "<?xml", "html": "<!doctype html>", "markdown": "|" if command == "list" else "## "}
    assert text.startswith(marker.get(output_format, "")), text[:80]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no chromium installed (Debian: apt-get install chromium)")


def _headless(browser: str, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )


def test_the_matrix_filters_in_headless_chromium(tmp_path: Path) -> None:
    browser = _chromium()
    page = tmp_path / "matrix.html"
    page.write_text(render_matrix(_report()))
    dom = _headless(browser, "--dump-dom", f"{page.as_uri()}#status=failed").stdout
    assert "2 operations shown" in dom  # the script ran and applied the filter from the fragment
    assert re.findall(r'<tr class="row failed" data-provider="(\w+)"', dom) == ["pagerduty", "inventory"]
    assert len(re.findall(r'<tr class="row (?:passed|seeded) hidden"', dom)) == 2
    dom = _headless(browser, "--dump-dom", f"{page.as_uri()}#provider=grafana").stdout
    assert "1 operations shown" in dom
    shot = tmp_path / "matrix.png"
    _headless(browser, f"--screenshot={shot}", "--window-size=1280,900", page.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
