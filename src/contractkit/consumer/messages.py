"""Message contracts on the consumer's side: each message of a contract file handed to the team's real handler
through pact-python's message consumer API, and V4 pacts with `Asynchronous/Messages` interactions written.

    outcome = handle_message("devctl", provider, message, handler)
    outcome.findings   # the handler raised, or read a field the contract's message does not give (named)
    outcome.fragments  # the V4 pact of this one message, merged into pacts/<consumer>-<provider>.json later

The handler is called as `handler(body, metadata)`: the parsed JSON body and the metadata (headers, message
attributes). Both are watched while the handler runs: reading a field the message does not give (`body["x"]`,
`body.get("x")`, an index past the end of a list) is a finding naming the field's JSON path, so a handler cannot
depend on what its contract never promised. The message the pact holds is also judged against the message's
description (the registry's JSON Schema or AsyncAPI message) by the compatibility engine, matchers and all.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from contractkit.compat import judge_message
from contractkit.consumer.contractfile import ContractFile, child_path, load_contract_file, to_pact_value
from contractkit.consumer.messagefile import ContractMessage
from contractkit.core.codes import Code
from contractkit.core.errors import UsageError
from contractkit.core.loading import parse_json_value
from contractkit.core.model import CheckResult, Finding, MessageSpec, Provider, Severity, Status
from contractkit.openapi import message_document, schema_source
from contractkit.pact import ASYNC_MESSAGE, parse_pact
from contractkit.validation import SpecValidator

if TYPE_CHECKING:
    from pact import Pact

MESSAGE_CHECK = "consumer-message"
MESSAGE_COMMENT = "message"
MESSAGE_MEDIA = "application/json"
Handler = Callable[[Any, Mapping[str, Any]], Any]


class FieldNotGiven(KeyError):
    """The handler read a field the contract's message does not give."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path

    def __str__(self) -> str:
        return f"the contract's message does not give {self.path}"


@dataclass
class ReadLog:
    """What a handler read of one message: the paths it found, and those the message does not give."""

    read: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def found(self, path: str) -> None:
        """Note a field read that the message gives."""
        if path not in self.read:
            self.read.append(path)

    def absent(self, path: str) -> None:
        """Note a field read that the message does not give."""
        if path not in self.missing:
            self.missing.append(path)


class WatchedDict(dict):  # type: ignore[type-arg]
    """A JSON object that notes every field read of it: a missing one raises FieldNotGiven (or, through `get`, is
    noted and answered with the default)."""

    __slots__ = ("_path", "_log")

    def __init__(self, items: Mapping[str, Any], path: str, log: ReadLog) -> None:
        super().__init__(items)
        self._path = path
        self._log = log

    def __getitem__(self, key: Any) -> Any:
        path = child_path(self._path, key) if isinstance(key, (str, int)) else f"{self._path}[{key!r}]"
        if not dict.__contains__(self, key):
            self._log.absent(path)
            raise FieldNotGiven(path)
        self._log.found(path)
        return dict.__getitem__(self, key)

    def get(self, key: Any, default: Any = None) -> Any:
        """The field's value; a field the message does not give is noted, and `default` answered."""
        try:
            return self[key]
        except FieldNotGiven:
            return default


class WatchedList(list):  # type: ignore[type-arg]
    """A JSON array that names the index read past its end."""

    __slots__ = ("_path", "_log")

    def __init__(self, items: Iterable[Any], path: str, log: ReadLog) -> None:
        super().__init__(items)
        self._path = path
        self._log = log

    def __getitem__(self, index: Any) -> Any:
        try:
            return list.__getitem__(self, index)
        except IndexError:
            path = f"{self._path}[{index}]"
            self._log.absent(path)
            raise FieldNotGiven(path) from None


def watch(value: Any, path: str, log: ReadLog) -> Any:
    """The value with every object and array inside it watched (paths from `path`, such as `$`)."""
    if isinstance(value, dict):
        return WatchedDict({key: watch(item, child_path(path, key), log) for key, item in value.items()}, path, log)
    if isinstance(value, list):
        return WatchedList((watch(item, f"{path}[{index}]", log) for index, item in enumerate(value)), path, log)
    return value


@dataclass(frozen=True, slots=True)
class HandledMessage:
    """One message handed to the consumer's handler: what went wrong (named), what it read, and its pact."""

    message: ContractMessage
    findings: tuple[Finding, ...] = ()
    reads: tuple[str, ...] = ()
    fragments: tuple[dict[str, Any], ...] = ()
    duration: float = 0.0

    @property
    def passed(self) -> bool:
        """True when no finding is an error."""
        return not any(finding.severity is Severity.ERROR for finding in self.findings)

    def to_result(self) -> CheckResult:
        """The outcome as a check result of the consumer run."""
        return CheckResult(
            check=MESSAGE_CHECK,
            provider=self.message.provider,
            operation=self.message.message,
            interaction=self.message.description,
            status=Status.PASSED if self.passed else Status.FAILED,
            message="; ".join(finding.message for finding in self.findings),
            duration=self.duration,
            findings=self.findings,
        )


