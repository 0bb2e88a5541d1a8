"""The library's formats are kept between runs, so a command that prints does not import detect-secrets again,
and what is kept is exactly what the plugins hold."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

_PROGRAM = """
import json, sys
from contractkit.secrets.formats import library_formats, _read_library_formats
formats = [(kind, pattern.pattern, pattern.flags) for kind, pattern in library_formats()]
imported = "detect_secrets" in sys.modules
direct = [(kind, pattern.pattern, pattern.flags) for kind, pattern in _read_library_formats()]
print(json.dumps({"imported": imported, "same": formats == direct, "count": len(formats)}))
"""


def _run(cache: Path, **extra: str) -> dict[str, object]:
    environ = {name: value for name, value in os.environ.items() if name != "CONTRACTKIT_NO_CACHE"}
    environ.update(CONTRACTKIT_CACHE_DIR=str(cache), **extra)
    done = subprocess.run(
        [sys.executable, "-c", _PROGRAM], env=environ, capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_second_run_reads_the_formats_without_importing_the_library(tmp_path: Path) -> None:
    first = _run(tmp_path)
    assert first == {"imported": True, "same": True, "count": first["count"]}
    assert int(first["count"]) > 20  # the library's plugins were read, not an empty list kept
    assert list(tmp_path.glob("secret-formats-*.pickle"))  # keyed by the plugins' source, found without importing
    second = _run(tmp_path)
    assert second == {"imported": False, "same": True, "count": first["count"]}


def test_without_the_cache_the_plugins_are_read_every_run(tmp_path: Path) -> None:
    for _ in range(2):
        assert _run(tmp_path, CONTRACTKIT_NO_CACHE="1")["imported"] is True
    assert not list(tmp_path.glob("secret-formats-*"))


def test_a_damaged_entry_is_read_again_from_the_library(tmp_path: Path) -> None:
    _run(tmp_path)
    (entry,) = tmp_path.glob("secret-formats-*.pickle")
    entry.write_bytes(b"not a pickle")
    again = _run(tmp_path)
    assert again["imported"] is True and again["same"] is True
