"""Message interactions beside HTTP ones in what users read: `contracts consumer` results, the HTML matrix of
`contracts run`, `contracts lint` of a broken message contract; and a copy of the contracts without the team's
handler code still checks and writes the message pacts, saying that the handler was not run."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from contractkit.cli import main

os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
ROOT = Path(__file__).resolve().parents[2]
REGISTRY = """\
version: 1
consumer: devctl
providers:
  github-webhooks:
    title: GitHub webhooks
    contract: contracts/github-webhooks.yaml
    messages:
      push: {event: push, transport: webhook, schema: schemas/push.schema.json}
      pull_request: {event: pull_request, transport: webhook, schema: schemas/pull_request.schema.json}
      workflow_run: {event: workflow_run, transport: webhook, schema: schemas/workflow_run.schema.json}
"""


def _copy(tmp_path: Path) -> Path:
    """The example's GitHub webhooks provider alone, without devctl's code (its handler_path leads nowhere)."""
    (tmp_path / "contracts").mkdir()
    shutil.copy(ROOT / "contracts/github-webhooks.yaml", tmp_path / "contracts")
    shutil.copytree(ROOT / "schemas/github-webhooks", tmp_path / "schemas")
    (tmp_path / "registry.yaml").write_text(REGISTRY)
    return tmp_path / "registry.yaml"


def test_the_html_matrix_shows_message_checks_beside_http_ones(tmp_path):
    out = tmp_path / "matrix.html"
    assert main(["run", "--registry", str(ROOT / "registry.yaml"), "--format", "html", "-o", str(out)]) == 0
    page = out.read_text()
    assert "<th>consumer-message</th>" in page and "<th>consumer</th>" in page
    for provider, message in (("github-webhooks", "push"), ("s3-events", "object_created")):
        assert f"data-provider='{provider}'" in page and f"<td class='operation'>{message}</td>" in page


def test_a_copy_without_the_handler_code_writes_the_pact_and_says_so(tmp_path, capsys, monkeypatch):
    registry = _copy(tmp_path)
    # devctl's code out of reach, even when another test of this session imported it
    monkeypatch.setattr(sys, "path", [entry for entry in sys.path if not entry.endswith("contracts")])
    for name in [name for name in sys.modules if name == "devctl" or name.startswith("devctl.")]:
        monkeypatch.delitem(sys.modules, name)
    code = main(["consumer", "--registry", str(registry), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {result["check"] for result in report["results"]} == {"consumer-message"}
    notes = [finding["message"] for result in report["results"] for finding in result["findings"]]
    assert notes and all("not handed to its handler" in note and "devctl" in note for note in notes)
    pact = json.loads((tmp_path / "pacts/devctl-github-webhooks.json").read_text())
    assert {item["type"] for item in pact["interactions"]} == {"Asynchronous/Messages"}
    assert sorted(item["comments"]["message"] for item in pact["interactions"]) == [
        "pull_request",
        "push",
        "workflow_run",
    ]


def test_lint_names_a_message_the_registry_does_not_declare(tmp_path, capsys):
    registry = _copy(tmp_path)
    contract = tmp_path / "contracts/github-webhooks.yaml"
    contract.write_text(contract.read_text().replace("  - message: workflow_run\n", "  - message: workflow_runs\n"))
    code = main(["lint", "--registry", str(registry)])
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert code == 2
    assert "github-webhooks.yaml" in text and "message 'workflow_runs' is not declared" in text
    assert "did you mean 'workflow_run'?" in text
