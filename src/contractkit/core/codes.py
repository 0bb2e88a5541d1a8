"""Every finding code contractkit reports, with its title and area, in one table: the `Code` enum.

A code is stable: a CI job, a ledger entry or a dashboard may key on it. A member is the code itself (a `str`:
`Code.BODY_SCHEMA == "CK401"`) and carries its one-line title (`summary`) and the area that reports it; engines
name a code only as a member, and `contracts codes` prints the members. Breaking-change rules of `contracts diff`
have their own table in diff/rules.py (`contracts diff --list-rules`, codes CK501-CK799), kept with the rules
they describe and not repeated here. Fuzzing reports CK8xx; a schemathesis check's code is the member named
after the check (`not_a_server_error` -> `Code.NOT_A_SERVER_ERROR`).
"""

from __future__ import annotations

from enum import StrEnum, unique

__all__ = ["Code"]


@unique
class Code(StrEnum):
    """A finding code: `Code.BODY_SCHEMA` is "CK401", titled "the response body does not fit the documented schema"."""

    summary: str
    area: str

    def __new__(cls, code: str, summary: str, area: str) -> Code:
        member = str.__new__(cls, code)
        member._value_ = code
        member.summary = summary
        member.area = area
        return member

    # lint: the registry and the files it points to
    SPEC_MISSING = "CK101", "the spec file does not exist", "lint"
    SPEC_REF_UNRESOLVED = "CK102", "a $ref in the slice does not resolve inside the file", "lint"
    SPEC_INVALID = "CK103", "the slice is not a valid OpenAPI document", "lint"
    SPEC_OPERATION_MISSING = "CK104", "a registered operation is not in the slice", "lint"
    SCHEMA_FILE_MISSING = "CK105", "a JSON Schema file does not exist", "lint"
    SCHEMA_FILE_UNREADABLE = "CK106", "a JSON Schema file is not valid JSON", "lint"
    SCHEMA_FILE_INVALID = "CK107", "a JSON Schema file is not a valid JSON Schema", "lint"
    AWS_SERVICE_UNKNOWN = "CK108", "botocore has no such AWS service", "lint"
    AWS_OPERATION_UNKNOWN = "CK109", "botocore's model of the service has no such operation", "lint"
    CONTRACT_MISSING = "CK110", "the contract file does not exist", "lint"
    CASSETTE_ABSENT = "CK111", "an operation has no cassette yet", "lint"
    CASSETTE_INVALID = "CK112", "a cassette cannot be read", "lint"
    CONTRACT_INVALID = "CK113", "a contract file cannot be read", "lint"
    STATE_FOLDER_MISSING = "CK115", "a provider state's cassette folder does not exist", "lint"
    LEDGER_INVALID = "CK116", "the ledger does not fit its schema, cannot be read, or holds an impossible date", "lint"
    LEDGER_OWNER = "CK117", "a ledger entry's owner is missing or blank", "lint"
    LEDGER_RULE = "CK118", "a ledger entry names a rule or finding code that does not exist", "lint"
    LEDGER_PROVIDER = "CK119", "a ledger entry names a provider the registry lacks", "lint"
    LEDGER_EXPIRED = "CK120", "a ledger entry expired: the gate fails until it is renewed or removed", "lint"
    REGISTRY_EMPTY = "CK121", "the registry names no providers, so nothing is checked (a warning)", "lint"
    SCRUB_KEEP_INVALID = (
        "CK129",
        "a scrub.keep entry is neither a field name nor a JSON path, keeps a field the description marks secret, or "
        "names no field the description documents (a warning)",
        "lint",
    )

    # consumer: contracts through the Pact mock server
    REQUEST_MISMATCH = "CK201", "the interaction's own request does not satisfy its own matchers", "consumer"
    NOT_RECEIVED = "CK202", "the mock server expected a request that never came", "consumer"
    SCHEMA_VIOLATION = "CK203", "the example response violates the provider's response schema", "consumer"
    UNEXPECTED_RESPONSE = "CK204", "the mock answered with something other than the example", "consumer"
    SCHEMA_UNCHECKED = "CK205", "the response schema check could not run (a warning, never a pass)", "consumer"
    MESSAGE_HANDLER_FAILED = "CK206", "the consumer's handler fails on a message of its contract", "consumer"
    MESSAGE_FIELD_NOT_GIVEN = "CK207", "the handler reads a field the contract's message does not give", "consumer"

    # cassettes: drift, pact breaks, secrets, recording
    STATUS_CHANGED = "CK301", "a re-recorded response has another status", "cassettes"
    CONTENT_TYPE_CHANGED = "CK302", "a re-recorded response has another content type", "cassettes"
    FIELD_REMOVED = "CK303", "a field of the recorded body is gone", "cassettes"
    FIELD_ADDED = "CK304", "the recorded body has a new field", "cassettes"
    TYPE_CHANGED = "CK305", "a field of the recorded body has another type", "cassettes"
    HEADER_REMOVED = "CK306", "a response header is gone", "cassettes"
    HEADER_ADDED = "CK307", "the response has a new header", "cassettes"
    INTERACTIONS_CHANGED = "CK308", "the cassette holds another number of interactions", "cassettes"
    SCHEMA_BROKEN = "CK310", "a re-recorded response no longer fits the provider's schema", "cassettes"
    PACT_BROKEN = "CK311", "a re-recorded response no longer satisfies the pact", "cassettes"
    SECRET_FOUND = "CK320", "a cassette or pact holds something that looks like a secret", "cassettes"
    UNREADABLE = "CK321", "a cassette could not be read, so it could not be scanned", "cassettes"
    RECORD_FAILED = "CK330", "an operation could not be recorded", "cassettes"
    NOT_RECORDED = (
        "CK331",
        "a provider the gate requires recorded evidence for answers from a seeded cassette",
        "cassettes",
    )

    # validation and verification
    SCHEMA_NOT_CHECKED = "CK400", "a recorded response could not be checked against its schema", "validation"
    BODY_SCHEMA = "CK401", "the response body does not fit the documented schema", "validation"
    STATUS_UNDECLARED = "CK402", "the response status is not documented", "validation"
    CONTENT_TYPE_UNDECLARED = "CK403", "the response content type is not documented", "validation"
    HEADER_MISSING = "CK404", "a required response header is missing or not valid", "validation"
    BODY_UNPARSABLE = "CK405", "the response body cannot be parsed", "validation"
    NO_OPERATION = "CK406", "no documented operation matches the request", "validation"
    AWS_SHAPE = "CK407", "the AWS response does not fit botocore's output shape", "validation"
    ERROR_SCHEMA = "CK408", "a recorded 4xx/5xx body does not fit the provider's error schema", "validation"
    EVENT_SCHEMA = "CK409", "a recorded event does not fit its message's description", "validation"
    PATH_UNKNOWN = "CK411", "the pact's path is not in the description", "verify"
    METHOD_UNKNOWN = "CK412", "the pact's method is not documented for the path", "verify"
    PARAMETER_MISSING = "CK413", "the pact omits a required parameter", "verify"
    PARAMETER_INVALID = "CK414", "a parameter value in the pact is not valid", "verify"
    REQUEST_BODY = "CK415", "the pact's request body is missing or not valid", "verify"
    STATUS_UNDOCUMENTED = "CK416", "the pact expects a status the description does not declare", "verify"
    MEDIA_UNDOCUMENTED = "CK417", "the pact expects a content type the description does not declare", "verify"
    FIELD_UNDOCUMENTED = "CK418", "the pact expects a field the description does not document", "verify"
    VALUE_UNDOCUMENTED = "CK419", "the pact expects a value or type the description does not document", "verify"
    QUERY_UNDOCUMENTED = "CK420", "the pact sends an undocumented query parameter (a warning)", "verify"
    PACT_MISMATCH = "CK421", "the provider's response does not match the pact", "verify"
    NOT_VERIFIED = "CK422", "the interaction could not be verified (no answer, a state handler failed)", "verify"
    UNKNOWN_OPERATION = "CK423", "a cassette names an operation the registry lacks", "verify"
    PACT_MISSING = "CK424", "a provider with a contract has no pact", "verify"
    CASSETTE_MISSING = "CK425", "no cassette answers the interaction", "verify"
    MESSAGE_NOT_VERIFIED = "CK426", "a message interaction of the pact is not verified: only HTTP is replayed", "verify"
    MESSAGE_MISMATCH = "CK427", "no recorded event of the message satisfies the message interaction", "verify"
    EVENTS_MISSING = "CK428", "a message interaction has no recorded events to be verified against", "verify"
    OVERLAY_INVALID = "CK430", "a quirks overlay is malformed or does not apply to the slice", "verify"
    OVERLAY_UNNEEDED = "CK431", "an overlay correction is no longer needed by any recording or pact", "verify"

    # fuzzing
    NOT_A_SERVER_ERROR = "CK801", "a fuzzed request got a 5xx answer", "fuzz"
    STATUS_CODE_CONFORMANCE = "CK802", "a fuzzed request got an undocumented status", "fuzz"
    CONTENT_TYPE_CONFORMANCE = "CK803", "a fuzzed request got an undocumented content type", "fuzz"
    RESPONSE_SCHEMA_CONFORMANCE = "CK804", "a fuzzed response does not fit the documented schema", "fuzz"
    NEGATIVE_DATA_REJECTION = "CK805", "the provider accepted a request the description forbids", "fuzz"
    ERROR_FORMAT = "CK806", "a 4xx/5xx body does not fit the provider's error schema", "fuzz"
    CONSUMER_COMPATIBILITY = "CK807", "a response lacks what a consumer's pact relies on", "fuzz"
    OTHER_CHECK = "CK808", "a schemathesis check outside the list above failed", "fuzz"
    OPERATION_ERROR = "CK809", "the operation could not be tested (unreachable server, unusable schema)", "fuzz"
    UNSAFE_SKIPPED = "CK810", "an unsafe method was skipped on a third-party provider", "fuzz"
    NO_ERROR_SCHEMA = "CK811", "the provider has no error schema, so error_format did not run", "fuzz"
    MESSAGE_HANDLER_CRASH = "CK812", "the consumer's handler crashes on a message the provider may send", "fuzz"
