"""Limits that keep every engine bounded on hostile or extreme input, in one place."""

MAX_ERRORS_PER_RESPONSE = 20  # schema errors reported per response; the count of the rest is kept

# ----- files (core.loading)
MAX_FILE_BYTES = 128 * 1024 * 1024  # the largest document read (the full GitHub description is 13 MB)
MAX_NESTING = 100  # levels of mappings and lists in any document (real API descriptions stay under 40)
MAX_ALIAS_NODES = 100_000  # nodes YAML aliases may add by expansion (a billion-laughs bomb adds billions)

# ----- contract regexes (consumer.contractfile)
MAX_REGEX_LENGTH = 1_000  # characters of one $regex pattern

# ----- the replay server (cassettes.httpserver)
MAX_HEAD_BYTES = 64 * 1024  # request line plus headers; more is answered 431
MAX_HEADER_COUNT = 200  # header lines in one request; more is answered 431
MAX_BODY_BYTES = 16 * 1024 * 1024  # request body; a longer declared or streamed body is answered 413
MAX_CONNECTIONS = 1_000  # connections served at a time; more wait in a queue bounded by the open-file limit
HEAD_TIMEOUT = 10.0  # seconds from a request's first byte to the end of its head; then 408
BODY_TIMEOUT = 60.0  # seconds from a request's first byte to the end of its body; then 408
IDLE_TIMEOUT = 60.0  # seconds a keep-alive connection may wait for its next request
MAX_KEPT_UNMATCHED = 100  # unmatched requests remembered by name in the statistics (all are counted)
MAX_CACHED_MATCHES = 4_096  # request -> match cache entries
MAX_CACHED_BODY = 4_096  # bytes of request body up to which a match is cached

__all__ = [
    "BODY_TIMEOUT",
    "HEAD_TIMEOUT",
    "IDLE_TIMEOUT",
    "MAX_ALIAS_NODES",
    "MAX_BODY_BYTES",
    "MAX_CACHED_BODY",
    "MAX_CACHED_MATCHES",
    "MAX_CONNECTIONS",
    "MAX_ERRORS_PER_RESPONSE",
    "MAX_FILE_BYTES",
    "MAX_HEAD_BYTES",
    "MAX_HEADER_COUNT",
    "MAX_KEPT_UNMATCHED",
    "MAX_NESTING",
    "MAX_REGEX_LENGTH",
]
