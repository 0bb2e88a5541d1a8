"""Pure redaction of secrets in recorded interactions, and normalisation of values that change every run.

Nothing here does I/O: recording calls `scrub_interaction` before anything reaches disk, and the
scanner (`find_secrets`) checks finished cassettes. Every secret becomes a stable placeholder,
`<scrubbed:NAME>`, where NAME is the header, query parameter or field name, or the name of the
value pattern that matched (`<scrubbed:github-token>`), so re-recording gives the same bytes and
scrubbing twice equals scrubbing once.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from contractkit.cassettes.model import Headers, RecordedInteraction

PLACEHOLDER = "<scrubbed:{}>"
_PLACEHOLDER_TEXT = re.compile(r"<scrubbed:[^>]*>|<volatile:[^>]*>")
_ANY_PLACEHOLDER = re.compile(r"<(?:scrubbed|volatile):[^>]*>|&lt;(?:scrubbed|volatile):.*?&gt;")
VOLATILE_REQUEST_ID = "00000000-0000-4000-8000-000000000000"

SECRET_HEADERS = frozenset({
    "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "apikey",
    "x-auth-token", "x-access-token", "private-token", "x-csrf-token", "x-xsrf-token", "x-amz-security-token",
    "x-amz-date", "x-amz-content-sha256", "x-grafana-org-token", "x-slack-signature", "x-hub-signature",
    "x-hub-signature-256", "x-atlassian-token",
})
SECRET_QUERY = frozenset({
    "token", "access_token", "refresh_token", "id_token", "api_key", "apikey", "api-key", "signature", "sig",
    "x-amz-signature", "x-amz-credential", "x-amz-security-token", "x-amz-date", "client_secret", "password",
    "secret", "session", "auth", "private_token",
})
# JSON, XML and form field names, compared lower-cased with `_` and `-` removed
SECRET_FIELDS = frozenset({
    "token", "accesstoken", "refreshtoken", "idtoken", "sessiontoken", "secret", "clientsecret", "secretaccesskey",
    "secretkey", "password", "passwd", "passphrase", "privatekey", "session", "sessionid", "apikey", "apitoken",
    "authorization", "cookie", "webhookurl", "signingsecret",
})
_SECRET_SUFFIXES = ("token", "secret", "password", "privatekey", "apikey")
# pagination cursors end in "token" but are not secrets; scrubbing them would break paging
_NOT_SECRET = frozenset({"nexttoken", "continuationtoken", "nextcontinuationtoken", "pagetoken", "nextpagetoken",
                         "prevpagetoken", "previouspagetoken", "startingtoken", "synctoken", "tokentype"})

SECRET_PATTERNS: tuple[tuple[str, str], ...] = (
    ("private-key", r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"),
    ("jwt", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    ("aws-access-key-id", r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"),
    ("aws-signature", r"(?i)(?<=signature=)[0-9a-f]{64}\b"),
    ("github-token", r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b"),
    ("github-pat", r"\bgithub_pat_[A-Za-z0-9_]{22,255}\b"),
    ("slack-token", r"\bxox[abposre]-[A-Za-z0-9-]{10,}"),
    ("slack-app-token", r"\bxapp-\d-[A-Za-z0-9-]{10,}"),
    ("slack-webhook", r"https://hooks\.slack\.com/services/[A-Za-z0-9/_-]+"),
    ("grafana-service-account-token", r"\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}\b"),
    ("grafana-cloud-token", r"\bglc_[A-Za-z0-9+/]{32,}={0,2}"),
    ("grafana-api-key", r"\beyJrIjoi[A-Za-z0-9+/=_-]{20,}"),
    ("atlassian-api-token", r"\bATATT[A-Za-z0-9_=-]{20,}"),
    ("bearer", r"(?i)(?<=bearer )[A-Za-z0-9._~+/-]{16,}=*"),
    ("url-credentials", r"(?<=://)[^/\s:@<>\"']+:[^/\s@<>\"']+(?=@)"),
)

VOLATILE_REQUEST_HEADERS = frozenset({"user-agent", "amz-sdk-invocation-id", "amz-sdk-request", "x-amz-user-agent",
                                      "content-length"})
VOLATILE_RESPONSE_HEADERS = frozenset({"date", "x-amzn-requestid", "x-amz-request-id", "x-amz-id-2", "x-request-id",
                                       "x-github-request-id", "x-runtime", "server-timing", "etag", "age",
                                       "x-ratelimit-reset", "x-ratelimit-remaining", "x-ratelimit-used", "expires",
                                       "last-modified", "cf-ray", "x-amz-cf-id", "x-trace-id", "x-b3-traceid"})
_VOLATILE_FIELDS = re.compile(r"<(RequestId)>[^<]*</\1>")


@dataclass(frozen=True, slots=True)
class ScrubRules:
    """What to redact: header, query and field names, value patterns, and literal secret values."""

    headers: frozenset[str] = SECRET_HEADERS
    query: frozenset[str] = SECRET_QUERY
    fields: frozenset[str] = SECRET_FIELDS
    patterns: tuple[tuple[str, re.Pattern[str]], ...] = field(default_factory=lambda: _compile(SECRET_PATTERNS))
    literals: tuple[tuple[str, str], ...] = ()  # (name, value): the credentials a run uses, wherever they appear

    def extended(self, *, headers: Iterable[str] = (), query: Iterable[str] = (), fields: Iterable[str] = (),
                 patterns: Iterable[tuple[str, str]] = (), literals: Mapping[str, str] | None = None) -> ScrubRules:
        """These rules plus more names, patterns and literal values."""
        extra_literals = tuple((name, value) for name, value in (literals or {}).items() if len(value) >= 4)
        return ScrubRules(
            headers=self.headers | {name.lower() for name in headers},
            query=self.query | {name.lower() for name in query},
            fields=self.fields | {field_key(name) for name in fields},
            patterns=self.patterns + _compile(patterns),
            literals=tuple(sorted(set(self.literals + extra_literals), key=lambda item: -len(item[1]))),
        )

    def is_secret_field(self, name: str) -> bool:
        """True when a JSON, XML or form field of this name holds a secret."""
        key = field_key(name)
        if key in _NOT_SECRET:
            return False
        # a body that echoes headers or query parameters carries them under the same names
        lowered = name.lower()
        return key in self.fields or key.endswith(_SECRET_SUFFIXES) or lowered in self.headers or lowered in self.query


def _compile(patterns: Iterable[tuple[str, str]]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, re.compile(pattern)) for name, pattern in patterns)


def field_key(name: str) -> str:
    """A field name as compared: lower-cased, without `_` and `-`."""
    return name.lower().replace("_", "").replace("-", "")


def placeholder(name: str) -> str:
    """The stable placeholder for a secret called `name`."""
    return PLACEHOLDER.format(name.lower())


def rules_for(scrub_settings: Mapping[str, Any] | None = None, secrets: Mapping[str, str] | None = None,
              *, provider: str = "provider") -> ScrubRules:
    """Default rules plus a provider's registry `scrub:` additions and the literal credentials of a run."""
    settings = scrub_settings or {}
    patterns = [(f"{provider}-pattern-{index + 1}", text) for index, text in enumerate(settings.get("patterns", ()))]
    return ScrubRules().extended(headers=settings.get("headers", ()), query=settings.get("query", ()),
                                 fields=settings.get("fields", ()), patterns=patterns,
                                 literals=literal_variants(secrets or {}))


