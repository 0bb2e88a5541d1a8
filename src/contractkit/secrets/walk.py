"""The structural scrubbing pass: one walk over headers, URLs and bodies, asking the one detector at each place.

It reads structure before judging: cookies by pair (folded and repeated `Set-Cookie` too), every
`Authorization` scheme, URLs (userinfo, query, fragment, random path segments such as a webhook's token), form,
multipart, XML (elements, attributes, CDATA) and JSON bodies, `[{"name": X, "value": Y}]` lists judged by X,
GraphQL inline arguments and variables, and free text. Every encoded layer (secrets/layers.py) is decoded before
judging and the secret is scrubbed in the layer where it lives, then encoded back, so the structure survives.
A field's name and the provider's description decide first (secret name, allow-list, documented pattern); a value
that no name explains is judged by its formats and its randomness.

`hits` collects the kind of every secret replaced, so the scanner reports exactly what the recorder scrubs.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from typing import Any, Callable
from urllib.parse import quote, unquote, unquote_plus, urlsplit, urlunsplit

from contractkit.core.loading import fast_json_writer, parse_json_value
from contractkit.secrets.detector import is_digest, is_public_value, name_words
from contractkit.secrets.formats import GENERIC_KINDS, looks_random, shannon_entropy
from contractkit.secrets.layers import peel
from contractkit.secrets.quick import has_hex_bodied_literal, is_plain_value, suspect_values
from contractkit.secrets.rules import ScrubRules, placeholder

__all__ = ["ANY_PLACEHOLDER", "Scrubber", "dump_json", "escape_xml_placeholders", "is_json_text", "is_placeholder"]

_PLACEHOLDER_TEXT = re.compile(r"<scrubbed:[^<>]*>|<volatile:[^<>]*>")
ANY_PLACEHOLDER = re.compile(
    r"<(?:scrubbed|volatile):[^<>]*>|&lt;(?:scrubbed|volatile):.*?&gt;|(?i:%3C(?:scrubbed|volatile)%3A[A-Za-z0-9_.+-]*%3E)"
)
_COOKIE_HEADERS = frozenset({"cookie", "set-cookie", "set-cookie2"})
# headers that describe the body's structure (a media type and its boundary), never carry a credential
_STRUCTURE_HEADERS = frozenset({"content-type", "content-length", "content-encoding", "transfer-encoding"})
_COOKIE_ATTRIBUTES = frozenset(
    {"path", "domain", "expires", "max-age", "secure", "httponly", "samesite", "priority", "partitioned"}
    | {"version", "comment"}
)
# a folded `Set-Cookie` joins cookies with `, `; a comma inside `Expires=Wed, 21 Oct ...` is followed by no `name=`
_FOLDED_COOKIE = re.compile(r",\s*(?=[^;,=\s]+=)")
# a path without scheme and host, after a space, a quote or a bracket: `/shape/path_2/<token>?a=b`
_RELATIVE_URL = re.compile(r"(?:(?<=[\s(\[=:'\"])|^)/(?!/)[A-Za-z0-9._~%!$&'*+,;=:@/?-]{16,}")
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]{1,15}://[^\s\"'<>\\`]+")
# `password=...`, `"api_key": "..."`, `X-Auth-Token: ...` in free text, `login(password: "...")` in GraphQL
_ASSIGNMENT = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_.-]{1,60})(?P<sep>[\"']?(?:=|:(?=[ \"']))\s*[\"']?)"
    r"(?P<v>[^\s\"'&;,<>{}\[\]()]{4,})"
)
_HARMLESS_VALUES = frozenset(
    {"true", "false", "null", "none", "undefined", "required", "optional", "bearer", "basic", "token", "redacted"}
    | {"hidden", "present", "missing", "empty"}
)
_NAME_KEYS: tuple[str, ...] = ("name", "Name", "key", "Key", "header", "Header", "variable", "Variable", "field")
_NAME_KEYS += ("ParameterKey", "OptionName")
_VALUE_KEYS = ("value", "Value", "ParameterValue", "secret", "Secret")
# words that make a pair list's name describe data (`GIT_COMMIT`, `image_digest`, `checksum`), never a credential
_DATA_WORDS = frozenset(
    {"sha", "sha1", "sha256", "sha512", "md5", "crc", "crc32c", "commit", "digest", "hash", "checksum", "etag"}
    | {"revision", "rev", "version", "integrity"}
    | {"id", "uuid", "ref", "image", "tag", "build", "date", "time", "timestamp", "url", "uri", "path", "host"}
)
_XML_ELEMENT = re.compile(r"<([A-Za-z_][\w.:-]*)(\s[^<>]*)?>([^<]+)</\1>")
_XML_ATTRIBUTE = re.compile(r"(?<=\s)([A-Za-z_][\w.:-]*)=([\"'])([^\"'<>]+)\2")
_XML_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_ESCAPED_PLACEHOLDER = re.compile(r"&lt;((?:scrubbed|volatile):[^<>&]*)&gt;")
_HEX = re.compile(r"[0-9a-fA-F]+")
_BLOB = re.compile(r"(?:[A-Za-z0-9+/_-]{4}(?:\r?\n|\\r\\n|\\n)?){6,}[A-Za-z0-9+/_-]{0,3}={0,2}")
_MAX_DEPTH = 6


def is_random_token(value: str, *, min_length: int = 20) -> bool:
    """True for a value no reader could take for data: long, random, mixed letters and digits, and not hex only
    (hex is what digests and ids are written in; a hex credential is recognised by its name or format)."""
    return (
        len(value) >= min_length
        and not _HEX.fullmatch(value)
        and looks_random(value, min_length=min_length)
        and shannon_entropy(value) >= 4.0
    )


class Scrubber:
    """One scrubbing walk; `hits` collects the kind of every secret replaced (for the scanner)."""

    def __init__(self, rules: ScrubRules, hits: list[str] | None = None, *, assignments: bool = True) -> None:
        self.rules = rules
        self.hits = hits
        self.assignments = assignments  # `password=...` in free text; off for reports, which name fields in prose
        self.detector = rules.detector
        self.depth = 0
        self.track_paths = any(item.startswith("$") for item in rules.keep)
        # in a body read fast (see `_suspects`), the only string values that can hold anything to scrub
        self.suspects: frozenset[str] | None = None
        self.markup = False  # an HTML page: element names are markup, not field names
        self.generic = True  # the generic shapes (a random part after a prefix, a scheme word) count here
        self.exponent = False  # a float written with an exponent was seen: the fast writer would spell it otherwise

    def _plain(self, value: str) -> bool:
        """True when a value cannot hold anything to scrub."""
        if self.rules.matches_custom(value):
            return False
        if self.suspects is not None:
            return value not in self.suspects
        if len(value) < 12:
            return not self.rules.needs_judging(value)
        if value.lstrip()[:1] in ("{", "[", "<"):
            return False  # a document inside: its keys and tags are judged by the walk
        if _HEX_RUN.search(value) is not None and self._has_literal_format(value):
            return False
        return is_plain_value(value, self.rules.is_secret_query, self.detector.has_literal)

    def _has_literal_format(self, text: str) -> bool:
        """True when a format with a fixed literal matches (`key-` and 32 hex): such a value has no random run
        for the quick look to see, as its body may be hex (a text holding none of their literals holds none)."""
        if not any(literal in text for literal in self.rules.hex_bodied_literals()):
            return False
        return next(self.detector.formats.hex_bodied.iter_matches(text, literal_only=True), None) is not None

    def _has_hex_bodied_format(self, text: str) -> bool:
        """`_has_literal_format` for a whole body that holds a hex run (see `quick.has_hex_bodied_literal`)."""
        near = has_hex_bodied_literal(text, *self.rules.hex_bodied_literals_by_place())
        if near is None:
            return _HEX_RUN.search(text) is not None and self._has_literal_format(text)
        return near and next(self.detector.formats.hex_bodied.iter_matches(text, literal_only=True), None) is not None

    def secret(self, name: str, value: str = "") -> str:
        """The placeholder for a secret called `name`; the scanner also learns the formats the value has."""
        if self.hits is not None:
            self.hits.append(name.lower())
            self.hits += self.detector.kinds(value) if value else []
        return placeholder(name)

    # ------------------------------------------------------------ text

    def text(self, text: str, *, peeled: bool = False) -> str:
        """URLs, literal credentials, credential formats, encoded blobs and `name=value` assignments in text
        (`peeled`: the text as a whole was already tried as an encoded layer)."""
        steps = (
            [self._urls, self._paths, self._literals]
            if peeled and _BLOB.fullmatch(text)
            else [self._urls, self._paths, self._literals, self._blobs]
        )
        if self.assignments:
            steps.append(self._assignments)
        for step in steps:
            text = _each_plain(text, step)
        return text

    def _urls(self, text: str) -> str:
        return _URL.sub(self._url_match, text) if "://" in text else text

    def _paths(self, text: str) -> str:
        """A path with its query written without scheme and host (`url: /hooks/T01/B02/...?key=...` in an error
        message): its segments and query judged as in a URL."""
        return _RELATIVE_URL.sub(self._relative_match, text) if "/" in text else text

    def _relative_match(self, found: re.Match[str]) -> str:
        path, question, query = found[0].rstrip(").,;:!?]}").partition("?")
        tail = found[0][len(path) + len(question) + len(query) :]
        return self._path(path) + question + (self.pairs(query) if query else "") + tail

    def _url_match(self, found: re.Match[str]) -> str:
        url = found[0].rstrip(").,;:!?]}")  # prose closes a sentence or a parenthesis after a URL
        return self.url(url) + found[0][len(url) :]

    def _literals(self, text: str) -> str:
        found = self.detector.iter_matches(text)
        matches = sorted(
            (match for match in found if self.generic or match.kind not in GENERIC_KINDS), key=lambda m: m.start
        )
        if not matches:
            return text
        pieces, last = [], 0
        for match in matches:
            pieces += [text[last : match.start], self.secret(match.kind)]
            last = match.end
        return "".join(pieces) + text[last:]

    def _blobs(self, text: str) -> str:
        """Base64 runs inside a text, decoded when they hold text, scrubbed there and encoded back."""
        if self.depth >= _MAX_DEPTH or len(text) < 24:
            return text
        return _BLOB.sub(lambda found: self.layered(found[0]) if len(found[0]) >= 24 else found[0], text)

    def _assignments(self, text: str) -> str:
        def replace_value(found: re.Match[str]) -> str:
            value = found["v"]
            if self._unexplained_pair(found["name"], value):
                return found["name"] + found["sep"] + self.secret(f"unexplained-{found['name']}")
            if (
                not self.rules.is_secret_query(found["name"], value)
                or value.lower() in _HARMLESS_VALUES
                or value.isdigit()
                or is_placeholder(unquote(value))
                or self.rules.is_kept(found["name"])
            ):
                return found[0]
            return found["name"] + found["sep"] + self.secret(found["name"])

        return _ASSIGNMENT.sub(replace_value, text) if ("=" in text or ":" in text) else text

    # ------------------------------------------------------------ values and layers

    def value(self, value: str, container: str = "", *, data: bool = False) -> str:
        """A string value: JSON inside it scrubbed as JSON, an encoded layer in its layer, else as text; a random
        one inside a secret container (`credentials: {...}`) goes whole."""
        if not value or is_placeholder(value) or (not container and self._plain(value)):
            return value
        if value.lstrip()[:1] in ("{", "["):
            cleaned = self._json_document(value, container)
            if cleaned is not None:
                return cleaned
        layered = self.layered(value)
        if layered != value:
            return layered
        if container and looks_random(value):
            return self.secret(container)
        if len(value) < 4:
            return value
        if data:  # an id or a public key by its name or shape: only a vendor's format or a credential goes
            self.generic = False
            try:
                return self.text(value, peeled=True)
            finally:
                self.generic = True
        return self.text(value, peeled=True)

    def layered(self, value: str) -> str:
        """The value with secrets scrubbed inside its encoded layer (base64, percent, entities, escapes)."""
        if self.depth >= _MAX_DEPTH or len(value) < 8:
            return value
        layer = peel(value)
        if layer is None:
            return value
        self.depth += 1
        try:  # the quick look saw the encoded text only: inside, every value is judged
            inner = self._with(None, lambda: self.body(layer.inner, "", keep_layout=True))
        finally:
            self.depth -= 1
        if inner == layer.inner:
            return value
        return layer.encode(_ESCAPED_PLACEHOLDER.sub(r"<\1>", inner))  # the layer escapes it in its own way

    def _json_document(self, value: str, container: str) -> str | None:
        try:
            inner = parse_json_value(value)
        except ValueError:
            return None
        if not isinstance(inner, (dict, list)):
            return None
        cleaned = self._with(None, lambda: self.json(inner, container))  # the quick look saw only the outer text
        return value if cleaned == inner else json.dumps(cleaned, ensure_ascii=False)

    def field(self, key: str, value: str, container: str = "", path: str = "") -> str:
        """A named string (JSON field, form field, XML element): the allow-list and the description first (a
        documented secret goes, a value that fits its documented pattern, format or enum stays), then the name,
        then the value's own shape; a random value in a field the description does not document goes."""
        if not value:
            return value
        verdict = self.rules.field_verdict(key)
        if verdict == "plain" and not container and self.suspects is not None and self._cleared(key, value):
            return value  # what follows would find it plain too: a plain name, and a value the quick look cleared
        if verdict == "kept" or (path and self.rules.is_kept(key, path)) or is_placeholder(value):
            return value
        if self.rules.hints.is_secret(key):
            return self.secret(key, value)
        explained = self.rules.hints.explains(key, value)
        if explained and (
            not set(self.detector.kinds(value)) - GENERIC_KINDS or self.rules.hints.documents_shape(key, value)
        ):
            return value  # documented data, unless a vendor's format the description does not spell out says otherwise
        public = is_public_value(value)
        if not public and (verdict == "secret" or (verdict == "shape" and self.rules.is_secret_field(key, value))):
            return self.secret(key, value)
        if not container and self._plain(value):
            return value
        clean = self.value(value, container, data=_names_data(key) or public or is_digest(value))
        if clean == value and verdict == "unexplained" and not explained and self._unexplained(key, value):
            return self.secret(f"unexplained-{key}", value)
        return clean

    def _unexplained(self, key: str, value: str) -> bool:
        """True when a value under a field the description does not document is a random token: not an id or a
        digest by its name or shape, not a public key, not an encoding of readable text."""
        if (key and _names_data(key)) or not is_random_token(value) or is_digest(value) or is_public_value(value):
            return False
        return peel(value) is None

    # ------------------------------------------------------------ URLs and pairs

    def url(self, url: str) -> str:
        """A URL with secrets in its userinfo, path, query and fragment replaced, and by value everywhere."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return url
        netloc = self._userinfo(parts.netloc)
        path = self._path(parts.path, hook=is_hook_url(parts.netloc, parts.path))
        query = self.pairs(parts.query) if parts.query else parts.query
        fragment = self.pairs(parts.fragment) if "=" in parts.fragment else parts.fragment
        if (netloc, path, query, fragment) == (parts.netloc, parts.path, parts.query, parts.fragment):
            return url
        return urlunsplit(parts._replace(netloc=netloc, path=path, query=query, fragment=fragment))

    def _path(self, path: str, *, hook: bool = False) -> str:
        """A URL path with every segment that is a token (see `is_path_secret`) replaced."""
        if len(path) < 21:
            return path
        segments = path.split("/")
        clean = [
            self.secret("path-token", segment)
            if not is_placeholder(segment) and is_path_secret(segment, self.detector.kinds, hook=hook)
            else segment
            for segment in segments
        ]
        return "/".join(clean) if clean != segments else path

    def _userinfo(self, netloc: str) -> str:
        userinfo, at, host = netloc.rpartition("@")
        if not at or not userinfo:
            return netloc
        user, colon, password = userinfo.partition(":")
        if not colon:  # `https://<token>@host`: a lone userinfo is a credential
            return f"{self.secret('userinfo')}@{host}"
        if user and (looks_random(user, min_length=12) or self.detector.kinds(user)):
            user = self.secret("username")
        return f"{user}:{self.secret('password') if password else ''}@{host}"

    def pairs(self, raw: str, *, plus: bool = True) -> str:
        """`a=1&token=x` with secret-named values replaced and every other value scrubbed as a value."""
        pieces = []
        for piece in raw.split("&"):
            name_raw, eq, value_raw = piece.partition("=")
            name, value = unquote_plus(name_raw), unquote_plus(value_raw) if plus else unquote(value_raw)
            if eq and value and not is_placeholder(value) and not self.rules.is_kept(name):
                clean = self.secret(name, value) if self.rules.is_secret_query(name, value) else self.value(value)
                if clean == value and self._unexplained_pair(name, value):
                    clean = self.secret(f"unexplained-{name}", value)
                if clean != value:
                    piece = f"{name_raw}={quote(clean, safe='<>:/')}"
            pieces.append(piece)
        return "&".join(pieces)

    # ------------------------------------------------------------ headers

    def header(self, name: str, value: str) -> str:
        """A header value: cookies by pair, a secret header (any `Authorization` scheme) whole, else as a value."""
        if is_placeholder(value) or not value:
            return value
        lowered = name.lower()
        if lowered in _COOKIE_HEADERS:
            return self.cookies(value, set_cookie=lowered != "cookie")
        if self.rules.is_kept(name) or lowered in _STRUCTURE_HEADERS:
            return value
        if self.rules.is_secret_header(name):
            return self.secret(name, value)
        clean = self.value(value)
        if clean == value and self._unexplained_pair(name, value):
            return self.secret(f"unexplained-{name}", value)
        return clean

    def _unexplained_pair(self, name: str, value: str) -> bool:
        """True when a header, parameter or argument the description does not document holds a random token."""
        return self.rules.hints.is_unexplained(name) and self._unexplained(name, value)

    def cookies(self, value: str, *, set_cookie: bool) -> str:
        """Every cookie value replaced by a placeholder named for the cookie; names and attributes kept; a folded
        `Set-Cookie` (several cookies joined by commas) read cookie by cookie."""
        cookies = _FOLDED_COOKIE.split(value) if set_cookie and "," in value else [value]
        if len(cookies) > 1:
            separators = _FOLDED_COOKIE.findall(value)
            cleaned = [self.cookies(cookie, set_cookie=True) for cookie in cookies]
            return "".join(
                part + (separators[index] if index < len(separators) else "") for index, part in enumerate(cleaned)
            )
        pieces = []
        for index, piece in enumerate(value.split(";")):
            name, eq, content = piece.partition("=")
            attribute = set_cookie and index > 0 and name.strip().lower() in _COOKIE_ATTRIBUTES
            if eq and content.strip() and not attribute and not is_placeholder(content.strip()):
                piece = f"{name}={self.secret(name.strip() or 'cookie')}"
            elif not eq and not attribute and piece.strip() and not is_placeholder(piece.strip()):
                piece = self.secret("cookie")
            pieces.append(piece)
        return ";".join(pieces)

    # ------------------------------------------------------------ bodies

    def body(self, text: str, content_type: str, *, keep_layout: bool = False) -> str:
        """A body by its structure: JSON (re-written in the cassette layout unless `keep_layout`), form,
        multipart, XML, else a value (encoded layers, then text)."""
        lowered = content_type.lower()
        if is_json_text(text, lowered):
            try:
                data = parse_json_value(text)
            except ValueError:
                return self.text(text)
            self.exponent = False
            cleaned = self._json_body(text, data, floats=not keep_layout)
            if keep_layout:
                return text if cleaned is data or cleaned == data else json.dumps(cleaned, ensure_ascii=False)
            return dump_json(cleaned, plain_numbers=not self.exponent)
        if "x-www-form-urlencoded" in lowered:
            return self.pairs(text)
        if "multipart/" in lowered and "boundary=" in lowered:
            return self.multipart(text, content_type)
        if _is_xml(text) or "xml" in lowered or "html" in lowered:
            self.markup = "html" in lowered or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))
            suspects = self.suspects_of(text)
            names = set(_TAG.findall(text)) | set(_ATTRIBUTE_NAME.findall(text)) if suspects is not None else set()
            if suspects is None:
                return escape_xml_placeholders(self._between_elements(self.xml(text)))
            if self._clean(suspects, {_local(name) for name in names}, []):
                return text
            return escape_xml_placeholders(self._xml_suspects(text, suspects))
        if not lowered and "=" in text and "&" in text and _looks_like_form(text):
            return self.pairs(text)
        return self._text_body(self.value(text))

    def _text_body(self, text: str) -> str:
        """A text body (a log, a page of prose) has no field names: with a description, a long random token in
        it is unexplained and goes."""
        if not self.rules.hints.described or len(text) < 32:
            return text
        return _LONG_TOKEN.sub(
            lambda m: self.secret("unexplained-token", m[0]) if self._unexplained("", m[0]) else m[0], text
        )

    def _json_body(self, text: str, data: Any, *, floats: bool) -> Any:
        """JSON data scrubbed: returned as it is when a quick look at its text (see `suspects_of`) and at its keys
        shows nothing to judge, else walked, judging only the values the quick look found."""
        suspects = self.suspects_of(text)
        if suspects is not None:
            keys, pairs, self.exponent = _keys_of(data, floats=floats)
            if self._clean(suspects, keys, pairs):
                return data
        return self._with(suspects, lambda: self.json(data))

    def _clean(self, suspects: frozenset[str], names: set[str], pairs: list[dict[str, Any]]) -> bool:
        """True when no field name calls for judging, no name/value pair holds a secret, and each suspect value,
        judged alone, is clean."""
        if any(self.rules.field_verdict(name) != "plain" for name in names):
            return False
        outer, self.suspects = self.suspects, None
        try:
            if not all(self._name_value_pair(pair) is None for pair in pairs):
                return False
            known = self.rules.clean_values(self.assignments)
            fresh = [value for value in suspects if value not in known]
            tokens = [value for value in fresh if _TOKEN.fullmatch(value)]
            others = [value for value in fresh if not _TOKEN.fullmatch(value)]
            if not (self._clean_tokens(tokens) and all(self.value(value) == value for value in others)):
                return False
            known.update(dict.fromkeys(fresh, True))  # judged alone at the top: the verdict holds wherever met
            return True
        finally:
            self.suspects = outer

    def _clean_tokens(self, tokens: list[str]) -> bool:
        """True when none of these single tokens holds a format or a credential, and none decodes to a layer that
        holds a secret; one detector pass over the tokens and their decoded one-line texts together."""
        if not tokens:
            return True
        lines = []
        for token in tokens:
            layer = peel(token) if len(token) >= 8 else None  # what `layered` peels at the top
            if layer is not None and _is_plain_line(layer.inner):
                lines.append(layer.inner)
            elif layer is not None and self.layered(token) != token:
                return False
        self.depth += 1  # the decoded texts are judged one layer down, as `layered` judges them
        try:
            judged = self._lines_to_judge(lines)
            if judged is None or any(True for _ in self.detector.iter_matches("\n".join(tokens + judged))):
                return False
            return all(self._text_steps_keep(line) for line in judged)
        finally:
            self.depth -= 1

    def _lines_to_judge(self, lines: list[str]) -> list[str] | None:
        """Of these decoded one-line texts, those `body` would judge as text (as a value, then as text), or None
        when one of them is not clean by what is judged here: the node ids of a GraphQL-shaped API decode to
        `010:Repository1296269`, thousands to a recording, and are judged with one detector pass for all."""
        judged = []
        for line in lines:
            if not line or is_placeholder(line) or self._plain(line) or len(line) < 4:
                continue
            if self.layered(line) != line:
                return None
            if "scrubbed" in line or "volatile" in line:  # placeholders inside: the text steps go around them
                if self.text(line, peeled=True) != line:
                    return None
                continue
            judged.append(line)
        return judged

    def _text_steps_keep(self, line: str) -> bool:
        """True when the steps of `text` but the detector's leave a line as it is."""
        steps = [self._urls, self._paths]
        steps += [] if _BLOB.fullmatch(line) else [self._blobs]
        steps += [self._assignments] if self.assignments else []
        return all(step(line) == line for step in steps)

    def _with(self, suspects: frozenset[str] | None, walk: Callable[[], Any]) -> Any:
        """Run a walk judging only these values (all values when None)."""
        outer, self.suspects = self.suspects, suspects
        try:
            return walk()
        finally:
            self.suspects = outer

    def suspects_of(self, text: str) -> frozenset[str] | None:
        """The string values of a JSON or XML text that may hold a secret (see secrets/quick.py), or None when
        the text needs the full walk."""
        if self.depth or self.rules.custom_patterns or self._has_hex_bodied_format(text):
            return None
        return suspect_values(text, self.rules.is_secret_query, self.rules.literal_spans)

    def json(self, data: Any, container: str = "", path: str = "$") -> Any:
        """JSON data with every secret replaced: by name, by pair list, by description, by value."""
        if isinstance(data, dict):
            pair = self._name_value_pair(data)
            if pair is not None:
                return pair
            name_key = _pair_keys(data)[0]  # in a name/value pair the name is a name, judged by its value only
            cleared = self.suspects is not None and not container
            return {
                key: value
                if type(value) in _SCALARS or (cleared and type(value) is str and self._cleared(key, value))
                else self.value(value)
                if key == name_key
                else self._json_entry(str(key), value, container, path)
                for key, value in data.items()
            }
        if isinstance(data, list):
            if self.track_paths:
                return [self.json(item, container, f"{path}[{index}]") for index, item in enumerate(data)]
            return [self.json(item, container, path) for item in data]
        if isinstance(data, str):
            return self.value(data, container)
        if isinstance(data, float) and not self.exponent:
            self.exponent = not math.isfinite(data) or "e" in repr(data)
        return data

    def _cleared(self, key: str, value: str) -> bool:
        """True for a string under a plain name that the quick look cleared, or that was judged clean alone in this
        run (see `_clean`): `field` and `value` keep it (only while the quick look's suspects are known)."""
        suspects = self.suspects or frozenset()
        if value in suspects and value not in self.rules.clean_values(self.assignments):
            return False
        return self.rules.field_verdict(key) == "plain"

    def _json_entry(self, key: str, value: Any, container: str, path: str) -> Any:
        where = f"{path}.{key}" if self.track_paths else ""
        if isinstance(value, str):
            return self.field(key, value, container, where)
        if self.rules.is_kept(key, where):
            return value
        secret = self.rules.field_verdict(key) == "secret"  # is_secret_field(key), remembered
        if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
            if secret:
                return [self.secret(key) if item and not is_placeholder(item) else item for item in value]
            return [self.field(key, item, container, where) for item in value]
        if isinstance(value, (dict, list)) and secret:
            return self.json(value, container=key, path=where)  # inside `credentials: {...}` random strings go
        return self.json(value, container, where)

    def _name_value_pair(self, data: dict[str, Any]) -> dict[str, Any] | None:
        """`{name: X, value: Y}`: Y is judged by X: a secret when X is a secret name, data when X names data (a
        commit, a digest) or the description explains Y, and otherwise a secret when Y is a random token."""
        name_key, value_key = _pair_keys(data)
        if name_key is None or value_key is None:
            return None
        name, value = data[name_key], data[value_key]
        if not value or is_placeholder(value) or is_public_value(value):
            return None
        verdict = self.rules.field_verdict(name)
        if verdict == "kept":
            return None
        if verdict != "secret" and not (verdict == "shape" and self.rules.is_secret_field(name, value)):
            if _names_data(name) or not is_random_token(value) or is_digest(value) or peel(value) is not None:
                return None
            if self.rules.hints.explains(name, value):
                return None
        cleaned = {key: self.json(item) for key, item in data.items() if key != value_key}
        return {**cleaned, value_key: self.secret(name, value)}

    def xml(self, text: str) -> str:
        """XML elements and attributes judged by name; CDATA and escaped text decoded and judged as values."""
        if "<" not in text:
            return text
        if "<![CDATA[" in text:
            text = _XML_CDATA.sub(lambda m: f"<![CDATA[{self.value(m[1])}]]>", text)
        text = _XML_ELEMENT.sub(self._element, text)
        return _XML_ATTRIBUTE.sub(
            lambda m: (
                f"{m[1]}={m[2]}{self.secret(_local(m[1]))}{m[2]}"
                if self.rules.is_secret_field(_local(m[1].strip()), m[3]) and not is_placeholder(m[3])
                else m[0]
            ),
            text,
        )

    def _between_elements(self, text: str) -> str:
        """Text scrubbing for what lies between the simple elements (attributes, CDATA, mixed text): an
        element's own text was judged with its name."""
        pieces, last = [], 0
        for found in _XML_ELEMENT.finditer(text):
            pieces += [self.text(text[last : found.start()]), found[0]]
            last = found.end()
        return "".join(pieces) + self.text(text[last:])

    def _xml_suspects(self, text: str, suspects: frozenset[str]) -> str:
        """XML walked judging only the suspect values; those left outside simple elements (attribute values,
        mixed text) are then judged where they stand."""
        clean = self._with(suspects, lambda: self.xml(text))
        for value in sorted(suspects, key=len, reverse=True):
            if value and value in clean and f">{value}<" not in text:  # whole element texts were judged by name
                judged = self.value(value)
                if judged != value:
                    clean = clean.replace(value, judged)
        return clean

    def _element(self, found: re.Match[str]) -> str:
        name, content = ("" if self.markup else _local(found[1])), found[3]
        if self.markup:  # an HTML tag names markup, not a field: the text is judged by itself
            clean = self.value(content) if not self._plain(content) else content
            return found[0] if clean == content else f"<{found[1]}{found[2] or ''}>{clean}</{found[1]}>"
        verdict = self.rules.field_verdict(name)
        if verdict == "kept" or is_placeholder(content):
            return found[0]
        if verdict == "secret" or (verdict == "shape" and self.rules.is_secret_field(name, content)):
            return f"<{found[1]}{found[2] or ''}>{self.secret(name)}</{found[1]}>"
        clean = self.field(name, content) if not self._plain(content) else content
        return found[0] if clean == content else f"<{found[1]}{found[2] or ''}>{clean}</{found[1]}>"

    def multipart(self, text: str, content_type: str) -> str:
        """Every part of a multipart body: by its name, else by its own content type."""
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
        if name and self.rules.is_secret_field(name[1], value) and value and not is_placeholder(value):
            return head + sep + self.secret(name[1]) + ending
        return head + sep + self.body(value, part_type[1] if part_type else "", keep_layout=True) + ending


