"""YAML nested deeper than the limit is refused with exit 2 naming the file and line, by every reader: libyaml's C
loader, which the fast readers use, crashes the whole process (a segmentation fault) on deep flow nesting, so no
exception handler can save it. Each command runs in its own process so that a crash shows as one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening.corpus import make_project

DEEP_FLOW = "[" * 50_000 + "]" * 50_000


def _contracts(cwd: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from contractkit.cli import run; run()", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )


def _refused(done: subprocess.CompletedProcess[str], where: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    assert "Traceback" not in done.stderr
    assert f"{where}: nested more than 100 levels deep" in done.stderr


@pytest.mark.parametrize("body", [f"interactions: {DEEP_FLOW}\n", f"interactions:\n- request: {{a: {DEEP_FLOW}}}\n"])
def test_validate_refuses_a_deeply_nested_yaml_cassette(tmp_path: Path, body: str) -> None:
    make_project(tmp_path)
    (tmp_path / "deep.yaml").write_text(body)
    line = 1 if body.startswith("interactions: [") else 2
    _refused(_contracts(tmp_path, "validate", "--spec", "spec.json", "deep.yaml"), f"deep.yaml:{line}")


def test_diff_refuses_a_deeply_nested_yaml_description(tmp_path: Path) -> None:
    for name in ("old.yaml", "new.yaml"):
        (tmp_path / name).write_text(f"openapi: 3.0.3\ninfo: {DEEP_FLOW}\n")
    _refused(_contracts(tmp_path, "diff", "old.yaml", "new.yaml"), "old.yaml:2")


def test_a_yaml_cassette_with_brackets_inside_quoted_strings_is_still_read(tmp_path: Path) -> None:
    make_project(tmp_path)
    cassette = tmp_path / "quoted.yaml"
    body = "[" * 150 + "]" * 150  # deep only inside a quoted body: text, not nesting
    cassette.write_text(
        "interactions:\n- request: {body: null, headers: {}, method: GET, uri: 'http://127.0.0.1:8000/widgets'}\n"
        f"  response:\n    body: {{string: '{body}'}}\n    headers: {{Content-Type: [text/plain]}}\n"
        "    status: {code: 200, message: OK}\nversion: 1\n"
    )
    done = _contracts(tmp_path, "validate", "--spec", "spec.json", "quoted.yaml")
    assert done.returncode in (0, 1) and "nested more than" not in done.stderr + done.stdout, done.stderr[-500:]
