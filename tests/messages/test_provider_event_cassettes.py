"""Event cassettes: what is written is read back unchanged, with the line of every key path."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.cassettes import (
    EventCassette,
    RecordedEvent,
    dump_event_cassette,
    parse_event_cassette,
    recording_runs,
)

_SCALARS = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=3),
    max_leaves=12,
)
_EVENTS = st.builds(
    RecordedEvent,
    body=_JSON,
    metadata=st.dictionaries(st.text(min_size=1, max_size=10), st.text(max_size=10), max_size=3),
    source=st.sampled_from(["webhook", "sqs", "sns", "eventbridge", "file"]),
    recorded_at=st.just("2026-12-07T10:00:00Z"),
    envelope=st.none() | st.dictionaries(st.text(min_size=1, max_size=8), _SCALARS, max_size=3),
    seeded=st.lists(st.just("$.Records[0].userIdentity"), max_size=1).map(tuple),
    recording=st.sampled_from(["", "2026-12-07T09:59:58Z"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_EVENTS, max_size=4))
def test_load_of_dump_is_the_cassette(events: list[RecordedEvent]) -> None:
    path = Path("cassettes/p/events/m.yaml")
    cassette = EventCassette(path, "p", "m", tuple(events))
    assert parse_event_cassette(dump_event_cassette(cassette), path) == cassette


def test_lines_point_into_the_file_and_runs_group_events() -> None:
    path = Path("m.yaml")
    first = RecordedEvent({"a": {"b": 1}}, recorded_at="t1", recording="run-1")
    second = RecordedEvent({"a": {"b": 2}}, recorded_at="t2", recording="run-1")
    third = RecordedEvent({"a": {"b": 3}}, recorded_at="t3")
    text = dump_event_cassette(EventCassette(path, "p", "m", (first, second, third)))
    cassette = parse_event_cassette(text, path)
    line = cassette.line_of(("events", 2, "body", "a", "b"))
    assert line is not None and text.splitlines()[line - 1].strip() == "b: 3"
    assert [(run, len(events)) for run, events in recording_runs(cassette)] == [("run-1", 2), ("t3", 1)]


def test_a_replayed_webhook_is_signed_again_with_the_test_key() -> None:
    import hashlib
    import hmac

    from contractkit.cassettes import TEST_SIGNING_KEY, event_delivery

    event = RecordedEvent(
        {"ref": "refs/heads/main"},
        {
            "X-GitHub-Event": "push",
            "X-Hub-Signature-256": "<scrubbed:x-hub-signature-256>",
            "X-Hub-Signature": "sha1=1",
        },
        "webhook",
    )
    body, metadata = event_delivery(event)
    assert body == b'{"ref":"refs/heads/main"}'
    expected = "sha256=" + hmac.new(TEST_SIGNING_KEY, body, hashlib.sha256).hexdigest()
    assert metadata == {"X-GitHub-Event": "push", "X-Hub-Signature-256": expected, "X-Hub-Signature": "sha1=1"}
    _, other = event_delivery(event, signing_key=b"another key")
    assert other["X-Hub-Signature-256"] != expected
