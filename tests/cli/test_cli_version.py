"""`contracts --version` names the installed release, read from the package itself: the distribution is
`contractkit-cdc`, so a lookup of a distribution named `contractkit` fails on a machine that has only ours."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

from contractkit import __version__

# as on a fresh machine: no distribution but ours (this one may hold an older one named `contractkit`)
_PROGRAM = """
import sys
from importlib import metadata
found = metadata.version
def version(name):
    if name != "contractkit-cdc":
        raise metadata.PackageNotFoundError(name)
    return found(name)
metadata.version = version
from contractkit.cli import run
sys.argv[0] = "contracts"
run()
"""


def test_version_is_the_package_version_and_the_distribution_agrees() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROGRAM, "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"contracts, version {__version__}"
    assert metadata.version("contractkit-cdc") == __version__  # pyproject.toml and the package say the same