def literal_variants(secrets: Mapping[str, str]) -> dict[str, str]:
    """Each secret value plus its URL-encoded and base64 forms, so none of them survives either."""
    variants: dict[str, str] = {}
    for name, value in secrets.items():
        if not value:
            continue
        key = name.lower()
        variants[key] = value
        for suffix, form in (("urlencoded", quote(value, safe="")), ("base64", base64.b64encode(value.encode()).decode().rstrip("="))):
            if form != value:
                variants[f"{key}-{suffix}"] = form
    return {name: value for name, value in variants.items() if len(value) >= 4}


# ---------------------------------------------------------------- text


def scrub_text(text: str, rules: ScrubRules) -> str:
    """Replace literal secrets and value-shaped secrets (tokens, keys, JWTs) in free text; placeholders stay as
    they are, so scrubbing twice equals scrubbing once even when a secret spells part of a placeholder."""
    if "<scrubbed:" in text or "<volatile:" in text or "&lt;" in text:
        parts = _ANY_PLACEHOLDER.split(text)
        kept = _ANY_PLACEHOLDER.findall(text)
        pieces = [_scrub_plain(part, rules) for part in parts]
        return "".join(piece + (kept[index] if index < len(kept) else "") for index, piece in enumerate(pieces))
    return _scrub_plain(text, rules)


def _scrub_plain(text: str, rules: ScrubRules) -> str:
    for name, value in rules.literals:
        if value in text:
            text = text.replace(value, placeholder(name))
    for name, pattern in rules.patterns:
        text = pattern.sub(placeholder(name), text)
    return text


def scrub_uri(uri: str, rules: ScrubRules) -> str:
    """Scrub secret query parameters by name, then secrets by value anywhere in the URI."""
    parts = urlsplit(uri)
    if parts.query:
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        if any(key.lower() in rules.query for key, _ in pairs):  # re-encode only when something is replaced
            cleaned = [(key, placeholder(key) if key.lower() in rules.query else value) for key, value in pairs]
            parts = parts._replace(query=urlencode(cleaned, safe="<>:"))
    return scrub_text(urlunsplit(parts), rules)


