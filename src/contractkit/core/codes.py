"""Every finding code contractkit reports, with its name and title, in one place.

A code is stable: a CI job, a ledger entry or a dashboard may key on it. Engines import the constants from
here; `contracts codes` prints the table. Breaking-change rules of `contracts diff` have their own table
(`contracts diff --list-rules`, codes CK501-CK699), kept with the rules they describe. Fuzzing reports CK8xx.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Code:
    """A finding code: `CK401`, its constant's name and a one-line title."""

    code: str
    name: str
    title: str
    area: str


_TABLE: tuple[Code, ...] = (
    # lint: the registry and the files it points to
    Code("CK101", "SPEC_MISSING", "the spec file does not exist", "lint"),
    Code("CK102", "SPEC_REF_UNRESOLVED", "a $ref in the slice does not resolve inside the file", "lint"),
    Code("CK103", "SPEC_INVALID", "the slice is not a valid OpenAPI document", "lint"),
    Code("CK104", "SPEC_OPERATION_MISSING", "a registered operation is not in the slice", "lint"),
    Code("CK105", "SCHEMA_FILE_MISSING", "a JSON Schema file does not exist", "lint"),
    Code("CK106", "SCHEMA_FILE_UNREADABLE", "a JSON Schema file is not valid JSON", "lint"),
    Code("CK107", "SCHEMA_FILE_INVALID", "a JSON Schema file is not a valid JSON Schema", "lint"),
    Code("CK108", "AWS_SERVICE_UNKNOWN", "botocore has no such AWS service", "lint"),
    Code("CK109", "AWS_OPERATION_UNKNOWN", "botocore's model of the service has no such operation", "lint"),
    Code("CK110", "CONTRACT_MISSING", "the contract file does not exist", "lint"),
    Code("CK111", "CASSETTE_ABSENT", "an operation has no cassette yet", "lint"),
    Code("CK112", "CASSETTE_INVALID", "a cassette cannot be read", "lint"),
    Code("CK113", "CONTRACT_INVALID", "a contract file cannot be read", "lint"),
    Code("CK115", "STATE_FOLDER_MISSING", "a provider state's cassette folder does not exist", "lint"),
    Code("CK116", "LEDGER_INVALID", "the ledger does not fit its schema, cannot be read, or holds an impossible date", "lint"),
    Code("CK117", "LEDGER_OWNER", "a ledger entry's owner is missing or blank", "lint"),
    Code("CK118", "LEDGER_RULE", "a ledger entry names a rule or finding code that does not exist", "lint"),
    Code("CK119", "LEDGER_PROVIDER", "a ledger entry names a provider the registry lacks", "lint"),
    Code("CK120", "LEDGER_EXPIRED", "a ledger entry expired: the gate fails until it is renewed or removed", "lint"),
    Code("CK121", "REGISTRY_EMPTY", "the registry names no providers, so nothing is checked (a warning)", "lint"),
    # consumer: contracts through the Pact mock server
    Code("CK201", "REQUEST_MISMATCH", "the interaction's own request does not satisfy its own matchers", "consumer"),
    Code("CK202", "NOT_RECEIVED", "the mock server expected a request that never came", "consumer"),
    Code("CK203", "SCHEMA_VIOLATION", "the example response violates the provider's response schema", "consumer"),
    Code("CK204", "UNEXPECTED_RESPONSE", "the mock answered with something other than the example", "consumer"),
    Code("CK205", "SCHEMA_UNCHECKED", "the response schema check could not run (a warning, never a pass)", "consumer"),
    # cassettes: drift, pact breaks, secrets, recording
    Code("CK301", "STATUS_CHANGED", "a re-recorded response has another status", "cassettes"),
    Code("CK302", "CONTENT_TYPE_CHANGED", "a re-recorded response has another content type", "cassettes"),
    Code("CK303", "FIELD_REMOVED", "a field of the recorded body is gone", "cassettes"),
    Code("CK304", "FIELD_ADDED", "the recorded body has a new field", "cassettes"),
    Code("CK305", "TYPE_CHANGED", "a field of the recorded body has another type", "cassettes"),
    Code("CK306", "HEADER_REMOVED", "a response header is gone", "cassettes"),
    Code("CK307", "HEADER_ADDED", "the response has a new header", "cassettes"),
    Code("CK308", "INTERACTIONS_CHANGED", "the cassette holds another number of interactions", "cassettes"),
    Code("CK310", "SCHEMA_BROKEN", "a re-recorded response no longer fits the provider's schema", "cassettes"),
    Code("CK311", "PACT_BROKEN", "a re-recorded response no longer satisfies the pact", "cassettes"),
    Code("CK320", "SECRET_FOUND", "a cassette or pact holds something that looks like a secret", "cassettes"),
    Code("CK321", "UNREADABLE", "a cassette could not be read, so it could not be scanned", "cassettes"),
    Code("CK330", "RECORD_FAILED", "an operation could not be recorded", "cassettes"),
    # validation and verification
    Code("CK400", "SCHEMA_NOT_CHECKED", "a recorded response could not be checked against its schema", "validation"),
    Code("CK401", "BODY_SCHEMA", "the response body does not fit the documented schema", "validation"),
    Code("CK402", "STATUS_UNDECLARED", "the response status is not documented", "validation"),
    Code("CK403", "CONTENT_TYPE_UNDECLARED", "the response content type is not documented", "validation"),
    Code("CK404", "HEADER_MISSING", "a required response header is missing or not valid", "validation"),
    Code("CK405", "BODY_UNPARSABLE", "the response body cannot be parsed", "validation"),
    Code("CK406", "NO_OPERATION", "no documented operation matches the request", "validation"),
    Code("CK407", "AWS_SHAPE", "the AWS response does not fit botocore's output shape", "validation"),
    Code("CK408", "ERROR_SCHEMA", "a recorded 4xx/5xx body does not fit the provider's error schema", "validation"),
    Code("CK411", "PATH_UNKNOWN", "the pact's path is not in the description", "verify"),
    Code("CK412", "METHOD_UNKNOWN", "the pact's method is not documented for the path", "verify"),
    Code("CK413", "PARAMETER_MISSING", "the pact omits a required parameter", "verify"),
    Code("CK414", "PARAMETER_INVALID", "a parameter value in the pact is not valid", "verify"),
    Code("CK415", "REQUEST_BODY", "the pact's request body is missing or not valid", "verify"),
    Code("CK416", "STATUS_UNDOCUMENTED", "the pact expects a status the description does not declare", "verify"),
    Code("CK417", "MEDIA_UNDOCUMENTED", "the pact expects a content type the description does not declare", "verify"),
    Code("CK418", "FIELD_UNDOCUMENTED", "the pact expects a field the description does not document", "verify"),
    Code("CK419", "VALUE_UNDOCUMENTED", "the pact expects a value or type the description does not document", "verify"),
    Code("CK420", "QUERY_UNDOCUMENTED", "the pact sends an undocumented query parameter (a warning)", "verify"),
    Code("CK421", "PACT_MISMATCH", "the provider's response does not match the pact", "verify"),
    Code("CK422", "NOT_VERIFIED", "the interaction could not be verified (no answer, a state handler failed)", "verify"),
    Code("CK423", "UNKNOWN_OPERATION", "a cassette names an operation the registry lacks", "verify"),
    Code("CK424", "PACT_MISSING", "a provider with a contract has no pact", "verify"),
    Code("CK425", "CASSETTE_MISSING", "no cassette answers the interaction", "verify"),
    Code("CK426", "MESSAGE_NOT_VERIFIED", "a message interaction of the pact is not verified: only HTTP is replayed", "verify"),
    Code("CK430", "OVERLAY_INVALID", "a quirks overlay is malformed or does not apply to the slice", "verify"),
    Code("CK431", "OVERLAY_UNNEEDED", "an overlay correction is no longer needed by any recording or pact", "verify"),
    # fuzzing
    Code("CK801", "NOT_A_SERVER_ERROR", "a fuzzed request got a 5xx answer", "fuzz"),
    Code("CK802", "STATUS_CODE_CONFORMANCE", "a fuzzed request got an undocumented status", "fuzz"),
    Code("CK803", "CONTENT_TYPE_CONFORMANCE", "a fuzzed request got an undocumented content type", "fuzz"),
    Code("CK804", "RESPONSE_SCHEMA_CONFORMANCE", "a fuzzed response does not fit the documented schema", "fuzz"),
    Code("CK805", "NEGATIVE_DATA_REJECTION", "the provider accepted a request the description forbids", "fuzz"),
    Code("CK806", "ERROR_FORMAT", "a 4xx/5xx body does not fit the provider's error schema", "fuzz"),
    Code("CK807", "CONSUMER_COMPATIBILITY", "a response lacks what a consumer's pact relies on", "fuzz"),
    Code("CK808", "OTHER_CHECK", "a schemathesis check outside the list above failed", "fuzz"),
    Code("CK809", "OPERATION_ERROR", "the operation could not be tested (unreachable server, unusable schema)", "fuzz"),
    Code("CK810", "UNSAFE_SKIPPED", "an unsafe method was skipped on a third-party provider", "fuzz"),
    Code("CK811", "NO_ERROR_SCHEMA", "the provider has no error schema, so error_format did not run", "fuzz"),
)

