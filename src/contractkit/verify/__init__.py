"""Verification: pacts replayed against the recorded cassettes or a live provider, recorded responses
validated, pacts checked against the OpenAPI slice; message interactions against the recorded events."""

from contractkit.verify.message_handler import MESSAGE_VERIFY_CHECK, verify_message_producer
from contractkit.verify.messages import (
    DRIFT_CHECK,
    MESSAGE_CHECK,
    EventStore,
    grade_drift,
    iter_field_changes,
    judge_event,
    message_of,
    verify_interaction,
    verify_messages,
)
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
    "MESSAGE_VERIFY_CHECK",
    "verify_message_producer",
    "DRIFT_CHECK",
    "MESSAGE_CHECK",
    "EventStore",
    "grade_drift",
    "iter_field_changes",
    "judge_event",
    "message_of",
    "verify_interaction",
    "verify_messages",
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
