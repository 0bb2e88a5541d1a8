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
    verdicts = {(row["rule"], row["verdict"]): row["observers"]
                for row in report["results"]}
    assert verdicts[("response-property-removed", "observed")] == [
        {"consumer": "devctl", "interaction": "a listing of pages", "location": "$.pages[*].title",
         "reason": "reads $.pages[*].title (matched by type)"}]
    assert verdicts[("response-property-type-changed", "observed")][0]["consumer"] == "billing"
    assert not any(rule == "request-optional-parameter-removed" for rule, _ in verdicts)  # not breaking, not used
    slice_before = (pager.parent / "openapi.old.json").read_text()
    code, _, err = run_cli("specs", "check", "--registry", str(pager), "--provider", "pager", "--from", str(new),
                           "--update", "--format", "markdown")
    assert code == 1 and "wrote openapi.old.json from" in err
    updated = json.loads((pager.parent / "openapi.old.json").read_text())
    assert updated != json.loads(slice_before) and "/teams" not in updated["paths"]  # only registered operations
    code, out, _ = run_cli("specs", "check", "--registry", str(pager), "--from", str(new))
    assert code == 0 and "0 changes" in out


def test_changes_no_consumer_uses_pass_and_are_reported_as_unused(pager, run_cli):
    code, out, _ = run_cli("specs", "check", "--registry", str(pager), "--from", str(pager.parent / "openapi.unused.json"))
    assert code == 0, out
    assert "1 breaking, 0 observed by a consumer" in out
    assert "unused: $[*].owner.name" in out or "(unused: no consumer sends or reads it)" in out


@pytest.mark.parametrize(("arguments", "message"), [
    (("--from", "missing.json"), "missing.json"),
    (("--provider", "nope", "--from", "openapi.new.json"), "registry.yaml has no provider 'nope' (known: pager)"),
])
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
    code, _, err = run_cli("schemas", "import", "--registry", str(registry), "--provider", "pagerduty",
                           "--from", str(shared_specs / "pagerduty" / "old-2024-08" / "openapiv3.json"))
    assert code == 0, err
    code, out, _ = run_cli("specs", "check", "--registry", str(registry), "--provider", "pagerduty",
                           "--from", str(shared_specs / "pagerduty" / "openapiv3.json"), "--format", "json")
    report = json.loads(out)
    assert code == 0, out
    rows = report["results"]
    assert rows and all(row["verdict"] == "unused" for row in rows)
    assert any("response_play" in row["location"] for row in rows)
    assert ", 0 observed by a consumer" in report["title"]


def test_github_old_to_new_is_judged_by_what_devctl_reads(shared_specs, tmp_path, run_cli):
    registry = _registry_copy(tmp_path)
    code, _, err = run_cli("schemas", "import", "--registry", str(registry), "--provider", "github",
                           "--from", str(shared_specs / "github" / "old" / "api.github.com.json"))
    assert code == 0, err
    code, out, _ = run_cli("specs", "check", "--registry", str(registry),
                           "--from", str(shared_specs / "github" / "new" / "api.github.com.json"), "--format", "json")
    assert code in (0, 1), out
    report = json.loads(out)
    for row in report["results"]:
        verdict, observers = row["verdict"], row["observers"]
        assert (verdict == "observed") == bool(observers) or verdict not in ("observed", "unused")
        for seen in observers:
            assert seen["consumer"] == "devctl" and seen["location"]
    assert (code == 1) == any(row["verdict"] == "observed" for row in report["results"])
