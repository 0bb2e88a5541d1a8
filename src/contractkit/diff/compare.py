"""Breaking changes between two API descriptions, judged by direction: what a client sends vs what it receives.

A request schema may grow (accept more) but not shrink; a response schema may shrink (produce less) but not
grow. `diff_documents` walks operations, parameters, bodies and responses of two OpenAPI 3 documents
(Swagger 2.0 is converted first) and `diff_schemas` compares two plain JSON Schemas. Schemas are compared by
shape (see schemashape.py), memoised per pair of schema objects, and cut at recursion.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from contractkit.core.errors import SchemaLoadError, UsageError
from contractkit.core.loading import read_text
from contractkit.diff.schemashape import LOWER_BOUNDS, UPPER_BOUNDS, SchemaDocument, Shape, accepts_type

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE_PARAMETER = re.compile(r"\{[^}/]+\}")
_REQUEST, _RESPONSE = "request", "response"


class Level(StrEnum):
    """How much a change matters to an existing client."""

    BREAKING = "breaking"
    WARNING = "warning"
    INFO = "info"


# Every rule id with its stable code. Append only: codes are referenced by ledgers and dashboards.
_RULE_IDS = (
    "path-removed", "operation-removed", "path-added", "operation-added", "operation-deprecated",
    "security-requirement-added", "security-requirement-removed",
    "request-parameter-removed", "request-parameter-added-required", "request-parameter-added",
    "request-parameter-became-required", "request-parameter-became-optional", "request-parameter-location-changed",
    "request-body-added-required", "request-body-became-required", "request-body-removed", "request-body-added",
    "request-content-type-removed", "request-content-type-added",
    "response-success-status-removed", "response-status-removed", "response-status-added",
    "response-content-type-removed", "response-content-type-added",
    "response-header-removed", "response-optional-header-removed", "response-header-added",
)
_VALUE_SUFFIXES = (
    "type-changed", "type-widened", "type-narrowed", "enum-value-removed", "enum-value-added",
    "constraint-tightened", "constraint-loosened", "format-changed", "became-nullable", "became-not-nullable",
    "additional-properties-restricted", "additional-properties-allowed",
)
_PRESENCE_SUFFIXES = ("removed", "added", "added-required", "became-required", "became-optional")
_VALUE_SIDES = ("request-body", "request-property", "request-parameter", "response-body", "response-property",
                "response-header")
_PRESENCE_SIDES = ("request", "response", "request-parameter", "response-header")


def _build_codes() -> dict[str, str]:
    names = list(_RULE_IDS) + ["response-optional-property-removed", "response-header-optional-property-removed"]
    names += [f"{side}-property-{suffix}" for side in _PRESENCE_SIDES for suffix in _PRESENCE_SUFFIXES]
    names += [f"{side}-{suffix}" for side in _VALUE_SIDES for suffix in _VALUE_SUFFIXES]
    return {name: f"CK{500 + index}" for index, name in enumerate(names, start=1)}


RULE_CODES: dict[str, str] = _build_codes()


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two API descriptions, with a rule id, a level and where it is."""

    rule: str
    level: Level
    path: str
    method: str
    location: str  # JSON pointer into the new document (the old one for removals)
    message: str
    origin: str = ""  # the shared component the change lives in, e.g. #/components/schemas/simple-user

    @property
    def code(self) -> str:
        """The rule's stable CK5xx code."""
        return RULE_CODES.get(self.rule, "CK599")

    @property
    def is_breaking(self) -> bool:
        """True for a breaking change."""
        return self.level is Level.BREAKING

    def to_dict(self) -> dict[str, str]:
        """The JSON shape of a change: rule, level, path, method, location, message."""
        return {"rule": self.rule, "level": str(self.level), "path": self.path, "method": self.method,
                "location": self.location, "message": self.message}


@dataclass(frozen=True, slots=True)
class DiffResult:
    """All changes between two descriptions, breaking ones first."""

    old: str
    new: str
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> bool:
        """True when at least one change is breaking."""
        return any(change.is_breaking for change in self.changes)

    def count(self, level: Level) -> int:
        """How many changes have this level."""
        return sum(1 for change in self.changes if change.level is level)


@dataclass(frozen=True, slots=True)
class _Delta:
    """A change found inside a schema, relative to that schema; the caller roots it at a location."""

    suffix: str
    level: Level
    rel: tuple[str, ...]
    message: str
    origin: str = ""
    cycle: tuple[int, int, str] | None = None  # set on an edge: the pair of schemas below, compared on its own


# ---------------------------------------------------------------- loading


def parse_source_argument(argument: str) -> tuple[str | None, str]:
    """Split `git:REF:path` into (REF, path); a plain file path gives (None, path)."""
    if not argument.startswith("git:"):
        return None, argument
    rest = argument[4:]
    ref, sep, path = rest.rpartition(":")
    if not sep or not ref or not path:
        raise UsageError(f"cannot parse {argument!r}: expected git:REF:path, for example git:origin/main:openapi.yaml")
    return ref, path


def read_git_file(ref: str, path: str, *, cwd: Path | None = None) -> str | None:
    """The text of `path` at git revision `ref` (path relative to cwd), or None when the file is absent there."""
    cwd = cwd or Path.cwd()
    check = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    if check.returncode != 0:
        detail = check.stderr.strip() or "no such commit, branch or tag"
        raise UsageError(f"git ref {ref!r} cannot be resolved in {cwd} ({detail})",
                         hint="Fetch it first (git fetch origin) or name an existing branch, tag or commit")
    spec = path if path.startswith("/") else f"./{path}" if not path.startswith("./") else path
    shown = _git(["show", f"{ref}:{spec}"], cwd)
    if shown.returncode != 0:
        return None
    return shown.stdout


