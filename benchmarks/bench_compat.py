"""Consumer-driven verdicts at scale: `contracts specs check` and `contracts gate` on GitHub's real old -> new
description pair with two consumers' pacts, and the compatibility engine over 1,000 pact interactions.

Run: python3 benchmarks/bench_compat.py [--runs 5] [--interactions 1000]

Needs ../shared/specs (GitHub's old and new descriptions); each command runs as a whole process (start-up, imports,
loading and slicing the 13 MB vendor document included). Prints medians (min-max) of the runs.
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
SPECS = ROOT.parent / "shared" / "specs" / "github"
OLD, NEW = SPECS / "old" / "api.github.com.json", SPECS / "new" / "api.github.com.json"
ENV = {**os.environ, "PACT_DO_NOT_TRACK": "true"}


def _run(*arguments: str, cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "from contractkit.cli import run; run()", *arguments],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(arguments)} exited {done.returncode}: {done.stderr[-2000:]}")
    return elapsed


def _project(folder: Path) -> Path:
    """The example registry with GitHub's old slice, and a second consumer's pact under consumer_pacts."""
    for name in ("registry.yaml", "pacts", "schemas", "contracts", "cassettes", "examples"):
        source = ROOT / name
        if source.exists():
            (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)
    registry = folder / "registry.yaml"
    text = registry.read_text()
    registry.write_text(text.replace("providers:\n", "consumer_pacts: [other-pacts]\n\nproviders:\n", 1))
    other = json.loads((ROOT / "pacts" / "devctl-github.json").read_text())
    other["consumer"]["name"] = "release-bot"
    (folder / "other-pacts").mkdir()
    (folder / "other-pacts" / "release-bot-github.json").write_text(json.dumps(other, indent=2))
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from contractkit.cli import run; run()",
            "schemas",
            "import",
            "--provider",
            "github",
            "--from",
            str(OLD),
        ],
        cwd=folder,
        env=ENV,
        check=True,
        capture_output=True,
    )
    return registry


def _git_base(folder: Path) -> None:
    for arguments in (
        ["init", "-q", "-b", "main"],
        ["config", "user.email", "bench@example.invalid"],
        ["config", "user.name", "bench"],
        ["add", "-A"],
        ["commit", "-q", "-m", "base"],
    ):
        subprocess.run(["git", *arguments], cwd=folder, check=True, capture_output=True)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from contractkit.cli import run; run()",
            "schemas",
            "import",
            "--provider",
            "github",
            "--from",
            str(NEW),
        ],
        cwd=folder,
        env=ENV,
        check=True,
        capture_output=True,
    )


def _engine(count: int, runs: int) -> tuple[list[float], list[float]]:
    """Seconds to judge `count` interactions against one description, and against the old and the new one."""
    sys.path.insert(0, str(ROOT / "src"))
    from contractkit.compat import compare_calls, description_validator, judge_interaction
    from contractkit.openapi.documents import import_spec_slice, load_spec_document
    from contractkit.pact.usage import load_usage
    from contractkit.registry import load_registry

    with tempfile.TemporaryDirectory() as folder:
        registry = load_registry(_project(Path(folder)))
        provider = registry.providers["github"]
        old = load_spec_document(provider.spec)
        new = import_spec_slice(provider, NEW)
        calls = load_usage(registry, providers=["github"]).of_provider("github")
        many = [copy.copy(calls[index % len(calls)]) for index in range(count)]
        nodes = sum(_nodes(call.interaction.response.body) for call in many if call.interaction is not None)
        one, both = [], []
        for _ in range(runs):
            started = time.perf_counter()
            validator = description_validator(provider, new)
            problems = sum(len(judge_interaction(call.interaction, validator)) for call in many if call.interaction)
            one.append(time.perf_counter() - started)
            started = time.perf_counter()
            delta = compare_calls(many, description_validator(provider, old), description_validator(provider, new))
            both.append(time.perf_counter() - started)
        print(
            f"  ({count} interactions of GitHub's pull-request size, {nodes:,} expected values in all; {problems} "
            f"problems against the new description; compared: {len(delta.breaks)} breaks, {len(delta.already)} "
            "already incompatible)"
        )
    return one, both


def _nodes(value: object) -> int:
    if isinstance(value, dict):
        return 1 + sum(_nodes(item) for item in value.values())
    if isinstance(value, list):
        return 1 + sum(_nodes(item) for item in value)
    return 1


def _show(name: str, times: list[float], target: float) -> None:
    verdict = "met" if statistics.median(times) < target else "NOT met"
    print(
        f"{name}: median {statistics.median(times):.2f} s ({min(times):.2f}-{max(times):.2f}, {len(times)} runs); "
        f"target under {target:.0f} s: {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--interactions", type=int, default=1000)
    options = parser.parse_args()
    if not OLD.is_file() or not NEW.is_file():
        raise SystemExit(f"skipped: {SPECS} (GitHub's old and new descriptions) is not here")
    print(f"load average {os.getloadavg()[0]:.2f}; Python {sys.version.split()[0]}; {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        _project(project)
        specs = [
            _run(
                "specs",
                "check",
                "--provider",
                "github",
                "--from",
                str(NEW),
                "--format",
                "json",
                "-o",
                "specs.json",
                cwd=project,
            )
            for _ in range(options.runs)
        ]
        report = json.loads((project / "specs.json").read_text())
        print(f"  {report['title']}")
        _show("specs check, GitHub old -> new, two consumers", specs, 10)
        _git_base(project)
        gate = [
            _run("gate", "--base", "main", "--format", "json", "-o", "gate.json", cwd=project)
            for _ in range(options.runs)
        ]
        data = json.loads((project / "gate.json").read_text())
        blocking = sum(change["verdict"] == "block" for change in data["changes"])
        consumers = sorted({found["consumer"] for change in data["changes"] for found in change["breaks"]})
        print(
            f"  gate: {len(data['changes'])} changes, {blocking} blocking, breaking {', '.join(consumers) or 'nobody'}"
        )
        _show("gate, GitHub old -> new, two consumers", gate, 10)
    one, both = _engine(options.interactions, options.runs)
    _show(f"compatibility engine, {options.interactions} interactions against one description", one, 5)
    _show(
        f"compatibility engine, {options.interactions} interactions against the old and the new description", both, 10
    )


if __name__ == "__main__":
    main()