def scrub_headers(headers: Headers, rules: ScrubRules) -> dict[str, tuple[str, ...]]:
    """Secret headers become one placeholder each; other values are scrubbed by value."""
    cleaned: dict[str, tuple[str, ...]] = {}
    for name, values in headers.items():
        if name.lower() in rules.headers:
            cleaned[name] = tuple(placeholder(name) for _ in values)
        else:
            cleaned[name] = tuple(scrub_text(value, rules) for value in values)
    return cleaned


# ---------------------------------------------------------------- bodies


def scrub_body(body: str | bytes | None, content_type: str, rules: ScrubRules) -> str | bytes | None:
    """Scrub a body by field name (JSON, form, XML) and by value; binary bodies by value only."""
    if body is None or body == "" or body == b"":
        return body
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:  # latin-1 round-trips every byte, so only matches change
            return scrub_text(body.decode("latin-1"), rules).encode("latin-1")
        return scrub_body(text, content_type, rules)
    if is_json_text(body, content_type):
        try:
            data = json.loads(body)
        except ValueError:
            return scrub_text(body, rules)
        return dump_json(scrub_json(data, rules))
    if "x-www-form-urlencoded" in content_type:
        pairs = parse_qsl(body, keep_blank_values=True)
        cleaned = [(k, placeholder(k) if rules.is_secret_field(k) else scrub_text(v, rules)) for k, v in pairs]
        return urlencode(cleaned, safe="<>:")
    text = scrub_text(_scrub_xml_fields(body, rules), rules)
    # inside XML a bare <scrubbed:x> would be read as an element: escape it so the document still parses
    return _PLACEHOLDER_TEXT.sub(lambda m: m[0].replace("<", "&lt;").replace(">", "&gt;"), text) if _is_xml(text) else text


def _is_xml(text: str) -> bool:
    return text.lstrip().startswith("<")


def is_json_text(text: str, content_type: str) -> bool:
    """True when a body is JSON by its content type or by its first character."""
    return "json" in content_type or text.lstrip()[:1] in ("{", "[")


def dump_json(data: Any) -> str:
    """JSON in the one layout cassettes use: sorted keys, two-space indent, UTF-8 kept."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)


def scrub_json(data: Any, rules: ScrubRules) -> Any:
    """Replace string values of secret-named keys, and secrets by value in every other string."""
    if isinstance(data, dict):
        return {key: placeholder(key) if isinstance(value, str) and value and rules.is_secret_field(key)
                else scrub_json(value, rules) for key, value in data.items()}
    if isinstance(data, list):
        return [scrub_json(item, rules) for item in data]
    if isinstance(data, str):
        return scrub_text(data, rules)
    return data


_XML_ELEMENT = re.compile(r"<([A-Za-z_][\w.-]*)>([^<]+)</\1>")


def _scrub_xml_fields(text: str, rules: ScrubRules) -> str:
    if "<" not in text:
        return text
    return _XML_ELEMENT.sub(lambda m: f"<{m[1]}>{placeholder(m[1])}</{m[1]}>" if rules.is_secret_field(m[1])
                            else m[0], text)


# ---------------------------------------------------------------- interactions


def scrub_interaction(interaction: RecordedInteraction, rules: ScrubRules) -> RecordedInteraction:
    """The interaction with every secret in headers, URI and bodies replaced by a placeholder."""
    request, response = interaction.request, interaction.response
    clean_request = replace(
        request, uri=scrub_uri(request.uri, rules), headers=scrub_headers(request.headers, rules),
        body=scrub_body(request.body, (request.header("content-type") or "").lower(), rules))
    clean_response = replace(
        response, headers=scrub_headers(response.headers, rules),
        body=scrub_body(response.body, response.content_type, rules))
    return replace(interaction, request=clean_request, response=clean_response)


def normalise_volatile(interaction: RecordedInteraction) -> RecordedInteraction:
    """Replace values that change on every run (dates, request ids, user agents) with fixed markers."""
    request = replace(interaction.request, headers=_mark(interaction.request.headers, VOLATILE_REQUEST_HEADERS))
    body = interaction.response.body
    if isinstance(body, str) and "<RequestId>" in body:
        body = _VOLATILE_FIELDS.sub(rf"<\1>{VOLATILE_REQUEST_ID}</\1>", body)
    response = replace(interaction.response, headers=_mark(interaction.response.headers, VOLATILE_RESPONSE_HEADERS),
                       body=body)
    return replace(interaction, request=request, response=response)


def _mark(headers: Headers, volatile: frozenset[str]) -> dict[str, tuple[str, ...]]:
    return {name: tuple(f"<volatile:{name.lower()}>" for _ in values) if name.lower() in volatile else values
            for name, values in headers.items()}


# ---------------------------------------------------------------- scanning


def find_secrets(text: str, rules: ScrubRules) -> list[str]:
    """Names of the secrets (literal or value-shaped) still present in a text; placeholders do not count."""
    bare = _ANY_PLACEHOLDER.sub("", text)
    found = [name for name, value in rules.literals if value in bare]
    found += [name for name, pattern in rules.patterns if pattern.search(bare)]
    return sorted(set(found))
