"""Benchmark: `contracts fuzz` against plain `schemathesis run` on the same operations, examples and seed.

Both run as fresh processes against the same provider process on 127.0.0.1 (the inventory example,
correct variant, so neither run stops early on a failure), with the same description, phases,
max-examples, seed and one worker; runs alternate so both see the same machine load. The toolkit
additionally runs its two own checks and the corpus bookkeeping: that overhead is what is measured.

    python3 benchmarks/bench_fuzz.py [--runs 5] [--max-examples 20] [--seed 1234]

Prints the median wall time of each and the ratio (target: contracts fuzz <= 1.2 x schemathesis).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
INVENTORY = REPO / "examples" / "inventory"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection"
PHASES = "examples,coverage,fuzzing"


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_provider(port: int) -> subprocess.Popen[bytes]:
    """The inventory example on 127.0.0.1:port, ready when /health answers."""
    process = subprocess.Popen([sys.executable, str(INVENTORY / "app.py"), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the inventory example did not start")


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall time, CPU time (user + system) and exit code of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=REPO,
                               check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, completed.returncode


def commands(url: str, max_examples: int, seed: int, workdir: Path) -> dict[str, list[str]]:
    """The two command lines, equal in everything but the tool."""
    contracts = shutil.which("contracts") or "contracts"
    schemathesis = shutil.which("schemathesis") or "schemathesis"
    return {
        "contracts fuzz": [contracts, "fuzz", "--registry", str(INVENTORY / "registry.yaml"), "--provider", "inventory",
                           "--base-url", url, "--max-examples", str(max_examples), "--seed", str(seed),
                           "--phases", PHASES, "--corpus", str(workdir / "corpus.json"), "--quiet",
                           "--format", "json"],
        "schemathesis run": [schemathesis, "run", str(INVENTORY / "openapi.json"), "--url", url,
                             "--max-examples", str(max_examples), "--seed", str(seed), "--phases", PHASES,
                             "--checks", CHECKS, "--workers", "1", "--generation-database", "none", "--no-color"],
    }


def cases_in(report: Path) -> int:
    """How many generated cases the toolkit's JSON report counts."""
    data = json.loads(report.read_text())
    return sum(row.get("cases", 0) for row in data["results"])


def main() -> None:
    """Alternate the two tools, then print medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-examples", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1234)
    arguments = parser.parse_args()
    env = {**os.environ, "PACT_DO_NOT_TRACK": "true", "NO_COLOR": "1"}
    port = free_port()
    provider = start_provider(port)
    walls: dict[str, list[float]] = {"contracts fuzz": [], "schemathesis run": []}
    cpus: dict[str, list[float]] = {"contracts fuzz": [], "schemathesis run": []}
    try:
        with tempfile.TemporaryDirectory() as folder:
            workdir = Path(folder)
            lines = commands(f"http://127.0.0.1:{port}", arguments.max_examples, arguments.seed, workdir)
            for run in range(arguments.runs):
                for name, command in (lines.items() if run % 2 == 0 else reversed(lines.items())):
                    wall, cpu, code = timed(command, env)
                    walls[name].append(wall)
                    cpus[name].append(cpu)
                    print(f"run {run + 1} {name}: {wall:.2f} s wall, {cpu:.2f} s CPU (exit {code})", flush=True)
            # One more, untimed run writes the report that says how many cases a run generates.
            subprocess.run([*lines["contracts fuzz"], "--output", str(workdir / "report.json")], env=env, cwd=REPO,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            cases = cases_in(workdir / "report.json")
    finally:
        provider.terminate()
        provider.wait(10)
    print(f"\ninventory example: 4 operations, phases {PHASES}, max-examples {arguments.max_examples}, "
          f"seed {arguments.seed}, {cases} cases per toolkit run")
    for name in walls:
        print(f"{name:<17} wall median {statistics.median(walls[name]):.2f} s (min {min(walls[name]):.2f}, "
              f"max {max(walls[name]):.2f}); CPU median {statistics.median(cpus[name]):.2f} s")
    for label, values in (("wall", walls), ("CPU", cpus)):
        ratio = statistics.median(values["contracts fuzz"]) / statistics.median(values["schemathesis run"])
        print(f"ratio contracts fuzz / schemathesis run, {label}: {ratio:.2f} (target <= 1.20)")


if __name__ == "__main__":
    main()
