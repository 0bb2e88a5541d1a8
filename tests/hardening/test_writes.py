"""Run the hostile-write corpus: no write loses or replaces anything, and every refusal is exit 2 naming the path."""

from __future__ import annotations

import os
import re
import resource
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

from tests.hardening.corpus import make_project
from tests.hardening.writes_corpus import CASES, WriteCase, is_held_out

HANG_GUARD_SECONDS = 120  # only against a hang; no case comes near it

Snapshot = dict[str, tuple[str, bytes | str]]


def _param(index: int, case: WriteCase) -> object:
    suffix = "-heldout" if is_held_out(index) else ""
    return pytest.param(case, id=f"{index:02d}-{case.name}{suffix}")


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """<tmp>/project, a small valid project, with <tmp>/outside next to it; immutable flags are lifted afterwards."""
    folder = tmp_path / "project"
    folder.mkdir()
    (tmp_path / "outside").mkdir()
    make_project(folder)
    yield folder
    subprocess.run(["chattr", "-R", "-i", "-a", str(tmp_path)], capture_output=True)


@pytest.mark.parametrize("case", [_param(index, case) for index, case in enumerate(CASES)])
def test_write_case(case: WriteCase, project: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    case.setup(project)
    before = _snapshot(project.parent)
    monkeypatch.chdir(project)
    with _fifo_readers(project) as received:
        code, output, errors = _run(case, project, run_cli)
    everything = output + errors + "".join(received)
    assert "Traceback" not in everything and "this is a bug" not in everything, everything[-3000:]
    assert code in case.codes, f"exit {code}, expected one of {case.codes}:\n{everything[-3000:]}"
    if case.outcome == "refused":
        _assert_refused(case, before, _snapshot(project.parent), errors)
    if case.check is not None:
        case.check(project, everything)


def _assert_refused(case: WriteCase, before: Snapshot, after: Snapshot, errors: str) -> None:
    assert re.search(case.pattern, errors), f"expected /{case.pattern}/ in:\n{errors[-3000:]}"
    assert len(errors) < 3000, "one paragraph, not a flood"
    changed = [path for path, entry in before.items() if after.get(path) != entry and path not in case.may_change]
    assert not changed, f"changed or removed: {changed}"
    left = [path for path in after.keys() - before.keys() if path.endswith(".tmp")]
    assert not left, f"temporary files left behind: {left}"


def _run(case: WriteCase, project: Path, run_cli) -> tuple[int, str, str]:
    if case.fsize is not None or case.subprocess:
        return _run_in_subprocess(case, project)
    previous = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(HANG_GUARD_SECONDS)
    try:
        return run_cli(*case.command)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _run_in_subprocess(case: WriteCase, project: Path) -> tuple[int, str, str]:
    limit = case.fsize

    def limit_file_size() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    environment = {
        **os.environ,
        "PACT_DO_NOT_TRACK": "true",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": os.pathsep.join([str(project), *sys.path]),
    }
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from contractkit.cli import run; run()", *case.command],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=HANG_GUARD_SECONDS,
            stdin=subprocess.DEVNULL,
            env=environment,
            preexec_fn=limit_file_size,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"hang: no answer within {HANG_GUARD_SECONDS} s")
    return done.returncode, done.stdout, done.stderr


def _hang(signum: int, frame: object) -> None:
    raise TimeoutError(f"the case ran for more than {HANG_GUARD_SECONDS} s")


class _fifo_readers:
    """Read every FIFO at the project's top level in a thread while the command runs; what each got is collected."""

    def __init__(self, project: Path) -> None:
        self.fifos = [path for path in project.iterdir() if stat.S_ISFIFO(path.lstat().st_mode)]
        self.received: list[str] = []
        self.threads = [threading.Thread(target=self._read, args=(path,), daemon=True) for path in self.fifos]

    def _read(self, path: Path) -> None:
        with path.open("rb") as stream:
            self.received.append(stream.read().decode("utf-8", "replace"))

    def __enter__(self) -> list[str]:
        for thread in self.threads:
            thread.start()
        return self.received

    def __exit__(self, *exc: object) -> None:
        for path, thread in zip(self.fifos, self.threads):
            if thread.is_alive():  # the command never opened it: let the reader see an end of file
                try:
                    os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
                except OSError:
                    pass
            thread.join(HANG_GUARD_SECONDS)
        if self.fifos:
            assert self.received and any(text.strip() for text in self.received), "nothing was written into the FIFO"


def _snapshot(root: Path) -> Snapshot:
    """Every entry under root, without following links: a file's bytes, a link's target, another node's type."""
    entries: Snapshot = {}
    for folder, names, files in os.walk(root):
        for name in names + files:
            path = Path(folder) / name
            mode = path.lstat().st_mode
            key = str(path.relative_to(root))
            if stat.S_ISREG(mode):
                entries[key] = ("file", path.read_bytes())
            elif stat.S_ISLNK(mode):
                entries[key] = ("link", os.readlink(path))
            elif not stat.S_ISDIR(mode):
                entries[key] = ("node", oct(stat.S_IFMT(mode)))
    return entries


def test_the_corpus_covers_every_command_that_writes() -> None:
    commands = {
        " ".join(case.command[:2]) if case.command[0] in ("schemas", "specs", "report", "provider") else case.command[0]
        for case in CASES
    }
    takes_output = {
        "list",
        "lint",
        "schemas import",
        "specs check",
        "record",
        "rerecord",
        "drift",
        "scan",
        "consumer",
        "diff",
        "gate",
        "fuzz",
        "report show",
        "report merge",
        "run",
        "verify",
        "validate",
    }
    writes_artifacts = {
        "consumer",
        "record",
        "fuzz",
        "schemas import",
        "init",
        "provider add",
        "specs check",
        "validate",
    }
    assert len(CASES) >= 40
    assert takes_output | writes_artifacts <= commands, (takes_output | writes_artifacts) - commands
    held_out = [case for index, case in enumerate(CASES) if is_held_out(index)]
    assert len(held_out) == len(CASES) // 3


def test_the_machines_dev_null_is_written_into_and_stays_a_device(tmp_path: Path) -> None:
    from contractkit.core.files import write_text_atomic

    stand_in = tmp_path / "null"
    os.mknod(stand_in, 0o20666, os.makedev(1, 3))
    write_text_atomic(stand_in, "report\n")
    assert stat.S_ISCHR(stand_in.lstat().st_mode), "a device node was replaced: not trying the real /dev/null"
    write_text_atomic(Path("/dev/null"), "report\n")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_path_outside_any_project_is_written_where_it_leads(tmp_path: Path) -> None:
    from contractkit.core.files import write_text_atomic

    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "reports").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    write_text_atomic(tmp_path / "reports" / "report.txt", "report\n")
    assert (tmp_path / "elsewhere" / "report.txt").read_text() == "report\n"


def test_a_temporary_file_of_a_live_process_is_kept_until_it_is_stale(tmp_path: Path) -> None:
    from contractkit.core.files import STALE_AFTER, write_text_atomic

    live = tmp_path / f".report.txt.{os.getppid()}.abcdefgh.tmp"
    stale = tmp_path / f".other.txt.{os.getppid()}.abcdefgh.tmp"
    for path in (live, stale):
        path.write_text("half")
    os.utime(stale, (os.path.getmtime(stale) - STALE_AFTER - 60,) * 2)
    write_text_atomic(tmp_path / "report.txt", "report\n")
    assert live.exists() and not stale.exists()
