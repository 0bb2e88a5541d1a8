"""A command is looked up in the module named like it first: `contracts fuzz` imports no other command module,
while the command list, and a command living in another module, still find every command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(*argv: str) -> tuple[int, list[str], str]:
    """Run the CLI in a fresh interpreter: exit code, the command modules it imported, what it printed."""
    probe = (
        "import contextlib, io, json, sys\n"
        "from contractkit.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    code = main(sys.argv[1:])\n"
        "loaded = sorted(name for name in sys.modules if name.startswith('contractkit.cli.'))\n"
        "print(json.dumps([code, loaded, out.getvalue()]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), "PACT_DO_NOT_TRACK": "true"},
    )
    code, loaded, printed = json.loads(done.stdout.splitlines()[-1])
    return code, loaded, printed


def test_fuzz_imports_only_its_own_command_module() -> None:
    code, loaded, printed = _run("fuzz", "--help")
    assert code == 0 and "--max-examples" in printed
    assert loaded == ["contractkit.cli.common", "contractkit.cli.fuzz", "contractkit.cli.sharding"]


def test_a_command_in_a_module_of_another_name_is_found() -> None:
    code, loaded, printed = _run("gate", "--help")  # lives in cli/diff.py
    assert code == 0 and "Usage: contracts gate" in printed
    assert "contractkit.cli.diff" in loaded


def test_the_command_list_names_every_command() -> None:
    code, _, printed = _run("--help")
    listed = {line.split()[0] for line in printed.split("Commands:")[1].splitlines() if line.strip()}
    assert code == 0
    assert {"fuzz", "gate", "diff", "verify", "validate", "lint", "list", "record", "broker", "init"} <= listed
