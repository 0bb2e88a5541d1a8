"""`contracts verify --provider P --message-handler module:function`: the consumers' message pacts verified live
against the provider's producer function through pact-python's message verification (the Pact core's Verifier):
a producer that sends what the pacts expect passes, one that sends a field of the wrong type fails naming it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from contractkit.cli import main

os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
ROOT = Path(__file__).resolve().parents[2]
SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"

PRODUCER = """
import json

REPOSITORY = {"full_name": "acme/devctl", "private": False}
BODIES = {
    "a push to the main branch": {
        "ref": "refs/heads/main", "after": AFTER, "repository": REPOSITORY, "pusher": {"name": "octocat"},
        "commits": [{"id": "%(sha)s", "message": "Add deploy command"}],
    },
    "a pull request is opened": {
        "action": "opened", "number": 7, "repository": REPOSITORY,
        "pull_request": {"title": "Retry", "draft": False, "user": {"login": "hubot"}, "head": {"ref": "retry"}},
    },
    "a workflow run completes": {
        "action": "completed", "repository": REPOSITORY,
        "workflow_run": {"name": "CI", "head_branch": None, "conclusion": "failure", "html_url": "https://x/1"},
    },
}
EVENTS = {"a push to the main branch": "push", "a pull request is opened": "pull_request"}


def produce(name, metadata):
    event = EVENTS.get(name, "workflow_run")
    headers = {"X-GitHub-Event": event, "X-Hub-Signature-256": "sha256=" + "ab" * 32}
    return {"contents": json.dumps(BODIES[name]).encode(), "metadata": headers, "content_type": "application/json"}
""" % {"sha": SHA}


def _verify(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, after: str) -> tuple[int, dict]:
    module = f"webhook_producer_{abs(hash(after))}"  # a module of its own: an imported one is cached
    (tmp_path / f"{module}.py").write_text(PRODUCER.replace("AFTER", after))
    monkeypatch.syspath_prepend(str(tmp_path))
    code = main(
        [
            "verify",
            "--registry",
            str(ROOT / "registry.yaml"),
            "--provider",
            "github-webhooks",
            "--message-handler",
            f"{module}:produce",
            "--format",
            "json",
        ]
    )
    return code, json.loads(capsys.readouterr().out)


def test_a_producer_sending_what_the_pacts_expect_passes(tmp_path, monkeypatch, capsys):
    code, report = _verify(tmp_path, monkeypatch, capsys, repr("0" * 40))
    statuses = {result["interaction"]: result["status"] for result in report["results"]}
    assert code == 0, report
    assert statuses == {
        "devctl: a push to the main branch": "passed",
        "devctl: a pull request is opened": "passed",
        "devctl: a workflow run completes": "passed",
    }


def test_a_producer_sending_a_wrong_type_fails_naming_the_field(tmp_path, monkeypatch, capsys):
    code, report = _verify(tmp_path, monkeypatch, capsys, "42")
    assert code == 1
    (failed,) = [result for result in report["results"] if result["status"] == "failed"]
    assert failed["interaction"] == "devctl: a push to the main branch"
    assert "$.after" in failed["message"] and ":produce's message for 'a push to the main branch'" in failed["message"]


def test_message_handler_needs_one_provider(capsys):
    code = main(["verify", "--registry", str(ROOT / "registry.yaml"), "--all", "--message-handler", "x:y"])
    assert code == 2 and "exactly one --provider" in capsys.readouterr().err
