"""`contracts verify --provider P` on message providers: pact-python's V4 message pacts (written by the real Pact
core) verified against recorded events, every recorded event held to its description, and drift between
recording runs graded by what the consumer reads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from pact import Pact, match

from contractkit.cassettes import EventCassette, RecordedEvent, load_event_cassette, write_event_cassette

REPO = Path(__file__).resolve().parents[2]
S3_SCHEMA = REPO / "schemas" / "s3-events" / "s3-event.schema.json"

REGISTRY = """\
version: 1
consumer: devctl
providers:
  s3-events:
    cassettes: cassettes/s3-events
    message_source: {kind: python, package: aws-lambda-powertools, version: "3.37.0",
                     model: aws_lambda_powertools.utilities.parser.models.S3Model}
    messages:
      object_created: {event: "s3:ObjectCreated:*", transport: sqs, schema: schemas/s3-event.schema.json}
"""


def s3_record(size: Any = 21, key: str = "reports/2026-12.csv") -> dict[str, Any]:
    """An S3 notification as AWS documents it (every field the powertools model requires)."""
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "us-east-1",
                "eventTime": "2026-12-07T10:00:00.000Z",
                "eventName": "ObjectCreated:Put",
                "userIdentity": {"principalId": "AWS:AIDAJEXAMPLE1234"},
                "requestParameters": {"sourceIPAddress": "127.0.0.1"},
                "responseElements": {"x-amz-request-id": "D82B88E5F771F645", "x-amz-id-2": "vlR7PnpV2Ce81l0P"},
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "reports",
                    "bucket": {
                        "name": "reports",
                        "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                        "arn": "arn:aws:s3:::reports",
                    },
                    "object": {"key": key, "size": size, "eTag": "356f2d13d1d6f2983daed12323b29bb5"},
                },
            }
        ]
    }


def write_pact(folder: Path, size_matcher: Any) -> Path:
    """devctl's pact with s3-events, written by pact-python (V4, Asynchronous/Messages) after its handler ran."""
    pact = Pact("devctl", "s3-events").with_specification("V4")
    body = {
        "Records": match.each_like(
            {
                "eventName": match.like("ObjectCreated:Put"),
                "s3": {"object": {"key": match.like("a.csv"), "size": size_matcher}},
            }
        )
    }
    (
        pact.upon_receiving("a report object was created", "Async")
        .given("a bucket with notifications")
        .with_body(body, "application/json")
        .with_metadata({"contentType": "application/json"})
    )
    seen: list[Any] = []
    pact.verify(
        lambda content, metadata: seen.append(json.loads(content)["Records"][0]["s3"]["object"]["size"]), "Async"
    )
    assert seen == [21]  # the handler received the message
    pact.write_file(folder, overwrite=True)
    return folder / "devctl-s3-events.json"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A registry with one S3 message, its description, one recorded event and devctl's pact."""
    (tmp_path / "registry.yaml").write_text(REGISTRY)
    (tmp_path / "schemas").mkdir()
    shutil.copy(S3_SCHEMA, tmp_path / "schemas" / "s3-event.schema.json")
    record(tmp_path, [s3_record()], run="2026-12-07T10:00:00Z")
    write_pact(tmp_path / "pacts", match.integer(21))
    return tmp_path


def record(root: Path, bodies: list[Any], *, run: str) -> Path:
    """Append events of one recording run to the object_created event cassette."""
    path = root / "cassettes" / "s3-events" / "events" / "object_created.yaml"
    current = load_event_cassette(path) if path.exists() else EventCassette(path, "s3-events", "object_created")
    events = [RecordedEvent(body, {}, "sqs", run, recording=run) for body in bodies]
    write_event_cassette(EventCassette(path, "s3-events", "object_created", (*current.events, *events)))
    return path


def test_message_interaction_verified_against_recorded_events(project: Path, run_cli, monkeypatch) -> None:
    monkeypatch.chdir(project)
    code, out, _ = run_cli("verify", "--provider", "s3-events")
    assert code == 0, out
    assert "PASSED [message] s3-events / object_created / a report object was created" in out
    assert "PASSED [event-schema] s3-events / object_created" in out


def test_planted_wrong_type_fails_naming_file_and_json_path(project: Path, run_cli, monkeypatch) -> None:
    path = project / "cassettes" / "s3-events" / "events" / "object_created.yaml"
    path.write_text(path.read_text().replace("size: 21", "size: '21'"))
    monkeypatch.chdir(project)
    code, out, _ = run_cli("verify", "--provider", "s3-events")
    assert code == 1
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "size: '21'" in text)
    assert (
        f"CK409 cassettes/s3-events/events/object_created.yaml:{line}: events[0].body $.Records[0].s3.object.size: "
        'expected number or null, got string "21" (s3-event.schema.json)'
    ) in out
    # the consumer reads the size as an integer: no recorded event satisfies its pact any more
    assert "FAILED [message] s3-events / object_created / a report object was created" in out
    assert "CK427 cassettes/s3-events/events/object_created.yaml events[0] $.Records[0].s3.object.size" in out


def test_no_recorded_events_is_a_failure_saying_how_to_record(project: Path, run_cli, monkeypatch) -> None:
    (project / "cassettes" / "s3-events" / "events" / "object_created.yaml").unlink()
    monkeypatch.chdir(project)
    code, out, _ = run_cli("verify", "--provider", "s3-events")
    assert code == 1
    assert (
        "CK428 no recorded events of s3-events 'object_created' to verify 'a report object was created' against; "
        "record them: contracts record --provider s3-events --events --moto"
    ) in out


