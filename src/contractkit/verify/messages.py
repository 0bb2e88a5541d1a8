"""Message interactions verified offline against the recorded events, as HTTP interactions are against cassettes.

For each message interaction of every consumer's pact with a provider, the registered message it stands for is
found (the consumer run keeps its name in the interaction's comments; otherwise the event named by the metadata,
the description, or the provider's only message), and its recorded events are judged by the Pact core's matching
rules: the interaction holds when one recorded event satisfies its contents and metadata. A metadata value that
was scrubbed as a secret in the recording (a signature header) counts as present.

Drift between the recordings of a message is graded by what consumers read: a change between the two newest
events that makes a consumer's interaction fail where the older event satisfied it breaks that consumer; any
other field removed or retyped is reported as information.
"""

from __future__ import annotations

import fnmatch
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from contractkit.cassettes import EventCassette, RecordedEvent, event_cassette_path, recording_runs
from contractkit.compat import kind_of
from contractkit.core.codes import Code
from contractkit.core.model import CheckResult, Finding, MessageSpec, Provider, Severity, Status
from contractkit.pact import Mismatch, PactMessageInteraction, iter_mismatches
from contractkit.registry import ProviderContext
from contractkit.validation import MessageValidators, load_message_events, validate_event_cassettes
from contractkit.verify.consumers import ConsumerPact, consumer_pacts

MESSAGE_CHECK = "message"
DRIFT_CHECK = "event-drift"
_CONTENT_TYPE_KEYS = frozenset(("contenttype", "content-type", "content_type"))
_SCRUBBED = "<scrubbed:"


@dataclass
class EventStore:
    """The recorded events of a provider's messages, each cassette read once per command."""

    provider: Provider
    relative: Callable[[Path], str] = str
    _loaded: dict[str, EventCassette | None] = field(default_factory=dict)

    def events(self, spec: MessageSpec) -> EventCassette | None:
        """The message's event cassette, None when nothing was recorded."""
        if spec.name not in self._loaded:
            self._loaded[spec.name] = load_message_events(self.provider, spec)
        return self._loaded[spec.name]


def message_of(provider: Provider, interaction: PactMessageInteraction) -> MessageSpec | None:
    """The registered message a pact's message interaction stands for."""
    if interaction.message in provider.messages:
        return provider.messages[interaction.message]
    metadata = interaction.received[0].metadata if interaction.received else {}
    for name, value in metadata.items():
        lowered = str(name).lower()
        if lowered.endswith("-event") or lowered in ("event", "eventname", "detail-type"):
            found = next((spec for spec in provider.messages.values() if spec.event == value), None)
            if found is not None:
                return found
    body = interaction.received[0].body if interaction.received else None
    records = body.get("Records") if isinstance(body, dict) else None
    if isinstance(records, list) and records and isinstance(records[0], dict) and "eventName" in records[0]:
        name = f"s3:{records[0]['eventName']}"  # an S3 notification: its event name against the registered pattern
        found = next((spec for spec in provider.messages.values() if fnmatch.fnmatchcase(name, spec.event)), None)
        if found is not None:
            return found
    by_description = provider.messages.get(interaction.description.replace(" ", "_"))
    if by_description is not None:
        return by_description
    return next(iter(provider.messages.values())) if len(provider.messages) == 1 else None


def judge_event(interaction: PactMessageInteraction, event: RecordedEvent) -> list[Mismatch]:
    """Where a recorded event fails what the interaction expects of the message (contents, then metadata)."""
    mismatches: list[Mismatch] = []
    for contents in interaction.received:
        if contents.has_body:
            mismatches += iter_mismatches(contents.body, event.body, contents.body_rules)
        mismatches += _metadata_mismatches(contents.metadata, contents.metadata_rules, event.metadata)
    return mismatches


def _metadata_mismatches(
    expected: Mapping[str, Any], rules: Mapping[str, Any], actual: Mapping[str, Any]
) -> Iterator[Mismatch]:
    recorded = {str(name).lower(): value for name, value in actual.items()}
    for name, value in expected.items():
        key = str(name).lower()
        if key in _CONTENT_TYPE_KEYS:
            continue  # the body is JSON; a queue or topic does not record a media type
        if key not in recorded:
            yield Mismatch(f"metadata.{name}", "metadata missing", f"metadata {name!r} is not in the recorded event")
            continue
        found = recorded[key]
        if isinstance(found, str) and found.startswith(_SCRUBBED):
            continue  # a secret (a signature): present, its value kept out of the recording
        rule = rules.get(name) or rules.get(key)
        for mismatch in iter_mismatches(value, found, {"$": rule} if rule else {}):
            yield Mismatch(f"metadata.{name}", mismatch.title, mismatch.detail)


