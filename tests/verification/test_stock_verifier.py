"""Our green is reproducible by any Pact tool: pact-python's stock Verifier, pointed at `contracts replay` and its
state-change URL (a message pact: producing the recorded events), gives every interaction of every committed pact
the verdict `contracts verify` gives it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACTS = sorted((REPO / "pacts").glob("*.json"))


def _cases() -> list:
    cases = []
    for path in PACTS:
        provider = json.loads(path.read_text(encoding="utf-8"))["provider"]["name"]
        cases.append(pytest.param(provider, path, id=provider))
    return cases


def test_every_committed_pact_is_compared() -> None:
    assert len(PACTS) >= 9


class Replay:
    """`contracts replay --provider P --port 0` as a subprocess; its origin and state-change URL read from stderr."""

    def __init__(self, provider: str) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from contractkit.cli import run; run()",
                "replay",
                "--registry",
                str(REPO / "registry.yaml"),
                "--provider",
                provider,
                "--port",
                "0",
            ],
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env={**os.environ, "PACT_DO_NOT_TRACK": "true"},
        )
        lines: list[str] = []
        while not any("state-change URL" in line for line in lines) and len(lines) < 50:
            lines.append(self.process.stderr.readline())  # type: ignore[union-attr]
            if not lines[-1]:
                break
        found = re.search(r"state-change URL (http://127\.0\.0\.1:\d+)(/\S+)", "".join(lines))
        if found is None:
            self.stop()
            raise AssertionError(f"contracts replay did not start: {lines}")
        self.origin, self.state_change_url = found.group(1), found.group(1) + found.group(2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _stock_verdicts(provider: str, pact: Path) -> dict[str, bool]:
    from pact import Verifier

    replay = Replay(provider)
    try:
        verifier = Verifier(provider, host="127.0.0.1").add_transport(url=replay.origin).add_source(pact)
        verifier.state_handler(replay.state_change_url, teardown=True, body=True)
        verifier.set_request_timeout(10_000)
        try:
            verifier.verify()
        except RuntimeError:
            pass  # a failed verification raises; the per-interaction results say which
    finally:
        replay.stop()
    return {item["description"]: item["result"] == "OK" for item in verifier.results["interactionResults"]}


def _stock_message_verdicts(provider: str, pact: Path) -> dict[str, bool]:
    """pact-python's message verification, the producer replaying the recorded events of each interaction's
    message (signature headers signed again with the test key): an interaction passes when one event does."""
    from pact import Verifier

    from contractkit.cassettes import event_delivery, load_event_cassette

    events = {
        item["description"]: load_event_cassette(
            REPO / "cassettes" / provider / "events" / f"{item['comments']['message']}.yaml"
        ).events
        for item in json.loads(pact.read_text(encoding="utf-8"))["interactions"]
    }
    verdicts = dict.fromkeys(events, False)
    for index in range(max(len(recorded) for recorded in events.values())):
        produced = {}
        for name, recorded in events.items():
            body, metadata = event_delivery(recorded[min(index, len(recorded) - 1)])
            produced[name] = {"contents": body, "metadata": metadata, "content_type": "application/json"}
        verifier = Verifier(provider, host="127.0.0.1").message_handler(produced).add_source(pact)
        try:
            verifier.verify()
        except RuntimeError:
            pass  # a failed verification raises; the per-interaction results say which
        for item in verifier.results["interactionResults"]:
            verdicts[item["description"]] |= item["result"] == "OK"
    return verdicts


def _our_verdicts(run_cli, provider: str) -> dict[str, bool]:
    code, out, err = run_cli(
        "verify", "--registry", str(REPO / "registry.yaml"), "--provider", provider, "--format", "json"
    )
    assert code in (0, 1), err
    # a pass answered by a seeded cassette is SEEDED (it could not have failed), still a pass to the Pact core
    return {
        result["interaction"]: result["status"] in ("passed", "seeded")
        for result in json.loads(out)["results"]
        if result["check"] in ("pact", "message") and result["interaction"]  # messages: against recorded events
    }


@pytest.mark.parametrize(("provider", "pact"), _cases())
def test_the_stock_verifier_agrees_with_contracts_verify_on_every_interaction(
    run_cli, provider: str, pact: Path
) -> None:
    ours = _our_verdicts(run_cli, provider)
    is_message_pact = all("Messages" in item.get("type", "") for item in json.loads(pact.read_text())["interactions"])
    stock = _stock_message_verdicts(provider, pact) if is_message_pact else _stock_verdicts(provider, pact)
    assert ours and set(ours) == set(stock)
    disagreeing = {
        name: {"contracts verify": ours[name], "stock Verifier": stock[name]}
        for name in ours
        if ours[name] != stock[name]
    }
    assert disagreeing == {}
