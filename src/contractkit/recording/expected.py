"""What a provider's contract expects of an operation, as plain values a seeded cassette is given.

A seeded cassette is replayed to verify the consumer's pact, so it answers with every value the contract's
example response gives (strings, numbers, nulls, arrays, nested objects: each matcher replaced by its example),
kept where the schema instance has fields the contract does not mention, and it is asked the contract's
path and query parameters. `--param` still overrides any of them.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from contractkit.consumer import ContractInteraction, example_of, load_contract_file
from contractkit.core.loading import parse_json_value
from contractkit.core.model import Operation, Provider
from contractkit.core.routing import Router


@dataclass(frozen=True, slots=True)
class ExpectedResponse:
    """The contract's example for one operation: its status, body (plain values) and request parameters."""

    status: int
    body: Any
    params: Mapping[str, str] = field(default_factory=dict)  # path and query parameters the consumer sends
    origin: str = ""  # the contract file and interaction the values come from


def expected_response(provider: Provider, operation: Operation, state_name: str = "") -> ExpectedResponse | None:
    """The example of the contract's first interaction for the operation that this cassette serves: one in that
    provider state, or (without a state) one whose states have no cassette variant of their own; None without a
    contract file or such an interaction."""
    if provider.contract is None or not provider.contract.is_file():
        return None
    variants = set(provider.settings.states)
    for interaction in load_contract_file(provider).for_operation(operation.name):
        names = {state.name for state in interaction.states}
        if (state_name in names) if state_name else not (names & variants):
            return _expected(provider, operation, interaction)
    return None


def _expected(provider: Provider, operation: Operation, interaction: ContractInteraction) -> ExpectedResponse | None:
    if interaction.response is None:
        return None
    params: dict[str, str] = {}
    if interaction.request is not None:
        router = Router([(operation.method or "GET", operation.path or "/", None)], base_paths=(provider.base_path,))
        route = router.match(operation.method or "GET", interaction.request.path)
        params.update(route.parameters if route is not None else {})
        params.update(
            {
                name: _text(example_of(value))
                for name, value in interaction.request.query.items()
                if not isinstance(example_of(value), list)
            }
        )
    origin = (
        f"{provider.contract.parent.name}/{provider.contract.name}: {interaction.description}"
        if provider.contract
        else ""
    )
    return ExpectedResponse(interaction.response.status, example_of(interaction.response.body), params, origin)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value)


def with_expected(body: Any, expected: Any) -> Any:
    """`body` with every value the contract's example gives: objects merged key by key, an array as long as the
    example's with each item merged onto the body's item at that place (or its last), anything else replaced."""
    if isinstance(expected, dict) and isinstance(body, dict):
        merged = dict(body)
        for key, value in expected.items():
            merged[key] = with_expected(body[key], value) if key in body else copy.deepcopy(value)
        return merged
    if isinstance(expected, list) and isinstance(body, list) and body:
        return [with_expected(body[min(index, len(body) - 1)], item) for index, item in enumerate(expected)]
    return copy.deepcopy(expected)


def param_value(text: str, current: Any, *, present: bool) -> Any:
    """A `--param '$.path=VALUE'` value: JSON when it parses as a JSON array or object, or when the field it sets
    is `present` in the seeded body and holds something other than a string (a number, boolean, null, array or
    object); the text as given otherwise."""
    try:
        parsed = parse_json_value(text)
    except ValueError:
        return text
    if isinstance(parsed, (list, dict)) or (present and not isinstance(current, str)):
        return parsed
    return text


__all__ = ["ExpectedResponse", "expected_response", "param_value", "with_expected"]
