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
import binascii
import html
import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping
from urllib.parse import quote, quote_plus

from contractkit.secrets.formats import (
    DOCUMENTED_EXAMPLES,
    GENERIC_KINDS,
    OWN_FORMATS,
    FormatSet,
    library_formats,
    looks_random,
    shannon_entropy,
    trie_pattern,
)

__all__ = [
    "CREDENTIAL_FORMATS",
    "DOCUMENTED_EXAMPLES",
    "Detector",
    "GENERIC_KINDS",
    "SecretMatch",
    "credential_variants",
    "default_formats",
    "is_credential_param",
    "is_digest",
    "is_public_value",
    "is_credential_shaped",
    "is_secret_by_shape",
    "is_secret_name",
    "looks_random",
    "name_words",
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
        "authentication",
        "ticket",
        "cookie",
        "cookies",
        "apikey",
        "apitoken",
        "privatekey",
        "otp",
        "passkey",
        "appkey",
        "appsecret",
        "masterkey",
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
        "secretid",
        "signingkey",
        "encryptionkey",
        "authkey",
        "licensekey",
    }
)
# names that, as a query parameter or header, hold a credential even alone (`?key=`, `?ak=`, `X-AppId:`)
CREDENTIAL_PARAMS = frozenset({"key", "ak", "sk", "appid", "appkey", "passkey", "apikey"})
_SECRET_SUFFIXES = (
    "token",
    "secret",
    "password",
    "passwd",
    "privatekey",
    "apikey",
    "sessionid",
    "passkey",
    "appkey",
    "authkey",
)
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
        "publishable",
        "site",
        "client",
        "authorized",
        "verification",
        "verify",
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


# keys published on purpose: public-key encodings, and the prefixes vendors give their publishable keys
_PUBLIC_VALUE = re.compile(
    r"\s*(?:-----BEGIN (?:[A-Z0-9]+ )*(?:PUBLIC KEY|CERTIFICATE)(?: BLOCK)?-----"
    r"|(?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp\d+|sk-(?:ssh|ecdsa)-[\w.@-]+) AAAA"
    r"|(?:pk|pub|publishable)[._-])"
)
# a digest written with its algorithm: `sha256:...`, `sha512-...` (subresource integrity), `md5=...`
_ALGORITHM_DIGEST = re.compile(
    r"(?i)(?:sha-?(?:1|224|256|384|512)|md5|crc32c?|blake2[bs]?|sha3-\d+)[:=-][A-Za-z0-9+/=_-]{6,}"
    r"(?:,\s*(?:sha-?(?:1|224|256|384|512)|md5|crc32c?)[:=-][A-Za-z0-9+/=_-]{6,})*"
)


def is_public_value(value: str) -> bool:
    """True for a key that is public by its own shape: a PEM public key or certificate, an OpenSSH public key,
    or a key whose vendor prefix says it is publishable (`pk_live_`, `pk.`, `pub_`)."""
    return (bool(_PUBLIC_VALUE.match(value)) and "PRIVATE KEY" not in value) or _is_ssh_public_blob(value)


# the SSH wire format of a public key names its type first (RFC 4253 6.6): `\0\0\0\x0bssh-ed25519...`
_SSH_KEY_TYPE = re.compile(rb"\x00\x00\x00[\x07-\x30](?:ssh-|ecdsa-sha2-|sk-ssh-|sk-ecdsa-)")


def _is_ssh_public_blob(value: str) -> bool:
    """True for the base64 blob of an SSH public key (the middle of an `authorized_keys` line), which says what
    it is when decoded."""
    if not value.startswith("AAAA"):
        return False
    try:
        head = base64.b64decode(value[:48] + "=" * (-len(value[:48]) % 4))
    except (binascii.Error, ValueError):
        return False
    return bool(_SSH_KEY_TYPE.match(head))


def is_digest(value: str) -> bool:
    """True for a digest written with its algorithm (`sha256:...`, `sha512-...`)."""
    return bool(_ALGORITHM_DIGEST.fullmatch(value.strip()))


