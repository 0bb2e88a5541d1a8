"""Recorded events held to their message's description: the JSON Schema the registry names, or the payload of a
message of an AsyncAPI document.

Every event of every event cassette of a provider is checked; a finding names the cassette file, the line, the
event and the JSON path inside its body (`$.Records[0].s3.object.size`)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from contractkit.cassettes import EventCassette, event_cassette_path, iter_event_cassettes, load_event_cassette
from contractkit.core.codes import Code
from contractkit.core.errors import SchemaLoadError
from contractkit.core.limits import MAX_ERRORS_PER_RESPONSE
from contractkit.core.loading import load_json_fast
from contractkit.core.model import CheckResult, Finding, MessageSpec, Provider, Severity, Status
from contractkit.openapi import load_asyncapi, message_payload
from contractkit.validation.schemas import compile_schema, explain_error, json_path

EVENT_CHECK = "event-schema"


@dataclass
class MessageValidators:
    """The compiled validators of one command's message descriptions, each built on first use."""

    _compiled: dict[tuple[str, str], Any] = field(default_factory=dict)
    _documents: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def of(self, spec: MessageSpec) -> Any:
        """A jsonschema-rs validator of the message's payload; SchemaLoadError when the description is broken."""
        key = (str(spec.schema or spec.asyncapi), spec.message or "")
        with self._lock:
            found = self._compiled.get(key)
            if found is None:
                found = self._compiled[key] = self._compile(spec)
        return found

    def _compile(self, spec: MessageSpec) -> Any:
        if spec.schema is not None:
            document = load_json_fast(spec.schema, SchemaLoadError)
            return compile_schema(document, document, source=str(spec.schema), openapi=False)
        if spec.asyncapi is None or spec.message is None:
            raise SchemaLoadError(f"message {spec.name!r} names neither a schema nor an AsyncAPI message")
        document = self._documents.get(str(spec.asyncapi))
        if document is None:
            document = self._documents[str(spec.asyncapi)] = load_asyncapi(spec.asyncapi)
        payload = message_payload(document, spec.message, display=str(spec.asyncapi))
        return compile_schema(document, payload, source=str(spec.asyncapi), openapi=False)


def description_of(spec: MessageSpec) -> str:
    """The description a message is held to, for messages: `push.schema.json` or `asyncapi.yaml#UserSignedUp`."""
    if spec.schema is not None:
        return spec.schema.name
    return f"{spec.asyncapi.name if spec.asyncapi else '?'}#{spec.message}"


def iter_event_findings(
    provider: Provider, spec: MessageSpec, cassette: EventCassette, validators: MessageValidators, *, shown: str = ""
) -> Iterator[Finding]:
    """CK409 for each place a recorded event's body does not fit the message's description."""
    validator = validators.of(spec)
    shown = shown or str(cassette.path)
    for index, event in enumerate(cassette.events):
        if validator.is_valid(event.body):
            continue
        for number, error in enumerate(_specific(validator.iter_errors(event.body))):
            if number >= MAX_ERRORS_PER_RESPONSE:
                break
            parts = tuple(error.instance_path)
            line = cassette.line_of(("events", index, "body", *parts))
            where = f"{shown}:{line}" if line else shown
            path = json_path(parts)
            yield Finding(
                Code.EVENT_SCHEMA,
                Severity.ERROR,
                f"{where}: events[{index}].body {path}: {_reason(error)} ({description_of(spec)})",
                f"{shown} {path}",
                provider.name,
                spec.name,
            )


def _specific(errors: Iterator[Any]) -> Iterator[Any]:
    """Errors with an `anyOf`/`oneOf` failure replaced by the errors of its closest branch (the fewest errors, then
    the deepest), when they point deeper
    (`$.Records[0].s3.object.size: expected integer` rather than `$.Records[0].s3.object: not valid under anyOf`)."""
    for error in errors:
        yield from _closest_branch(error, 0)


def _reason(error: Any) -> str:
    """Why a value fails; an `anyOf` of types says which types it allows (`expected number or null, got string`)."""
    branches = [list(branch) for branch in (getattr(error.kind, "context", None) or [])]
    types = [
        kind
        for branch in branches
        for item in branch
        if item.kind.name == "type" and list(item.instance_path) == list(error.instance_path)
        for kind in item.kind.types
    ]
    if branches and len(types) == sum(len(branch) for branch in branches):
        found = error.instance
        return f"expected {' or '.join(dict.fromkeys(types))}, got {_json_kind(found)} {json.dumps(found)[:80]}"
    return explain_error(error)


def _json_kind(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "boolean" if isinstance(value, bool) else "null"
    names = {int: "integer", float: "number", str: "string", list: "array", dict: "object"}
    return names.get(type(value), type(value).__name__)


def _closest_branch(error: Any, depth: int) -> Iterator[Any]:
    branches = [list(branch) for branch in (getattr(error.kind, "context", None) or []) if branch]
    if not branches or depth > 16:
        yield error
        return
    best = min(branches, key=lambda branch: (len(branch), -max(len(item.instance_path) for item in branch)))
    if max(len(item.instance_path) for item in best) <= len(error.instance_path):
        yield error
        return
    for item in best:
        yield from _closest_branch(item, depth + 1)


def validate_event_cassettes(
    provider: Provider, validators: MessageValidators | None = None, *, relative: Any = None
) -> list[CheckResult]:
    """One result per event cassette of the provider: every recorded event against its message's description.

    A cassette naming a message the registry lacks fails; `relative` turns a path into what the user wrote."""
    validators = validators if validators is not None else MessageValidators()
    results: list[CheckResult] = []
    if provider.cassettes is None:
        return results
    for path in iter_event_cassettes(provider.cassettes):
        shown = relative(path) if relative else str(path)
        results.append(_cassette_result(provider, path, shown, validators))
    return results


def _cassette_result(provider: Provider, path: Path, shown: str, validators: MessageValidators) -> CheckResult:
    started = time.perf_counter()
    cassette = load_event_cassette(path)
    spec = provider.messages.get(cassette.message)
    common: Mapping[str, Any] = {"check": EVENT_CHECK, "provider": provider.name, "operation": cassette.message}
    if spec is None:
        known = ", ".join(sorted(provider.messages)) or "none"
        finding = Finding(
            Code.UNKNOWN_OPERATION,
            Severity.ERROR,
            f"{shown}: names the message {cassette.message!r}, which provider {provider.name!r} does not register "
            f"(known: {known})",
            shown,
            provider.name,
            cassette.message,
        )
        return CheckResult(
            **common,
            interaction=shown,
            status=Status.FAILED,
            message=finding.message,
            findings=(finding,),
            details={"cassette": shown},
        )
    findings = tuple(iter_event_findings(provider, spec, cassette, validators, shown=shown))
    status = Status.FAILED if findings else Status.PASSED
    message = findings[0].message if findings else f"{len(cassette.events)} events fit {description_of(spec)}"
    return CheckResult(
        **common,
        interaction=shown,
        status=status,
        message=message,
        duration=time.perf_counter() - started,
        findings=findings,
        details={"events": len(cassette.events), "cassette": shown},
    )


def load_message_events(provider: Provider, spec: MessageSpec) -> EventCassette | None:
    """The recorded events of a message, None when none were recorded."""
    if provider.cassettes is None:
        return None
    path = event_cassette_path(provider.cassettes, spec.name)
    if not path.exists():
        return None
    return load_event_cassette(path)


__all__ = [
    "EVENT_CHECK",
    "MessageValidators",
    "description_of",
    "iter_event_findings",
    "load_message_events",
    "validate_event_cassettes",
]
