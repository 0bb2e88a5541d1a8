"""Benchmark the fuzzing overhead in one process: `fuzz_provider` against schemathesis's Python API, same run.

Both fuzz the same provider process on 127.0.0.1 (bench_fuzz.py's targets) with the same description, operations,
phases, max-examples, seed, one worker and continue-on-failure, alternating run by run after one untimed run of
each (imports and caches warm: this is the overhead without process start; bench_fuzz.py measures it with).
schemathesis runs its five checks; contractkit runs the same five plus error_format and consumer_compatibility,
replays its failure corpus and collects findings. During contractkit's runs every check is timed (CPU time of
the thread that runs it), which gives each check's share of the run.

    python3 benchmarks/bench_fuzz_overhead.py [--target inventory|jupyter] [--runs 5] [--max-examples 20]

Prints medians, the ratio (target: contractkit / schemathesis at most 1.10) and the checks' shares.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_fuzz import PHASES, TOKEN, Target, start_inventory, start_jupyter  # noqa: E402

from contractkit.fuzz.model import ALL_PHASES, SCHEMATHESIS_CHECKS  # noqa: E402

CHECK_SECONDS: dict[tuple[str, str], float] = defaultdict(float)  # (tool, check) -> CPU seconds
CHECK_CALLS: dict[tuple[str, str], int] = defaultdict(int)
RUNNING = ["contractkit"]  # the tool whose run is under way


def timed_checks() -> None:
    """Wrap schemathesis's `run_checks` so every check's CPU time is added to CHECK_SECONDS under its name."""
    from schemathesis.engine import _validate

    original = _validate.run_checks

    def wrap(check: Callable[..., Any]) -> Callable[..., Any]:
        name = check.__name__

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.thread_time()
            try:
                return check(*args, **kwargs)
            finally:
                CHECK_SECONDS[RUNNING[0], name] += time.thread_time() - started
                CHECK_CALLS[RUNNING[0], name] += 1

        timed.__name__ = name
        return timed

    def run_checks(*, checks: Any, **kwargs: Any) -> Any:
        return original(checks=[wrap(check) for check in checks], **kwargs)

    _validate.run_checks = run_checks


def run_contractkit(target: Target, max_examples: int, seed: int, corpus: Path) -> tuple[float, float, int]:
    """One `fuzz_provider` run: wall seconds, CPU seconds of the process, generated cases."""
    from contractkit.fuzz import FuzzOptions, fuzz_provider
    from contractkit.registry import load_registry

    wall, cpu = time.perf_counter(), time.process_time()
    registry = load_registry(target.registry)
    options = FuzzOptions(
        base_url=target.url,
        seed=seed,
        max_examples=max_examples,
        phases=tuple(PHASES.split(",")),
        corpus_path=corpus,
    )
    run = fuzz_provider(registry, target.provider, options, environ={**os.environ, "JUPYTER_TOKEN": TOKEN})
    cases = sum(outcome.cases for outcome in run.outcomes)
    return time.perf_counter() - wall, time.process_time() - cpu, cases


def run_schemathesis(target: Target, max_examples: int, seed: int) -> tuple[float, float, int]:
    """One plain schemathesis run through its Python API: load the description, execute, count the cases."""
    import schemathesis
    from schemathesis.config import SchemathesisConfig
    from schemathesis.engine import events, from_schema

    from contractkit.core.loading import load_json_fast

    wall, cpu = time.perf_counter(), time.process_time()
    document = load_json_fast(target.description, ValueError) if target.description.suffix == ".json" else None
    if document is None:
        import yaml

        document = yaml.load(target.description.read_text(), Loader=yaml.CSafeLoader)  # noqa: S506
    data: dict[str, Any] = {
        "seed": seed,
        "workers": 1,
        "base-url": target.url,
        "checks": {"enabled": False, **{name: {"enabled": True} for name in SCHEMATHESIS_CHECKS}},
        "generation": {"max-examples": max_examples, "database": "none"},
        "phases": {name: {"enabled": name in PHASES.split(",")} for name in ALL_PHASES},
        "continue-on-failure": True,
        "cache": {"enabled": False},  # as contractkit runs it: no replay of an earlier run's requests
    }
    if target.name == "jupyter":
        data["headers"] = {"Authorization": f"token {TOKEN}"}
        data["phases"]["coverage"]["unexpected-methods"] = []
    schema = schemathesis.openapi.from_dict(document, config=SchemathesisConfig.from_dict(data))
    if target.name == "jupyter":
        schema = schema.include(method="GET")
    cases = 0
    for event in from_schema(schema).execute():
        if isinstance(event, (events.ScenarioFinished, events.FuzzScenarioFinished)):
            cases += len(event.recorder.cases)
    return time.perf_counter() - wall, time.process_time() - cpu, cases


def main() -> None:
    """Start the target, warm both, alternate them, then print medians, the ratio and each check's share."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=("inventory", "jupyter"), default="inventory")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-examples", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args()
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    timed_checks()
    rows: dict[str, list[tuple[float, float, int]]] = {"contractkit": [], "schemathesis": []}
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        target = (start_jupyter if args.target == "jupyter" else start_inventory)(workdir)
        load = os.getloadavg()[0]
        try:
            tools = {
                "contractkit": lambda: run_contractkit(target, args.max_examples, args.seed, workdir / "corpus.json"),
                "schemathesis": lambda: run_schemathesis(target, args.max_examples, args.seed),
            }
            for tool in tools.values():
                tool()  # imports and caches, not counted
            CHECK_SECONDS.clear()
            CHECK_CALLS.clear()
            for number in range(args.runs):
                for name in tools if number % 2 == 0 else reversed(list(tools)):
                    RUNNING[0] = name
                    rows[name].append(tools[name]())
                    wall, cpu, cases = rows[name][-1]
                    print(f"run {number + 1} {name}: {wall:.2f} s wall, {cpu:.2f} s CPU, {cases} cases", flush=True)
        finally:
            target.process.terminate()
            target.process.wait(20)
    print(
        f"\n{target.name}, in one process (no process start): phases {PHASES}, max-examples {args.max_examples}, "
        f"seed {args.seed}; load average {load:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    medians = {}
    for name, values in rows.items():
        medians[name] = [statistics.median(row[column] for row in values) for column in range(3)]
        print(
            f"{name:<13} wall median {medians[name][0]:.2f} s {[round(row[0], 2) for row in values]}; "
            f"CPU median {medians[name][1]:.2f} s; cases {sorted({row[2] for row in values})}"
        )
    for label, column in (("wall", 0), ("CPU", 1)):
        ratio = medians["contractkit"][column] / medians["schemathesis"][column]
        print(f"ratio contractkit / schemathesis, {label}: {ratio:.3f} (target <= 1.10)")
    for tool in rows:
        total = sum(row[1] for row in rows[tool])
        print(f"\ncheck CPU time during {tool}'s runs (share of its CPU time):")
        for (owner, name), seconds in sorted(CHECK_SECONDS.items(), key=lambda item: -item[1]):
            if owner == tool:
                calls = CHECK_CALLS[owner, name]
                print(
                    f"  {name:<30} {seconds / args.runs * 1000:8.1f} ms per run, "
                    f"{seconds / calls * 1e6:7.1f} us per call, {100 * seconds / total:5.2f} %"
                )


if __name__ == "__main__":
    main()
