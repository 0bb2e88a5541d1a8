"""Benchmark verification and validation.

1. Verify 1,000 generated pact interactions with pact-python's Verifier (the Rust core) against the replay
   server of 1,000 recorded interactions (target: under 30 s).
2. Validate 10,000 recorded responses against the full GitHub description (13 MB): requests matched to their
   operation, bodies parsed and checked with compiled jsonschema-rs validators (target: at least 5,000/s).
   The comparison does the same work by calling openapi-core's `validate_response` once per response.
3. Drifted traffic: `--drifted` responses built from the GitHub description's examples (list bodies grown to 10
   items), two in three changed the way old recordings differ from today's description (tests/validation/traffic.py),
   written as one vcrpy YAML cassette and one JSON cassette; `contracts validate`'s library path end to end (load the
   description, read the cassette, compile lazily, validate, summarise) and warm, against openapi-core end to end
   (load the description, read the cassette, validate every response) on the same cassette in the same run; then
   the same end to end on a larger corpus (--large) split into cassettes of --drifted responses. Wall and CPU
   time are both given: on a shared machine the load average stretches wall time.

Run: python3 benchmarks/bench_verify.py [--runs 3] [--responses 10000] [--interactions 1000] [--openapi-core 300]
     python3 benchmarks/bench_verify.py --only drifted [--runs 5] [--drifted 6000] [--core-runs 3] [--large 30000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "verification"))  # the example-cassette builder shared with the tests
sys.path.insert(0, str(ROOT / "tests" / "validation"))  # the drifted-traffic builder shared with the tests
GITHUB = ROOT / ".." / "shared" / "specs" / "github" / "new" / "api.github.com.json"
os.environ.setdefault("PACT_DO_NOT_TRACK", "true")


# --------------------------------------------------------------------------- 1. pact verification


def generated_pact_and_cassette(count: int) -> tuple[dict, list]:
    """A V4 pact of `count` interactions with type matchers, and the recorded interactions that satisfy it."""
    from contractkit.cassettes import RecordedInteraction, RecordedRequest, RecordedResponse

    interactions, recorded = [], []
    for index in range(count):
        path = f"/api/dashboards/uid/d{index:04d}"
        body = {
            "dashboard": {
                "uid": f"d{index:04d}",
                "title": f"Dashboard {index}",
                "panels": [{"id": 1, "type": "graph"}],
            },
            "meta": {"slug": f"dashboard-{index}", "version": index % 7, "starred": index % 2 == 0},
        }
        interactions.append(
            {
                "type": "Synchronous/HTTP",
                "description": f"get dashboard {index}",
                "pending": False,
                "request": {"method": "GET", "path": path},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {"content": body, "contentType": "application/json", "encoded": False},
                    "matchingRules": {
                        "body": {
                            "$.meta.version": {"combine": "AND", "matchers": [{"match": "integer"}]},
                            "$.dashboard.title": {"combine": "AND", "matchers": [{"match": "type"}]},
                        }
                    },
                },
            }
        )
        recorded.append(
            RecordedInteraction(
                RecordedRequest("GET", f"http://127.0.0.1:3000{path}"),
                RecordedResponse(200, {"Content-Type": ("application/json",)}, json.dumps(body)),
                "get_dashboard",
            )
        )
    pact = {
        "consumer": {"name": "bench"},
        "provider": {"name": "grafana"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }
    return pact, recorded


def bench_pact_verification(count: int, runs: int) -> dict:
    """Median wall time to verify `count` interactions against a ReplayServer."""
    from contractkit.cassettes.replay import ReplayServer
    from contractkit.core.model import Auth, Provider, ProviderKind
    from contractkit.verify.core import run_verifier

    pact, recorded = generated_pact_and_cassette(count)
    provider = Provider("grafana", ProviderKind.HTTP, "http://127.0.0.1:3000", Auth("none"), {})
    times, passed = [], 0
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            started = time.perf_counter()
            with ReplayServer(recorded) as server:
                run = run_verifier(provider, pact, Path(folder), server.origin, {})
            times.append(time.perf_counter() - started)
            passed = sum(1 for item in run.results.get("interactionResults", []) if item.get("result") == "OK")
    return {"interactions": count, "passed": passed, "median_s": statistics.median(times), "runs_s": times}


# --------------------------------------------------------------------------- 2. response validation


def recorded_responses(document: dict, total: int) -> list:
    """`total` recorded GitHub responses built from the description's examples (every 6th altered), repeated."""
    from github_examples import build_cassette

    from contractkit.cassettes import parse_cassette

    cassette, _alterations, _skipped = build_cassette(document, count=100_000)
    interactions = parse_cassette(json.dumps(cassette), Path("github.json")).interactions
    return [interactions[index % len(interactions)] for index in range(total)]


