"""Benchmark pact verification by number of interactions: `contracts verify`'s pact check end to end.

A registry in a temporary folder (the Grafana-like slice of tests/verification) with a V4 pact of N interactions
(`GET /api/dashboards/uid/dNNNN`, type and integer matchers) and one cassette recording the N answers. Each run
reads the registry, the pact and the cassettes and calls `verify_pacts` (what `contracts verify` runs for the
pact check: the Pact core against the replay server, then the per-interaction bookkeeping). With `--states`,
every interaction names a provider state set up by a Python callable (the handler runs for every interaction).

For each size the time is split by a profile of the run: the Pact core (`run_verifier`, the replay server's
answers included), the replay server's own CPU (its loop thread), and our bookkeeping (everything else:
loading, grouping, results, naming the cassette that answered).

    python3 benchmarks/bench_verify_pact.py [--sizes 100,300,1000] [--runs 3] [--states]
    PYTHONPATH=/path/to/earlier/src python3 benchmarks/bench_verify_pact.py   # the same on an earlier tree

Target: 1,000 interactions under 10 s, growing linearly.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "verification"))  # the Grafana-like slice and registry writer
os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
BASE = "http://127.0.0.1:3000"
STATE_MODULE = "ck_bench_states"


def dashboard(index: int) -> dict[str, Any]:
    """The recorded body of dashboard `index`."""
    return {
        "dashboard": {"uid": f"d{index:04d}", "title": f"Dashboard {index}", "panels": [{"id": 1, "type": "graph"}]},
        "meta": {"slug": f"dashboard-{index}", "version": index % 7, "created": "2026-11-01T10:00:00Z"},
    }


def interaction(index: int, state: bool) -> dict[str, Any]:
    """One V4 HTTP interaction of the pact, with type and integer matchers."""
    rules = {
        "$.meta.version": {"combine": "AND", "matchers": [{"match": "integer"}]},
        "$.dashboard.title": {"combine": "AND", "matchers": [{"match": "type"}]},
    }
    item: dict[str, Any] = {
        "type": "Synchronous/HTTP",
        "description": f"get dashboard {index}",
        "pending": False,
        "request": {"method": "GET", "path": f"/api/dashboards/uid/d{index:04d}"},
        "response": {
            "status": 200,
            "headers": {"Content-Type": ["application/json"]},
            "body": {"content": dashboard(index), "contentType": "application/json", "encoded": False},
            "matchingRules": {"body": rules},
        },
    }
    if state:
        item["providerStates"] = [{"name": "dashboards exist", "params": {"uid": f"d{index:04d}"}}]
    return item


def write_project(root: Path, count: int, states: bool) -> Path:
    """The registry, pact and cassette of `count` interactions under `root`; returns the registry path."""
    from verification_support import write_cassette, write_registry

    extra = f"    states:\n      dashboards exist: {{callable: '{STATE_MODULE}:setup'}}\n" if states else ""
    registry = write_registry(root, extra_provider=extra)
    (root / STATE_MODULE).with_suffix(".py").write_text(
        "CALLS = []\n\ndef setup(state, action, parameters):\n    CALLS.append((state, action))\n"
    )
    (root / "pacts").mkdir(exist_ok=True)
    pact = {
        "consumer": {"name": "devctl"},
        "provider": {"name": "grafana"},
        "interactions": [interaction(index, states) for index in range(count)],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }
    (root / "pacts" / "devctl-grafana.json").write_text(json.dumps(pact))
    recorded = [("GET", f"{BASE}/api/dashboards/uid/d{index:04d}", 200, dashboard(index)) for index in range(count)]
    write_cassette(root / "cassettes" / "grafana", "get_dashboard", *recorded)
    return registry


class Profile:
    """Seconds spent in the Pact core (wall) and in the replay server's loop thread (CPU), by wrapping both."""

    def __init__(self) -> None:
        from contractkit.cassettes import httpserver
        from contractkit.verify import verifier

        self.core = 0.0
        self.server_cpu = 0.0
        original_run, original_received = verifier.run_verifier, httpserver.HttpConnection.data_received
        profile = self

        def run_verifier(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original_run(*args, **kwargs)
            finally:
                profile.core += time.perf_counter() - started

        def data_received(connection: Any, data: bytes) -> None:
            started = time.thread_time()
            original_received(connection, data)
            profile.server_cpu += time.thread_time() - started

        verifier.run_verifier = run_verifier
        httpserver.HttpConnection.data_received = data_received  # type: ignore[method-assign]

    def reset(self) -> None:
        """Start counting again."""
        self.core = self.server_cpu = 0.0


def run_once(registry_path: Path, profile: Profile) -> dict[str, Any]:
    """One `verify_pacts` from the registry file (wall time, the split, the verdicts), then one whole
    `verify_registry` (the pact check, cassette validation and the pact-vs-OpenAPI check: `contracts verify`)."""
    from contractkit.registry import ProviderContext, load_registry
    from contractkit.verify import verify_pacts, verify_registry

    profile.reset()
    started = time.perf_counter()
    registry = load_registry(registry_path)
    results = verify_pacts(ProviderContext(registry, registry.provider("grafana")))
    wall = time.perf_counter() - started
    row = {
        "wall": wall,
        "core": profile.core,
        "server_cpu": profile.server_cpu,
        "ours": wall - profile.core,
        "passed": sum(result.status.value in ("passed", "seeded") for result in results),
        "total": len(results),
    }
    started = time.perf_counter()
    registry = load_registry(registry_path)
    report = verify_registry(registry, [registry.provider("grafana")])
    row["whole"] = time.perf_counter() - started
    row["whole_failed"] = sum(result.status.value == "failed" for result in report.results)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300,1000", help="numbers of interactions, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--states", action="store_true", help="every interaction in a callable provider state")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    profile = Profile()
    print(f"load average before: {os.getloadavg()[0]:.1f}; states: {'callable' if args.states else 'none'}")
    print(
        "| interactions | pact check, median wall | per interaction | Pact core + replay | replay server CPU | ours "
        "| passed | whole `contracts verify` (failed rows) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        sys.path.insert(0, folder)
        for size in sizes:
            root = Path(folder) / f"n{size}"
            root.mkdir()
            registry = write_project(root, size, args.states)
            sys.path.insert(0, str(root))
            rows = [run_once(registry, profile) for _ in range(args.runs)]
            middle = sorted(rows, key=lambda row: row["wall"])[len(rows) // 2]
            print(
                f"| {size:,} | {middle['wall']:.2f} s {[round(row['wall'], 2) for row in rows]} | "
                f"{1000 * middle['wall'] / size:.1f} ms | {middle['core']:.2f} s | {middle['server_cpu']:.2f} s | "
                f"{middle['ours']:.2f} s | {middle['passed']}/{middle['total']} | "
                f"{statistics.median(row['whole'] for row in rows):.2f} s ({middle['whole_failed']}) |",
                flush=True,
            )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
