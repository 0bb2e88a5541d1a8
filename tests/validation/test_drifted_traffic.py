"""Drifted traffic against the real GitHub description (skipped when ../shared/specs is absent), and honest counts."""

from __future__ import annotations

import json
from pathlib import Path

from traffic import build_traffic
from verification_support import HIT, write_cassette, write_registry

from contractkit.core.model import Report, Status
from contractkit.openapi.overlays import apply_overlay, load_overlay
from contractkit.registry import load_registry
from contractkit.reports import render_text
from contractkit.validation.recordings import validate_cassettes, validate_recordings
from contractkit.validation.responses import SchemaFinding, SpecValidator
from contractkit.validation.suggestions import suggest_corrections, write_overlay_suggestions
from contractkit.validation.summary import summarize_conformance


def test_two_thirds_drifted_github_traffic_is_summarised_and_overlay_suggestions_fix_it(
    github_document, tmp_path: Path
):
    cassette, drifts, changed = build_traffic(github_document, total=1500)
    path = tmp_path / "github.json"
    path.write_text(json.dumps(cassette))
    validator = SpecValidator(github_document, source="api.github.com.json")

    report = validate_recordings(validator, [path])

    failed = [result for result in report.results if result.status is Status.FAILED]
    assert changed == 1000 and len(failed) == changed  # every drifted response, and only those
    summary = summarize_conformance(report.results)
    assert (summary.responses, summary.disagreeing) == (1500, 1000)
    counts = [row.responses for row in summary.rows]
    assert counts == sorted(counts, reverse=True)
    kinds = {row.kind for row in summary.rows}
    assert {"missing-required", "null", "format", "enum", "undocumented-status"} <= kinds
    assert sum(row.responses for row in summary.rows if row.kind == "undocumented-status") == sum(
        1 for result in failed if result.findings[0].code == "CK402"
    )

    suggestions = suggest_corrections(github_document, report.results)
    assert {item.op for item in suggestions} == {"replace", "remove", "add"}
    assert all(item.evidence.disagreeing * 2 >= item.evidence.responses for item in suggestions)
    overlay = tmp_path / "suggested.yaml"
    write_overlay_suggestions(overlay, suggestions, reference="test")
    corrected = SpecValidator(apply_overlay(github_document, load_overlay(overlay)), source="api.github.com.json")
    still = [result for result in validate_recordings(corrected, [path]).results if result.status is Status.FAILED]
    assert len(still) <= len(failed) - max(item.evidence.disagreeing for item in suggestions)
    # nothing a suggestion covers is still reported
    kind_of_op = {"replace": "missing-required", "remove": "format", "add": "null"}
    covered = {(kind_of_op[item.op], "#" + item.path.rsplit("/", 1)[0]) for item in suggestions}
    for result in still:
        for finding in result.findings:
            if isinstance(finding, SchemaFinding) and finding.kind in ("format", "null"):
                target = (finding.via or finding.schema_pointer) if finding.kind == "null" else finding.schema_pointer
                assert (finding.kind, target) not in covered, finding


def test_a_check_on_a_seeded_cassette_is_counted_as_seeded_not_passed(tmp_path: Path):
    registry_path = write_registry(tmp_path)
    cassettes = tmp_path / "cassettes" / "grafana"
    write_cassette(
        cassettes, "search_dashboards", ("GET", "http://127.0.0.1:3000/api/search", 200, [HIT]), source="openapi-schema"
    )
    write_cassette(
        cassettes, "get_dashboard", ("GET", "http://127.0.0.1:3000/api/dashboards/uid/x", 200, {}), source="live"
    )
    write_cassette(
        cassettes,
        "create_annotation",
        ("POST", "http://127.0.0.1:3000/api/annotations", 200, {"id": "x"}),
        source="openapi-example",
    )
    registry = load_registry(registry_path)

    results = validate_cassettes(registry, registry.provider("grafana"))

    by_operation = {result.operation: result.status for result in results}
    assert by_operation == {
        "search_dashboards": Status.SEEDED,
        "get_dashboard": Status.PASSED,
        "create_annotation": Status.FAILED,
    }  # a seeded cassette that fails is still a failure
    assert (
        render_text(Report("t", tuple(results))).splitlines()[-1].startswith("1 passed, 1 seeded, 1 failed, 0 skipped")
    )
