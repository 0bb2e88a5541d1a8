"""Benchmark validation of real traffic: a vcrpy YAML cassette of large GitHub responses, end to end.

Corpus: `--responses` recorded GitHub responses built from the published JSON examples of
`github/new/api.github.com.json` (tests/validation/traffic.py: every example an independent validator accepts,
list bodies grown to `--items` entries as GitHub's default page of 30 is, two responses in three drifted the way
old recordings drift), each with the response headers GitHub sends (rate limits, ETag, request id, CORS and
security headers), written by vcrpy's own YAML serializer: one cassette of about 50 MB for 3,000 responses.

Measured, each in a fresh process, tools alternated run by run:
- contractkit: `contracts validate --spec DESCRIPTION CASSETTE` from process start to exit (imports, description
  load, cassette read, validation, summary, report written), with the description cache warm (the state of every
  run after the first) and cold (`CONTRACTKIT_NO_CACHE=1`);
- openapi-core: read and parse the description, `OpenAPI.from_dict`, read the cassette (with contractkit's reader:
  the same cost for both), `validate_response` once per response, from process start to exit;
- the floor: merely reading the cassette and parsing every body (no description, no validation);
then contractkit at several corpus sizes (growth by number of responses), and the CPU time of each step of the
command in one process (imports, description, cassette, validation, report, masking), for `--before` too.

Wall time and CPU time (the process and its children, which the load average of a shared machine does not
stretch) are both given; `--before TREE` runs an earlier checkout's `src/` alternately with this one.

Run: python3 benchmarks/bench_traffic.py [--runs 3] [--core-runs 3] [--responses 3000] [--sizes 750,1500,3000,6000]
                                         [--before /path/to/earlier/checkout] [--distinct]

The corpus cycles through its ~600 usable examples, so bodies recur (595 distinct texts of 3,000) and a repeated body is
read and judged once; `--distinct` gives every body a text of its own (trailing whitespace, the same JSON value)
for the figure of traffic where nothing repeats.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "verification"))  # the example judge shared with the tests
sys.path.insert(0, str(ROOT / "tests" / "validation"))  # the drifted-traffic builder shared with the tests
GITHUB = ROOT / ".." / "shared" / "specs" / "github" / "new" / "api.github.com.json"
os.environ.setdefault("PACT_DO_NOT_TRACK", "true")

# What api.github.com sends with every response (the values vary per response where GitHub's do).
_CORS_EXPOSED = (
    "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, "
    "X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, "
    "X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset"
)


def github_headers(index: int, media: str, listed: bool) -> dict[str, list[str]]:
    """The response headers of one recorded GitHub response, as vcrpy stores them (name -> list of values)."""
    stamp = 1_765_000_000 + index
    headers = {
        "Date": [time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(stamp))],
        "Content-Type": [media],
        "Cache-Control": ["private, max-age=60, s-maxage=60"],
        "Vary": ["Accept, Authorization, Cookie, X-GitHub-OTP,Accept-Encoding, Accept, X-Requested-With"],
        "ETag": [f'W/"{index * 2654435761 % (1 << 64):016x}{index * 40503 % (1 << 48):012x}"'],
        "X-OAuth-Scopes": ["read:org, repo, workflow"],
        "X-Accepted-OAuth-Scopes": ["repo"],
        "github-authentication-token-expiration": ["2027-03-01 00:00:00 UTC"],
        "X-GitHub-Media-Type": ["github.v3; format=json"],
        "x-github-api-version-selected": ["2022-11-28"],
        "X-RateLimit-Limit": ["5000"],
        "X-RateLimit-Remaining": [str(4999 - index % 5000)],
        "X-RateLimit-Reset": [str(stamp + 3600)],
        "X-RateLimit-Used": [str(1 + index % 5000)],
        "X-RateLimit-Resource": ["core"],
        "Access-Control-Expose-Headers": [_CORS_EXPOSED],
        "Access-Control-Allow-Origin": ["*"],
        "Strict-Transport-Security": ["max-age=31536000; includeSubdomains; preload"],
        "X-Frame-Options": ["deny"],
        "X-Content-Type-Options": ["nosniff"],
        "X-XSS-Protection": ["0"],
        "Referrer-Policy": ["origin-when-cross-origin, strict-origin-when-cross-origin"],
        "Content-Security-Policy": ["default-src 'none'"],
        "Server": ["github.com"],
        "X-GitHub-Request-Id": [f"{index % 65536:04X}:{index * 7919 % 65536:04X}:{index * 104729:X}:{stamp:X}"],
    }
    if listed:
        headers["Link"] = [
            '<https://api.github.com/repositories/1300192/issues?page=2>; rel="next", '
            '<https://api.github.com/repositories/1300192/issues?page=7>; rel="last"'
        ]
    return headers


def write_cassette(folder: Path, total: int, items: int, distinct: bool = False) -> Path:
    """The corpus as one vcrpy YAML cassette, written by vcrpy's serializer. With `distinct`, no two bodies have the
    same text: the corpus cycles through its published examples, so a body recurs every few hundred responses, and
    a repeated body keeps its first verdict and is read once; each recurrence gets trailing whitespace of its own
    (the same JSON value, so the same verdicts), which shows the cost of traffic where every body differs."""
    from traffic import build_traffic
    from vcr.serializers import yamlserializer

    from contractkit.openapi import load_spec_document

    cassette, _drifts, _changed = build_traffic(load_spec_document(GITHUB), total=total, items=items)
    seen: dict[str, int] = {}
    for index, interaction in enumerate(cassette["interactions"]):
        response = interaction["response"]
        if distinct:
            text = response["body"]["string"]
            seen[text] = seen.get(text, -1) + 1
            response["body"]["string"] = text + " " * seen[text]
        media = response["headers"]["Content-Type"][0]
        listed = response["body"]["string"].startswith("[")
        response["headers"] = github_headers(index, media, listed)
        interaction["request"]["headers"]["User-Agent"] = ["python-requests/2.32.3"]
    path = folder / f"github-{total}{'-distinct' if distinct else ''}.yaml"
    path.write_text(yamlserializer.serialize(cassette))
    return path


# --------------------------------------------------------------------------- the measured programs (child processes)

_CONTRACTS = "import sys; from contractkit.cli import run; sys.argv[0] = 'contracts'; sys.exit(run())"

_OPENAPI_CORE = """
import json, sys
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from contractkit.validation import load_recording
document = json.loads(open(sys.argv[1], "rb").read())
# the GitHub description fails openapi-core's own spec validation ('' is not a 'uri'): skip that step
api = OpenAPI.from_dict(document, config=Config(spec_validator_cls=None))
failed = 0
for interaction in load_recording(sys.argv[2]).interactions:
    response = interaction.response
    content_type = (response.header("content-type") or "application/json").split(";")[0]
    request = MockRequest("https://api.github.com", interaction.request.method.lower(), interaction.request.path)
    try:
        api.validate_response(request, MockResponse(response.body_bytes, status_code=response.status, content_type=content_type))
    except Exception:
        failed += 1
