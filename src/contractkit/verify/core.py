"""The Pact core's Verifier, run on a pact document: cut into small runs, and without the costs it pays per request.

Measured with pact-python 4.2 (benchmarks/bench_verify_pact.py, profile in benchmarks/RESULTS.md):

- The core builds a new HTTP client for every interaction and state change, and each one reads and parses the
  machine's whole trust store (`/etc/ssl/certs`: some 150 files, 300 opens per interaction), about 5 ms of CPU
  each. Against a plain-HTTP origin on loopback (the replay server, a provider process started here) no request
  uses TLS, so the core is told not to verify certificates, which skips loading the store (`is_plain_loopback`):
  same requests, same verdicts.
- One Verifier run costs more per interaction the more interactions it holds (6 ms each at 100, 16 ms at 1,000):
  a pact is verified in runs of SHARD_SIZE interactions, results merged in order.
- Without provider states set up by URLs or callables, the runs go in parallel (the core releases the GIL);
  with them, one after the other, so that one run's state change never lands during another run's request.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from contractkit.core.model import Provider
from contractkit.verify.states import ProviderState, StateDispatcher

SHARD_SIZE = 25  # interactions per Verifier run: the core's cost per interaction grows with the run's size
MAX_PARALLEL = 4  # Verifier runs at once, when no provider state is set up by a URL or a callable


@dataclass(frozen=True, slots=True)
class CoreRun:
    """What the Pact core said about one verification: its JSON results, and the error it raised ('' for none)."""

    results: Mapping[str, Any]
    error: str = ""


@dataclass(frozen=True, slots=True)
class StateHandling:
    """How the core puts provider states in place: a state-change URL (the replay server's, which calls the
    dispatcher), or pact-python's own handler server for the dispatcher (one run only: it takes ~0.5 s to stop)."""

    dispatcher: StateDispatcher
    url: str = ""


def run_verifier(
    provider: Provider,
    pact: Mapping[str, Any],
    folder: Path,
    origin: str,
    states: Mapping[str, ProviderState],
    *,
    headers: Mapping[str, str] | None = None,
    dispatcher: StateDispatcher | None = None,
    state_url: str = "",
) -> CoreRun:
    """Run pact-python's Verifier on a pact document against `origin`, in runs of SHARD_SIZE interactions.

    Provider states set up by URLs or callables go through `state_url` when given (a server that calls the
    dispatcher), else through pact-python's handler for `dispatcher`; then the pact is verified in one run.
    """
    stateful = any(not state.is_cassette for state in states.values())
    handling = StateHandling(dispatcher or StateDispatcher(states), state_url) if stateful else None
    interactions = list(pact.get("interactions") or [])
    size = len(interactions) if handling is not None and not handling.url else SHARD_SIZE
    paths = [
        _write_core_file(folder / f"run-{number}.json", {**pact, "interactions": interactions[start : start + size]})
        for number, start in enumerate(range(0, max(len(interactions), 1), max(size, 1)))
    ]
    workers = 1 if handling is not None else min(MAX_PARALLEL, len(paths))

    def verify(path: Path) -> CoreRun:
        return _run_one_verifier(provider, path, origin, headers, handling)

    with _quiet_output():
        if workers == 1:
            return _merged([verify(path) for path in paths])
        with ThreadPoolExecutor(workers, thread_name_prefix="contractkit-verify") as pool:
            return _merged(list(pool.map(verify, paths)))


def _write_core_file(path: Path, document: Mapping[str, Any]) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _merged(parts: Sequence[CoreRun]) -> CoreRun:
    if len(parts) == 1:
        return parts[0]
    merged: dict[str, Any] = {"result": all(part.results.get("result") for part in parts)}
    for key in ("interactionResults", "errors", "notices", "output", "pendingErrors"):
        merged[key] = [item for part in parts for item in part.results.get(key) or []]
    return CoreRun(merged, "; ".join(dict.fromkeys(part.error for part in parts if part.error)))


def _run_one_verifier(
    provider: Provider,
    pact_path: Path,
    origin: str,
    headers: Mapping[str, str] | None,
    handling: StateHandling | None,
) -> CoreRun:
    from pact import Verifier

    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    verifier = Verifier(provider.name, host=urlsplit(origin).hostname).add_transport(url=origin).add_source(pact_path)
    verifier.set_coloured_output(enabled=False)
    verifier.set_request_timeout(10_000)
    if is_plain_loopback(origin):
        # no TLS anywhere: this only stops the core loading the trust store for every request (5 ms of CPU each);
        # a Verifier that also reads a broker or publishes results over HTTPS must keep verification on
        verifier.disable_ssl_verification()
    for name, value in (headers or {}).items():
        verifier.add_custom_header(name, value)
    if handling is not None and handling.url:
        verifier.state_handler(handling.url, teardown=True, body=True)
    elif handling is not None:
        verifier.state_handler(handling.dispatcher, teardown=True)
    try:
        verifier.verify()
    except RuntimeError as exc:  # a failed verification raises too: kept, and reported where no result explains it
        return CoreRun(verifier.results, _core_message(exc, verifier.results))
    return CoreRun(verifier.results)


def _core_message(exc: RuntimeError, results: Mapping[str, Any]) -> str:
    """The core's own words: the error it raised, with the errors its results list (handles left out)."""
    text = re.sub(r" for <?[A-Za-z]*Handle\(0x[0-9a-f]+\)>?", "", str(exc)).rstrip(".")
    errors = [
        str((item.get("mismatch") or {}).get("message") or item.get("mismatch") or item)
        for item in results.get("errors") or []
        if isinstance(item, Mapping) and not item.get("interaction")
    ]
    return "; ".join([text, *errors]) if errors else text


def is_plain_loopback(origin: str) -> bool:
    """Whether the Verifier's requests go over plain HTTP to this machine (no TLS in play)."""
    parts = urlsplit(origin)
    return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")


@contextlib.contextmanager
def _quiet_output() -> Iterator[None]:
    # the Rust core prints its own report on file descriptors 1 and 2; ours goes through reports/ instead
    saved = [os.dup(1), os.dup(2)]
    with tempfile.TemporaryFile() as sink:
        try:
            os.dup2(sink.fileno(), 1)
            os.dup2(sink.fileno(), 2)
            yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for descriptor in saved:
                os.close(descriptor)


__all__ = ["MAX_PARALLEL", "SHARD_SIZE", "CoreRun", "StateHandling", "is_plain_loopback", "run_verifier"]