def build_message_pact(
    consumer: str, provider: str, messages: Sequence[ContractMessage]
) -> tuple[Pact, dict[str, dict[str, bool]]]:
    """A V4 pact holding each message as an `Asynchronous/Messages` interaction (pact-python's message API), the
    registry's message name kept in its comments; and the `$null_or` paths of each message's body by description."""
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    from pact import Pact

    pact = Pact(consumer, provider).with_specification("V4")
    null_paths: dict[str, dict[str, bool]] = {}
    for message in messages:
        interaction = pact.upon_receiving(message.description, "Async")
        for state in message.states:
            interaction.given(state.name, dict(state.params)) if state.params else interaction.given(state.name)
        paths = null_paths.setdefault(message.description, {})
        interaction.with_body(json.dumps(to_pact_value(message.contents, "$", paths), cls=_encoder()), MESSAGE_MEDIA)
        if message.metadata:
            interaction.with_metadata({name: to_pact_value(value, "$", {}) for name, value in message.metadata.items()})
        interaction.set_comment(MESSAGE_COMMENT, message.message)
    return pact, null_paths


def _encoder() -> type[json.JSONEncoder]:
    from pact.match.matcher import IntegrationJSONEncoder

    return IntegrationJSONEncoder


def handle_message(
    consumer: str,
    provider: Provider,
    message: ContractMessage,
    handler: Handler | None,
    validators: dict[str, SpecValidator] | None = None,
) -> HandledMessage:
    """Hand one message to the handler through pact-python's message consumer (`Pact.verify(handler, "Async")`);
    its pact fragment is kept only when the handler and the example both hold."""
    started = time.perf_counter()
    pact, null_paths = build_message_pact(consumer, provider.name, [message])
    fragments = pact_fragments(pact, null_paths)
    validator = message_validator(provider, validators)
    findings = [
        found for fragment in fragments for found in iter_example_findings(provider, message, fragment, validator)
    ]
    log = ReadLog()
    if handler is not None:
        errors = pact.verify(_watched(handler, log), "Async", raises=False)
        findings += _handler_findings(provider, message, log, [error.error for error in errors])
    passed = not any(finding.severity is Severity.ERROR for finding in findings)
    return HandledMessage(
        message, tuple(findings), tuple(log.read), tuple(fragments) if passed else (), time.perf_counter() - started
    )


def _watched(handler: Handler, log: ReadLog) -> Callable[[Any, dict[str, object]], None]:
    """pact-python's message callback: the body parsed and watched, then the team's handler."""

    def deliver(body: Any, metadata: dict[str, object]) -> None:
        handler(watch(_parsed(body), "$", log), watch(dict(metadata), "metadata", log))

    return deliver


def _parsed(body: Any) -> Any:
    text = body.decode("utf-8") if isinstance(body, bytes) else str(body) if body is not None else None
    if text is None:
        return None
    try:
        return parse_json_value(text)
    except ValueError:
        return text


def _handler_findings(
    provider: Provider, message: ContractMessage, log: ReadLog, errors: Sequence[BaseException]
) -> list[Finding]:
    where = f"{message.file}:{message.line}" if message.line else message.file
    findings = [
        Finding(
            Code.MESSAGE_FIELD_NOT_GIVEN,
            Severity.ERROR,
            f"the handler reads {path}, which the message {message.description!r} does not give: add it to the "
            "message's contents (with $null_or when it may be null), or stop reading it",
            where,
            provider.name,
            message.message,
        )
        for path in log.missing
    ]
    for error in errors:
        if isinstance(error, FieldNotGiven) and error.path in log.missing:
            continue
        findings.append(
            Finding(
                Code.MESSAGE_HANDLER_FAILED,
                Severity.ERROR,
                f"the handler fails on the message {message.description!r}: {describe_exception(error)}",
                where,
                provider.name,
                message.message,
            )
        )
    return findings


def describe_exception(error: BaseException) -> str:
    """`KeyError: 'sender' (webhooks.py:12 in handle)`: the exception and the last place it passed through."""
    frames = traceback.extract_tb(error.__traceback__)
    text = f"{type(error).__name__}: {error}"
    if frames:
        last = frames[-1]
        text += f" ({Path(last.filename).name}:{last.lineno} in {last.name})"
    return text


def message_validator(provider: Provider, cache: dict[str, SpecValidator] | None = None) -> SpecValidator:
    """The validator of the provider's message document (`openapi.message_document`), built once per cache."""
    cache = cache if cache is not None else {}
    found = cache.get(provider.name)
    if found is None:
        document = message_document(provider.messages, title=f"{provider.name} messages", request_bodies=False)
        found = cache[provider.name] = SpecValidator(document, source=f"{provider.name} messages")
    return found