print(json.dumps({"failed": failed}))
"""

_READ_ONLY = """
import json, sys
from contractkit.core.http import parse_json_body
from contractkit.validation import load_recording
recording = load_recording(sys.argv[1])
bodies = [parse_json_body(interaction.response.body)[0] for interaction in recording.interactions]
print(json.dumps({"responses": len(bodies)}))
"""

_BREAKDOWN = """
import json, os, resource, sys
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
steps = {"interpreter start": cpu()}
def step(name, mark=[steps["interpreter start"]]):
    now = cpu()
    steps[name] = now - mark[0]
    mark[0] = now
import contractkit.cli
from contractkit.core.model import Report
from contractkit.reports import render_report
from contractkit.secrets import mask_text
from contractkit.validation import iter_recording_results, load_recording, load_validator
from contractkit.validation.recordings import collector_paused
step("imports (the CLI, validation, reports, masking)")
with collector_paused():
    validator = load_validator(sys.argv[1])
    step("load the description (cache warm)")
    recording = load_recording(sys.argv[2])
    step("read the cassette (49.5 MB of YAML, 3,000 interactions)")
    rows = tuple(iter_recording_results(validator, recording, validator.document["info"]["title"]))
    step("validate every response (parse bodies, compile schemas, check)")
text = render_report(Report("validate", rows), "text", color=False)
step("render the text report")
masked = mask_text(text, os.environ)
step(f"mask the report ({len(text) / 1e6:.1f} MB)")
steps["failed"] = sum(row.status.value == "failed" for row in rows)
print(json.dumps(steps))
"""


CPU: dict[str, list[float]] = {}  # CPU seconds (user + system, the process and its children) per measure


def run_child(argv: list[str], env: dict[str, str] | None = None, measure: str = "") -> tuple[float, str]:
    """(wall seconds from process start to exit, its standard output) of one fresh process; its CPU time (what
    the load average does not stretch) is kept under `measure`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{argv[:4]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    if measure:
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        CPU.setdefault(measure, []).append(cpu)
    return elapsed, done.stdout


def contractkit_run(cassette: Path, out: Path, env: dict[str, str] | None = None, measure: str = "") -> float:
    """`contracts validate` end to end, the text report written to a file."""
    argv = [sys.executable, "-c", _CONTRACTS, "validate", "--spec", str(GITHUB), str(cassette), "-o", str(out)]
    return run_child(argv, env, measure)[0]


def core_run(cassette: Path) -> tuple[float, int]:
    """openapi-core end to end: (wall seconds, responses it rejected)."""
    elapsed, stdout = run_child([sys.executable, "-c", _OPENAPI_CORE, str(GITHUB), str(cassette)], None, "core")
    return elapsed, json.loads(stdout.strip().splitlines()[-1])["failed"]


def step_cpu(cassette: Path, cached: dict[str, str], tree: dict[str, str], runs: int) -> dict[str, float]:
    """The CPU seconds of each step of `contracts validate` in one process (medians of `runs` fresh processes)."""
    found: dict[str, list[float]] = {}
    for _ in range(runs):
        _, stdout = run_child([sys.executable, "-c", _BREAKDOWN, str(GITHUB), str(cassette)], {**cached, **tree})
        for name, value in json.loads(stdout.strip().splitlines()[-1]).items():
            found.setdefault(name, []).append(value)
    return {name: statistics.median(values) for name, values in found.items()}


# --------------------------------------------------------------------------- the report


def median(values: list[float]) -> float:
    """The median, rounded for printing."""
    return round(statistics.median(values), 2)


def bench(args: argparse.Namespace) -> None:
    """Build the corpora, run every measure, print the tables."""
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        cache = folder / "cache"
        cached = {"CONTRACTKIT_CACHE_DIR": str(cache)}
        cold = {**cached, "CONTRACTKIT_NO_CACHE": "1"}
        cassette = write_cassette(folder, args.responses, args.items, args.distinct)
        out = folder / "report.txt"
        print(
            f"corpus: {args.responses} responses, {cassette.stat().st_size / 1e6:.1f} MB vcrpy YAML cassette"
            + (", every body's text distinct" if args.distinct else "")
        )
        contractkit_run(cassette, out, cached)  # page cache, imports and the description cache, not counted
        before = {"PYTHONPATH": str(Path(args.before).resolve() / "src")} if args.before else {}
        ours, ours_cold, one_core, earlier, floor, core, rejected = [], [], [], [], [], [], 0
        for number in range(max(args.runs, args.core_runs)):
            if number < args.runs:
                ours.append(contractkit_run(cassette, out, cached, "warm"))
                ours_cold.append(contractkit_run(cassette, out, cold, "cold"))
                one_core.append(contractkit_run(cassette, out, {**cached, "CONTRACTKIT_JOBS": "1"}, "one"))
                if before:
                    earlier.append(contractkit_run(cassette, out, before, "before"))
                floor.append(run_child([sys.executable, "-c", _READ_ONLY, str(cassette)], None, "floor")[0])
            if number < args.core_runs:
                elapsed, rejected = core_run(cassette)
                core.append(elapsed)
        breakdowns = [step_cpu(cassette, cached, before, runs=args.runs)] if before else []
        breakdowns.append(step_cpu(cassette, cached, {}, runs=args.runs))
        for label, times, measure in (
            ("contractkit end to end, cache warm", ours, "warm"),
            ("contractkit end to end, cache off", ours_cold, "cold"),
            ("contractkit end to end, cache warm, one process", one_core, "one"),
            (f"contractkit before ({args.before}) end to end", earlier, "before"),
            ("reading the cassette and every body (the floor)", floor, "floor"),
        ):
            if times:
                print(
                    f"{label}: median {median(times)} s wall {[round(t, 2) for t in times]}, "
                    f"{median(CPU[measure])} s CPU"
                )
        if core:
            print(
                f"openapi-core end to end: median {median(core)} s {[round(t, 1) for t in core]}, {rejected} rejected"
            )
            print(
                f"ratio (openapi-core / contractkit): warm {statistics.median(core) / statistics.median(ours):.1f}x, "
                f"cache off {statistics.median(core) / statistics.median(ours_cold):.1f}x"
            )
            print(f"ratio on CPU time: warm {statistics.median(CPU['core']) / statistics.median(CPU['warm']):.1f}x")
        print(
            f"contractkit / the floor: {statistics.median(ours) / statistics.median(floor):.2f} wall, "
            f"{statistics.median(CPU['warm']) / statistics.median(CPU['floor']):.2f} CPU"
        )
        print("CPU seconds of each step, one process (median of runs)" + (": before | now" if before else ""))
        for name in breakdowns[-1]:
            figures = " | ".join(f"{breakdown.get(name, float('nan')):.3f}" for breakdown in breakdowns)
            print(f"| {name} | {figures} |")
        print("growth by number of responses (cache warm, median of runs):")
        print("| responses | MB | contractkit wall s | CPU s | CPU per 1,000 responses s |")
        for size in args.sizes:
            path = cassette if size == args.responses else write_cassette(folder, size, args.items, args.distinct)
            times = [contractkit_run(path, out, cached, f"size-{size}") for _ in range(args.runs)]
            cpu = statistics.median(CPU[f"size-{size}"])
            print(
                f"| {size:,} | {path.stat().st_size / 1e6:.0f} | {median(times)} | {cpu:.2f} | {cpu * 1000 / size:.2f} |"
            )
    print(f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--core-runs", dest="core_runs", type=int, default=3, help="openapi-core runs (0 to skip)")
    parser.add_argument("--responses", type=int, default=3000)
    parser.add_argument("--items", type=int, default=30, help="entries of a list body (GitHub's default page)")
    parser.add_argument("--sizes", type=lambda text: [int(part) for part in text.split(",") if part], default=[])
    parser.add_argument(
        "--distinct", action="store_true", help="no two bodies with the same text (no repeated body to reuse)"
    )
    parser.add_argument("--before", default="", help="an earlier tree (with src/) run alternately with this one")
    args = parser.parse_args()
    if not GITHUB.is_file():
        print(f"skipping: {GITHUB} is absent")
        return
    bench(args)


if __name__ == "__main__":
    main()
