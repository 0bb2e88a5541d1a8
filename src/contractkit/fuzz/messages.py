"""Fuzzing the consumer's side: messages the provider may legally send, generated from their description, handed
to the consumer's own handler. A handler that crashes on one is a finding, and the message is kept in the failure
corpus (`fuzz/<provider>.messages.corpus.json`), which is replayed first on the next run.

Messages come from the provider's message document (`openapi.message_document`): schemathesis generates the
request body of `POST /messages/<name>` in its positive mode, which is a message the description allows. Objects
that leave their other fields open are closed for generation (a handler reads fields by name; unnamed extra
fields only slow generation down), and generation stops at the first crash rather than shrinking it.

    run = fuzz_messages(registry, "s3-events", MessageFuzzOptions(max_examples=20, seed=7))
    run.to_report()  # one result per message: passed, or CK812 naming the handler, the exception and the message
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from contractkit.consumer import (
    ContractMessage,
    describe_exception,
    example_of,
    handler_folders,
    import_handler,
    load_contract_file,
)
from contractkit.core.codes import Code
from contractkit.core.errors import ContractKitError, UsageError
from contractkit.core.files import write_text_atomic
from contractkit.core.loading import parse_json_value
from contractkit.core.model import CheckResult, Finding, Provider, Registry, Report, Severity, Status
from contractkit.fuzz.model import DEFAULT_MAX_EXAMPLES
from contractkit.openapi import message_document, message_path

MESSAGE_FUZZ_CHECK = "fuzz-messages"
CORPUS_VERSION = 1
_DATA_KEYWORDS = frozenset({"enum", "const", "examples", "example", "default"})

Handler = Callable[[Any, Mapping[str, Any]], Any]


class MessageCorpusError(ContractKitError):
    """The message failure corpus cannot be read."""


@dataclass(frozen=True, slots=True)
class MessageFuzzOptions:
    """How much to generate, from which seed, and where the failure corpus lives (None: next to the registry)."""

    max_examples: int | None = None
    seed: int | None = None
    corpus_path: Path | None = None
    use_corpus: bool = True
    update_corpus: bool = True
    handler: str | None = None  # module:function instead of the contract's handlers


@dataclass(frozen=True, slots=True)
class MessageCrash:
    """A message the handler crashed on, and how."""

    message: str
    handler: str
    error: str
    body: Any
    metadata: Mapping[str, Any] = field(default_factory=dict)
    source: str = "fuzz"  # fuzz | corpus

    def to_dict(self) -> dict[str, Any]:
        """The crash as a corpus entry."""
        return {
            "message": self.message,
            "handler": self.handler,
            "error": self.error,
            "body": self.body,
            "metadata": dict(self.metadata),
        }


@dataclass(frozen=True, slots=True)
class MessageFuzzRun:
    """One run: per message, how many messages were delivered and the crashes found."""

    provider: str
    seed: int
    examples: Mapping[str, int]
    crashes: tuple[MessageCrash, ...]
    corpus_path: Path | None = None
    duration: float = 0.0

    def to_report(self) -> Report:
        """One result per message fuzzed; a crash is a CK812 finding naming the handler and the corpus."""
        results = []
        for name, count in self.examples.items():
            found = [crash for crash in self.crashes if crash.message == name]
            findings = tuple(self._finding(crash) for crash in found)
            results.append(
                CheckResult(
                    MESSAGE_FUZZ_CHECK,
                    self.provider,
                    name,
                    f"{count} generated message(s)",
                    Status.FAILED if found else Status.PASSED,
                    "; ".join(finding.message for finding in findings) or f"{count} legal message(s) handled",
                    findings=findings,
                )
            )
        title = f"contracts fuzz --messages: {self.provider} (seed {self.seed}, {len(self.crashes)} crash(es))"
        return Report(title, tuple(results), self.duration)

    def _finding(self, crash: MessageCrash) -> Finding:
        where = f" (kept in {self.corpus_path})" if self.corpus_path is not None and crash.source == "fuzz" else ""
        text = json.dumps(crash.body, ensure_ascii=False)
        shown = text if len(text) <= 300 else text[:297] + "..."
        return Finding(
            Code.MESSAGE_HANDLER_CRASH,
            Severity.ERROR,
            f"{crash.handler} crashes on a {crash.message} message the description allows: {crash.error}; "
            f"the message{where}: {shown}",
            str(self.corpus_path or ""),
            self.provider,
            crash.message,
        )


def fuzz_messages(registry: Registry, provider_name: str, options: MessageFuzzOptions | None = None) -> MessageFuzzRun:
    """Generate legal messages of every message the provider's contract hands to a handler, and deliver them;
    the failure corpus is replayed first, and new crashes are added to it."""
    options = options or MessageFuzzOptions()
    provider = registry.provider(provider_name)
    if not provider.messages:
        raise UsageError(f"provider {provider.name!r} declares no messages to fuzz")
    started = time.perf_counter()
    settings = provider.settings.fuzz
    seed = options.seed if options.seed is not None else settings.seed if settings.seed is not None else 0
    max_examples = options.max_examples or settings.max_examples or DEFAULT_MAX_EXAMPLES
    handlers = _handlers(registry, provider, options.handler)
    corpus_path = options.corpus_path or _corpus_path(registry, provider)
    known = load_message_corpus(corpus_path) if options.use_corpus else []
    crashes = _replay(known, handlers)
    document = _closed(message_document({name: provider.messages[name] for name in handlers}))
    examples: dict[str, int] = {}
    for name, (reference, handler, metadata) in handlers.items():
        if any(crash.message == name for crash in crashes):
            examples[name] = 0  # the corpus still reproduces a crash: fix it first
            continue
        count, crash = _generate(document, name, reference, handler, metadata, max_examples, seed)
        examples[name] = count
        crashes += [crash] if crash is not None else []
    new = [crash for crash in crashes if crash.source == "fuzz"]
    if new and options.use_corpus and options.update_corpus:
        save_message_corpus(corpus_path, provider.name, [*known, *new])
    return MessageFuzzRun(
        provider.name,
        seed,
        examples,
        tuple(crashes),
        corpus_path if options.use_corpus else None,
        time.perf_counter() - started,
    )


def _handlers(
    registry: Registry, provider: Provider, override: str | None
) -> dict[str, tuple[str, Handler, Mapping[str, Any]]]:
    """Per registry message: the handler's reference, the handler, and the example metadata it is given."""
    contract = load_contract_file(provider)
    folders = handler_folders(contract, registry.root)
    chosen: dict[str, tuple[str, Handler, Mapping[str, Any]]] = {}
    for message in contract.messages:
        reference = override or message.handler
        if reference is None or message.message in chosen:
            continue
        chosen[message.message] = (reference, import_handler(reference, folders), _metadata(message))
    if not chosen:
        raise UsageError(
            f"{contract.path}: no message names a handler to fuzz",
            hint="add `handler: module:function` to the contract, or pass --handler",
        )
    return chosen