_LONG_TOKEN = re.compile(r"(?<![A-Za-z0-9+/_=.-])[A-Za-z0-9+/_=-]{32,}")
_TOKEN = re.compile(r"[A-Za-z0-9+/_.~-]+={0,2}")
_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)")
_ATTRIBUTE_NAME = re.compile(r"\s([A-Za-z_][\w.:-]*)=[\"']")


def _pair_keys(data: dict[str, Any]) -> tuple[str | None, str | None]:
    """The keys of X and Y when a dict is a name/value pair `{name: X, value: Y}`, else (None, None)."""
    name_key = next((key for key in _NAME_KEYS if isinstance(data.get(key), str)), None)
    value_key = next((key for key in _VALUE_KEYS if isinstance(data.get(key), str)), None)
    if name_key is None or value_key is None or name_key == value_key:
        return None, None
    return name_key, value_key


def _keys_of(data: Any, *, floats: bool) -> tuple[set[str], list[dict[str, Any]], bool]:
    """Every key of JSON data, its dicts that may be name/value pairs, and whether a float of it is written with
    an exponent or is not finite (only when `floats`: a body kept in its layout is not written); containers only."""
    keys: set[str] = set()
    pairs: list[dict[str, Any]] = []
    exponent = False
    stack, nested = [data], _NESTED if floats else _CONTAINERS  # floats, few, are looked at when taken
    while stack:
        if type(node := stack.pop()) is float:
            exponent = exponent or not math.isfinite(node) or "e" in repr(node)
            continue
        values = node.values() if type(node) is dict else node
        if type(node) is dict:
            keys.update(node)
            if not _VALUE_KEY_SET.isdisjoint(node):
                pairs.append(node)
        stack += [item for item in values if type(item) in nested]
    return keys, pairs, exponent


