"""devctl's PagerDuty client (requests)."""

from __future__ import annotations

import requests

TIMEOUT = 10
ACCEPT = "application/vnd.pagerduty+json;version=2"


def _headers(token: str) -> dict[str, str]:
    return {"Accept": ACCEPT, "Authorization": f"Token token={token}"}


def open_incidents(base_url: str, token: str) -> list[tuple[int, str, str]]:
    """(number, title, status) of triggered and acknowledged incidents."""
    params = [("statuses[]", "triggered"), ("statuses[]", "acknowledged"), ("limit", "25")]
    response = requests.get(f"{base_url}/incidents", params=params, headers=_headers(token), timeout=TIMEOUT)
    response.raise_for_status()
    return [(item["incident_number"], item["title"], item["status"]) for item in response.json()["incidents"]]


def incident_assignees(base_url: str, token: str, incident_id: str) -> list[str]:
    """Who an incident is assigned to."""
    response = requests.get(f"{base_url}/incidents/{incident_id}", headers=_headers(token), timeout=TIMEOUT)
    response.raise_for_status()
    return [item["assignee"]["summary"] for item in response.json()["incident"]["assignments"]]


def service_names(base_url: str, token: str) -> list[str]:
    """Names of all services."""
    response = requests.get(f"{base_url}/services", params={"limit": "100"}, headers=_headers(token), timeout=TIMEOUT)
    response.raise_for_status()
    return [service["name"] for service in response.json()["services"]]