def _git(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", "-C", str(cwd), *arguments], capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise UsageError("git is not installed, so git:REF:path sources cannot be read") from exc


def load_description(argument: str, *, cwd: Path | None = None) -> tuple[Any, str]:
    """Load a file or `git:REF:path` into (document, display name); OpenAPI/Swagger come back as OpenAPI 3."""
    ref, path = parse_source_argument(argument)
    if ref is None:
        file = Path(path)
        if file.is_dir():
            raise SchemaLoadError("is a folder, expected an OpenAPI, Swagger or JSON Schema file", file=path)
        text = read_text(file, SchemaLoadError, display=str(path))
    else:
        text = read_git_file(ref, path, cwd=cwd)
        if text is None:
            raise SchemaLoadError(f"no such file at git ref {ref!r}", file=path)
    return parse_description(text, argument), argument


def parse_description(text: str, display: str) -> Any:
    """Parse JSON or YAML text; bring OpenAPI and Swagger to OpenAPI 3, keep JSON Schema as it is."""
    from contractkit.openapi.documents import normalize_document
    from contractkit.core.loading import YamlLoader

    import yaml

    try:
        data = json.loads(text) if text.lstrip().startswith(("{", "[")) else yaml.load(text, Loader=YamlLoader)
    except json.JSONDecodeError as exc:
        raise SchemaLoadError(f"invalid JSON: {exc.msg}", file=display, line=exc.lineno) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise SchemaLoadError(f"invalid YAML: {problem}", file=display, line=mark.line + 1 if mark else None) from exc
    if not isinstance(data, dict):
        raise SchemaLoadError("expected an OpenAPI, Swagger or JSON Schema document (a mapping at the top level)",
                              file=display)
    if is_api_description(data):
        return normalize_document(data, display=display)
    return data


def is_api_description(data: dict[str, Any]) -> bool:
    """True for OpenAPI or Swagger documents, False for plain JSON Schema."""
    return "openapi" in data or "swagger" in data


def diff_sources(old: str, new: str, *, direction: str = _RESPONSE, cwd: Path | None = None) -> DiffResult:
    """Load two descriptions (files or git:REF:path) and diff them."""
    old_doc, old_name = load_description(old, cwd=cwd)
    new_doc, new_name = load_description(new, cwd=cwd)
    return diff_any(old_doc, new_doc, old_name=old_name, new_name=new_name, direction=direction)


def diff_any(old: Any, new: Any, *, old_name: str, new_name: str, direction: str = _RESPONSE) -> DiffResult:
    """Diff two loaded documents: API descriptions operation by operation, JSON Schemas as one schema."""
    old_api, new_api = is_api_description(old), is_api_description(new)
    if old_api != new_api:
        which = old_name if not old_api else new_name
        raise UsageError(f"cannot compare an API description with a plain JSON Schema ({which} is a JSON Schema)")
    if old_api:
        from contractkit.openapi.documents import normalize_document

        old, new = normalize_document(old, display=old_name), normalize_document(new, display=new_name)
        return diff_documents(old, new, old_name=old_name, new_name=new_name)
    return diff_schemas(old, new, old_name=old_name, new_name=new_name, direction=direction)


def diff_documents(old: dict[str, Any], new: dict[str, Any], *, old_name: str = "old", new_name: str = "new") -> DiffResult:
    """Every change between two OpenAPI 3 documents, breaking ones first."""
    differ = _DocumentDiffer(SchemaDocument(old, old_name), SchemaDocument(new, new_name))
    return DiffResult(old_name, new_name, _ordered(differ.iter_changes()))


def diff_schemas(old: Any, new: Any, *, old_name: str = "old", new_name: str = "new", direction: str = _RESPONSE) -> DiffResult:
    """Changes between two JSON Schemas read as a request body (client sends) or a response (client receives)."""
    if direction not in (_REQUEST, _RESPONSE):
        raise UsageError(f"direction must be 'request' or 'response', got {direction!r}")
    comparator = SchemaComparator(SchemaDocument(old, old_name), SchemaDocument(new, new_name))
    side = "request" if direction == _REQUEST else "response"
    deltas = comparator.compare(old, new, direction)
    changes = [_root(delta, side, "", "", "#") for delta in deltas]
    return DiffResult(old_name, new_name, _ordered(_dedupe(changes)))


_LEVEL_ORDER = {Level.BREAKING: 0, Level.WARNING: 1, Level.INFO: 2}


def _ordered(changes: Iterable[Change]) -> tuple[Change, ...]:
    return tuple(sorted(changes, key=lambda c: (_LEVEL_ORDER[c.level], c.path, c.method, c.location, c.rule)))


# ---------------------------------------------------------------- schemas


@lru_cache(maxsize=1 << 16)
def pointer_part(text: str) -> str:
    """Escape one JSON pointer segment."""
    return text.replace("~", "~0").replace("/", "~1")


_Key = tuple[int, int, str]
_EDGE, _CHOICE_EDGE = "edge", "edge-choice"  # a delta that stands for "what that other pair's comparison finds"
_SCORE_DEPTH = 3  # how deep a candidate alternative is looked at when choosing the best match


class SchemaComparator:
    """Compares schemas of an old and a new document in one direction, each pair of schemas once.

    The comparison is a graph: a node per (old schema, new schema, direction) holds the changes found at
    that pair and edges to the pairs below it (properties, items, the best-matching alternatives). Nodes
    are computed from a work list, so deep and recursive schemas need no recursion; a result is read off
    the graph breadth-first from its root, each node once, so a change in a shared component is reported
    once, at its shortest location.
    """

    def __init__(self, old: SchemaDocument, new: SchemaDocument) -> None:
        self.old = old
        self.new = new
        self._nodes: dict[_Key, tuple[_Delta, ...] | None] = {}  # None: not computed yet
        self._raw: dict[_Key, tuple[Any, Any, str]] = {}  # old schema, new schema, old $ref
        self._queue: list[_Key] = []

    def compare(self, old: Any, new: Any, direction: str) -> tuple[_Delta, ...]:
        """Deltas from old to new for a schema read in `direction` (request: client sends; response: receives)."""
        root = self._key(old, new, direction)
        while self._queue:
            self._ensure(self._queue.pop())
        return self._expand(root)

    def _key(self, old: Any, new: Any, direction: str) -> _Key:
        old_schema, old_ref = self.old.resolve(old)
        new_schema, _ = self.new.resolve(new)
        key = (id(old_schema), id(new_schema), direction)
        if key not in self._raw:
            self._raw[key] = (old_schema, new_schema, old_ref)
            self._nodes[key] = None
            self._queue.append(key)
        return key

    def _edge(self, rel: tuple[str, ...], old: Any, new: Any, direction: str) -> _Delta:
        return _Delta(_EDGE, Level.INFO, rel, "", cycle=self._key(old, new, direction))

    def _ensure(self, key: _Key) -> tuple[_Delta, ...]:
        found = self._nodes[key]
        if found is None:
            self._nodes[key] = ()  # a pair met again while being compared adds nothing new
            old, new, _ = self._raw[key]
            found = self._nodes[key] = tuple(self._compare_shapes(old, new, key[2]))
        return found

    def _expand(self, root: _Key) -> tuple[_Delta, ...]:
        """Every change reachable from a pair, breadth-first, with its location and its shared component."""
        found: list[_Delta] = []
        seen = {root}
        queue = deque([(root, (), "", (), False)])
        while queue:
            key, rel, ref, ref_rel, choice = queue.popleft()
            if self._raw[key][2]:
                ref, ref_rel = self._raw[key][2], ()
            local = self._nodes[key] or ()
            if choice:  # nullability of a choice is judged on the whole choice, not per alternative
                local = _fold_missing_properties(tuple(d for d in local if d.rel or d.suffix not in _NULLABILITY))
            for delta in local:
                if delta.cycle is None:
                    origin = _join(ref, ref_rel + delta.rel) if ref else ""
                    found.append(_Delta(delta.suffix, delta.level, rel + delta.rel, delta.message, origin))
                elif delta.cycle not in seen:
                    seen.add(delta.cycle)
                    queue.append((delta.cycle, rel + delta.rel, ref, ref_rel + delta.rel, delta.suffix == _CHOICE_EDGE))
        return tuple(_dedupe_deltas(found))

    def _score(self, local: tuple[_Delta, ...], depth: int = 0) -> tuple[bool, int, int]:
        """How badly an alternative matches: another kind of value, then breaking changes a few levels deep."""
        mismatch = any(d.suffix == "type-changed" and not d.rel for d in local)
        shallow = [d for d in local if d.cycle is None]
        breaking, total = 0, 0
        for edge in (d for d in local if d.cycle is not None):
            if edge.suffix == _CHOICE_EDGE and depth < 8:  # a choice inside a choice: look through it
                inner = self._score(self._ensure(edge.cycle), depth + 1)
                mismatch, breaking, total = mismatch or inner[0], breaking + inner[1], total + inner[2]
            else:
                old, new, _ = self._raw[edge.cycle]
                shallow += self._shallow(old, new, edge.cycle[2], _SCORE_DEPTH)
        breaking += sum(1 for d in shallow if d.level is Level.BREAKING)
        return mismatch, breaking, total + len(shallow)

    def _shallow(self, old_raw: Any, new_raw: Any, direction: str, depth: int) -> list[_Delta]:
        """Value-level deltas a few levels down, without building nodes (for scoring alternatives only)."""
        old, new = self.old.shape(self.old.resolve(old_raw)[0]), self.new.shape(self.new.resolve(new_raw)[0])
        if old.alternatives is not None or new.alternatives is not None:
            return self._shallow_choice(old_raw, new_raw, old, new, direction, depth)
        found = (_compare_nullability(old, new, direction) + _compare_types(old, new, direction)
                 + _compare_enum(old, new, direction) + _compare_bounds(old, new, direction)
                 + _compare_format(old, new, direction))
        if depth <= 0:
            return found
        for name in old.properties.keys() & new.properties.keys():
            found += self._shallow(old.properties[name], new.properties[name], direction, depth - 1)
        found += [_Delta("removed", Level.BREAKING, (), "") for name in old.required - new.properties.keys()
                  if name in old.properties and direction == _RESPONSE]
        if old.items is not None and new.items is not None:
            found += self._shallow(old.items, new.items, direction, depth - 1)
        return found

    def _shallow_choice(self, old_raw: Any, new_raw: Any, old: Shape, new: Shape, direction: str, depth: int) -> list[_Delta]:
        """Scoring through a nested choice: each covered alternative against its best shallow match."""
        if depth < 2:
            return []
        old_options = old.alternatives if old.alternatives is not None else [old_raw]
        new_options = new.alternatives if new.alternatives is not None else [new_raw]
        covered, covering = (old_options, new_options) if direction == _REQUEST else (new_options, old_options)
        found: list[_Delta] = []
        for option in covered:
            best: tuple[tuple[bool, int, int], list[_Delta]] | None = None
            for candidate in covering:
                pair = (option, candidate) if direction == _REQUEST else (candidate, option)
                deltas = self._shallow(*pair, direction, depth - 2)
                score = (any(d.suffix == "type-changed" and not d.rel for d in deltas),
                         sum(1 for d in deltas if d.level is Level.BREAKING), len(deltas))
                if best is None or score < best[0]:
                    best = (score, deltas)
            found += best[1] if best else []
        return found

    def _compare_shapes(self, old_raw: Any, new_raw: Any, direction: str) -> list[_Delta]:
        old, new = self.old.shape(old_raw), self.new.shape(new_raw)
        if old.alternatives is not None or new.alternatives is not None:
            return self._compare_alternatives(old_raw, new_raw, old, new, direction)
        deltas = _compare_nullability(old, new, direction)
        type_deltas = _compare_types(old, new, direction)
        deltas += type_deltas
        if type_deltas and old.types and new.types and not _overlap(old.types, new.types):
            return deltas  # a different kind of value altogether: nothing below compares
        deltas += _compare_enum(old, new, direction)
        deltas += _compare_bounds(old, new, direction)
        deltas += _compare_format(old, new, direction)
        deltas += self._compare_properties(old, new, direction)
        deltas += self._compare_items(old, new, direction)
        return deltas

    # --- oneOf / anyOf: what the alternatives accept or produce, matched best-first

    def _compare_alternatives(self, old_raw: Any, new_raw: Any, old: Shape, new: Shape, direction: str) -> list[_Delta]:
        # The side that is not a choice takes part as its own single alternative.
        old_options = old.alternatives if old.alternatives is not None else [old_raw]
        new_options = new.alternatives if new.alternatives is not None else [new_raw]
        deltas = _compare_nullability(_with_null(self.old, old), _with_null(self.new, new), direction)
        # A request a client sends must still be accepted by some new alternative; a response it receives must
        # still look like some old alternative. Nullability was judged above, on the whole choice.
        request = direction == _REQUEST
        covered, covering = (old_options, new_options) if request else (new_options, old_options)
        for index, option in enumerate(covered):
            position, key = self._best_match(option, covering, direction, covered_is_old=request, covered_position=index)
            new_index = position if request else index
            rel = (new.alternative_key, str(new_index)) if new.alternatives is not None else ()
            deltas.append(_Delta(_CHOICE_EDGE, Level.INFO, rel, "", cycle=key))
        return deltas

    def _best_match(self, option: Any, candidates: list[Any], direction: str, *, covered_is_old: bool,
                    covered_position: int) -> tuple[int, _Key]:
        best: tuple[tuple[bool, int, int, bool], int, _Key] | None = None
        for position, candidate in enumerate(candidates):
            old_side, new_side = (option, candidate) if covered_is_old else (candidate, option)
            key = self._key(old_side, new_side, direction)
            # On a tie, the alternative at the same position wins: reordering is judged by score, not by text.
            score = (*self._score(self._ensure(key)), position != covered_position)
            if best is None or score < best[0]:
                best = (score, position, key)
            if score == (False, 0, 0, False):
                break
        assert best is not None
        return best[1], best[2]

    # --- objects

    def _compare_properties(self, old: Shape, new: Shape, direction: str) -> list[_Delta]:
        deltas: list[_Delta] = []
        if not (old.properties or new.properties or old.required or new.required) and old.additional is new.additional:
            return deltas
        old_props = self._visible(self.old, old, direction)
        new_props = self._visible(self.new, new, direction)
        for name in sorted(old_props.keys() | new_props.keys()):
            rel = ("properties", name)
            if name not in new_props:
                deltas.append(_property_removed(name, rel, old, new, direction))
            elif name not in old_props:
                deltas += _property_added(name, rel, old, new, direction)
            else:
                deltas += _requiredness(name, rel, old, new, direction)
                deltas.append(self._edge(rel, old_props[name], new_props[name], direction))
        deltas += _required_without_property(old, new, old_props, new_props, direction)
        deltas += self._compare_additional(old, new, direction)
        return deltas

    def _visible(self, document: SchemaDocument, shape: Shape, direction: str) -> dict[str, Any]:
        # A client never sends readOnly properties and never receives writeOnly ones.
        hidden = "read_only" if direction == _REQUEST else "write_only"
        visible = {}
        for name, raw in shape.properties.items():
            if not getattr(document.shape(document.resolve(raw)[0]), hidden):
                visible[name] = raw
        return visible

    def _compare_additional(self, old: Shape, new: Shape, direction: str) -> list[_Delta]:
        rel = ("additionalProperties",)
        if old.additional is not False and new.additional is False:
            level = Level.BREAKING if direction == _REQUEST else Level.INFO
            return [_Delta("additional-properties-restricted", level, (), "additional properties are no longer allowed")]
        if old.additional is False and new.additional is not False:
            level = Level.INFO if direction == _REQUEST else Level.WARNING
            return [_Delta("additional-properties-allowed", level, (), "additional properties are now allowed")]
        if isinstance(old.additional, (dict, str)) and isinstance(new.additional, (dict, str)):
            return [self._edge(rel, old.additional, new.additional, direction)]
        return []

    def _compare_items(self, old: Shape, new: Shape, direction: str) -> list[_Delta]:
        if old.items is None or new.items is None:
            return []
        return [self._edge(("items",), old.items, new.items, direction)]


_NULLABILITY = ("became-nullable", "became-not-nullable")


_FOLDED = {"removed": "lacks required properties the old schema promised",
           "became-optional": "no longer promises properties the old schema required"}


def _fold_missing_properties(found: tuple[_Delta, ...]) -> tuple[_Delta, ...]:
    """One change for an alternative that lacks several promised properties, instead of one per property."""
    result = list(found)
    for suffix, wording in _FOLDED.items():
        group = [d for d in result if d.suffix == suffix and d.level is Level.BREAKING and len(d.rel) == 2 and d.cycle is None]
        if len(group) < 2:
            continue
        names = ", ".join(repr(d.rel[1]) for d in group[:8]) + (f" and {len(group) - 8} more" if len(group) > 8 else "")
        result = [_Delta(suffix, Level.BREAKING, (), f"this alternative {wording}: {names}")] + \
            [d for d in result if d not in group]
    return tuple(result)


def _with_null(document: SchemaDocument, shape: Shape) -> Shape:
    """A choice is nullable when the choice itself or any of its alternatives (at any depth) accepts null."""
    if shape.alternatives is None or shape.nullable:
        return shape
    return Shape(nullable=True) if _accepts_null(document, shape, set()) else shape


def _accepts_null(document: SchemaDocument, shape: Shape, seen: set[int]) -> bool:
    if shape.nullable:
        return True
    if shape.alternatives is None or id(shape) in seen:
        return False
    seen.add(id(shape))
    return any(_accepts_null(document, document.shape(document.resolve(option)[0]), seen) for option in shape.alternatives)


def _join(ref: str, rel: tuple[str, ...]) -> str:
    return ref + "".join("/" + pointer_part(part) for part in rel)


def _dedupe_deltas(deltas: Iterable[_Delta]) -> Iterator[_Delta]:
    # The same change in one shared component, reached along several routes, is one change.
    seen: set[tuple[str, str, str]] = set()
    for delta in sorted(deltas, key=lambda d: len(d.rel)):
        key = (delta.suffix, delta.origin or _join("", delta.rel), delta.message)
        if key not in seen:
            seen.add(key)
            yield delta


def _describe_types(types: frozenset[str] | None, nullable: bool = False) -> str:
    if types is None:
        text = "any type"
    elif not types:
        text = "null"
    else:
        text = " or ".join(sorted(types))
    return text + (" (nullable)" if nullable and types else "")


def _overlap(left: frozenset[str], right: frozenset[str]) -> bool:
    return any(accepts_type(kind, right) for kind in left) or any(accepts_type(kind, left) for kind in right)


def _compare_types(old: Shape, new: Shape, direction: str) -> list[_Delta]:
    lost = _lost_types(old.types, new.types)  # old kinds the new schema no longer accepts
    gained = _lost_types(new.types, old.types)  # new kinds the old schema did not accept
    if not lost and not gained:
        return []
    message = f"type changed from {_describe_types(old.types)} to {_describe_types(new.types)}"
    if direction == _REQUEST:
        return [_Delta("type-changed", Level.BREAKING, (), message)] if lost else [_Delta("type-widened", Level.INFO, (), message)]
    return [_Delta("type-changed", Level.BREAKING, (), message)] if gained else [_Delta("type-narrowed", Level.INFO, (), message)]


def _lost_types(source: frozenset[str] | None, target: frozenset[str] | None) -> bool:
    if target is None:
        return False
    if source is None:
        return True
    return any(not accepts_type(kind, target) for kind in source)


def _compare_nullability(old: Shape, new: Shape, direction: str) -> list[_Delta]:
    if old.nullable == new.nullable:
        return []
    if new.nullable:
        level = Level.BREAKING if direction == _RESPONSE else Level.INFO
        return [_Delta("became-nullable", level, (), "can now be null")]
    level = Level.BREAKING if direction == _REQUEST else Level.INFO
    return [_Delta("became-not-nullable", level, (), "can no longer be null")]


def _compare_enum(old: Shape, new: Shape, direction: str) -> list[_Delta]:
    if old.enum == new.enum:
        return []
    request = direction == _REQUEST
    if new.enum is None:
        level = Level.INFO if request else Level.WARNING
        return [_Delta("enum-value-added", level, (), "is no longer limited to an enum")]
    if old.enum is None:
        level = Level.BREAKING if request else Level.INFO
        return [_Delta("enum-value-removed", level, (), f"is now limited to {_values(new.enum)}")]
    deltas = []
    removed, added = old.enum - new.enum, new.enum - old.enum
    if removed:
        deltas.append(_Delta("enum-value-removed", Level.BREAKING if request else Level.INFO, (),
                             f"enum value{'s' if len(removed) > 1 else ''} {_values(removed)} removed"))
    if added:
        deltas.append(_Delta("enum-value-added", Level.INFO if request else Level.WARNING, (),
                             f"enum value{'s' if len(added) > 1 else ''} {_values(added)} added"))
    return deltas


def _values(values: frozenset[str]) -> str:
    shown = sorted(values)
    text = ", ".join(shown[:6])
    return text + (f" and {len(shown) - 6} more" if len(shown) > 6 else "")


def _compare_bounds(old: Shape, new: Shape, direction: str) -> list[_Delta]:
    tightened, loosened = [], []
    for key in UPPER_BOUNDS + LOWER_BOUNDS:
        before, after = old.bounds.get(key), new.bounds.get(key)
        if before == after:
            continue
        text = f"{key} {_number(before)} -> {_number(after)}"
        upper = key in UPPER_BOUNDS
        if before is None:
            tightened.append(text)
        elif after is None:
            loosened.append(text)
        elif (after < before) == upper:
            tightened.append(text)
        else:
            loosened.append(text)
    _compare_pattern(old, new, tightened, loosened)
    _compare_multiple_of(old, new, tightened, loosened)
    if not old.unique_items and new.unique_items:
        tightened.append("uniqueItems false -> true")
    elif old.unique_items and not new.unique_items:
        loosened.append("uniqueItems true -> false")
    return _bound_deltas(tightened, loosened, direction)


def _compare_pattern(old: Shape, new: Shape, tightened: list[str], loosened: list[str]) -> None:
    if old.pattern == new.pattern:
        return
    if new.pattern is None:
        loosened.append(f"pattern {old.pattern!r} removed")
    else:  # whether one regular expression accepts less than another is undecidable here: assume tighter
        tightened.append(f"pattern {old.pattern!r} -> {new.pattern!r}" if old.pattern else f"pattern {new.pattern!r} added")


def _compare_multiple_of(old: Shape, new: Shape, tightened: list[str], loosened: list[str]) -> None:
    before, after = old.multiple_of, new.multiple_of
    if before == after:
        return
    text = f"multipleOf {_number(before)} -> {_number(after)}"
    if after is None or (before is not None and after and (before / after).is_integer()):
        loosened.append(text)
    else:
        tightened.append(text)


def _bound_deltas(tightened: list[str], loosened: list[str], direction: str) -> list[_Delta]:
    deltas = []
    if tightened:
        level = Level.BREAKING if direction == _REQUEST else Level.INFO
        deltas.append(_Delta("constraint-tightened", level, (), "constraint tightened: " + "; ".join(tightened)))
    if loosened:
        level = Level.INFO if direction == _REQUEST else Level.WARNING
        deltas.append(_Delta("constraint-loosened", level, (), "constraint loosened: " + "; ".join(loosened)))
    return deltas


def _number(value: float | None) -> str:
    if value is None:
        return "none"
    return str(int(value)) if float(value).is_integer() else str(value)


# Numeric formats order by range: a wider one accepts every value of a narrower one.
_NUMBER_FORMAT_RANK = {"int32": 1, "float": 1, "int64": 2, "double": 2}


def _compare_format(old: Shape, new: Shape, direction: str) -> list[_Delta]:
    if old.format == new.format:
        return []
    message = f"format changed from {old.format or 'none'} to {new.format or 'none'}"
    if {old.format, new.format} <= {None, *_NUMBER_FORMAT_RANK}:
        before, after = _NUMBER_FORMAT_RANK.get(old.format or "", 2), _NUMBER_FORMAT_RANK.get(new.format or "", 2)
        narrowed = after < before if direction == _REQUEST else after > before
        return [_Delta("format-changed", Level.BREAKING if direction == _REQUEST else Level.WARNING, (), message)] if narrowed else []
    if direction == _REQUEST and new.format is None or direction == _RESPONSE and old.format is None:
        return []  # the new side accepts (request) or the client expects (response) any format
    level = Level.BREAKING if direction == _REQUEST else Level.WARNING
    return [_Delta("format-changed", level, (), message)]


def _property_removed(name: str, rel: tuple[str, ...], old: Shape, new: Shape, direction: str) -> _Delta:
    if direction == _REQUEST:
        # The client still sends it: fatal when the new schema forbids unknown properties.
        level = Level.BREAKING if new.additional is False else Level.WARNING
        return _Delta("removed", level, rel, f"property {name!r} removed")
    if name in old.required:
        return _Delta("removed", Level.BREAKING, rel, f"required property {name!r} removed")
    return _Delta("optional-property-removed", Level.WARNING, rel, f"optional property {name!r} removed")


def _property_added(name: str, rel: tuple[str, ...], old: Shape, new: Shape, direction: str) -> list[_Delta]:
    if direction == _REQUEST and name in new.required:
        return [_Delta("added-required", Level.BREAKING, rel, f"required property {name!r} added")]
    if direction == _RESPONSE and old.additional is False:
        return [_Delta("added", Level.WARNING, rel, f"property {name!r} added where additional properties were forbidden")]
    return [_Delta("added", Level.INFO, rel, f"property {name!r} added")]


def _requiredness(name: str, rel: tuple[str, ...], old: Shape, new: Shape, direction: str) -> list[_Delta]:
    was, now = name in old.required, name in new.required
    if was == now:
        return []
    if now:
        level = Level.BREAKING if direction == _REQUEST else Level.INFO
        return [_Delta("became-required", level, rel, f"property {name!r} became required")]
    level = Level.BREAKING if direction == _RESPONSE else Level.INFO
    return [_Delta("became-optional", level, rel, f"property {name!r} became optional")]


def _required_without_property(old: Shape, new: Shape, old_props: dict[str, Any], new_props: dict[str, Any], direction: str) -> list[_Delta]:
    # `required: [x]` with no `properties.x` still obliges the client to send x.
    if direction != _REQUEST:
        return []
    deltas = []
    for name in sorted(new.required - old.required - old_props.keys() - new_props.keys()):
        deltas.append(_Delta("added-required", Level.BREAKING, ("properties", name), f"required property {name!r} added"))
    return deltas


# ---------------------------------------------------------------- documents


def _template_key(path: str) -> str:
    return _TEMPLATE_PARAMETER.sub("{}", path)


_NESTING = frozenset({"properties", "items", "additionalProperties"})  # oneOf/anyOf positions are not depth


def rule_name(side: str, suffix: str, rel: tuple[str, ...]) -> str:
    """The rule id of a schema delta: the side (request, response, request-parameter, response-header) and depth."""
    if suffix == "optional-property-removed":
        return f"{side}-optional-property-removed"
    if suffix in _PRESENCE_SUFFIXES:
        return f"{side}-property-{suffix}"
    if side in ("request", "response"):
        nested = any(part in _NESTING for part in rel)
        return f"{side}-{'property' if nested else 'body'}-{suffix}"
    return f"{side}-{suffix}"


def _root(delta: _Delta, side: str, path: str, method: str, base: str) -> Change:
    """Turn a schema delta into a Change at a location."""
    location = base + "/" + "/".join(map(pointer_part, delta.rel)) if delta.rel else base
    where = _readable(delta.rel)
    message = f"{where}: {delta.message}" if where else delta.message
    return Change(rule_name(side, delta.suffix, delta.rel), delta.level, path, method, location, message, delta.origin)


def _readable(rel: tuple[str, ...]) -> str:
    parts = []
    index = 0
    while index < len(rel):
        part = rel[index]
        if part == "properties" and index + 1 < len(rel):
            parts.append(rel[index + 1])
            index += 2
            continue
        parts.append("[]" if part == "items" else part)
        index += 1
    return ".".join(parts).replace(".[]", "[]")


def _dedupe(changes: Iterable[Change]) -> list[Change]:
    seen: set[tuple[str, str, str, str, str]] = set()
    result = []
    for change in changes:
        key = (change.rule, change.path, change.method, change.origin or change.location, change.message if not change.origin else "")
        if key not in seen:
            seen.add(key)
            result.append(change)
    return result


class _DocumentDiffer:
    """Walks the paths, operations, parameters, bodies and responses of two OpenAPI 3 documents."""

    def __init__(self, old: SchemaDocument, new: SchemaDocument) -> None:
        self.old = old
        self.new = new
        self.schemas = SchemaComparator(old, new)

    def iter_changes(self) -> Iterator[Change]:
        """Every change, operation by operation."""
        old_paths = _paths_by_template(self.old.document)
        new_paths = _paths_by_template(self.new.document)
        for key, (old_path, old_item) in old_paths.items():
            if key not in new_paths:
                yield self._path_removed(old_path, old_item)
                continue
            new_path, new_item = new_paths[key]
            yield from self._diff_path(old_path, old_item, new_path, new_item)
        for key, (new_path, new_item) in new_paths.items():
            if key not in old_paths:
                yield Change("path-added", Level.INFO, new_path, "", _pointer("paths", new_path), f"path {new_path} added")

    def _path_removed(self, path: str, item: dict[str, Any]) -> Change:
        methods = ", ".join(m.upper() for m in HTTP_METHODS if isinstance(item.get(m), dict))
        return Change("path-removed", Level.BREAKING, path, "", _pointer("paths", path),
                      f"path {path} removed (with {methods or 'no operations'})")

    def _diff_path(self, old_path: str, old_item: dict[str, Any], new_path: str, new_item: dict[str, Any]) -> Iterator[Change]:
        old_item, new_item = self.old.resolve(old_item)[0], self.new.resolve(new_item)[0]
        for method in HTTP_METHODS:
            old_op, new_op = old_item.get(method), new_item.get(method)
            if isinstance(old_op, dict) and not isinstance(new_op, dict):
                yield Change("operation-removed", Level.BREAKING, old_path, method.upper(), _pointer("paths", old_path, method),
                             f"{method.upper()} {old_path} removed")
            elif isinstance(new_op, dict) and not isinstance(old_op, dict):
                yield Change("operation-added", Level.INFO, new_path, method.upper(), _pointer("paths", new_path, method),
                             f"{method.upper()} {new_path} added")
            elif isinstance(old_op, dict):
                site = _Site(new_path, method.upper(), _pointer("paths", new_path, method))
                yield from _dedupe(self._diff_operation(site, old_path, old_item, old_op, new_item, new_op))

    def _diff_operation(self, site: _Site, old_path: str, old_item: dict[str, Any], old_op: dict[str, Any],
                        new_item: dict[str, Any], new_op: dict[str, Any]) -> Iterator[Change]:
        if new_op.get("deprecated") is True and old_op.get("deprecated") is not True:
            yield site.change("operation-deprecated", Level.WARNING, "", f"{site.method} {site.path} is now deprecated")
        yield from self._diff_security(site, old_op, new_op)
        yield from self._diff_parameters(site, old_path, old_item, old_op, new_item, new_op)
        yield from self._diff_request_body(site, old_op.get("requestBody"), new_op.get("requestBody"))
        yield from self._diff_responses(site, old_op.get("responses") or {}, new_op.get("responses") or {})

    # --- security

    def _diff_security(self, site: _Site, old_op: dict[str, Any], new_op: dict[str, Any]) -> Iterator[Change]:
        old_alts = _security(self.old.document, old_op)
        new_alts = _security(self.new.document, new_op)
        for alternative in old_alts:
            if not any(_satisfied_by(candidate, alternative) for candidate in new_alts):
                needed = " or ".join(_describe_security(alt) for alt in new_alts) or "none"
                yield site.change("security-requirement-added", Level.BREAKING, "/security",
                                  f"a client authorised by {_describe_security(alternative)} is no longer enough; now needs {needed}")
                return
        for alternative in new_alts:
            if alternative not in old_alts and any(_satisfied_by(alternative, old) for old in old_alts):
                yield site.change("security-requirement-removed", Level.INFO, "/security",
                                  f"now also accepts {_describe_security(alternative)}")
                return

    # --- parameters

    def _diff_parameters(self, site: _Site, old_path: str, old_item: dict[str, Any], old_op: dict[str, Any],
                         new_item: dict[str, Any], new_op: dict[str, Any]) -> Iterator[Change]:
        old_params = _parameters(self.old, old_path, old_item, old_op)
        new_params = _parameters(self.new, site.path, new_item, new_op)
        moved = _moved_parameters(old_params, new_params)
        for key, (index, old_param) in old_params.items():
            if key in new_params:
                new_index, new_param = new_params[key]
                yield from self._diff_parameter(site, new_index, old_param, new_param)
            elif key in moved:
                new_index, new_param = new_params[moved[key]]
                yield site.change("request-parameter-location-changed", Level.BREAKING, f"/parameters/{new_index}",
                                  f"parameter {old_param.get('name')!r} moved from {key[0]} to {moved[key][0]}")
            else:
                yield site.change("request-parameter-removed", Level.BREAKING, "/parameters",
                                  f"{key[0]} parameter {old_param.get('name')!r} removed")
        for key, (index, new_param) in new_params.items():
            if key in old_params or key in moved.values():
                continue
            if new_param.get("required") is True:
                yield site.change("request-parameter-added-required", Level.BREAKING, f"/parameters/{index}",
                                  f"required {key[0]} parameter {new_param.get('name')!r} added")
            else:
                yield site.change("request-parameter-added", Level.INFO, f"/parameters/{index}",
                                  f"optional {key[0]} parameter {new_param.get('name')!r} added")

    def _diff_parameter(self, site: _Site, index: int, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
        name, where = new.get("name"), new.get("in")
        base = f"/parameters/{index}"
        was, now = old.get("required") is True or old.get("in") == "path", new.get("required") is True or where == "path"
        if now and not was:
            yield site.change("request-parameter-became-required", Level.BREAKING, base, f"{where} parameter {name!r} became required")
        elif was and not now:
            yield site.change("request-parameter-became-optional", Level.INFO, base, f"{where} parameter {name!r} became optional")
        old_schema, new_schema = _parameter_schema(old), _parameter_schema(new)
        if old_schema is None or new_schema is None:
            return
        widened_to_text = self._is_plain_string(new_schema)
        for delta in self.schemas.compare(old_schema, new_schema, _REQUEST):
            if widened_to_text and delta.suffix == "type-changed" and not delta.rel:
                # On the wire a parameter is text: a plain string accepts whatever number or boolean was sent.
                delta = _Delta("type-widened", Level.INFO, (), delta.message, delta.origin)
            change = _root(delta, "request-parameter", site.path, site.method, site.base + base + "/schema")
            yield _with_message(change, f"{where} parameter {name!r}: {change.message}")

    def _is_plain_string(self, schema: Any) -> bool:
        shape = self.new.shape(self.new.resolve(schema)[0])
        return (shape.types == frozenset({"string"}) and shape.enum is None and shape.pattern is None
                and shape.format is None and not shape.bounds)

    # --- request body

    def _diff_request_body(self, site: _Site, old_raw: Any, new_raw: Any) -> Iterator[Change]:
        old = self.old.resolve(old_raw)[0] if old_raw is not None else None
        new = self.new.resolve(new_raw)[0] if new_raw is not None else None
        base = "/requestBody"
        if old is None and new is None:
            return
        if old is None:
            required = new.get("required") is True
            yield site.change("request-body-added-required" if required else "request-body-added",
                              Level.BREAKING if required else Level.INFO, base,
                              "a required request body was added" if required else "an optional request body was added")
            return
        if new is None:
            yield site.change("request-body-removed", Level.WARNING, base, "the request body was removed")
            return
        if new.get("required") is True and old.get("required") is not True:
            yield site.change("request-body-became-required", Level.BREAKING, base, "the request body became required")
        yield from self._diff_content(site, base, old.get("content") or {}, new.get("content") or {}, _REQUEST)

    def _diff_content(self, site: _Site, base: str, old: dict[str, Any], new: dict[str, Any], direction: str,
                      *, success: bool = True) -> Iterator[Change]:
        new_types = {_media_key(name): name for name in new}
        side = "request" if direction == _REQUEST else "response"
        for name, old_media in old.items():
            new_name = new_types.get(_media_key(name))
            if new_name is None:
                level = Level.BREAKING if success else Level.WARNING
                yield site.change(f"{side}-content-type-removed", level, f"{base}/content/{pointer_part(name)}",
                                  f"{'request' if direction == _REQUEST else 'response'} content type {name} removed")
                continue
            old_schema = (old_media or {}).get("schema")
            new_schema = (new[new_name] or {}).get("schema")
            if old_schema is None or new_schema is None:
                continue
            location = f"{site.base}{base}/content/{pointer_part(new_name)}/schema"
            for delta in self.schemas.compare(old_schema, new_schema, direction):
                yield _root(delta, side, site.path, site.method, location)
        old_types = {_media_key(name) for name in old}
        for name in new:
            if _media_key(name) not in old_types:
                yield site.change(f"{side}-content-type-added", Level.INFO, f"{base}/content/{pointer_part(name)}",
                                  f"{side} content type {name} added")

    # --- responses

    def _diff_responses(self, site: _Site, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
        for status, old_raw in old.items():
            status = str(status)
            new_raw = new.get(status, new.get(int(status) if status.isdigit() else status))
            if new_raw is None:
                yield from self._status_removed(site, status, new)
                continue
            old_response = self.old.resolve(old_raw)[0] or {}
            new_response = self.new.resolve(new_raw)[0] or {}
            base = f"/responses/{pointer_part(status)}"
            success = status.startswith("2")
            yield from self._diff_content(site, base, old_response.get("content") or {}, new_response.get("content") or {},
                                          _RESPONSE, success=success)
            yield from self._diff_headers(site, base, old_response.get("headers") or {}, new_response.get("headers") or {})
        for status in new:
            if str(status) not in {str(s) for s in old}:
                yield site.change("response-status-added", Level.INFO, f"/responses/{pointer_part(str(status))}",
                                  f"response status {status} added")

    def _status_removed(self, site: _Site, status: str, new: dict[str, Any]) -> Iterator[Change]:
        base = f"/responses/{pointer_part(status)}"
        if status.startswith("2") and f"{status[0]}XX" not in {str(s).upper() for s in new}:
            yield site.change("response-success-status-removed", Level.BREAKING, base, f"success status {status} removed")
        else:
            yield site.change("response-status-removed", Level.INFO, base, f"response status {status} removed")

    def _diff_headers(self, site: _Site, base: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
        new_lower = {name.lower(): name for name in new}
        for name, old_raw in old.items():
            old_header = self.old.resolve(old_raw)[0] or {}
            new_name = new_lower.get(name.lower())
            location = f"{base}/headers/{pointer_part(name)}"
            if new_name is None:
                required = old_header.get("required") is True
                yield site.change("response-header-removed" if required else "response-optional-header-removed",
                                  Level.BREAKING if required else Level.WARNING, location, f"response header {name} removed")
                continue
            new_header = self.new.resolve(new[new_name])[0] or {}
            old_schema, new_schema = old_header.get("schema"), new_header.get("schema")
            if old_schema is not None and new_schema is not None:
                for delta in self.schemas.compare(old_schema, new_schema, _RESPONSE):
                    change = _root(delta, "response-header", site.path, site.method, site.base + location + "/schema")
                    yield _with_message(change, f"response header {name}: {change.message}")


@dataclass(frozen=True, slots=True)
class _Site:
    """Where an operation's changes are reported."""

    path: str
    method: str
    base: str

    def change(self, rule: str, level: Level, suffix: str, message: str) -> Change:
        """A change at this operation, `suffix` being a JSON pointer below the operation."""
        return Change(rule, level, self.path, self.method, self.base + suffix, message)


def _with_message(change: Change, message: str) -> Change:
    return Change(change.rule, change.level, change.path, change.method, change.location, message, change.origin)


def _pointer(*parts: str) -> str:
    return "#/" + "/".join(pointer_part(part) for part in parts)


def _paths_by_template(document: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    paths = document.get("paths") or {}
    return {_template_key(path): (path, item) for path, item in paths.items() if isinstance(item, dict)}


def _parameters(document: SchemaDocument, path: str, item: dict[str, Any], operation: dict[str, Any]) -> dict[tuple[str, str], tuple[int, dict[str, Any]]]:
    """Effective parameters keyed by location and name; path parameters by their position in the template."""
    names = [match.group(0)[1:-1] for match in _TEMPLATE_PARAMETER.finditer(path)]
    found: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    for index, raw in [(-1, raw) for raw in item.get("parameters") or []] + list(enumerate(operation.get("parameters") or [])):
        parameter = document.resolve(raw)[0]
        if not isinstance(parameter, dict) or "name" not in parameter:
            continue
        where, name = str(parameter.get("in", "")), str(parameter["name"])
        if where == "path" and name in names:
            name = f"#{names.index(name)}"
        elif where == "header":
            name = name.lower()
        found[(where, name)] = (max(index, 0), parameter)
    return found


def _moved_parameters(old: dict[tuple[str, str], Any], new: dict[tuple[str, str], Any]) -> dict[tuple[str, str], tuple[str, str]]:
    moved = {}
    by_name = {}
    for key in new:
        if key not in old:
            by_name.setdefault(key[1].lower(), key)
    for key in old:
        if key not in new and key[1].lower() in by_name and not key[1].startswith("#"):
            moved[key] = by_name[key[1].lower()]
    return moved


def _parameter_schema(parameter: dict[str, Any]) -> Any:
    if "schema" in parameter:
        return parameter["schema"]
    content = parameter.get("content")
    if isinstance(content, dict) and content:
        return (next(iter(content.values())) or {}).get("schema")
    return None


def _media_key(name: str) -> str:
    return name.split(";", 1)[0].strip().lower()


def _security(document: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, frozenset[str]]]:
    raw = operation.get("security", document.get("security"))
    if not raw:
        return [{}]
    return [{name: frozenset(scopes or ()) for name, scopes in (alt or {}).items()} for alt in raw]


def _satisfied_by(candidate: dict[str, frozenset[str]], held: dict[str, frozenset[str]]) -> bool:
    """Whether a client holding `held` credentials meets the `candidate` requirement."""
    return all(name in held and scopes <= held[name] for name, scopes in candidate.items())


def _describe_security(alternative: dict[str, frozenset[str]]) -> str:
    if not alternative:
        return "no credentials"
    return " + ".join(f"{name}" + (f" ({', '.join(sorted(scopes))})" if scopes else "") for name, scopes in sorted(alternative.items()))


def is_breaking(changes: Iterable[Change]) -> bool:
    """True when any change is breaking."""
    return any(change.is_breaking for change in changes)


def line_of_pointer(location: str, lines: dict[str, int] | None) -> int | None:
    """The line of a JSON pointer in its source file, or of its nearest ancestor that has one."""
    pointer = location
    while lines and pointer:
        if pointer in lines:
            return lines[pointer]
        pointer = pointer.rpartition("/")[0]
    return None