def bench_contractkit(document: dict, responses: list, runs: int) -> dict:
    """Responses per second through recordings.check_interaction (match + parse + validate), warm validators."""
    from contractkit.validation import SpecValidator
    from contractkit.validation.recordings import check_interaction

    validator = SpecValidator(document, source="api.github.com.json")
    started = time.perf_counter()
    for interaction in responses[:1000]:  # first sight compiles each operation's validator once
        check_interaction(validator, interaction)
    warmup = time.perf_counter() - started
    rates, failed = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        failed = sum(
            check_interaction(validator, item, index=i).status.value == "failed" for i, item in enumerate(responses)
        )
        rates.append(len(responses) / (time.perf_counter() - started))
    return {
        "responses": len(responses),
        "failed": failed,
        "median_per_s": statistics.median(rates),
        "runs_per_s": rates,
        "first_1000_with_compilation_s": warmup,
        "validators_compiled": validator.compiled_count,
    }


def core_accepts(api: Any, interaction: Any) -> bool:
    """Whether openapi-core's `validate_response` accepts one recorded response (the same call in every section)."""
    from openapi_core.testing import MockRequest, MockResponse

    request = MockRequest("https://api.github.com", interaction.request.method.lower(), interaction.request.path)
    response = interaction.response
    content_type = response.header("content-type") or "application/json"
    try:
        api.validate_response(
            request,
            MockResponse(response.body_bytes, status_code=response.status, content_type=content_type.split(";")[0]),
        )
    except Exception:  # noqa: BLE001 - openapi-core raises a different class per kind of failure
        return False
    return True


def bench_openapi_core(document: dict, responses: list, sample: int) -> dict:
    """openapi-core: load the description once, then `validate_response` once per response."""
    from openapi_core import Config, OpenAPI

    started = time.perf_counter()
    # the GitHub description fails openapi-core's own spec validation ('' is not a 'uri'): skip that step
    api = OpenAPI.from_dict(document, config=Config(spec_validator_cls=None))
    load = time.perf_counter() - started
    failed, first = 0, 0.0
    started = time.perf_counter()
    for number, interaction in enumerate(responses[:sample]):
        if number == 1:  # openapi-core builds its spec objects lazily, on the first validation
            first = time.perf_counter() - started
            started = time.perf_counter()
        failed += not core_accepts(api, interaction)
    elapsed = time.perf_counter() - started
    return {"responses": sample, "failed": failed, "load_s": load, "first_s": first, "per_s": (sample - 1) / elapsed}


# --------------------------------------------------------------------------- 3. drifted traffic


def timed(work) -> tuple[object, float, float]:
    """(result, wall seconds, CPU seconds of this process) of one call: CPU time shows what the load average hides."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def contractkit_end_to_end(paths: list[Path]) -> dict:
    """`contracts validate`'s library path from nothing: load the description, read, compile lazily, validate, summarise."""
    from contractkit.validation.recordings import load_validator, validate_recordings
    from contractkit.validation.summary import summarize_conformance

    wall, cpu = time.perf_counter(), time.process_time()
    validator = load_validator(GITHUB)
    load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu
    report = validate_recordings(validator, paths)
    summary = summarize_conformance(report.results)
    return {
        "wall_s": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
        "load_wall_s": load_wall,
        "load_cpu_s": load_cpu,
        "failed": sum(result.status.value == "failed" for result in report.results),
        "distinct": len(summary.rows),
        "compiled": validator.compiled_count,
    }


