"""Benchmark: `contracts diff` on the real provider pairs (GitHub, PagerDuty, Stripe).

Run: python3 benchmarks/bench_diff.py [--runs 5] [--pairs github,pagerduty,stripe]
Each run is a fresh process running the whole command in-process (`contracts diff OLD NEW --output FILE`, the
text report a person reads): parse both files, check them, resolve $refs, compare every operation in both
directions, group and render. Prints per pair the median wall time and peak RSS, the change counts per level
(from one more run with --format json, not timed), the CPU time (what the wall time is on a quiet machine), and how many lines the summary takes before the detail.
Targets: GitHub under 10 s and 1.5 GB, Stripe under 30 s.
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
SPECS = REPO.parent / "shared" / "specs"
PAIRS = {  # name -> old, new, extra arguments
    "github": ("github/old/api.github.com.json", "github/new/api.github.com.json", []),
    "pagerduty": (
        "pagerduty/old-2024-08/openapiv3.json",
        "pagerduty/openapiv3.json",
        ["--lenient"],
    ),  # 2 misplaced $refs
    "stripe": ("stripe/2022-04/spec3.json", "stripe/2023-09/spec3.yaml", []),
}
ONE_RUN = """
import json, resource, sys, time
start = time.perf_counter()
from contractkit.cli import main
code = main(["diff", *sys.argv[1:]])
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"code": code, "seconds": elapsed, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}))
"""


def _run(arguments: list[str]) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", ONE_RUN, *arguments], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_pair(name: str, runs: int, folder: Path) -> None:
    """Time one pair and print its figures."""
    old_name, new_name, extra = PAIRS[name]
    old, new = SPECS / old_name, SPECS / new_name
    if not (old.is_file() and new.is_file()):
        print(f"{name}: skipped, {old.parent} is absent")
        return
    text, report = folder / f"{name}.txt", folder / f"{name}.json"
    results = [_run([str(old), str(new), *extra, "--output", str(text)]) for _ in range(runs)]
    assert all(result["code"] == 1 for result in results), results  # every pair has breaking changes
    _run([str(old), str(new), *extra, "--format", "json", "--output", str(report)])
    levels = json.loads(report.read_text())["summary"]["levels"]
    lines = text.read_text().splitlines()
    summary = lines.index("Details") if "Details" in lines else len(lines)
    seconds = [result["seconds"] for result in results]
    print(
        f"{name}: {old_name} ({old.stat().st_size / 1e6:.1f} MB) -> {new_name} ({new.stat().st_size / 1e6:.1f} MB), {runs} runs"
    )
    print(
        "  changes: "
        + ", ".join(
            f"{levels[level]['changes']} {level} ({levels[level]['distinct']} distinct)"
            for level in ("breaking", "warning", "info")
        )
    )
    print(f"  wall time median {statistics.median(seconds):.2f} s (min {min(seconds):.2f}, max {max(seconds):.2f})")
    print(
        f"  CPU time (user + system) median {statistics.median(r['cpu'] for r in results):.2f} s (independent of other load)"
    )
    print(f"  peak RSS median {statistics.median(r['rss_mb'] for r in results):.0f} MB")
    print(f"  text report: {summary} lines before the detail, {len(lines)} in all")


def main() -> None:
    """Parse the arguments and benchmark each pair."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pairs", default="github,pagerduty,stripe")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for name in arguments.pairs.split(","):
            bench_pair(name, arguments.runs, Path(folder))


if __name__ == "__main__":
    main()
