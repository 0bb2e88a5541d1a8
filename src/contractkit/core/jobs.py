"""How many processes a large piece of work may use: one rule for every engine that splits its work."""

from __future__ import annotations

import os

from contractkit.core.errors import UsageError

JOBS_VARIABLE = "CONTRACTKIT_JOBS"


def job_count() -> int:
    """`CONTRACTKIT_JOBS`, else the cores this process may use that other work is not already keeping busy (the
    one-minute load average, less this process; at least 1): on a shared machine a second process only competes."""
    given = os.environ.get(JOBS_VARIABLE, "").strip()
    if given:
        if not given.isdigit() or int(given) < 1:
            raise UsageError(f"{JOBS_VARIABLE}={given!r}: expected a whole number of processes, 1 or more")
        return int(given)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    try:
        busy = max(0.0, os.getloadavg()[0] - 1.0)  # this process is one of the runnable ones
    except OSError:
        busy = 0.0
    return max(1, min(cores, round(cores - busy)))


__all__ = ["JOBS_VARIABLE", "job_count"]
