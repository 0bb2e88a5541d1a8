"""Pacts: the one typed reader of pact files (V2 to V4), and `judge_response`, which judges an actual response
against one interaction as the Pact core does."""

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

__all__ = ["HTTP_INTERACTION", "Pact", "PactInteraction", "PactRequest", "PactResponse", "PactState", "decode_body",
           "first_value", "judge_response", "load_pact", "parse_pact", "read_pact"]
