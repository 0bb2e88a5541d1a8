"""Pure redaction of secrets in recorded interactions, and normalisation of values that change every run.

Nothing here does I/O. This module walks structure: headers (cookies by pair), URLs wherever they appear
(userinfo, query, fragment, nested URLs in parameter values), form, multipart, XML and JSON bodies (name/value
pair lists, JSON held in strings), and free text; at each place it asks the one detector in secrets.py whether
a name or a value is a secret. Recording calls `scrub_interaction` before anything reaches disk; the scanner
(`iter_interaction_secrets`, `find_secrets`) runs the same pass and reports what it would replace; reports
and live bodies go through `mask_text` and `scrub_check_result`. Every secret becomes a stable placeholder,
`<scrubbed:NAME>`, where NAME is the header, query parameter or field name, or the name of the
value pattern that matched (`<scrubbed:github-token>`), so re-recording gives the same bytes and
scrubbing twice equals scrubbing once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Iterator, Mapping
from urllib.parse import quote, unquote, unquote_plus, urlsplit, urlunsplit

from contractkit.cassettes import Headers, RecordedInteraction
from contractkit.core.loading import parse_json_value
from contractkit.core.model import CheckResult, Provider
from contractkit.core.settings import ScrubSettings
from contractkit.secrets.detector import (
    CREDENTIAL_FORMATS,
    Detector,
    FormatPattern,
    compile_formats,
    credential_variants,
    is_secret_by_shape,
    is_secret_name,
    looks_random,
)

__all__ = [
    "PLACEHOLDER",
    "SECRET_HEADERS",
    "SECRET_QUERY",
    "ScrubRules",
    "VOLATILE_REQUEST_ID",
    "dump_json",
    "field_key",
    "find_secrets",
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

PLACEHOLDER = "<scrubbed:{}>"
_PLACEHOLDER_TEXT = re.compile(r"<scrubbed:[^<>]*>|<volatile:[^<>]*>")
_ANY_PLACEHOLDER = re.compile(
    r"<(?:scrubbed|volatile):[^<>]*>|&lt;(?:scrubbed|volatile):.*?&gt;|%3C(?:scrubbed|volatile)%3A[A-Za-z0-9_.+-]*%3E"
)
VOLATILE_REQUEST_ID = "00000000-0000-4000-8000-000000000000"

# headers scrubbed whole beyond the ones `is_secret_name` recognises (signing inputs that change every run)
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api-key",
        "apikey",
        "x-auth-token",
        "x-access-token",
        "private-token",
        "x-csrf-token",
        "x-xsrf-token",
        "x-amz-security-token",
        "x-amz-date",
        "x-amz-content-sha256",
        "x-grafana-org-token",
        "x-slack-signature",
        "x-hub-signature",
        "x-hub-signature-256",
        "x-atlassian-token",
    }
)
SECRET_QUERY = frozenset(
    {"sig", "x-amz-signature", "x-amz-credential", "x-amz-security-token", "x-amz-date", "state_token", "ticket"}
)  # `code` is secret only when it looks like one: is_secret_by_shape
_COOKIE_HEADERS = frozenset({"cookie", "set-cookie", "set-cookie2"})
_COOKIE_ATTRIBUTES = frozenset(
    {
        "path",
        "domain",
        "expires",
        "max-age",
        "secure",
        "httponly",
        "samesite",
        "priority",
        "partitioned",
        "version",
        "comment",
    }
)

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
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]{1,15}://[^\s\"'<>\\`]+")
# `password=...`, `"api_key": "..."`, `X-Auth-Token: ...` in free text
_ASSIGNMENT = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_.-]{1,60})(?P<sep>[\"']?\s*[:=]\s*[\"']?)"
    r"(?P<v>[^\s\"'&;,<>{}\[\]()]{4,})"
)
_HARMLESS_VALUES = frozenset(
    {
        "true",
        "false",
        "null",
        "none",
        "undefined",
        "required",
        "optional",
        "bearer",
        "basic",
        "token",
        "redacted",
        "hidden",
        "present",
        "missing",
        "empty",
    }
)
_NAME_KEYS = (
    "name",
    "Name",
    "key",
    "Key",
    "header",
    "Header",
    "variable",
    "Variable",
    "field",
    "ParameterKey",
    "OptionName",
)
_VALUE_KEYS = ("value", "Value", "ParameterValue", "secret", "Secret")


@dataclass(frozen=True, slots=True)
class ScrubRules:
    """What to redact: extra header, query and field names, value formats, and literal secret values."""

    headers: frozenset[str] = SECRET_HEADERS
    query: frozenset[str] = SECRET_QUERY
    fields: frozenset[str] = frozenset()
    patterns: tuple[tuple[str, FormatPattern], ...] = field(default_factory=lambda: compile_formats(CREDENTIAL_FORMATS))
    literals: tuple[tuple[str, str], ...] = ()  # (name, value): the credentials a run uses, wherever they appear

    def extended(
        self,
        *,
        headers: Iterable[str] = (),
        query: Iterable[str] = (),
        fields: Iterable[str] = (),
        patterns: Iterable[tuple[str, str]] = (),
        literals: Mapping[str, str] | None = None,
    ) -> ScrubRules:
        """These rules plus more names, patterns and literal values."""
        extra_literals = tuple((name, value) for name, value in (literals or {}).items() if len(value) >= 4)
        return ScrubRules(
            headers=self.headers | {name.lower() for name in headers},
            query=self.query | {name.lower() for name in query},
            fields=self.fields | {field_key(name) for name in fields},
            patterns=self.patterns + compile_formats(patterns),
            literals=tuple(sorted(set(self.literals + extra_literals), key=lambda item: (-len(item[1]), item[0]))),
        )

    @property
    def detector(self) -> Detector:
        """The value detector of these rules: formats and literals."""
        return Detector(self.patterns, self.literals)

    def is_secret_field(self, name: str, value: str = "") -> bool:
        """True when a JSON, XML, form field or cookie of this name holds a secret; under a name such as `code`
        only a credential-shaped value does (an OAuth code, not `NOT_FOUND` or a finding code `CK612`)."""
        lowered = name.lower()
        return (
            field_key(name) in self.fields
            or is_secret_name(name)
            or lowered in self.headers
            or lowered in self.query
            or is_secret_by_shape(name, value)
        )

    def is_secret_header(self, name: str) -> bool:
        """True when a header's whole value is a secret."""
        return name.lower() in self.headers or (name.lower() not in _COOKIE_HEADERS and self.is_secret_field(name))

    def is_secret_query(self, name: str, value: str = "") -> bool:
        """True when a query, fragment or form parameter of this name (with this value) holds a secret."""
        return name.lower() in self.query or self.is_secret_field(name, value)


