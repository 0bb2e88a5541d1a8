"""`contracts gate --base REF` against a real git repository made in tmp_path."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from contractkit.cli import main

REGISTRY = """\
version: 1
consumer: shop
gate:
  unused_breaking: {unused}
  ledger: contracts/accepted-changes.yaml
providers:
  inventory:
    base_url: http://127.0.0.1:9/api
    spec: schemas/inventory/openapi.json
    error_schema: schemas/inventory/error.schema.json
    operations:
      get_item: {{method: GET, path: "/items/{{id}}", safe: true}}
      get_stock: {{method: GET, path: "/stock", safe: true}}
"""

ITEM = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "inventory", "version": "1"},
    "paths": {
        "/items/{id}": {
            "get": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                    }
                },
            }
        },
        "/stock": {
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["count"],
                                    "properties": {"count": {"type": "integer"}},
                                }
                            }
                        },
                    }
                }
            }
        },
    },
    "components": {"schemas": {"Item": ITEM}},
}
ERROR_SCHEMA = {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}}


def _git(repo: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(repo), *arguments], check=True, capture_output=True, text=True)


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=2) + "\n", encoding="utf-8")


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A committed registry with one provider; the test edits the working tree afterwards."""
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.email", "gate@example.invalid")
    _git(root, "config", "user.name", "gate test")
    _write(root / "registry.yaml", REGISTRY.format(unused="warn"))
    _write(root / "schemas/inventory/openapi.json", SPEC)
    _write(root / "schemas/inventory/error.schema.json", ERROR_SCHEMA)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    return root


def _gate(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, Any]]:
    code = main(["gate", "--registry", str(repo / "registry.yaml"), "--base", "main", "--format", "json", *extra])
    out = capsys.readouterr().out
    return code, json.loads(out)


def _edit_spec(repo: Path, edit: Any) -> None:
    spec = copy.deepcopy(SPEC)
    edit(spec)
    _write(repo / "schemas/inventory/openapi.json", spec)


def _pact(repo: Path, item: dict[str, Any] | None = None, stock: dict[str, Any] | None = None) -> None:
    """The shop's pact: what it reads of an item (and of the stock listing, when given)."""
    interactions = []
    for description, path, body in (("an item", "/api/items/7", item), ("the stock", "/api/stock", stock)):
        if body is None:
            continue
        interactions.append(
            {
                "type": "Synchronous/HTTP",
                "description": description,
                "request": {"method": "GET", "path": path},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {"contentType": "application/json", "encoded": False, "content": body},
                },
            }
        )
    _write(
        repo / "pacts/shop-inventory.json",
        {
            "consumer": {"name": "shop"},
            "provider": {"name": "inventory"},
            "metadata": {"pactSpecification": {"version": "4.0"}},
            "interactions": interactions,
        },
    )


