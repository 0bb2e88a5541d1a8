"""Benchmark: slice 10 operations out of the full GitHub description (13 MB) with `contracts schemas import`.

Run: python3 benchmarks/bench_slice.py [--runs 5]
Each run is a fresh process (load, slice, validate with openapi-spec-validator, atomic write); prints the
median wall time and the median peak RSS. Targets: under 5 s and under 1 GB RSS.
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
GITHUB = REPO.parent / "shared" / "specs" / "github" / "new" / "api.github.com.json"
OPERATIONS = {
    "list_pulls": ("GET", "/repos/{owner}/{repo}/pulls"),
    "get_pull": ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}"),
    "list_workflows": ("GET", "/repos/{owner}/{repo}/actions/workflows"),
    "list_workflow_runs": ("GET", "/repos/{owner}/{repo}/actions/runs"),
    "get_repo": ("GET", "/repos/{owner}/{repo}"),
    "list_issues": ("GET", "/repos/{owner}/{repo}/issues"),
    "create_issue": ("POST", "/repos/{owner}/{repo}/issues"),
    "list_check_runs": ("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs"),
    "list_releases": ("GET", "/repos/{owner}/{repo}/releases"),
    "get_user": ("GET", "/user"),
}
ONE_RUN = """
import json, resource, sys, time
start = time.perf_counter()
from contractkit.cli import main
code = main(["schemas", "import", "--registry", sys.argv[1], "--provider", "github", "--from", sys.argv[2]])
elapsed = time.perf_counter() - start
print(json.dumps({"code": code, "seconds": elapsed, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_registry(folder: Path) -> Path:
    lines = [
        "version: 1",
        "consumer: bench",
        "providers:",
        "  github:",
        "    base_url: https://api.github.com",
        "    spec: openapi.json",
        "    operations:",
    ]
    lines += [
        f'      {name}: {{method: {method}, path: "{path}", safe: true}}' for name, (method, path) in OPERATIONS.items()
    ]
    registry = folder / "registry.yaml"
    registry.write_text("\n".join(lines) + "\n")
    return registry


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    if not GITHUB.is_file():
        sys.exit(f"skipped: {GITHUB} is absent")
    results = []
    with tempfile.TemporaryDirectory() as folder:
        registry = write_registry(Path(folder))
        for _ in range(runs):
            done = subprocess.run(
                [sys.executable, "-c", ONE_RUN, str(registry), str(GITHUB)], capture_output=True, text=True, check=True
            )
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            assert results[-1]["code"] == 0, done.stdout
        size = (Path(folder) / "openapi.json").stat().st_size
    seconds = statistics.median(r["seconds"] for r in results)
    rss = statistics.median(r["rss_mb"] for r in results)
    print(
        f"slice 10 operations of {GITHUB.name} ({GITHUB.stat().st_size / 1e6:.1f} MB) -> {size / 1e3:.0f} kB, {runs} runs"
    )
    print(
        f"  wall time median {seconds:.2f} s (min {min(r['seconds'] for r in results):.2f}, max {max(r['seconds'] for r in results):.2f})"
    )
    print(f"  peak RSS median {rss:.0f} MB")


if __name__ == "__main__":
    main()
