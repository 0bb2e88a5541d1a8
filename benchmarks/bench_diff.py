"""Benchmark: `contracts diff` on the real provider pairs (GitHub, PagerDuty, Stripe), beside oasdiff.

Run: python3 benchmarks/bench_diff.py [--runs 3] [--pairs github,pagerduty,stripe] [--formats json,text] [--phases]
    [--before OTHER/src]

Each run is a fresh process, timed from outside (interpreter start-up included, as a user or CI sees it):
`python3 -c "...main(['diff', OLD, NEW, '--format', F, '--output', FILE])"`. When an `oasdiff` binary is on the
PATH it runs in the same loop, alternated run by run with ours (`oasdiff changelog OLD NEW --format json`, every
change like ours), and the ratio is peer time / ours (above 1: we are faster). Without it, the reference is the
peer's figures recorded on a quiet machine (issue 23), printed as such. Prints per pair and format the median
wall time (and range), the median CPU time (user + system: what the wall time is on a quiet machine), the peak
RSS, the report's size and the change counts. `--phases` prints where one in-process run spends its time:
imports, reading, parsing, checking, comparing, rendering, masking and writing. `--before` names the `src`
folder of an earlier tree (`git archive REV src | tar -x -C /tmp/before`), run alternately with this one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO.parent / "shared" / "specs"
PAIRS = {  # name -> old, new, extra arguments
    "github": ("github/old/api.github.com.json", "github/new/api.github.com.json", []),
    "pagerduty": (
        "pagerduty/old-2024-08/openapiv3.json",
        "pagerduty/openapiv3.json",
        ["--lenient"],
    ),  # 2 misplaced $refs
    "stripe": ("stripe/2022-04/spec3.json", "stripe/2023-09/spec3.yaml", []),
}
# oasdiff's figures measured beside contractkit on a quiet machine (issue 23): seconds, MB (0: not recorded)
RECORDED_PEER = {"github": (4.6, 381), "pagerduty": (0.78, 0), "stripe": (161.0, 1700)}
COMMAND = [sys.executable, "-c", "import sys; from contractkit.cli import main; sys.exit(main(sys.argv[1:]))"]
ENVIRONMENT = {**os.environ, "PACT_DO_NOT_TRACK": "true", "PYTHONPATH": str(REPO / "src")}


def _timed(command: list[str], source: Path = REPO / "src") -> dict[str, float]:
    """One fresh process: wall time, CPU time (user + system) and peak RSS, of that process alone."""
    environment = {**ENVIRONMENT, "PYTHONPATH": str(source)}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=environment)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            errors.seek(0)
            raise SystemExit(f"{command[0]} exited {process.returncode}: {errors.read()[-2000:].decode()}")
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def _median(results: list[dict[str, float]], key: str) -> float:
    return statistics.median(result[key] for result in results)


def _spread(results: list[dict[str, float]]) -> str:
    seconds = [result["seconds"] for result in results]
    return f"{statistics.median(seconds):.2f} s ({min(seconds):.2f}-{max(seconds):.2f})"


def bench_pair(
    name: str, formats: list[str], runs: int, folder: Path, oasdiff: str | None, earlier: Path | None = None
) -> None:
    """Time one pair in each format, alternated with the peer when it is installed (and with an earlier tree of
    contractkit when one is named), and print the figures."""
    old_name, new_name, extra = PAIRS[name]
    old, new = SPECS / old_name, SPECS / new_name
    if not (old.is_file() and new.is_file()):
        print(f"{name}: skipped, {old.parent} is absent")
        return
    print(f"{name}: {old_name} ({old.stat().st_size / 1e6:.1f} MB) -> {new_name} ({new.stat().st_size / 1e6:.1f} MB)")
    for output_format in formats:
        report = folder / f"{name}.{output_format}"
        ours_command = [
            *COMMAND,
            "diff",
            str(old),
            str(new),
            *extra,
            "--format",
            output_format,
            "--output",
            str(report),
        ]
        peer_command = [oasdiff, "changelog", str(old), str(new), "--format", "json"] if oasdiff else []
        ours, peer, before = [], [], []
        for _ in range(runs):  # alternated run by run, so all see the same machine load
            ours.append(_timed(ours_command))
            if earlier is not None:
                before.append(_timed([*ours_command[:-1], str(report) + ".before"], earlier))
            if peer_command and output_format == "json":
                peer.append(_timed(peer_command))
        line = (
            f"  {output_format:<5} ours {_spread(ours)}, CPU {_median(ours, 'cpu'):.2f} s, "
            f"{_median(ours, 'rss_mb'):.0f} MB, report {report.stat().st_size / 1e6:.2f} MB"
        )
        if peer:
            ratio = _median(peer, "seconds") / _median(ours, "seconds")
            line += f"; oasdiff {_spread(peer)}, {_median(peer, 'rss_mb'):.0f} MB; ratio {ratio:.2f}"
        elif name in RECORDED_PEER:
            seconds, megabytes = RECORDED_PEER[name]
            memory = f", {megabytes} MB" if megabytes else ""
            line += (
                f"; oasdiff not on the PATH, its recorded figure {seconds:.2f} s{memory}: "
                f"ratio {seconds / _median(ours, 'seconds'):.2f} by wall time, "
                f"{seconds / _median(ours, 'cpu'):.2f} by CPU time"
            )
        print(line)
        if before:
            print(
                f"        before ({earlier}): {_spread(before)}, CPU {_median(before, 'cpu'):.2f} s, "
                f"{_median(before, 'rss_mb'):.0f} MB, report {Path(str(report) + '.before').stat().st_size / 1e6:.2f} MB"
            )
        if output_format == "json":
            levels = json.loads(report.read_text())["summary"]["levels"]
            print(
                "        changes: "
                + ", ".join(
                    f"{levels[level]['changes']} {level} ({levels[level]['distinct']} distinct)"
                    for level in ("breaking", "warning", "info")
                )
            )


PHASES = """
import sys, time
marks = [("start", time.perf_counter())]
def mark(name): marks.append((name, time.perf_counter()))
import click
from contractkit.cli import main
mark("imports: the CLI")
from contractkit.core.errors import SchemaLoadError
from contractkit.core.loading import parse_json, read_text
from contractkit.diff import DiffOptions, DiffResult, diff_documents, parse_description
from contractkit.reports import render_diff
mark("imports: diff and reports")
from pathlib import Path
old_path, new_path, output_format, lenient = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
texts = [read_text(Path(path), SchemaLoadError, display=path) for path in (old_path, new_path)]
mark("reading both files")
docs = [parse_description(text, path) for text, path in zip(texts, (old_path, new_path))]
mark("parsing, normalising, reference checks")
result = diff_documents(docs[0], docs[1], old_name=old_path, new_name=new_path, options=DiffOptions(lenient=lenient))
mark("checking both descriptions and comparing")
text = render_diff(result, output_format)
mark(f"rendering {output_format} ({len(text) / 1e6:.2f} MB)")
from contractkit.cli.common import emit
mark("imports: masking")
emit(text, Path(sys.argv[5]))
mark("masking credentials and writing")
for (_, before), (name, after) in zip(marks, marks[1:]):
    print(f"    {name:<48} {after - before:6.3f} s")