def test_broken_event_cassette_is_bad_input_naming_file_and_key(project: Path, run_cli, monkeypatch) -> None:
    path = project / "cassettes" / "s3-events" / "events" / "object_created.yaml"
    path.write_text("version: 1\nprovider: s3-events\nmessage: object_created\nevents:\n- source: kafka\n  body: {}\n")
    monkeypatch.chdir(project)
    code, _, err = run_cli("verify", "--provider", "s3-events")
    assert code == 2
    assert (
        "object_created.yaml:5: events[0].source: expected a source among webhook, sqs, sns, eventbridge, file" in err
    )


def test_drift_removing_a_field_the_consumer_reads_breaks_naming_the_consumer(
    project: Path, run_cli, monkeypatch
) -> None:
    gone = s3_record()
    del gone["Records"][0]["s3"]["object"]["size"]
    record(project, [gone], run="2026-12-08T10:00:00Z")
    monkeypatch.chdir(project)
    code, out, _ = run_cli("verify", "--provider", "s3-events")
    assert code == 1
    assert (
        "CK311 cassettes/s3-events/events/object_created.yaml: no event of the newest recording satisfies devctl's "
        "'a report object was created' any more: $.Records[0].s3.object.size"
    ) in out


def test_drift_in_a_field_no_consumer_reads_is_information(project: Path, run_cli, monkeypatch) -> None:
    changed = s3_record()
    del changed["Records"][0]["s3"]["object"]["eTag"]
    record(project, [changed], run="2026-12-08T10:00:00Z")
    monkeypatch.chdir(project)
    code, out, _ = run_cli("verify", "--provider", "s3-events", "--format", "json")
    assert code == 0
    report = json.loads(out)
    drift = next(result for result in report["results"] if result["check"] == "event-drift")
    assert drift["status"] == "passed"
    assert [(f["code"], f["severity"]) for f in drift["findings"]] == [("CK303", "info")]
    assert "$.Records[0].s3.object.eTag is gone (no consumer reads it)" in drift["findings"][0]["message"]


def test_the_example_message_providers_verify_green(run_cli, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    code, out, _ = run_cli("verify", "--provider", "s3-events", "--provider", "github-webhooks", "--format", "json")
    results = json.loads(out)["results"]
    assert code == 0, [result["message"] for result in results if result["status"] != "passed"]
    checks = {(result["check"], result["provider"], result["operation"]) for result in results}
    assert ("message", "github-webhooks", "push") in checks and ("message", "s3-events", "object_created") in checks
    assert ("event-schema", "s3-events", "object_created_eventbridge") in checks
    assert ("event-drift", "s3-events", "object_created") in checks  # two recording runs from moto


def _v3_pact(key_rule: dict[str, Any]) -> dict[str, Any]:
    """Another consumer's V3 message pact, in the shape pact-jvm and pact-js write (`messages`, `metaData`,
    rules under `body`), naming no registry message: it is matched to one by its contents."""
    return {
        "consumer": {"name": "audit-bot"},
        "provider": {"name": "s3-events"},
        "messages": [
            {
                "description": "a report upload",
                "providerStates": [{"name": "a bucket with notifications"}],
                "metaData": {"contentType": "application/json"},
                "contents": {"Records": [{"eventName": "ObjectCreated:Put", "s3": {"object": {"key": "a.csv"}}}]},
                "matchingRules": {"body": {"$.Records": {"matchers": [{"match": "type", "min": 1}]}, **key_rule}},
            }
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }


def test_another_consumers_v3_message_pact_is_verified_and_named(project: Path, run_cli, monkeypatch) -> None:
    registry = project / "registry.yaml"
    registry.write_text(registry.read_text().replace("providers:\n", "consumer_pacts: [other-pacts]\nproviders:\n", 1))
    (project / "other-pacts").mkdir()
    other = project / "other-pacts" / "audit-bot-s3-events.json"
    other.write_text(json.dumps(_v3_pact({"$.Records[*].s3.object.key": {"matchers": [{"match": "type"}]}})))
    monkeypatch.chdir(project)
    code, out, _ = run_cli("verify", "--provider", "s3-events")
    assert code == 0, out
    assert "PASSED [message] s3-events / object_created / audit-bot: a report upload" in out

    rule = {"$.Records[*].s3.object.key": {"matchers": [{"match": "regex", "regex": "^uploads/.+"}]}}
    other.write_text(json.dumps(_v3_pact(rule)))
    code, out, _ = run_cli("verify", "--provider", "s3-events")
    assert code == 1
    assert "FAILED [message] s3-events / " in out and "audit-bot: a report upload" in out
    assert "$.Records[0].s3.object.key" in out and "reports/2026-12.csv" in out


def test_against_a_live_base_url_message_interactions_are_named_not_dropped(
    project: Path, run_cli, monkeypatch
) -> None:
    monkeypatch.chdir(project)
    code, out, _ = run_cli("verify", "--provider", "s3-events", "--base-url", "http://127.0.0.1:9")
    assert code == 0
    assert "SKIPPED [pact] s3-events / a report object was created: not verified" in out
    assert "CK426" in out
