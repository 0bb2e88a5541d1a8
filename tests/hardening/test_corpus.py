"""Run the malformed-input corpus: exit 2 naming the file (or a clean 0/1), never a traceback, never a hang."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.hardening.corpus import CASES, Case, make_project

CASE_SECONDS = (
    300  # a hang guard, not a speed limit: a busy machine must not fail a case (speed is measured in benchmarks/)
)


class CaseTimeout(Exception):
    """Raised by the alarm when an in-process case runs past its time limit."""


def _alarm(signum: int, frame: object) -> None:
    raise CaseTimeout(f"the case ran for more than {CASE_SECONDS} s")


def _run_in_process(run_cli, arguments: tuple[str, ...]) -> tuple[int, str]:
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_SECONDS)
    try:
        code, out, err = run_cli(*arguments)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return int(code), out + err


def _run_in_subprocess(folder: Path, arguments: tuple[str, ...]) -> tuple[int, str]:
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from contractkit.cli import run; run()", *arguments],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=CASE_SECONDS,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PACT_DO_NOT_TRACK": "true"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"hang: no answer within {CASE_SECONDS} s")
    return done.returncode, done.stdout + done.stderr


def _param(case: Case) -> object:
    """A case; one that fails in code another engineer owns is an expected failure naming that owner."""
    if not case.notes:
        return pytest.param(case, id=case.name)
    reason = f"{case.notes['owner']}: {case.notes['fails']}"
    hangs = case.notes.get("hangs") == "yes"  # not run: each would cost the whole time limit
    return pytest.param(case, id=case.name, marks=pytest.mark.xfail(reason=reason, strict=True, run=not hangs))


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_corpus_case(case: Case, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(tmp_path)
    case.write(tmp_path)
    monkeypatch.chdir(tmp_path)
    if case.hang_prone:
        code, output = _run_in_subprocess(tmp_path, case.command)
    else:
        code, output = _run_in_process(run_cli, case.command)
    assert "Traceback" not in output and "this is a bug" not in output, output[-3000:]
    assert code in case.codes, f"exit {code}, expected one of {case.codes}:\n{output[-3000:]}"
    if code == 2:
        assert re.search(case.expect, output), f"expected /{case.expect}/ in:\n{output[-3000:]}"
        if case.codes == (2,):
            assert len(output) < 20_000, "one paragraph, not a flood"


def test_the_corpus_covers_every_file_kind_and_command() -> None:
    kinds = Counter(case.kind for case in CASES)
    commands = {(case.kind, case.command[0]) for case in CASES}
    assert len(CASES) >= 250
    assert set(kinds) == {"registry", "contract", "cassette", "har", "pact", "spec", "official", "ledger", "overlay"}
    assert {
        ("registry", "lint"),
        ("registry", "verify"),
        ("cassette", "replay"),
        ("spec", "diff"),
        ("har", "validate"),
        ("official", "schemas"),
        ("pact", "verify"),
        ("spec", "record"),
        ("contract", "consumer"),
    } <= commands
