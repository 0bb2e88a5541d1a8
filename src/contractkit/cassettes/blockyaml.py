"""The YAML that vcrpy writes, read fast: block mappings and lists of scalars, as PyYAML's emitter lays them out.

A cassette of a few thousand large responses is tens of megabytes of YAML, nearly all of it response bodies
written as one long quoted scalar folded over many lines. libyaml reads such a file character by character
(about a second for 50 MB); here a body is found with one regular expression and unfolded with string
methods, all in C, and only the few lines of structure around it are walked in Python. An interaction laid out
exactly as vcrpy's serializer lays it out is taken whole by one regular expression (its scalars built by the same
functions), and a body written again is the string already built for it (recorded traffic repeats bodies).

`read_block_yaml(text)` returns exactly what PyYAML's safe loader returns for the same text (a Hypothesis test
holds the two together on what vcrpy writes), or None when the text uses anything outside the subset read
here: flow collections other than `{}` and `[]`, tags, anchors and aliases, block scalars (`|`, `>`),
comments, directives, several documents, tabs or carriage returns, complex keys, or nesting deeper than
MAX_NESTING. The caller then reads it with the full loader, which also names the line of any problem.
"""

from __future__ import annotations

import operator
import re
from typing import Any, Callable

import yaml

from contractkit.core.limits import MAX_NESTING
from contractkit.core.loading import parse_json_value

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_SINGLE_END = re.compile(r"[^']*(?:''[^']*)*'")  # from just after the opening quote to the closing one
_DOUBLE_END = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_ESCAPED_BREAK = re.compile(r"\\\\|\\\n[ \t]*")  # an escaped backslash, or an escaped line break and the indentation
_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_JSON_ESCAPE = re.compile(r"\\(?:[\"\\/bfnrt]|u(?![dD][89abAB])[0-9A-Fa-f]{4})")
_YAML_ESCAPES = {"0": "\0", "a": "\a", "v": "\v", "e": "\x1b", " ": " ", "N": "\x85", "_": "\xa0", "\t": "\t"}
_YAML_ESCAPES |= {"L": "\u2028", "P": "\u2029", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_YAML_ESCAPES |= {'"': '"', "\\": "\\"}
_PLAIN_START = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@`\s]|[-?:][^\s,\[\]{}]")
_NOT_PLAIN = re.compile(r":(?:\s|$)| #|\t")
_NOT_CONTINUATION = re.compile(r"[-?:](?:\s|$)|#")
_SPECIAL_STARTS = ("---", "...", "%")  # at the start of a line: document markers and directives
_AT_LINE_START = operator.methodcaller("startswith", ("---", "..."))
_INDENT = re.compile(r"[ ]*")
_PRINTABLE_ASCII = bytes(range(32, 127)) + b"\t\n"
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


class _Unsupported(Exception):
    """The text uses YAML beyond the subset read here."""


class _Declined(Exception):
    """An interaction that is not laid out exactly as vcrpy writes it: read by the general path instead."""


def read_block_yaml(text: str) -> Any:
    """What PyYAML's safe loader builds from `text` (strings as they stand), or None when the text is outside
    the subset of YAML that vcrpy writes (the caller then uses the full loader)."""
    if not _is_plain_text(text):
        return None
    try:
        return _Reader(text).document()
    except (_Unsupported, ValueError, IndexError, RecursionError):
        return None


def _is_plain_text(text: str) -> bool:
    """Printable characters only, and no line break but `\\n` (YAML also breaks lines at NEL, LS and PS)."""
    if text.isascii():
        return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return _NON_PRINTABLE.search(text) is None and "\r" not in text


class _Reader:
    """A cursor over the text: after `_next_line`, `pos` is at the first character of a line's content and
    `indent` is its column; every node read leaves `pos` at the start of the line after it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.indent = 0
        self.plain: dict[str, Any] = {}  # a plain scalar's value, per distinct text
        self.lines: dict[str, Any] = {}  # a one-entry value's, per distinct text (in interactions read whole)
        self.bodies: dict[int, tuple[int, str]] = {}  # a written body's hash -> where it was first met, its text
        self.strip = str.strip if text.isascii() else _strip_blanks  # the same on printable ASCII, and in C

    def document(self) -> Any:
        """The one document of the text."""
        if not self._next_line():
            return None  # an empty document
        if self.indent != 0:
            raise _Unsupported
        value = self._inline_node(0, -1, 0)
        if self._next_line():  # anything after the top-level node
            raise _Unsupported
        return value

    # ---- lines
    def _next_line(self) -> bool:
        """Move to the content of the next non-blank line, from the start of the line pos is on; False at the
        end of the text."""
        text, size = self.text, len(self.text)
        if self.pos >= size:
            return False
        pos = text.rfind("\n", 0, self.pos) + 1
        while pos < size:
            content = _INDENT.match(text, pos).end()  # type: ignore[union-attr]
            if content == size:
                break
            if text[content] == "\n":
                pos = content + 1
                continue
            if text[content] == "#" or text[content] == "\t":
                raise _Unsupported  # comments and tabs are read by the full loader
            if content == pos and text.startswith(_SPECIAL_STARTS, pos):
                raise _Unsupported  # document markers and directives
            self.pos, self.indent = content, content - pos
            return True
        self.pos = size
        return False

    def _end_of_line(self) -> None:
        """Nothing but spaces up to the end of the line; then move past it."""
        text = self.text
        end = text.find("\n", self.pos)
        end = len(text) if end < 0 else end
        if text[self.pos : end].strip(" "):
            raise _Unsupported
        self.pos = min(end + 1, len(text))

    def _is_dash(self) -> bool:
        text, pos = self.text, self.pos
        return text.startswith("-", pos) and text[pos + 1 : pos + 2] in (" ", "\n", "")

    # ---- collections
    def _sequence(self, indent: int, depth: int) -> list[Any]:
        """A block list whose first dash is at pos (column `indent`)."""
        if depth > MAX_NESTING:
            raise _Unsupported
        items: list[Any] = []
        text = self.text
        while True:
            taken = self._interaction() if indent == 0 and depth + 4 <= MAX_NESTING else None
            if taken is not None:  # a whole vcrpy interaction, read in one step
                items.append(taken)
                if not self._next_line() or self.indent < indent:
                    return items
                if self.indent > indent:
                    raise _Unsupported
                if not self._is_dash():
                    return items
                continue
            self.pos += 1  # the dash
            if text.startswith(" ", self.pos):
                self.pos += 1
                items.append(self._inline_node(indent + 2, indent, depth))
            else:  # a dash alone on its line: the item follows, indented, or is empty
                self._end_of_line()
                items.append(self._nested(indent, depth, indentless=False))
            if not self._next_line() or self.indent < indent:
                return items
            if self.indent > indent:
                raise _Unsupported
            if not self._is_dash():
                return items  # the next key of the mapping this list is the value of

    def _mapping(self, indent: int, depth: int) -> dict[Any, Any]:
        """A block mapping whose first key is at pos (column `indent`)."""
        if depth > MAX_NESTING:
            raise _Unsupported
        mapping: dict[Any, Any] = {}
        text = self.text
        simple = _simple_entry(indent)
        while True:
            found = simple.match(text, self.pos) if simple is not None else None
            if found is not None and self._simple(found, mapping, depth):
                self.pos, self.indent = found.end(4), found.end(4) - found.start(4)  # the next line's content
                if self.indent < indent:
                    return mapping
                if self._is_dash():
                    raise _Unsupported
                continue
            key = self._key()
            if text.startswith(" ", self.pos):
                self.pos = _INDENT.match(text, self.pos).end()  # type: ignore[union-attr]
            if self.pos >= len(text) or text[self.pos] == "\n":
                self._end_of_line()
                mapping[key] = self._nested(indent, depth, indentless=True)
            else:
                mapping[key] = self._value(indent, depth)
            if not self._next_line() or self.indent < indent:
                return mapping
            if self.indent > indent or self._is_dash():
                raise _Unsupported

    def _simple(self, found: re.Match[str], mapping: dict[Any, Any], depth: int) -> bool:
        """Take an entry `key: value` or `key:` with a list of one item (a recorded header), the value plain or
        single-quoted on its line, in one step;
        False, taking nothing, when a value needs the general path (it might be a mapping, or a comment)."""
        key, plain, item = found.group(1, 2, 3)
        value = plain if item is None else item
        if value.startswith("'"):  # a single-quoted text on one line
            scalar = value.rstrip(" ")[1:-1].replace("''", "'")
        elif _NOT_PLAIN.search(value):
            return False
        else:
            scalar = self._plain_value(value.rstrip(" "))
        if item is None:
            mapping[self._plain_value(key)] = scalar
        else:
            if depth + 1 > MAX_NESTING:
                raise _Unsupported
            mapping[self._plain_value(key)] = [scalar]
        return True

    def _interaction(self) -> dict[str, Any] | None:
        """A top-level list item laid out exactly as vcrpy writes an interaction (request: body, headers, method,
        uri; response: body.string, headers, status.code and message), read with one regular expression and its
        scalars built by the same functions as elsewhere; None, pos unmoved, for anything else."""
        found = _INTERACTION.match(self.text, self.pos)
        if found is None:
            return None
        try:
            request = {
                "body": self._flow_body(found, "request_body"),
                "headers": self._headers(found, "request_headers"),
                "method": self._line_value(found["method"]),
                "uri": self._line_value(found["uri"]),
            }
            response = {
                "body": {"string": self._flow_body(found, "response_body")},
                "headers": self._headers(found, "response_headers"),
                "status": {"code": self._line_value(found["code"]), "message": self._line_value(found["message"])},
            }
        except _Declined:
            return None
        self.pos = found.end()
        return {"request": request, "response": response}

    def _flow_body(self, found: re.Match[str], group: str) -> Any:
        """A body's text; recorded traffic repeats bodies, and a body written the same way as one met before is
        that same text (one string for all, so that whatever compares bodies later compares them at once)."""
        raw = found[group]
        if raw == "null":
            return self._plain_value(raw)
        key = hash(raw)  # the written text is kept once, in the cassette: only where it was met is remembered
        met = self.bodies.get(key)
        if met is not None and self.text.startswith(raw, met[0], met[0] + len(raw)):
            return met[1]
        value = _fold(raw[1:-1], self.strip).replace("''", "'") if raw[0] == "'" else _unescape(raw[1:-1])
        if met is None:
            self.bodies[key] = (found.start(group), value)
        return value

    def _headers(self, found: re.Match[str], group: str) -> dict[Any, Any]:
        block = found[group]
        headers: dict[Any, Any] = {}
        if block == " {}\n":
            return headers
        names, lines = self.plain, self.lines
        for name, values in _HEADER.findall(block):
            key = names[name] if name in names else self._plain_value(name)
            if "\n      - " in values[9:]:  # several values
                headers[key] = [self._line_value(value) for value in values[9:].split("\n      - ")]
            else:  # one value, most often one met before (in C: no call per header)
                value = values[9:]
                headers[key] = [lines[value] if value in lines else self._line_value(value)]
        return headers

    def _line_value(self, raw: str) -> Any:
        """A plain or single-quoted scalar that began after `key: ` or `- `; a plain one may go on over the
        continuation lines the pattern let through (deeper than its key, each starting with a plain character).
        Values repeat from interaction to interaction (most headers), so each distinct one is built once."""
        value = self.lines.get(raw, _MISSING)
        if value is _MISSING:
            value = self.lines[raw] = self._new_line_value(raw)
        return value

    def _new_line_value(self, raw: str) -> Any:
        if raw[0] == "'":
            if "\n" in raw or not raw.endswith("'"):
                raise _Declined
            return raw[1:-1].replace("''", "'")
        lines = raw.split("\n")
        if len(lines) > 1:
            lines = [line.strip(" ") for line in lines]
            if any(_NOT_CONTINUATION.match(line) for line in lines[1:]):
                raise _Declined
        if any(_NOT_PLAIN.search(line) for line in lines):
            raise _Declined
        return self._plain_value(" ".join(lines).rstrip(" ") if len(lines) > 1 else raw.rstrip(" "))

    def _nested(self, indent: int, depth: int, *, indentless: bool) -> Any:
        """The node on the lines after a `key:` or a lone dash at column `indent`: indented deeper, a list at
        the key's own column (`indentless`), or nothing (null)."""
        saved = self.pos
        if not self._next_line():
            return None
        if self.indent > indent:
            return self._inline_node(self.indent, indent, depth)
        if indentless and self.indent == indent and self._is_dash():
            return self._sequence(indent, depth + 1)
        self.pos = saved  # the next entry of an enclosing collection
        return None

    def _inline_node(self, column: int, parent: int, depth: int) -> Any:
        """The node at pos (column `column`) inside a collection at column `parent` (its depth `depth`)."""
        if self._is_dash():
            return self._sequence(column, depth + 1)
        if self._is_key():
            return self._mapping(column, depth + 1)
        return self._value(parent, depth)

    def _is_key(self) -> bool:
        """Whether the content at pos is a mapping key (`name:` followed by a space or the end of the line)."""
        text, pos = self.text, self.pos
        first = text[pos : pos + 1]
        if first == "'" or first == '"':
            found = (_SINGLE_END if first == "'" else _DOUBLE_END).match(text, pos + 1)
            if found is None:
                return False
            after = found.end()
            return text.startswith(":", after) and text[after + 1 : after + 2] in (" ", "\n", "")
        line_end = text.find("\n", pos)
        line = text[pos : len(text) if line_end < 0 else line_end]
        return ": " in line or line.endswith(":")

    # ---- scalars
    def _key(self) -> Any:
        """A mapping key at pos; pos ends just after its colon."""
        text, pos = self.text, self.pos
        first = text[pos : pos + 1]
        if first == "'" or first == '"':
            value = self._quoted(first, allow_break=False)
        else:
            line_end = text.find("\n", pos)
            line_end = len(text) if line_end < 0 else line_end
            colon = text.find(": ", pos, line_end)
            end = line_end - 1 if colon < 0 else colon
            if end <= pos or text[end] != ":":
                raise _Unsupported
            value = self._plain_value(text[pos:end].rstrip(" "))
            self.pos = end
        if not text.startswith(":", self.pos):
            raise _Unsupported
        self.pos += 1
        return value

    def _value(self, parent: int, depth: int) -> Any:
        """A scalar, `{}` or `[]` at pos, inside a collection at column `parent`."""
        text, pos = self.text, self.pos
        first = text[pos : pos + 1]
        if first == "'" or first == '"':
            value = self._quoted(first, allow_break=True)
            self._end_of_line()
            return value
        if text.startswith("{}", pos) or text.startswith("[]", pos):
            if depth + 1 > MAX_NESTING:
                raise _Unsupported
            self.pos += 2
            self._end_of_line()
            return {} if first == "{" else []
        return self._plain(parent)

    def _quoted(self, quote: str, *, allow_break: bool) -> str:
        text = self.text
        found = (_SINGLE_END if quote == "'" else _DOUBLE_END).match(text, self.pos + 1)
        if found is None:
            raise _Unsupported
        content = text[self.pos + 1 : found.end() - 1]
        self.pos = found.end()
        if not allow_break and "\n" in content:
            raise _Unsupported
        if quote == "'":
            return _fold(content, self.strip).replace("''", "'")
        return _unescape(content)

    def _plain(self, parent: int) -> Any:
        """A plain scalar, continued on the lines indented deeper than `parent` that follow."""
        text = self.text
        line_end = text.find("\n", self.pos)
        line_end = len(text) if line_end < 0 else line_end
        lines = [text[self.pos : line_end]]
        self.pos = min(line_end + 1, len(text))
        while self.pos < len(text):
            saved = self.pos
            if not self._next_line() or self.indent <= parent:
                self.pos = saved
                break
            if _NOT_CONTINUATION.match(text, self.pos):
                raise _Unsupported
            lines.extend([""] * (text.count("\n", saved, self.pos)))
            line_end = text.find("\n", self.pos)
            line_end = len(text) if line_end < 0 else line_end
            lines.append(text[self.pos : line_end])
            self.pos = min(line_end + 1, len(text))
        if any(_NOT_PLAIN.search(line.rstrip(" ")) for line in lines):
            raise _Unsupported
        raw = lines[0] if len(lines) == 1 else _fold("\n".join(lines), self.strip)
        return self._plain_value(raw.rstrip(" "))

    def _plain_value(self, raw: str) -> Any:
        value = self.plain.get(raw, _MISSING)
        if value is _MISSING:
            value = self.plain[raw] = _construct_plain(raw)
        return value


_MISSING = object()
_SIMPLE_ENTRIES: dict[int, re.Pattern[str]] = {}
_SIMPLE_START = r"[^\s'\"&*!|>%@`{}\[\]#,?:-]"  # a plain scalar's first character, the dash and friends left out
_SIMPLE_VALUE = rf"{_SIMPLE_START}[^\n]*|'(?:[^'\n]|'')*' *"  # a plain scalar, or a single-quoted one, on one line


def _simple_entry(indent: int) -> re.Pattern[str] | None:
    """`key: plain` or `key:` then `- plain` at the key's column, followed by a line no deeper than the key that
    is not another item of the list (nor a comment, nor at the first column, where document markers are): a
    mapping entry whose value ends on its own line (or the next). Group 4 is the next line's indentation."""
    if indent == 0:
        return None  # the few top-level keys take the general path, which looks for document markers
    pattern = _SIMPLE_ENTRIES.get(indent)
    if pattern is None:
        pattern = _SIMPLE_ENTRIES[indent] = re.compile(
            rf"([A-Za-z0-9][A-Za-z0-9_.-]*):(?: ({_SIMPLE_VALUE})|\n {{{indent}}}- ({_SIMPLE_VALUE}))\n"
            rf"(?! {{{indent}}}-[ \n])(?=( {{1,{indent}}})[^ \n#\t])"
        )
    return pattern


# What vcrpy writes for one interaction, every key in its place (sorted, as its serializer sorts them). A value is
# `_LINE` (plain, maybe continued on deeper lines, or single-quoted on one line); a body is a quoted flow scalar.
_LINE_START = r"[^\s'\"&*!|>%@`{}\[\]#,?:-]"
_PLAIN_LINE = rf"{_LINE_START}[^\n]*"


def _line(continuation: int) -> str:
    return rf"(?:{_PLAIN_LINE}(?:\n {{{continuation}}}{_LINE_START}[^\n]*)*|'(?:[^'\n]|'')*')"


_SINGLE_BODY = r"'[^']*(?:''[^']*)*'"
_DOUBLE_BODY = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_HEADERS = rf"(?: \{{\}}\n|\n(?:      [A-Za-z0-9][A-Za-z0-9_.-]*:\n(?:      - {_line(8)}\n)+)*)"
_INTERACTION = re.compile(
    rf"- request:\n    body: (?P<request_body>null|{_SINGLE_BODY}|{_DOUBLE_BODY})\n"
    rf"    headers:(?P<request_headers>{_HEADERS})"
    rf"    method: (?P<method>{_line(6)})\n    uri: (?P<uri>{_line(6)})\n"
    rf"  response:\n    body:\n      string: (?P<response_body>{_SINGLE_BODY}|{_DOUBLE_BODY})\n"
    rf"    headers:(?P<response_headers>{_HEADERS})"
    rf"    status:\n      code: (?P<code>{_line(8)})\n      message: (?P<message>{_line(8)})\n"
    r"(?=[^ \n#\t]|\Z)",
    re.DOTALL,
)
_HEADER = re.compile(rf"      ([A-Za-z0-9][A-Za-z0-9_.-]*):((?:\n      - {_line(8)})+)\n", re.DOTALL)


def _construct_plain(raw: str) -> Any:
    if not raw or not _PLAIN_START.match(raw) or _NOT_PLAIN.search(raw):
        raise _Unsupported
    tag = _RESOLVER.resolve(yaml.ScalarNode, raw, (True, False))
    if tag == _STR_TAG:
        return raw
    constructor = _CONSTRUCTOR.yaml_constructors.get(tag)
    if constructor is None or tag.endswith((":merge", ":value", ":yaml")):
        raise _Unsupported
    return constructor(_CONSTRUCTOR, yaml.ScalarNode(tag, raw))


def _strip_blanks(line: str) -> str:
    return line.strip(" \t")


def _fold(content: str, strip: Callable[[str], str] = _strip_blanks) -> str:
    """A flow scalar's line folding: a single line break is a space, n+1 breaks are n newlines, and the spaces
    and tabs around each break are dropped (`strip` drops them from both ends of a line)."""
    if "\n" not in content:
        return content
    lines = content.split("\n")
    if any(map(_AT_LINE_START, lines[1:])):
        raise _Unsupported  # a document marker inside a scalar ends the document
    stripped = list(map(strip, lines))  # in C: no Python code runs per line of a long body
    stripped[0], stripped[-1] = lines[0].rstrip(" \t"), lines[-1].lstrip(" \t")
    if "" not in stripped[1:-1]:
        return " ".join(stripped)
    out = [stripped[0]]
    empty = 0
    for line in stripped[1:-1]:
        if not line:
            empty += 1
            continue
        out.append("\n" * empty if empty else " ")
        out.append(line)
        empty = 0
    out.append("\n" * empty if empty else " ")
    out.append(stripped[-1])
    return "".join(out)


def _unescape(content: str) -> str:
    """The text of a double-quoted scalar: escaped line breaks dropped, then YAML's escapes decoded by the JSON
    parser where the two languages agree and rewritten where they do not."""
    if "\n" in content:
        if any(map(_AT_LINE_START, content.split("\n")[1:])):
            raise _Unsupported  # a document marker inside a scalar ends the document
        content = _ESCAPED_BREAK.sub(_keep_backslashes, content)
        if "\n" in content:  # a line break folded, not escaped: left to the full loader
            raise _Unsupported
    if "\\" not in content:
        return content
    if _JSON_ESCAPE.sub("", content).count("\\"):  # an escape JSON reads otherwise, or lacks
        content = _ESCAPE.sub(_as_json_escape, content)
    value = parse_json_value(f'"{content}"')
    if not isinstance(value, str):
        raise _Unsupported
    return value


def _keep_backslashes(found: re.Match[str]) -> str:
    return found.group() if found.group() == "\\\\" else ""


def _as_json_escape(found: re.Match[str]) -> str:
    """One YAML escape as JSON text: `\\x41` -> `\\u0041`, `\\U0001F600` -> a surrogate pair, `\\N` -> `\\u0085`."""
    escape = found.group()
    code = escape[1]
    if code == "x":
        return "\\u00" + escape[2:]
    if code == "u":
        if escape[2] in "dD" and escape[3] in "89abAB":
            raise _Unsupported  # YAML reads each half of a surrogate pair alone, JSON joins them
        return escape
    if code == "U":
        return _astral(int(escape[2:], 16))
    if code not in _YAML_ESCAPES or len(escape) != 2:
        raise _Unsupported
    return "\\u%04x" % ord(_YAML_ESCAPES[code])


def _astral(code: int) -> str:
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise _Unsupported
    if code < 0x10000:
        return "\\u%04x" % code
    code -= 0x10000
    return "\\u%04x\\u%04x" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))


__all__ = ["read_block_yaml"]
