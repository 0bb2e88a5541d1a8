"""A check on a seeded cassette could not have failed: every format says SEEDED, never a plain pass (JUnit: a
skipped test case with the reason), and the counts keep it apart."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from contractkit.core.model import CheckResult, Report, Status
from contractkit.reports import render_report

REPORT = Report(
    title="contracts verify",
    results=(
        CheckResult(
            "pact",
            "pager",
            "get_incident",
            "the incident",
            Status.SEEDED,
            "answered by cassettes/pager/get_incident.yaml, seeded from openapi-schema",
        ),
        CheckResult("pact", "pager", "list_incidents", "a listing", Status.PASSED, "verified against a recording"),
    ),
)


def test_junit_reports_a_seeded_check_as_skipped_with_its_reason() -> None:
    root = ElementTree.fromstring(render_report(REPORT, "junit").split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("skipped"), suite.get("failures")) == ("2", "1", "0")
    seeded, passed = suite.findall("testcase")
    skipped = seeded.find("skipped")
    assert skipped is not None and skipped.get("type") == "seeded"
    assert skipped.get("message") == (
        "seeded: answered by cassettes/pager/get_incident.yaml, seeded from openapi-schema"
    )
    assert passed.find("skipped") is None and passed.find("failure") is None


def test_json_text_and_markdown_count_seeded_apart_from_passed() -> None:
    data = json.loads(render_report(REPORT, "json"))
    assert (data["summary"]["passed"], data["summary"]["seeded"]) == (1, 1)
    assert [row["status"] for row in data["results"]] == ["seeded", "passed"]
    text = render_report(REPORT, "text")
    assert "SEEDED [pact] pager / get_incident" in text and "1 passed, 1 seeded" in text
    assert "🌱" in render_report(REPORT, "markdown")


def test_contracts_verify_calls_a_pact_check_answered_by_a_seeded_cassette_seeded(run_cli) -> None:
    """grafana's cassettes are seeded from its description (nothing recorded): its pact checks could not have
    failed, so none is PASSED; JUnit lists each as skipped with the cassette that answered it."""
    from pathlib import Path

    registry = str(Path(__file__).resolve().parents[2] / "registry.yaml")
    code, out, _ = run_cli("verify", "--registry", registry, "--provider", "grafana", "--format", "json")
    assert code == 0
    pact_rows = [row for row in json.loads(out)["results"] if row["check"] == "pact"]
    assert pact_rows and all(
        row["status"] == "seeded"
        and row["cassette_source"] == "openapi-schema"
        and row["message"].startswith("seeded: answered by cassettes/grafana/")
        for row in pact_rows
    )
    code, junit, _ = run_cli("verify", "--registry", registry, "--provider", "grafana", "--format", "junit")
    root = ElementTree.fromstring(junit.split("\n", 1)[1])
    cases = [case for case in root.iter("testcase") if case.get("classname") == "grafana.pact"]
    assert len(cases) == len(pact_rows)
    assert all(case.find("skipped") is not None and case.find("skipped").get("type") == "seeded" for case in cases)
