"""Pacts: the one typed reader of pact files (V2 to V4), and `judge_response`, which judges an actual response
against one interaction as the Pact core does."""

from contractkit.pact.expectations import (
    ConsumerProblem,
    Expectation,
    expectations_by_operation,
    iter_consumer_problems,
)
from contractkit.pact.matching import ANY_INDEX, Segment, best_rule, normalize_path, render_path
from contractkit.pact.messages import ASYNC_MESSAGE, SYNC_MESSAGE, MessageContents, PactMessageInteraction
from contractkit.pact.reader import (
    HTTP_INTERACTION,
    Pact,
    PactInteraction,
    PactRequest,
    PactResponse,
    PactState,
    decode_body,
    first_value,
    load_pact,
    parse_pact,
    read_pact,
)
from contractkit.pact.responses import judge_response
from contractkit.pact.usage import (
    InteractionUsage,
    Observation,
    Usage,
    consumer_of,
    consumer_pact_folders,
    is_pact_of,
    iter_pact_files,
    load_usage,
    observers,
    usage_from_pacts,
)

__all__ = [
    "ANY_INDEX",
    "ASYNC_MESSAGE",
    "ConsumerProblem",
    "Expectation",
    "HTTP_INTERACTION",
    "InteractionUsage",
    "MessageContents",
    "Observation",
    "Pact",
    "PactInteraction",
    "PactMessageInteraction",
    "PactRequest",
    "PactResponse",
    "PactState",
    "SYNC_MESSAGE",
    "Segment",
    "Usage",
    "best_rule",
    "consumer_of",
    "consumer_pact_folders",
    "decode_body",
    "expectations_by_operation",
    "first_value",
    "is_pact_of",
    "iter_consumer_problems",
    "iter_pact_files",
    "judge_response",
    "load_pact",
    "load_usage",
    "normalize_path",
    "observers",
    "parse_pact",
    "read_pact",
    "render_path",
    "usage_from_pacts",
]
