"""Benchmark: how `contracts diff` grows with the size of the descriptions and with the number of changes.

Run: python3 benchmarks/bench_diff_growth.py [--runs 3] [--sizes 500,1000,2000,4000] [--changes 250,500,1000,2000]

Descriptions come from tests/diff/generated.py (paths with collection, item, sub-resource and action
operations, parameters, bodies and answers that `$ref` component schemas, about one component per five paths).
The new side is a copy where some operations gain a required query parameter, one breaking change each.

- By size: 1 operation in 20 changed, for each number of paths in --sizes.
- By changes: 2,000 paths, with each number of changed operations in --changes.

Each figure is the median of --runs fresh processes running `contracts diff OLD NEW --format json --output F`,
timed from outside (start-up included). Each table prints the wall and CPU time and the extra CPU time per 1,000
operations (by size) or per 1,000 changes (by changes) over the first row, which holds the fixed costs: a cost
that grows linearly keeps that last column flat.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests" / "diff")]

from generated import generate_description  # noqa: E402

COMMAND = [sys.executable, "-c", "import sys; from contractkit.cli import main; sys.exit(main(sys.argv[1:]))"]
ENVIRONMENT = {**os.environ, "PACT_DO_NOT_TRACK": "true", "PYTHONPATH": str(REPO / "src")}
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def _operations(description: dict[str, Any]) -> list[dict[str, Any]]:
    return [item[method] for item in description["paths"].values() for method in METHODS if method in item]


def changed(description: dict[str, Any], count: int) -> dict[str, Any]:
    """A copy in which `count` operations, spread evenly, each gain a required query parameter."""
    new = copy.deepcopy(description)
    operations = _operations(new)
    step = max(1, len(operations) // max(count, 1))
    for index, operation in enumerate(operations[::step][:count]):
        parameter = {"name": f"since_{index}", "in": "query", "required": True, "schema": {"type": "string"}}
        operation["parameters"] = [*operation.get("parameters", []), parameter]
    return new


def _timed(old: Path, new: Path, report: Path) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [*COMMAND, "diff", str(old), str(new), "--format", "json", "--output", str(report)],
        capture_output=True,
        text=True,
        env=ENVIRONMENT,
        check=False,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"contracts diff exited {done.returncode}: {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu": cpu}


def measure(old: dict[str, Any], new: dict[str, Any], folder: Path, runs: int) -> tuple[float, float, int, float]:
    """(median wall, median CPU, changes found, MB of the old file) of `contracts diff OLD NEW --format json`."""
    old_file, new_file, report = folder / "old.json", folder / "new.json", folder / "report.json"
    old_file.write_text(json.dumps(old))
    new_file.write_text(json.dumps(new))
    results = [_timed(old_file, new_file, report) for _ in range(runs)]
    levels = json.loads(report.read_text())["summary"]["levels"]
    found = sum(level["changes"] for level in levels.values())
    wall = statistics.median(result["seconds"] for result in results)
    return wall, statistics.median(result["cpu"] for result in results), found, old_file.stat().st_size / 1e6


def by_size(sizes: list[int], folder: Path, runs: int) -> None:
    """The table by description size, one operation in 20 changed."""
    print("\nBy description size (1 operation in 20 gains a required parameter)\n")
    print("| paths | operations | MB | changes | wall | CPU | extra CPU per 1,000 operations (over the first row) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    first: tuple[int, float] | None = None
    for paths in sizes:
        old = generate_description(paths=paths, components=max(paths // 5, 20))
        operations = len(_operations(old))
        wall, cpu, found, megabytes = measure(old, changed(old, operations // 20), folder, runs)
        slope = "" if first is None else f"{(cpu - first[1]) / (operations - first[0]) * 1000:.3f} s"
        first = first or (operations, cpu)
        print(f"| {paths:,} | {operations:,} | {megabytes:.1f} | {found:,} | {wall:.2f} s | {cpu:.2f} s | {slope} |")


def by_changes(counts: list[int], folder: Path, runs: int, paths: int = 2_000) -> None:
    """The table by number of changes, on one description."""
    old = generate_description(paths=paths, components=paths // 5)
    operations = len(_operations(old))
    print(f"\nBy number of changes ({paths:,} paths, {operations:,} operations)\n")
    print("| changed operations | changes | wall | CPU | extra CPU per 1,000 changes (over the first row) |")
    print("| --- | --- | --- | --- | --- |")
    first: tuple[int, float] | None = None
    for count in counts:
        wall, cpu, found, _ = measure(old, changed(old, count), folder, runs)
        slope = "" if first is None else f"{(cpu - first[1]) / max(found - first[0], 1) * 1000:.3f} s"
        first = first or (found, cpu)
        print(f"| {count:,} | {found:,} | {wall:.2f} s | {cpu:.2f} s | {slope} |")


def main() -> None:
    """Parse the arguments and print both tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="500,1000,2000,4000")
    parser.add_argument("--changes", default="250,500,1000,2000")
    arguments = parser.parse_args()
    print(f"{arguments.runs} runs per figure, medians; 2 cores, load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory() as name:
        by_size([int(size) for size in arguments.sizes.split(",")], Path(name), arguments.runs)
        by_changes([int(count) for count in arguments.changes.split(",")], Path(name), arguments.runs)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
