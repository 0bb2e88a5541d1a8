"""More than a hundred planted secrets, recorded live from a local server with `contracts record --live`.

None reaches a cassette, a report or a log line; every one is flagged by `contracts scan` on an unscrubbed
copy of the same traffic, at a line on the side (request or response) where it travelled; the scrubbed
cassettes scan clean, re-record to the same bytes and still replay.
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, unquote_plus, urlsplit

import pytest
import yaml
from corpus import PROVIDERS, Case, Credentials, build_corpus, control_case
from plant_support import PlantServer

from contractkit.cassettes.replay import ReplayServer
from contractkit.registry import load_registry


def _registry(root: Path, server: PlantServer, cases: list[Case]) -> Path:
    providers: dict[str, Any] = {}
    for name, auth in PROVIDERS.items():
        mine = [case for case in cases if case.provider == name]
        providers[name] = {
            "base_url": f"{server.url}/{name}",
            "auth": auth,
            "record": {"budget": 500, "requests": {case.name: case.request for case in mine}},
            "operations": {
                case.name: {
                    "method": "POST" if "body" in case.request else "GET",
                    "path": f"/{case.name}",
                    "safe": True,
                }
                for case in mine
            },
        }
    root.mkdir(parents=True, exist_ok=True)
    path = root / "registry.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "consumer": "planted", "providers": providers}, sort_keys=False))
    return path


def _texts(path: Path) -> list[str]:
    """A file as text, URL-decoded, and (for YAML) with every binary value decoded."""
    raw = path.read_bytes().decode("utf-8", "replace")
    texts = [raw, unquote(raw), unquote_plus(raw)]
    if path.suffix in (".yaml", ".yml"):
        stack: list[Any] = [yaml.safe_load(raw)]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, bytes):
                texts.append(value.decode("utf-8", "replace"))
    return texts


def _leaks(case: Case, texts: list[str]) -> set[str]:
    forms = {case.core, *case.forms}
    forms |= {base64.b64encode(form.encode()).decode().rstrip("=") for form in forms}
    forms |= {quote(form, safe="") for form in list(forms)}
    return {form for form in forms if len(form) >= 8 for text in texts if form in text}


def _write_unscrubbed(
    server: PlantServer, root: Path, registry: Path, cases: list[Case]
) -> dict[str, tuple[Path, int]]:
    """The same traffic as vcrpy cassettes, secrets and all; per case its file and the line where the response starts."""
    root.mkdir(parents=True)
    (root / "registry.yaml").write_text(registry.read_text())
    by_path = {f"/{case.provider}/{case.name}": case for case in cases}
    written = {}
    for exchange in server.requests():
        case = by_path[urlsplit(exchange.target).path]
        interaction = {
            "request": {
                "body": exchange.request_body.decode() or None,
                "headers": _grouped(exchange.request_headers),
                "method": exchange.method,
                "uri": server.url + exchange.target,
            },
            "response": {
                "body": {"string": exchange.response_body.decode()},
                "headers": _grouped(exchange.response_headers),
                "status": {"code": exchange.status, "message": "OK"},
            },
        }
        path = root / "cassettes" / case.provider / f"{case.name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump({"interactions": [interaction], "version": 1}, sort_keys=False, width=10_000)
        path.write_text(text)
        response_line = next(
            number for number, line in enumerate(text.splitlines(), 1) if line.startswith("  response:")
        )
        written[case.name] = (path, response_line)
    return written


def _grouped(headers: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in headers:
        grouped.setdefault(name, []).append(value)
    return grouped


def _findings_by_file(report: dict[str, Any]) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = {}
    for row in report["results"]:
        for finding in row["findings"]:
            file, _, line = finding["location"].rpartition(":")
            found.setdefault(Path(file).name, []).append((int(line), finding["message"]))
    return found


@pytest.fixture
def corpus(
    plant_server: PlantServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Case], Credentials, Path]:
    creds = Credentials()
    for name, value in creds.environ.items():
        monkeypatch.setenv(name, value)
    cases = build_corpus(creds) + [control_case()]
    for case in cases:
        plant_server.route(f"/{case.provider}/{case.name}", case.answer)
    return cases, creds, _registry(tmp_path / "project", plant_server, cases)


def test_planted_secrets_never_leave_and_scan_flags_every_one(
    corpus, plant_server: PlantServer, run_cli, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cases, creds, registry = corpus
    planted = [case for case in cases if case.core]
    assert len(planted) >= 100
    places, shapes = Counter(case.place for case in planted), Counter(case.shape for case in planted)
    assert len(places) >= 15 and len(shapes) >= 90

    outputs: list[str] = []
    caplog.set_level(logging.DEBUG)  # urllib3 and vcrpy log request lines, queries included
    for provider in PROVIDERS:
        report = tmp_path / f"{provider}.md"
        code, out, err = run_cli(
            "record",
            "--registry",
            str(registry),
            "--provider",
            provider,
            "--live",
            "--format",
            "markdown",
            "--output",
            str(report),
        )
        assert code == 0, out + err + report.read_text()
        outputs += [out, err, report.read_text()]
    assert len(plant_server.requests()) == len(cases)  # every case really crossed the wire
    assert "GET /plant/q_auth_token" in caplog.text  # the log lines exist; their secrets do not

    cassettes = sorted((registry.parent / "cassettes").rglob("*.yaml"))
    assert len(cassettes) == len(cases)
    texts = [text for path in cassettes for text in _texts(path)] + outputs + [caplog.text]
    leaked = {case.name: _leaks(case, texts) for case in planted}
    assert {name: forms for name, forms in leaked.items() if forms} == {}

    # the scrubbed cassettes scan clean; printing the scan leaks nothing either
    code, out, err = run_cli("scan", "--registry", str(registry), "--format", "json")
    assert code == 0, out
    scan_texts = [out, err]

    # an unscrubbed copy of the same traffic: every planted secret is flagged where it travelled
    copy = _write_unscrubbed(plant_server, tmp_path / "unscrubbed", registry, cases)
    code, out, err = run_cli("scan", "--registry", str(tmp_path / "unscrubbed" / "registry.yaml"), "--format", "json")
    assert code == 1
    scan_texts += [out, err]
    found = _findings_by_file(json.loads(out))
    missed = []
    for case in planted:
        path, response_line = copy[case.name]
        lines = [line for line, _ in found.get(path.name, [])]
        on_side = [line for line in lines if (line >= response_line) == (case.side == "response")]
        if not on_side:
            missed.append((case.name, case.place, case.shape))
    assert missed == []
    assert "control.yaml" not in found  # a flag means a secret, not a file
    assert {name: forms for name, forms in {c.name: _leaks(c, scan_texts) for c in planted}.items() if forms} == {}


def test_scrubbed_cassettes_are_stable_and_still_replay(corpus, plant_server: PlantServer, run_cli) -> None:
    cases, creds, registry = corpus
    for provider in PROVIDERS:
        assert run_cli("record", "--registry", str(registry), "--provider", provider, "--live")[0] == 0
    first = {path: path.read_bytes() for path in (registry.parent / "cassettes").rglob("*.yaml")}
    code, out, _ = run_cli("record", "--registry", str(registry), "--provider", "plant", "--live", "--format", "json")
    assert code == 0
    outcomes = Counter(row["interaction"] for row in json.loads(out)["results"])
    assert outcomes == {"unchanged": len([case for case in cases if case.provider == "plant"])}
    assert {path: path.read_bytes() for path in first} == first  # placeholders are stable: nothing rewritten

    provider = load_registry(registry).provider("plant")
    with ReplayServer(provider=provider) as replay:
        with urllib.request.urlopen(f"{replay.url}/rj_smtp_pass", timeout=10) as answer:
            body = json.loads(answer.read())
        with urllib.request.urlopen(f"{replay.url}/control", timeout=10) as answer:
            control = json.loads(answer.read())
    assert body == {"smtp_host": "mail.example.test", "smtp_pass": "<scrubbed:smtp_pass>", "smtp_user": "alerts"}
    assert control == {"items": [{"id": 1, "name": "kept", "next_token": "cursor-2"}]}
