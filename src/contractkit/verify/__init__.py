"""Verification: pacts replayed against the recorded cassettes or a live provider, recorded responses
validated, pacts checked against the OpenAPI slice."""

from contractkit.verify.verifier import (
    ProviderState,
    StateDispatcher,
    check_pacts_against_specs,
    operation_for,
    run_verifier,
    validate_cassettes,
    validate_step,
    verify_pacts,
    verify_registry,
    verify_step,
)

__all__ = [
    "ProviderState",
    "StateDispatcher",
    "check_pacts_against_specs",
    "operation_for",
    "run_verifier",
    "validate_cassettes",
    "validate_step",
    "verify_pacts",
    "verify_registry",
    "verify_step",
]