def iter_example_findings(
    provider: Provider, message: ContractMessage, fragment: Mapping[str, Any], validator: SpecValidator
) -> Iterator[Finding]:
    """The compatibility engine's judgement of the message the pact holds against the message's description:
    every field the contract expects must be one the provider may send, of a kind its matcher accepts."""
    where = f"{message.file}:{message.line}" if message.line else message.file
    for written in parse_pact(fragment).messages:
        for problem in judge_message(written, message.message, validator):
            if problem.direction != "response":
                continue
            yield Finding(
                Code.SCHEMA_VIOLATION if problem.severity is Severity.ERROR else problem.code,
                problem.severity,
                f"the message's contents at {problem.location}: {problem.reason} "
                f"({description_name(provider.message_spec(message.message))})",
                where,
                provider.name,
                message.message,
            )


def description_name(spec: MessageSpec) -> str:
    """The file a message is described in, by name (`push.schema.json`)."""
    source = schema_source(spec)
    return source.name if source is not None else f"message {spec.name}"


def pact_fragments(pact: Pact, null_paths: Mapping[str, Mapping[str, bool]] | None = None) -> list[dict[str, Any]]:
    """One pact fragment (the pact's header with one message interaction) per message the pact holds; the body rule
    at each `$null_or` path becomes `null OR <the rule>`, as for HTTP responses."""
    with tempfile.TemporaryDirectory(prefix="contractkit-pact-") as folder:
        pact.write_file(folder, overwrite=True)
        (written,) = Path(folder).glob("*.json")
        data = parse_json_value(written.read_text(encoding="utf-8"))
    header = {key: value for key, value in data.items() if key != "interactions"}
    fragments = []
    for item in data["interactions"]:
        if item.get("type") != ASYNC_MESSAGE:
            continue
        _null_or(item, (null_paths or {}).get(str(item.get("description")), {}))
        fragments.append({**header, "interactions": [item]})
    return fragments


def _null_or(interaction: dict[str, Any], paths: Mapping[str, bool]) -> None:
    if not paths:
        return
    rules = interaction.setdefault("matchingRules", {}).setdefault("body", {})
    for path in sorted(paths):
        existing = rules.get(path, {}).get("matchers") or [{"match": "type"}]
        rules[path] = {"combine": "OR", "matchers": [{"match": "null"}, *existing]}
    interaction["matchingRules"]["body"] = dict(sorted(rules.items()))


def import_handler(reference: str, folders: Sequence[Path] = ()) -> Handler:
    """The function `module:function` names, imported with `folders` (then the current folder) on the path."""
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise UsageError(f"a handler is module:function, got {reference!r}")
    for folder in (*map(str, folders), str(Path.cwd())):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UsageError(f"cannot import the handler's module {module_name!r}: {exc}") from exc
    found = getattr(module, attribute, None)
    if not callable(found):
        raise UsageError(f"module {module_name!r} has no function {attribute!r} (the handler {reference})")
    return found  # type: ignore[no-any-return]


def handler_folders(contract: ContractFile, root: Path) -> tuple[Path, ...]:
    """Where a contract's message handlers are imported from: its `handler_path`, then the registry's folder."""
    return (*([contract.handler_path] if contract.handler_path is not None else []), root)


def run_messages(
    consumer: str,
    provider: Provider,
    root: Path,
    validators: dict[str, SpecValidator] | None = None,
    *,
    display: str | None = None,
) -> tuple[list[CheckResult], list[dict[str, Any]]]:
    """Every message of the provider's contract through pact-python's message consumer, each with its handler
    when the contract names one: a result per message and the pact fragments of those that held."""
    contract = load_contract_file(provider, display=display)
    validators = validators if validators is not None else {}
    folders = handler_folders(contract, root)
    results: list[CheckResult] = []
    fragments: list[dict[str, Any]] = []
    for message in contract.messages:
        handler, missing = _importable(message, folders)
        outcome = handle_message(consumer, provider, message, handler, validators)
        if missing is not None:
            outcome = replace(outcome, findings=(*outcome.findings, missing))
        results.append(outcome.to_result())
        fragments += outcome.fragments
    return results, fragments


def _importable(message: ContractMessage, folders: Sequence[Path]) -> tuple[Handler | None, Finding | None]:
    """The message's handler, or a warning when its code is not here (a copy of the contracts without the team's
    code): the message is still checked and written, and `pytest tests/contracts` hands it to the handler."""
    if message.handler is None:
        return None, None
    try:
        return import_handler(message.handler, folders), None
    except UsageError as exc:
        where = f"{message.file}:{message.line}" if message.line else message.file
        text = f"not handed to its handler: {exc.message}; the message was checked against its description only"
        return None, Finding(
            Code.MESSAGE_HANDLER_FAILED, Severity.WARNING, text, where, message.provider, message.message
        )


__all__ = [
    "MESSAGE_CHECK",
    "FieldNotGiven",
    "HandledMessage",
    "Handler",
    "ReadLog",
    "WatchedDict",
    "WatchedList",
    "build_message_pact",
    "describe_exception",
    "handle_message",
    "handler_folders",
    "import_handler",
    "iter_example_findings",
    "message_validator",
    "pact_fragments",
    "run_messages",
    "watch",
]
