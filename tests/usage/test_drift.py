"""Drift graded by the usage model, and provider-state variants compared with their own interactions."""

from __future__ import annotations

import shutil
from pathlib import Path

from contractkit.cassettes import Cassette, RecordedInteraction, RecordedRequest, RecordedResponse
from contractkit.cassettes.drift import iter_drift
from contractkit.core.model import Severity
from contractkit.pact.usage import load_usage
from contractkit.registry import load_registry

REPO = Path(__file__).resolve().parents[2]


def _cassette(path: Path, body: str) -> Cassette:
    request = RecordedRequest("GET", "http://127.0.0.1:9/v2/pages?limit=10")
    response = RecordedResponse(200, {"Content-Type": ("application/json",)}, body, "OK")
    return Cassette(
        path, (RecordedInteraction(request, response, "list_pages"),), {"provider": "pager", "operation": "list_pages"}
    )


def test_each_difference_is_graded_by_whether_a_consumer_reads_it(pager, tmp_path):
    registry = load_registry(pager)
    old = _cassette(
        tmp_path / "old" / "list_pages.yaml",
        '{"pages": [{"id": "P1", "title": "t", "owner": {"id": "U", "name": "n"}, "sortMeta": 1}]}',
    )
    new = _cassette(
        tmp_path / "new" / "list_pages.yaml",
        '{"pages": [{"id": "P1", "owner": {"id": "U", "name": 3}, "sortMeta": 1, "rank": 2}]}',
    )
    findings = list(iter_drift(old, new, usage=load_usage(registry), provider=registry.provider("pager")))
    assert [(f.severity, f.message) for f in findings] == [
        (
            Severity.ERROR,
            "field $.pages[*].title (string) removed: breaks a consumer: devctl (a listing of pages): "
            "reads $.pages[*].title (matched by type)",
        ),
        (Severity.INFO, "field $.pages[*].rank (number) added: added field"),
        (Severity.WARNING, "field $.pages[*].owner.name changed type from string to number: unused field"),
    ]


def test_drift_of_identical_folders_passes_for_providers_with_state_variants(run_cli, tmp_path):
    """`contracts drift A A` compared the default cassette with the interaction in a state; now each cassette
    answers its own state's interactions, and a variant is checked against the interaction given its state."""
    for provider in ("grafana", "pagerduty", "jira", "argocd"):
        code, out, _ = run_cli(
            "drift",
            "--registry",
            str(REPO / "registry.yaml"),
            "--provider",
            provider,
            str(REPO / "cassettes" / provider),
            str(REPO / "cassettes" / provider),
        )
        assert code == 0, out
        assert "CK311" not in out
    # A variant that lost a field the stated interaction reads still breaks the pact.
    work = tmp_path / "cassettes" / "grafana"  # the registry's state folder is cassettes/grafana/states/...
    shutil.copytree(REPO / "cassettes" / "grafana", work)
    variant = work / "states" / "a-dashboard-exists" / "get_dashboard.yaml"
    variant.write_text(variant.read_text().replace('"title": "Node exporter"', '"name": "Node exporter"'))
    code, out, _ = run_cli(
        "drift",
        "--registry",
        str(REPO / "registry.yaml"),
        "--provider",
        "grafana",
        str(REPO / "cassettes" / "grafana"),
        str(work),
    )
    assert code == 1, out
    assert (
        "CK311 $.dashboard.title is missing, the pact expects it at pact interactions[1] (a request for the "
        "dashboard cpu-overview)" in out
    )
