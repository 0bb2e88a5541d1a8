"""Responses held to their description: JSON Schema, the provider's OpenAPI slice or the AWS model; recordings
(vcrpy cassettes, HAR) read for validation. Pacts are held to descriptions by the compatibility engine (compat/)."""

from contractkit.validation.messages import (
    EVENT_CHECK,
    MessageValidators,
    description_of,
    iter_event_findings,
    load_message_events,
    validate_event_cassettes,
)
from contractkit.validation.recordings import (
    SEEDED_SOURCES,
    Recording,
    check_interaction,
    iter_recording_results,
    load_recording,
    load_validator,
    validate_cassettes,
    validate_recordings,
)
from contractkit.validation.responses import (
    RouteMatch,
    SchemaFinding,
    SpecValidator,
    Validators,
    build_spec_validator,
    compile_schema,
    deref,
    explain_error,
    json_path,
    provider_overlay_path,
    resolve_schema_pointer,
    schema_errors,
    to_json_schema,
    validate_response,
)
from contractkit.validation.sources import iter_recording_paths
from contractkit.validation.suggestions import explain_no_suggestion, suggest_corrections, write_overlay_suggestions
from contractkit.validation.summary import conformance_lines, summarize_conformance, summary_to_dict

__all__ = [
    "EVENT_CHECK",
    "MessageValidators",
    "description_of",
    "iter_event_findings",
    "load_message_events",
    "validate_event_cassettes",
    "Recording",
    "RouteMatch",
    "SEEDED_SOURCES",
    "SchemaFinding",
    "SpecValidator",
    "Validators",
    "build_spec_validator",
    "check_interaction",
    "compile_schema",
    "conformance_lines",
    "deref",
    "explain_error",
    "explain_no_suggestion",
    "iter_recording_paths",
    "iter_recording_results",
    "json_path",
    "load_recording",
    "load_validator",
    "provider_overlay_path",
    "resolve_schema_pointer",
    "schema_errors",
    "suggest_corrections",
    "summarize_conformance",
    "summary_to_dict",
    "to_json_schema",
    "validate_cassettes",
    "validate_recordings",
    "validate_response",
    "write_overlay_suggestions",
]
