"""The one secret detector: secret names, known credential formats, randomness, and a run's own credentials.

Everything that decides "is this a secret?" lives here and nowhere else; scrub.py walks the structure
of an interaction (headers, URLs, bodies) and asks these questions at each place, and the scanner,
the contract-file check and report masking use the same answers. Nothing here does I/O.

- `is_secret_name`: a header, query, field, cookie or variable name, split into words (`sessionToken`
  -> session, token; `X-Amz-Security-Token`; `db.password`) and compared with the secret words, minus
  an allow-list of known non-secrets (pagination cursors, `token_type`, a dict entry's `key` ...).
- `CREDENTIAL_FORMATS`: the value shapes of vendors' credentials (AWS, GitHub, GitLab, Slack, Stripe ...).
- `looks_random`: the entropy check used in credential-shaped places (userinfo, name/value lists ...), and
  under a name such as `code` that holds an OAuth code in one place and an error code in another
  (`is_secret_by_shape`).
- `credential_variants`: every encoding of the credentials a run reads from the environment.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping
from urllib.parse import quote, quote_plus

__all__ = [
    "BoundedPattern",
    "CREDENTIAL_FORMATS",
    "DOCUMENTED_EXAMPLES",
    "Detector",
    "FormatPattern",
    "GENERIC_KINDS",
    "SecretMatch",
    "compile_formats",
    "credential_variants",
    "is_credential_shaped",
    "is_secret_by_shape",
    "is_secret_name",
    "looks_random",
    "name_words",
    "secret_environ",
    "shannon_entropy",
]

# ---------------------------------------------------------------- names

SECRET_WORDS = frozenset(
    {
        "token",
        "tokens",
        "secret",
        "secrets",
        "password",
        "passwords",
        "passwd",
        "pass",
        "pwd",
        "passphrase",
        "key",
        "credential",
        "credentials",
        "creds",
        "session",
        "signature",
        "sig",
        "auth",
        "authorization",
        "ticket",
        "cookie",
        "cookies",
        "apikey",
        "apitoken",
        "privatekey",
        "otp",
    }
)
# names written as one lower-case word, or spelled out in full
SECRET_COMPACT = frozenset(
    {
        "accesstoken",
        "refreshtoken",
        "idtoken",
        "sessiontoken",
        "securitytoken",
        "authtoken",
        "clientsecret",
        "secretaccesskey",
        "secretkey",
        "accesskey",
        "sessionid",
        "sessid",
        "sid",
        "phpsessid",
        "jsessionid",
        "webhookurl",
        "signingsecret",
        "xapikey",
        "apikey",
        "apitoken",
        "privatekey",
        "passwd",
        "passphrase",
        "connectionstring",
        "dsn",
        "sharedaccesssignature",
        "accountkey",
        "routingkey",
        "integrationkey",
    }
)
_SECRET_SUFFIXES = ("token", "secret", "password", "passwd", "privatekey", "apikey", "sessionid")
# cursors, flags and descriptions of a secret, never the secret itself
NOT_SECRET_COMPACT = frozenset(
    {
        "nexttoken",
        "continuationtoken",
        "nextcontinuationtoken",
        "pagetoken",
        "nextpagetoken",
        "prevpagetoken",
        "previouspagetoken",
        "startingtoken",
        "synctoken",
        "paginationtoken",
        "nextpaginationtoken",
        "cursortoken",
        "tokentype",
        "tokentypehint",
        "key",
        "keys",
        "keyid",
        "accesskeyid",
        "awsaccesskeyid",
        "publickey",
        "sortkey",
        "partitionkey",
        "primarykey",
        "foreignkey",
        "objectkey",
        "issuekey",
        "projectkey",
        "cachekey",
        "idempotencykey",
        "keymarker",
        "nextkeymarker",
        "startafterkey",
        "rowkey",
        "hashkey",
        "rangekey",
        "dedupkey",
        "deduplicationkey",
        "messagededuplicationid",
        "keyname",
        "keyword",
        "keywords",
        "author",
        "authors",
        "passed",
        "sessionname",
        "authenticated",
        "cookiename",
        "ticketid",
        "ticketnumber",
        "passcount",
        "passing",
        "signatureversion",
        "signaturemethod",
        "xamzsignedheaders",
        "accesscontrolallowcredentials",
        "accesscontrolallowheaders",
        "accesscontrolexposeheaders",
        "wwwauthenticate",
        "secwebsocketprotocol",
    }
)
# a last word that makes the name describe a secret rather than hold it: `token_type`, `auth_method`
_DESCRIPTORS = frozenset(
    {
        "type",
        "types",
        "kind",
        "method",
        "methods",
        "scheme",
        "mode",
        "name",
        "names",
        "id",
        "ids",
        "enabled",
        "disabled",
        "required",
        "expires",
        "expiry",
        "expiration",
        "expired",
        "ttl",
        "length",
        "count",
        "url",
        "uri",
        "endpoint",
        "path",
        "format",
        "version",
        "at",
        "in",
        "date",
        "hint",
        "label",
        "policy",
        "provider",
        "status",
        "source",
        "location",
        "algorithm",
        "alg",
        "strategy",
        "rotation",
        "prefix",
        "header",
        "field",
        "fields",
        "is",
        "has",
        "set",
        "age",
        "duration",
        "timeout",
        "lifetime",
        "scope",
        "scopes",
        "usage",
        "created",
        "updated",
    }
)
# qualifiers that make `...key` an identifier: `sort_key`, `s3_object_key`, `issue_key`
_KEY_QUALIFIERS = frozenset(
    {
        "public",
        "sort",
        "partition",
        "primary",
        "foreign",
        "object",
        "issue",
        "project",
        "cache",
        "idempotency",
        "bucket",
        "s3",
        "group",
        "dedup",
        "deduplication",
        "lookup",
        "row",
        "hash",
        "range",
        "map",
        "space",
        "entry",
        "item",
        "node",
        "dict",
        "i18n",
        "translation",
        "label",
        "column",
        "index",
        "shard",
        "unique",
        "composite",
        "metric",
        "dimension",
        "tag",
        "attribute",
        "start",
        "next",
        "last",
        "marker",
        "hot",
        "short",
        "display",
        "incident",
        "alert",
        "sign",
        "natural",
        "surrogate",
        "config",
        "setting",
        "settings",
        "json",
    }
)

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def name_words(name: str) -> list[str]:
    """A name as lower-case words: `X-Amz-Security-Token`, `sessionToken`, `db.password`, `APIKey`."""
    return [word.lower() for part in re.split(r"[^A-Za-z0-9]+", name) for word in _WORD.findall(part)]


def is_secret_name(name: str) -> bool:
    """True when a header, query parameter, field, cookie or variable of this name holds a secret."""
    words = name_words(name)
    compact = "".join(words)
    if not words or compact in NOT_SECRET_COMPACT:
        return False
    if compact in SECRET_COMPACT:
        return True
    if words[-1] in _DESCRIPTORS and len(words) > 1:
        return False
    found = [word for word in words if word in SECRET_WORDS]
    if found:
        return not (set(found) <= {"key"} and (len(words) == 1 or any(word in _KEY_QUALIFIERS for word in words)))
    return compact.endswith(_SECRET_SUFFIXES)


# ---------------------------------------------------------------- formats

_B64 = r"A-Za-z0-9+/"
# where a token may start: not inside a word, but right after an escaped newline or tab (`\nghp_...` in JSON text)
S = r"(?:(?<=\\[nrt])|(?<![A-Za-z0-9_]))"
CREDENTIAL_FORMATS: tuple[tuple[str, str], ...] = (
    (
        "private-key",
        r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----",
    ),
    ("private-key", r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:[" + _B64 + r"=\s]|\\[nr]){40,}"),
    ("jwt", S + r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    ("aws-access-key-id", r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"),
    (
        "aws-secret-access-key",
        r"(?i:aws.{0,20}secret.{0,20}|secret_?access_?key.{0,5})[=:\"'\s>]+(?P<v>["
        + _B64
        + r"]{40})(?!["
        + _B64
        + r"])",
    ),
    ("aws-session-token", r"(?:FwoGZXIvYXdz|FQoGZXIvYXdz|IQoJb3JpZ2lu)[" + _B64 + r"]{40,}={0,2}"),
    ("aws-signature", r"(?i)(?<=signature=)[0-9a-f]{64}\b"),
    ("github-token", S + r"gh[pousr]_[A-Za-z0-9]{36,255}\b"),
    ("github-pat", S + r"github_pat_[A-Za-z0-9_]{22,255}\b"),
    ("gitlab-token", S + r"gl(?:pat|dt|ptt|rt|cbt|imt|ft|soat|oas)-[A-Za-z0-9_-]{20,}"),
    ("gitlab-runner-token", S + r"GR1348941[A-Za-z0-9_-]{20,}"),
    ("slack-token", S + r"xox[abposre]-[A-Za-z0-9-]{10,}"),
    ("slack-app-token", S + r"xapp-\d-[A-Za-z0-9-]{10,}"),
    ("slack-webhook", r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]+"),
    ("stripe-key", S + r"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"),
    ("stripe-webhook-secret", S + r"whsec_[A-Za-z0-9+/=]{24,}"),
    ("twilio-api-key", S + r"SK[0-9a-f]{32}\b"),
    ("sendgrid-key", S + r"SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}"),
    ("npm-token", S + r"npm_[A-Za-z0-9]{36}\b"),
    ("pypi-token", S + r"pypi-AgE[A-Za-z0-9_-]{50,}"),
    ("atlassian-api-token", S + r"ATATT[A-Za-z0-9_=-]{20,}"),
    ("grafana-service-account-token", S + r"glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}\b"),
    ("grafana-cloud-token", S + r"glc_[A-Za-z0-9+/]{32,}={0,2}"),
    ("grafana-api-key", S + r"eyJrIjoi[A-Za-z0-9+/=_-]{20,}"),
    ("pagerduty-token", r"(?i:token token=)(?P<v>[A-Za-z0-9_+-]{20,})"),
    ("pagerduty-user-token", S + r"u\+[A-Za-z0-9_-]{18}(?![A-Za-z0-9_-])"),
    ("google-api-key", S + r"AIza[0-9A-Za-z_-]{35}"),
    ("google-oauth-token", S + r"ya29\.[0-9A-Za-z_-]{20,}"),
    ("google-client-secret", S + r"GOCSPX-[0-9A-Za-z_-]{20,}"),
    ("google-refresh-token", S + r"1//0[0-9A-Za-z_-]{40,}"),
    ("azure-storage-key", r"(?i:AccountKey=)(?P<v>[" + _B64 + r"]{86}==)"),
    ("azure-sas-signature", r"(?i:[?&;]sig=)(?P<v>[A-Za-z0-9%+/=]{20,})"),
    (
        "azure-client-secret",
        r"(?:(?<=\\[nrt])|(?<![A-Za-z0-9_~.-]))[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])",
    ),
    ("openai-key", S + r"sk-(?:proj-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}"),
    ("mailgun-key", S + r"key-[0-9a-f]{32}\b"),
    ("bearer", r"(?i)(?<=bearer )[A-Za-z0-9._~+/-]{16,}=*"),
    ("basic-credentials", r"(?i)(?<=basic )[" + _B64 + r"]{12,}={0,2}"),
)


# generic shapes: a scheme word before any string; contract examples use them with placeholder values
GENERIC_KINDS = frozenset({"bearer", "basic-credentials"})
# credentials that vendors publish in their documentation as examples: public, never a leak
DOCUMENTED_EXAMPLES = frozenset(
    {
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "y_NbAkKc66ryYTWUXYEu",
        "ASIAIOSFODNN7EXAMPLE",
    }
)


class BoundedPattern:
    """A format that must start at a token boundary (the `S` prefix), searched without the boundary in the regex.

    A lookbehind at the start of a pattern stops the regex engine from skipping ahead to the format's literal
    prefix (`sk_live_`, `ghp_`), so every format scanned every character: 37 formats cost 1.5 s on 2 MB of
    report. The boundary is checked here, on each candidate, instead; the matches are the same."""

    def __init__(self, pattern: str) -> None:
        self.compiled = re.compile(pattern)
        self.pattern = pattern
        self.groupindex = self.compiled.groupindex

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Every non-overlapping match that starts at a token boundary, left to right."""
        position = 0
        while (found := self.compiled.search(text, position)) is not None:
            if _at_boundary(text, found.start()):
                yield found
                position = max(found.end(), found.start() + 1)
            else:
                position = found.start() + 1


