"""devctl's Confluence client (httpx, basic auth with an API token)."""

from __future__ import annotations

import httpx

TIMEOUT = 10


def _client(base_url: str, email: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, auth=(email, token), headers={"Accept": "application/json"}, timeout=TIMEOUT)


def global_space_keys(base_url: str, email: str, token: str) -> list[str]:
    """Keys of the global spaces."""
    with _client(base_url, email, token) as client:
        response = client.get("/spaces", params={"type": "global", "limit": "25"})
    response.raise_for_status()
    return [space["key"] for space in response.json()["results"]]


def page_titles(base_url: str, email: str, token: str, space_id: str) -> list[str]:
    """Titles of the pages in a space."""
    with _client(base_url, email, token) as client:
        response = client.get("/pages", params={"space-id": space_id, "limit": "25"})
    response.raise_for_status()
    return [page["title"] for page in response.json()["results"]]


def page_storage(base_url: str, email: str, token: str, page_id: str) -> tuple[int, str]:
    """(version number, storage-format body) of a page."""
    with _client(base_url, email, token) as client:
        response = client.get(f"/pages/{page_id}", params={"body-format": "storage"})
    response.raise_for_status()
    page = response.json()
    return page["version"]["number"], page["body"]["storage"]["value"]


def publish_release_notes(base_url: str, email: str, token: str, space_id: str, version: str) -> str:
    """Create a release notes page; returns its id."""
    body = {
        "spaceId": space_id,
        "status": "current",
        "title": f"Release notes api {version}",
        "body": {"representation": "storage", "value": f"<h1>api {version}</h1><p>Deployed by devctl.</p>"},
    }
    with _client(base_url, email, token) as client:
        response = client.post("/pages", json=body)
    response.raise_for_status()
    return str(response.json()["id"])