def _drop_name(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["Item"]["properties"].pop("name")
    spec["components"]["schemas"]["Item"]["required"] = ["id"]


def _drop_count(spec: dict[str, Any]) -> None:
    schema = spec["paths"]["/stock"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    schema["properties"].pop("count")
    schema["required"] = []


def _ledger(repo: Path, entries: list[dict[str, str]]) -> None:
    lines = ["version: 1", "accepted:" if entries else "accepted: []"]
    for entry in entries:
        lines.append(f"  - rule: {entry['rule']}")
        for key in ("provider", "location", "owner", "reason", "expires"):
            if key in entry:
                lines.append(f"    {key}: {json.dumps(entry[key])}" if key != "expires" else f"    {key}: {entry[key]}")
    _write(repo / "contracts/accepted-changes.yaml", "\n".join(lines) + "\n")


def test_unchanged_working_tree_passes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Byte for byte, nothing is listed as compared (the report names only files that differ from the base), which a
    gate that read nothing would also show; so the same descriptions are then written again with other whitespace:
    the gate must name both registered documents as compared and still find no change."""
    code, report = _gate(repo, capsys)
    assert code == 0
    assert report["breaking"] is False and report["changes"] == [] and report["compared"] == []
    assert report["notes"] == []  # each registered document was found at the base (a missing one is a note)

    tracked = ["schemas/inventory/openapi.json", "schemas/inventory/error.schema.json"]
    for name in tracked:
        _write(repo / name, json.dumps(json.loads((repo / name).read_text()), indent=None, separators=(",", ":")))
    code, report = _gate(repo, capsys)
    assert code == 0
    assert report["compared"] == tracked
    assert report["breaking"] is False and report["changes"] == [] and report["pact_findings"] == []


def test_breaking_change_a_consumer_reads_blocks_and_names_who_reads_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _pact(repo, item={"id": 7, "name": "bolt"})
    _edit_spec(repo, _drop_name)
    code, report = _gate(repo, capsys)
    assert code == 1
    assert report["compared"] == ["schemas/inventory/openapi.json"]
    [change] = [c for c in report["changes"] if c["verdict"] == "block"]
    assert change["rule"] == "response-property-removed"
    assert (change["method"], change["path"], change["provider"]) == ("GET", "/items/{id}", "inventory")
    assert "shop (an item)" in change["note"] and "$.name" in change["note"]


def test_breaking_change_on_an_operation_no_consumer_reads_there_is_unused(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The consumer calls GET /items/{id} but reads only `id`: removing `name` cannot break it."""
    _pact(repo, item={"id": 7})
    _edit_spec(repo, _drop_name)
    code, report = _gate(repo, capsys)
    assert code == 0
    [change] = [c for c in report["changes"] if c["rule"] == "response-property-removed"]
    assert change["verdict"] == "warn"
    assert change["note"].startswith("unused: no consumer sends or reads it")


def test_unused_breaking_change_warns_or_blocks_by_registry_setting(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit_spec(repo, _drop_count)
    code, report = _gate(repo, capsys)
    assert code == 0
    [change] = report["changes"]
    assert (change["rule"], change["verdict"], change["path"]) == ("response-property-removed", "warn", "/stock")
    assert "gate.unused_breaking: warn" in change["note"]
    _write(repo / "registry.yaml", REGISTRY.format(unused="block"))
    code, report = _gate(repo, capsys)
    assert code == 1
    assert report["changes"][0]["verdict"] == "block"
    _write(repo / "registry.yaml", REGISTRY.format(unused="off"))  # YAML reads a bare off as false: still "off"
    code, report = _gate(repo, capsys)
    assert code == 0
    assert all(change["verdict"] == "info" for change in report["changes"])


def test_ledger_accepts_an_intended_break_until_it_expires(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(repo / "registry.yaml", REGISTRY.format(unused="block"))
    _edit_spec(repo, _drop_name)
    entry = {
        "rule": "response-property-removed",
        "provider": "inventory",
        "location": "#/paths/~1items~1{id}/get/*",
        "owner": "inventory-team",
        "reason": "name moves to /items/{id}/details",
        "expires": "2099-01-31",
    }
    _ledger(repo, [entry])
    code, report = _gate(repo, capsys)
    assert code == 0
    [change] = report["changes"]
    assert change["verdict"] == "accepted" and "inventory-team" in change["note"]
    assert report["ledger"] == {"stale": [], "expired": []}

    _ledger(repo, [dict(entry, expires="2020-01-31")])
    code, report = _gate(repo, capsys)
    assert code == 1
    assert report["changes"][0]["verdict"] == "block"
    assert "expired on 2020-01-31" in report["changes"][0]["note"]
    assert [e["owner"] for e in report["ledger"]["expired"]] == ["inventory-team"]


def test_an_expired_entry_fails_the_gate_even_when_its_change_is_gone(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The change was merged long ago and is no longer in the diff; the promise to revisit it has lapsed."""
    _ledger(
        repo,
        [
            {
                "rule": "response-property-removed",
                "location": "#/paths/~1items~1{id}/get/*",
                "owner": "inventory-team",
                "reason": "name moves",
                "expires": "2020-01-31",
            }
        ],
    )
    code, report = _gate(repo, capsys)
    assert code == 1
    assert report["changes"] == []
    assert [(e["owner"], e["expires"]) for e in report["ledger"]["expired"]] == [("inventory-team", "2020-01-31")]
    main(["gate", "--registry", str(repo / "registry.yaml"), "--base", "main"])
    text = capsys.readouterr().out
    assert "owner inventory-team" in text and "expired on 2020-01-31" in text and text.rstrip().endswith("FAILED")


def test_ledger_entry_matching_nothing_is_reported_stale(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _ledger(
        repo,
        [
            {
                "rule": "operation-removed",
                "location": "#/paths/~1gone/get",
                "owner": "o",
                "reason": "r",
                "expires": "2099-01-01",
            }
        ],
    )
    code, report = _gate(repo, capsys)
    assert code == 0
    assert [e["location"] for e in report["ledger"]["stale"]] == ["#/paths/~1gone/get"]


def test_changed_error_schema_is_diffed_as_a_response(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _pact(repo, item={"id": 7})
    _write(
        repo / "schemas/inventory/error.schema.json", {"type": "object", "properties": {"message": {"type": "string"}}}
    )
    code, report = _gate(repo, capsys)
    assert code == 1
    assert report["compared"] == ["schemas/inventory/error.schema.json"]
    assert report["changes"][0]["rule"] == "response-property-became-optional"


def test_pact_that_no_longer_fits_the_new_spec_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pact = {
        "consumer": {"name": "shop"},
        "provider": {"name": "inventory"},
        "metadata": {"pactSpecification": {"version": "4.0"}},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": "an item",
                "request": {"method": "GET", "path": "/api/items/7"},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {"contentType": "application/json", "encoded": False, "content": {"id": 7, "name": "bolt"}},
                },
            }
        ],
    }
    _write(repo / "pacts/shop-inventory.json", pact)
    code, report = _gate(repo, capsys)
    assert code == 0 and report["pact_findings"] == []

    spec = copy.deepcopy(SPEC)
    spec["components"]["schemas"]["Item"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"id": {"type": "integer"}},
    }
    _write(repo / "schemas/inventory/openapi.json", spec)
    code, report = _gate(repo, capsys)
    assert code == 1
    assert report["pact_findings"], report
    assert all(finding["provider"] == "inventory" for finding in report["pact_findings"])


def test_a_call_that_reads_nothing_of_the_body_does_not_observe_a_field(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _pact(repo, stock={})
    _edit_spec(repo, _drop_count)
    code, report = _gate(repo, capsys)
    assert code == 0 and report["changes"][0]["verdict"] == "warn"
    _pact(repo, stock={"count": 3})
    code, report = _gate(repo, capsys)
    assert code == 1
    assert report["changes"][0]["verdict"] == "block" and "shop (the stock)" in report["changes"][0]["note"]


def test_unknown_base_ref_is_bad_input(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["gate", "--registry", str(repo / "registry.yaml"), "--base", "no-such-branch"])
    assert code == 2
    assert "git ref 'no-such-branch' cannot be resolved" in capsys.readouterr().err


def test_malformed_ledger_is_bad_input_with_file_and_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(
        repo / "contracts/accepted-changes.yaml",
        "version: 1\naccepted:\n  - rule: response-property-removed\n    location: '#/x'\n    owner: me\n    reason: r\n",
    )
    code = main(["gate", "--registry", str(repo / "registry.yaml"), "--base", "main"])
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "error: contracts/accepted-changes.yaml:3: accepted[0]: missing required key 'expires'"
    )


def test_registry_outside_git_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "registry.yaml", REGISTRY.format(unused="warn"))
    _write(tmp_path / "schemas/inventory/openapi.json", SPEC)
    code = main(["gate", "--registry", str(tmp_path / "registry.yaml"), "--base", "main"])
    assert code == 2
    assert "is not inside a git repository" in capsys.readouterr().err


def test_text_report_and_github_annotations(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _pact(repo, item={"id": 7, "name": "bolt"})
    _edit_spec(repo, _drop_name)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code = main(["gate", "--registry", str(repo / "registry.yaml"), "--base", "main"])
    out = capsys.readouterr().out
    assert code == 1
    annotation = next(line for line in out.splitlines() if line.startswith("::error "))
    assert annotation.startswith("::error file=schemas/inventory/openapi.json,line=")
    assert "title=response-property-removed%3A GET /items/{id}" in annotation
    assert "BLOCK     response-property-removed" in out
    assert out.rstrip().endswith("FAILED")


def test_pact_of_an_unknown_provider_is_reported_as_unchecked(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(
        repo / "pacts/shop-billing.json",
        {
            "consumer": {"name": "shop"},
            "provider": {"name": "billing"},
            "interactions": [],
            "metadata": {"pactSpecification": {"version": "4.0"}},
        },
    )
    code, report = _gate(repo, capsys)
    assert code == 0
    assert report["notes"] == ["pacts/shop-billing.json belongs to no provider of the registry: not checked"]


def test_gate_html_page_names_who_observes_a_blocking_change(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _pact(repo, item={"id": 7, "name": "bolt"})
    _edit_spec(repo, _drop_name)
    page_path = repo / "gate.html"
    code = main(
        ["gate", "--registry", str(repo / "registry.yaml"), "--base", "main", "--format", "html", "-o", str(page_path)]
    )
    assert code == 1
    page = page_path.read_text()
    assert "<tr data-verdict='block' data-provider='inventory'>" in page
    assert "shop (an item)" in page and "$.name" in page
