"""devctl's GitHub webhook handler: what a push, an opened pull request or a finished workflow run sets off."""

from __future__ import annotations

from typing import Any, Mapping


def handle(payload: Mapping[str, Any], headers: Mapping[str, Any]) -> tuple[str, ...] | None:
    """One webhook delivery -> the action devctl takes, or None when it takes none."""
    event = headers["X-GitHub-Event"]
    repository = payload["repository"]["full_name"]
    if event == "push":
        return _push(payload, repository)
    if event == "pull_request" and payload["action"] == "opened":
        pull = payload["pull_request"]
        if pull["draft"]:
            return None
        return ("review", repository, str(payload["number"]), pull["title"], pull["user"]["login"], pull["head"]["ref"])
    if event == "workflow_run" and payload["action"] == "completed":
        run = payload["workflow_run"]
        return (
            "notify",
            repository,
            run["name"],
            run["conclusion"] or "unknown",
            run["head_branch"] or "",
            run["html_url"],
        )
    return None


def _push(payload: Mapping[str, Any], repository: str) -> tuple[str, ...] | None:
    ref = payload["ref"]
    if ref != "refs/heads/main":
        return None
    commits = [commit["id"][:7] + " " + commit["message"].splitlines()[0] for commit in payload["commits"]]
    return ("deploy", repository, payload["after"], payload["pusher"]["name"], *commits)
