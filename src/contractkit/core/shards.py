"""Shards: `--shard I/N` runs one of N disjoint parts of the work, so CI runners can split a run between them.

Every runner sees the same list of work items (the registry's providers, a provider's operations, the files to
validate), so each can compute the same assignment without talking to the others: the items are ordered by a hash
of their names and dealt out in turn. The split is balanced (part sizes differ by at most one), independent of the
order the items are listed in, and every item lands in exactly one shard.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from contractkit.core.errors import UsageError

__all__ = ["Shard", "ShardStamp", "parse_shard", "select_shard"]

T = TypeVar("T")
_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True, slots=True)
class Shard:
    """Shard `index` (1-based) of `count`."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


@dataclass(frozen=True, slots=True)
class ShardStamp:
    """What a shard's saved report carries so that a merge can prove the set complete: the shard (index of
    count), the command that ran (`--shard I/N` included), the work it split (the same command without the
    shard, shared by every shard of it) and the run it belongs to (a CI run id, or the commit)."""

    index: int
    count: int
    command: str
    work: str
    run: str

    def to_dict(self) -> dict[str, object]:
        """The JSON a saved report holds under `shard`."""
        return {"index": self.index, "count": self.count, "command": self.command, "work": self.work, "run": self.run}

    @classmethod
    def from_dict(cls, data: object, display: str) -> ShardStamp:
        """A saved report's `shard`; UsageError naming the file and key for anything else."""
        if not isinstance(data, dict):
            raise UsageError(f"{display}: shard: expected a mapping with index, count, command, work and run")
        index, count = data.get("index"), data.get("count")
        if not isinstance(index, int) or not isinstance(count, int) or not 1 <= index <= count:
            raise UsageError(f"{display}: shard: index and count must be integers with 1 <= index <= count")
        texts = [data.get(key, "") for key in ("command", "work", "run")]
        if not all(isinstance(text, str) for text in texts):
            raise UsageError(f"{display}: shard: command, work and run must be strings")
        return cls(index, count, *texts)  # type: ignore[arg-type]


def parse_shard(text: str) -> Shard:
    """`2/4` as Shard(2, 4); UsageError for anything else (0/4, 5/4, 1/0, `two`)."""
    match = _SHARD.match(text)
    if match is None:
        raise UsageError(f"--shard {text!r}: expected I/N, such as 1/4 (shard I of N, counted from 1)")
    index, count = int(match[1]), int(match[2])
    if count < 1 or not 1 <= index <= count:
        raise UsageError(f"--shard {text!r}: I must be between 1 and N, and N at least 1")
    return Shard(index, count)


def _rank(name: str) -> tuple[str, str]:
    return hashlib.sha256(name.encode("utf-8")).hexdigest(), name


def select_shard(items: Iterable[T], shard: Shard | None, key: Callable[[T], str] = str) -> list[T]:
    """The items of one shard, in their original order; all of them without a shard."""
    listed = list(items)
    if shard is None or shard.count == 1:
        return listed
    ordered = sorted({key(item) for item in listed}, key=_rank)
    chosen = {name for position, name in enumerate(ordered) if position % shard.count == shard.index - 1}
    return [item for item in listed if key(item) in chosen]
