"""Pacts: the one typed reader of pact files (V2 to V4)."""

from contractkit.pact.reader import (
    HTTP_INTERACTION,
    Pact,
    PactInteraction,
    PactRequest,
    PactResponse,
    PactState,
    decode_body,
    first_value,
    http_interactions,
    load_pact,
    parse_pact,
    read_pact,
)

__all__ = ["HTTP_INTERACTION", "Pact", "PactInteraction", "PactRequest", "PactResponse", "PactState", "decode_body",
           "first_value", "http_interactions", "load_pact", "parse_pact", "read_pact"]
