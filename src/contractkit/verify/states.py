"""Provider states for pact verification: how each named state is put in place, and the Verifier's handler.

A state is a cassette variant (served by the replay server), a state-change URL (POSTed
`{"state", "action", "params"}`) or a Python callable `module:function(state, action, parameters)`.
A handler that raises or a URL that is down fails the interactions in that state at once.
"""

from __future__ import annotations

import importlib
import json
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from contractkit.core.codes import Code
from contractkit.core.errors import UsageError
from contractkit.core.model import CheckResult, Finding, Provider, Severity, Status
from contractkit.core.settings import StateSettings
from contractkit.pact import PactInteraction

STATE_TIMEOUT = 5.0  # seconds a state-change URL may take before the interactions in that state fail


ProviderState = StateSettings  # a provider state as the registry loader typed it (name, kind, target, cassette)


class StateDispatcher:
    """The Verifier's state handler: runs the registry's state-change URL or callable for each named state.

    A handler that raises, or a state URL that is down, must not reach the Pact core, which retries a failed
    state change with backoff for about two minutes: the failure is kept in `failures` (state name -> reason),
    the state is not tried again, and the interactions given that state are reported as failed.
    """

    def __init__(self, states: Mapping[str, ProviderState]) -> None:
        self.states = states
        self.failures: dict[str, str] = {}
        self._callables = {
            name: load_callable(entry.target) for name, entry in states.items() if entry.kind == "callable"
        }

    def __call__(self, state: str, action: str, parameters: dict[str, Any] | None = None) -> None:
        """Set up or tear down one provider state; cassette variants are served by the replay server instead."""
        entry = self.states.get(state)
        if entry is None or entry.is_cassette or state in self.failures:
            return
        try:
            if entry.kind == "url":
                _post_state(entry.target, {"state": state, "action": action, "params": parameters or {}})
            else:
                self._callables[state](state=state, action=action, parameters=parameters or {})
        except Exception as exc:  # noqa: BLE001 - a team's handler may raise anything; the interaction fails with it
            where = f"POST {entry.target}" if entry.kind == "url" else entry.target
            self.failures[state] = f"{where} raised {type(exc).__name__}: {exc}"


def group_by_cassette_states(
    interactions: Sequence[PactInteraction], states: Mapping[str, ProviderState]
) -> dict[tuple[ProviderState, ...], list[PactInteraction]]:
    """The interactions by the cassette variants their provider states need: a group shares one replay server."""
    groups: dict[tuple[ProviderState, ...], list[PactInteraction]] = {}
    for interaction in interactions:
        variants = tuple(
            states[name] for name in interaction.state_names if name in states and states[name].is_cassette
        )
        groups.setdefault(variants, []).append(interaction)
    return groups


def with_state_failures(
    provider: Provider, interactions: Sequence[PactInteraction], results: list[CheckResult], failures: Mapping[str, str]
) -> list[CheckResult]:
    """An interaction whose provider state could not be set up failed, whatever the replay answered."""
    if not failures:
        return results
    states_of = {interaction.description: interaction.state_names for interaction in interactions}
    updated = []
    for result in results:
        broken = [name for name in states_of.get(result.interaction, ()) if name in failures]
        if not broken:
            updated.append(result)
            continue
        findings = tuple(
            Finding(
                Code.NOT_VERIFIED,
                Severity.ERROR,
                f"provider state {name!r} could not be set up: {failures[name]}",
                "providerStates",
                provider.name,
                result.operation,
            )
            for name in broken
        )
        updated.append(replace(result, status=Status.FAILED, message=findings[0].message, findings=findings))
    return updated


def load_callable(reference: str) -> Callable[..., Any]:
    """Import `module:function`; raises UsageError naming the reference when it cannot."""
    module_name, _, attribute = reference.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise UsageError(f"provider state callable {reference!r} cannot be imported ({exc})") from exc


def _post_state(url: str, payload: Mapping[str, Any]) -> None:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode("utf-8"), method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=STATE_TIMEOUT) as answer:
        answer.read()


__all__ = [
    "STATE_TIMEOUT",
    "ProviderState",
    "StateDispatcher",
    "group_by_cassette_states",
    "load_callable",
    "with_state_failures",
]
