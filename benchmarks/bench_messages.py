"""Message verification at scale: 1,000 message interactions verified against recorded events.

Run: python3 benchmarks/bench_messages.py [--runs 5] [--interactions 1000]

A copy of the example registry's two message providers (github-webhooks: push, pull_request and workflow_run
deliveries of @octokit/webhooks-examples; s3-events: S3 notifications recorded from moto), whose pacts are grown
to the requested number of message interactions, half for each provider, by repeating the interactions
pact-python wrote under new descriptions. `contracts verify --provider github-webhooks --provider s3-events` runs
as a whole process (start-up, reading the registry, pacts and event cassettes, validating every recorded event
against its description, matching every interaction against the recorded events of its message, grading drift);
`verify_messages` is timed in-process too. Prints medians (min-max) of the runs.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROVIDERS = ("github-webhooks", "s3-events")
ENV = {**os.environ, "PACT_DO_NOT_TRACK": "true"}


def _project(folder: Path, interactions: int) -> int:
    """The two message providers of the example registry with pacts of `interactions` message interactions."""
    registry = (ROOT / "registry.yaml").read_text()
    providers = registry[registry.index("  s3-events:") :]
    (folder / "registry.yaml").write_text(f"version: 1\nconsumer: devctl\n\nproviders:\n{providers}")
    (folder / "pacts").mkdir()
    total = 0
    for index, name in enumerate(PROVIDERS):
        shutil.copytree(ROOT / "schemas" / name, folder / "schemas" / name)
        shutil.copytree(ROOT / "cassettes" / name, folder / "cassettes" / name)
        pact = json.loads((ROOT / "pacts" / f"devctl-{name}.json").read_text())
        originals = pact["interactions"]
        wanted = interactions // 2 + (interactions % 2 if index == 0 else 0)
        grown = []
        for number in range(wanted):
            interaction = copy.deepcopy(originals[number % len(originals)])
            interaction["description"] = f"{interaction['description']} #{number}"
            interaction.pop("key", None)
            grown.append(interaction)
        pact["interactions"] = grown
        (folder / "pacts" / f"devctl-{name}.json").write_text(json.dumps(pact, indent=2))
        total += len(grown)
    return total


def _verify_process(folder: Path) -> tuple[float, int]:
    arguments = ["verify", *[part for name in PROVIDERS for part in ("--provider", name)], "--format", "json"]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "from contractkit.cli import run; run()", *arguments],
        cwd=folder,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"contracts verify exited {done.returncode}: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    results = json.loads(done.stdout)["results"]
    verified = sum(1 for result in results if result["check"] == "message" and result["status"] == "passed")
    return elapsed, verified


def _verify_in_process(folder: Path) -> float:
    from contractkit.registry import ProviderContext, load_registry
    from contractkit.verify import verify_messages

    registry = load_registry(folder / "registry.yaml")
    started = time.perf_counter()
    for name in PROVIDERS:
        results = verify_messages(ProviderContext(registry, registry.provider(name)))
        assert all(result.status.value == "passed" for result in results), [r.message for r in results][:3]
    return time.perf_counter() - started


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--interactions", type=int, default=1000)
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory(prefix="bench-messages-") as name:
        folder = Path(name)
        total = _project(folder, options.interactions)
        process, inside = [], []
        for _ in range(options.runs):
            elapsed, verified = _verify_process(folder)
            assert verified == total, f"{verified} of {total} message interactions verified"
            process.append(elapsed)
            inside.append(_verify_in_process(folder))
    print(f"load: {os.getloadavg()[0]:.2f} (1 min), cores: {os.cpu_count()}")
    print(f"contracts verify, {total} message interactions against recorded events (whole process): {_median(process)}")
    print(
        f"verify_messages in-process, the same {total}: {_median(inside)}, "
        f"{total / statistics.median(inside):,.0f} interactions/s"
    )


if __name__ == "__main__":
    main()
