"""Consumers' message interactions judged by the one compatibility engine.

A message a consumer receives is what it reads, as a response is: each message interaction of a pact becomes an
HTTP interaction of the provider's message document (`openapi/message_documents.py`), answering
`POST /messages/<name>` with the message's body and its matching rules, and is judged by `judge_interaction`.
`compare_calls` then finds the consumers a new version of a message's description breaks, as for HTTP.

Which registry message a pact's message is: the name our consumer run keeps in its comments; for a pact written
elsewhere, the registry message whose event a metadata value names (`X-GitHub-Event: push`, `eventName`), or
the provider's only message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from contractkit.compat.judge import Incompatibility, judge_interaction
from contractkit.core.model import MessageSpec, Provider
from contractkit.openapi import MESSAGE_MEDIA, MESSAGE_STATUS, message_path
from contractkit.pact import (
    InteractionUsage,
    MessageContents,
    Pact,
    PactInteraction,
    PactMessageInteraction,
    PactRequest,
    PactResponse,
    consumer_of,
    is_pact_of,
)
from contractkit.validation import SpecValidator

__all__ = ["message_calls", "message_interaction", "message_name", "judge_message"]


def message_name(message: PactMessageInteraction, messages: Mapping[str, MessageSpec]) -> str | None:
    """The registry message a pact's message interaction is (None when nothing tells)."""
    if message.message in messages:
        return message.message
    values = {str(value) for contents in message.received for value in contents.metadata.values()}
    named = [name for name, spec in messages.items() if spec.event in values or name in values]
    if len(named) == 1:
        return named[0]
    return next(iter(messages)) if len(messages) == 1 else None


def message_interaction(message: PactMessageInteraction, name: str, contents: MessageContents) -> PactInteraction:
    """One received message as the HTTP interaction the message document judges: its body is the response's."""
    request = PactRequest(method="POST", path=message_path(name), query={}, headers={})
    response = PactResponse(
        status=MESSAGE_STATUS,
        headers={"Content-Type": (contents.content_type or MESSAGE_MEDIA,)},
        body=contents.body,
        has_body=contents.has_body,
        content_type=contents.content_type or MESSAGE_MEDIA,
        rules={"body": dict(contents.body_rules)} if contents.body_rules else {},
    )
    return PactInteraction(message.index, message.description, message.states, request, response, message.comments)


def judge_message(message: PactMessageInteraction, name: str, validator: SpecValidator) -> list[Incompatibility]:
    """Every way a consumer's message interaction would fail against a provider that honours the description."""
    return [
        problem
        for contents in message.received
        for problem in judge_interaction(message_interaction(message, name, contents), validator)
    ]


def message_calls(provider: Provider, pacts: Iterable[Pact], known: Sequence[str] = ()) -> list[InteractionUsage]:
    """Every consumer's message interactions with the provider, as calls `compare_calls` judges (one per message
    received), each named by its consumer and pact."""
    calls: list[InteractionUsage] = []
    for pact in pacts:
        if not pact.messages or not is_pact_of(pact, provider.name, known or (provider.name,)):
            continue
        shown = str(pact.path) if pact.path is not None else f"{pact.consumer}-{pact.provider}"
        for message in pact.messages:
            name = message_name(message, provider.messages)
            if name is None:
                continue
            for contents in message.received:
                interaction = message_interaction(message, name, contents)
                calls.append(
                    InteractionUsage(
                        consumer=consumer_of(pact),
                        provider=provider.name,
                        operation=name,
                        method="POST",
                        template=message_path(name),
                        description=message.description,
                        states=message.state_names,
                        status=MESSAGE_STATUS,
                        sends=(),
                        reads=(),
                        pact=shown,
                        interaction=interaction,
                    )
                )
    return calls
