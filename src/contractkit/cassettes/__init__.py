"""Cassettes: recorded interactions (vcrpy format), how they are read and written, scrubbed of secrets,
compared for drift, and served again by the replay server."""

from contractkit.cassettes.drift import (
    body_shape,
    iter_cassette_pact_breaks,
    iter_drift,
    iter_pact_breaks,
    iter_response_drift,
)
from contractkit.cassettes.httpserver import raise_open_file_limit
from contractkit.cassettes.model import (
    CASSETTE_SUFFIXES,
    STATES_FOLDER,
    Cassette,
    RecordedInteraction,
    RecordedRequest,
    RecordedResponse,
    body_to_bytes,
    cassette_path,
    check_cassette_version,
    dump_cassette,
    dump_interactions,
    first_header,
    interaction_from_dict,
    interaction_to_dict,
    iter_cassettes,
    load_cassette,
    parse_cassette,
    read_interactions_text,
    state_slug,
    write_cassette,
)
from contractkit.cassettes.replay import Faults, IncomingRequest, InteractionIndex, ReplayServer, ReplayStats
from contractkit.cassettes.scrub import (
    ScrubRules,
    dump_json,
    find_secrets,
    iter_interaction_secrets,
    mask_text,
    mask_volatile,
    normalise_volatile,
    rules_for,
    rules_for_provider,
    scrub_check_result,
    scrub_interaction,
    scrub_text,
)
from contractkit.cassettes.secrets import Detector

__all__ = [
    "CASSETTE_SUFFIXES", "Cassette", "Detector", "Faults", "IncomingRequest", "InteractionIndex",
    "RecordedInteraction", "RecordedRequest", "RecordedResponse", "ReplayServer", "ReplayStats", "STATES_FOLDER",
    "ScrubRules", "body_shape", "body_to_bytes", "cassette_path", "check_cassette_version", "dump_cassette",
    "dump_interactions", "dump_json", "find_secrets", "first_header", "interaction_from_dict",
    "interaction_to_dict", "iter_cassette_pact_breaks", "iter_cassettes", "iter_drift", "iter_interaction_secrets",
    "iter_pact_breaks", "iter_response_drift", "load_cassette", "mask_text", "mask_volatile", "normalise_volatile",
    "parse_cassette", "raise_open_file_limit", "read_interactions_text", "rules_for", "rules_for_provider",
    "scrub_check_result", "scrub_interaction", "scrub_text", "state_slug", "write_cassette",
]
