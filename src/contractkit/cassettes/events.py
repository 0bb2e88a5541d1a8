"""Event cassettes: the messages a provider was seen to send, one file per registered message.

`cassettes/<provider>/events/<message>.yaml`:

    version: 1
    provider: s3-events
    message: object_created
    events:
      - recorded_at: "2026-12-07T00:00:03Z"
        recording: "2026-12-07T00:00:00Z"   # the run it arrived in: drift compares the two newest runs
        source: sqs                # webhook | sqs | sns | eventbridge | file
        metadata: {...}            # headers or message attributes, secrets scrubbed
        body: {...}                # the innermost payload (the S3 record set, not the SQS or SNS wrapper)
        envelope: {...}            # the wrapper, when there is one (without the payload)
        seeded: [$.Records[0].userIdentity]   # what was filled from the description where the source left a gap

Written atomically; the line of every key path is kept so findings name the line of the file they point into.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import yaml

from contractkit.cassettes.model import EVENTS_FOLDER
from contractkit.core.errors import CassetteError, KeyPath
from contractkit.core.files import write_text_atomic
from contractkit.core.loading import parse_source, read_text

EVENT_CASSETTE_VERSION = 1
EVENT_SOURCES = ("webhook", "sqs", "sns", "eventbridge", "file")


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """One message as it arrived: its payload, its metadata (headers, attributes) and the envelope around it."""

    body: Any
    metadata: Mapping[str, Any] = field(default_factory=dict)
    source: str = "file"
    recorded_at: str = ""
    envelope: Mapping[str, Any] | None = None
    seeded: tuple[str, ...] = ()  # JSON paths of the body filled from the description where the source left a gap
    recording: str = ""  # the recording run the event arrived in (its start time); drift compares runs

    @property
    def run(self) -> str:
        """The recording run the event belongs to (the event's own time for events recorded without one)."""
        return self.recording or self.recorded_at

    def to_dict(self) -> dict[str, Any]:
        """The event as the cassette file holds it."""
        data: dict[str, Any] = {"recorded_at": self.recorded_at, "source": self.source}
        if self.recording:
            data["recording"] = self.recording
        data["metadata"] = dict(self.metadata)
        data["body"] = self.body
        if self.envelope is not None:
            data["envelope"] = dict(self.envelope)
        if self.seeded:
            data["seeded"] = list(self.seeded)
        return data


@dataclass(frozen=True, slots=True)
class EventCassette:
    """The recorded events of one message of a provider."""

    path: Path
    provider: str
    message: str
    events: tuple[RecordedEvent, ...] = ()
    lines: Mapping[KeyPath, int] = field(default_factory=dict, repr=False, compare=False)

    def line_of(self, key_path: KeyPath) -> int | None:
        """The line where a key path of the file stands (or its nearest ancestor), None for a cassette not read."""
        for end in range(len(key_path), -1, -1):
            line = self.lines.get(tuple(key_path[:end]))
            if line is not None:
                return line
        return None


def event_cassette_path(cassettes: Path, message: str) -> Path:
    """Where the events of a message live: `<provider's cassettes>/events/<message>.yaml`."""
    return cassettes / EVENTS_FOLDER / f"{message}.yaml"


def load_event_cassette(path: str | Path) -> EventCassette:
    """Read an event cassette; raise CassetteError naming the file, key path and line when it is not one."""
    path = Path(path)
    return parse_event_cassette(read_text(path, CassetteError), path)


def parse_event_cassette(text: str, path: Path) -> EventCassette:
    """An event cassette from its YAML text (JSON is YAML too)."""
    document = parse_source(text, path, CassetteError)
    data = document.data

    def fail(message: str, key_path: KeyPath) -> CassetteError:
        return CassetteError(message, file=str(path), key_path=key_path, line=document.line_of(key_path))

    if not isinstance(data, dict):
        raise fail("expected a mapping with version, provider, message and events", ())
    if data.get("version") != EVENT_CASSETTE_VERSION:
        raise fail(f"expected version: {EVENT_CASSETTE_VERSION}, got {data.get('version')!r}", ("version",))
    for key in ("provider", "message"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise fail(f"expected a name, got {data.get(key)!r}", (key,))
    raw_events = data.get("events")
    if not isinstance(raw_events, list):
        raise fail(f"expected a list of events, got {type(raw_events).__name__}", ("events",))
    events = tuple(_event(raw, ("events", index), fail) for index, raw in enumerate(raw_events))
    return EventCassette(path, data["provider"], data["message"], events, document.lines)


def _event(raw: Any, where: KeyPath, fail: Any) -> RecordedEvent:
    if not isinstance(raw, dict):
        raise fail("expected an event (a mapping with body and metadata)", where)
    if "body" not in raw:
        raise fail("missing key 'body' (the payload the message carried)", where)
    source = raw.get("source", "file")
    if source not in EVENT_SOURCES:
        raise fail(f"expected a source among {', '.join(EVENT_SOURCES)}, got {source!r}", where + ("source",))
    seeded = raw.get("seeded") or []
    if not isinstance(seeded, list) or not all(isinstance(item, str) for item in seeded):
        raise fail("expected a list of JSON paths", where + ("seeded",))
    for key in ("metadata", "envelope"):
        if raw.get(key) is not None and not isinstance(raw[key], dict):
            raise fail(f"expected a mapping, got {type(raw[key]).__name__}", where + (key,))
    return RecordedEvent(
        body=raw["body"],
        metadata=raw.get("metadata") or {},
        source=source,
        recorded_at=str(raw.get("recorded_at", "")),
        envelope=raw.get("envelope"),
        seeded=tuple(seeded),
        recording=str(raw.get("recording", "")),
    )


class _Dumper(yaml.SafeDumper):
    """Block style, with long or multi-line strings kept readable."""


_YAML_BREAKS = frozenset("\x85\u2028\u2029")  # line breaks to YAML: written raw, a reader would fold them


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style: str | None = None
    if _YAML_BREAKS.intersection(value) or "\r" in value:
        style = '"'  # escaped (\N, \L, \P, \r), so the text reads back as it was
    elif "\n" in value and not any(line != line.rstrip() for line in value.split("\n")):
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_event_cassette(cassette: EventCassette) -> str:
    """The YAML text of an event cassette."""
    data = {
        "version": EVENT_CASSETTE_VERSION,
        "provider": cassette.provider,
        "message": cassette.message,
        "events": [event.to_dict() for event in cassette.events],
    }
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)


def write_event_cassette(cassette: EventCassette) -> Path:
    """Write an event cassette atomically; returns its path."""
    write_text_atomic(cassette.path, dump_event_cassette(cassette))
    return cassette.path


def iter_event_cassettes(cassettes: Path) -> Iterator[Path]:
    """The event cassette files under a provider's cassettes folder, sorted."""
    folder = cassettes / EVENTS_FOLDER
    if folder.is_dir():
        yield from sorted(path for path in folder.iterdir() if path.suffix in (".yaml", ".yml", ".json"))


def recording_runs(cassette: EventCassette) -> list[tuple[str, tuple[RecordedEvent, ...]]]:
    """The cassette's events grouped by recording run, oldest run first."""
    runs: dict[str, list[RecordedEvent]] = {}
    for event in cassette.events:
        runs.setdefault(event.run, []).append(event)
    return [(run, tuple(events)) for run, events in runs.items()]


TEST_SIGNING_KEY = b"contractkit-test-signing-key"  # replayed webhooks are signed with this, never a real secret
_SIGNATURES = {"x-hub-signature-256": ("sha256=", hashlib.sha256), "x-hub-signature": ("sha1=", hashlib.sha1)}


def event_delivery(event: RecordedEvent, *, signing_key: bytes = TEST_SIGNING_KEY) -> tuple[bytes, dict[str, str]]:
    """A recorded event as it is delivered again: its body as JSON bytes and its metadata, with each signature
    header the recording scrubbed (GitHub's `X-Hub-Signature-256` and `X-Hub-Signature`) signed again over those
    bytes with a test key, so a handler that checks signatures can be given the test key."""
    body = json.dumps(event.body, separators=(",", ":")).encode()
    metadata = {
        str(name): value if isinstance(value, str) else json.dumps(value) for name, value in event.metadata.items()
    }
    for name, value in metadata.items():
        scheme = _SIGNATURES.get(name.lower())
        if scheme is not None and value.startswith("<scrubbed:"):
            prefix, digest = scheme
            metadata[name] = prefix + hmac.new(signing_key, body, digest).hexdigest()
    return body, metadata


def with_events(cassette: EventCassette, events: Sequence[RecordedEvent], *, keep: int | None = None) -> EventCassette:
    """The cassette with new events appended (the newest `keep` kept when given)."""
    combined = (*cassette.events, *events)
    if keep is not None:
        combined = combined[-keep:]
    return EventCassette(cassette.path, cassette.provider, cassette.message, tuple(combined))


__all__ = [
    "TEST_SIGNING_KEY",
    "EVENTS_FOLDER",
    "EVENT_CASSETTE_VERSION",
    "EVENT_SOURCES",
    "EventCassette",
    "RecordedEvent",
    "dump_event_cassette",
    "event_cassette_path",
    "event_delivery",
    "iter_event_cassettes",
    "load_event_cassette",
    "parse_event_cassette",
    "recording_runs",
    "with_events",
    "write_event_cassette",
]