print(f"    {'total (after interpreter start-up)':<48} {marks[-1][1] - marks[0][1]:6.3f} s")
"""


def phases(name: str, output_format: str, folder: Path) -> None:
    """Where one in-process run of a pair spends its time, phase by phase."""
    old_name, new_name, extra = PAIRS[name]
    old, new = SPECS / old_name, SPECS / new_name
    if not (old.is_file() and new.is_file()):
        return
    lenient = "1" if "--lenient" in extra else "0"
    report = str(folder / f"phases.{output_format}")
    started = time.perf_counter()
    bare = subprocess.run([sys.executable, "-c", "pass"], env=ENVIRONMENT, check=True)
    start_up = time.perf_counter() - started
    print(f"  {name} --format {output_format}, one run:")
    print(f"    {'interpreter start-up (python3 -c pass)':<48} {start_up:6.3f} s")
    done = subprocess.run(
        [sys.executable, "-c", PHASES, str(old), str(new), output_format, lenient, report],
        env=ENVIRONMENT,
        capture_output=True,
        text=True,
        check=bare.returncode == 0,
    )
    print(done.stdout, end="")


def main() -> None:
    """Parse the arguments and benchmark each pair."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pairs", default="github,pagerduty,stripe")
    parser.add_argument("--formats", default="json,text")
    parser.add_argument("--phases", action="store_true", help="also print one in-process run phase by phase")
    parser.add_argument("--before", type=Path, help="the src folder of an earlier tree, run alternately with this one")
    arguments = parser.parse_args()
    oasdiff = shutil.which("oasdiff")
    print(
        f"{arguments.runs} runs per figure, medians; 2 cores, load average {os.getloadavg()[0]:.1f} at the start; "
        f"Python {sys.version.split()[0]}; peer: {oasdiff or 'oasdiff is not on the PATH (recorded figures used)'}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for name in arguments.pairs.split(","):
            bench_pair(name, arguments.formats.split(","), arguments.runs, Path(folder), oasdiff, arguments.before)
        if arguments.phases:
            print("Phases")
            for name in arguments.pairs.split(","):
                phases(name, "json", Path(folder))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
