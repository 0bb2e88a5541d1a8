"""Helpers of the re-record tests: the example registry's files, the workflow's environment, file digests."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path
from typing import Callable

REPOSITORY = Path(__file__).resolve().parents[2]
COPIED = ("registry.yaml", "cassettes", "contracts", "schemas", "pacts", "examples")
# every variable the workflow sets for the record step: unset here, so only credential-free providers record
WORKFLOW_VARIABLES = (
    "GRAFANA_URL",
    "GRAFANA_TOKEN",
    "GITHUB_TOKEN",
    "GITHUB_API_URL",
    "PAGERDUTY_URL",
    "PAGERDUTY_TOKEN",
    "JIRA_URL",
    "JIRA_EMAIL",
    "JIRA_API_TOKEN",
    "ARGOCD_URL",
    "ARGOCD_TOKEN",
    "SLACK_API_URL",
    "SLACK_TOKEN",
    "CONFLUENCE_URL",
    "CONFLUENCE_EMAIL",
    "CONFLUENCE_API_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "INVENTORY_URL",
)
Contracts = Callable[..., subprocess.CompletedProcess[str]]


def file_digests(root: Path) -> dict[str, str]:
    """SHA-256 of every file under root except the reports the job writes."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "reports" not in path.relative_to(root).parts and "__pycache__" not in path.parts
    }


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The files added, removed or rewritten between two digests."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
