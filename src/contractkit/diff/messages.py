"""Message descriptions in the gate: the JSON Schemas and AsyncAPI documents of the registry's messages, compared
between a git ref and the working tree, and graded by the fields consumers' message pacts read.

A provider's messages are compared as one OpenAPI document each side (`openapi.message_document`: a message is
what `POST /messages/<name>` answers), so the diff's rules find the changes and the compatibility engine judges
every consumer's message interaction against the old and the new description (`compat.message_calls`,
`compare_calls`): a field a handler reads that the new schema removes, retypes or makes nullable breaks that
consumer, and the change blocks naming it (`diff.verdicts`), whatever its rule's level. A change no consumer's
message reads is graded by `gate.unused_breaking`, as for HTTP.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from contractkit.compat import CompatibilityDelta, compare_calls, is_related, message_calls
from contractkit.core.model import Finding, MessageSpec, Provider, Registry, Severity
from contractkit.diff.compare import diff_documents
from contractkit.diff.model import Change, DiffOptions
from contractkit.diff.sources import parse_description, read_git_file
from contractkit.diff.verdicts import Judged, judge_changes
from contractkit.openapi import (
    SOURCES_KEY,
    load_message_description,
    message_document,
    message_payload,
    schema_source,
)
from contractkit.pact import InteractionUsage, Observation, consumer_pact_folders, iter_pact_files, load_pact
from contractkit.validation import SpecValidator

__all__ = ["MessageChange", "MessageDiff", "diff_messages", "location_path"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SOURCES = f"#/{SOURCES_KEY}/"  # where the message document keeps each message's own file


@dataclass(frozen=True, slots=True)
class MessageChange:
    """One change of a message's description, in the file it was found in, with its verdict."""

    provider: str
    file: str
    judged: Judged


@dataclass(frozen=True, slots=True)
class MessageDiff:
    """What the gate found in the registry's message descriptions since a ref."""

    compared: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    changes: tuple[MessageChange, ...] = ()
    findings: tuple[tuple[str, Finding], ...] = ()  # breaks no change explains: they block all the same


def diff_messages(
    registry: Registry, base: str, *, shown: Any = str, options: DiffOptions | None = None, unused: str = "warn"
) -> MessageDiff:
    """Every message description changed since `base`, its changes judged by every consumer's message pacts.
    `shown` turns a path into the form reports give (relative to the repository)."""
    pacts = [load_pact(path) for path in iter_pact_files(consumer_pact_folders(registry))]
    known = tuple(registry.providers)
    compared: list[str] = []
    notes: list[str] = []
    changes: list[MessageChange] = []
    findings: list[tuple[str, Finding]] = []
    for provider in registry.providers.values():
        if not provider.messages:
            continue
        old, files, new_notes = _old_descriptions(registry, provider, base, shown)
        notes += new_notes
        calls = message_calls(provider, pacts, known)
        if not old:  # unchanged: every consumer's message pact judged against the description as it stands
            findings += [(provider.name, found.finding()) for found in _current(provider, calls).breaks]
            continue
        compared += sorted(set(files.values()))
        found, unexplained = _judge_provider(provider, old, files, calls, options, unused)
        changes += found
        findings += [(provider.name, item.finding(severity=Severity.ERROR, note="breaks it")) for item in unexplained]
    return MessageDiff(tuple(dict.fromkeys(compared)), tuple(notes), tuple(changes), tuple(findings))


def _current(provider: Provider, calls: Sequence[InteractionUsage]) -> CompatibilityDelta:
    title = f"{provider.name} messages"
    document = message_document(provider.messages, title=title, request_bodies=False)
    return compare_calls(calls, None, SpecValidator(document, source=title))


