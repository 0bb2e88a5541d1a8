"""A cache of work derived from a file, kept between runs and keyed by the hash of the file's content.

Loading a large API description (reading it, checking its nesting, parsing, normalising it to OpenAPI 3 and
checking that every `$ref` stays inside it) costs about a second for GitHub's 13 MB; a cached entry loads in a
tenth of that. An entry is found by the SHA-256 of the file's bytes together with the kind of work, the
contractkit version and the cache's format, so an edited file, or another contractkit, never meets an old entry.

Where: `$CONTRACTKIT_CACHE_DIR` when set, else `$XDG_CACHE_HOME/contractkit`, else `~/.cache/contractkit`. The
folder holds nothing else and may be deleted at any time. `CONTRACTKIT_NO_CACHE=1` turns the cache off (nothing
is read or written). An entry that cannot be written (a read-only home, a full disk) or read (a damaged file) is
skipped: the work is done as if there were no cache.

Entries are pickles of plain data (dicts, lists, strings, numbers) read by an unpickler that refuses every
class and function by name, so an entry can build nothing but data.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from pathlib import Path
from typing import Any, Callable, TypeVar

from contractkit import __version__
from contractkit.core.errors import ContractKitError
from contractkit.core.files import write_bytes_atomic

CACHE_FORMAT = 1  # raise when the layout of an entry changes
CACHE_DIR_VARIABLE = "CONTRACTKIT_CACHE_DIR"
NO_CACHE_VARIABLE = "CONTRACTKIT_NO_CACHE"
_SUFFIX = ".pickle"

T = TypeVar("T")


def cache_folder() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    if os.environ.get(NO_CACHE_VARIABLE, "").strip() not in ("", "0"):
        return None
    given = os.environ.get(CACHE_DIR_VARIABLE)
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "contractkit"


def content_key(kind: str, content: bytes) -> str:
    """The name of the entry for work of `kind` on `content`."""
    digest = hashlib.sha256(f"{kind}\0{__version__}\0{CACHE_FORMAT}\0".encode())
    digest.update(content)
    return f"{kind}-{digest.hexdigest()}"


def cached(kind: str, content: bytes, build: Callable[[], T]) -> T:
    """The result of `build()` for `content`, from the cache when an entry exists, else built and stored.

    `build` must return plain data (dicts, lists, tuples, strings, numbers, booleans, None), and its result
    must depend only on `content`: errors it raises pass through and nothing is stored."""
    folder = cache_folder()
    if folder is None:
        return build()
    path = folder / (content_key(kind, content) + _SUFFIX)
    found = _read(path)
    if found is not None:
        return found  # type: ignore[no-any-return]
    value = build()
    _write(path, value)
    return value


def _read(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        return _DataUnpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is no entry: the work is done again
        return None


def _write(path: Path, value: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, ContractKitError, pickle.PicklingError, RecursionError):
        return  # the cache is an optimisation: a run never fails for it


class _DataUnpickler(pickle.Unpickler):
    """Builds plain data only: every reference to a class or function by name is refused."""

    def find_class(self, module: str, name: str) -> Any:
        """Refuse: an entry holds no objects but plain data."""
        raise pickle.UnpicklingError(f"a cache entry names {module}.{name}; only plain data is read")


__all__ = ["CACHE_DIR_VARIABLE", "CACHE_FORMAT", "NO_CACHE_VARIABLE", "cache_folder", "cached", "content_key"]