CODES: dict[str, Code] = {entry.code: entry for entry in _TABLE}

SPEC_MISSING, SPEC_REF_UNRESOLVED, SPEC_INVALID, SPEC_OPERATION_MISSING = "CK101", "CK102", "CK103", "CK104"
SCHEMA_FILE_MISSING, SCHEMA_FILE_UNREADABLE, SCHEMA_FILE_INVALID = "CK105", "CK106", "CK107"
AWS_SERVICE_UNKNOWN, AWS_OPERATION_UNKNOWN, CONTRACT_MISSING, CASSETTE_ABSENT = "CK108", "CK109", "CK110", "CK111"
CASSETTE_INVALID, CONTRACT_INVALID, STATE_FOLDER_MISSING = "CK112", "CK113", "CK115"
LEDGER_INVALID, LEDGER_OWNER, LEDGER_RULE, LEDGER_PROVIDER, LEDGER_EXPIRED = "CK116", "CK117", "CK118", "CK119", "CK120"
REGISTRY_EMPTY = "CK121"
REQUEST_MISMATCH, NOT_RECEIVED, SCHEMA_VIOLATION, UNEXPECTED_RESPONSE, SCHEMA_UNCHECKED = (
    "CK201", "CK202", "CK203", "CK204", "CK205")
STATUS_CHANGED, CONTENT_TYPE_CHANGED, FIELD_REMOVED, FIELD_ADDED, TYPE_CHANGED = "CK301", "CK302", "CK303", "CK304", "CK305"
HEADER_REMOVED, HEADER_ADDED, INTERACTIONS_CHANGED = "CK306", "CK307", "CK308"
SCHEMA_BROKEN, PACT_BROKEN, SECRET_FOUND, UNREADABLE, RECORD_FAILED = "CK310", "CK311", "CK320", "CK321", "CK330"
SCHEMA_NOT_CHECKED, BODY_SCHEMA, STATUS_UNDECLARED, CONTENT_TYPE_UNDECLARED = "CK400", "CK401", "CK402", "CK403"
HEADER_MISSING, BODY_UNPARSABLE, NO_OPERATION, AWS_SHAPE, ERROR_SCHEMA = "CK404", "CK405", "CK406", "CK407", "CK408"
PATH_UNKNOWN, METHOD_UNKNOWN, PARAMETER_MISSING, PARAMETER_INVALID, REQUEST_BODY = "CK411", "CK412", "CK413", "CK414", "CK415"
STATUS_UNDOCUMENTED, MEDIA_UNDOCUMENTED, FIELD_UNDOCUMENTED, VALUE_UNDOCUMENTED = "CK416", "CK417", "CK418", "CK419"
QUERY_UNDOCUMENTED, PACT_MISMATCH, NOT_VERIFIED, UNKNOWN_OPERATION = "CK420", "CK421", "CK422", "CK423"
PACT_MISSING, CASSETTE_MISSING, OVERLAY_INVALID, OVERLAY_UNNEEDED = "CK424", "CK425", "CK430", "CK431"
MESSAGE_NOT_VERIFIED = "CK426"
FUZZ_CHECK_CODES: dict[str, str] = {
    "not_a_server_error": "CK801", "status_code_conformance": "CK802", "content_type_conformance": "CK803",
    "response_schema_conformance": "CK804", "negative_data_rejection": "CK805", "error_format": "CK806",
    "consumer_compatibility": "CK807",
}
OTHER_CHECK, OPERATION_ERROR, UNSAFE_SKIPPED, NO_ERROR_SCHEMA = "CK808", "CK809", "CK810", "CK811"


