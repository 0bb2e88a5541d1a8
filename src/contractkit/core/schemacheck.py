"""Validate a YAML document against a bundled JSON Schema and turn the first problem into one clear error."""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import Any, Callable

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from contractkit.core.errors import ContractKitError
from contractkit.core.loading import SourceDocument, parse_json_value


@cache
def bundled_validator(name: str) -> jsonschema.Draft202012Validator:
    """A prebuilt validator for a schema shipped in contractkit/data."""
    schema = parse_json_value(resources.files("contractkit.data").joinpath(name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def check_document(
    document: SourceDocument,
    validator: jsonschema.Draft202012Validator,
    error: Callable[..., ContractKitError],
    *,
    display: str,
) -> None:
    """Raise `error` for the earliest schema violation in the document, naming key path and line."""
    problems = list(validator.iter_errors(document.data))
    if not problems:
        return
    first = min(
        problems, key=lambda problem: (document.line_of(tuple(problem.absolute_path)) or 0, len(problem.absolute_path))
    )
    if first.context:
        first = best_match(first.context) or first
    key_path, message = explain(first)
    raise error(message, file=display, key_path=key_path, line=document.line_of(key_path))


def explain(problem: ValidationError) -> tuple[tuple[str | int, ...], str]:
    """A key path and a plain sentence for one jsonschema error."""
    path = tuple(problem.absolute_path)
    found = problem.instance
    kind = problem.validator
    if "propertyNames" in problem.schema_path and isinstance(found, str):
        return path + (
            found,
        ), f"{found!r} is not a valid name: use lowercase letters, digits, '-' and '_', starting with a letter"
    if kind == "additionalProperties" and isinstance(found, dict):
        allowed = list(problem.schema.get("properties", {}))
        extra = sorted(set(found) - set(allowed))
        if extra:
            return path + (extra[0],), _unknown_key(extra[0], allowed)
    if kind == "required":
        missing = problem.message.split("'")[1] if "'" in problem.message else problem.message
        return path, f"missing required key {missing!r}"
    if kind == "type":
        return path, f"expected {_a(problem.validator_value)}, got {_show(found)}"
    if kind == "enum":
        options = ", ".join(str(option) for option in problem.validator_value)
        return path, f"expected one of {options}, got {_show(found)}"
    if kind == "const":
        return path, f"expected {_show(problem.validator_value)}, got {_show(found)}"
    if kind == "pattern":
        return path, f"{_show(found)} does not match the pattern {problem.validator_value}"
    if kind in ("minProperties", "minItems", "minLength"):
        return path, f"must not be empty, got {_show(found)}"
    if kind == "propertyNames":
        return path, f"bad name {_show(problem.instance)}: {problem.message}"
    return path, problem.message


def _unknown_key(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(allowed)})"
    return f"unknown key {key!r}{hint}"


def _a(types: Any) -> str:
    names = {
        "string": "a string",
        "integer": "an integer",
        "number": "a number",
        "boolean": "true or false",
        "object": "a mapping",
        "array": "a list",
        "null": "null",
    }
    if isinstance(types, list):
        return " or ".join(names.get(str(kind), str(kind)) for kind in types)
    return names.get(types, str(types))


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."
