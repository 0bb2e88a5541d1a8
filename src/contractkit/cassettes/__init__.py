"""Cassettes: recorded interactions (vcrpy format), how they are read and written, scrubbed of secrets,
compared for drift, and served again by the replay server."""

from contractkit.cassettes.drift import (
    body_shape,
    iter_drift,
    iter_pact_breaks,
    iter_response_drift,
)
from contractkit.cassettes.model import (
    CASSETTE_SUFFIXES,
    STATES_FOLDER,
    Cassette,
    RecordedInteraction,
    RecordedRequest,
    RecordedResponse,
    body_to_bytes,
    cassette_path,
    dump_cassette,
    dump_interactions,
    first_header,
    interaction_to_dict,
    iter_cassettes,
    load_cassette,
    parse_cassette,
    read_interactions_text,
    state_slug,
    write_cassette,
)
from contractkit.cassettes.replay import Faults, IncomingRequest, InteractionIndex, ReplayServer, ReplayStats
from contractkit.cassettes.scrub import ScrubRules, find_secrets, rules_for, scrub_interaction, scrub_text

__all__ = [
    "CASSETTE_SUFFIXES", "STATES_FOLDER", "Cassette", "Faults", "IncomingRequest", "InteractionIndex", "RecordedInteraction",
    "RecordedRequest", "RecordedResponse", "ReplayServer", "ReplayStats", "ScrubRules",
    "body_shape", "body_to_bytes", "cassette_path", "dump_cassette", "dump_interactions", "find_secrets", "first_header",
    "interaction_to_dict", "iter_cassettes", "iter_drift", "iter_pact_breaks", "iter_response_drift", "load_cassette",
    "parse_cassette", "read_interactions_text", "rules_for", "scrub_interaction", "scrub_text", "state_slug", "write_cassette",
]
