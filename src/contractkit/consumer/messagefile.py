"""The `messages:` part of a contract file: the events and webhooks a consumer's handler receives from a provider.

    provider: github-webhooks
    handler: devctl.webhooks:handle        # the default handler of every message (module:function)
    handler_path: ../tests/contracts       # where that module is imported from, relative to the contract file
    messages:
      - message: push                      # a message the registry declares for the provider
        description: a push to the main branch
        given: [{state: a repository exists}]
        metadata: {X-GitHub-Event: push}
        contents:                          # the same matchers as HTTP bodies
          ref: {$like: refs/heads/main}

Values are read by the contract file's own reader (`consumer/contractfile.py` hands itself in as `ValueReader`),
so a message's matchers, states and errors are those of an HTTP interaction.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Protocol

from contractkit.core.errors import ContractFileError, KeyPath
from contractkit.core.model import Provider

if TYPE_CHECKING:
    from contractkit.pact import PactState

MESSAGE_FILE_KEYS = frozenset({"messages", "handler", "handler_path"})
_MESSAGE_KEYS = {"message", "description", "given", "metadata", "contents", "handler"}
_HANDLER = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


class ValueReader(Protocol):
    """What the contract file's reader lends the messages part: errors with lines, states and matcher values."""

    provider: Provider

    def fail(self, message: str, key_path: KeyPath, hint: str | None = None) -> ContractFileError:
        """The error naming the contract file, the key path and its line."""
        ...

    def reject_unknown(self, raw: Mapping[str, Any], allowed: set[str], key_path: KeyPath) -> None:
        """Refuse a key that is not allowed, suggesting the closest one."""
        ...

    def states(self, raw: Any, key_path: KeyPath) -> tuple[PactState, ...]:
        """Provider states from a name, a mapping or a list of them."""
        ...

    def value(self, raw: Any, key_path: KeyPath) -> Any:
        """A literal value or a matcher, recursively."""
        ...

    def line(self, key_path: KeyPath) -> int | None:
        """The line of a key path in the contract file."""
        ...


@dataclass(frozen=True, slots=True)
class ContractMessage:
    """One message a consumer's handler receives: the registry's message, its example with matchers, and who
    handles it (`module:function`, or None when the contract names no handler)."""

    provider: str
    message: str
    description: str
    states: tuple[PactState, ...]
    metadata: Mapping[str, Any]
    contents: Any
    handler: str | None
    file: str
    key_path: KeyPath
    line: int | None = None

    @property
    def identity(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """What makes a message unique inside a pact: description and provider states."""
        return pact_identity(self.description, self.states)


def pact_identity(description: str, states: Iterable[Any]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """What makes an interaction or a message unique inside a pact: its description and provider states."""
    return description, tuple((state.name, json.dumps(dict(state.params), sort_keys=True)) for state in states)


@dataclass(frozen=True, slots=True)
class MessagePart:
    """The messages of a contract file, with the folder their handlers are imported from."""

    messages: tuple[ContractMessage, ...] = ()
    handler_path: Path | None = None
    handler: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)


def read_message_part(reader: ValueReader, data: Mapping[str, Any], path: Path, shown: str) -> MessagePart:
    """The `messages`, `handler` and `handler_path` keys of a contract file, checked (duplicates are refused with
    the HTTP interactions, by the contract file's reader)."""
    if not any(key in data for key in MESSAGE_FILE_KEYS):
        return MessagePart()
    default = _handler(reader, data.get("handler"), ("handler",))
    raw = data.get("messages")
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise reader.fail("expected a list of messages", ("messages",))
    messages = tuple(_message(reader, item, ("messages", index), default, shown) for index, item in enumerate(raw))
    return MessagePart(messages, _handler_path(reader, data.get("handler_path"), path), default)


def _message(reader: ValueReader, raw: Any, key_path: KeyPath, default: str | None, shown: str) -> ContractMessage:
    if not isinstance(raw, dict):
        raise reader.fail("expected a mapping", key_path)
    reader.reject_unknown(raw, _MESSAGE_KEYS, key_path)
    name = _message_name(reader, raw, key_path)
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        raise reader.fail("expected a non-empty description", key_path + ("description",))
    if "contents" not in raw:
        raise reader.fail("missing required key 'contents' (the message's body, with matchers)", key_path)
    metadata = raw.get("metadata", {})
    if not isinstance(metadata, dict):
        raise reader.fail("expected a mapping of metadata", key_path + ("metadata",))
    return ContractMessage(
        provider=reader.provider.name,
        message=name,
        description=description.strip(),
        states=reader.states(raw.get("given", []), key_path + ("given",)),
        metadata={str(key): reader.value(value, key_path + ("metadata", key)) for key, value in metadata.items()},
        contents=reader.value(raw["contents"], key_path + ("contents",)),
        handler=_handler(reader, raw.get("handler"), key_path + ("handler",)) or default,
        file=shown,
        key_path=key_path,
        line=reader.line(key_path),
    )


def _message_name(reader: ValueReader, raw: Mapping[str, Any], key_path: KeyPath) -> str:
    name = raw.get("message")
    if not isinstance(name, str):
        raise reader.fail("missing required key 'message' (a message the registry declares)", key_path)
    known = reader.provider.messages
    if name not in known:
        close = difflib.get_close_matches(name, list(known), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"declared: {', '.join(known) or 'none'}"
        raise reader.fail(
            f"message {name!r} is not declared for provider {reader.provider.name!r}", key_path + ("message",), hint
        )
    return name


def _handler(reader: ValueReader, raw: Any, key_path: KeyPath) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or not _HANDLER.match(raw.strip()):
        raise reader.fail(
            f"expected a handler as module:function, got {raw!r}", key_path, "for example devctl.webhooks:handle"
        )
    return raw.strip()


def _handler_path(reader: ValueReader, raw: Any, path: Path) -> Path | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise reader.fail("expected a folder, relative to the contract file", ("handler_path",))
    return (path.parent / raw).resolve()


__all__ = ["MESSAGE_FILE_KEYS", "ContractMessage", "MessagePart", "ValueReader", "read_message_part"]
