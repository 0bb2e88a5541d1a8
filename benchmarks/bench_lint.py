"""Benchmark: `contracts lint` on a registry of many providers (issue 13: 10,000 providers in under 5 s).

Each provider has one operation and a cassette folder that does not exist yet, so lint loads, checks and prints a
warning for every one of them: the whole command as a user runs it, in a fresh process per run.

    python3 benchmarks/bench_lint.py [--providers 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_registry(folder: Path, providers: int) -> Path:
    """A registry of `providers` HTTP providers, one GET operation each."""
    lines = ["version: 1", "consumer: devctl", "providers:"]
    for index in range(providers):
        lines += [
            f"  p{index}:",
            "    base_url: http://127.0.0.1:9",
            f"    cassettes: cassettes/p{index}",
            "    operations:",
            "      get_widget: {method: GET, path: /widgets, safe: true}",
        ]
    path = folder / "registry.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def time_lint(registry: Path) -> tuple[float, int, int]:
    """Wall time, exit code and bytes printed of one `contracts lint` in a fresh process."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "from contractkit.cli import run; run()", "lint", "--registry", str(registry)],
        capture_output=True,
        env={**os.environ, "PACT_DO_NOT_TRACK": "true"},
    )
    return time.perf_counter() - started, done.returncode, len(done.stdout) + len(done.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        registry = write_registry(Path(folder), args.providers)
        runs = [time_lint(registry) for _ in range(args.runs)]
    times = [wall for wall, _, _ in runs]
    print(
        f"contracts lint, {args.providers} providers: median {statistics.median(times):.2f} s "
        f"(runs {', '.join(f'{wall:.2f}' for wall in times)}), exit {runs[0][1]}, {runs[0][2]:,} bytes of output, "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