def openapi_core_end_to_end(path: Path) -> dict:
    """openapi-core from nothing on the same cassette: read and parse the description, `OpenAPI.from_dict`, read
    the cassette (with contractkit's reader, the same cost for both), then `validate_response` for every response."""
    from openapi_core import Config, OpenAPI

    from contractkit.validation.sources import load_recording

    wall, cpu = time.perf_counter(), time.process_time()
    document = json.loads(GITHUB.read_bytes())
    # the GitHub description fails openapi-core's own spec validation ('' is not a 'uri'): skip that step
    api = OpenAPI.from_dict(document, config=Config(spec_validator_cls=None))
    load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu
    interactions = load_recording(path).interactions
    failed = 0
    for interaction in interactions:
        failed += not core_accepts(api, interaction)
    return {
        "wall_s": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
        "load_wall_s": load_wall,
        "load_cpu_s": load_cpu,
        "failed": failed,
        "responses": len(interactions),
    }


def write_corpus(folder: Path, total: int, files: int = 1) -> dict[str, list[Path]]:
    """The drifted corpus as vcrpy JSON cassettes (and, for a single file, the same as YAML)."""
    import yaml
    from traffic import build_traffic

    from contractkit.openapi.documents import load_spec_document

    cassette, _drifts, _changed = build_traffic(load_spec_document(GITHUB), total=total)
    interactions = cassette["interactions"]
    size = -(-total // files)
    out: dict[str, list[Path]] = {"json": []}
    for number in range(files):
        path = folder / f"traffic-{total}-{number}.json"
        path.write_text(json.dumps({"version": 1, "interactions": interactions[number * size : (number + 1) * size]}))
        out["json"].append(path)
    if files == 1:
        out["yaml"] = [folder / f"traffic-{total}.yaml"]
        out["yaml"][0].write_text(yaml.dump(cassette, Dumper=yaml.CSafeDumper))
    return out


def median_of(runs: list[dict], key: str) -> float:
    """The median of one measure over runs."""
    return statistics.median(run[key] for run in runs)


def bench_drifted(total: int, runs: int, core_runs: int, large: int) -> dict:
    """End-to-end and warm validation of drifted traffic (two thirds fail), openapi-core end to end alongside."""
    from contractkit.validation.recordings import load_validator, validate_recordings

    out: dict = {"responses": total, "large": large, "load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        corpus = write_corpus(folder, total)
        out["sizes_mb"] = {kind: round(paths[0].stat().st_size / 1e6, 1) for kind, paths in corpus.items()}
        for kind in ("json", "yaml"):
            contractkit_end_to_end(corpus[kind])  # imports and page cache, not counted
        for kind in ("json", "yaml"):
            out[kind] = [contractkit_end_to_end(corpus[kind]) for _ in range(runs)]
        validator = load_validator(GITHUB)
        validate_recordings(validator, corpus["json"])  # compile every validator once
        out["warm"] = [total / timed(lambda: validate_recordings(validator, corpus["json"]))[1] for _ in range(runs)]
        out["core"] = [openapi_core_end_to_end(corpus["json"][0]) for _ in range(core_runs)]
        if large:
            big = write_corpus(folder, large, files=max(1, large // total))["json"]
            out["large_files"] = len(big)
            out["large_runs"] = [contractkit_end_to_end(big) for _ in range(runs)]
    out["load_after"] = os.getloadavg()
    return out


def report_drifted(args: argparse.Namespace) -> None:
    """Print section 3."""
    result = bench_drifted(args.drifted, args.runs, args.core_runs, args.large)
    total, first = result["responses"], result["json"][0]
    print(
        f"load average {result['load_before'][0]:.1f} before, {result['load_after'][0]:.1f} after; drifted traffic: "
        f"{total} responses, {first['failed']} failed, {first['distinct']} distinct disagreements, "
        f"{first['compiled']} validators compiled; cassettes {result['sizes_mb']} MB"
    )
    for kind in ("json", "yaml"):
        rows = result[kind]
        wall, cpu = median_of(rows, "wall_s"), median_of(rows, "cpu_s")
        print(
            f"contractkit end to end ({kind} cassette), median of {len(rows)}: {wall:.2f} s wall = {total / wall:,.0f} "
            f"responses/s ({cpu:.2f} s CPU = {total / cpu:,.0f}/s); of which loading the description "
            f"{median_of(rows, 'load_wall_s'):.2f} s wall, {median_of(rows, 'load_cpu_s'):.2f} s CPU; "
            f"runs {[round(row['wall_s'], 2) for row in rows]}"
        )
    print(
        f"contractkit warm (validators compiled): median {statistics.median(result['warm']):,.0f} responses/s "
        f"{[round(rate) for rate in result['warm']]}"
    )
    core = result["core"]
    if core:
        wall, cpu = median_of(core, "wall_s"), median_of(core, "cpu_s")
        ours = median_of(result["json"], "wall_s")
        print(
            f"openapi-core 0.23 end to end (json cassette, all {core[0]['responses']} responses, {core[0]['failed']} "
            f"failed), median of {len(core)}: {wall:.1f} s wall = {total / wall:,.0f} responses/s ({cpu:.1f} s CPU); "
            f"of which loading the description {median_of(core, 'load_wall_s'):.1f} s; runs "
            f"{[round(row['wall_s'], 1) for row in core]}; contractkit is {wall / ours:.0f}x faster end to end "
            f"(CPU {cpu / median_of(result['json'], 'cpu_s'):.0f}x)"
        )
    if result["large"]:
        rows, large = result["large_runs"], result["large"]
        wall, cpu = median_of(rows, "wall_s"), median_of(rows, "cpu_s")
        print(
            f"contractkit end to end, {large} responses in {result['large_files']} JSON cassettes, median of "
            f"{len(rows)}: {wall:.2f} s wall = {large / wall:,.0f} responses/s ({cpu:.2f} s CPU = {large / cpu:,.0f}/s); "
            f"runs {[round(row['wall_s'], 2) for row in rows]}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--interactions", type=int, default=1000)
    parser.add_argument(
        "--openapi-core",
        dest="openapi_core",
        type=int,
        default=300,
        help="responses validated by openapi-core (0 to skip; it loads the description for ~18 s)",
    )
    parser.add_argument("--drifted", type=int, default=6000, help="responses of drifted traffic (section 3)")
    parser.add_argument(
        "--core-runs",
        dest="core_runs",
        type=int,
        default=3,
        help="end-to-end runs of openapi-core on the drifted traffic (section 3; 0 to skip, ~40 s each)",
    )
    parser.add_argument(
        "--large",
        type=int,
        default=30_000,
        help="a larger drifted corpus, in cassettes of --drifted responses each (section 3; 0 to skip)",
    )
    parser.add_argument("--only", choices=("all", "drifted"), default="all")
    args = parser.parse_args()

    if args.only == "drifted":
        if not GITHUB.is_file():
            print(f"skipping drifted traffic: {GITHUB} is absent")
            return
        report_drifted(args)
        return
    pact = bench_pact_verification(args.interactions, args.runs)
    print(
        f"pact verification: {pact['interactions']} interactions ({pact['passed']} passed) against the replay server: "
        f"median {pact['median_s']:.2f} s over {args.runs} runs {[round(t, 2) for t in pact['runs_s']]}"
    )

    if not GITHUB.is_file():
        print(f"skipping response validation: {GITHUB} is absent")
        return
    from contractkit.openapi.documents import load_spec_document

    started = time.perf_counter()
    document = load_spec_document(GITHUB)
    print(f"load the GitHub description once: {time.perf_counter() - started:.2f} s")
    responses = recorded_responses(document, args.responses)
    ours = bench_contractkit(document, responses, args.runs)
    print(
        f"contractkit (jsonschema-rs): {ours['responses']} responses, {ours['failed']} failed, median "
        f"{ours['median_per_s']:,.0f} responses/s over {args.runs} runs {[round(r) for r in ours['runs_per_s']]}; "
        f"first 1,000 including compiling {ours['validators_compiled']} validators: {ours['first_1000_with_compilation_s']:.2f} s"
    )
    if args.openapi_core:
        core = bench_openapi_core(document, responses, args.openapi_core)
        print(
            f"openapi-core 0.23: from_dict {core['load_s']:.2f} s, first response {core['first_s']:.2f} s, then "
            f"{core['per_s']:,.0f} responses/s ({core['responses']} responses, {core['failed']} failed)"
        )
    report_drifted(args)


if __name__ == "__main__":
    main()
