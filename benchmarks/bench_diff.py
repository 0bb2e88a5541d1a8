"""Benchmark: `contracts diff` on the two real GitHub REST descriptions (10.7 MB old, 13.0 MB new).

Run: python3 benchmarks/bench_diff.py [--runs 5]
Each run is a fresh process running the whole command in-process (`contracts diff OLD NEW --format json`):
parse both files, resolve $refs, compare every operation, render 6,000+ changes as JSON to a file. Prints
the median wall time and the median peak RSS, plus the change counts. Targets: under 10 s and 1.5 GB RSS.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO.parent / "shared" / "specs" / "github"
OLD = SPECS / "old" / "api.github.com.json"
NEW = SPECS / "new" / "api.github.com.json"
ONE_RUN = """
import json, resource, sys, time
start = time.perf_counter()
from contractkit.cli import main
code = main(["diff", sys.argv[1], sys.argv[2], "--format", "json", "--output", sys.argv[3]])
elapsed = time.perf_counter() - start
print(json.dumps({"code": code, "seconds": elapsed, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    if not (OLD.is_file() and NEW.is_file()):
        sys.exit(f"skipped: {SPECS} is absent")
    results = []
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "diff.json"
        for _ in range(runs):
            done = subprocess.run([sys.executable, "-c", ONE_RUN, str(OLD), str(NEW), str(report)],
                                  capture_output=True, text=True, check=True)
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            assert results[-1]["code"] == 1, done.stdout + done.stderr  # the pair has breaking changes
        changes = json.loads(report.read_text())["changes"]
    levels = {level: sum(1 for c in changes if c["level"] == level) for level in ("breaking", "warning", "info")}
    seconds = [r["seconds"] for r in results]
    print(f"contracts diff {OLD.relative_to(SPECS.parent)} ({OLD.stat().st_size / 1e6:.1f} MB) -> "
          f"{NEW.relative_to(SPECS.parent)} ({NEW.stat().st_size / 1e6:.1f} MB), {runs} runs")
    print(f"  changes: {len(changes)} ({levels['breaking']} breaking, {levels['warning']} warning, {levels['info']} info)")
    print(f"  wall time median {statistics.median(seconds):.2f} s (min {min(seconds):.2f}, max {max(seconds):.2f})")
    print(f"  peak RSS median {statistics.median(r['rss_mb'] for r in results):.0f} MB")


if __name__ == "__main__":
    main()
