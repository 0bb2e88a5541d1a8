"""AsyncAPI 2.6 and 3.0 documents: loading, finding a message and its payload schema, and slicing a document to
the messages a registry uses (as OpenAPI documents are sliced to the registered operations).

Where messages stand:
- 2.6: `channels.<channel>.subscribe|publish.message` (a Message Object, a `$ref`, or `oneOf` of them), and
  `components.messages.<name>`. A message is named by its components key, `messageId` or `name`.
- 3.0: `channels.<channel>.messages.<key>` (usually a `$ref` to `components.messages`), `operations.<op>` naming
  channels and messages by `$ref`, and `components.messages.<name>`. A payload may be a Multi Format Schema
  Object (`{schemaFormat, schema}`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

from contractkit.core.errors import SchemaLoadError
from contractkit.core.loading import load_source
from contractkit.openapi.documents import iter_refs, pointer_parts, resolve_pointer

SUPPORTED_VERSIONS = ("2.6", "3.0")
_V2_OPERATIONS = ("subscribe", "publish")


@dataclass(frozen=True, slots=True)
class AsyncApiMessage:
    """One message of an AsyncAPI document: its name, the channel it travels on, and where it stands."""

    name: str
    channel: str
    pointer: str  # JSON pointer of the Message Object (after following a `$ref`)
    message: Mapping[str, Any]


def load_asyncapi(path: Path) -> dict[str, Any]:
    """Read an AsyncAPI 2.6 or 3.0 document (YAML or JSON); SchemaLoadError naming the file otherwise."""
    document = load_source(path, SchemaLoadError).data
    display = str(path)
    if not isinstance(document, dict) or not isinstance(document.get("asyncapi"), str):
        raise SchemaLoadError("not an AsyncAPI document: expected an 'asyncapi' version at the top", file=display)
    if asyncapi_major(document) is None:
        raise SchemaLoadError(
            f"AsyncAPI {document['asyncapi']} is not supported (expected {' or '.join(SUPPORTED_VERSIONS)})",
            file=display,
            key_path=("asyncapi",),
        )
    return document


def asyncapi_major(document: Mapping[str, Any]) -> int | None:
    """2 or 3 for a supported AsyncAPI version, None otherwise."""
    version = str(document.get("asyncapi", ""))
    for supported in SUPPORTED_VERSIONS:
        if version == supported or version.startswith(supported + "."):
            return int(supported[0])
    return None


def iter_messages(document: Mapping[str, Any]) -> Iterator[AsyncApiMessage]:
    """Every message the document's channels carry, then the component messages no channel names."""
    seen: set[str] = set()
    for channel, pointer in _channel_message_pointers(document):
        found = _follow(document, pointer)
        if found is None:
            continue
        target, message = found
        seen.add(target)
        yield AsyncApiMessage(_message_name(target, message), channel, target, message)
    for key, message in ((document.get("components") or {}).get("messages") or {}).items():
        pointer = f"#/components/messages/{_escape(key)}"
        if pointer not in seen and isinstance(message, Mapping):
            found = _follow(document, pointer)
            if found is not None:
                yield AsyncApiMessage(_message_name(found[0], found[1]), "", found[0], found[1])