_CONTAINERS = frozenset({dict, list})
_NESTED = frozenset({dict, list, float})
_SCALARS = frozenset({int, bool, type(None)})  # what the walk returns as it is, whatever its name
_VALUE_KEY_SET = frozenset(_VALUE_KEYS)


_HEX_RUN = re.compile(r"[0-9a-fA-F]{16,}")  # a digest or id to the quick look, a token in a webhook URL's path


def is_hook_url(host: str, path: str) -> bool:
    """True for a webhook URL: a capability (whoever has it may post), its token a segment of the path."""
    return "hook" in host.lower() or "hook" in path.lower()


def is_path_secret(segment: str, kinds: Callable[[str], list[str]], *, hook: bool = False) -> bool:
    """True when a URL path segment is a secret: a random token or a credential format (a bot's token), and in a
    webhook URL also a hex segment of 16 or more (Teams)."""
    return _is_path_token(_stem(unquote(segment)), kinds) or (hook and _HEX_RUN.fullmatch(segment) is not None)


def _is_path_token(segment: str, kinds: Callable[[str], list[str]]) -> bool:
    """True when a decoded path segment is a random token or holds a credential format (a bot's token)."""
    random = "." not in segment and is_random_token(segment, min_length=20)  # a dotted name is a host or a file
    return random or (len(segment) >= 16 and bool(kinds(segment)))


