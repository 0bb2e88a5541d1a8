"""`contracts validate` on recorded traffic: every input format, bounded errors, the conformance summary,
overlay suggestions, the error format, and schemas that describe nothing."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import yaml
from verification_support import HIT, grafana_like_spec

from contractkit.cli import main
from contractkit.openapi.overlays import apply_overlay, load_overlay
from contractkit.validation.recordings import validate_recordings
from contractkit.validation.responses import SpecValidator

BASE = "http://grafana.local/api"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture()
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(grafana_like_spec()))
    return path


def betamax(*responses: tuple[str, int, object], base64_body: bool = False) -> dict:
    """A Betamax cassette as betamax 0.8 writes it (request headers as lists, body as string or base64_string)."""
    interactions = []
    for path, status, body in responses:
        text = json.dumps(body)
        response_body = (
            {"base64_string": base64.b64encode(text.encode()).decode(), "encoding": "utf-8"}
            if base64_body
            else {"string": text, "encoding": "utf-8"}
        )
        interactions.append(
            {
                "request": {
                    "body": {"string": "", "encoding": "utf-8"},
                    "headers": {"Accept": ["application/json"]},
                    "method": "GET",
                    "uri": f"{BASE}{path}",
                },
                "response": {
                    "body": response_body,
                    "headers": {"Content-Type": ["application/json; charset=utf-8"]},
                    "status": {"code": status, "message": "OK"},
                    "url": f"{BASE}{path}",
                },
                "recorded_at": "2023-05-01T10:00:00",
            }
        )
    return {"http_interactions": interactions, "recorded_with": "betamax/0.8.1"}


def test_a_betamax_cassette_is_validated(spec: Path, tmp_path: Path, capsys):
    cassette = tmp_path / "search.json"
    cassette.write_text(json.dumps(betamax(("/search", 200, [HIT]), ("/search", 200, [dict(HIT, type="dash-panel")]))))
    exact = tmp_path / "exact.json"
    exact.write_text(json.dumps(betamax(("/search", 200, [HIT]), base64_body=True)))

    code, out, _ = run(capsys, "validate", "--spec", str(spec), str(cassette), str(exact), "--format", "json")

    assert code == 1
    results = json.loads(out)["results"]
    assert [(r["file"], r["index"], r["status"]) for r in results] == [
        (str(cassette), 0, "passed"),
        (str(cassette), 1, "failed"),
        (str(exact), 0, "passed"),
    ]
    assert results[1]["operation"] == "GET /search (search)"
    assert results[1]["findings"][0]["location"] == "$[0].type"
    assert results[1]["findings"][0]["kind"] == "enum"


def test_folders_are_searched_recursively_for_every_format(spec: Path, tmp_path: Path, capsys):
    folder = tmp_path / "recordings"
    (folder / "nested" / "deeper").mkdir(parents=True)
    (folder / "betamax.json").write_text(json.dumps(betamax(("/search", 200, [HIT]))))
    (folder / "nested" / "session.har").write_text(
        json.dumps(
            {
                "log": {
                    "entries": [
                        {
                            "request": {"method": "GET", "url": f"{BASE}/search", "headers": []},
                            "response": {
                                "status": 200,
                                "headers": [],
                                "content": {"mimeType": "application/json", "text": json.dumps([HIT])},
                            },
                        }
                    ]
                }
            }
        )
    )
    (folder / "nested" / "deeper" / "vcr.yaml").write_text(
        yaml.safe_dump(
            {
                "version": 1,
                "interactions": [
                    {
                        "request": {"method": "GET", "uri": f"{BASE}/search", "body": None, "headers": {}},
                        "response": {
                            "status": {"code": 200, "message": "OK"},
                            "headers": {"Content-Type": ["application/json"]},
                            "body": {"string": json.dumps([HIT])},
                        },
                    }
                ],
            }
        )
    )
    (folder / ".hidden.json").write_text("not a recording")
    (folder / "notes.txt").write_text("not a recording either")

    code, out, _ = run(capsys, "validate", "--spec", str(spec), str(folder), "--format", "json")

    assert code == 0
    files = [Path(result["file"]).relative_to(folder).as_posix() for result in json.loads(out)["results"]]
    assert files == ["betamax.json", "nested/deeper/vcr.yaml", "nested/session.har"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {
                "http_interactions": [
                    {"request": {"method": "GET", "uri": f"{BASE}/search"}, "response": {"status": {"code": "200"}}}
                ]
            },
            "http_interactions[0]: malformed Betamax interaction (response.status.code: expected an integer, got '200')",
        ),
        (
            {"http_interactions": [{"request": {"method": "GET"}, "response": {"status": {"code": 200}}}]},
            "http_interactions[0]: malformed Betamax interaction (missing key 'uri')",
        ),
        (
            {"recorded_with": "betamax"},
            "not a recording: expected a vcrpy cassette (interactions), a Betamax cassette (http_interactions) or a HAR file "
            "(log.entries)",
        ),
    ],
)
def test_a_malformed_recording_is_bad_input_naming_file_and_key_path(
    spec: Path, tmp_path: Path, capsys, document, message
):
    cassette = tmp_path / "broken.json"
    cassette.write_text(json.dumps(document))
    code, out, err = run(capsys, "validate", "--spec", str(spec), str(cassette))
    assert (code, out) == (2, "")
    assert err.strip().startswith(f"error: {cassette}")
    assert message in err
    assert "Traceback" not in err


def test_errors_per_response_are_bounded_and_the_rest_counted(spec: Path, tmp_path: Path, capsys):
    broken = [{key: value for key, value in HIT.items() if key not in ("uid", "title")} for _ in range(50)]
    cassette = tmp_path / "big.json"
    cassette.write_text(json.dumps(betamax(("/search", 200, broken))))

    code, out, _ = run(capsys, "validate", "--spec", str(spec), "--max-errors", "4", str(cassette), "--format", "json")

    assert code == 1
    [result] = json.loads(out)["results"]
    assert len(result["findings"]) == 4
    assert [finding["location"] for finding in result["findings"]] == ["$[0]", "$[0]", "$[1]", "$[1]"]
    assert result["failing_items"] == 50
    assert result["message"] == (
        "GET /search 200: missing required property 'uid' at $[0] (and 3 more; 50 list items fail)"
    )


def drifted_search_traffic(total: int) -> dict:
    """`total` search responses; two in three lack `title` and carry a null `uid`, one in six a date in `url`."""
    responses = []
    for index in range(total):
        hit = dict(HIT)
        if index % 3:
            hit.pop("title")
            hit["type"] = None
        responses.append(("/search", 200, [hit, hit]))
    return betamax(*responses)


def test_the_conformance_summary_comes_first_and_counts_responses(spec: Path, tmp_path: Path, capsys):
    cassette = tmp_path / "traffic.json"
    cassette.write_text(json.dumps(drifted_search_traffic(30)))

    code, out, _ = run(capsys, "validate", "--spec", str(spec), str(cassette))

    assert code == 1
    lines = out.splitlines()
    assert lines[2] == (
        "Conformance: 20 of 30 recorded responses disagree with the description (3 distinct "
        "disagreements, most frequent first)"
    )
    assert lines[3].split() == ["20", "of", "30", "missing-required", "GET", "/search", "(search)", "200", "$[*]"]
    assert lines[4].strip() == "e.g. traffic.json#1: GET /search 200: missing required property 'title'"
    # a null where a documented value is expected breaks both the type and the enum
    assert lines[5].split() == ["20", "of", "30", "enum", "GET", "/search", "(search)", "200", "$[*].type"]
    assert lines[7].split() == ["20", "of", "30", "null", "GET", "/search", "(search)", "200", "$[*].type"]
    assert out.index("Conformance:") < out.index("FAILED [response-schema]")

    code, out, _ = run(capsys, "validate", "--spec", str(spec), str(cassette), "--format", "json")
    rows = json.loads(out)["conformance"]["disagreements"]
    assert [(row["kind"], row["json_path"], row["responses"]) for row in rows] == [
        ("missing-required", "$[*]", 20),
        ("enum", "$[*].type", 20),
        ("null", "$[*].type", 20),
    ]
    occurrences = rows[0]["occurrences"]
    assert len(occurrences) == 20  # every occurrence, not one example
    assert {item["json_path"] for item in occurrences} == {"$[0]"}


def test_suggested_overlay_entries_carry_evidence_and_fix_what_they_claim(spec: Path, tmp_path: Path, capsys):
    cassette = tmp_path / "traffic.json"
    cassette.write_text(json.dumps(drifted_search_traffic(30)))
    overlay = tmp_path / "suggested.yaml"

    code, _, err = run(capsys, "validate", "--spec", str(spec), str(cassette), "--suggest-overlay", str(overlay))

    assert code == 1 and "wrote 2 overlay suggestion(s)" in err
    entries = yaml.safe_load(overlay.read_text())["corrections"]
    by_path = {entry["path"]: entry for entry in entries}
    required = by_path["/components/schemas/Hit/required"]
    assert (required["op"], required["value"]) == ("replace", ["uid", "type"])
    assert required["evidence"] == {"disagreeing": 20, "responses": 30, "operations": ["GET /search (search) 200"]}
    assert "'title' in 20 of 30" in required["provenance"]["reason"]
    nullable = by_path["/components/schemas/Hit/properties/type/nullable"]
    assert (nullable["op"], nullable["value"]) == ("add", True)

    # the file is a valid overlay, and with it applied the same traffic conforms
    document = apply_overlay(json.loads(spec.read_text()), load_overlay(overlay))
    report = validate_recordings(SpecValidator(document, source=str(spec)), [cassette])
    assert not report.failed


def test_too_few_recordings_write_no_overlay_and_say_how_many_it_needs(spec: Path, tmp_path: Path, capsys):
    cassette = tmp_path / "traffic.json"
    cassette.write_text(json.dumps(drifted_search_traffic(3)))  # two of the three responses lack 'title'
    overlay = tmp_path / "suggested.yaml"

    code, _, err = run(capsys, "validate", "--spec", str(spec), str(cassette), "--suggest-overlay", str(overlay))

    assert code == 1 and not overlay.exists()
    assert (
        f"wrote nothing to {overlay}: a correction needs at least 3 responses that disagree in the same place, and "
        f"at least 50% of the responses recorded for the operations concerned; the best-supported, required "
        f"property 'title' missing at #/components/schemas/Hit, has 2 of 3 (record more responses)"
    ) in err.splitlines()


def test_a_minority_of_disagreeing_recordings_writes_no_overlay_and_names_the_share(spec: Path, tmp_path: Path, capsys):
    untitled = {key: value for key, value in HIT.items() if key != "title"}
    cassette = tmp_path / "traffic.json"
    cassette.write_text(json.dumps(betamax(*[("/search", 200, [untitled])] * 3, *[("/search", 200, [HIT])] * 7)))
    overlay = tmp_path / "suggested.yaml"

    code, _, err = run(capsys, "validate", "--spec", str(spec), str(cassette), "--suggest-overlay", str(overlay))

    assert code == 1 and not overlay.exists()
    assert err.splitlines()[-1].endswith(
        "the best-supported, required property 'title' missing at "
        "#/components/schemas/Hit, has 3 of 10 (most responses there agree with the "
        "description)"
    )


def test_conforming_recordings_write_no_overlay_and_say_so(spec: Path, tmp_path: Path, capsys):
    cassette = tmp_path / "search.json"
    cassette.write_text(json.dumps(betamax(("/search", 200, [HIT]), ("/search", 200, [HIT]))))
    overlay = tmp_path / "suggested.yaml"

    code, _, err = run(capsys, "validate", "--spec", str(spec), str(cassette), "--suggest-overlay", str(overlay))

    assert code == 0 and not overlay.exists()
    assert (
        f"wrote nothing to {overlay}: none of the 2 recorded responses contradicts the description where an "
        f"overlay corrects it (a required property missing, a value not of its format, a null where none is "
        f"allowed)"
    ) in err.splitlines()


def test_recorded_error_responses_are_held_to_the_error_schema(spec: Path, tmp_path: Path, capsys):
    error_schema = tmp_path / "error.schema.json"
    error_schema.write_text(
        json.dumps({"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}})
    )
    cassette = tmp_path / "errors.json"
    cassette.write_text(
        json.dumps(
            betamax(
                ("/dashboards/uid/x", 404, {"message": "Dashboard not found"}),
                ("/dashboards/uid/y", 404, {"message": "gone", "status": "not-found"}),
                ("/dashboards/uid/z", 404, {"error": "nope"}),
            )
        )
    )
    code, out, _ = run(
        capsys, "validate", "--spec", str(spec), "--error-schema", str(error_schema), str(cassette), "--format", "json"
    )
    assert code == 1
    rows = [(r["check"], r["index"], r["status"]) for r in json.loads(out)["results"]]
    assert rows == [
        ("response-schema", 0, "passed"),
        ("error-schema", 0, "passed"),
        ("response-schema", 1, "passed"),
        ("error-schema", 1, "passed"),
        ("response-schema", 2, "failed"),
        ("error-schema", 2, "failed"),
    ]
    error_row = json.loads(out)["results"][5]
    report = validate_recordings(spec, [cassette], error_schema=error_schema)
    assert [finding.code for finding in report.results[5].findings] == ["CK408"]
    assert error_row["message"] == (
        "GET /dashboards/uid/{uid} (getDashboardByUID) 404: missing required property "
        "'message' (error schema error.schema.json) at $"
    )


def test_a_schema_that_only_refers_to_itself_is_refused(tmp_path: Path, capsys):
    document = grafana_like_spec()
    document["components"]["schemas"]["Hit"] = {"$ref": "#/components/schemas/Hit"}
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(document))
    cassette = tmp_path / "search.json"
    cassette.write_text(json.dumps(betamax(("/search", 200, [HIT]))))

    code, out, err = run(capsys, "validate", "--spec", str(spec), str(cassette))

    assert (code, out) == (2, "")
    assert err.strip() == (
        f"error: {spec}: schema #/components/schemas/Hit is only a reference to itself "
        "(#/components/schemas/Hit -> #/components/schemas/Hit): it describes nothing and would "
        "accept any response. point the $ref at the schema it stands for, or re-import the slice"
    )
