"""Git, as the broker commands read it: the version (commit) and branch a build publishes or verifies, and the
history of a file (every commit that changed it, newest first) for can-i-deploy without a broker."""

from __future__ import annotations

import subprocess
from pathlib import Path

from contractkit.core.errors import UsageError

__all__ = ["current_branch", "current_commit", "file_at", "files_at", "resolve_commit"]


def _git(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", "-C", str(cwd), *arguments], capture_output=True, text=True, check=False)
    except OSError as exc:
        raise UsageError("git is not installed: pass the version with --version (or --provider-version)") from exc


def current_commit(cwd: Path) -> str:
    """The SHA of HEAD: the default consumer or provider version."""
    done = _git(["rev-parse", "HEAD"], cwd)
    if done.returncode != 0:
        raise UsageError(
            f"{cwd}: not a git repository with a commit, so no version can be taken from it",
            hint="pass the version explicitly (--version or --provider-version)",
        )
    return done.stdout.strip()


def current_branch(cwd: Path) -> str | None:
    """The checked-out branch (None on a detached HEAD or outside a repository)."""
    done = _git(["rev-parse", "--abbrev-ref", "HEAD"], cwd)
    name = done.stdout.strip()
    return name if done.returncode == 0 and name and name != "HEAD" else None


def resolve_commit(ref: str, cwd: Path) -> str | None:
    """The full SHA a version, branch or tag names in the repository (None when it names no commit)."""
    done = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    return done.stdout.strip() if done.returncode == 0 else None


def file_at(commit: str, path: str, cwd: Path) -> str | None:
    """The text of `path` at a commit (None when it is absent there)."""
    done = _git(["show", f"{commit}:{path}"], cwd)
    return done.stdout if done.returncode == 0 else None


def files_at(commit: str, folder: str, cwd: Path) -> list[str]:
    """The paths of the files under `folder` at a commit."""
    done = _git(["ls-tree", "-r", "--name-only", commit, "--", folder], cwd)
    return done.stdout.splitlines() if done.returncode == 0 else []
