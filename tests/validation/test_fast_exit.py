"""`contracts validate` ends its process without tearing down its heap, only once every output is written: the
report on standard output through a pipe and in an -o file is whole, the exit code is the verdict's, and a
command that failed, or any other command, leaves the usual way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from contractkit.cli import main
from contractkit.cli.common import may_leave_at_once

SRC = Path(__file__).resolve().parents[2] / "src"
ENTRY = "import sys; from contractkit.cli import run; sys.argv[0] = 'contracts'; run()"
# An interpreter exit hook that prints: it runs on the usual exit and not when the process leaves at once.
HOOKED = "import atexit; atexit.register(print, 'torn down'); " + ENTRY


def _spec(folder: Path) -> Path:
    item = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "items", "version": "1"},
        "paths": {
            "/items/{n}": {
                "get": {
                    "operationId": "getItem",
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": item}}},
                    },
                }
            }
        },
    }
    path = folder / "openapi.json"
    path.write_text(json.dumps(document))
    return path


def _cassette(folder: Path, count: int) -> Path:
    interactions = [
        {
            "request": {"body": None, "headers": {}, "method": "GET", "uri": f"http://api.test/items/{n}"},
            "response": {
                "body": {"string": json.dumps({"id": n if n % 3 else str(n), "pad": "x" * 200})},
                "headers": {"Content-Type": ["application/json"]},
                "status": {"code": 200, "message": "OK"},
            },
        }
        for n in range(count)
    ]
    path = folder / "traffic.yaml"
    path.write_text(yaml.safe_dump({"interactions": interactions, "version": 1}))
    return path


def _contracts(*argv: str, program: str = ENTRY) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "PACT_DO_NOT_TRACK": "true"}
    return subprocess.run(
        [sys.executable, "-c", program, *argv], capture_output=True, text=True, env=env, check=False, timeout=120
    )


def _without_duration(text: str) -> list[str]:
    return [line for line in text.splitlines() if " skipped in " not in line]


def test_the_report_is_whole_on_a_pipe_and_in_a_file_and_the_exit_code_is_the_verdict(tmp_path: Path, capsys):
    spec, cassette, out = _spec(tmp_path), _cassette(tmp_path, 600), tmp_path / "report.txt"
    assert main(["validate", "--spec", str(spec), str(cassette)]) == 1  # in-process: returns, leaves nothing
    expected = _without_duration(capsys.readouterr().out)

    printed = _contracts("validate", "--spec", str(spec), str(cassette), program=HOOKED)
    written = _contracts("validate", "--spec", str(spec), str(cassette), "-o", str(out), program=HOOKED)

    assert printed.returncode == written.returncode == 1
    assert _without_duration(printed.stdout) == expected
    assert len(expected) > 600 and printed.stdout.rstrip().splitlines()[-1].startswith("400 passed, 200 failed")
    assert _without_duration(out.read_text()) == expected and written.stdout == ""
    assert "torn down" not in printed.stdout + written.stdout


def test_a_failed_validate_and_other_commands_leave_the_usual_way(tmp_path: Path):
    missing = _contracts("validate", "--spec", str(tmp_path / "absent.json"), str(tmp_path), program=HOOKED)
    other = _contracts("--version", program=HOOKED)

    assert missing.returncode == 2 and "absent.json" in missing.stderr
    assert missing.stdout == "torn down\n"
    assert other.returncode == 0 and other.stdout.endswith("torn down\n")


def test_in_process_the_command_only_says_so(tmp_path: Path, capsys):
    spec, cassette = _spec(tmp_path), _cassette(tmp_path, 3)

    assert main(["validate", "--spec", str(spec), str(cassette)]) == 1
    assert may_leave_at_once()  # the process goes on: only the console-script entry point acts on it
    capsys.readouterr()


@pytest.fixture(autouse=True)
def _fresh_flag(monkeypatch):
    monkeypatch.setattr("contractkit.cli.common._LEAVE_AT_ONCE", [])