def _at_boundary(text: str, start: int) -> bool:
    if start >= 2 and text[start - 2] == "\\" and text[start - 1] in "nrt":
        return True  # after an escaped newline or tab inside a JSON string
    return start == 0 or not (text[start - 1].isascii() and (text[start - 1].isalnum() or text[start - 1] == "_"))


FormatPattern = re.Pattern[str] | BoundedPattern


def compile_formats(formats: Iterable[tuple[str, str]]) -> tuple[tuple[str, FormatPattern], ...]:
    """(kind, regex) pairs compiled; a named group `v` marks the part of a match that is the secret."""
    return tuple(
        (kind, BoundedPattern(pattern[len(S) :]) if pattern.startswith(S) else re.compile(pattern))
        for kind, pattern in formats
    )


# ---------------------------------------------------------------- randomness

_TOKEN_CHARS = re.compile(r"[A-Za-z0-9+/=_.~-]+")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def shannon_entropy(value: str) -> float:
    """Bits per character of a string."""
    if not value:
        return 0.0
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def looks_random(value: str, *, min_length: int = 16) -> bool:
    """True for a long token-alphabet string of letters and digits with high entropy (not a UUID or a word)."""
    if len(value) < min_length or not _TOKEN_CHARS.fullmatch(value) or _UUID.fullmatch(value):
        return False
    if not (re.search(r"[0-9]", value) and re.search(r"[A-Za-z]", value)):
        return False
    return shannon_entropy(value) >= min(3.0 + len(value) / 64, 3.6)


