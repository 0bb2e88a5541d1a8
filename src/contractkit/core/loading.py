"""Read YAML or JSON while remembering the line of every key path, for error messages."""

from __future__ import annotations

import copy
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, NoReturn

import yaml

from contractkit.core.errors import ContractKitError, KeyPath
from contractkit.core.limits import MAX_ALIAS_NODES, MAX_FILE_BYTES, MAX_NESTING

try:  # the C loader is ten times faster on large documents
    from yaml import CSafeLoader as YamlLoader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as YamlLoader  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """Parsed data plus the 1-based line of each key path."""

    path: Path
    data: Any
    lines: dict[KeyPath, int]

    def line_of(self, key_path: KeyPath) -> int | None:
        """The line of the key path, or of its nearest ancestor that has one."""
        for end in range(len(key_path), -1, -1):
            line = self.lines.get(tuple(key_path[:end]))
            if line is not None:
                return line
        return None


ErrorFactory = Callable[..., ContractKitError]


class NestingLimitError(ValueError):
    """JSON text nested deeper than MAX_NESTING; a ValueError, so callers that catch bad JSON catch it too."""

    def __init__(self, line: int) -> None:
        self.line = line
        super().__init__(
            f"nested more than {MAX_NESTING} levels deep (line {line}); the limit keeps every engine "
            f"clear of recursion limits"
        )


# ---------------------------------------------------------------- reading files


def load_source(path: Path, error: ErrorFactory, *, display: str | None = None) -> SourceDocument:
    """Load a YAML or JSON file; raise `error` naming the file and line when it cannot be read."""
    shown = display or str(path)
    return parse_source(read_text(path, error, display=shown), path, error, display=shown)


def read_bytes(path: Path, error: ErrorFactory, *, display: str | None = None) -> bytes:
    """A regular file's bytes, at most MAX_FILE_BYTES; FIFOs, devices and folders are refused without blocking."""
    shown = display or str(path)
    try:  # O_NONBLOCK: opening a FIFO must not wait for a writer
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise error("file not found", file=shown) from None
    except OSError as exc:
        raise error(f"cannot read file ({exc.strerror or exc})", file=shown) from exc
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
        os.close(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"not a regular file (a {_file_kind(info.st_mode)}); expected a YAML or JSON file", file=shown)
        raise error(f"file too large ({info.st_size} bytes; the limit is {MAX_FILE_BYTES})", file=shown)
    with os.fdopen(descriptor, "rb") as stream:
        data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise error(f"file too large (more than {MAX_FILE_BYTES} bytes)", file=shown)
    return data


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "folder"),
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    )
    return next((name for test, name in kinds if test(mode)), "special file")


def read_text(path: Path, error: ErrorFactory, *, display: str | None = None) -> str:
    """A file's UTF-8 text; raise `error` naming the file when it is missing, unreadable, special or too large."""
    shown = display or str(path)
    data = read_bytes(path, error, display=shown)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(f"cannot read file (not UTF-8 text: byte {data[exc.start]:#04x})", file=shown, line=line) from exc
    check_nesting(text, error, display=shown)  # so that every JSON and YAML reader is safe from here
    return text


