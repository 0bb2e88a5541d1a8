"""devctl's GitHub client against the GitHub contract."""

import pytest
from devctl import github

pytestmark = pytest.mark.contract
TOKEN = "ghp_test_token"


def test_open_pulls(contract):
    with contract("github", "list_pulls") as server:
        assert github.open_pulls(server.url, TOKEN, "acme", "devctl") == [(42, "Add deploy command", "octocat")]


def test_pull_head(contract):
    with contract("github", "get_pull") as server:
        branch, sha = github.pull_head(server.url, TOKEN, "acme", "devctl", 42)
    assert branch == "feature/deploy" and len(sha) == 40


def test_active_workflows(contract):
    with contract("github", "list_workflows") as server:
        assert github.active_workflows(server.url, TOKEN, "acme", "devctl") == [".github/workflows/ci.yml"]
