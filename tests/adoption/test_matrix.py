"""The contract matrix: self-contained HTML, failures first with codes, messages and files; the text recap."""

from __future__ import annotations

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
    passed = [CheckResult(check, "grafana", "search_dashboards", "a search", Status.PASSED)
              for check in ("consumer", "pact", "response-schema")]
    failed = CheckResult("pact", "pagerduty", "get_incident", "the incident PT4KHLK", Status.FAILED, "two mismatches",
                         findings=(_finding("CK421", "Expected 'yes' (String) to match a boolean", "$.incident.urgent"),
                                   _finding("CK421", "Actual map is missing the following keys: title", "$.incident")))
    fuzz = CheckResult("fuzz", "inventory", "list_items", "", Status.FAILED, "500",
                       findings=(_finding("CK501", "server error 500 on GET /items"),))
    return Report("contracts run: devctl", (*passed, failed, fuzz,
                                            CheckResult("response-schema", "github", "list_pulls", "x", Status.SEEDED)))


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
    for column in ("consumer", "pact", "schema", "error format", "drift", "fuzz", "gate"):
        assert f"<th>{column}</th>" in page


def test_the_page_is_self_contained() -> None:
    page = render_matrix(_report())
    assert not re.search(r"""(src|href)=['"]?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page


def test_the_same_failures_render_the_same_bytes_in_any_finding_order() -> None:
    report = _report()
    failed = report.results[3]
    shuffled = list(failed.findings)
    random.Random(7).shuffle(shuffled)
    reversed_result = CheckResult(failed.check, failed.provider, failed.operation, failed.interaction, failed.status,
                                  failed.message, findings=tuple(reversed(shuffled)))
    other = Report(report.title, (*report.results[:3], reversed_result, *report.results[4:]))
    assert render_matrix(other) == render_matrix(report)
    assert recap_lines(other) == recap_lines(report)


def test_the_text_report_ends_with_a_recap_of_failures() -> None:
    text = render_report(_report(), "text")
    recap = text[text.index("Failures (2):"):]
    assert "pagerduty / get_incident [pact] CK421 Actual map is missing the following keys: title at $.incident " \
           "(+1 more finding)  -> cassettes/pagerduty/get_incident.yaml" in recap
    assert "inventory / list_items [fuzz] CK501 server error 500 on GET /items" in recap
    assert recap.rstrip().endswith("3 passed, 1 seeded, 2 failed, 0 skipped in 0.00s")


def test_a_green_report_has_no_recap() -> None:
    report = Report("ok", (CheckResult("pact", "a", "b", "c", Status.PASSED),))
    assert "Failures" not in render_report(report, "text")
    assert "Every check held." in render_report(report, "html")


def test_contracts_run_html_is_the_matrix_and_report_renders_saved_results(tmp_path: Path, run_cli) -> None:
    saved = tmp_path / "run.json"
    code, _, _ = run_cli("run", "--registry", str(REPO / "registry.yaml"), "--quiet", "--format", "json", "-o", str(saved))
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
    code, out, _ = run_cli(command, "--registry", str(REPO / "registry.yaml"), "--format", output_format, "-o", str(target))
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
        return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                               "--disable-background-networking", "--disable-component-update", "--disable-sync",
                               f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120)


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
