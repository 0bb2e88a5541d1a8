"""Live message verification: every consumer's message interactions with a provider verified against the
provider's own producer function, through pact-python's message verification (the Pact core's Verifier with
`message_handler`), as `contracts verify --provider P --message-handler module:function` runs it.

The producer is called as `produce(name, metadata)`: `name` is the interaction's description, `metadata` holds its
`providerStates`. It returns the message: pact-python's `Message` mapping (`contents` as bytes, `metadata`,
`content_type`), bytes, or any JSON value (sent as `application/json`). The Pact core then matches the message
against the interaction's contents, metadata and matching rules exactly as any Pact implementation does.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Mapping

from contractkit.consumer import import_handler
from contractkit.core.codes import Code
from contractkit.core.files import write_text_atomic
from contractkit.core.loading import parse_json_value
from contractkit.core.model import CheckResult, Finding, Provider, Registry, Report, Severity, Status
from contractkit.pact import Pact, consumer_of, consumer_pact_folders, is_pact_of, iter_pact_files, load_pact

MESSAGE_VERIFY_CHECK = "pact-message"
_MESSAGE_TYPES = ("Asynchronous/Messages", "Synchronous/Messages")

Producer = Callable[..., Any]  # produce(name, metadata) -> the message


def verify_message_producer(registry: Registry, provider: Provider, reference: str) -> Report:
    """Every consumer's message pact with the provider verified against the producer `module:function`."""
    started = time.perf_counter()
    producer = import_handler(reference, (registry.root,))
    results: list[CheckResult] = []
    known = tuple(registry.providers)
    for path in iter_pact_files(consumer_pact_folders(registry)):
        pact = load_pact(path)
        if pact.messages and is_pact_of(pact, provider.name, known):
            results += verify_pact_messages(provider, pact, producer, reference)
    if not results:
        results.append(
            CheckResult(
                MESSAGE_VERIFY_CHECK,
                provider.name,
                "",
                "",
                Status.SKIPPED,
                f"no consumer's pact holds a message interaction with {provider.name}",
            )
        )
    title = f"message verification of {provider.name} against {reference}"
    return Report(title, tuple(results), time.perf_counter() - started)


def verify_pact_messages(provider: Provider, pact: Pact, producer: Producer, reference: str) -> list[CheckResult]:
    """One pact's message interactions through pact-python's Verifier; a result per interaction."""
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    from pact import Verifier

    shown = str(pact.path) if pact.path is not None else pact.consumer
    with tempfile.TemporaryDirectory(prefix="contractkit-messages-") as folder:
        source = Path(folder) / "pact.json"
        write_text_atomic(source, json.dumps(_messages_only(pact.raw)))
        verifier = Verifier(provider.name, host="127.0.0.1").message_handler(_as_producer(producer))
        verifier.add_source(str(source))
        problem = ""
        try:
            verifier.verify()
        except Exception as exc:  # noqa: BLE001 - a failed verification raises; its verdicts are in the results
            problem = str(exc)
        outcome = verifier.results
    data = parse_json_value(outcome) if isinstance(outcome, str) else outcome
    results = [_result(provider, pact, shown, item, reference) for item in data.get("interactionResults", [])]
    if problem and not results:  # the core could not verify anything (the producer failed, a bad pact)
        finding = Finding(Code.NOT_VERIFIED, Severity.ERROR, f"not verified: {problem}", shown, provider.name)
        results.append(
            CheckResult(
                MESSAGE_VERIFY_CHECK, provider.name, "", shown, Status.FAILED, finding.message, findings=(finding,)
            )
        )
    return results


def _messages_only(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The pact with its HTTP interactions left out: this verification has no HTTP provider to send them to."""
    data = dict(raw)
    if isinstance(data.get("interactions"), list):
        data["interactions"] = [
            item for item in data["interactions"] if isinstance(item, Mapping) and item.get("type") in _MESSAGE_TYPES
        ]
    return data


def _as_producer(producer: Producer) -> Any:  # pact-python's MessageProducer callback
    def produce(name: str, metadata: dict[str, Any] | None) -> dict[str, Any]:
        return as_message(producer(name, metadata))

    return produce


def as_message(value: Any) -> dict[str, Any]:
    """What a producer returned, as pact-python's Message: a Message mapping kept (its contents made bytes),
    bytes sent as they are, any other value as JSON."""
    if isinstance(value, Mapping) and "contents" in value:
        contents = value["contents"]
        return {
            "contents": contents if isinstance(contents, bytes) else _json_bytes(contents),
            "metadata": dict(value.get("metadata") or {}),
            "content_type": value.get("content_type") or "application/json",
        }
    if isinstance(value, bytes):
        return {"contents": value, "metadata": None, "content_type": None}
    return {"contents": _json_bytes(value), "metadata": None, "content_type": "application/json"}


def _json_bytes(value: Any) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else json.dumps(value).encode("utf-8")


def _mismatch(found: Mapping[str, Any]) -> str:
    """`$.after: Expected '42' to match ...` (body), `metadata X-GitHub-Event: ...` (metadata)."""
    where = found.get("path") or (f"metadata {found['key']}" if found.get("key") else "")
    text = str(found.get("mismatch", found))
    return f"{where}: {text}" if where else text


def _result(provider: Provider, pact: Pact, shown: str, item: Mapping[str, Any], reference: str) -> CheckResult:
    consumer = consumer_of(pact)
    description = str(item.get("description", ""))
    passed = item.get("result") == "OK"
    problems = [_mismatch(found) for found in (item.get("mismatch") or {}).get("mismatches", [])]
    if not passed and not problems:
        problems = [str(item.get("error") or item.get("mismatch") or "the Pact core could not verify it")]
    findings = tuple(
        Finding(
            Code.PACT_MISMATCH,
            Severity.ERROR,
            f"{reference}'s message for {description!r} does not match {consumer}'s pact: {problem}",
            shown,
            provider.name,
        )
        for problem in problems
    )
    return CheckResult(
        MESSAGE_VERIFY_CHECK,
        provider.name,
        "",
        f"{consumer}: {description}",
        Status.PASSED if passed else Status.FAILED,
        "; ".join(finding.message for finding in findings),
        findings=findings,
        details={"pact": shown, "consumer": consumer},
    )


__all__ = ["MESSAGE_VERIFY_CHECK", "as_message", "verify_message_producer", "verify_pact_messages"]