# Names a credential travels under in one place and an identifier under in another: `?code=` of an OAuth redirect
# is an authorization code, `"code": "NOT_FOUND"` in an error body and `"code": "CK612"` in a report are not. Under
# these names the value decides: a credential is a long token that mixes letters and digits (hex, base64), an
# identifier is words and numbers (`E_ACCOUNT_LOCKED_42`) or short (`CK612`).
SHAPE_DECIDES = frozenset({"code"})
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]{8,}")


def is_credential_shaped(value: str) -> bool:
    """True for a token of 12 or more characters with a run of letters and digits mixed, as credentials are."""
    if len(value) < 12 or not _TOKEN_CHARS.fullmatch(value):
        return False
    return any(re.search(r"[0-9]", run) and re.search(r"[A-Za-z]", run) for run in _ALNUM_RUN.findall(value))


def is_secret_by_shape(name: str, value: str) -> bool:
    """True when `name` is one whose value decides (`code`) and the value is credential-shaped, not an error or
    finding code (`NOT_FOUND`, `CK612`)."""
    return "".join(name_words(name)) in SHAPE_DECIDES and is_credential_shaped(value)


# ---------------------------------------------------------------- a run's own credentials


def credential_variants(secrets: Mapping[str, str], *, min_length: int = 4) -> dict[str, str]:
    """Each credential in every encoding it travels in, keyed `name`, `name-base64` ...: raw, URL-encoded,
    JSON-escaped, base64 (standard, URL-safe, unpadded, and at each byte offset inside longer base64),
    hex, and base64 of `user:token` for every pair of them (HTTP Basic)."""
    variants: dict[str, str] = {}
    values = [(name.lower(), value) for name, value in secrets.items() if value]
    for key, value in values:
        raw = value.encode()
        forms = {
            "": value,
            "urlencoded": quote(value, safe=""),
            "formencoded": quote_plus(value),
            "json": json.dumps(value)[1:-1],
            "hex": raw.hex(),
            "hex-upper": raw.hex().upper(),
            "base64": base64.b64encode(raw).decode(),
            "base64url": base64.urlsafe_b64encode(raw).decode(),
        }
        for offset in range(3):
            forms[f"base64-{offset}"] = _base64_fragment(raw, offset, base64.b64encode)
            forms[f"base64url-{offset}"] = _base64_fragment(raw, offset, base64.urlsafe_b64encode)
        for suffix, form in forms.items():
            if form and (suffix == "" or form != value) and len(form) >= min_length:
                variants.setdefault(f"{key}-{suffix}" if suffix else key, form)
    for user_key, user in values:
        for token_key, token in values:
            if user_key != token_key:
                pair = f"{user}:{token}".encode()
                variants[f"{user_key}-{token_key}-basic"] = base64.b64encode(pair).decode().rstrip("=")
                variants[f"{user_key}-{token_key}-basic-urlsafe"] = base64.urlsafe_b64encode(pair).decode().rstrip("=")
    return variants


