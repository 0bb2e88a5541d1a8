"""`contracts validate --spec` on recordings a team already has: vcrpy cassettes and HAR files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from github_examples import build_cassette, write_cassette
from verification_support import HIT, SHARED_SPECS, grafana_like_spec

from contractkit.cli import main
from contractkit.openapi.documents import load_spec_document

GITHUB = SHARED_SPECS / "github" / "new" / "api.github.com.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def github_document():
    if not GITHUB.is_file():
        pytest.skip(f"the shared GitHub description is not available at {GITHUB}")
    return load_spec_document(GITHUB)


def test_github_recordings_report_exactly_the_altered_responses(github_document, tmp_path: Path, capsys):
    cassette, alterations, _skipped = build_cassette(github_document, count=300)
    path = write_cassette(tmp_path / "github.json", cassette)
    assert len(cassette["interactions"]) == 300 and len(alterations) >= 40

    code, out, _ = run(capsys, "validate", "--spec", str(GITHUB), str(path), "--format", "json")

    assert code == 1
    data = json.loads(out)
    assert data["summary"]["total"] == 300
    assert data["summary"]["failed"] == len(alterations)
    failed = {result["index"]: result for result in data["results"] if result["status"] == "failed"}
    assert set(failed) == {alteration.index for alteration in alterations}
    for alteration in alterations:
        result = failed[alteration.index]
        assert result["file"] == str(path)
        assert result["operation"].startswith(alteration.operation)
        assert result["response_status"] == alteration.status
        [finding] = result["findings"]
        if alteration.kind == "type":
            assert (finding["code"], finding["location"]) == ("CK401", alteration.json_path)
            assert "expected " in finding["message"]
        elif alteration.kind == "status":
            assert finding["code"] == "CK402" and "status 599 is not declared" in finding["message"]
        else:
            assert finding["code"] == "CK403" and "'text/html' is not declared" in finding["message"]
    assert all(result["status"] == "passed" for result in data["results"] if result["index"] not in failed)


def test_unmatched_requests_are_failed_rows_not_crashes(tmp_path: Path, capsys):
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(grafana_like_spec()))
    har = tmp_path / "session.har"
    har.write_text(
        json.dumps(
            {
                "log": {
                    "version": "1.2",
                    "entries": [
                        _har_entry("GET", "http://grafana.local/api/search?query=ops", 200, [HIT]),
                        _har_entry("GET", "http://grafana.local/api/folders", 200, []),
                        _har_entry("GET", "http://grafana.local/api/search", 200, [dict(HIT, type="dash-panel")]),
                    ],
                }
            }
        )
    )

    code, out, _ = run(capsys, "validate", "--spec", str(spec), str(har), "--format", "json")

    assert code == 1
    results = json.loads(out)["results"]
    assert [(r["index"], r["status"]) for r in results] == [(0, "passed"), (1, "failed"), (2, "failed")]
    assert results[1]["message"] == "GET /api/folders matches no operation of the description"
    assert results[2]["findings"][0]["location"] == "$[0].type"


def test_vcrpy_yaml_cassettes_are_read(tmp_path: Path, capsys):
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(grafana_like_spec()))
    cassette = tmp_path / "search.yaml"
    cassette.write_text("""interactions:
- request: {method: GET, uri: 'http://127.0.0.1:3000/api/search', body: null, headers: {}}
  response:
    status: {code: 200, message: OK}
    headers: {Content-Type: [application/json]}
    body: {string: '[{"uid": "a", "title": "t", "type": "dash-db"}]'}
version: 1
""")
    code, out, _ = run(capsys, "validate", "--spec", str(spec), str(cassette))
    assert code == 0
    assert "PASSED [response-schema] demo / GET /search (search) / search.yaml#0" in out


def test_a_missing_recording_is_bad_input(tmp_path: Path, capsys):
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(grafana_like_spec()))
    code, out, err = run(capsys, "validate", "--spec", str(spec), str(tmp_path / "nope.har"))
    assert code == 2 and out == ""
    assert err.strip() == f"error: {tmp_path / 'nope.har'}: recording not found"


def _har_entry(method: str, url: str, status: int, body) -> dict:
    return {
        "request": {"method": method, "url": url, "headers": []},
        "response": {
            "status": status,
            "statusText": "OK",
            "headers": [],
            "content": {"mimeType": "application/json", "text": json.dumps(body)},
        },
    }
