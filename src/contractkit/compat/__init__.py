"""Consumer compatibility: would a consumer's pact interaction still verify against any provider that honours a
description? One engine answers it for the gate, the spec watch, drift, the fuzz consumer check, the pact check of
verify and lint; a change breaks a consumer when an interaction compatible before is incompatible after."""

from contractkit.compat.breaks import CompatibilityDelta, ConsumerBreak, compare_calls, is_related
from contractkit.compat.descriptions import description_validator
from contractkit.compat.judge import Incompatibility, judge_interaction, response_declared
from contractkit.compat.messages import judge_message, message_calls, message_interaction, message_name
from contractkit.compat.shapes import Shape, alternatives, kind_of

__all__ = [
    "CompatibilityDelta",
    "ConsumerBreak",
    "Incompatibility",
    "Shape",
    "alternatives",
    "compare_calls",
    "description_validator",
    "is_related",
    "judge_interaction",
    "judge_message",
    "message_calls",
    "message_interaction",
    "message_name",
    "kind_of",
    "response_declared",
]
