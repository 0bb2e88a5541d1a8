"""Scrubbing recorded interactions, and normalisation of values that change every run.

Nothing here does I/O. `scrub_interaction` runs the structural pass (secrets/walk.py) over a request and its
response before anything reaches disk; compressed and UTF-16/32 bodies are decoded first and encoded back after
scrubbing. The scanner (`iter_interaction_secrets`, `find_secrets`) runs the same pass and reports what it would
replace, so the two give the same verdicts. Every secret becomes a stable placeholder, `<scrubbed:NAME>`, where
NAME is the header, query parameter or field name, or the name of the value format that matched
(`<scrubbed:github-token>`), so re-recording gives the same bytes and scrubbing twice equals scrubbing once.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping

from contractkit.core.errors import ContractKitError
from contractkit.core.model import CheckResult, Provider
from contractkit.core.settings import ScrubSettings
from contractkit.openapi import load_spec_document
from contractkit.secrets.description import DescriptionHints, hints_from_document
from contractkit.secrets.detector import credential_variants
from contractkit.secrets.layers import decode_bytes
from contractkit.secrets.quick import clear_memo
from contractkit.secrets.rules import PLACEHOLDER, SECRET_HEADERS, SECRET_QUERY, ScrubRules, field_key, placeholder
from contractkit.secrets.walk import Scrubber, dump_json, is_json_text

if TYPE_CHECKING:  # annotations only: importing cassettes costs every command that masks its output
    from contractkit.cassettes import Headers, RecordedInteraction

__all__ = [
    "PLACEHOLDER",
    "SECRET_HEADERS",
    "SECRET_QUERY",
    "ScrubRules",
    "VOLATILE_REQUEST_ID",
    "description_hints",
    "dump_json",
    "field_key",
    "find_secrets",
    "find_value_secrets",
    "forget_verdicts",
    "is_json_text",
    "iter_interaction_secrets",
    "literal_variants",
    "mask_volatile",
    "normalise_volatile",
    "placeholder",
    "rules_for",
    "rules_for_provider",
    "scrub_body",
    "scrub_check_result",
    "scrub_interaction",
    "scrub_text",
]

VOLATILE_REQUEST_ID = "00000000-0000-4000-8000-000000000000"

# accept-encoding depends on the recording client's installed decoders (brotli, zstd), not on the provider
VOLATILE_REQUEST_HEADERS = frozenset(
    {"user-agent", "amz-sdk-invocation-id", "amz-sdk-request", "x-amz-user-agent", "content-length", "accept-encoding"}
)
# `server` is a banner naming the server's and its runtime's versions (`Werkzeug/3.1.8 Python/3.11.7`)
VOLATILE_RESPONSE_HEADERS = frozenset(
    {
        "date",
        "server",
        "x-amzn-requestid",
        "x-amz-request-id",
        "x-amz-id-2",
        "x-request-id",
        "x-github-request-id",
        "x-runtime",
        "server-timing",
        "etag",
        "age",
        "x-ratelimit-reset",
        "x-ratelimit-remaining",
        "x-ratelimit-used",
        "expires",
        "last-modified",
        "cf-ray",
        "x-amz-cf-id",
        "x-trace-id",
        "x-b3-traceid",
    }
)
_VOLATILE_FIELDS = re.compile(r"<(RequestId)>[^<]*</\1>")
# Body values a provider makes up on every run for the same answer: ids generated when an object is created
# (moto re-creates its fixtures each run) and the times it was created or changed. They are kept as recorded
# and only masked when deciding whether a new recording differs from the old one (`mask_volatile`).
VOLATILE_BODY_FIELDS = ("RequestId", "UserId", "RoleId", "GroupId", "PolicyId", "InstanceProfileId")
_VOLATILE_BODY_VALUES = (
    (re.compile(r"<(%s)>[^<]*</\1>" % "|".join(VOLATILE_BODY_FIELDS)), r"<\1><volatile:\1></\1>"),
    (re.compile(r'"(%s)"(\s*:\s*)"[^"]*"' % "|".join(VOLATILE_BODY_FIELDS)), r'"\1"\2"<volatile:\1>"'),
    # epoch seconds under a time-like JSON key (`"StateUpdatedTimestamp": 1795320525.404`)
    (re.compile(r'"(\w*(?:Timestamp|Date|Time))"(\s*:\s*)-?\d+(?:\.\d+)?'), r'"\1"\2"<volatile:\1>"'),
    # ISO 8601 instants with a time of day; a bare date (a period asked for) is data, not a clock reading
    (
        re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\b"),
        "<volatile:date-time>",
    ),
)


def rules_for(
    scrub_settings: ScrubSettings | None = None, secrets: Mapping[str, str] | None = None, *, provider: str = "provider"
) -> ScrubRules:
    """Default rules plus a provider's registry `scrub:` additions and allow-list, and the literal credentials of
    a run."""
    scrub = scrub_settings or ScrubSettings()
    patterns = [(f"{provider}-pattern-{index + 1}", text) for index, text in enumerate(scrub.patterns)]
    return ScrubRules().extended(
        headers=scrub.headers,
        query=scrub.query,
        fields=scrub.fields,
        patterns=patterns,
        literals=literal_variants(secrets or {}),
        keep=scrub.keep,
    )


def rules_for_provider(provider: Provider, secrets: Mapping[str, str]) -> ScrubRules:
    """Default rules, the provider's registry additions and allow-list, its auth header or query name, what its
    description says about its fields, and this run's credentials."""
    rules = rules_for(provider.settings.scrub, secrets, provider=provider.name)
    auth = provider.auth
    return rules.extended(
        headers=[auth.header] if auth.header else (),
        query=[auth.query] if auth.query else (),
        hints=description_hints(provider.spec),
    )


