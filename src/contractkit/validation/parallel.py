"""Large recordings validated on every core: the work is cut into one part per core, each part is validated in its
own process, and the results come back in file order, the same rows as one process gives.

A vcrpy YAML cassette (`interactions:` first, as vcrpy writes it) is cut at its interactions, the lines that start
with `- ` at the first column, so each process also reads its own part of the text: reading is half the work. Each
part must read, alone, as a mapping holding only `interactions` (the last part may hold the keys after it, such as
`version`); a part that does not (anchors, or anything else the block reader leaves to the full loader), or any
problem in any part, sends the whole file to the one-process path, which reads it whole and names any problem
with its line. Any other recording of that size is read once and its interactions are validated in parts.

Processes are forked (Linux), so each starts with the description and the recording already in memory; each
compiles the schemas its part meets. `CONTRACTKIT_JOBS` sets how many processes (1 turns this off); by default
one per core this process may run on that other work is not keeping busy (on a shared machine whose cores are
taken, a second process only competes with the first). Files under PARALLEL_MIN_BYTES are validated in this
process: starting processes costs more than it saves there.
"""

from __future__ import annotations

import bisect
import multiprocessing
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractkit.cassettes import check_cassette_version, read_block_yaml
from contractkit.core.errors import ContractKitError
from contractkit.core.jobs import job_count
from contractkit.core.model import CheckResult
from contractkit.validation.sources import Recording, load_recording, vcr_interactions

PARALLEL_MIN_BYTES = 4 << 20
_PREFIX = "interactions:\n"


Rows = Callable[[Recording, int], list[CheckResult]]  # the rows of a recording whose first interaction has index N


@dataclass(frozen=True, slots=True)
class _Work:
    """What every process of one file shares, inherited at the fork: nothing of it is sent through a pipe."""

    rows: Rows
    path: Path
    text: str = ""  # a YAML cassette cut into parts
    recording: Recording | None = None  # any other recording, read whole


_WORK: _Work | None = None


def is_large(path: Path) -> bool:
    """Whether a recording is worth validating on several processes (and there are several cores to use)."""
    return path.stat().st_size >= PARALLEL_MIN_BYTES and job_count() > 1 and sys.platform.startswith("linux")


def validate_in_parts(path: Path, rows: Rows, *, jobs: int = 0) -> list[CheckResult] | None:
    """The rows of one recording (`rows` validates a part) from several processes, in file order; None when it
    is better (or only possible) done in this process: a small file, one core, no fork, or a part that does not
    read alone."""
    jobs = jobs or job_count()
    if jobs < 2 or not sys.platform.startswith("linux") or path.stat().st_size < PARALLEL_MIN_BYTES:
        return None  # `jobs` given by the caller wins over the environment
    raw = path.read_bytes()
    text = raw.decode("utf-8", "replace") if raw.lstrip()[:1] not in (b"{", b"[") else ""
    cuts = cut_points(text, jobs) if text else None
    if cuts is not None:
        return _run(_Work(rows, path, text=text), cuts, _validate_text_part)
    recording = load_recording(path)
    count = len(recording.interactions)
    if count < 2:
        return None
    bounds = [count * part // jobs for part in range(jobs + 1)]
    slices = [(start, end, start, end - start) for start, end in zip(bounds, bounds[1:])]
    return _run(_Work(rows, path, recording=recording), slices, _validate_slice)


Part = tuple[int, int, int, int]  # start, end, index of its first interaction, how many it holds


def cut_points(text: str, parts: int) -> list[Part] | None:
    """Up to `parts` stretches of a vcrpy YAML cassette of about the same size, each beginning at an interaction
    (a line starting `- `); None when the text does not begin with `interactions:` and its first interaction."""
    if not text.startswith(_PREFIX + "- "):
        return None
    starts = [len(_PREFIX)]
    found = text.find("\n- ", len(_PREFIX))
    while found >= 0:
        starts.append(found + 1)
        found = text.find("\n- ", found + 1)
    firsts = sorted({bisect.bisect_left(starts, len(text) * part // parts) for part in range(parts)} - {len(starts)})
    firsts = [0] + [first for first in firsts if first > 0]
    ends = [starts[first] for first in firsts[1:]] + [len(text)]
    counts = [after - first for first, after in zip(firsts, firsts[1:] + [len(starts)])]
    if len(firsts) < 2:
        return None
    return [(starts[first], end, first, count) for first, end, count in zip(firsts, ends, counts)]


def _run(work: _Work, parts: Sequence[Part], task: Any) -> list[CheckResult] | None:
    global _WORK
    _WORK = work
    try:
        with multiprocessing.get_context("fork").Pool(len(parts)) as pool:
            answers = pool.map(task, parts, chunksize=1)
    finally:
        _WORK = None
    if any(answer is None for answer in answers):
        return None
    extra = answers[-1][0]
    if extra:
        check_cassette_version(extra, work.path)
    return [row for _extra, rows in answers for row in rows]


def _validate_text_part(part: Part) -> tuple[dict[str, Any], list[CheckResult]] | None:
    """One stretch of a YAML cassette read and validated; None when it does not read alone as its interactions."""
    start, end, offset, count = part
    work = _WORK
    assert work is not None  # set before the fork
    data = read_block_yaml(_PREFIX + work.text[start:end])
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        return None
    if len(data["interactions"]) != count:
        return None  # a line starting `- ` that is not an interaction (inside a quoted body): read whole
    is_last = end == len(work.text)
    extra = {key: value for key, value in data.items() if key != "interactions"}
    if extra and not is_last:
        return None  # a key after the interactions, then a list at the first column: only the full read knows
    try:
        interactions = vcr_interactions(data["interactions"], work.path)
        rows = work.rows(Recording(work.path, "vcr", interactions), offset)
    except (ContractKitError, ValueError, TypeError, KeyError, AttributeError):
        return None  # the one-process path reports it, naming the file and the interaction
    return extra, rows


def _validate_slice(part: Part) -> tuple[dict[str, Any], list[CheckResult]] | None:
    """Interactions [start, end) of a recording read whole, validated."""
    start, end, _offset, _count = part
    work = _WORK
    assert work is not None and work.recording is not None  # set before the fork
    recording = work.recording
    try:
        rows = work.rows(Recording(recording.path, recording.kind, recording.interactions[start:end]), start)
    except (ContractKitError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return {}, rows


__all__ = ["PARALLEL_MIN_BYTES", "cut_points", "is_large", "validate_in_parts"]
