"""Atomic writes: a reader never sees half a file, and a failed write leaves the old file in place."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temporary, _mode_for(path))
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """Keep an existing file's mode; a new file gets the usual 0666 less the umask (mkstemp would give 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: Path, data: Any, *, indent: int = 2) -> None:
    """Write JSON atomically with stable key order as given and a final newline."""
    write_text_atomic(path, json.dumps(data, indent=indent, ensure_ascii=False) + "\n")


DEFAULT_REGISTRY = Path("registry.yaml")


def find_registry(start: str | Path = ".") -> Path:
    """The registry.yaml of the project `start` is in: the nearest one in `start` or a folder above it, not above
    the repository's root (the folder holding .git); `registry.yaml` (to be reported missing) when there is none."""
    folder = Path(start).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / DEFAULT_REGISTRY).is_file():
            return candidate / DEFAULT_REGISTRY if candidate != folder else Path(start) / DEFAULT_REGISTRY
        if (candidate / ".git").exists():
            break
    return Path(start) / DEFAULT_REGISTRY


__all__ = ["DEFAULT_REGISTRY", "find_registry", "write_bytes_atomic", "write_json_atomic", "write_text_atomic"]
