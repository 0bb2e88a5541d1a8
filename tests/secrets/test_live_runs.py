"""Live runs are safe: `verify --base-url` sends no `safe: false` operation without --allow-unsafe, prints live
bodies scrubbed, and a failed recording's report never repeats a credential."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from plant_support import Exchange, PlantServer, json_answer

REGISTRY = """\
version: 1
consumer: ops
providers:
  notes:
    base_url: {url}/api
    auth: {{scheme: bearer, env: NOTES_TOKEN}}
    contract: contracts/notes.yaml
    operations:
      list_notes: {{method: GET, path: /notes, safe: true}}
      create_note: {{method: POST, path: /notes, safe: false}}
"""

CONTRACT = """\
provider: notes
interactions:
  - operation: list_notes
    description: the notes
    request:
      headers: {Authorization: {$regex: '^Bearer \\S+$', example: Bearer example}}
    response: {status: 200, body: {notes: [{id: {$integer: 1}, text: {$like: hello}}]}}
  - operation: create_note
    description: a new note
    request:
      headers: {Authorization: {$regex: '^Bearer \\S+$', example: Bearer example}, Content-Type: application/json}
      body: {text: deployed}
    response: {status: 201, body: {id: {$integer: 2}}}
"""


@pytest.fixture
def notes(plant_server: PlantServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> Path:
    token = "nt-" + "Q7x9" * 8
    monkeypatch.setenv("NOTES_TOKEN", token)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "notes.yaml").write_text(CONTRACT, encoding="utf-8")
    registry = tmp_path / "registry.yaml"
    registry.write_text(REGISTRY.format(url=plant_server.url), encoding="utf-8")
    code, out, err = run_cli("consumer", "--registry", str(registry))
    assert code == 0, out + err

    def listing(seen: Exchange):  # the live provider echoes the caller's token and has a secret of its own
        return json_answer({"notes": [{"id": f"seen {token}", "text": 7, "password": "hunter2-live-77"}]})

    plant_server.route(
        "/api/notes", lambda seen: listing(seen) if seen.method == "GET" else json_answer({"id": 2}, status=201)
    )
    return registry


def test_verify_base_url_sends_no_unsafe_operation_without_the_flag(
    notes: Path, plant_server: PlantServer, run_cli
) -> None:
    code, out, err = run_cli(
        "verify",
        "--registry",
        str(notes),
        "--provider",
        "notes",
        "--base-url",
        f"{plant_server.url}/api",
        "--format",
        "json",
    )
    assert [item.method for item in plant_server.requests()] == ["GET"]  # the POST never left
    rows = {row["interaction"]: row for row in json.loads(out)["results"] if row["check"] == "pact"}
    assert rows["a new note"]["status"] == "skipped"
    assert rows["a new note"]["message"] == (
        "not sent to the live provider: operation 'create_note' is safe: false; pass --allow-unsafe to send it"
    )
    # the live body did not match the pact: the mismatch is printed, its secrets are not
    assert rows["the notes"]["status"] == "failed"
    assert "Q7x9Q7x9" not in out + err and "hunter2-live-77" not in out + err
    assert "seen <scrubbed:notes_token>" in out  # the live value is shown, scrubbed

    run_cli(
        "verify",
        "--registry",
        str(notes),
        "--provider",
        "notes",
        "--base-url",
        f"{plant_server.url}/api",
        "--allow-unsafe",
    )
    assert sorted(item.method for item in plant_server.requests()) == ["GET", "GET", "POST"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: nothing listens there


def test_a_failed_recording_never_prints_the_query_credential(tmp_path: Path, run_cli, monkeypatch) -> None:
    key = "qk" + "Z3f8" * 9
    monkeypatch.setenv("WEATHER_KEY", key)
    registry = tmp_path / "registry.yaml"
    registry.write_text(
        "version: 1\nconsumer: ops\nproviders:\n  weather:\n"
        f"    base_url: http://127.0.0.1:{_closed_port()}/v1\n"
        "    auth: {scheme: query, env: WEATHER_KEY, query: appid}\n"
        "    record: {requests: {forecast: {query: {city: Oslo}}}}\n"
        "    operations:\n      forecast: {method: GET, path: /forecast, safe: true}\n",
        encoding="utf-8",
    )
    outputs = []
    for output_format in ("text", "markdown", "json"):
        code, out, err = run_cli(
            "record", "--registry", str(registry), "--provider", "weather", "--live", "--format", output_format
        )
        assert code == 1
        outputs.append(out + err)
    code, out, err = run_cli(
        "rerecord", "--registry", str(registry), "--format", "markdown", "--output", str(tmp_path / "rerecord.md")
    )
    assert code == 1
    outputs.append(out + err + (tmp_path / "rerecord.md").read_text())
    text = "\n".join(outputs)
    assert "Max retries exceeded" in text  # the error is reported ...
    assert key not in text and "Z3f8Z3f8" not in text  # ... its credential is not
    assert "appid=<scrubbed:" in text
