"""Scrubbing a large batch of recorded interactions on every core: a cassette of many interactions scrubbed at
once (a recording or a re-recording saved, `contracts scan` over stored cassettes).

Each interaction is scrubbed alone (`scrub_interaction`), so a batch splits by interaction with no change of
verdict: the batch is cut into contiguous shares of about equal size, the shares are scrubbed by worker processes
and by this one, and the results are put back in the order of the interactions. A small batch (or one core) is scrubbed here, as
starting workers would cost more than it saves. Workers start from a fork server that has imported the scrubber
once, so starting a pool costs a fork per worker after the first batch.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Callable, Sequence, TypeVar

from contractkit.core.jobs import job_count
from contractkit.secrets.rules import ScrubRules
from contractkit.secrets.scrub import iter_interaction_secrets, scrub_interaction

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from contractkit.cassettes import RecordedInteraction

__all__ = ["MIN_BATCH_BYTES", "batch_secrets", "scrub_batch"]

# below this much traffic a batch is scrubbed in this process: a worker's start costs tens of milliseconds
MIN_BATCH_BYTES = 4_000_000
_SHARES_PER_WORKER = 16  # small shares: where the workers and this process meet, neither waits long for the other
_RULES: list[ScrubRules] = []  # in a worker: the rules of its batch, set once when it starts
T = TypeVar("T")


def scrub_batch(
    interactions: Sequence[RecordedInteraction], rules: ScrubRules, *, processes: int | None = None
) -> list[RecordedInteraction]:
    """Every interaction scrubbed, in order; a batch of `MIN_BATCH_BYTES` or more is shared among `processes`
    worker processes (when None, as many as `core.jobs.job_count` allows: `CONTRACTKIT_JOBS`, else the free cores)."""

    def here(share: list[RecordedInteraction]) -> list[RecordedInteraction]:
        return [scrub_interaction(interaction, rules) for interaction in share]

    workers = _workers(interactions, processes)
    if workers <= 1:
        return here(list(interactions))
    return [item for share in _map(_scrub_share, here, interactions, rules, workers) for item in share]


def batch_secrets(
    interactions: Sequence[RecordedInteraction], rules: ScrubRules, *, processes: int | None = None
) -> list[list[tuple[tuple[str, ...], str]]]:
    """For each interaction, in order, (where, kind) of every secret scrubbing would replace (see
    `iter_interaction_secrets`); shared among worker processes as `scrub_batch` is."""

    def here(share: list[RecordedInteraction]) -> list[list[tuple[tuple[str, ...], str]]]:
        return [list(iter_interaction_secrets(interaction, rules)) for interaction in share]

    workers = _workers(interactions, processes)
    if workers <= 1:
        return here(list(interactions))
    return [item for share in _map(_secrets_share, here, interactions, rules, workers) for item in share]


def _workers(interactions: Sequence[RecordedInteraction], processes: int | None) -> int:
    wanted = job_count() if processes is None else processes
    if wanted <= 1 or len(interactions) < 2 or sum(map(_size, interactions)) < MIN_BATCH_BYTES:
        return 1
    main = getattr(sys.modules.get("__main__"), "__file__", None)
    if main is not None and not os.path.isfile(main):  # a worker imports the main module again: from its file
        return 1
    return min(wanted, len(interactions))


def _size(interaction: RecordedInteraction) -> int:
    return sum(len(side.body or "") for side in (interaction.request, interaction.response))


def _map(
    function: Callable[[list[RecordedInteraction]], list[T]],
    here: Callable[[list[RecordedInteraction]], list[T]],
    interactions: Sequence[RecordedInteraction],
    rules: ScrubRules,
    processes: int,
) -> list[list[T]]:
    """The function's result on each share, in order: `processes - 1` workers take shares from the start while
    this process takes them from the end (`here`), so no core waits and no share is sent that need not be."""
    from concurrent.futures import ProcessPoolExecutor  # here: importing it costs every command 16 ms
    from concurrent.futures.process import BrokenProcessPool

    shares = _shares(interactions, processes * _SHARES_PER_WORKER)
    done: dict[int, list[T]] = {}
    try:
        with ProcessPoolExecutor(processes - 1, mp_context=_context(), initializer=_start, initargs=(rules,)) as pool:
            futures = [pool.submit(function, share) for share in shares]
            for index in reversed(range(len(shares))):
                if not futures[index].cancel():  # a worker has it already: the rest is theirs
                    break
                done[index] = here(shares[index])
            return [done[index] if index in done else futures[index].result() for index in range(len(shares))]
    except BrokenProcessPool:  # no worker could start (a main module run from standard input): all of it here
        return [done[index] if index in done else here(share) for index, share in enumerate(shares)]


def _shares(interactions: Sequence[RecordedInteraction], count: int) -> list[list[RecordedInteraction]]:
    """The interactions cut into about `count` contiguous shares of about equal size, in order."""
    target = max(1, sum(map(_size, interactions)) // count)
    shares: list[list[RecordedInteraction]] = [[]]
    filled = 0
    for interaction in interactions:
        if filled >= target:
            shares.append([])
            filled = 0
        shares[-1].append(interaction)
        filled += _size(interaction)
    return shares


def _context() -> BaseContext:
    """A fork server where there is one (it has imported the scrubber once), else fresh interpreters: forking
    this process itself could copy a lock another thread holds (a recording runs servers in threads)."""
    import multiprocessing  # with the pool, only when a batch is shared

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__, "contractkit.cassettes"])  # the scrubber, and what unpickles
        return context
    return multiprocessing.get_context("spawn")


def _start(rules: ScrubRules) -> None:
    _RULES[:] = [rules]
    rules.detector.kinds("")  # compile the formats before the first share


def _scrub_share(share: list[RecordedInteraction]) -> list[RecordedInteraction]:
    return [scrub_interaction(interaction, _RULES[0]) for interaction in share]


def _secrets_share(share: list[RecordedInteraction]) -> list[list[tuple[tuple[str, ...], str]]]:
    return [list(iter_interaction_secrets(interaction, _RULES[0])) for interaction in share]
