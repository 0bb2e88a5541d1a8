"""devctl's Jira client (requests, basic auth with an API token)."""

from __future__ import annotations

import requests

TIMEOUT = 10


def _session(email: str, token: str) -> requests.Session:
    session = requests.Session()
    session.auth = (email, token)
    session.headers["Accept"] = "application/json"
    return session


def issue_status(base_url: str, email: str, token: str, key: str) -> tuple[str, str | None]:
    """(status name, assignee display name) of an issue."""
    response = _session(email, token).get(
        f"{base_url}/rest/api/3/issue/{key}", params={"fields": "summary,status,assignee"}, timeout=TIMEOUT
    )
    response.raise_for_status()
    fields = response.json()["fields"]
    assignee = fields.get("assignee")
    return fields["status"]["name"], assignee["displayName"] if assignee else None


def project_keys(base_url: str, email: str, token: str) -> list[str]:
    """Keys of the first page of projects."""
    response = _session(email, token).get(
        f"{base_url}/rest/api/3/project/search", params={"maxResults": "50", "startAt": "0"}, timeout=TIMEOUT
    )
    response.raise_for_status()
    return [project["key"] for project in response.json()["values"]]


def open_issue_keys(base_url: str, email: str, token: str, project: str) -> list[str]:
    """Keys of the issues of a project that are not done."""
    params = {"jql": f"project = {project} AND statusCategory != Done", "maxResults": "50", "fields": "summary,status"}
    response = _session(email, token).get(f"{base_url}/rest/api/3/search/jql", params=params, timeout=TIMEOUT)
    response.raise_for_status()
    return [issue["key"] for issue in response.json()["issues"]]


def comment_deploy(base_url: str, email: str, token: str, key: str, version: str) -> str:
    """Comment on an issue that a version was deployed; returns the comment id."""
    document = {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": f"devctl deployed api {version}"}]}],
    }
    response = _session(email, token).post(
        f"{base_url}/rest/api/3/issue/{key}/comment", json={"body": document}, timeout=TIMEOUT
    )
    response.raise_for_status()
    return str(response.json()["id"])
