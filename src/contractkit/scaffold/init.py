"""`contracts init`: an empty repository gets registry.yaml, the artifact folders, a CI workflow and a first test."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from contractkit import __version__
from contractkit.core.errors import UsageError
from contractkit.core.files import make_folder, write_text_atomic
from contractkit.core.loading import parse_json_value

__all__ = [
    "DISTRIBUTION",
    "FOLDERS",
    "InitResult",
    "init_project",
    "install_requirement",
    "registry_text",
    "workflow_text",
]

DISTRIBUTION = "contractkit-cdc"
"""The name this project is installed by. `contractkit` on the public index is an unrelated library (docs/naming.md)."""

FOLDERS = ("contracts", "schemas", "cassettes", "pacts", "tests/contracts")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

_REGISTRY = """\
# The APIs {consumer} depends on. Every contractkit command starts here (it is found from any folder below this one).
# Add a provider from its published description:
#   contracts provider add NAME --from SPEC --operation 'GET /path' [--operation ...]
# Paths are relative to this file; ${{VAR:-default}} is read from the environment.
version: 1
consumer: {consumer}
pacts: pacts

providers: {{}}
"""

_WORKFLOW = """\
# Contract checks on every pull request: the consumer contracts write the pacts, verify replays them against the
# recorded provider behaviour, and the gate blocks a change that breaks a registered API. Written by contracts init.
name: contracts

on:
  pull_request:

# actions are pinned by commit (the version in the comment): a moved tag cannot change what runs here
permissions:
  contents: read

env:
  PACT_DO_NOT_TRACK: "true"

jobs:
  contracts:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2
        with:
          fetch-depth: 0  # the gate reads the base branch's files with git show
          persist-credentials: false
      - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065  # v5.6.0
        with:
          python-version: "3.11"
      - name: Install
        # this project under its own name, pinned to the release (or commit) `contracts init` was run with
        run: python -m pip install '{requirement}'
      - name: Contracts (lint, consumer, verify, validate)
        run: |
          mkdir -p reports
          contracts run --format json --output reports/contracts.json || status=$?
          contracts report reports/contracts.json --format html --output reports/contracts.html
          contracts report reports/contracts.json --format markdown >> "$GITHUB_STEP_SUMMARY"
          exit "${{status:-0}}"
      - name: Gate against the base branch
        env:
          BASE_REF: ${{{{ github.base_ref }}}}  # passed as a value, never expanded into the script
        run: contracts gate --base "origin/$BASE_REF" --format markdown --output reports/gate.md
      - name: Keep the reports
        if: always()
        uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02  # v4.6.2
        with:
          name: contract-reports
          path: reports/
          if-no-files-found: ignore
"""

_FIRST_TEST = '''\
"""The contract suite: every registered contract holds against the Pact mock server and the recorded providers.

Call your own client code against a provider's mock with the `contract` fixture:

    def test_get_customer(contract):
        with contract("stripe", "get_customer") as server:
            customer = my_client.get_customer(server.url, "cus_1")
        assert customer.id
"""

from contractkit.cli import main


def test_contracts_hold():
    assert main(["run", "--quiet"]) == 0
'''


@dataclass(frozen=True, slots=True)
class InitResult:
    """What `contracts init` wrote (files) and created (folders), relative to the project root."""

    root: Path
    written: tuple[str, ...]
    created: tuple[str, ...]


def registry_text(consumer: str) -> str:
    """A registry with no provider yet."""
    return _REGISTRY.format(consumer=consumer)


def workflow_text(requirement: str | None = None) -> str:
    """The CI workflow a new project starts with; it installs `requirement` (default: install_requirement())."""
    return _WORKFLOW.format(requirement=requirement or install_requirement())


def install_requirement() -> str:
    """How a new project's CI installs this toolkit: the repository and commit it was installed from, when that was
    a version-control URL (PEP 610's direct_url.json), else this release by the project's own name, pinned."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return f"{DISTRIBUTION}=={__version__}"
    origin = parse_json_value(dist.read_text("direct_url.json") or "{}")
    vcs = origin.get("vcs_info") or {}
    if vcs.get("vcs") == "git" and vcs.get("commit_id") and str(origin.get("url", "")).startswith("https://"):
        return f"{DISTRIBUTION} @ git+{origin['url']}@{vcs['commit_id']}"
    return f"{DISTRIBUTION}=={dist.version}"


def init_project(root: Path, consumer: str | None = None, *, requirement: str | None = None) -> InitResult:
    """Write registry.yaml, the folders, a CI workflow (installing `requirement`, default install_requirement())
    and a first test; refuse to touch an existing registry."""
    name = consumer or _consumer_name(root)
    if not _NAME.match(name):
        raise UsageError(f"consumer name {name!r}: use lower-case letters, digits, '-' and '_' (pass --consumer NAME)")
    registry = root / "registry.yaml"
    if registry.exists():
        raise UsageError(f"{registry}: a registry exists already; add providers with `contracts provider add`")
    created = [folder for folder in FOLDERS if not (root / folder).is_dir()]
    for folder in FOLDERS:
        make_folder(root / folder)
    files = {
        "registry.yaml": registry_text(name),
        ".github/workflows/contracts.yml": workflow_text(requirement),
        "tests/contracts/test_contracts.py": _FIRST_TEST,
    }
    written = []
    for relative, text in files.items():
        target = root / relative
        if target.exists():
            continue  # a workflow or test of the project's own is kept as it is
        write_text_atomic(target, text)
        written.append(relative)
    for folder in ("cassettes", "pacts"):
        keep = root / folder / ".gitkeep"
        if not any((root / folder).iterdir()):
            write_text_atomic(keep, "")
    return InitResult(root, tuple(written), tuple(created))


def _consumer_name(root: Path) -> str:
    """The folder's name, lower-cased, as the consumer name."""
    name = re.sub(r"[^a-z0-9_-]+", "-", root.resolve().name.lower()).strip("-_")
    return name or "consumer"
