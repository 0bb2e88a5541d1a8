"""Message interactions of a pact: V3 `messages`, V4 `Asynchronous/Messages` and `Synchronous/Messages`, typed.

A message pact says what a consumer expects to receive: contents (the decoded body), metadata (headers, message
attributes, the content type) and matching rules for both, under the provider states it is given. V3 keeps them in
a `messages` list (`contents`, `metadata` or the older `metaData`, `matchingRules`); V4 puts them beside HTTP
interactions, an asynchronous message with `contents: {content, contentType, encoded}` and a synchronous one with a
`request` and a list of `response`s. Every version reads into the same `PactMessageInteraction`, whose `received`
is what the consumer's handler reads.

The checks of types and rules are the pact reader's (`pact/reader.py` hands its part readers in as `PartReader`),
so a message pact is held to the same rules as an HTTP one, with `metadata` as a category of rules beside `body`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Protocol

from contractkit.core.errors import KeyPath

if TYPE_CHECKING:
    from contractkit.pact.reader import PactState

ASYNC_MESSAGE = "Asynchronous/Messages"
SYNC_MESSAGE = "Synchronous/Messages"
MESSAGE_RULE_CATEGORIES = ("body", "metadata", "header", "content")  # `content`: pact-jvm's V3 spelling of body
MESSAGE_COMMENT = "message"  # the registry's message name, kept in the interaction's comments by the consumer run


class PartReader(Protocol):
    """The pact reader's checked readers of the parts every interaction shares."""

    def fail(self, message: str, key_path: KeyPath) -> Exception:
        """The error naming the pact file and this key path."""
        ...

    def states(self, raw: Mapping[str, Any], where: KeyPath) -> tuple[PactState, ...]:
        """The provider states of an interaction (V2's `providerState` included)."""
        ...

    def rules(self, raw: Any, where: KeyPath) -> dict[str, dict[str, Any]]:
        """Matching rules in the V3/V4 shape, checked, with the message categories allowed."""
        ...

    def body(self, raw: Mapping[str, Any], media: str) -> tuple[Any, bool, str]:
        """(body, present, media type) of a part whose body is under `body`, V4's encodings decoded."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageContents:
    """One message as a pact holds it: the decoded body, its media type, its metadata and matching rules."""

    body: Any = None
    has_body: bool = False
    content_type: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def body_rules(self) -> Mapping[str, Any]:
        """The rules of the body, by JSON path (`$.Records[*].s3.object.key`)."""
        return {**self.rules.get("content", {}), **self.rules.get("body", {})}

    @property
    def metadata_rules(self) -> Mapping[str, Any]:
        """The rules of the metadata, by key."""
        return {**self.rules.get("header", {}), **self.rules.get("metadata", {})}


@dataclass(frozen=True, slots=True)
class PactMessageInteraction:
    """A message interaction of a pact: an asynchronous message (V3 `messages`, V4 `Asynchronous/Messages`) has
    `contents`; a synchronous one (V4 `Synchronous/Messages`) a `request` and its `responses`."""

    index: int
    description: str
    kind: str
    key_path: KeyPath
    states: tuple[PactState, ...] = ()
    contents: MessageContents | None = None
    request: MessageContents | None = None
    responses: tuple[MessageContents, ...] = ()
    comments: Mapping[str, Any] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def state_names(self) -> tuple[str, ...]:
        """The names of the provider states, in order."""
        return tuple(state.name for state in self.states)

    @property
    def message(self) -> str:
        """The registry's message name the consumer run kept in the comments ('' for pacts written elsewhere)."""
        return str(self.comments.get(MESSAGE_COMMENT, "") or "")

    @property
    def is_async(self) -> bool:
        """True for an asynchronous message (the provider sends it; nothing answers)."""
        return self.kind == ASYNC_MESSAGE

    @property
    def received(self) -> tuple[MessageContents, ...]:
        """What the consumer receives and reads: the message, or the responses of a synchronous one."""
        return (self.contents,) if self.contents is not None else self.responses


def parse_message(raw: Any, index: int, kind: str, where: KeyPath, parts: PartReader) -> PactMessageInteraction:
    """One message interaction (V3 message or V4 message interaction) from its JSON, checked."""
    if not isinstance(raw, Mapping):
        raise parts.fail(f"expected a message interaction (a mapping), got {_kind(raw)}", where)
    comments = raw.get("comments") if isinstance(raw.get("comments"), Mapping) else {}
    common: dict[str, Any] = dict(
        index=index,
        description=str(raw.get("description", "")),
        kind=kind,
        key_path=where,
        states=parts.states(raw, where),
        comments=comments or {},
        raw=raw,
    )
    if kind == SYNC_MESSAGE:
        request = raw.get("request")
        if not isinstance(request, Mapping):
            raise parts.fail(f"expected the request message (a mapping), got {_kind(request)}", where + ("request",))
        responses = raw.get("response", [])
        if not isinstance(responses, list):
            raise parts.fail(f"expected a list of response messages, got {_kind(responses)}", where + ("response",))
        return PactMessageInteraction(
            request=message_contents(request, where + ("request",), parts),
            responses=tuple(
                message_contents(item, where + ("response", position), parts) for position, item in enumerate(responses)
            ),
            **common,
        )
    return PactMessageInteraction(contents=message_contents(raw, where, parts), **common)


def message_contents(raw: Any, where: KeyPath, parts: PartReader) -> MessageContents:
    """A message's contents, metadata and rules (`metaData` is V3's older spelling of `metadata`)."""
    if not isinstance(raw, Mapping):
        raise parts.fail(f"expected a message (a mapping), got {_kind(raw)}", where)
    key = "metadata" if "metadata" in raw or "metaData" not in raw else "metaData"
    metadata = raw.get(key) or {}
    if not isinstance(metadata, Mapping):
        raise parts.fail(f"expected a mapping of metadata, got {_kind(metadata)}", where + (key,))
    media = _metadata_media(metadata)
    holder = {"body": raw["contents"]} if "contents" in raw else {}
    body, has_body, content_type = parts.body(holder, media)
    return MessageContents(
        body=body,
        has_body=has_body,
        content_type=content_type or media,
        metadata=dict(metadata),
        rules=parts.rules(raw.get("matchingRules"), where + ("matchingRules",)),
    )


def _metadata_media(metadata: Mapping[str, Any]) -> str:
    """The media type the metadata states (`contentType`, `content-type` or `Content-Type`), lower case."""
    for name, value in metadata.items():
        if str(name).replace("-", "").replace("_", "").lower() == "contenttype" and isinstance(value, str):
            return value.split(";", 1)[0].strip().lower()
    return ""


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", type(None): "null"}.get(
        type(value), type(value).__name__
    )


__all__ = [
    "ASYNC_MESSAGE",
    "MESSAGE_COMMENT",
    "MESSAGE_RULE_CATEGORIES",
    "SYNC_MESSAGE",
    "MessageContents",
    "PactMessageInteraction",
    "PartReader",
    "message_contents",
    "parse_message",
]