def description_hints(spec: Path | None) -> DescriptionHints:
    """What a provider's description says about its fields; no hints when it has none or it cannot be read
    (the commands that read the description report that)."""
    if spec is None or not Path(spec).is_file():
        return DescriptionHints()
    return _hints(str(spec), Path(spec).stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _hints(spec: str, _mtime: int) -> DescriptionHints:
    try:
        return hints_from_document(load_spec_document(spec))
    except ContractKitError:
        return DescriptionHints()


def literal_variants(secrets: Mapping[str, str]) -> dict[str, str]:
    """Each secret value in every encoding it may travel in (see secrets.credential_variants)."""
    return credential_variants(secrets)


# ---------------------------------------------------------------- public entry points


def scrub_text(text: str, rules: ScrubRules) -> str:
    """Replace secrets in free text: URLs (by structure), literal credentials, credential formats, and values
    assigned to secret names; placeholders stay as they are, so scrubbing twice equals scrubbing once."""
    return Scrubber(rules).text(text)


def scrub_body(body: str | bytes | None, content_type: str, rules: ScrubRules) -> str | bytes | None:
    """Scrub a body by structure (JSON, form, multipart, XML) and by value; binary bodies by value only."""
    return _scrub_body(Scrubber(rules), body, content_type)


def _scrub_body(
    scrubber: Scrubber, body: str | bytes | None, content_type: str, encoding: str = ""
) -> str | bytes | None:
    if body is None or body == "" or body == b"":
        return body
    if isinstance(body, bytes):
        return _scrub_bytes(scrubber, body, content_type, encoding)
    return scrubber.body(body, content_type)


def _scrub_bytes(scrubber: Scrubber, body: bytes, content_type: str, encoding: str) -> str | bytes:
    """UTF-8 bytes scrubbed as text (as cassettes store them); compressed or UTF-16/32 bytes decoded, scrubbed
    and encoded back, unchanged when nothing was found; other bytes by value, through Latin-1."""
    try:
        return scrubber.body(body.decode("utf-8"), content_type)
    except UnicodeDecodeError:
        pass
    decoded = decode_bytes(body, encoding.lower())
    if decoded is not None:
        text, encode = decoded
        clean = scrubber.body(text, content_type, keep_layout=True)
        return body if clean == text else encode(clean)
    return scrubber.text(body.decode("latin-1")).encode("latin-1")  # latin-1 round-trips every byte


def scrub_interaction(interaction: RecordedInteraction, rules: ScrubRules) -> RecordedInteraction:
    """The interaction with every secret in headers, URI and bodies replaced by a placeholder."""
    return _scrub_interaction(Scrubber(rules), interaction)


def forget_verdicts(rules: ScrubRules) -> None:
    """Forget the verdicts remembered while scrubbing with these rules (values judged clean, runs judged random),
    so the next pass meets every value for the first time: for measuring, not needed for correctness."""
    rules.forget()
    clear_memo()


def _scrub_interaction(scrubber: Scrubber, interaction: RecordedInteraction) -> RecordedInteraction:
    request, response = interaction.request, interaction.response
    clean_request = replace(
        request,
        uri=scrubber.text(request.uri),
        headers=_headers(scrubber, request.headers),
        body=_scrub_body(
            scrubber, request.body, request.header("content-type") or "", request.header("content-encoding") or ""
        ),
    )
    clean_response = replace(
        response,
        headers=_headers(scrubber, response.headers),
        body=_scrub_body(
            scrubber, response.body, response.header("content-type") or "", response.header("content-encoding") or ""
        ),
    )
    return replace(interaction, request=clean_request, response=clean_response)


def _headers(scrubber: Scrubber, headers: Headers) -> dict[str, tuple[str, ...]]:
    return {name: tuple(scrubber.header(name, value) for value in values) for name, values in headers.items()}


def iter_interaction_secrets(
    interaction: RecordedInteraction, rules: ScrubRules
) -> Iterator[tuple[tuple[str, ...], str]]:
    """(where, kind) for every secret scrubbing would replace: `("request", "uri")`, `("response", "headers",
    "Set-Cookie")`, `("response", "body")` ...; the kind names the field or format, never the value."""
    request, response = interaction.request, interaction.response
    parts: list[tuple[tuple[str, ...], Callable[[Scrubber], object]]] = [
        (("request", "uri"), lambda scrubber: scrubber.text(request.uri)),
        (
            ("request", "body"),
            lambda scrubber: _scrub_body(
                scrubber, request.body, request.header("content-type") or "", request.header("content-encoding") or ""
            ),
        ),
        (
            ("response", "body"),
            lambda scrubber: _scrub_body(
                scrubber,
                response.body,
                response.header("content-type") or "",
                response.header("content-encoding") or "",
            ),
        ),
    ]
    for side, headers in (("request", request.headers), ("response", response.headers)):
        for name, values in headers.items():
            parts.append(((side, "headers", name), _header_scrubber(name, values)))
    for where, run in parts:
        hits: list[str] = []
        run(Scrubber(rules, hits))
        for kind in dict.fromkeys(hits):
            yield where, kind


def _header_scrubber(name: str, values: tuple[str, ...]) -> Callable[[Scrubber], object]:
    return lambda scrubber: [scrubber.header(name, value) for value in values]


def find_secrets(text: str, rules: ScrubRules) -> list[str]:
    """Kinds of the secrets (by format, literal value, or secret name in a URL or assignment) still in a text."""
    hits: list[str] = []
    Scrubber(rules, hits).text(text)
    return sorted(set(hits))


def find_value_secrets(value: Any, rules: ScrubRules) -> list[str]:
    """Kinds of the secrets still in a JSON-like value (a cassette's metadata), judged by its structure as the
    recorder judges a body (a field by its name and value), not by the value's JSON text read as prose."""
    hits: list[str] = []
    Scrubber(rules, hits).json(value)
    return sorted(set(hits))


def scrub_check_result(result: CheckResult, rules: ScrubRules) -> CheckResult:
    """A report row with live bodies and messages scrubbed: message, findings and details."""
    scrubber = Scrubber(rules)
    findings = tuple(
        replace(item, message=scrubber.text(item.message), location=scrubber.text(item.location))
        for item in result.findings
    )
    return replace(
        result, message=scrubber.text(result.message), findings=findings, details=scrubber.json(dict(result.details))
    )


# ---------------------------------------------------------------- volatile values


def normalise_volatile(interaction: RecordedInteraction) -> RecordedInteraction:
    """Replace values that change on every run (dates, request ids, user agents) with fixed markers."""
    request = replace(interaction.request, headers=_mark(interaction.request.headers, VOLATILE_REQUEST_HEADERS))
    body = interaction.response.body
    if isinstance(body, str) and "<RequestId>" in body:
        body = _VOLATILE_FIELDS.sub(rf"<\1>{VOLATILE_REQUEST_ID}</\1>", body)
    response = replace(
        interaction.response, headers=_mark(interaction.response.headers, VOLATILE_RESPONSE_HEADERS), body=body
    )
    return replace(interaction, request=request, response=response)


def mask_volatile(interaction: RecordedInteraction) -> RecordedInteraction:
    """The interaction as compared between recordings: volatile headers marked whatever they hold, and the
    volatile body values (generated ids, creation and update times) masked. Not for writing: the masked body
    no longer fits the response schema."""
    clean = normalise_volatile(interaction)
    body = clean.response.body
    if isinstance(body, str):
        for pattern, replacement in _VOLATILE_BODY_VALUES:
            body = pattern.sub(replacement, body)
    return replace(clean, response=replace(clean.response, body=body))


def _mark(headers: Headers, volatile: frozenset[str]) -> dict[str, tuple[str, ...]]:
    return {
        name: tuple(f"<volatile:{name.lower()}>" for _ in values) if name.lower() in volatile else values
        for name, values in headers.items()
    }