def check_nesting(text: str | bytes, error: ErrorFactory, *, display: str) -> None:
    """Refuse JSON or YAML text that nests mappings and lists more than MAX_NESTING deep, naming the line, before
    any parser sees it: Python's parsers recurse, and libyaml's C loader crashes the process on deep flow nesting.

    Brackets are counted first, in C (linear); only text that may be too deep is read again as YAML events to
    tell brackets inside quoted strings from real nesting."""
    if not is_nested_deeper(text):
        return
    source = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    if source.lstrip()[:1] in ("{", "["):
        raise error(f"nested more than {MAX_NESTING} levels deep", file=display, line=_deep_line(source))
    depth = 0
    try:
        for event in yaml.parse(source, Loader=YamlLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    raise error(
                        f"nested more than {MAX_NESTING} levels deep", file=display, line=event.start_mark.line + 1
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        if "nesting depth" in str(exc):  # newer libyaml stops at its own depth limit: the same refusal
            mark = getattr(exc, "problem_mark", None)
            raise error(
                f"nested more than {MAX_NESTING} levels deep",
                file=display,
                line=mark.line + 1 if mark is not None else None,
            ) from None
        return  # not YAML either: the reader reports what is wrong, with its line


# ---------------------------------------------------------------- JSON


_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_EMPTY_PAIR = re.compile(rb"\[\]|\{\}")
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_DIGITS_AS_ONES = bytes(49 if 48 <= byte <= 57 else 48 for byte in range(256))  # digit -> "1", anything else -> "0"
_LONG_RUN = b"1" * 19  # an integer of 19 digits or more may not fit 64 bits
_NOT_BRACKET_OR_QUOTE = bytes(byte for byte in range(256) if byte not in b'[]{}"')


def parse_json(text: str, error: ErrorFactory, *, display: str, nesting_checked: bool = False) -> Any:
    """JSON text to data; invalid or too deeply nested JSON raises `error` naming the file and line
    (`nesting_checked`: the text came through read_text, which checked it already)."""
    try:
        return _loads(text) if nesting_checked else parse_json_value(text)
    except NestingLimitError as exc:
        raise error(f"nested more than {MAX_NESTING} levels deep", file=display, line=exc.line) from None
    except json.JSONDecodeError as exc:
        raise error(f"invalid JSON: {exc.msg}", file=display, line=exc.lineno) from exc


def parse_json_value(text: str | bytes) -> Any:
    """The one JSON parser: JSON text or bytes to data, refusing nesting deeper than MAX_NESTING with
    NestingLimitError (a ValueError); invalid JSON raises json.JSONDecodeError.

    With the `fast` extra (orjson) installed the text is parsed by it; whatever it refuses (invalid JSON, integers
    beyond 64 bits, lone surrogates) is parsed again by the standard library, which decides and names the line,
    so the result and every error are the same with and without the extra. orjson reads integers beyond 64 bits
    as floats (losing digits), so text with a run of 19 digits anywhere is left to the standard library.

    The nesting is checked on the text before parsing, except for large texts full of escapes (a cassette holding
    JSON bodies as strings), where dropping the escapes costs more than parsing: those are parsed first (orjson
    stops at 1,024 levels, the standard library's recursion is caught) and their containers walked."""
    large = len(text) > _CHECK_AFTER_PARSING
    if not large and is_nested_deeper(text):
        raise NestingLimitError(_deep_line(text))
    data = _loads(text)
    if large and _deeper_than(data, MAX_NESTING):
        raise NestingLimitError(_deep_line(text))
    return data


_CHECK_AFTER_PARSING = 1 << 20  # bytes


def _loads(text: str | bytes) -> Any:
    if _FAST_LOADS is not None and not _has_long_digits(text):
        try:
            return _FAST_LOADS(text)
        except ValueError:
            pass
    try:
        return json.loads(text)
    except RecursionError:  # deeper than the interpreter allows: refused all the same
        raise NestingLimitError(_deep_line(text)) from None


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether parsed JSON nests containers more than `limit` deep (iteratively, containers only)."""
    stack = [(data, 1)] if isinstance(data, (dict, list)) else []
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _has_long_digits(text: str | bytes) -> bool:
    """Whether the text holds a run of 19 digits (in C: digits mapped to ones, then one substring search)."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return _LONG_RUN in data.translate(_DIGITS_AS_ONES)


def _fast_json_module() -> Any | None:
    """orjson when the `fast` extra is installed, else None: the one place the optional module is imported
    (`CONTRACTKIT_PURE_JSON=1` turns it off, to run the standard library's path on a machine that has it)."""
    if os.environ.get("CONTRACTKIT_PURE_JSON"):
        return None
    try:
        import orjson
    except ImportError:
        return None
    return orjson


def fast_json_parser() -> Callable[[str | bytes], Any] | None:
    """orjson's `loads` when the `fast` extra is installed, else None."""
    module = _fast_json_module()
    if module is None:
        return None
    loads: Callable[[str | bytes], Any] = module.loads
    return loads


def fast_json_writer() -> Callable[[Any], bytes] | None:
    """orjson's `dumps` with two-space indent and sorted keys when the `fast` extra is installed, else None; its
    text equals `json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)` but for numbers written with an
    exponent, non-finite floats and integers beyond 64 bits (which it refuses), so a caller checks for those."""
    module = _fast_json_module()
    if module is None:
        return None
    option = module.OPT_INDENT_2 | module.OPT_SORT_KEYS
    dumps = module.dumps
    return lambda data: dumps(data, option=option)


_FAST_LOADS = fast_json_parser()


def is_nested_deeper(text: str | bytes, limit: int = MAX_NESTING) -> bool:
    """Whether JSON text nests mappings and lists more than `limit` deep. Linear and in C: everything but brackets
    and quotes deleted (a text with `limit` brackets or fewer ends there), escapes dropped, the strings' contents
    dropped, then innermost pairs peeled once per level."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    reduced = data.translate(None, _NOT_BRACKET_OR_QUOTE)  # counted on the brackets alone: cheaper than on the text
    if reduced.count(b"[") + reduced.count(b"{") <= limit:  # (an escape never hides a bracket)
        return False
    if b"\\" in data:  # an escape and what it escapes go: no quote inside a string survives
        reduced = _ESCAPE.sub(b"", data).translate(None, _NOT_BRACKET_OR_QUOTE)
    # strings with no bracket inside, nearly all of them, go first; removing two adjacent quotes keeps every other
    # quote's parity, so what is left is split at its quotes and every string's contents dropped
    brackets = reduced.replace(b'""', b"")
    if b'"' in brackets:  # a string holds a bracket (GitHub's URL templates, `{/id}`)
        brackets = b"".join(brackets.split(b'"')[::2])
    for _ in range(limit):  # each pass removes the innermost level everywhere
        peeled = _EMPTY_PAIR.sub(b"", brackets)
        if len(peeled) == len(brackets):  # empty, or unbalanced (invalid JSON): the parser reports that
            return False
        brackets = peeled
    return bool(brackets)


def _deep_line(text: str | bytes) -> int:
    """The line at which JSON text first goes deeper than MAX_NESTING (only called once it is known to)."""
    source = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    depth = 0
    for token in _JSON_TOKEN.finditer(source):
        mark = token.group()
        if mark in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return source.count("\n", 0, token.start()) + 1
        elif mark in "]}":
            depth -= 1
    return 1


def load_json_fast(path: Path, error: ErrorFactory, *, display: str | None = None) -> Any:
    """Load a large JSON or YAML document without a line map (specs of many megabytes)."""
    shown = display or str(path)
    text = read_text(path, error, display=shown)  # checks the nesting
    if text.lstrip().startswith(("{", "[")):
        return parse_json(text, error, display=shown, nesting_checked=True)
    return _YamlBuilder(error, shown, keep_lines=False).build(text)


# ---------------------------------------------------------------- YAML


def parse_source(text: str, path: Path, error: ErrorFactory, *, display: str | None = None) -> SourceDocument:
    """Parse YAML (JSON is YAML) into data and a line map; duplicate keys are an error.

    Built from parser events without recursion: nesting deeper than MAX_NESTING and aliases expanding to more
    than MAX_ALIAS_NODES nodes are refused; merge keys (`<<: *base`) are applied.
    """
    shown = display or str(path)
    builder = _YamlBuilder(error, shown, keep_lines=True)
    data = builder.build(text)
    return SourceDocument(path=path, data=data, lines=builder.lines)


_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_COLLECTION_TAGS = frozenset({None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_RESOLVER = yaml.resolver.Resolver()
_SCALARS = yaml.constructor.SafeConstructor()
_NO_KEY = object()
_MERGE = object()
_BUILDING = object()


class _Frame:
    """A mapping or sequence being built: where it stands, what it holds so far, its size for aliases."""

    __slots__ = ("value", "path", "anchor", "nodes", "height", "key", "merges", "merge_line")

    def __init__(self, value: dict[str, Any] | list[Any], path: KeyPath, anchor: str | None) -> None:
        self.value, self.path, self.anchor = value, path, anchor
        self.nodes, self.height = 1, 1
        self.key: Any = _NO_KEY
        self.merges: list[dict[str, Any]] = []
        self.merge_line = 0


class _YamlBuilder:
    """Data and a line map from YAML parser events: iterative, bounded in depth and alias expansion."""

    def __init__(self, error: ErrorFactory, shown: str, *, keep_lines: bool) -> None:
        self.error, self.shown, self.keep_lines = error, shown, keep_lines
        self.lines: dict[KeyPath, int] = {}
        self.stack: list[_Frame] = []
        self.anchors: dict[str, Any] = {}
        self.alias_nodes = 0
        self.documents = 0
        self.result: Any = None

    def build(self, text: str) -> Any:
        """Parse the text; raise the error factory's error naming the file and line on any problem."""
        try:
            for event in yaml.parse(text, Loader=YamlLoader):
                self._handle(event)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "malformed YAML"
            raise self.error(f"invalid YAML: {problem}", file=self.shown, line=mark.line + 1 if mark else None) from exc
        except yaml.YAMLError as exc:
            raise self.error(f"invalid YAML: {exc}", file=self.shown) from exc
        return self.result

    def _handle(self, event: yaml.Event) -> None:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self._scalar(event)  # type: ignore[arg-type]
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            self._open(event)  # type: ignore[arg-type]
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self._close(event)
        elif kind is yaml.AliasEvent:
            self._alias(event)  # type: ignore[arg-type]
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                self._fail("invalid YAML: expected a single document, found another ('---')", event)

    def _fail(self, message: str, event: yaml.Event, key_path: KeyPath | None = None) -> NoReturn:
        path = key_path if key_path is not None else (self.stack[-1].path if self.stack else ())
        raise self.error(message, file=self.shown, key_path=path, line=event.start_mark.line + 1)

    def _child_path(self) -> KeyPath:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            return frame.path + (len(frame.value),)
        return frame.path + (frame.key,)

    def _is_key_next(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is _NO_KEY

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        tag = event.tag
        if tag is None or tag == "!":
            tag = _STR_TAG if event.style else _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR_TAG:
            value: Any = event.value
        elif tag == _MERGE_TAG and self._is_key_next():
            value = _MERGE
        else:
            value = self._construct_scalar(tag, event)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1, 0)
        self._deliver(value, event, 1, 0)

    def _construct_scalar(self, tag: str, event: yaml.ScalarEvent) -> Any:
        constructor = _SCALARS.yaml_constructors.get(tag)
        if constructor is None or tag in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", _MERGE_TAG):
            self._fail(
                f"unsupported YAML tag {tag!r} (only plain YAML and JSON types are read)", event, self._child_path()
            )
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        try:
            return constructor(_SCALARS, node)  # type: ignore[misc]
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            self._fail(f"invalid YAML value for {tag.rsplit(':', 1)[-1]}: {problem}", event, self._child_path())

    def _open(self, event: yaml.CollectionStartEvent) -> None:
        if self._is_key_next():
            self._fail("a mapping key must be a plain value such as a string, not a mapping or list", event)
        if event.tag not in _COLLECTION_TAGS:
            self._fail(
                f"unsupported YAML tag {event.tag!r} (only plain YAML and JSON types are read)",
                event,
                self._child_path(),
            )
        if len(self.stack) >= MAX_NESTING:
            self._fail(f"nested more than {MAX_NESTING} levels deep", event, self.stack[-1].path[:6])
        path = self._child_path()
        self._record(path, event)
        if event.anchor:
            self.anchors[event.anchor] = _BUILDING
        container: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
        self.stack.append(_Frame(container, path, event.anchor))

    def _close(self, event: yaml.Event) -> None:
        frame = self.stack.pop()
        value = frame.value
        if frame.merges and isinstance(value, dict):
            value = self._merged(frame, value)
        if frame.anchor:
            self.anchors[frame.anchor] = (value, frame.nodes, frame.height)
        self._deliver(value, event, frame.nodes, frame.height, recorded=True)

    def _merged(self, frame: _Frame, explicit: dict[str, Any]) -> dict[str, Any]:
        """Merge keys: explicit keys win over merged ones, and earlier merged mappings over later ones."""
        merged: dict[str, Any] = {}
        for source in frame.merges:
            for key, value in source.items():
                if key not in merged:
                    merged[key] = value
                    if self.keep_lines:
                        self.lines.setdefault(frame.path + (key,), frame.merge_line)
        merged.update(explicit)
        return merged

    def _alias(self, event: yaml.AliasEvent) -> None:
        anchor = event.anchor or ""
        found = self.anchors.get(anchor)
        if found is None:
            self._fail(f"invalid YAML: found undefined alias *{anchor}", event, self._child_path())
        if found is _BUILDING:
            self._fail(
                f"the alias *{anchor} stands inside its own anchor (a recursive structure)", event, self._child_path()
            )
        value, nodes, height = found
        self.alias_nodes += nodes
        if self.alias_nodes > MAX_ALIAS_NODES:
            self._fail(
                f"YAML aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?); write the values "
                f"out or use fewer aliases",
                event,
                self._child_path(),
            )
        if len(self.stack) + height > MAX_NESTING:
            self._fail(
                f"nested more than {MAX_NESTING} levels deep (through the alias *{anchor})",
                event,
                self._child_path()[:6],
            )
        if isinstance(value, (dict, list)):
            value = copy.deepcopy(value)  # every use is its own value, as if written out
        self._deliver(value, event, nodes, height)

    def _record(self, path: KeyPath, event: yaml.Event) -> None:
        if self.keep_lines and (not self.stack or isinstance(self.stack[-1].value, list)):
            self.lines.setdefault(path, event.start_mark.line + 1)

    def _deliver(self, value: Any, event: yaml.Event, nodes: int, height: int, *, recorded: bool = False) -> None:
        """Hand a finished node to the mapping or sequence around it (or make it the document)."""
        if not self.stack:
            if not recorded:
                self._record((), event)
            self.result = value
            return
        frame = self.stack[-1]
        frame.nodes += nodes
        frame.height = max(frame.height, height + 1)
        if isinstance(frame.value, list):
            if not recorded:
                self._record(frame.path + (len(frame.value),), event)
            frame.value.append(value)
        elif frame.key is _NO_KEY:
            frame.key = self._key(value, event, frame)
        else:
            self._set_value(frame, value, event)

    def _key(self, value: Any, event: yaml.Event, frame: _Frame) -> Any:
        if value is _MERGE:
            frame.merge_line = event.start_mark.line + 1
            return _MERGE
        if isinstance(value, (dict, list)):
            self._fail("a mapping key must be a plain value such as a string, not a mapping or list", event)
        key = str(value).lower() if isinstance(value, bool) or value is None else str(value)
        if key in frame.value:  # type: ignore[operator]
            first = self.lines.get(frame.path + (key,))
            where = f" (first at line {first})" if first else ""
            self._fail(f"duplicate key {key!r}{where}", event, frame.path + (key,))
        if self.keep_lines:
            self.lines[frame.path + (key,)] = event.start_mark.line + 1
        return key

    def _set_value(self, frame: _Frame, value: Any, event: yaml.Event) -> None:
        key, frame.key = frame.key, _NO_KEY
        if key is _MERGE:
            sources = value if isinstance(value, list) else [value]
            if not sources or not all(isinstance(source, dict) for source in sources):
                self._fail(
                    "a merge key (<<) takes a mapping or a list of mappings, such as `<<: *defaults`",
                    event,
                    frame.path + ("<<",),
                )
            frame.merges.extend(sources)
            return
        frame.value[key] = value  # type: ignore[index]