def _stem(segment: str) -> str:
    """A path segment without its file extension: `e3b5...50.jpg` names a file by its hash, a token has none."""
    stem, dot, extension = segment.rpartition(".")
    return stem if dot and stem and 1 <= len(extension) <= 5 and extension.isalnum() else segment


@lru_cache(maxsize=4096)
def _names_data(name: str) -> bool:
    """True when a name says its value is data (an id, a digest, a commit) or published on purpose (a public,
    publishable, site or client key)."""
    words = name_words(name)
    compact = "".join(words)
    return any(word in _DATA_WORDS or word in _PUBLIC_WORDS for word in words) or any(
        algorithm in compact for algorithm in ("md5", "sha1", "sha256", "sha512", "crc32")
    )


_PUBLIC_WORDS = frozenset({"public", "publishable", "site", "client"})


def _is_plain_line(text: str) -> bool:
    """True when `body` reads a text (with no content type) as a value: not a JSON or XML document, not a form,
    and with a description, not long enough for its token check (see `_text_body`)."""
    head = text.lstrip()[:1]
    return head not in ("{", "[", "<") and not ("=" in text and "&" in text) and len(text) < 32


def _looks_like_form(text: str) -> bool:
    return "\n" not in text.strip() and " " not in text.strip()


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def is_placeholder(value: str) -> bool:
    """True when a value is a placeholder left by scrubbing (also escaped)."""
    return ("scrubbed" in value or "volatile" in value) and bool(ANY_PLACEHOLDER.fullmatch(value.strip()))