def _base64_fragment(raw: bytes, offset: int, encode: object) -> str:
    """The base64 characters that depend only on `raw` when it starts `offset` bytes into a longer stream."""
    encoded = encode(b"\0" * offset + raw).decode()  # type: ignore[operator]
    skip = (0, 2, 3)[offset]
    end = 4 * ((offset + len(raw)) // 3)
    fragment = encoded[skip:end]
    return fragment if len(fragment) >= 8 else ""


def secret_environ(environ: Mapping[str, str], names: Iterable[str] = ()) -> dict[str, str]:
    """The environment variables that hold credentials: the ones named, and any whose name is secret-shaped."""
    wanted = set(names)
    return {
        name: value
        for name, value in environ.items()
        if value and len(value) >= 6 and (name in wanted or is_secret_name(name))
    }


# ---------------------------------------------------------------- the detector


@dataclass(frozen=True, slots=True)
class SecretMatch:
    """A secret found in a text: its kind (format or credential name) and where it is; never its value."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Detector:
    """Known credential formats plus literal values (a run's credentials in all their encodings)."""

    formats: tuple[tuple[str, FormatPattern], ...]
    literals: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_credentials(
        cls, secrets: Mapping[str, str] | None = None, extra_formats: Iterable[tuple[str, str]] = ()
    ) -> Detector:
        """The built-in formats, extra (kind, regex) pairs, and every encoding of these credentials."""
        literals = sorted(credential_variants(secrets or {}).items(), key=lambda item: -len(item[1]))
        return cls(compile_formats(CREDENTIAL_FORMATS) + compile_formats(extra_formats), tuple(literals))

    def iter_matches(self, text: str) -> Iterator[SecretMatch]:
        """Every secret in a text, longest literal first, then formats; overlapping matches are dropped."""
        taken: list[tuple[int, int]] = []
        for match in self._candidates(text):
            if not any(match.start < end and start < match.end for start, end in taken):
                taken.append((match.start, match.end))
                yield match

    def _candidates(self, text: str) -> Iterator[SecretMatch]:
        for kind, value in self.literals:
            start = text.find(value)
            while start >= 0:
                yield SecretMatch(kind, start, start + len(value))
                start = text.find(value, start + len(value))
        for kind, pattern in self.formats:
            for found in pattern.finditer(text):
                span = found.span("v") if "v" in pattern.groupindex else found.span()
                if span[1] > span[0] and text[span[0] : span[1]] not in DOCUMENTED_EXAMPLES:
                    yield SecretMatch(kind, *span)

    def without_generic(self) -> Detector:
        """This detector without the generic `Bearer x`/`Basic x` shapes (for contract examples and pacts)."""
        return Detector(tuple(item for item in self.formats if item[0] not in GENERIC_KINDS), self.literals)

    def kinds(self, text: str) -> list[str]:
        """The kinds of the secrets in a text, sorted, each once."""
        return sorted({match.kind for match in self.iter_matches(text)})
