"""Writes that lose or replace nothing.

A regular file, or a new one, is written to a temporary file next to it (`.NAME.PID.RANDOM.tmp`), flushed to disk
and renamed over it, so a reader never sees half a file and a failed write leaves the old file as it was. A FIFO or
a character device (`-o /dev/null`, `-o /dev/stdout`) is written into, never replaced. A destination that leads
outside the project it sits in, through a symbolic link, is refused, as registry paths leading outside are. Every
failure is a WriteError naming the path and the reason.

A run killed mid-write leaves its temporary file behind. Readers skip names starting with a dot; the first write
into a folder in a process removes the temporary files there whose process is gone, or that are older than
STALE_AFTER seconds (a pid of another machine or container, or a pid reused since).
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from contractkit.core.errors import WriteError

DEFAULT_REGISTRY = Path("registry.yaml")
STALE_AFTER = 15 * 60  # seconds: no write of ours takes this long, so an older temporary file is a killed run's
_TEMPORARY = re.compile(r"^\..+?(?:\.(?P<pid>\d+))?\.[a-z0-9_]{8}\.tmp$")
_DESCRIPTOR = re.compile(r"^/(?:proc/[^/]+|dev)/fd/\d+$")  # a link to whatever a file descriptor is open on
_swept: set[str] = set()  # folders whose stale temporary files this process has removed


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that no failure loses or replaces anything; raise WriteError naming the path."""
    path = Path(path)
    with _named_failure(path):
        destination = _checked_destination(path)
        if destination is None:
            _write_into(path, data)
        else:
            _write_replacing(destination, data)


def check_destination(path: Path) -> None:
    """Raise WriteError now, before any work, when `path` cannot be written: a folder, a file where a folder is
    needed, a broken or looping link, a folder leading outside the project. (A full disk shows only in writing.)"""
    with _named_failure(Path(path)):
        _checked_destination(Path(path))


@contextmanager
def _named_failure(path: Path) -> Iterator[None]:
    """Turn an OSError into a WriteError naming the path, the reason and, where there is one, a fix."""
    try:
        yield
    except OSError as exc:
        raise WriteError(
            f"cannot write: {_reason(path, exc)}", file=_display(path), hint=_HINTS.get(exc.errno or 0)
        ) from exc


def _checked_destination(path: Path) -> Path | None:
    destination = _destination(path)
    if destination is not None:
        _refuse_outside_project(path, destination)
        _refuse_file_in_the_way(path, destination)
    return destination


def make_folder(path: Path) -> None:
    """Create a folder and its parents (an existing one is fine); raise WriteError naming it when that fails."""
    path = Path(path)
    with _named_failure(path):
        path.mkdir(parents=True, exist_ok=True)


def _destination(path: Path) -> Path | None:
    """The regular file to replace (the path, or where its link leads), or None for a FIFO or device to write into."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return path
    if stat.S_ISLNK(mode):
        return _link_destination(path)
    return _by_kind(path, mode, path)


def _link_destination(path: Path) -> Path | None:
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise WriteError(
            f"cannot write: a symbolic link to {os.readlink(path)}, which does not exist",
            file=_display(path),
            hint="remove the link, or name the file it should lead to",
        ) from None
    if _is_descriptor_link(path):  # /dev/stdout: replacing what the descriptor is open on would lose the output
        return None
    return _by_kind(path, mode, Path(os.path.realpath(path)))


def _by_kind(path: Path, mode: int, destination: Path) -> Path | None:
    if stat.S_ISREG(mode):
        return destination
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return None
    if stat.S_ISDIR(mode):
        raise WriteError(
            "cannot write: is a folder", file=_display(path), hint="name a file, such as a name inside that folder"
        )
    raise WriteError("cannot write: neither a regular file, a FIFO nor a character device", file=_display(path))


def _is_descriptor_link(path: Path) -> bool:
    """Whether the chain of links from `path` passes through /proc/<pid>/fd/N or /dev/fd/N."""
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on links followed
        if _DESCRIPTOR.match(current):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.normpath(os.path.join(os.path.dirname(current), os.readlink(current)))
    return False


def _write_into(path: Path, data: bytes) -> None:
    """Write into a FIFO, a device or what a descriptor is open on: appended, never truncated or replaced."""
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_APPEND), "wb") as stream:
        stream.write(data)
        stream.flush()


def _write_replacing(path: Path, data: bytes) -> None:
    """Write a temporary file in the same folder, flush it to disk, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(path.parent)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
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


