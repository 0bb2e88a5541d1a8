"""Benchmark: `contracts fuzz` against plain `schemathesis run` on the same operations, examples and seed.

Both run as fresh processes against the same provider process on 127.0.0.1, with the same description,
operations, phases, max-examples, seed, one worker and continue-on-failure; runs alternate so both see
the same machine load. The toolkit additionally loads the registry, runs its two own checks
(error_format, consumer_compatibility) and keeps the failure corpus: that overhead is what is measured.

Targets:
- `inventory`: the example provider of this repository (4 operations, all methods, no failures);
- `jupyter`: a real jupyter_server with token auth (its 15 GET operations, the ones a third-party
  provider gets; schemathesis is told the same: GET only, no unexpected-method probes).

    python3 benchmarks/bench_fuzz.py [--target inventory|jupyter] [--runs 5] [--max-examples 20] [--seed 1234]

Prints the median wall and CPU time of each and the ratios (target: contracts fuzz <= 1.1 x schemathesis). Both
start from compiled bytecode after one untimed run each, and schemathesis runs without its request cache, as
contracts fuzz runs it. benchmarks/bench_fuzz_overhead.py measures the same without process start.

    python3 benchmarks/bench_fuzz.py --target T --imports

Instead of timing runs, runs each tool once through `python3 -X importtime` (the entry point called in the
interpreter, no shim) and prints what contracts fuzz imports that schemathesis run does not: the number of
modules, their summed own import time, and the largest of them by cumulative time.
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
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
INVENTORY = REPO / "examples" / "inventory"
DATA = REPO / "tests" / "data" / "fuzzing"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection"
PHASES = "examples,coverage,fuzzing"
TOKEN = "benchmark-token-0123456789"
# contracts fuzz runs schemathesis without its request cache (no replay of an earlier run's requests): so does the peer
NO_CACHE = "[cache]\nenabled = false\n"


@dataclass
class Target:
    """A provider process plus what each tool needs to fuzz it the same way."""

    name: str
    process: subprocess.Popen[bytes]
    url: str
    registry: Path
    provider: str
    description: Path
    schemathesis_extra: list[str] = field(default_factory=list)
    schemathesis_config: Path | None = None


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    """Block until the URL answers, or stop with a message."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # an answer, even 403 without a token, means the server is up
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{url} did not answer")


def start_inventory(workdir: Path) -> Target:
    """The inventory example, correct variant."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(INVENTORY / "app.py"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/health", process)
    config = workdir / "schemathesis.toml"
    config.write_text(NO_CACHE)
    registry, description = INVENTORY / "registry.yaml", INVENTORY / "openapi.json"
    return Target("inventory", process, url, registry, "inventory", description, schemathesis_config=config)


def start_jupyter(workdir: Path) -> Target:
    """jupyter_server with a token, terminals disabled, an empty root folder."""
    import jupyter_server

    description = Path(jupyter_server.__file__).parent / "services" / "api" / "api.yaml"
    port = free_port()
    root = workdir / "root"
    root.mkdir()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--allow-root",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.terminals_enabled=False",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "JUPYTER_TOKEN": TOKEN},
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/api/status", process)
    registry = workdir / "registry.yaml"
    registry.write_text(f"""\
version: 1
consumer: bench
providers:
  jupyter:
    base_url: {url}
    auth: {{scheme: header, header: Authorization, prefix: "token ", env: JUPYTER_TOKEN}}
    spec: {description}
    error_schema: {DATA / "jupyter.error.schema.json"}
    operations:
      get_status: {{method: GET, path: /api/status, safe: true}}
