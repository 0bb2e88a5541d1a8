"""Benchmark the consumer run: the example registry, and a generated registry of 500 interactions.

    python3 benchmarks/bench_consumer.py [--runs 5] [--interactions 500]

1. `contracts consumer` over the example registry (every provider and interaction of registry.yaml): a fresh process per run,
   so imports are counted, as a user sees it.
2. The same run in-process (`run_consumer`), imports excluded.
3. `run_consumer` over a generated registry: one HTTP provider with an OpenAPI slice, 50 operations and
   N interactions with matchers, each replayed against its own Pact mock server and schema-checked.
Prints medians of several runs; pacts go to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OPERATIONS = 50


def median_of(runs: int, action) -> tuple[float, float, float]:
    """Median, min and max wall time of `runs` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), max(times)


def cli_example(pacts: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from contractkit.cli import run; sys.argv[0] = 'contracts'; run()",
            "consumer",
            "--pacts",
            str(pacts),
            "--format",
            "json",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PACT_DO_NOT_TRACK": "true"},
    )
    summary = json.loads(result.stdout)["summary"]
    assert result.returncode == 0 and summary["failed"] == 0, result.stderr


def generated_registry(folder: Path, interactions: int) -> Path:
    """A registry with one provider, an OpenAPI slice and `interactions` contract interactions."""
    item = {
        "type": "object",
        "required": ["id", "name", "count"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
            "tags": {"type": "array", "items": {"type": "string"}},
            "updated": {"type": "string", "format": "date-time"},
        },
    }
    paths = {
        f"/things{n}/{{id}}": {
            "get": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "a thing", "content": {"application/json": {"schema": item}}}},
            }
        }
        for n in range(OPERATIONS)
    }
    spec = {"openapi": "3.0.3", "info": {"title": "things", "version": "1"}, "paths": paths}
    (folder / "schemas").mkdir()
    (folder / "schemas" / "openapi.json").write_text(json.dumps(spec), encoding="utf-8")
    operations = "".join(
        f'      op{n}: {{method: GET, path: "/things{n}/{{id}}", safe: true}}\n' for n in range(OPERATIONS)
    )
    (folder / "registry.yaml").write_text(
        "version: 1\nconsumer: bench\nproviders:\n  things:\n    base_url: http://127.0.0.1:9/api\n"
        "    spec: schemas/openapi.json\n    contract: contracts/things.yaml\n    operations:\n" + operations,
        encoding="utf-8",
    )
    lines = ["provider: things", "interactions:"]
    for index in range(interactions):
        lines += [
            f"  - operation: op{index % OPERATIONS}",
            f"    description: thing {index}",
            f"    given: [{{state: a thing exists, params: {{id: t{index}}}}}]",
            f"    request: {{path_params: {{id: t{index}}}, headers: {{Authorization: {{$regex: '^Bearer \\S+$', example: Bearer x}}}}}}",
            "    response:",
            "      status: 200",
            f"      body: {{id: t{index}, name: {{$like: thing}}, count: {{$integer: {index}}}, tags: {{$each_like: blue}},"
            " updated: {$datetime: '2024-06-12T14:05:00Z'}}",
        ]
    (folder / "contracts").mkdir()
    (folder / "contracts" / "things.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "registry.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--interactions", type=int, default=500)
    args = parser.parse_args()
    os.environ["PACT_DO_NOT_TRACK"] = "true"
    os.chdir(REPO)
    from contractkit.consumer import run_consumer
    from contractkit.registry import load_registry

    with tempfile.TemporaryDirectory(prefix="bench-consumer-") as temporary:
        work = Path(temporary)
        load = os.getloadavg()[0]
        before = os.times()
        cli = median_of(args.runs, lambda: cli_example(work / "cli"))
        after = os.times()
        cli_cpu = (
            after.children_user + after.children_system - before.children_user - before.children_system
        ) / args.runs
        registry = load_registry(REPO / "registry.yaml")
        run_consumer(registry, pacts=work / "warm")  # warm botocore models and the schema cache once
        example = median_of(args.runs, lambda: run_consumer(registry, pacts=work / "example"))
        generated = load_registry(generated_registry(work, args.interactions))
        report = run_consumer(generated, pacts=work / "generated")
        assert not report.failed, [r.message for r in report.results if r.message][:3]
        big = median_of(max(1, args.runs // 2), lambda: run_consumer(generated, pacts=work / "generated"))
        size = (work / "generated" / "bench-things.json").stat().st_size
    print(f"load average at start: {load:.2f}")
    print(
        f"example registry, `contracts consumer` (fresh process, the whole example registry): median {cli[0]:.2f} s "
        f"(min {cli[1]:.2f}, max {cli[2]:.2f}) over {args.runs} runs, {cli_cpu:.2f} s CPU per run"
    )
    print(
        f"example registry, run_consumer in-process: median {example[0]:.2f} s (min {example[1]:.2f}, "
        f"max {example[2]:.2f})"
    )
    print(
        f"generated registry, {args.interactions} interactions: median {big[0]:.2f} s (min {big[1]:.2f}, "
        f"max {big[2]:.2f}), {args.interactions / big[0]:.0f} interactions/s, pact {size / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