def _refuse_outside_project(path: Path, destination: Path) -> None:
    """Raise WriteError when the folder written into, links followed, is not inside the project `path` names."""
    root = project_root(Path(os.path.abspath(path)))
    if root is None:
        return  # a path outside any project, named by the user: written where it leads
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(destination.parent))
    if real != real_root and real_root not in real.parents:
        raise WriteError(
            f"cannot write: leads outside the project {_display(root)} (to {real / destination.name})",
            file=_display(path),
            hint="a folder the toolkit writes must be inside the project: replace the symbolic link by a folder",
        )


def _refuse_file_in_the_way(path: Path, destination: Path) -> None:
    """Raise WriteError when a folder the file goes in is a file (or anything but a folder)."""
    blocker = _file_in_the_way(destination)
    if blocker is not None:
        raise WriteError(f"cannot write: {_display(blocker)} is a file, not a folder", file=_display(path))


def _file_in_the_way(path: Path) -> Path | None:
    return next((parent for parent in reversed(path.parents) if parent.exists() and not parent.is_dir()), None)


def _display(path: Path) -> str:
    """A path as the user would write it: relative to the current folder when it lies inside it."""
    if not path.is_absolute():
        return str(path)
    relative = os.path.relpath(path)
    return str(path) if relative == ".." or relative.startswith("../") else relative


def project_root(path: Path) -> Path | None:
    """The folder of the project an absolute path lies in: the nearest one above it holding registry.yaml or .git."""
    for folder in path.parents:
        if (folder / DEFAULT_REGISTRY).is_file() or (folder / ".git").exists():
            return folder
    return None


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove the temporary files a killed run left in `folder` (once per folder and process; best effort)."""
    key = os.path.realpath(folder)
    if key in _swept:
        return
    _swept.add(key)
    try:
        entries = [entry for entry in os.scandir(folder) if entry.name.endswith(".tmp")]
    except OSError:
        return
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match and _is_stale(entry, match.group("pid")):
            try:
                os.unlink(entry.path)
            except OSError:
                pass  # another run removed it, or the folder forbids it: the file is harmless, readers skip it


def _is_stale(entry: os.DirEntry[str], pid: str | None) -> bool:
    try:
        age = time.time() - entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return False
    return age > STALE_AFTER or (pid is not None and not _is_alive(int(pid)))


def _is_alive(pid: int) -> bool:
    if pid <= 0:
        return True  # not a process of ours to judge
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        pass  # another user's process has it, or the number is no pid this machine can have: judge by age
    return True


def _reason(path: Path, exc: OSError) -> str:
    """The cause of a failed write in words, naming the file that stands where a folder is needed."""
    blocker = _file_in_the_way(path) if exc.errno in (errno.ENOTDIR, errno.EEXIST) else None
    if blocker is not None:
        return f"{_display(blocker)} is a file, not a folder"
    if exc.errno is not None and exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return (exc.strerror or str(exc)).lower()


_REASONS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.EFBIG: "the file would exceed the file-size limit",
    errno.EPERM: "operation not permitted",
    errno.EACCES: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.EISDIR: "is a folder",
    errno.ENAMETOOLONG: "file name too long",
    errno.ELOOP: "too many levels of symbolic links (a link that leads to itself?)",
    errno.ENXIO: "no process has it open for reading",
}
_HINTS = {
    errno.ENOSPC: "free some space, or write elsewhere",
    errno.EFBIG: "raise the limit (ulimit -f), or write elsewhere",
    errno.EPERM: "check the file and its folder: immutable (lsattr) or owned by another user",
    errno.EACCES: "check the permissions of the file and its folder",
    errno.EROFS: "write elsewhere",
    errno.ENAMETOOLONG: "use a shorter name",
}


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: Path, data: Any, *, indent: int = 2) -> None:
    """Write JSON atomically with stable key order as given and a final newline."""
    write_text_atomic(path, json.dumps(data, indent=indent, ensure_ascii=False) + "\n")


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


__all__ = [
    "DEFAULT_REGISTRY",
    "STALE_AFTER",
    "check_destination",
    "find_registry",
    "make_folder",
    "project_root",
    "write_bytes_atomic",
    "write_json_atomic",
    "write_text_atomic",
]