def _old_descriptions(
    registry: Registry, provider: Provider, base: str, shown: Any
) -> tuple[dict[Path, Any], dict[str, str], list[str]]:
    """The message description files changed since `base`, parsed as they were there; each message's file."""
    old: dict[Path, Any] = {}
    files: dict[str, str] = {}
    notes: list[str] = []
    for name, spec in provider.messages.items():
        source = schema_source(spec)
        if source is None or not source.is_file():
            continue
        files[name] = shown(source)
        if source in old:
            continue
        old_text = read_git_file(base, _relative(source, registry.root), cwd=registry.root)
        if old_text is None:
            notes.append(f"{files[name]} is new since {base}: nothing to compare")
        elif old_text != source.read_text(encoding="utf-8"):
            old[source] = parse_description(old_text, f"{base}:{files[name]}")
    return old, {name: file for name, file in files.items() if schema_source(provider.messages[name]) in old}, notes


def _judge_provider(
    provider: Provider,
    old: Mapping[Path, Any],
    files: Mapping[str, str],
    calls: Sequence[InteractionUsage],
    options: DiffOptions | None,
    unused: str,
) -> tuple[list[MessageChange], list[Any]]:
    def old_loader(spec: MessageSpec) -> tuple[Mapping[str, Any], Any]:
        source = schema_source(spec)
        if source is None or source not in old:
            return load_message_description(spec)
        document = old[source]
        if spec.schema is not None or spec.message is None:
            return document, document
        return document, message_payload(document, spec.message)

    title = f"{provider.name} messages"
    before = message_document(provider.messages, old_loader, title=title, request_bodies=False)
    after = message_document(provider.messages, title=title, request_bodies=False)
    result = diff_documents(before, after, old_name="base", new_name="working tree", options=options or DiffOptions())
    changed = [change for change in result.changes if change.path.rsplit("/", 1)[-1] in files]
    delta = compare_calls(calls, SpecValidator(before, source=title), SpecValidator(after, source=title))
    judged, unexplained = judge_changes(changed, delta, lambda change: list(_observations(change, calls)), unused)
    found = []
    for item in judged:
        name = item.change.path.rsplit("/", 1)[-1]
        found.append(MessageChange(provider.name, files[name], _in_message_words(item, name)))
    return found, unexplained


def _in_message_words(judged: Judged, name: str) -> Judged:
    """The change as the message's description names it: `message push`, at a pointer into the schema file or
    the AsyncAPI document (`#/properties/after`) rather than into the message document."""
    change = judged.change
    location = change.location
    if change.origin.startswith(_SOURCES):
        location = "#/" + change.origin[len(_SOURCES) :].partition("/")[2]
    return replace(judged, change=replace(change, method="", path=f"message {name}", location=location, origin=""))


def location_path(change: Change) -> str:
    """The JSON path inside the message a change's location points at: `.../schema/properties/a/items/properties/b`
    -> `$.a[*].b` ('$' when the change is not inside the body's schema)."""
    pointer = change.location.split("/schema", 1)
    if len(pointer) < 2:
        return "$"
    path = "$"
    parts = [part.replace("~1", "/").replace("~0", "~") for part in pointer[1].split("/") if part]
    index = 0
    while index < len(parts):
        if parts[index] in ("properties", "patternProperties") and index + 1 < len(parts):
            path += f".{parts[index + 1]}"
            index += 2
            continue
        if parts[index] in ("items", "additionalItems", "prefixItems"):
            path += "[*]"
        index += 1
    return path


def _observations(change: Change, calls: Sequence[InteractionUsage]) -> Iterator[Observation]:
    """Who reads what a change touches: every consumer message of the changed message with a field at (or
    inside, or around) the change's JSON path."""
    where = location_path(change)
    for call in calls:
        if call.template != change.path or call.interaction is None:
            continue
        for path in _read_paths(call.interaction.response.body):
            if is_related(where, path):
                yield Observation(call.consumer, call.provider, call.operation, call.description, path, f"reads {path}")
                break


def _read_paths(body: Any, path: str = "$") -> Iterator[str]:
    """Every JSON path a message body gives, arrays as `[*]` (what the consumer's pact says it reads)."""
    if isinstance(body, Mapping):
        for key, value in body.items():
            child = f"{path}.{key}" if _NAME.match(str(key)) else f"{path}['{key}']"
            yield child
            yield from _read_paths(value, child)
    elif isinstance(body, list):
        for value in body[:1]:
            yield f"{path}[*]"
            yield from _read_paths(value, f"{path}[*]")


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