def verify_messages(context: ProviderContext, validators: MessageValidators | None = None) -> list[CheckResult]:
    """The message interactions of every consumer's pact with the provider, against its recorded events, then
    every event cassette against its description and the drift between its recordings."""
    provider = context.provider
    if not provider.messages:
        return []
    validators = validators if validators is not None else MessageValidators()
    relative = context.registry.relative
    store = EventStore(provider, relative)
    pacts = consumer_pacts(context)
    results = [
        verify_interaction(provider, pact, interaction, store) for pact in pacts for interaction in pact.pact.messages
    ]
    results += validate_event_cassettes(provider, validators, relative=relative)
    results += [result for spec in provider.messages.values() for result in grade_drift(provider, spec, pacts, store)]
    return results


def verify_interaction(
    provider: Provider, pact: ConsumerPact, interaction: PactMessageInteraction, store: EventStore
) -> CheckResult:
    """One message interaction against the recorded events of its message."""
    started = time.perf_counter()
    spec = message_of(provider, interaction) or _satisfied_message(provider, interaction, store)
    label = interaction.description if pact.is_ours else f"{pact.consumer}: {interaction.description}"
    details = {"consumer": pact.consumer, "pact": pact.shown, "kind": interaction.kind}
    if spec is None:
        known = ", ".join(sorted(provider.messages)) or "none"
        text = (
            f"{pact.shown}: interactions[{interaction.index}] ({interaction.description!r}) names no registered "
            f"message of {provider.name} (known: {known}); the consumer run keeps the name in comments.message"
        )
        return _failed(provider, "?", label, Code.EVENTS_MISSING, text, pact.shown, details, started)
    cassette = store.events(spec)
    if cassette is None or not cassette.events:
        text = (
            f"no recorded events of {provider.name} {spec.name!r} to verify {interaction.description!r} against; "
            f"record them: contracts record --provider {provider.name} "
            + ("--webhooks --port N" if spec.transport.value == "webhook" else "--events --moto")
        )
        missing = store.relative(event_cassette_path(provider.cassettes or Path("cassettes"), spec.name))
        details = {**details, "cassette_missing": missing}
        return _failed(provider, spec.name, label, Code.EVENTS_MISSING, text, pact.shown, details, started)
    verdicts = [judge_event(interaction, event) for event in cassette.events]
    shown = store.relative(cassette.path)
    details = {**details, "cassette": shown}
    passing = [index for index, found in enumerate(verdicts) if not found]
    if passing:
        text = f"satisfied by {len(passing)} of {len(verdicts)} recorded events ({shown})"
        return CheckResult(
            MESSAGE_CHECK,
            provider.name,
            spec.name,
            label,
            Status.PASSED,
            text,
            time.perf_counter() - started,
            details={**details, "events": len(verdicts)},
        )
    closest = min(range(len(verdicts)), key=lambda index: len(verdicts[index]))
    first = verdicts[closest][0]
    text = (
        f"no recorded event satisfies {interaction.description!r} of {pact.consumer}: {shown} events[{closest}] "
        f"{first.path}: {first.detail or first.title}"
        + (f" (and {len(verdicts[closest]) - 1} more)" if len(verdicts[closest]) > 1 else "")
    )
    findings = tuple(
        Finding(
            Code.MESSAGE_MISMATCH,
            Severity.ERROR,
            f"{shown} events[{closest}] {item.path}: {item.detail or item.title}",
            f"{shown} {item.path}",
            provider.name,
            spec.name,
        )
        for item in verdicts[closest]
    )
    return CheckResult(
        MESSAGE_CHECK,
        provider.name,
        spec.name,
        label,
        Status.FAILED,
        text,
        time.perf_counter() - started,
        findings,
        {**details, "events": len(verdicts)},
    )


def _satisfied_message(
    provider: Provider, interaction: PactMessageInteraction, store: EventStore
) -> MessageSpec | None:
    """For a pact written elsewhere, naming no message: the registered message one of whose events satisfies it."""
    for spec in provider.messages.values():
        cassette = store.events(spec)
        if cassette is not None and any(not judge_event(interaction, event) for event in cassette.events):
            return spec
    return None


def _failed(
    provider: Provider,
    message: str,
    label: str,
    code: Code,
    text: str,
    where: str,
    details: Mapping[str, Any],
    started: float,
) -> CheckResult:
    finding = Finding(code, Severity.ERROR, text, where, provider.name, message)
    return CheckResult(
        MESSAGE_CHECK,
        provider.name,
        message,
        label,
        Status.FAILED,
        text,
        time.perf_counter() - started,
        (finding,),
        dict(details),
    )


# ---------------------------------------------------------------- drift between recordings


