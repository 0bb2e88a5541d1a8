"""Masking what a run prints or writes (reports, errors, logs): the run's credentials, known credential formats,
and secret query parameters and userinfo in URLs.

A report is prose about an API, not recorded traffic: it names fields (`password: expected a string`), shows
paths and quotes ordinary words. So masking is narrower than scrubbing a cassette:

- only environment variables that hold credentials count: named by the registry, or with a credential-like name
  *and* a credential-like value. `PWD`, `HOME` or `TMPDIR` hold paths; a path is never a credential;
- a credential is replaced only where it stands as a whole value, never inside a word: the dummy credential `x`
  does not turn "Expected" into nonsense. A long credential (16 characters and more) cannot occur inside other
  text by chance, so it is also replaced inside longer tokens (the middle of a base64 blob, a JSON string);
- every encoding a credential travels in is masked (URL-, JSON- and HTML-escaped, base64 with and without line
  breaks, UTF-16 seen as text), each under the same rule.
"""

from __future__ import annotations

import html
import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from urllib.parse import quote

from contractkit.secrets.anchors import LiteralFinder
from contractkit.secrets.detector import Detector, credential_variants, is_secret_name
from contractkit.secrets.scrub import ScrubRules, placeholder
from contractkit.secrets.walk import is_hook_url, is_path_secret

__all__ = ["credential_environ", "mask_text", "mask_values"]

# shorter values are masked only as whole values; at this length a chance occurrence inside other text is nil
_ANYWHERE_LENGTH = 16
# below this a value is no credential worth masking (a test's `x`), and masking it would only garble the text
_SHORTEST = 4
_PLACEHOLDERS = re.compile(r"<(?:scrubbed|volatile):[^<>\s]*>")
# both start with a literal character (set), which the regex engine searches for fast
_QUERY_PAIR = re.compile(r"(?P<lead>[?&;])(?P<name>[A-Za-z0-9_.\-\[\]]{1,64})=(?P<value>[^&#\s\"'<>)\]]+)")
_URL_PATH = re.compile(r"(?P<base>https?://(?P<host>[^\s/\"'<>]+))(?P<path>/[^\s?#\"'<>]*)", re.I)
_USERINFO = re.compile(r"://(?P<user>[^/@\s:]*):(?P<password>[^/@\s]+)@")


def is_path(value: str) -> bool:
    """True for a filesystem path (`/root`, `~/x`, `C:\\Users`, `./build`): what PWD, HOME or TMPDIR hold."""
    return value.startswith(("/", "~", "./", "../")) or bool(re.match(r"^[A-Za-z]:[\\/]", value))


def is_credential_value(value: str) -> bool:
    """True when a value could be a credential: long enough, one token, not a path."""
    return len(value) >= _SHORTEST and not is_path(value) and not any(character.isspace() for character in value)


def credential_environ(environ: Mapping[str, str], names: Iterable[str] = ()) -> dict[str, str]:
    """The environment variables that hold credentials: the ones named (by the registry's auth) whatever their
    name, and any whose name is credential-like (`*_TOKEN`, `*_SECRET`, `*_PASSWORD`, `*_API_KEY` ...) and whose
    value could be a credential. Never `PWD`, `HOME` or another variable holding a path."""
    wanted = set(names)
    return {
        name: value
        for name, value in environ.items()
        if value and is_credential_value(value) and (name in wanted or is_secret_name(name))
    }