""")
    config = workdir / "schemathesis.toml"
    config.write_text(f"{NO_CACHE}[phases.coverage]\nunexpected-methods = []\n")
    extra = ["--include-method", "GET", "-H", f"Authorization: token {TOKEN}"]
    return Target("jupyter", process, url, registry, "jupyter", description, extra, config)


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall time, CPU time (user + system) and exit code of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=REPO, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, completed.returncode


def commands(target: Target, max_examples: int, seed: int, workdir: Path, phases: str = PHASES) -> dict[str, list[str]]:
    """The two command lines, equal in everything but the tool."""
    contracts = shutil.which("contracts") or "contracts"
    schemathesis = shutil.which("schemathesis") or "schemathesis"
    config = ["--config-file", str(target.schemathesis_config)] if target.schemathesis_config else []
    return {
        "contracts fuzz": [
            contracts,
            "fuzz",
            "--registry",
            str(target.registry),
            "--provider",
            target.provider,
            "--base-url",
            target.url,
            "--max-examples",
            str(max_examples),
            "--seed",
            str(seed),
            "--phases",
            phases,
            "--corpus",
            str(workdir / "corpus.json"),
            "--quiet",
            "--format",
            "json",
        ],
        "schemathesis run": [
            schemathesis,
            *config,
            "run",
            str(target.description),
            "--url",
            target.url,
            "--max-examples",
            str(max_examples),
            "--seed",
            str(seed),
            "--phases",
            phases,
            "--checks",
            CHECKS,
            "--workers",
            "1",
            "--generation-database",
            "none",
            "--continue-on-failure",
            "--no-color",
            *target.schemathesis_extra,
        ],
    }


def cases_in(report: Path) -> int:
    """How many generated cases the toolkit's JSON report counts."""
    data = json.loads(report.read_text())
    return sum(row.get("cases", 0) for row in data["results"])