def grade_drift(
    provider: Provider, spec: MessageSpec, pacts: Sequence[ConsumerPact], store: EventStore
) -> list[CheckResult]:
    """The drift between the two newest recording runs of a message, graded by what consumers read: a consumer's
    interaction some event of the older run satisfied and no event of the newest run does is broken (error); a
    field gone or retyped that a consumer reads, its pact still satisfied, is a warning; one no consumer reads is
    information."""
    cassette = store.events(spec)
    runs = recording_runs(cassette) if cassette is not None else []
    if cassette is None or len(runs) < 2:
        return []
    (old_run, before), (new_run, after) = runs[-2], runs[-1]
    shown = store.relative(cassette.path)
    readers = [
        (consumer.consumer, interaction)
        for consumer in pacts
        for interaction in consumer.pact.messages
        if message_of(provider, interaction) == spec
    ]
    broken = [
        _broken(provider, spec, shown, name, interaction, after)
        for name, interaction in readers
        if any(not judge_event(interaction, event) for event in before)
        and all(judge_event(interaction, event) for event in after)
    ]
    changes = [
        _graded_change(provider, spec, shown, code, path, text, readers)
        for code, path, text in iter_field_changes(before, after)
    ]
    status = Status.FAILED if broken else Status.PASSED
    text = broken[0].message if broken else f"{len(changes)} field changes from the run of {old_run} to {new_run}"
    details = {"cassette": shown, "runs": [old_run, new_run]}
    return [
        CheckResult(DRIFT_CHECK, provider.name, spec.name, shown, status, text, 0.0, tuple(broken + changes), details)
    ]


def _broken(
    provider: Provider,
    spec: MessageSpec,
    shown: str,
    consumer: str,
    interaction: PactMessageInteraction,
    after: Sequence[RecordedEvent],
) -> Finding:
    found = min((judge_event(interaction, event) for event in after), key=len)
    return Finding(
        Code.PACT_BROKEN,
        Severity.ERROR,
        f"{shown}: no event of the newest recording satisfies {consumer}'s {interaction.description!r} any more: "
        f"{found[0].path}: {found[0].detail or found[0].title}",
        f"{shown} {found[0].path}",
        provider.name,
        spec.name,
    )


def _graded_change(
    provider: Provider,
    spec: MessageSpec,
    shown: str,
    code: Code,
    path: str,
    text: str,
    readers: Sequence[tuple[str, PactMessageInteraction]],
) -> Finding:
    names = sorted({name for name, interaction in readers if path in read_paths(interaction)})
    if names:
        return Finding(
            code,
            Severity.WARNING,
            f"{shown}: {text}; read by {', '.join(names)}, whose pact it still satisfies",
            f"{shown} {path}",
            provider.name,
            spec.name,
        )
    return Finding(
        code, Severity.INFO, f"{shown}: {text} (no consumer reads it)", f"{shown} {path}", provider.name, spec.name
    )


def read_paths(interaction: PactMessageInteraction) -> frozenset[str]:
    """The JSON paths of the message a consumer's interaction reads (arrays by their first item: `$.a[0].b`)."""
    paths: set[str] = set()
    for contents in interaction.received:
        pending: list[tuple[str, Any]] = [("$", contents.body)] if contents.has_body else []
        while pending:
            path, value = pending.pop()
            paths.add(path)
            if isinstance(value, dict):
                pending.extend((f"{path}.{key}", item) for key, item in value.items())
            elif isinstance(value, list) and value:
                pending.append((f"{path}[0]", value[0]))
    return frozenset(paths)


def iter_field_changes(
    before: Sequence[RecordedEvent], after: Sequence[RecordedEvent]
) -> Iterator[tuple[Code, str, str]]:
    """Fields every older event may carry that no newer event has (the outermost one of a gone subtree), and
    fields whose kinds in the newer events share none with the older ones (null aside)."""
    old, new = _field_kinds(before), _field_kinds(after)
    for path, kinds in sorted(old.items()):
        if path not in new:
            parent = path.rsplit(".", 1)[0] if "." in path else "$"
            if parent in new or parent == "$":
                yield Code.FIELD_REMOVED, path, f"{path} is gone"
            continue
        was, now = kinds - {"null"}, new[path] - {"null"}
        if was and now and not was & now:
            yield Code.TYPE_CHANGED, path, f"{path} was {' or '.join(sorted(was))}, is {' or '.join(sorted(now))}"


def _field_kinds(events: Sequence[RecordedEvent]) -> dict[str, set[str]]:
    """JSON path (arrays by `[0]`) -> the kinds of value seen there, over the events' bodies."""
    kinds: dict[str, set[str]] = {}
    for event in events:
        pending: list[tuple[str, Any]] = [("$", event.body)]
        while pending:
            path, value = pending.pop()
            kinds.setdefault(path, set()).add(kind_of(value))
            if isinstance(value, dict):
                pending.extend((f"{path}.{key}", item) for key, item in value.items())
            elif isinstance(value, list):
                pending.extend((f"{path}[0]", item) for item in value)
    return kinds


__all__ = [
    "DRIFT_CHECK",
    "MESSAGE_CHECK",
    "EventStore",
    "grade_drift",
    "iter_field_changes",
    "judge_event",
    "message_of",
    "read_paths",
    "verify_interaction",
    "verify_messages",
]
