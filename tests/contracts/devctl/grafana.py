"""devctl's Grafana client (requests)."""

from __future__ import annotations

from dataclasses import dataclass

import requests

TIMEOUT = 10


@dataclass(frozen=True)
class Dashboard:
    """A dashboard search hit."""

    uid: str
    title: str
    url: str
    tags: tuple[str, ...]


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def search_dashboards(base_url: str, token: str, tag: str) -> list[Dashboard]:
    """Dashboards carrying a tag."""
    response = requests.get(
        f"{base_url}/search", params={"tag": tag, "type": "dash-db"}, headers=_headers(token), timeout=TIMEOUT
    )
    response.raise_for_status()
    return [Dashboard(hit["uid"], hit["title"], hit["url"], tuple(hit["tags"])) for hit in response.json()]


def dashboard_panels(base_url: str, token: str, uid: str) -> list[str]:
    """The panel titles of a dashboard."""
    response = requests.get(f"{base_url}/dashboards/uid/{uid}", headers=_headers(token), timeout=TIMEOUT)
    response.raise_for_status()
    return [panel["title"] for panel in response.json()["dashboard"]["panels"]]


def annotate_deploy(base_url: str, token: str, dashboard_uid: str, version: str, when_ms: int) -> int:
    """Mark a deployment on a dashboard; returns the annotation id."""
    body = {
        "dashboardUID": dashboard_uid,
        "time": when_ms,
        "tags": ["deploy", "devctl"],
        "text": f"devctl deployed api {version}",
    }
    response = requests.post(f"{base_url}/annotations", json=body, headers=_headers(token), timeout=TIMEOUT)
    response.raise_for_status()
    return int(response.json()["id"])


def default_datasource(base_url: str, token: str) -> str | None:
    """The name of the default data source, if any."""
    response = requests.get(f"{base_url}/datasources", headers=_headers(token), timeout=TIMEOUT)
    response.raise_for_status()
    return next((source["name"] for source in response.json() if source["isDefault"]), None)
