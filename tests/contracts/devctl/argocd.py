"""devctl's Argo CD client (requests)."""

from __future__ import annotations

import requests

TIMEOUT = 10


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def application_health(base_url: str, token: str, project: str) -> dict[str, tuple[str, str]]:
    """name -> (sync status, health status) for the applications of a project."""
    response = requests.get(
        f"{base_url}/api/v1/applications", params={"projects": project}, headers=_headers(token), timeout=TIMEOUT
    )
    response.raise_for_status()
    return {
        app["metadata"]["name"]: (app["status"]["sync"]["status"], app["status"]["health"]["status"])
        for app in response.json()["items"]
    }


def is_out_of_sync(base_url: str, token: str, name: str) -> bool:
    """True when the application differs from git."""
    response = requests.get(f"{base_url}/api/v1/applications/{name}", headers=_headers(token), timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()["status"]["sync"]["status"] == "OutOfSync"


def sync(base_url: str, token: str, name: str) -> str:
    """Start a pruning sync; returns who started it."""
    response = requests.post(
        f"{base_url}/api/v1/applications/{name}/sync",
        json={"name": name, "prune": True, "dryRun": False},
        headers=_headers(token),
        timeout=TIMEOUT,
    )
    response.raise_for_status()
    return response.json()["operation"]["initiatedBy"]["username"]
