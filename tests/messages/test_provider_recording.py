"""Recording events with real parts: a moto server delivering S3 notifications to SQS (and through SNS and
EventBridge to SQS),
a local HTTP webhook sender posting to the receiver of `contracts record --webhooks`, and files imported; every
recording scrubbed, signature headers included."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from contractkit.cassettes import load_event_cassette
from contractkit.recording import event_rules, record_s3_events, scrub_event
from contractkit.registry import load_registry
from contractkit.validation import validate_event_cassettes

pytest.importorskip("moto")

REPO = Path(__file__).resolve().parents[2]
SECRET_KEY = b"test-webhook-key"
REGISTRY = """\
version: 1
consumer: devctl
providers:
  s3-events:
    cassettes: cassettes/s3-events
    messages:
      object_created: {event: "s3:ObjectCreated:*", transport: sqs, schema: schemas/s3-event.schema.json}
      object_removed: {event: "s3:ObjectRemoved:*", transport: sns, schema: schemas/s3-event.schema.json}
      created_bus: {event: Object Created, transport: eventbridge, schema: schemas/s3-eventbridge.schema.json}
  github-webhooks:
    cassettes: cassettes/github-webhooks
    messages:
      push: {event: push, transport: webhook, schema: schemas/push.schema.json}
      pull_request: {event: pull_request, transport: webhook, schema: schemas/pull_request.schema.json}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "registry.yaml").write_text(REGISTRY)
    (tmp_path / "schemas").mkdir()
    shutil.copy(REPO / "schemas" / "s3-events" / "s3-event.schema.json", tmp_path / "schemas")
    shutil.copy(REPO / "schemas" / "s3-events" / "s3-eventbridge.schema.json", tmp_path / "schemas")
    for name in ("push", "pull_request"):
        shutil.copy(REPO / "schemas" / "github-webhooks" / f"{name}.schema.json", tmp_path / "schemas")
    return tmp_path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def moto() -> Iterator[str]:
    """A real moto server on 127.0.0.1, started here and stopped at teardown."""
    port = _free_port()
    executable = shutil.which("moto_server")
    command = [executable] if executable else [sys.executable, "-m", "moto.server"]
    process = subprocess.Popen(
        [*command, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        assert process.poll() is None and time.monotonic() < deadline, "moto_server did not start"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(10)


def test_moto_s3_notifications_to_sqs_sns_and_eventbridge_recorded_into_event_cassettes(
    project: Path, moto: str
) -> None:
    provider = load_registry(project / "registry.yaml").provider("s3-events")
    report = record_s3_events(provider, moto, environ={"AWS_ACCESS_KEY_ID": "testing"})
    assert [result.status.value for result in report.results] == ["passed", "passed", "passed"]

    created = load_event_cassette(project / "cassettes" / "s3-events" / "events" / "object_created.yaml")
    event = created.events[0]
    assert event.source == "sqs"
    record = event.body["Records"][0]
    assert record["eventName"] == "ObjectCreated:Put" and record["eventSource"] == "aws:s3"
    assert record["s3"]["bucket"]["name"] == "ck-events-bucket" and record["s3"]["object"]["size"] == 21
    assert "MessageId" in event.envelope and "Body" not in event.envelope and "ReceiptHandle" not in event.envelope
    # what moto leaves out of AWS's notification is corrected from the description, and said so
    assert "$.Records[0].userIdentity" in event.seeded and record["userIdentity"] == {
        "principalId": "AWS:AIDAJEXAMPLE1234"
    }
    assert record["eventTime"].endswith("Z")

    removed = load_event_cassette(project / "cassettes" / "s3-events" / "events" / "object_removed.yaml").events[0]
    assert removed.source == "sns" and removed.body["Records"][0]["eventName"].startswith("ObjectRemoved:")
    assert removed.envelope["Type"] == "Notification" and removed.envelope["TopicArn"].endswith(":ck-events-topic")
    assert "Message" not in removed.envelope
    assert removed.envelope["Signature"].startswith("<scrubbed:")  # the SNS signature is a secret
    assert created.events[0].recording == removed.recording  # one run

    bus = load_event_cassette(project / "cassettes" / "s3-events" / "events" / "created_bus.yaml").events[0]
    assert bus.source == "eventbridge" and bus.seeded == ()
    assert (bus.body["source"], bus.body["detail-type"]) == ("aws.s3", "Object Created")
    assert bus.body["detail"]["bucket"]["name"] == "ck-events-bucket" and bus.body["detail"]["object"]["size"] == 21

    validated = validate_event_cassettes(provider, relative=lambda path: path.name)
    assert {result.operation: result.status.value for result in validated} == {
        "created_bus": "passed",
        "object_created": "passed",
        "object_removed": "passed",
    }


def test_moto_recording_removes_what_it_created(project: Path, moto: str) -> None:
    import boto3

    provider = load_registry(project / "registry.yaml").provider("s3-events")
    record_s3_events(provider, moto, prefix="ck-gone-")
    session = boto3.session.Session(aws_access_key_id="t", aws_secret_access_key="t", region_name="us-east-1")
    assert not [b for b in session.client("s3", endpoint_url=moto).list_buckets()["Buckets"] if "ck-gone" in b["Name"]]
    assert not session.client("sqs", endpoint_url=moto).list_queues(QueueNamePrefix="ck-gone-").get("QueueUrls")


def _send(port: int, event: str, payload: dict, *, form: bool = False) -> int:
    """A local webhook sender: POST the payload as GitHub delivers it, signed with the test key."""
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(SECRET_KEY, body, hashlib.sha256).hexdigest()
    headers = {"X-GitHub-Event": event, "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958"}
    headers["X-Hub-Signature-256"] = signature
    if form:
        from urllib.parse import urlencode

        body = urlencode({"payload": body.decode()}).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    else:
        headers["Content-Type"] = "application/json"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", "/hooks/github", body, headers)
        return connection.getresponse().status
    finally:
        connection.close()


def test_webhook_sender_and_receiver_record_scrubbed_deliveries(project: Path, run_cli, monkeypatch) -> None:
    port = _free_port()
    monkeypatch.chdir(project)
    outcome: dict[str, object] = {}
    thread = threading.Thread(
        target=lambda: outcome.update(
            result=run_cli(
                "record",
                "--provider",
                "github-webhooks",
                "--webhooks",
                "--port",
                str(port),
                "--count",
                "3",
                "--timeout",
                "60",
            )
        )
    )
    thread.start()
    deadline = time.monotonic() + 30
    while True:  # the receiver is listening once a connection succeeds
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "the receiver did not start"
            time.sleep(0.05)
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    statuses = [
        _send(
            port, "push", {"ref": "refs/heads/main", "head_commit": {"id": "6113728f27ae82c7b1a177c8d03f9e96e0adf246"}}
        ),
        _send(port, "issues", {"action": "opened"}),  # not a registered message: answered, not recorded
        _send(port, "pull_request", {"action": "opened", "number": 7, "token": token}, form=True),
        _send(port, "push", {"ref": "refs/heads/dev"}),
    ]
    thread.join(60)
    assert statuses == [204, 202, 204, 204]
    code, out, _ = outcome["result"]
    assert code == 0, out
    push = load_event_cassette(project / "cassettes" / "github-webhooks" / "events" / "push.yaml")
    assert [event.body["ref"] for event in push.events] == ["refs/heads/main", "refs/heads/dev"]
    assert push.events[0].metadata["X-GitHub-Event"] == "push"
    assert push.events[0].metadata["X-Hub-Signature-256"].startswith("<scrubbed:")
    assert "Host" not in push.events[0].metadata and "Content-Length" not in push.events[0].metadata
    pull = load_event_cassette(project / "cassettes" / "github-webhooks" / "events" / "pull_request.yaml")
    assert pull.events[0].body["number"] == 7  # a form-encoded delivery's payload
    text = (project / "cassettes" / "github-webhooks" / "events" / "pull_request.yaml").read_text()
    assert token not in text and "sha256=" not in text


def test_events_imported_from_files(project: Path, run_cli, monkeypatch, tmp_path: Path) -> None:
    payload = tmp_path / "push.json"
    payload.write_text(json.dumps({"body": {"ref": "refs/heads/main"}, "metadata": {"X-GitHub-Event": "push"}}))
    bare = tmp_path / "bare.yaml"
    bare.write_text("ref: refs/tags/v1\n")
    monkeypatch.chdir(project)
    code, out, _ = run_cli(
        "record",
        "--provider",
        "github-webhooks",
        "--event-file",
        str(payload),
        "--event-file",
        str(bare),
        "--message",
        "push",
    )
    assert code == 0, out
    events = load_event_cassette(project / "cassettes" / "github-webhooks" / "events" / "push.yaml").events
    assert [(event.source, event.body["ref"]) for event in events] == [
        ("file", "refs/heads/main"),
        ("file", "refs/tags/v1"),
    ]
    assert events[0].metadata == {"X-GitHub-Event": "push"}


def test_event_file_without_message_is_a_usage_error(project: Path, run_cli, monkeypatch, tmp_path: Path) -> None:
    payload = tmp_path / "push.json"
    payload.write_text("{}")
    monkeypatch.chdir(project)
    code, _, err = run_cli("record", "--provider", "github-webhooks", "--event-file", str(payload))
    assert code == 2
    assert "--event-file needs --message" in err


def test_scrubbing_an_event_twice_is_scrubbing_it_once(project: Path) -> None:
    from contractkit.cassettes import RecordedEvent

    provider = load_registry(project / "registry.yaml").provider("github-webhooks")
    rules = event_rules(provider, {})
    event = RecordedEvent(
        {"token": "xoxb-123456789012-123456789012-abcdefghijklmnopqrstuvwx", "ref": "refs/heads/main"},
        {"X-Hub-Signature": "sha1=0123456789abcdef0123456789abcdef01234567", "X-GitHub-Event": "push"},
        "webhook",
    )
    once = scrub_event(event, rules)
    assert once.body["ref"] == "refs/heads/main" and once.body["token"].startswith("<scrubbed:")
    assert once.metadata["X-Hub-Signature"].startswith("<scrubbed:") and once.metadata["X-GitHub-Event"] == "push"
    assert scrub_event(once, rules) == once


def test_scan_reads_event_cassettes_and_finds_a_planted_secret(project: Path, run_cli, monkeypatch) -> None:
    from contractkit.cassettes import EventCassette, RecordedEvent, write_event_cassette

    path = project / "cassettes" / "github-webhooks" / "events" / "push.yaml"
    token = "ghp_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"
    event = RecordedEvent({"ref": "refs/heads/main", "installation": {"token": token}}, {}, "webhook")
    write_event_cassette(EventCassette(path, "github-webhooks", "push", (event,)))
    monkeypatch.chdir(project)
    code, out, _ = run_cli("scan", "--provider", "github-webhooks")
    assert code == 1
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if token in text)
    assert (
        "CK320 secret in events: github-token at " in out
        and f"cassettes/github-webhooks/events/push.yaml:{line}" in out
    )
    assert token not in out
