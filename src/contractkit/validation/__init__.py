"""Responses held to their description: JSON Schema, the provider's OpenAPI slice or the AWS model; recordings
(vcrpy cassettes, HAR) read for validation. Pacts are held to descriptions by the compatibility engine (compat/)."""

from contractkit.validation.recordings import (
    Recording,
    check_interaction,
    iter_recording_results,
    load_recording,
    load_validator,
    validate_recordings,
)
from contractkit.validation.responses import (
    RouteMatch,
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

__all__ = [
    "Recording", "RouteMatch", "SpecValidator", "check_interaction", "compile_schema", "deref",
    "explain_error", "iter_recording_results",
    "json_path", "load_recording", "load_validator", "provider_overlay_path", "resolve_schema_pointer",
    "schema_errors", "Validators", "build_spec_validator", "to_json_schema", "validate_recordings",
    "validate_response",
]
