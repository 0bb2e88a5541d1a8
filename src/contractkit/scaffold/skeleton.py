"""Contract skeletons: for each scaffolded operation, an interaction whose example response already satisfies the
operation's response schema (every required field, recursively) and whose matchers let the provider vary values.

`contracts consumer` checks every example response against the provider's schema, so an example that leaves out
a required field is refused. The skeleton therefore starts from the smallest body the schema accepts (its required
properties, recursively) and writes a type matcher for each value: a seeded or recorded response of the same schema
then matches, whatever values it holds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from contractkit.core.model import Auth, Operation, Provider
from contractkit.openapi import find_operation, find_path
from contractkit.recording import json_media, minimal_instance, parameter_value, resolve, success_response

__all__ = ["ContractSkeleton", "build_skeleton", "matchers_for", "render_skeleton"]

_PLAIN_KEY = re.compile(r"^\$?[A-Za-z_][A-Za-z0-9_.\[\]-]*$")
_HEADER_PATTERNS = {
    "bearer": ("Authorization", r"^Bearer \S+$", "Bearer example-token"),
    "basic": ("Authorization", r"^Basic \S+$", "Basic dXNlcjpwYXNzd29yZA=="),
}


@dataclass(frozen=True, slots=True)
class ContractSkeleton:
    """The interactions written for a new provider, and the path parameters they use (the seeds must use them too)."""

    provider: str
    interactions: tuple[dict[str, Any], ...]
    path_params: Mapping[str, str]


def build_skeleton(
    provider: Provider, document: Mapping[str, Any], operations: Iterable[Operation]
) -> ContractSkeleton:
    """One interaction per operation, built from the sliced description."""
    interactions = []
    path_params: dict[str, str] = {}
    for operation in operations:
        interaction, used = _interaction(provider, document, operation)
        interactions.append(interaction)
        path_params.update(used)
    return ContractSkeleton(provider.name, tuple(interactions), path_params)


def _interaction(
    provider: Provider, document: Mapping[str, Any], operation: Operation
) -> tuple[dict[str, Any], dict[str, str]]:
    method, path = operation.method or "GET", operation.path or "/"
    spec_path = find_path(dict(document), method, path) or path
    spec_operation = find_operation(dict(document), method, path) or {}
    parameters = _parameters(document, (document.get("paths") or {}).get(spec_path, {}), spec_operation)
    path_params = {p["name"]: _text(parameter_value(document, p)) for p in parameters if p.get("in") == "path"}
    query = {
        p["name"]: _text(parameter_value(document, p))
        for p in parameters
        if p.get("in") == "query" and p.get("required")
    }
    request: dict[str, Any] = {}
    if path_params:
        request["path_params"] = path_params
    if query:
        request["query"] = query
    headers = _auth_headers(provider.auth)
    if headers:
        request["headers"] = headers
    body = _request_body(document, spec_operation)
    if body is not None:
        request["body"] = body
    interaction: dict[str, Any] = {
        "operation": operation.name,
        "description": _description(operation, path_params),
        "request": request,
        "response": _response(document, spec_operation),
    }
    return interaction, path_params


def _parameters(
    document: Mapping[str, Any], path_item: Mapping[str, Any], spec_operation: Mapping[str, Any]
) -> list[dict[str, Any]]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in list(path_item.get("parameters", ())) + list(spec_operation.get("parameters", ())):
        parameter = resolve(document, raw)
        if isinstance(parameter, dict):
            merged[(str(parameter.get("in", "")), str(parameter.get("name", "")))] = parameter
    return list(merged.values())


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return value if isinstance(value, str) else json.dumps(value)


def _description(operation: Operation, path_params: Mapping[str, str]) -> str:
    path = operation.path or "/"
    for name, value in path_params.items():
        path = path.replace("{" + name + "}", value)
    return f"{operation.name}: {operation.method} {path}"


def _auth_headers(auth: Auth) -> dict[str, Any]:
    """A credential header matched by a regex with a made-up example: secrets never go into a contract."""
    if auth.scheme in _HEADER_PATTERNS:
        header, pattern, example = _HEADER_PATTERNS[auth.scheme]
        return {header: {"$regex": pattern, "example": example}}
    if auth.scheme == "header" and auth.header:
        return {
            auth.header: {"$regex": "^" + re.escape(auth.prefix) + r"\S+$", "example": auth.prefix + "example-token"}
        }
    return {}


def _request_body(document: Mapping[str, Any], spec_operation: Mapping[str, Any]) -> Any:
    body = resolve(document, spec_operation.get("requestBody"))
    if not isinstance(body, dict) or not body.get("required"):
        return None
    media = json_media(body.get("content") or {})
    return None if media is None else minimal_instance(document, media.get("schema", {}))


def _response(document: Mapping[str, Any], spec_operation: Mapping[str, Any]) -> dict[str, Any]:
    status, key = success_response(spec_operation)
    response: dict[str, Any] = {"status": status}
    spec_response = resolve(document, (spec_operation.get("responses") or {}).get(key, {})) if key else {}
    media = json_media(spec_response.get("content") or {}) if isinstance(spec_response, dict) else None
    if media is None:
        return response
    response["headers"] = {"Content-Type": {"$regex": "^application/json(;.*)?$", "example": "application/json"}}
    response["body"] = matchers_for(minimal_instance(document, media.get("schema", {})))
    return response


def matchers_for(value: Any) -> Any:
    """A value with each leaf replaced by a type matcher holding it as the example; lists become `$each_like`."""
    if isinstance(value, dict):
        return {key: matchers_for(item) for key, item in value.items()}
    if isinstance(value, list):
        return {"$each_like": matchers_for(value[0]), "min": 1} if value else []
    if isinstance(value, bool):
        return {"$boolean": value}
    if isinstance(value, int):
        return {"$integer": value}
    if isinstance(value, float):
        return {"$number": value}
    if isinstance(value, str):
        return {"$like": value}
    return value  # null: the provider must send null here too


def render_skeleton(skeleton: ContractSkeleton, *, spec_display: str) -> str:
    """The contract file as YAML, with a header saying what each example must contain and why."""
    lines = [
        f"# The consumer's expectations of {skeleton.provider}, scaffolded from {spec_display}.",
        "# Each example response holds every field the provider's schema marks required (contracts consumer checks",
        "# the example against the schema) and a matcher per value, so the provider may send other values of the",
        "# same type. Keep the required fields, add the fields your code reads, and make literal what must not vary.",
        f"provider: {skeleton.provider}",
        "interactions:",
    ]
    for interaction in skeleton.interactions:
        body = _yaml_lines(interaction, 4)
        body[0] = "  - " + body[0][4:]
        lines += body
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _yaml_lines(value: Mapping[str, Any], indent: int) -> list[str]:
    lines = []
    pad = " " * indent
    for key, item in value.items():
        name = _key(key)
        if isinstance(item, dict) and item and not _is_flat_matcher(item):
            lines.append(f"{pad}{name}:")
            lines += _yaml_lines(item, indent + 2)
        else:
            lines.append(f"{pad}{name}: {_flow(item)}")
    return lines


def _is_flat_matcher(value: Mapping[str, Any]) -> bool:
    """A matcher whose example is a scalar: written on one line."""
    return any(str(key).startswith("$") for key in value) and not any(
        isinstance(item, dict) and item for item in value.values()
    )


def _key(key: Any) -> str:
    text = str(key)
    return (
        text
        if _PLAIN_KEY.match(text) and text not in ("true", "false", "null", "yes", "no", "on", "off")
        else json.dumps(text)
    )


def _flow(value: Any) -> str:
    """A value in YAML flow style; JSON scalars are valid YAML, and keys are written bare where that is safe."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(key)}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)
