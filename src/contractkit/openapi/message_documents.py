"""A provider's messages as one OpenAPI 3.1 document, so that the engines written for HTTP judge messages too.

Each message the registry declares becomes the operation `POST /messages/<name>`: the message's payload schema (a
JSON Schema file, or the payload of an AsyncAPI message) is both its request body and its `200` response body.
The compatibility engine then judges a consumer's message as a response it reads, the gate compares two versions
of a message's schema as two versions of a response, and the fuzzer generates messages as request bodies.

A schema keeps its own `$ref`s: the file (or the AsyncAPI document) is placed whole under
`x-message-sources/<name>` and every local `$ref` (`#/definitions/x`, `#/$defs/x`, `#/components/schemas/x`) is
rewritten to point there.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable

from contractkit.core.errors import SchemaLoadError
from contractkit.core.loading import load_json_fast
from contractkit.core.model import MessageSpec
from contractkit.openapi.asyncapi import load_asyncapi, message_payload

MESSAGE_PATH_PREFIX = "/messages/"
MESSAGE_STATUS = 200
MESSAGE_MEDIA = "application/json"
SOURCES_KEY = "x-message-sources"
_DATA_KEYWORDS = frozenset({"enum", "const", "examples", "example", "default"})
_NAMED = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas"})

Loader = Callable[[MessageSpec], tuple[Mapping[str, Any], Any]]


def message_path(name: str) -> str:
    """The path of a message's operation in the message document: `/messages/push`."""
    return MESSAGE_PATH_PREFIX + name


def load_message_description(spec: MessageSpec) -> tuple[Mapping[str, Any], Any]:
    """(document, payload schema) of a message as the working tree holds it: a JSON Schema file is both; an
    AsyncAPI document holds the payload of the named message. SchemaLoadError when neither is named."""
    if spec.schema is not None:
        document = load_json_fast(spec.schema, SchemaLoadError)
        return document, document
    if spec.asyncapi is None or spec.message is None:
        raise SchemaLoadError(f"message {spec.name!r} names neither a schema nor an AsyncAPI message")
    document = load_asyncapi(spec.asyncapi)
    return document, message_payload(document, spec.message, display=str(spec.asyncapi))


def message_document(
    messages: Mapping[str, MessageSpec],
    loader: Loader = load_message_description,
    *,
    title: str = "messages",
    request_bodies: bool = True,
) -> dict[str, Any]:
    """One OpenAPI 3.1 document with an operation per message (see the module's docstring); without
    `request_bodies` a message is only what its operation answers (the gate compares what consumers read)."""
    paths: dict[str, Any] = {}
    sources: dict[str, Any] = {}
    for name, spec in messages.items():
        document, payload = loader(spec)
        prefix = f"#/{SOURCES_KEY}/{_escape(name)}"
        sources[name] = _rebased(document, prefix)
        schema = {"$ref": prefix} if payload is document else _rebased(payload, prefix)
        content = {MESSAGE_MEDIA: {"schema": schema}}
        operation: dict[str, Any] = {"operationId": name, "summary": f"{spec.transport} message {spec.event}"}
        if request_bodies:
            operation["requestBody"] = {"required": True, "content": content}  # what a fuzzer generates
        operation["responses"] = {str(MESSAGE_STATUS): {"description": f"the {name} message", "content": content}}
        paths[message_path(name)] = {"post": operation}
    return {"openapi": "3.1.0", "info": {"title": title, "version": "1"}, "paths": paths, SOURCES_KEY: sources}


def _rebased(node: Any, prefix: str, *, names: bool = False) -> Any:
    """A copy of a schema whose local `$ref`s point under `prefix`; `$schema` and `$id` dropped (the document's).
    `names`: the node maps names to schemas (`properties`, `$defs`), so none of its keys is a keyword."""
    if isinstance(node, list):
        return [_rebased(item, prefix) for item in node]
    if not isinstance(node, Mapping):
        return node
    if names:
        return {key: _rebased(value, prefix) for key, value in node.items()}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("$schema", "$id"):
            continue
        if key == "$ref" and isinstance(value, str) and value.startswith("#"):
            out[key] = prefix + value[1:]
        elif key in _DATA_KEYWORDS:
            out[key] = value
        else:
            out[key] = _rebased(value, prefix, names=key in _NAMED)
    return out


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def schema_source(spec: MessageSpec) -> Path | None:
    """The file a message's description lives in."""
    return spec.schema if spec.schema is not None else spec.asyncapi


__all__ = [
    "MESSAGE_MEDIA",
    "MESSAGE_PATH_PREFIX",
    "MESSAGE_STATUS",
    "SOURCES_KEY",
    "load_message_description",
    "message_document",
    "message_path",
    "schema_source",
]
