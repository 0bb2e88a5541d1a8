"""Cassettes: recorded interactions (vcrpy format), how they are read and written (secrets/ scrubs them),
compared for drift, and served again by the replay server.

Reading a cassette needs only the model and the readers; drift (which stands on pact), the replay server and the
HTTP server (asyncio) are offered here and imported on first use, so `contracts validate` does not load them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contractkit.cassettes.blockyaml import read_block_yaml
from contractkit.cassettes.events import (
    EVENT_CASSETTE_VERSION,
    EVENT_SOURCES,
    EVENTS_FOLDER,
    TEST_SIGNING_KEY,
    EventCassette,
    RecordedEvent,
    dump_event_cassette,
    event_cassette_path,
    event_delivery,
    iter_event_cassettes,
    load_event_cassette,
    parse_event_cassette,
    recording_runs,
    with_events,
    write_event_cassette,
)
from contractkit.cassettes.model import (
    CASSETTE_SUFFIXES,
    STATES_FOLDER,
    Cassette,
    Headers,
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
from contractkit.core.faces import import_on_use

if TYPE_CHECKING:
    from contractkit.cassettes.drift import (
        body_shape,
        iter_cassette_pact_breaks,
        iter_drift,
        iter_pact_breaks,
        iter_response_drift,
    )
    from contractkit.cassettes.httpserver import raise_open_file_limit
    from contractkit.cassettes.replay import Faults, IncomingRequest, InteractionIndex, ReplayServer, ReplayStats

__all__ = [
    "EVENT_CASSETTE_VERSION",
    "EVENT_SOURCES",
    "EVENTS_FOLDER",
    "TEST_SIGNING_KEY",
    "EventCassette",
    "RecordedEvent",
    "dump_event_cassette",
    "event_cassette_path",
    "event_delivery",
    "iter_event_cassettes",
    "load_event_cassette",
    "parse_event_cassette",
    "recording_runs",
    "with_events",
    "write_event_cassette",
    "CASSETTE_SUFFIXES",
    "Cassette",
    "Faults",
    "Headers",
    "IncomingRequest",
    "InteractionIndex",
    "RecordedInteraction",
    "RecordedRequest",
    "RecordedResponse",
    "ReplayServer",
    "ReplayStats",
    "STATES_FOLDER",
    "body_shape",
    "body_to_bytes",
    "cassette_path",
    "check_cassette_version",
    "dump_cassette",
    "dump_interactions",
    "first_header",
    "interaction_from_dict",
    "interaction_to_dict",
    "iter_cassette_pact_breaks",
    "iter_cassettes",
    "iter_drift",
    "iter_pact_breaks",
    "iter_response_drift",
    "load_cassette",
    "parse_cassette",
    "raise_open_file_limit",
    "read_block_yaml",
    "read_interactions_text",
    "state_slug",
    "write_cassette",
]

# module -> the names it offers through this face, imported when one of them is first read
__getattr__ = import_on_use(
    __name__,
    {
        "drift": ("body_shape", "iter_cassette_pact_breaks", "iter_drift", "iter_pact_breaks", "iter_response_drift"),
        "httpserver": ("raise_open_file_limit",),
        "replay": ("Faults", "IncomingRequest", "InteractionIndex", "ReplayServer", "ReplayStats"),
    },
)