def field_key(name: str) -> str:
    """A field name as compared: lower-cased, without `_` and `-`."""
    return name.lower().replace("_", "").replace("-", "")


def placeholder(name: str) -> str:
    """The stable placeholder for a secret called `name`."""
    return PLACEHOLDER.format(re.sub(r"[<>\s]", "_", name.lower()))


def rules_for(
    scrub_settings: ScrubSettings | None = None, secrets: Mapping[str, str] | None = None, *, provider: str = "provider"
) -> ScrubRules:
    """Default rules plus a provider's registry `scrub:` additions and the literal credentials of a run."""
    scrub = scrub_settings or ScrubSettings()
    patterns = [(f"{provider}-pattern-{index + 1}", text) for index, text in enumerate(scrub.patterns)]
    return ScrubRules().extended(
        headers=scrub.headers,
        query=scrub.query,
        fields=scrub.fields,
        patterns=patterns,
        literals=literal_variants(secrets or {}),
    )


def rules_for_provider(provider: Provider, secrets: Mapping[str, str]) -> ScrubRules:
    """Default rules, the provider's registry additions, its auth header or query name, and this run's credentials."""
    rules = rules_for(provider.settings.scrub, secrets, provider=provider.name)
    auth = provider.auth
    return rules.extended(headers=[auth.header] if auth.header else (), query=[auth.query] if auth.query else ())


