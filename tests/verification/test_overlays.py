"""Quirks overlays: corrections with provenance are applied, checked, and retire themselves."""

from __future__ import annotations

from pathlib import Path

import pytest
from verification_support import HIT, grafana_like_spec, write_cassette, write_registry

from contractkit.cli import main
from contractkit.openapi.overlays import OverlayError, load_overlay
from contractkit.registry import load_registry
from contractkit.registry.context import ProviderContext
from contractkit.registry.overlay_evidence import iter_unneeded_entries
from contractkit.validation import validate_response

JSON = {"Content-Type": "application/json"}
OVERLAY = """version: 1
corrections:
  - id: search-hit-folder-uid-nullable
    op: add
    path: /components/schemas/Hit/properties/folderUid/nullable
    value: true
    provenance:
      reference: "tests: recorded General-folder dashboards"
      observed: 2026-11-22
      reason: real responses carry null for dashboards in the General folder
  - id: search-hit-sort-meta-any-integer
    op: merge
    path: /components/schemas/Hit/properties/sortMeta
    value: {minimum: -1000}
    provenance:
      reference: "tests: negative sortMeta"
      observed: 2026-11-22
      reason: sortMeta is negative when sorting by some keys
"""


def registry_with_overlay(root: Path, *, slice_already_fixed: bool = False, overlay: str = OVERLAY) -> Path:
    spec = grafana_like_spec()
    spec["components"]["schemas"]["Hit"]["properties"]["folderUid"] = {
        "type": "string",
        "nullable": slice_already_fixed,
    }
    spec["components"]["schemas"]["Hit"]["properties"]["sortMeta"] = {"type": "integer", "minimum": 0}
    (root / "schemas" / "grafana").mkdir(parents=True, exist_ok=True)
    (root / "schemas" / "grafana" / "overlay.yaml").write_text(overlay)
    path = write_registry(root, spec, extra_provider="    overlay: schemas/grafana/overlay.yaml\n")
    write_cassette(
        root / "cassettes" / "grafana",
        "search_dashboards",
        ("GET", "http://127.0.0.1:3000/api/search", 200, [dict(HIT, folderUid=None, sortMeta=-5)]),
    )
    return path


def test_validation_applies_the_overlay(tmp_path):
    grafana = load_registry(registry_with_overlay(tmp_path)).provider("grafana")
    assert validate_response(grafana, "search_dashboards", 200, JSON, [dict(HIT, folderUid=None, sortMeta=-5)]) == []
    [finding] = validate_response(grafana, "search_dashboards", 200, JSON, [dict(HIT, sortMeta=-5000)])
    assert finding.location == "$[0].sortMeta"


def test_without_the_overlay_the_quirk_fails(tmp_path):
    path = registry_with_overlay(tmp_path, overlay="version: 1\ncorrections: []\n")
    grafana = load_registry(path).provider("grafana")
    found = validate_response(grafana, "search_dashboards", 200, JSON, [dict(HIT, folderUid=None, sortMeta=-5)])
    assert sorted(f.location for f in found) == ["$[0].folderUid", "$[0].sortMeta"]


def test_needed_corrections_are_not_reported(tmp_path):
    registry = load_registry(registry_with_overlay(tmp_path))
    assert list(iter_unneeded_entries(ProviderContext(registry, registry.provider("grafana")))) == []


def test_a_correction_the_vendor_has_fixed_retires_itself(tmp_path):
    registry = load_registry(registry_with_overlay(tmp_path, slice_already_fixed=True))
    [finding] = list(iter_unneeded_entries(ProviderContext(registry, registry.provider("grafana"))))
    assert finding.code == "CK431"
    assert finding.location == "schemas/grafana/overlay.yaml:3"
    assert "'search-hit-folder-uid-nullable' is no longer needed" in finding.message


def test_verify_uses_the_overlay(tmp_path, capsys):
    path = registry_with_overlay(tmp_path)
    assert main(["verify", "--registry", str(path), "--provider", "grafana"]) == 0
    assert "PASSED [response-schema] grafana / search_dashboards" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "corrections:\n  - {id: a, op: add, path: /x, value: 1}\n",
            "overlay.yaml:2: corrections[0]: missing required key 'provenance'",
        ),
        (
            "corrections:\n  - id: a\n    op: add\n    path: /x\n    value: 1\n    provenance: {reference: r, observed: soon, reason: x}\n",
            "overlay.yaml:6: corrections[0].provenance.observed: expected a date such as 2026-11-22, got 'soon'",
        ),
        (
            "corrections:\n  - {id: a, op: patch, path: /x, value: 1, provenance: {reference: r, observed: 2026-01-01, reason: x}}\n",
            "overlay.yaml:2: corrections[0].op: expected one of add, replace, remove, merge, got 'patch'",
        ),
    ],
)
def test_malformed_overlays_name_file_key_and_line(tmp_path, text, message):
    path = tmp_path / "overlay.yaml"
    path.write_text(text)
    with pytest.raises(OverlayError) as caught:
        load_overlay(path)
    assert caught.value.describe() == f"{tmp_path}/{message}"


def test_a_pointer_that_does_not_apply_is_bad_input(tmp_path, capsys):
    overlay = OVERLAY.replace(
        "/components/schemas/Hit/properties/sortMeta", "/components/schemas/Gone/properties/sortMeta"
    )
    path = registry_with_overlay(tmp_path, overlay=overlay)
    assert main(["verify", "--registry", str(path), "--provider", "grafana"]) == 2
    err = capsys.readouterr().err
    assert (
        "correction 'search-hit-sort-meta-any-integer': /components/schemas/Gone/properties/sortMeta does not exist"
        in err
    )


def test_lint_warns_about_a_retired_correction_and_fails_on_a_broken_one(tmp_path, capsys):
    fixed = registry_with_overlay(tmp_path / "fixed", slice_already_fixed=True)
    assert main(["lint", "--registry", str(fixed)]) == 0
    out = capsys.readouterr().out
    assert "schemas/grafana/overlay.yaml:3" in out and "'search-hit-folder-uid-nullable' is no longer needed" in out

    broken = registry_with_overlay(tmp_path / "broken", overlay=OVERLAY.replace("op: merge", "op: patch"))
    assert main(["lint", "--registry", str(broken)]) == 2
    out = capsys.readouterr().out
    assert (
        "schemas/grafana/overlay.yaml:12: corrections[1].op: expected one of add, replace, remove, merge, got 'patch'"
        in out
    )
