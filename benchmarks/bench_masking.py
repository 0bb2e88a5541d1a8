"""Masking a 10 MB report: every report and error message passes through `mask_text` before it is printed or
written, so a large report (a JSON run report, a diff, a fuzz log) must be masked in well under a second.

Run: python3 benchmarks/bench_masking.py [--runs 5] [--megabytes 10] [--profile]

The report mixes text findings with URLs and query strings, a JSON report and Markdown, and carries the run's
credentials (in several encodings) and known-format tokens; the environment holds credentials, paths and plain
variables as a CI runner's does. Prints the median (min-max) of the runs, and checks the masked text holds no
credential. `--profile` prints, per credential format, the CPU time of its regex over the whole report (what the
pass cost when each chosen format scanned every position) and of the search near its literal or anchor.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from contractkit.secrets import formats as format_pass  # noqa: E402
from contractkit.secrets import mask_text  # noqa: E402
from contractkit.secrets.masking import _format_detector, credential_environ, mask_values  # noqa: E402

ENVIRON = {
    "PWD": "/home/runner/work/devctl/devctl",
    "HOME": "/home/runner",
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "CI": "true",
    "GITHUB_REF": "refs/pull/42/merge",
    "GITHUB_TOKEN": "ghs_" + "Q7x9LmT2vB8nK4pR6sW1yZ3cF5hJ0dG" + "abcde",
    "GRAFANA_TOKEN": "glsa_Zx81LmQpR7tVb2Nc9Wd4Ke6Fh3Jg5Ys0_3f9a1c2e",
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8pLmN2vT",
    "JIRA_API_TOKEN": "ATATT3xFfGF0pQ9rS8tU7vW6xY5zA4bC3dE2fG1hI0jK",
    "DB_PASSWORD": "hunter22",
}


def report_text(megabytes: float) -> str:
    """A report of about `megabytes` MB: findings with URLs, a JSON report, Markdown, and credentials in it."""
    token, aws = ENVIRON["GITHUB_TOKEN"], ENVIRON["AWS_SECRET_ACCESS_KEY"]
    basic = base64.b64encode(f"devctl:{ENVIRON['DB_PASSWORD']}".encode()).decode()
    lines = []
    index = 0
    size = 0
    while size < megabytes * 1_000_000:
        kind = index % 5
        if kind == 0:
            line = (
                f"CK310 GET https://api.github.com/repos/acme/devctl/pulls/{index}?state=open&per_page=100 "
                f"response.body[{index}].user.login: expected a string, got null"
            )
        elif kind == 1:
            line = json.dumps(
                {"interaction": f"a request for pull {index}", "status": "passed", "sha": f"{index:040x}"}
            )
        elif kind == 2:
            line = f"| grafana | search_dashboards | passed | {index} ms | [log](https://ci.example/run/{index}) |"
        elif kind == 3:
            line = f"sent Authorization: Bearer {token} and {quote(aws, safe='')} (attempt {index})"
        else:
            line = f"Basic {basic}; wrote ./reports/contracts.json for {ENVIRON['PWD']}"
        lines.append(line)
        size += len(line) + 1
        index += 1
    return "\n".join(lines)


def profile(text: str) -> None:
    """CPU seconds per format over the report as the format pass sees it (credentials already masked): its regex
    at every position, against the search near its literal or anchor (the literal pass timed once, apart)."""
    masked = mask_values(text, credential_environ(ENVIRON))
    formats = _format_detector().formats
    started = time.process_time()
    chosen = formats.candidates(masked)
    print(f"choosing formats by the literal prefilter: {time.process_time() - started:.3f} s")
    started = time.process_time()
    hits = formats.literal_hits(masked)
    print(f"literal pass (every format's literal and what follows it): {time.process_time() - started:.3f} s")
    everywhere = {item.order: _cpu(lambda item=item: _count(item, masked, None)) for item in chosen}
    near: dict[int, float] = {}
    searches = formats._searches(masked, hits, literal_only=False)
    while True:
        started = time.process_time()
        step = next(searches, None)
        if step is None:
            break
        _count(step[0], masked, step[1])
        near[step[0].order] = time.process_time() - started
    rows = sorted({*everywhere, *near}, key=lambda order: -max(everywhere.get(order, 0), near.get(order, 0)))
    print("format                          regex everywhere   near its anchor")
    for order in rows[:15]:
        kind = formats.formats[order].kind
        print(f"{order:2d} {kind:30s} {everywhere.get(order, 0):8.3f} s {near.get(order, 0):14.3f} s")


def _cpu(run: object) -> float:
    started = time.process_time()
    run()  # type: ignore[operator]
    return time.process_time() - started


def _count(item: object, text: str, search: object) -> int:
    return sum(
        1
        for found in format_pass._finditer(item, text, search)  # type: ignore[arg-type]
        if format_pass._secret_span(item, found) is not None  # type: ignore[arg-type]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--megabytes", type=float, default=10.0)
    parser.add_argument("--profile", action="store_true", help="per-format CPU time of the format pass, then exit")
    arguments = parser.parse_args()
    text = report_text(arguments.megabytes)
    if arguments.profile:
        profile(text)
        return
    times, cpu = [], []
    for _ in range(arguments.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        masked = mask_text(text, ENVIRON)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    leaked = [name for name in ("GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY") if ENVIRON[name] in masked]
    assert not leaked, f"credentials left in the masked report: {leaked}"
    assert ENVIRON["PWD"] not in text or "/home/runner" in masked, "a path was masked"
    megabytes = len(text.encode()) / 1_000_000
    median = statistics.median(times)
    print(
        f"masking a {megabytes:.1f} MB report: median {median:.3f} s ({min(times):.3f}-{max(times):.3f}, "
        f"{arguments.runs} runs), {megabytes / median:.1f} MB/s; CPU time median {statistics.median(cpu):.3f} s "
        f"({min(cpu):.3f}-{max(cpu):.3f})"
    )


if __name__ == "__main__":
    main()
