"""Read YAML or JSON while remembering the line of every key path, for error messages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from contractkit.core.errors import ContractKitError, KeyPath

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


_SCALARS = yaml.constructor.SafeConstructor()
ErrorFactory = Callable[..., ContractKitError]


def load_source(path: Path, error: ErrorFactory, *, display: str | None = None) -> SourceDocument:
    """Load a YAML or JSON file; raise `error` naming the file and line when it cannot be read."""
    shown = display or str(path)
    return parse_source(read_text(path, error, display=shown), path, error, display=shown)


def read_text(path: Path, error: ErrorFactory, *, display: str | None = None) -> str:
    """A file's UTF-8 text; raise `error` naming the file when it is missing or unreadable."""
    shown = display or str(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error("file not found", file=shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"cannot read file ({exc})", file=shown) from exc


def parse_source(text: str, path: Path, error: ErrorFactory, *, display: str | None = None) -> SourceDocument:
    """Parse YAML (JSON is YAML) into data and a line map; duplicate keys are an error."""
    shown = display or str(path)
    try:
        node = yaml.compose(text, Loader=YamlLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise error(f"invalid YAML: {problem}", file=shown, line=line) from exc
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", file=shown) from exc
    lines: dict[KeyPath, int] = {}
    data = _construct(node, (), lines, error, shown) if node is not None else None
    return SourceDocument(path=path, data=data, lines=lines)


def _construct(node: yaml.Node, key_path: KeyPath, lines: dict[KeyPath, int], error: ErrorFactory, shown: str) -> Any:
    lines.setdefault(key_path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        return _construct_mapping(node, key_path, lines, error, shown)
    if isinstance(node, yaml.SequenceNode):
        return [_construct(child, key_path + (index,), lines, error, shown) for index, child in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:str":
        return node.value
    return _SCALARS.construct_object(node, deep=True)


def _construct_mapping(node: yaml.MappingNode, key_path: KeyPath, lines: dict[KeyPath, int], error: ErrorFactory, shown: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = _construct(key_node, key_path + ("<key>",), {}, error, shown)
        if isinstance(key, (int, float, bool)) or key is None:
            key = str(key).lower() if isinstance(key, bool) or key is None else str(key)
        if key in result:
            raise error(
                f"duplicate key {key!r} (first at line {lines[key_path + (key,)]})",
                file=shown, key_path=key_path + (key,), line=key_node.start_mark.line + 1,
            )
        lines[key_path + (key,)] = key_node.start_mark.line + 1
        result[key] = _construct(value_node, key_path + (key,), lines, error, shown)
    return result


def load_json_fast(path: Path, error: ErrorFactory, *, display: str | None = None) -> Any:
    """Load a large JSON or YAML document without a line map (specs of many megabytes)."""
    shown = display or str(path)
    text = read_text(path, error, display=shown)
    if text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise error(f"invalid JSON: {exc.msg}", file=shown, line=exc.lineno) from exc
    try:
        return yaml.load(text, Loader=YamlLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise error(f"invalid YAML: {exc.problem}", file=shown, line=mark.line + 1 if mark else None) from exc