def title_of(code: str) -> str:
    """The one-line title of a code ('' for a code this table does not know, such as a diff rule's)."""
    entry = CODES.get(code)
    return entry.title if entry else ""


__all__ = [
    "AWS_OPERATION_UNKNOWN", "AWS_SERVICE_UNKNOWN", "AWS_SHAPE", "BODY_SCHEMA", "BODY_UNPARSABLE", "CASSETTE_ABSENT",
    "CASSETTE_INVALID", "CASSETTE_MISSING", "CODES", "CONTENT_TYPE_CHANGED", "CONTENT_TYPE_UNDECLARED",
    "CONTRACT_INVALID", "CONTRACT_MISSING", "Code", "ERROR_SCHEMA", "FIELD_ADDED", "FIELD_REMOVED",
    "FIELD_UNDOCUMENTED", "FUZZ_CHECK_CODES", "HEADER_ADDED", "HEADER_MISSING", "HEADER_REMOVED",
    "INTERACTIONS_CHANGED", "LEDGER_EXPIRED", "LEDGER_INVALID", "LEDGER_OWNER", "LEDGER_PROVIDER", "LEDGER_RULE",
    "MEDIA_UNDOCUMENTED", "MESSAGE_NOT_VERIFIED", "METHOD_UNKNOWN", "NOT_RECEIVED", "NOT_VERIFIED",
    "NO_ERROR_SCHEMA", "NO_OPERATION", "OPERATION_ERROR", "OTHER_CHECK", "OVERLAY_INVALID", "OVERLAY_UNNEEDED",
    "PACT_BROKEN", "PACT_MISMATCH", "PACT_MISSING", "PARAMETER_INVALID", "PARAMETER_MISSING", "PATH_UNKNOWN",
    "QUERY_UNDOCUMENTED", "RECORD_FAILED", "REGISTRY_EMPTY", "REQUEST_BODY", "REQUEST_MISMATCH", "SCHEMA_BROKEN",
    "SCHEMA_FILE_INVALID", "SCHEMA_FILE_MISSING", "SCHEMA_FILE_UNREADABLE", "SCHEMA_NOT_CHECKED", "SCHEMA_UNCHECKED",
    "SCHEMA_VIOLATION", "SECRET_FOUND", "SPEC_INVALID", "SPEC_MISSING", "SPEC_OPERATION_MISSING", "SPEC_REF_UNRESOLVED", "STATE_FOLDER_MISSING", "UNREADABLE",
    "STATUS_CHANGED", "STATUS_UNDECLARED", "STATUS_UNDOCUMENTED", "TYPE_CHANGED", "UNEXPECTED_RESPONSE",
    "UNKNOWN_OPERATION", "UNSAFE_SKIPPED", "VALUE_UNDOCUMENTED", "title_of",
]