def _forms(credentials: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Every encoding of every credential (form → the name its placeholder shows): the ones recordings are
    scrubbed for (raw, URL-, JSON-encoded, hex, base64 also inside longer base64, HTTP Basic pairs) and the ones
    reports add (lower-case percent-escapes, `\\/` JSON escapes, HTML entities, UTF-16 shown as text)."""
    forms = {form: key for key, form in credential_variants(dict(credentials), min_length=_SHORTEST).items()}
    for name, value in credentials:
        key = name.lower()
        extra = {
            f"{key}-urlencoded-lower": re.sub(r"%[0-9A-F]{2}", lambda escape: escape[0].lower(), quote(value, safe="")),
            f"{key}-json-slash": json.dumps(value)[1:-1].replace("/", "\\/"),
            f"{key}-html": html.escape(value),
            f"{key}-utf16": value.encode("utf-16-le").decode("latin-1"),
        }
        for suffix_key, form in extra.items():
            if len(form) >= _SHORTEST:
                forms.setdefault(form, suffix_key)
    return forms


@lru_cache(maxsize=32)
def _credential_forms(credentials: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return _forms(credentials)


@lru_cache(maxsize=32)
def _forms_finder(forms: tuple[str, ...]) -> LiteralFinder:
    return LiteralFinder((form, "") for form in forms)


def mask_values(text: str, credentials: Mapping[str, str], shown: Callable[[str], str] = placeholder) -> str:
    """Replace each credential of `credentials` (name → value) in text, in every encoding, by its placeholder
    (or by `shown(name)`): as a whole value only, unless it is long enough never to occur by chance. Where
    forms overlap, the one starting first wins, and of those starting at one place the longest."""
    items = tuple(sorted((name, value) for name, value in credentials.items() if len(value) >= _SHORTEST))
    forms = _credential_forms(items) if items else {}
    if not forms:
        return text
    found = _forms_finder(tuple(forms)).find(text)  # every form at once, in one pass of the regex engine
    spans = sorted(
        (start, -len(form), form)
        for (form, _), starts in found.items()
        for start in starts
        if len(form) >= _ANYWHERE_LENGTH or _stands_alone(text, start, start + len(form))
    )
    pieces, last = [], 0
    names: dict[str, str] = {}  # each form's placeholder, made once
    for start, negative_length, form in spans:
        if start >= last:
            if form not in names:
                names[form] = shown(forms[form])
            pieces += [text[last:start], names[form]]
            last = start - negative_length
    return "".join(pieces) + text[last:] if pieces else text


def _stands_alone(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is not inside a word: no ASCII letter or digit touches it."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def _mask_urls(text: str, rules: ScrubRules) -> str:
    """Secret query parameters (by name, or shaped like a credential) and passwords in userinfo."""
    if "=" in text:
        verdicts: dict[tuple[str, str], bool] = {}  # a report repeats its URLs: judge each pair once

        def pair(found: re.Match[str]) -> str:
            key = (found["name"], found["value"])
            if key not in verdicts:
                verdicts[key] = rules.is_secret_query(*key) and not _PLACEHOLDERS.fullmatch(key[1])
            return f"{found['lead']}{key[0]}={placeholder(key[0])}" if verdicts[key] else found[0]

        text = _QUERY_PAIR.sub(pair, text)
    if "://" in text:
        text = _USERINFO.sub(lambda found: f"://{found['user']}:{placeholder('password')}@", text)
    return text


def _mask_formats(text: str, detector: Detector) -> str:
    """Credential formats, found in one pass over the whole text; a match touching a placeholder is left."""
    kept = [found.span() for found in _PLACEHOLDERS.finditer(text)] if "<" in text else []
    starts = [start for start, _ in kept]
    matches = sorted(detector.iter_matches(text), key=lambda match: match.start)
    if not matches:
        return text

    def touches_placeholder(start: int, end: int) -> bool:
        index = bisect_right(starts, end - 1) - 1  # the last placeholder starting before the match ends
        return index >= 0 and kept[index][1] > start

    pieces, last = [], 0
    names: dict[str, str] = {}  # each kind's placeholder, made once
    for match in matches:
        if match.start >= last and not touches_placeholder(match.start, match.end):
            if match.kind not in names:
                names[match.kind] = placeholder(match.kind)
            pieces += [text[last : match.start], names[match.kind]]
            last = match.end
    return "".join(pieces) + text[last:]


def _mask_hook_paths(text: str) -> str:
    """A webhook URL's token, a segment of its path (Slack, Teams, Discord), judged as the recorder does."""
    if "hook" not in text.lower():
        return text

    def segments(found: re.Match[str]) -> str:
        if not is_hook_url(found["host"], found["path"]):
            return found[0]
        parts = found["path"].split("/")
        kinds = _format_detector().kinds
        clean = [placeholder("path-token") if is_path_secret(part, kinds, hook=True) else part for part in parts]
        return found["base"] + "/".join(clean)

    return _URL_PATH.sub(segments, text)


@lru_cache(maxsize=1)
def _format_detector() -> Detector:
    return Detector.from_credentials()


def mask_text(text: str, environ: Mapping[str, str], names: Iterable[str] = ()) -> str:
    """A report text with every credential masked: the run's credentials from the environment (see
    `credential_environ`), known credential formats, and secrets by name in URLs. `password: expected a string`
    in a finding is prose about a field, so free-text `name: value` pairs are left alone."""
    text = mask_values(text, credential_environ(environ, names))
    rules = ScrubRules()
    text = _mask_hook_paths(_mask_urls(text, rules))
    return _mask_formats(text, _format_detector())