def _channel_message_pointers(document: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(channel, pointer of a message node) for every message a channel carries."""
    for channel, item in (document.get("channels") or {}).items():
        if not isinstance(item, Mapping):
            continue
        base = f"#/channels/{_escape(channel)}"
        address = str(item.get("address") or channel)
        if asyncapi_major(document) == 3:
            for key in item.get("messages") or {}:
                yield address, f"{base}/messages/{_escape(key)}"
            continue
        for operation in _V2_OPERATIONS:
            message = (item.get(operation) or {}).get("message")
            if isinstance(message, Mapping) and isinstance(message.get("oneOf"), list):
                for index in range(len(message["oneOf"])):
                    yield channel, f"{base}/{operation}/message/oneOf/{index}"
            elif isinstance(message, Mapping):
                yield channel, f"{base}/{operation}/message"


def _follow(document: Mapping[str, Any], pointer: str) -> tuple[str, Mapping[str, Any]] | None:
    """The pointer and node a pointer leads to, following `$ref`s (None when it does not resolve)."""
    for _ in range(32):
        try:
            node = resolve_pointer(dict(document), pointer)
        except (KeyError, ValueError, IndexError):
            return None
        if not isinstance(node, Mapping):
            return None
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return pointer, node
        pointer = ref
    return None


def _message_name(pointer: str, message: Mapping[str, Any]) -> str:
    parts = pointer_parts(pointer)
    if len(parts) == 3 and parts[:2] == ["components", "messages"]:
        return parts[2]
    return str(message.get("messageId") or message.get("name") or parts[-1])


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def find_message(document: Mapping[str, Any], name: str, *, display: str = "AsyncAPI document") -> AsyncApiMessage:
    """The named message (components key, messageId or name); SchemaLoadError naming the known ones otherwise."""
    messages = list(iter_messages(document))
    for message in messages:
        if name in (message.name, message.message.get("messageId"), message.message.get("name")):
            return message
    known = ", ".join(sorted({message.name for message in messages})) or "none"
    raise SchemaLoadError(f"no message {name!r} in the document (known: {known})", file=display)


def message_payload(document: Mapping[str, Any], name: str, *, display: str = "AsyncAPI document") -> Any:
    """The payload schema of a message (a Multi Format Schema Object unwrapped); `{}` when it declares none.

    `$ref`s inside the payload still point into the document: compile it with the document as context."""
    message = find_message(document, name, display=display)
    payload = message.message.get("payload", {})
    if isinstance(payload, Mapping) and "schemaFormat" in payload and "schema" in payload:
        payload = payload["schema"]
    if isinstance(payload, Mapping) and "$ref" in payload:
        found = _follow(document, str(payload["$ref"]))
        payload = found[1] if found else payload
    return payload


def slice_asyncapi(document: Mapping[str, Any], names: list[str], *, display: str = "AsyncAPI document") -> dict:
    """The document cut to the named messages: the channels (and 3.0 operations) that carry them, and every
    component they reference; info, version and servers kept."""
    wanted = {find_message(document, name, display=display).pointer for name in names}
    sliced: dict[str, Any] = {
        key: copy.deepcopy(document[key]) for key in ("asyncapi", "id", "info", "defaultContentType") if key in document
    }
    channels = _sliced_channels(document, wanted)
    if channels:
        sliced["channels"] = channels
    if asyncapi_major(document) == 3:
        operations = _sliced_operations(document, channels)
        if operations:
            sliced["operations"] = operations
    components = _reachable_components(document, [sliced.get("channels"), sliced.get("operations"), *wanted])
    if components:
        sliced["components"] = components
    return sliced


def _sliced_channels(document: Mapping[str, Any], wanted: set[str]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for channel, pointer in _channel_message_pointers(document):
        found = _follow(document, pointer)
        if found is None or found[0] not in wanted:
            continue
        item = kept.setdefault(_channel_key(document, channel), {})
        _keep_message(document, item, pointer)
    return kept


def _channel_key(document: Mapping[str, Any], channel: str) -> str:
    for key, item in (document.get("channels") or {}).items():
        if key == channel or (isinstance(item, Mapping) and item.get("address") == channel):
            return str(key)
    return channel


def _keep_message(document: Mapping[str, Any], item: dict[str, Any], pointer: str) -> None:
    """Copy into a sliced channel item the one message `pointer` names, with the channel's other keys."""
    parts = pointer_parts(pointer)
    original = resolve_pointer(dict(document), "#/channels/" + _escape(parts[1]))
    for key, value in original.items():
        if key not in ("messages", *_V2_OPERATIONS):
            item.setdefault(key, copy.deepcopy(value))
    if parts[2] == "messages":  # 3.0
        item.setdefault("messages", {})[parts[3]] = copy.deepcopy(original["messages"][parts[3]])
        return
    operation = item.setdefault(
        parts[2], {k: copy.deepcopy(v) for k, v in original[parts[2]].items() if k != "message"}
    )
    node = copy.deepcopy(resolve_pointer(dict(document), pointer))
    if len(parts) > 4 and parts[4] == "oneOf":
        operation.setdefault("message", {"oneOf": []})["oneOf"].append(node)
    else:
        operation["message"] = node


def _sliced_operations(document: Mapping[str, Any], channels: Mapping[str, Any]) -> dict[str, Any]:
    """3.0 operations on a kept channel, with only the kept messages."""
    kept: dict[str, Any] = {}
    for name, operation in (document.get("operations") or {}).items():
        channel_ref = str((operation.get("channel") or {}).get("$ref", ""))
        channel = pointer_parts(channel_ref)[-1] if channel_ref else ""
        if channel not in channels:
            continue
        messages = [
            ref
            for ref in operation.get("messages") or []
            if pointer_parts(str(ref.get("$ref", "")))[-1:]
            and pointer_parts(str(ref.get("$ref", "")))[-1] in (channels[channel].get("messages") or {})
        ]
        kept[name] = {**copy.deepcopy(operation), "messages": copy.deepcopy(messages)}
    return kept


def _reachable_components(document: Mapping[str, Any], roots: list[Any]) -> dict[str, Any]:
    components: dict[str, Any] = {}
    pending = [ref for root in roots if root for ref, _ in iter_refs(root)]
    pending += [root for root in roots if isinstance(root, str)]
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        parts = pointer_parts(ref) if ref.startswith("#") else []
        if ref in seen or len(parts) < 3 or parts[0] != "components":
            continue
        seen.add(ref)
        node = resolve_pointer(dict(document), "#/" + "/".join(_escape(part) for part in parts[:3]))
        components.setdefault(parts[1], {})[parts[2]] = copy.deepcopy(node)
        pending.extend(found for found, _ in iter_refs(node))
    return {section: dict(sorted(entries.items())) for section, entries in sorted(components.items())}


__all__ = [
    "SUPPORTED_VERSIONS",
    "AsyncApiMessage",
    "asyncapi_major",
    "find_message",
    "iter_messages",
    "load_asyncapi",
    "message_payload",
    "slice_asyncapi",
]
