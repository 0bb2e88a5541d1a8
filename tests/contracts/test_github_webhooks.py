"""devctl's GitHub webhook handler against the GitHub webhooks contract: each message through the handler."""

import pytest
from devctl import webhooks

pytestmark = pytest.mark.contract


def test_push_to_main_deploys(message_contract):
    (outcome,) = message_contract("github-webhooks", "push", handler=webhooks.handle)
    assert "$.after" in outcome.reads and "$.commits[0].message" in outcome.reads


def test_opened_pull_request_asks_for_review(message_contract):
    (outcome,) = message_contract("github-webhooks", "pull_request", handler=webhooks.handle)
    assert "$.pull_request.head.ref" in outcome.reads


def test_finished_workflow_run_notifies(message_contract):
    (outcome,) = message_contract("github-webhooks", "workflow_run", handler=webhooks.handle)
    assert "$.workflow_run.conclusion" in outcome.reads


def test_handler_actions():
    assert (
        webhooks.handle({"ref": "refs/tags/v1", "repository": {"full_name": "a/b"}}, {"X-GitHub-Event": "push"}) is None
    )
