"""devctl's S3 event handler against the S3 event notifications contract (through SQS, and SNS into SQS)."""

import os
from pathlib import Path

import pytest
from devctl import s3_events

pytestmark = pytest.mark.contract
REGISTRY = Path(os.environ.get("CONTRACTS_REGISTRY") or Path(__file__).resolve().parents[2] / "registry.yaml")


def test_uploaded_artifact_is_registered(message_contract):
    (outcome,) = message_contract("s3-events", "object_created", handler=s3_events.handle)
    assert "$.Records[0].s3.object.size" in outcome.reads


def test_removed_artifact_is_forgotten(message_contract):
    (outcome,) = message_contract("s3-events", "object_removed", handler=s3_events.handle)
    assert "$.Records[0].s3.object.key" in outcome.reads


def test_an_eventbridge_upload_is_registered(message_contract):
    (outcome,) = message_contract("s3-events", "object_created_eventbridge", handler=s3_events.handle)
    assert "$.detail.object.size" in outcome.reads


def test_a_record_without_its_object_is_skipped():
    event = {"Records": [{"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "b"}, "object": None}}]}
    assert s3_events.handle(event, {}) == []


def test_the_handler_survives_every_legal_notification():
    """Consumer-side fuzzing: notifications the description allows, delivered to devctl's handler (read-only here:
    a crash fails the test instead of being added to the committed corpus)."""
    from contractkit.fuzz import MessageFuzzOptions, fuzz_messages
    from contractkit.registry import load_registry
    from contractkit.reports import render_report

    registry = load_registry(REGISTRY)
    run = fuzz_messages(registry, "s3-events", MessageFuzzOptions(update_corpus=False))
    assert not run.to_report().failed, render_report(run.to_report(), "text")