def measure(
    target: Target, runs: int, max_examples: int, seed: int, workdir: Path, env: dict[str, str], phases: str = PHASES
) -> tuple[dict[str, list[float]], dict[str, list[float]], int]:
    """Alternate the two tools; wall and CPU seconds per tool, and the toolkit's case count."""
    lines = commands(target, max_examples, seed, workdir, phases)
    walls: dict[str, list[float]] = {name: [] for name in lines}
    cpus: dict[str, list[float]] = {name: [] for name in lines}
    for command in lines.values():
        timed(command, env)  # untimed: compiles bytecode, warms the page cache
    for run in range(runs):
        for name, command in lines.items() if run % 2 == 0 else reversed(lines.items()):
            wall, cpu, code = timed(command, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
            print(f"run {run + 1} {name}: {wall:.2f} s wall, {cpu:.2f} s CPU (exit {code})", flush=True)
    # One more, untimed run writes the report that says how many cases a run generates.
    subprocess.run(
        [*lines["contracts fuzz"], "--output", str(workdir / "report.json")],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return walls, cpus, cases_in(workdir / "report.json")


# The console scripts' entry points, called in the interpreter itself so that -X importtime sees every import.
ENTRY_POINTS = {
    "contracts fuzz": "import sys; from contractkit.cli import run; sys.argv[0] = 'contracts'; run()",
    "schemathesis run": (
        "import sys; from schemathesis.cli import schemathesis; sys.argv[0] = 'schemathesis'; schemathesis()"
    ),
}


@dataclass(frozen=True)
class ImportRow:
    """One line of -X importtime: own and cumulative microseconds, the module and its depth in the tree."""

    own: int
    cumulative: int
    module: str
    depth: int


def import_rows(command: list[str], env: dict[str, str]) -> list[ImportRow]:
    """Run one command through -X importtime; its import table (the console script replaced by its entry point)."""
    name = "contracts fuzz" if "fuzz" in command[1:2] else "schemathesis run"
    argv = [sys.executable, "-X", "importtime", "-c", ENTRY_POINTS[name], *command[1:]]
    completed = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=REPO, check=False)
    rows = []
    for line in completed.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, module = line.removeprefix("import time:").split("|")
        depth = (len(module) - len(module.lstrip(" "))) // 2
        rows.append(ImportRow(int(own), int(cumulative), module.strip(), depth))
    return rows


def print_import_profile(
    target: Target, max_examples: int, seed: int, workdir: Path, env: dict[str, str], runs: int = 5
) -> None:
    """What contracts fuzz imports beyond schemathesis run: counts, summed own time (medians of `runs` runs of
    each, alternated), by package, and the largest subtrees (of the last run)."""
    lines = commands(target, max_examples, seed, workdir)
    for command in lines.values():
        timed(command, env)  # compiled bytecode first, as in the timed runs
    sums: dict[str, list[float]] = {"ours": [], "theirs": [], "extra": []}
    packages: dict[str, list[int]] = {}
    for _ in range(runs):
        ours, theirs = (import_rows(command, env) for command in lines.values())
        shared = {row.module for row in theirs}
        extra = [row for row in ours if row.module not in shared]
        for name, rows in (("ours", ours), ("theirs", theirs), ("extra", extra)):
            sums[name].append(sum(row.own for row in rows) / 1e6)
        totals: dict[str, int] = {}
        for row in extra:
            top = row.module.split(".")[0]
            totals[top] = totals.get(top, 0) + row.own
        for top, own in totals.items():
            packages.setdefault(top, []).append(own)
    median = {name: statistics.median(values) for name, values in sums.items()}
    print(
        f"\n{target.name}, medians of {runs}: contracts fuzz imports {len(ours)} modules ({median['ours']:.3f} s own "
        f"time), schemathesis run {len(theirs)} ({median['theirs']:.3f} s); only contracts fuzz: {len(extra)} "
        f"modules, {median['extra']:.3f} s"
    )
    print("own import time of those, by top-level package (ms):")
    for top, owns in sorted(packages.items(), key=lambda item: -statistics.median(item[1]))[:15]:
        print(f"  {statistics.median(owns) / 1000:8.1f}  {top}")
    print("largest subtrees only contracts fuzz imports (cumulative ms, own ms):")
    for row in sorted(subtree_roots(ours, shared), key=lambda row: -row.cumulative)[:15]:
        print(f"  {row.cumulative / 1000:8.1f} {row.own / 1000:7.1f}  {row.module}")


def subtree_roots(rows: list[ImportRow], shared: set[str]) -> list[ImportRow]:
    """Rows not in `shared` whose importer (the next row one level up: children print first) is shared or none."""
    roots = []
    for index, row in enumerate(rows):
        if row.module in shared:
            continue
        parent = next((later for later in rows[index + 1 :] if later.depth < row.depth), None)
        if parent is None or parent.module in shared:
            roots.append(row)
    return roots


def main() -> None:
    """Start the target, alternate the two tools, then print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=("inventory", "jupyter"), default="inventory")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-examples", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument(
        "--phases", default=PHASES, help="e.g. `examples` with --max-examples 1: the fixed costs, start-up first"
    )
    parser.add_argument("--imports", action="store_true", help="print the import profile of each tool instead")
    arguments = parser.parse_args()
    env = {**os.environ, "PACT_DO_NOT_TRACK": "true", "NO_COLOR": "1", "JUPYTER_TOKEN": TOKEN}
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        # Both tools start from compiled bytecode, as installed packages do (pip compiles at install): a source
        # tree run with PYTHONDONTWRITEBYTECODE would compile contractkit's modules in every run. The warm-up
        # run of each tool fills this cache.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
        target = (start_jupyter if arguments.target == "jupyter" else start_inventory)(workdir)
        load = os.getloadavg()[0]
        if arguments.imports:
            try:
                print_import_profile(target, arguments.max_examples, arguments.seed, workdir, env, arguments.runs)
            finally:
                target.process.terminate()
                target.process.wait(20)
            return
        try:
            walls, cpus, cases = measure(
                target, arguments.runs, arguments.max_examples, arguments.seed, workdir, env, arguments.phases
            )
        finally:
            target.process.terminate()
            target.process.wait(20)
    print(
        f"\n{target.name}: phases {arguments.phases}, max-examples {arguments.max_examples}, seed {arguments.seed}, "
        f"{cases} cases per toolkit run; load average {load:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    for name in walls:
        print(
            f"{name:<17} wall median {statistics.median(walls[name]):.2f} s (min {min(walls[name]):.2f}, "
            f"max {max(walls[name]):.2f}); CPU median {statistics.median(cpus[name]):.2f} s"
        )
    for label, values in (("wall", walls), ("CPU", cpus)):
        ratio = statistics.median(values["contracts fuzz"]) / statistics.median(values["schemathesis run"])
        print(f"ratio contracts fuzz / schemathesis run, {label}: {ratio:.2f} (target <= 1.10)")


if __name__ == "__main__":
    main()
