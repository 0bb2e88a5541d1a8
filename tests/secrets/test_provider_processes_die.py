"""A provider started for fuzzing never outlives `contracts fuzz`: not on SIGKILL, not on SIGTERM; {tmp} goes too."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INVENTORY = REPO / "examples" / "inventory"


def _registry(tmp_path: Path) -> Path:
    """The inventory example inside tmp_path, started through `sh` so that it has a grandchild (`sleep`)."""
    for name in ("app.py", "openapi.json", "error.schema.json"):
        shutil.copy(INVENTORY / name, tmp_path / name)
    marks = tmp_path / "marks"
    marks.mkdir()
    script = (
        f"echo {{tmp}} > {marks}/tmp; sleep 300 & echo $! > {marks}/grandchild; "
        f"echo $$ > {marks}/provider; exec {{python}} app.py --port {{port}}"
    )
    (tmp_path / "registry.yaml").write_text(
        "version: 1\nconsumer: shop\npacts: pacts\nproviders:\n  inventory:\n"
        "    base_url: http://127.0.0.1:9\n    third_party: false\n    auth: {scheme: none}\n"
        "    spec: openapi.json\n    error_schema: error.schema.json\n"
        "    fuzz: {enabled: true, max_examples: 100000, seed: 7}\n"
        f"    process: {{command: [sh, -c, '{script}'], health: /health, startup_timeout: 20}}\n"
        "    operations:\n      list_items: {method: GET, path: /items, safe: true}\n"
        "      get_item: {method: GET, path: '/items/{item_id}', safe: true}\n",
        encoding="utf-8",
    )
    return tmp_path / "registry.yaml"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie that nobody reaped yet is dead for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def _wait_for(path: Path, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.1)
    raise AssertionError(f"{path.name} never appeared")


def _wait_gone(pids: list[int], seconds: float = 60) -> list[int]:
    deadline = time.monotonic() + seconds
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [pid for pid in pids if _alive(pid)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process groups and /proc as on Linux")
@pytest.mark.parametrize("kill", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_fuzz_run_leaves_no_provider_process_and_no_temp_folder(tmp_path: Path, kill: int) -> None:
    registry = _registry(tmp_path)
    run = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from contractkit.cli import run; run()",
            "fuzz",
            "--registry",
            str(registry),
            "--provider",
            "inventory",
            "--no-corpus",
            "-q",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        provider = int(_wait_for(tmp_path / "marks" / "provider"))
        grandchild = int(_wait_for(tmp_path / "marks" / "grandchild"))
        temporary = Path(_wait_for(tmp_path / "marks" / "tmp"))
        assert _alive(provider) and _alive(grandchild) and temporary.is_dir()
        group = os.getpgid(provider)
        time.sleep(1.0)  # fuzzing under way
        run.send_signal(kill)
        run.wait(30)
    finally:
        if run.poll() is None:
            run.kill()
    assert _wait_gone([provider, grandchild, group]) == []
    deadline = time.monotonic() + 60  # generous: an event awaited, not a speed limit
    while temporary.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not temporary.exists()