def literal_variants(secrets: Mapping[str, str]) -> dict[str, str]:
    """Each secret value in every encoding it may travel in (see secrets.credential_variants)."""
    return credential_variants(secrets)


# ---------------------------------------------------------------- the structural pass


class _Pass:
    """One scrubbing walk; `hits` collects the kind of every secret replaced (for the scanner)."""

    def __init__(self, rules: ScrubRules, hits: list[str] | None = None, *, assignments: bool = True) -> None:
        self.rules = rules
        self.hits = hits
        self.assignments = assignments  # `password=...` in free text; off for reports, which name fields in prose

    def secret(self, name: str, value: str = "") -> str:
        """The placeholder for a secret called `name`; the scanner also learns the formats the value has."""
        if self.hits is not None:
            self.hits.append(name.lower())
            self.hits += self.rules.detector.kinds(value) if value else []
        return placeholder(name)

    # ------------------------------------------------------------ text

    def text(self, text: str) -> str:
        """URLs, literal credentials, credential formats and `name=value` assignments in free text."""
        for step in (
            (self._urls, self._literals, self._assignments) if self.assignments else (self._urls, self._literals)
        ):
            text = _each_plain(text, step)
        return text

    def _urls(self, text: str) -> str:
        return _URL.sub(self._url_match, text) if "://" in text else text

    def _url_match(self, found: re.Match[str]) -> str:
        url = found[0].rstrip(").,;:!?]}")  # prose closes a sentence or a parenthesis after a URL
        return self.url(url) + found[0][len(url) :]

    def _literals(self, text: str) -> str:
        matches = sorted(self.rules.detector.iter_matches(text), key=lambda match: match.start)
        if not matches:
            return text
        pieces, last = [], 0
        for match in matches:
            pieces += [text[last : match.start], self.secret(match.kind)]
            last = match.end
        return "".join(pieces) + text[last:]

    def _assignments(self, text: str) -> str:
        def replace_value(found: re.Match[str]) -> str:
            value = found["v"]
            if (
                not self.rules.is_secret_query(found["name"], value)
                or value.lower() in _HARMLESS_VALUES
                or value.isdigit()
            ):
                return found[0]
            return found["name"] + found["sep"] + self.secret(found["name"])

        return _ASSIGNMENT.sub(replace_value, text) if ("=" in text or ":" in text) else text

    # ------------------------------------------------------------ URLs and pairs

    def url(self, url: str) -> str:
        """A URL with secrets in its userinfo, query and fragment replaced, and by value everywhere."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return url
        netloc = self._userinfo(parts.netloc)
        query = self.pairs(parts.query) if parts.query else parts.query
        fragment = self.pairs(parts.fragment) if "=" in parts.fragment else parts.fragment
        if (netloc, query, fragment) == (parts.netloc, parts.query, parts.fragment):
            return url
        return urlunsplit(parts._replace(netloc=netloc, query=query, fragment=fragment))

    def _userinfo(self, netloc: str) -> str:
        userinfo, at, host = netloc.rpartition("@")
        if not at or not userinfo:
            return netloc
        user, colon, password = userinfo.partition(":")
        if not colon:  # `https://<token>@host`: a lone userinfo is a credential
            return f"{self.secret('userinfo')}@{host}"
        if user and (looks_random(user, min_length=12) or self.rules.detector.kinds(user)):
            user = self.secret("username")
        return f"{user}:{self.secret('password') if password else ''}@{host}"

    def pairs(self, raw: str, *, plus: bool = True) -> str:
        """`a=1&token=x` with secret-named values replaced and every other value scrubbed as text."""
        pieces = []
        for piece in raw.split("&"):
            name_raw, eq, value_raw = piece.partition("=")
            name, value = unquote_plus(name_raw), unquote_plus(value_raw) if plus else unquote(value_raw)
            if eq and value and not _is_placeholder(value):
                clean = self.secret(name, value) if self.rules.is_secret_query(name, value) else self.text(value)
                if clean != value:
                    piece = f"{name_raw}={quote(clean, safe='<>:/')}"
            pieces.append(piece)
        return "&".join(pieces)

    # ------------------------------------------------------------ headers

    def header(self, name: str, value: str) -> str:
        if _is_placeholder(value) or not value:
            return value
        lowered = name.lower()
        if lowered in _COOKIE_HEADERS:
            return self.cookies(value, set_cookie=lowered != "cookie")
        if self.rules.is_secret_header(name):
            return self.secret(name, value)
        return self.text(value)

    def cookies(self, value: str, *, set_cookie: bool) -> str:
        """Every cookie value replaced by a placeholder named for the cookie; names and attributes kept."""
        pieces = []
        for index, piece in enumerate(value.split(";")):
            name, eq, content = piece.partition("=")
            attribute = set_cookie and index > 0 and name.strip().lower() in _COOKIE_ATTRIBUTES
            if eq and content.strip() and not attribute and not _is_placeholder(content.strip()):
                piece = f"{name}={self.secret(name.strip() or 'cookie')}"
            elif not eq and not attribute and piece.strip() and not _is_placeholder(piece.strip()):
                piece = self.secret("cookie")
            pieces.append(piece)
        return ";".join(pieces)

    # ------------------------------------------------------------ bodies

    def body(self, text: str, content_type: str) -> str:
        lowered = content_type.lower()
        if is_json_text(text, lowered):
            try:
                data = parse_json_value(text)
            except ValueError:
                return self.text(text)
            return dump_json(self.json(data))
        if "x-www-form-urlencoded" in lowered:
            return self.pairs(text)
        if "multipart/" in lowered and "boundary=" in lowered:
            return self.multipart(text, content_type)
        if _is_xml(text) or "xml" in lowered:
            return _escape_xml_placeholders(self.text(self.xml(text)))
        return self.text(text)

    def json(self, data: Any, container: str = "") -> Any:
        if isinstance(data, dict):
            pair = self._name_value_pair(data)
            if pair is not None:
                return pair
            return {key: self._json_entry(str(key), value, container) for key, value in data.items()}
        if isinstance(data, list):
            return [self.json(item, container) for item in data]
        if isinstance(data, str):
            return self.json_string(data, container)
        return data

    def _json_entry(self, key: str, value: Any, container: str) -> Any:
        if isinstance(value, str) and value and not _is_placeholder(value) and self.rules.is_secret_field(key, value):
            return self.secret(key, value)
        if (
            isinstance(value, list)
            and value
            and all(isinstance(item, str) for item in value)
            and self.rules.is_secret_field(key)
        ):
            return [self.secret(key) if item and not _is_placeholder(item) else item for item in value]
        if isinstance(value, (dict, list)) and self.rules.is_secret_field(key):
            return self.json(value, container=key)  # inside `credentials: {...}` random strings are secrets
        return self.json(value, container if not isinstance(value, str) else (container and key))

    def _name_value_pair(self, data: dict[str, Any]) -> dict[str, Any] | None:
        """`{name: API_KEY, value: ...}`: the value is a secret when the name is, or when it looks random."""
        name_key = next((key for key in _NAME_KEYS if isinstance(data.get(key), str)), None)
        value_key = next((key for key in _VALUE_KEYS if isinstance(data.get(key), str)), None)
        if name_key is None or value_key is None or name_key == value_key:
            return None
        name, value = data[name_key], data[value_key]
        if not value or _is_placeholder(value):
            return None
        if self.rules.is_secret_field(name) or looks_random(value):
            cleaned = {key: self.json(item) for key, item in data.items() if key != value_key}
            return {**cleaned, value_key: self.secret(name)}
        return None

    def json_string(self, value: str, container: str = "") -> str:
        """A JSON string: JSON inside it is scrubbed as JSON, anything else as text; random ones in a secret place go."""
        if _is_placeholder(value):
            return value
        if value.lstrip()[:1] in ("{", "["):
            try:
                inner = parse_json_value(value)
            except ValueError:
                inner = None
            if isinstance(inner, (dict, list)):
                cleaned = self.json(inner, container)
                return value if cleaned == inner else json.dumps(cleaned, ensure_ascii=False)
        if container and looks_random(value):
            return self.secret(container)
        return self.text(value)

    def xml(self, text: str) -> str:
        if "<" not in text:
            return text
        text = _XML_ELEMENT.sub(
            lambda m: (
                f"<{m[1]}{m[2] or ''}>{self.secret(_local(m[1]))}</{m[1]}>"
                if self.rules.is_secret_field(_local(m[1]), m[3]) and not _is_placeholder(m[3])
                else m[0]
            ),
            text,
        )
        return _XML_ATTRIBUTE.sub(
            lambda m: (
                f"{m[1]}={m[2]}{self.secret(_local(m[1]))}{m[2]}"
                if self.rules.is_secret_field(_local(m[1].strip()), m[3]) and not _is_placeholder(m[3])
                else m[0]
            ),
            text,
        )

    def multipart(self, text: str, content_type: str) -> str:
        boundary = content_type.split("boundary=", 1)[1].split(";", 1)[0].strip().strip('"')
        parts = text.split(f"--{boundary}")
        return f"--{boundary}".join([parts[0], *(self._part(part) for part in parts[1:])])

    def _part(self, part: str) -> str:
        head, sep, content = part.partition("\r\n\r\n")
        if not sep:
            head, sep, content = part.partition("\n\n")
        if not sep:
            return part
        name = re.search(r'\bname="([^"]*)"', head)
        part_type = re.search(r"(?im)^content-type:\s*(.+?)\s*$", head)
        ending = content[len(content.rstrip("\r\n")) :]
        value = content[: len(content) - len(ending)]
        if name and self.rules.is_secret_field(name[1], value) and value and not _is_placeholder(value):
            return head + sep + self.secret(name[1]) + ending
        return head + sep + self.body(value, part_type[1] if part_type else "") + ending


_XML_ELEMENT = re.compile(r"<([A-Za-z_][\w.:-]*)(\s[^<>]*)?>([^<]+)</\1>")
_XML_ATTRIBUTE = re.compile(r"(?<=\s)([A-Za-z_][\w.:-]*)=([\"'])([^\"'<>]+)\2")


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _is_placeholder(value: str) -> bool:
    return bool(_ANY_PLACEHOLDER.fullmatch(value.strip()))


def _each_plain(text: str, step: Callable[[str], str]) -> str:
    """Apply a step to the parts of a text outside placeholders, so placeholders are never rewritten."""
    if "scrubbed" not in text and "volatile" not in text:
        return step(text)
    parts = _ANY_PLACEHOLDER.split(text)
    kept = _ANY_PLACEHOLDER.findall(text)
    return "".join(step(part) + (kept[index] if index < len(kept) else "") for index, part in enumerate(parts))


def _is_xml(text: str) -> bool:
    return text.lstrip().startswith("<")


def _escape_xml_placeholders(text: str) -> str:
    # inside XML a bare <scrubbed:x> would be read as an element: escape it so the document still parses
    return (
        _PLACEHOLDER_TEXT.sub(lambda m: m[0].replace("<", "&lt;").replace(">", "&gt;"), text) if _is_xml(text) else text
    )


# ---------------------------------------------------------------- public entry points


def scrub_text(text: str, rules: ScrubRules) -> str:
    """Replace secrets in free text: URLs (by structure), literal credentials, credential formats, and values
    assigned to secret names; placeholders stay as they are, so scrubbing twice equals scrubbing once."""
    return _Pass(rules).text(text)


def scrub_body(body: str | bytes | None, content_type: str, rules: ScrubRules) -> str | bytes | None:
    """Scrub a body by structure (JSON, form, multipart, XML) and by value; binary bodies by value only."""
    return _scrub_body(_Pass(rules), body, content_type)


def _scrub_body(scrubber: _Pass, body: str | bytes | None, content_type: str) -> str | bytes | None:
    if body is None or body == "" or body == b"":
        return body
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:  # latin-1 round-trips every byte, so only matches change
            return scrubber.text(body.decode("latin-1")).encode("latin-1")
        return scrubber.body(text, content_type)
    return scrubber.body(body, content_type)


def is_json_text(text: str, content_type: str) -> bool:
    """True when a body is JSON by its content type or by its first character."""
    return "json" in content_type or text.lstrip()[:1] in ("{", "[")


def dump_json(data: Any) -> str:
    """JSON in the one layout cassettes use: sorted keys, two-space indent, UTF-8 kept."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)


