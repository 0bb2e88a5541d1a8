"""Benchmark: `contracts diff A A` on a generated 10,000-path OpenAPI 3.0 description (no change to find).

Run: python3 benchmarks/bench_diff_self.py [--runs 5] [--paths 10000] [--components 2000] [--profile]

The description comes from tests/diff/generated.py (resources with collection, item, sub-resource and action
paths; path, query and header parameters; request bodies and answers that `$ref` about 2,000 component schemas
in tiers, with a recursive node, `allOf` extensions, a discriminated `oneOf` and a shared `Error`), written to a
temporary folder as JSON, and copied to a second file. Each run is a fresh process running the whole command as
a user would (`contracts diff A A --format json --output F`, then the text report `--output F`), timed from outside:
start-up, parsing, the input checks, the comparison and the report. The same is timed for `contracts diff A COPY`
(two files with the same content: both are read and checked, and the comparison finds every path the same).
Prints the median wall time per format, the CPU time and the peak RSS, and the change count (0 expected). With --profile, one more run in this process under
cProfile prints the top entries by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests" / "diff")]

from generated import generate_description  # noqa: E402

COMMAND = [sys.executable, "-c", "import sys; from contractkit.cli import main; sys.exit(main(sys.argv[1:]))"]


def _run(arguments: list[str]) -> dict[str, float]:
    """One fresh `contracts` process: wall time, CPU time and peak RSS (of the slowest child so far)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        COMMAND + arguments,
        capture_output=True,
        text=True,
        env={**os.environ, "PACT_DO_NOT_TRACK": "true", "PYTHONPATH": str(REPO / "src")},
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"contracts diff exited {done.returncode}: {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu": cpu, "rss_mb": after.ru_maxrss / 1024}


def bench(old: Path, new: Path, folder: Path, runs: int) -> None:
    """Time both formats and check that the diff finds no change."""
    for name, extra in (("json", ["--format", "json"]), ("text", [])):
        output = folder / f"report.{name}"
        results = [_run(["diff", str(old), str(new), *extra, "--output", str(output)]) for _ in range(runs)]
        seconds = [result["seconds"] for result in results]
        print(
            f"  --format {name}: wall time median {statistics.median(seconds):.2f} s "
            f"(runs: {', '.join(f'{s:.2f}' for s in seconds)}), CPU median "
            f"{statistics.median(r['cpu'] for r in results):.2f} s, peak RSS {max(r['rss_mb'] for r in results):.0f} MB"
        )
        if name == "json":
            levels = json.loads(output.read_text())["summary"]["levels"]
            print(f"  changes: {sum(level['changes'] for level in levels.values())}")


def profile(document: Path, folder: Path, top: int = 15) -> None:
    """One run in this process under cProfile: the top entries by cumulative and by own time."""
    from contractkit.cli import main

    profiler = cProfile.Profile()
    profiler.runcall(
        main, ["diff", str(document), str(document), "--format", "json", "--output", str(folder / "p.json")]
    )
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(r"contractkit", top)
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    """Generate the description, then benchmark (and maybe profile) the diff against itself."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--paths", type=int, default=10_000)
    parser.add_argument("--components", type=int, default=2_000)
    parser.add_argument("--profile", action="store_true")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        document = folder / "openapi.json"
        description = generate_description(arguments.paths, arguments.components)
        document.write_text(json.dumps(description, indent=1))
        operations = sum(len(item) for item in description["paths"].values())
        print(
            f"{arguments.paths} paths, {operations} operations, "
            f"{len(description['components']['schemas'])} component schemas, {document.stat().st_size / 1e6:.1f} MB; "
            f"{arguments.runs} runs, load average {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}"
        )
        copy = folder / "copy.json"
        copy.write_bytes(document.read_bytes())
        print("contracts diff A A")
        bench(document, document, folder, arguments.runs)
        print("contracts diff A COPY")
        bench(document, copy, folder, arguments.runs)
        if arguments.profile:
            profile(document, folder)


if __name__ == "__main__":
    main()
