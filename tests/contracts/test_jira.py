"""devctl's Jira client against the Jira contract."""

import pytest
from devctl import jira

pytestmark = pytest.mark.contract
EMAIL, TOKEN = "devctl@acme.example", "jira_test_token"


def test_issue_status(contract):
    with contract("jira", "get_issue") as server:
        assert jira.issue_status(server.url, EMAIL, TOKEN, "OPS-101") == ("In Progress", "Mia Krystof")


def test_project_keys(contract):
    with contract("jira", "search_projects") as server:
        assert jira.project_keys(server.url, EMAIL, TOKEN) == ["OPS"]


def test_open_issue_keys(contract):
    with contract("jira", "search_issues") as server:
        assert jira.open_issue_keys(server.url, EMAIL, TOKEN, "OPS") == ["OPS-101"]


def test_comment_deploy(contract):
    with contract("jira", "add_comment") as server:
        assert jira.comment_deploy(server.url, EMAIL, TOKEN, "OPS-101", "v2.4.1") == "10050"