def scrub_interaction(interaction: RecordedInteraction, rules: ScrubRules) -> RecordedInteraction:
    """The interaction with every secret in headers, URI and bodies replaced by a placeholder."""
    return _scrub_interaction(_Pass(rules), interaction)


def _scrub_interaction(scrubber: _Pass, interaction: RecordedInteraction) -> RecordedInteraction:
    request, response = interaction.request, interaction.response
    clean_request = replace(
        request,
        uri=scrubber.text(request.uri),
        headers=_headers(scrubber, request.headers),
        body=_scrub_body(scrubber, request.body, request.header("content-type") or ""),
    )
    clean_response = replace(
        response,
        headers=_headers(scrubber, response.headers),
        body=_scrub_body(scrubber, response.body, response.header("content-type") or ""),
    )
    return replace(interaction, request=clean_request, response=clean_response)


def _headers(scrubber: _Pass, headers: Headers) -> dict[str, tuple[str, ...]]:
    return {name: tuple(scrubber.header(name, value) for value in values) for name, values in headers.items()}


def iter_interaction_secrets(
    interaction: RecordedInteraction, rules: ScrubRules
) -> Iterator[tuple[tuple[str, ...], str]]:
    """(where, kind) for every secret scrubbing would replace: `("request", "uri")`, `("response", "headers",
    "Set-Cookie")`, `("response", "body")` ...; the kind names the field or format, never the value."""
    request, response = interaction.request, interaction.response
    parts: list[tuple[tuple[str, ...], Callable[[_Pass], object]]] = [
        (("request", "uri"), lambda scrubber: scrubber.text(request.uri)),
        (
            ("request", "body"),
            lambda scrubber: _scrub_body(scrubber, request.body, request.header("content-type") or ""),
        ),
        (
            ("response", "body"),
            lambda scrubber: _scrub_body(scrubber, response.body, response.header("content-type") or ""),
        ),
    ]
    for side, headers in (("request", request.headers), ("response", response.headers)):
        for name, values in headers.items():
            parts.append(((side, "headers", name), _header_scrubber(name, values)))
    for where, run in parts:
        hits: list[str] = []
        run(_Pass(rules, hits))
        for kind in dict.fromkeys(hits):
            yield where, kind


def _header_scrubber(name: str, values: tuple[str, ...]) -> Callable[[_Pass], object]:
    return lambda scrubber: [scrubber.header(name, value) for value in values]


def find_secrets(text: str, rules: ScrubRules) -> list[str]:
    """Kinds of the secrets (by format, literal value, or secret name in a URL or assignment) still in a text."""
    hits: list[str] = []
    _Pass(rules, hits).text(text)
    return sorted(set(hits))


def scrub_check_result(result: CheckResult, rules: ScrubRules) -> CheckResult:
    """A report row with live bodies and messages scrubbed: message, findings and details."""
    scrubber = _Pass(rules)
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
