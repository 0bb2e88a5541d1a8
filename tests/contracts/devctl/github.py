"""devctl's GitHub client (requests)."""

from __future__ import annotations

import requests

TIMEOUT = 10


def _headers(token: str) -> dict[str, str]:
    return {"Accept": "application/vnd.github+json", "Authorization": f"Bearer {token}"}


def open_pulls(base_url: str, token: str, owner: str, repo: str) -> list[tuple[int, str, str]]:
    """(number, title, author) of the open pull requests."""
    response = requests.get(
        f"{base_url}/repos/{owner}/{repo}/pulls",
        params={"state": "open", "per_page": "50"},
        headers=_headers(token),
        timeout=TIMEOUT,
    )
    response.raise_for_status()
    return [(pull["number"], pull["title"], pull["user"]["login"]) for pull in response.json()]


def pull_head(base_url: str, token: str, owner: str, repo: str, number: int) -> tuple[str, str]:
    """(branch, sha) at the head of a pull request."""
    response = requests.get(f"{base_url}/repos/{owner}/{repo}/pulls/{number}", headers=_headers(token), timeout=TIMEOUT)
    response.raise_for_status()
    head = response.json()["head"]
    return head["ref"], head["sha"]


def active_workflows(base_url: str, token: str, owner: str, repo: str) -> list[str]:
    """Paths of the active workflows."""
    response = requests.get(
        f"{base_url}/repos/{owner}/{repo}/actions/workflows", headers=_headers(token), timeout=TIMEOUT
    )
    response.raise_for_status()
    return [flow["path"] for flow in response.json()["workflows"] if flow["state"] == "active"]