def is_credential_param(name: str) -> bool:
    """True when a query parameter or header of this name holds a credential: a secret name, or one of the short
    names APIs give their key parameter (`key`, `ak`, `appid`), also behind an `X-` prefix."""
    words = name_words(name)
    if words[:1] == ["x"]:
        words = words[1:]
    return "".join(words) in CREDENTIAL_PARAMS or is_secret_name(name)


# ---------------------------------------------------------------- formats and randomness (secrets/formats.py)

CREDENTIAL_FORMATS = OWN_FORMATS


def default_formats() -> FormatSet:
    """detect-secrets' formats and our own, compiled once into one prefiltered pass."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = FormatSet(list(OWN_FORMATS) + list(library_formats()))  # ours first: its names win a tie
    return _DEFAULT


_DEFAULT: FormatSet | None = None


# Names a credential travels under in one place and an identifier under in another: `?code=` of an OAuth redirect
# is an authorization code, `"code": "NOT_FOUND"` in an error body and `"code": "CK612"` in a report are not. Under
# these names the value decides: a credential is a long token that mixes letters and digits (hex, base64), an
# identifier is words and numbers (`E_ACCOUNT_LOCKED_42`) or short (`CK612`).
SHAPE_DECIDES = frozenset({"code"})
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]{8,}")
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9+/=_.~-]+")


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
    """Each credential in every encoding it travels in, keyed `name`, `name-base64` ...: raw, URL-encoded (either
    case), JSON-escaped (also `\\/`), HTML-escaped (named and numeric), UTF-16 and UTF-32 bytes read as Latin-1,
    base64 (standard, URL-safe, unpadded, wrapped at 76 columns, and at each byte offset inside longer base64),
    hex, and base64 of `user:token` for every pair of them (HTTP Basic)."""
    variants: dict[str, str] = {}
    values = [(name.lower(), value) for name, value in secrets.items() if value]
    for key, value in values:
        for suffix, form in _forms(value).items():
            if form and (suffix == "" or form != value) and len(form) >= min_length:
                variants.setdefault(f"{key}-{suffix}" if suffix else key, form)
    for user_key, user in values:
        for token_key, token in values:
            if user_key != token_key:
                pair = f"{user}:{token}".encode()
                variants[f"{user_key}-{token_key}-basic"] = base64.b64encode(pair).decode().rstrip("=")
                variants[f"{user_key}-{token_key}-basic-urlsafe"] = base64.urlsafe_b64encode(pair).decode().rstrip("=")
    return variants


def _forms(value: str) -> dict[str, str]:
    raw = value.encode()
    encoded = quote(value, safe="")
    forms = {
        "": value,
        "urlencoded": encoded,
        "urlencoded-lower": re.sub(r"%[0-9A-F]{2}", lambda m: m[0].lower(), encoded),
        "formencoded": quote_plus(value),
        "json": json.dumps(value)[1:-1],
        "json-ascii": json.dumps(value, ensure_ascii=True)[1:-1].replace("/", "\\/"),
        "html": html.escape(value),
        "html-numeric": "".join(ch if ch.isalnum() else f"&#{ord(ch)};" for ch in value),
        "html-hex": "".join(ch if ch.isalnum() else f"&#x{ord(ch):x};" for ch in value),
        "utf-16-le": value.encode("utf-16-le").decode("latin-1"),
        "utf-16-be": value.encode("utf-16-be").decode("latin-1"),
        "utf-32-le": value.encode("utf-32-le").decode("latin-1"),
        "hex": raw.hex(),
        "hex-upper": raw.hex().upper(),
        "base64": base64.b64encode(raw).decode(),
        "base64url": base64.urlsafe_b64encode(raw).decode(),
        "base64-mime": base64.encodebytes(raw).decode().strip(),
    }
    forms["base64-mime-crlf"] = forms["base64-mime"].replace("\n", "\r\n")
    forms["base64-mime-json"] = json.dumps(forms["base64-mime"])[1:-1]
    for offset in range(3):
        forms[f"base64-{offset}"] = _base64_fragment(raw, offset, base64.b64encode)
        forms[f"base64url-{offset}"] = _base64_fragment(raw, offset, base64.urlsafe_b64encode)
    return forms


def _base64_fragment(raw: bytes, offset: int, encode: object) -> str:
    """The base64 characters that depend only on `raw` when it starts `offset` bytes into a longer stream."""
    encoded = encode(b"\0" * offset + raw).decode()  # type: ignore[operator]
    skip = (0, 2, 3)[offset]
    end = 4 * ((offset + len(raw)) // 3)
    fragment = encoded[skip:end]
    return fragment if len(fragment) >= 8 else ""


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

    formats: FormatSet
    literals: tuple[tuple[str, str], ...] = ()
    _literal_regex: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    _literal_kinds: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        ordered = sorted(self.literals, key=lambda item: (-len(item[1]), item[0]))
        if ordered:
            regex = re.compile(trie_pattern(value for _, value in ordered))
            object.__setattr__(self, "_literal_regex", regex)
            kinds: dict[str, str] = {}
            for kind, value in ordered:
                kinds.setdefault(value, kind)
            object.__setattr__(self, "_literal_kinds", kinds)

    @classmethod
    def from_credentials(
        cls, secrets: Mapping[str, str] | None = None, extra_formats: Iterable[tuple[str, str]] = ()
    ) -> Detector:
        """The built-in formats, extra (kind, regex) pairs, and every encoding of these credentials."""
        literals = tuple(credential_variants(secrets or {}).items())
        extra = list(extra_formats)
        return cls(default_formats() + FormatSet(extra) if extra else default_formats(), literals)

    def iter_matches(self, text: str) -> Iterator[SecretMatch]:
        """Every secret in a text, literals (longest first) before formats; overlapping matches are dropped."""
        starts: list[int] = []  # the spans taken, kept sorted and disjoint: each test is a bisection
        ends: list[int] = []
        for match in self._candidates(text):
            index = bisect_right(starts, match.start)
            if (index and ends[index - 1] > match.start) or (index < len(starts) and starts[index] < match.end):
                continue
            starts.insert(index, match.start)
            ends.insert(index, match.end)
            yield match

    def _candidates(self, text: str) -> Iterator[SecretMatch]:
        if self._literal_regex is not None:
            for found in self._literal_regex.finditer(text):
                yield SecretMatch(self._literal_kinds[found[0]], found.start(), found.end())
        ordered = sorted(self.formats.iter_matches(text), key=lambda match: match.start - match.end)
        for match in ordered:  # the longest first: a format's full shape wins over a shorter one inside it
            yield SecretMatch(match.kind, match.start, match.end)

    def literal_spans(self, text: str, data: bytes) -> list[tuple[int, int]]:
        """Where the credentials of the run occur in a text, as offsets into its UTF-8 bytes `data`."""
        if self._literal_regex is None:
            return []
        spans = [found.span() for found in self._literal_regex.finditer(text)]
        if spans and not text.isascii():  # offsets into the UTF-8 bytes
            spans = [(len(text[:start].encode()), len(text[:end].encode())) for start, end in spans]
        return spans

    def has_literal(self, text: str) -> bool:
        """True when a text holds one of the credentials of the run, in any encoding."""
        return self._literal_regex is not None and self._literal_regex.search(text) is not None

    def without_generic(self) -> Detector:
        """This detector without the generic shapes (`Bearer x`, a prefix before any string), for contract
        examples and pacts, which use them with placeholder values."""
        return Detector(self.formats.without(GENERIC_KINDS), self.literals)

    def kinds(self, text: str) -> list[str]:
        """The kinds of the secrets in a text, sorted, each once."""
        return sorted({match.kind for match in self.iter_matches(text)})