def _metadata(message: ContractMessage) -> dict[str, Any]:
    return {name: example_of(value) for name, value in message.metadata.items()}


def _generate(
    document: Mapping[str, Any],
    name: str,
    reference: str,
    handler: Handler,
    metadata: Mapping[str, Any],
    max_examples: int,
    seed: int,
) -> tuple[int, MessageCrash | None]:
    """Deliver up to `max_examples` generated messages; the first crash stops the generation."""
    import hypothesis
    import schemathesis
    from hypothesis import HealthCheck, Phase, given
    from schemathesis.generation import GenerationMode

    schema = schemathesis.openapi.from_dict(dict(document))
    operation = schema[message_path(name)]["POST"]
    strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
    delivered: list[int] = [0]
    found: list[MessageCrash] = []

    @hypothesis.seed(seed)
    @hypothesis.settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=strategy)
    def deliver(case: Any) -> None:
        body = parse_json_value(json.dumps(case.body))  # plain JSON values, as a transport hands them over
        delivered[0] += 1
        try:
            handler(body, dict(metadata))
        except Exception as exc:  # noqa: BLE001 - any exception of the handler is the finding
            found.append(MessageCrash(name, reference, describe_exception(exc), body, dict(metadata)))
            raise

    try:
        deliver()
    except Exception:  # noqa: BLE001 - hypothesis re-raises the handler's exception; it is kept in `found`
        if not found:
            raise
    return delivered[0], (found[-1] if found else None)


def _replay(
    cases: Sequence[MessageCrash], handlers: Mapping[str, tuple[str, Handler, Mapping[str, Any]]]
) -> list[MessageCrash]:
    """The corpus's messages delivered again: those that still crash their handler."""
    still = []
    for case in cases:
        if case.message not in handlers:
            continue
        reference, handler, _ = handlers[case.message]
        try:
            handler(case.body, dict(case.metadata))
        except Exception as exc:  # noqa: BLE001
            still.append(
                MessageCrash(case.message, reference, describe_exception(exc), case.body, case.metadata, "corpus")
            )
    return still


def _closed(node: Any) -> Any:
    """A copy of a document whose objects with named properties and no word on others refuse others."""
    if isinstance(node, list):
        return [_closed(item) for item in node]
    if not isinstance(node, Mapping):
        return node
    out = {key: value if key in _DATA_KEYWORDS else _closed(value) for key, value in node.items()}
    if isinstance(node.get("properties"), Mapping) and "additionalProperties" not in node:
        out["additionalProperties"] = False
    return out


def _corpus_path(registry: Registry, provider: Provider) -> Path:
    configured = provider.settings.fuzz.corpus
    if configured is not None:
        return configured.with_name(configured.stem + ".messages.json")
    return registry.root / f"fuzz/{provider.name}.messages.corpus.json"


def load_message_corpus(path: Path) -> list[MessageCrash]:
    """The messages a handler crashed on before ([] when there is no corpus yet)."""
    if not path.is_file():
        return []
    try:
        data = parse_json_value(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MessageCorpusError(f"cannot read the message failure corpus ({exc})", file=str(path)) from exc
    cases = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(cases, list):
        raise MessageCorpusError("expected a mapping with a 'cases' list", file=str(path), key_path=("cases",))
    out = []
    for index, case in enumerate(cases):
        if not isinstance(case, dict) or not isinstance(case.get("message"), str) or "body" not in case:
            raise MessageCorpusError(
                "expected a case with 'message' and 'body'", file=str(path), key_path=("cases", index)
            )
        out.append(
            MessageCrash(
                case["message"],
                str(case.get("handler", "")),
                str(case.get("error", "")),
                case["body"],
                dict(case["metadata"]) if isinstance(case.get("metadata"), dict) else {},
                "corpus",
            )
        )
    return out


def save_message_corpus(path: Path, provider: str, cases: Sequence[MessageCrash]) -> Path:
    """Write the corpus atomically, one entry per distinct message."""
    unique: dict[str, dict[str, Any]] = {}
    for case in cases:
        entry = case.to_dict()
        unique.setdefault(json.dumps([entry["message"], entry["body"]], sort_keys=True), entry)
    data = {"version": CORPUS_VERSION, "provider": provider, "cases": list(unique.values())}
    write_text_atomic(path, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return path


__all__ = [
    "MESSAGE_FUZZ_CHECK",
    "MessageCorpusError",
    "MessageCrash",
    "MessageFuzzOptions",
    "MessageFuzzRun",
    "fuzz_messages",
    "load_message_corpus",
    "save_message_corpus",
]
