"""Benchmark verification and validation.

1. Verify 1,000 generated pact interactions with pact-python's Verifier (the Rust core) against the replay
   server of 1,000 recorded interactions (target: under 30 s).
2. Validate 10,000 recorded responses against the full GitHub description (13 MB): requests matched to their
   operation, bodies parsed and checked with compiled jsonschema-rs validators (target: at least 5,000/s).
   The comparison does the same work by calling openapi-core's `validate_response` once per response.

Run: python3 benchmarks/bench_verify.py [--runs 3] [--responses 10000] [--interactions 1000] [--openapi-core 300]
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "verification"))  # the example-cassette builder shared with the tests
GITHUB = ROOT / ".." / "shared" / "specs" / "github" / "new" / "api.github.com.json"
os.environ.setdefault("PACT_DO_NOT_TRACK", "true")


# --------------------------------------------------------------------------- 1. pact verification

def generated_pact_and_cassette(count: int) -> tuple[dict, list]:
    """A V4 pact of `count` interactions with type matchers, and the recorded interactions that satisfy it."""
    from contractkit.cassettes import RecordedInteraction, RecordedRequest, RecordedResponse

    interactions, recorded = [], []
    for index in range(count):
        path = f"/api/dashboards/uid/d{index:04d}"
        body = {"dashboard": {"uid": f"d{index:04d}", "title": f"Dashboard {index}", "panels": [{"id": 1, "type": "graph"}]},
                "meta": {"slug": f"dashboard-{index}", "version": index % 7, "starred": index % 2 == 0}}
        interactions.append({
            "type": "Synchronous/HTTP", "description": f"get dashboard {index}", "pending": False,
            "request": {"method": "GET", "path": path},
            "response": {"status": 200, "headers": {"Content-Type": ["application/json"]},
                         "body": {"content": body, "contentType": "application/json", "encoded": False},
                         "matchingRules": {"body": {"$.meta.version": {"combine": "AND", "matchers": [{"match": "integer"}]},
                                                    "$.dashboard.title": {"combine": "AND", "matchers": [{"match": "type"}]}}}},
        })
        recorded.append(RecordedInteraction(
            RecordedRequest("GET", f"http://127.0.0.1:3000{path}"),
            RecordedResponse(200, {"Content-Type": ("application/json",)}, json.dumps(body)), "get_dashboard"))
    pact = {"consumer": {"name": "bench"}, "provider": {"name": "grafana"}, "interactions": interactions,
            "metadata": {"pactSpecification": {"version": "4.0"}}}
    return pact, recorded


def bench_pact_verification(count: int, runs: int) -> dict:
    """Median wall time to verify `count` interactions against a ReplayServer."""
    from contractkit.core.model import Auth, Provider, ProviderKind
    from contractkit.cassettes.replay import ReplayServer
    from contractkit.verify.verifier import run_verifier

    pact, recorded = generated_pact_and_cassette(count)
    provider = Provider("grafana", ProviderKind.HTTP, "http://127.0.0.1:3000", Auth("none"), {})
    times, passed = [], 0
    with tempfile.TemporaryDirectory() as folder:
        pact_path = Path(folder) / "bench-grafana.json"
        pact_path.write_text(json.dumps(pact))
        for _ in range(runs):
            started = time.perf_counter()
            with ReplayServer(recorded) as server:
                results = run_verifier(provider, pact_path, server.origin, {})
            times.append(time.perf_counter() - started)
            passed = sum(1 for item in results.get("interactionResults", []) if item.get("result") == "OK")
    return {"interactions": count, "passed": passed, "median_s": statistics.median(times), "runs_s": times}


# --------------------------------------------------------------------------- 2. response validation

def recorded_responses(document: dict, total: int) -> list:
    """`total` recorded GitHub responses built from the description's examples (every 6th altered), repeated."""
    from contractkit.cassettes import parse_cassette
    from github_examples import build_cassette

    cassette, _alterations, _skipped = build_cassette(document, count=100_000)
    interactions = parse_cassette(json.dumps(cassette), Path("github.json")).interactions
    return [interactions[index % len(interactions)] for index in range(total)]


def bench_contractkit(document: dict, responses: list, runs: int) -> dict:
    """Responses per second through recordings.check_interaction (match + parse + validate), warm validators."""
    from contractkit.validation.recordings import check_interaction
    from contractkit.validation import SpecValidator

    validator = SpecValidator(document, source="api.github.com.json")
    started = time.perf_counter()
    for interaction in responses[:1000]:  # first sight compiles each operation's validator once
        check_interaction(validator, interaction)
    warmup = time.perf_counter() - started
    rates, failed = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        failed = sum(check_interaction(validator, item, index=i).status.value == "failed" for i, item in enumerate(responses))
        rates.append(len(responses) / (time.perf_counter() - started))
    return {"responses": len(responses), "failed": failed, "median_per_s": statistics.median(rates), "runs_per_s": rates,
            "first_1000_with_compilation_s": warmup, "validators_compiled": len(validator._validators)}


def bench_openapi_core(document: dict, responses: list, sample: int) -> dict:
    """openapi-core: load the description once, then `validate_response` once per response."""
    from openapi_core import Config, OpenAPI
    from openapi_core.testing import MockRequest, MockResponse

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
        request = MockRequest("https://api.github.com", interaction.request.method.lower(), interaction.request.path)
        response = interaction.response
        content_type = response.header("content-type") or "application/json"
        try:
            api.validate_response(request, MockResponse(response.body_bytes, status_code=response.status,
                                                        content_type=content_type.split(";")[0]))
        except Exception:  # noqa: BLE001 - openapi-core raises a different class per kind of failure
            failed += 1
    elapsed = time.perf_counter() - started
    return {"responses": sample, "failed": failed, "load_s": load, "first_s": first, "per_s": (sample - 1) / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--interactions", type=int, default=1000)
    parser.add_argument("--openapi-core", dest="openapi_core", type=int, default=300,
                        help="responses validated by openapi-core (0 to skip; it loads the description for ~18 s)")
    args = parser.parse_args()

    pact = bench_pact_verification(args.interactions, args.runs)
    print(f"pact verification: {pact['interactions']} interactions ({pact['passed']} passed) against the replay server: "
          f"median {pact['median_s']:.2f} s over {args.runs} runs {[round(t, 2) for t in pact['runs_s']]}")

    if not GITHUB.is_file():
        print(f"skipping response validation: {GITHUB} is absent")
        return
    from contractkit.openapi.documents import load_spec_document

    started = time.perf_counter()
    document = load_spec_document(GITHUB)
    print(f"load the GitHub description once: {time.perf_counter() - started:.2f} s")
    responses = recorded_responses(document, args.responses)
    ours = bench_contractkit(document, responses, args.runs)
    print(f"contractkit (jsonschema-rs): {ours['responses']} responses, {ours['failed']} failed, median "
          f"{ours['median_per_s']:,.0f} responses/s over {args.runs} runs {[round(r) for r in ours['runs_per_s']]}; "
          f"first 1,000 including compiling {ours['validators_compiled']} validators: {ours['first_1000_with_compilation_s']:.2f} s")
    if args.openapi_core:
        core = bench_openapi_core(document, responses, args.openapi_core)
        print(f"openapi-core 0.23: from_dict {core['load_s']:.2f} s, first response {core['first_s']:.2f} s, then "
              f"{core['per_s']:,.0f} responses/s ({core['responses']} responses, {core['failed']} failed)")


if __name__ == "__main__":
    main()