def _each_plain(text: str, step: Callable[[str], str]) -> str:
    """Apply a step to the parts of a text outside placeholders, so placeholders are never rewritten."""
    if "scrubbed" not in text and "volatile" not in text:
        return step(text)
    parts = ANY_PLACEHOLDER.split(text)
    kept = ANY_PLACEHOLDER.findall(text)
    return "".join(step(part) + (kept[index] if index < len(kept) else "") for index, part in enumerate(parts))


def _is_xml(text: str) -> bool:
    return text.lstrip().startswith("<")


def escape_xml_placeholders(text: str) -> str:
    """Inside XML a bare <scrubbed:x> would be read as an element: escape it so the document still parses."""
    return (
        _PLACEHOLDER_TEXT.sub(lambda m: m[0].replace("<", "&lt;").replace(">", "&gt;"), text) if _is_xml(text) else text
    )


def is_json_text(text: str, content_type: str) -> bool:
    """True when a body is JSON by its content type or by its first character."""
    return "json" in content_type or text.lstrip()[:1] in ("{", "[")


_WRITE = fast_json_writer()


def dump_json(data: Any, *, plain_numbers: bool = False) -> str:
    """JSON in the one layout cassettes use: sorted keys, two-space indent, UTF-8 kept. With the `fast` extra,
    data known to hold no float written with an exponent and no NaN (`plain_numbers`) is written by orjson, whose
    text is then the same; an integer beyond 64 bits makes it refuse, and the standard library writes it."""
    if plain_numbers and _WRITE is not None:
        try:
            return _WRITE(data).decode("utf-8")
        except TypeError:  # orjson.JSONEncodeError: an integer beyond 64 bits, a lone surrogate
            pass
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
