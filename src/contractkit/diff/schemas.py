"""Schemas compared by direction: what a client sends (request) vs what it reads (response).

The comparison is a graph: a node per (old schema, new schema, direction) holds the changes found at that
pair and edges to the pairs below it (properties, items, tuple positions, contains, maps, the matching
alternatives). Nodes are computed from a work list, so deep and recursive schemas need no recursion; a
result is read off the graph breadth-first from its root, each node once, so a change in a shared component
is reported once per root, at its shortest location, with the component it lives in as its origin.

A pair that is the same JSON, with everything its `$ref`s reach (`SameJson`), has no change and is not compared:
an unchanged component costs one equality test instead of a walk through everything below it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from contractkit.core.errors import SchemaLoadError
from contractkit.core.loading import parse_json_value
from contractkit.diff.keywords import (
    compare_discriminator,
    compare_nullability,
    overlap,
    property_added,
    property_removed,
    required_without_property,
    requiredness,
    value_deltas,
)
from contractkit.diff.lifecycle import judge_removal, sunset_change
from contractkit.diff.model import REQUEST, RESPONSE, Delta, Level, pointer_part
from contractkit.diff.schemashape import SchemaDocument, Shape, union_schema

__all__ = ["SameJson", "SchemaComparator", "is_same_json", "join_pointer"]

Key = tuple[int, int, str]
_EDGE, _CHOICE_EDGE = "edge", "edge-choice"  # a delta that stands for "what that other pair's comparison finds"
_SCORE_DEPTH = 3  # how deep a candidate alternative is looked at when choosing the best match
_NULLABILITY = ("became-nullable", "became-not-nullable")
_REF_TEXT = re.compile(r'"\$ref": "((?:[^"\\]|\\.)*)"')  # a "$ref" member in json.dumps output
_PAIRING_LIMIT = 400  # covered x covering pairs scored in full; beyond, each option takes its own best match
Score = tuple[bool, int, int, int]  # type mismatch, breaking, warnings, all deltas


@dataclass(frozen=True, slots=True)
class _Candidate:
    """One covering alternative scored against a covered one."""

    score: Score
    same_identity: bool
    position: int
    key: Key
    identity: frozenset[str] = frozenset()  # the covering alternative's $ref

    @property
    def clean(self) -> bool:
        """Nothing breaking and nothing to warn about."""
        return not self.score[0] and self.score[1] == 0 and self.score[2] == 0

    def order(self, covered_position: int) -> tuple[bool, bool, Score, bool]:
        """Clean matches first, then the same component, then the score, then the same position."""
        return not self.clean, not self.same_identity, self.score, self.position != covered_position


def is_same_json(old: Any, new: Any) -> bool:
    """True when two parsed values are the same JSON, strictly: `true` is not `1`, `1` is not `1.0`, key order counts."""
    return old is new or _same_text(old, new) is not None


def _same_text(old: Any, new: Any) -> str | None:
    """The JSON text of two values that are the same JSON (see is_same_json), else None."""
    try:  # `==` rejects most differences at C speed and tells the key 1 from "1"; the texts tell 1, 1.0 and true apart
        if not old == new:
            return None
        text = json.dumps(old, default=repr)
        return text if text == json.dumps(new, default=repr) else None
    except (RecursionError, TypeError, ValueError):
        return None  # a self-referencing YAML alias, a key JSON cannot hold: compare it the long way


def _refs_in(text: str) -> set[str]:
    """Every `$ref` string in a value's JSON text (a string that merely looks like one counts too: only caution)."""
    return {parse_json_value(f'"{found}"') if "\\" in found else found for found in _REF_TEXT.findall(text)}


class SameJson:
    """Which nodes of an old and a new document are the same JSON together with everything their `$ref`s reach.

    Such a pair compares to no change, whatever the direction or the rules, so the diff skips it. Any doubt (a
    `$ref` that does not resolve in one of the documents) answers "not the same", and the pair is compared.
    """

    def __init__(self, old: SchemaDocument, new: SchemaDocument) -> None:
        self.old = old
        self.new = new
        self._same_refs: set[str] = set()  # refs whose targets, and all they reach, are the same
        self._different_refs: set[str] = set()

    def is_same(self, old: Any, new: Any) -> bool:
        """True when `old` (of the old document) and `new` (of the new one) are the same, `$ref`s followed."""
        text = _same_text(old, new)
        return text is not None and all(self._is_same_ref(ref) for ref in _refs_in(text))

    def _is_same_ref(self, ref: str) -> bool:
        if ref in self._same_refs:
            return True
        if ref in self._different_refs:
            return False
        reached, stack = {ref}, [ref]
        while stack:  # everything the ref reaches, through refs; one difference anywhere makes it different
            current = stack.pop()
            if current in self._same_refs:
                continue
            text = None if current in self._different_refs else self._same_target(current)
            if text is None:
                self._different_refs.update((ref, current))
                return False
            for inner in _refs_in(text):
                if inner not in reached:
                    reached.add(inner)
                    stack.append(inner)
        self._same_refs |= reached  # nothing reachable from any of them differs
        return True

    def _same_target(self, ref: str) -> str | None:
        """The JSON text of the target of `ref` when both documents resolve it to the same JSON, else None."""
        try:
            return _same_text(self.old.lookup(ref), self.new.lookup(ref))
        except SchemaLoadError:
            return None


class SchemaComparator:
    """Compares schemas of an old and a new document in one direction, each pair of schemas once."""

    def __init__(self, old: SchemaDocument, new: SchemaDocument, *, today: dt.date | None = None) -> None:
        self.old = old
        self.new = new
        self.today = today or dt.date.today()
        self.same = SameJson(old, new)
        self._nodes: dict[Key, tuple[Delta, ...] | None] = {}  # None: not computed yet
        self._raw: dict[Key, tuple[Any, Any, str]] = {}  # old schema, new schema, old $ref
        self._queue: list[Key] = []
        self._unions: dict[tuple[int, ...], dict[str, Any]] = {}
        # scoring looks a few levels down the same pairs again for every choice that offers them: once per pair
        self._shallows: dict[tuple[int, int, str, int], list[Delta]] = {}
        self._visibles: dict[tuple[int, str], dict[str, Any]] = {}
        self._expanded: dict[Key, tuple[Delta, ...]] = {}

    def compare(self, old: Any, new: Any, direction: str) -> tuple[Delta, ...]:
        """Deltas from old to new for a schema read in `direction` (request: client sends; response: receives)."""
        root = self._key(old, new, direction)
        while self._queue:
            self._ensure(self._queue.pop())
        # every pair below the root is compared now and stays as it is: a root met again (a shared response
        # reached by many operations) expands to the same deltas
        found = self._expanded.get(root)
        if found is None:
            found = self._expanded[root] = self._expand(root)
        return found

    def _key(self, old: Any, new: Any, direction: str) -> Key:
        old_schema, old_ref = self.old.resolve(old)
        new_schema, _ = self.new.resolve(new)
        key = (id(old_schema), id(new_schema), direction)
        if key not in self._raw:
            self._raw[key] = (old_schema, new_schema, old_ref)
            if self.same.is_same(old_schema, new_schema):
                self._nodes[key] = ()  # the same on both sides, everything below too: no change to find
            else:
                self._nodes[key] = None
                self._queue.append(key)
        return key

    def _edge(self, rel: tuple[str, ...], old: Any, new: Any, direction: str, kind: str = _EDGE) -> Delta:
        return Delta(kind, direction, rel, "", cycle=self._key(old, new, direction))

    def _ensure(self, key: Key) -> tuple[Delta, ...]:
        found = self._nodes[key]
        if found is None:
            self._nodes[key] = ()  # a pair met again while being compared adds nothing new
            old, new, _ = self._raw[key]
            found = self._nodes[key] = tuple(self._compare_shapes(old, new, key[2]))
        return found

    def _expand(self, root: Key) -> tuple[Delta, ...]:
        """Every change reachable from a pair, breadth-first, with its location and its shared component."""
        found: list[Delta] = []
        seen = {root}
        start: tuple[Key, tuple[str, ...], str, tuple[str, ...], bool] = (root, (), "", (), False)
        queue = deque([start])
        while queue:
            key, rel, ref, ref_rel, choice = queue.popleft()
            if self._raw[key][2]:
                ref, ref_rel = self._raw[key][2], ()
            local = self._nodes[key] or ()
            if choice:  # nullability of a choice is judged on the whole choice, not per alternative
                local = _fold_missing_properties(tuple(d for d in local if d.rel or d.suffix not in _NULLABILITY))
            for delta in local:
                if delta.cycle is None:
                    origin = join_pointer(ref, ref_rel + delta.rel) if ref else ""
                    found.append(Delta(delta.suffix, delta.direction, rel + delta.rel, delta.message, origin))
                elif delta.cycle not in seen:
                    seen.add(delta.cycle)
                    queue.append((delta.cycle, rel + delta.rel, ref, ref_rel + delta.rel, delta.suffix == _CHOICE_EDGE))
        return tuple(_dedupe_deltas(found))

    # --- scoring alternatives

    def _score(self, local: tuple[Delta, ...], depth: int = 0) -> Score:
        """How badly an alternative matches: another kind of value, then breaking changes a few levels deep."""
        mismatch = any(d.suffix == "type-changed" and not d.rel for d in local)
        shallow = [d for d in local if d.cycle is None]
        breaking, warnings, total = 0, 0, 0
        for edge in local:
            if edge.cycle is None:
                continue
            if edge.suffix == _CHOICE_EDGE and depth < 8:  # a choice inside a choice: look through it
                inner = self._score(self._ensure(edge.cycle), depth + 1)
                mismatch, breaking = mismatch or inner[0], breaking + inner[1]
                warnings, total = warnings + inner[2], total + inner[3]
            else:
                old, new, _ = self._raw[edge.cycle]
                shallow += self._shallow(old, new, edge.cycle[2], _SCORE_DEPTH)
        breaking += sum(1 for d in shallow if d.level is Level.BREAKING)
        warnings += sum(1 for d in shallow if d.level is Level.WARNING)
        return mismatch, breaking, warnings, total + len(shallow)

    def _shallow(self, old_raw: Any, new_raw: Any, direction: str, depth: int) -> list[Delta]:
        """Value-level deltas a few levels down, without building nodes (for scoring alternatives only)."""
        memo = (id(old_raw), id(new_raw), direction, depth)
        found = self._shallows.get(memo)
        if found is None:
            found = self._shallows[memo] = self._shallow_pair(old_raw, new_raw, direction, depth)
        return list(found)

    def _shallow_pair(self, old_raw: Any, new_raw: Any, direction: str, depth: int) -> list[Delta]:
        old, new = self.old.shape(self.old.resolve(old_raw)[0]), self.new.shape(self.new.resolve(new_raw)[0])
        if old.alternatives is not None or new.alternatives is not None:
            return self._shallow_choice(old_raw, new_raw, old, new, direction, depth)
        found = value_deltas(old, new, direction)
        if depth <= 0:
            return found
        for name in old.properties.keys() & new.properties.keys():
            found += self._shallow(old.properties[name], new.properties[name], direction, depth - 1)
        found += [
            property_removed(name, (), old, new, direction) for name in old.properties.keys() - new.properties.keys()
        ]
        if old.items is not None and new.items is not None:
            found += self._shallow(old.items, new.items, direction, depth - 1)
        return found

    def _shallow_choice(
        self, old_raw: Any, new_raw: Any, old: Shape, new: Shape, direction: str, depth: int
    ) -> list[Delta]:
        """Scoring through a nested choice: each covered alternative against its best shallow match."""
        if depth < 2:
            return []
        old_options = old.alternatives if old.alternatives is not None else [old_raw]
        new_options = new.alternatives if new.alternatives is not None else [new_raw]
        covered, covering = (old_options, new_options) if direction == REQUEST else (new_options, old_options)
        found: list[Delta] = []
        for option in covered:
            best: tuple[tuple[bool, int, int], list[Delta]] | None = None
            for candidate in covering:
                pair = (option, candidate) if direction == REQUEST else (candidate, option)
                deltas = self._shallow(*pair, direction, depth - 2)
                score = (
                    any(d.suffix == "type-changed" and not d.rel for d in deltas),
                    sum(1 for d in deltas if d.level is Level.BREAKING),
                    len(deltas),
                )
                if best is None or score < best[0]:
                    best = (score, deltas)
            found += best[1] if best else []
        return found

    # --- one pair of shapes

    def _compare_shapes(self, old_raw: Any, new_raw: Any, direction: str) -> list[Delta]:
        old, new = self.old.shape(old_raw), self.new.shape(new_raw)
        if old.alternatives is not None or new.alternatives is not None:
            return self._compare_alternatives(old_raw, new_raw, old, new, direction)
        deltas = value_deltas(old, new, direction)
        if (
            any(d.suffix == "type-changed" for d in deltas)
            and old.types
            and new.types
            and not overlap(old.types, new.types)
        ):
            return deltas  # a different kind of value altogether: nothing below compares
        deltas += self._compare_properties(old, new, direction)
        deltas += self._compare_items(old, new, direction)
        return deltas

    # --- oneOf / anyOf: what the alternatives accept or produce

    def _compare_alternatives(self, old_raw: Any, new_raw: Any, old: Shape, new: Shape, direction: str) -> list[Delta]:
        old_options = old.alternatives if old.alternatives is not None else [old_raw]
        new_options = new.alternatives if new.alternatives is not None else [new_raw]
        deltas = compare_nullability(_with_null(self.old, old), _with_null(self.new, new), direction)
        deltas += compare_discriminator(old, new, direction)
        # A value a client sends must still be accepted by some new alternative; a value it receives must still
        # look like some old alternative. Nullability was judged above, on the whole choice.
        request = direction == REQUEST
        covered, covering = (old_options, new_options) if request else (new_options, old_options)
        if len(covered) == 1 and len(covering) > 1:
            union = self._union_edge(covered[0], covering, direction, new)
            if union is not None:
                return deltas + [union]
        return deltas + self._pair_alternatives(covered, covering, direction, old, new)

    def _union_edge(self, single: Any, options: list[Any], direction: str, new: Shape) -> Delta | None:
        """One schema against several variants that together may accept what it accepted (a split)."""
        request = direction == REQUEST
        if self._candidates(single, 0, options, direction)[0].clean:
            return None  # one variant takes it all: plain pairing finds it
        document = self.new if request else self.old
        kinds = document_shape(self.old if request else self.new, single).types
        if not kinds and kinds is not None:
            return None  # accepts nothing (or only null): nothing to cover
        fitting = [
            index
            for index, option in enumerate(options)
            if kinds is None or (types := document_shape(document, option).types) is None or overlap(kinds, types)
        ]
        if not fitting:
            return None
        if len(fitting) == 1:
            chosen = options[fitting[0]]
            rel = (new.alternative_key, str(fitting[0])) if request and new.alternatives is not None else ()
            old_side, new_side = (single, chosen) if request else (chosen, single)
            return self._edge(rel, old_side, new_side, direction, _CHOICE_EDGE)
        union = self._union([options[index] for index in fitting], document)
        old_side, new_side = (single, union) if request else (union, single)
        return self._edge((), old_side, new_side, direction, _CHOICE_EDGE)

    def _union(self, options: list[Any], document: SchemaDocument) -> dict[str, Any]:
        key = tuple(id(option) for option in options) + (id(document),)
        if key not in self._unions:
            self._unions[key] = union_schema(document, options)
            document.shape(self._unions[key]).keep_alive.extend(options)
        return self._unions[key]

    def _pair_alternatives(
        self, covered: list[Any], covering: list[Any], direction: str, old: Shape, new: Shape
    ) -> list[Delta]:
        """Each covered alternative against its match; one with no acceptable match was added or removed."""
        request = direction == REQUEST
        chosen = _assign(
            [self._candidates(option, index, covering, direction) for index, option in enumerate(covered)],
            [_identity(option) for option in covered],
        )
        deltas: list[Delta] = []
        for index, candidate in enumerate(chosen):
            # The location is in the new document: the matched new alternative (request) or this one (response).
            new_index = candidate.position if request else index
            rel = (new.alternative_key, str(new_index)) if new.alternatives is not None and new_index >= 0 else ()
            if candidate.position >= 0:
                deltas.append(Delta(_CHOICE_EDGE, direction, rel, "", cycle=candidate.key))
            else:
                deltas.append(_alternative_delta(covered[index], index, rel, request))
        used = {candidate.position for candidate in chosen}
        for position in range(len(covering)):
            if position not in used:
                rel = (new.alternative_key, str(position)) if request and new.alternatives is not None else ()
                suffix = "alternative-added" if request else "alternative-removed"
                deltas.append(
                    Delta(
                        suffix,
                        direction,
                        rel,
                        f"alternative {position} ({_label(covering[position])}) "
                        f"{'is now also accepted' if request else 'is no longer produced'}",
                    )
                )
        return deltas

    def _candidates(self, option: Any, index: int, covering: list[Any], direction: str) -> list[_Candidate]:
        request = direction == REQUEST
        labels = _identity(option)
        found = []
        for position, candidate in enumerate(covering):
            pair = (option, candidate) if request else (candidate, option)
            key = self._key(*pair, direction)
            found.append(
                _Candidate(
                    self._score(self._ensure(key)),
                    bool(labels & _identity(candidate)),
                    position,
                    key,
                    _identity(candidate),
                )
            )
            if found[-1].clean and position == index:
                break
        return sorted(found, key=lambda candidate: candidate.order(index))

    # --- objects

    def _compare_properties(self, old: Shape, new: Shape, direction: str) -> list[Delta]:
        deltas: list[Delta] = []
        if not (old.properties or new.properties or old.required or new.required) and old.additional is new.additional:
            return deltas
        old_props = self._visible(self.old, old, direction)
        new_props = self._visible(self.new, new, direction)
        for name in sorted(old_props.keys() | new_props.keys()):
            rel = ("properties", name)
            if name not in new_props:
                if name not in new.properties:  # hidden by readOnly/writeOnly is not gone
                    deltas.append(self._removed(name, rel, old, new, old_props[name], direction))
            elif name not in old_props:
                if name in old.required and name not in old.properties:  # required by name alone, now declared
                    deltas += requiredness(name, rel, old, new, direction)
                elif name not in old.properties:
                    deltas += property_added(name, rel, old, new, direction)
            else:
                deltas += requiredness(name, rel, old, new, direction)
                deltas += self._deprecation(name, rel, old_props[name], new_props[name], direction)
                deltas.append(self._edge(rel, old_props[name], new_props[name], direction))
        deltas += required_without_property(old, new, direction)
        deltas += self._compare_additional(old, new, direction)
        return deltas

    def _removed(self, name: str, rel: tuple[str, ...], old: Shape, new: Shape, raw: Any, direction: str) -> Delta:
        plain = property_removed(name, rel, old, new, direction)
        if direction == REQUEST:
            return plain
        deprecated, sunset = _lifecycle(self.old, raw)
        removal = judge_removal(deprecated, sunset, self.today)
        if removal.kind == "after-sunset":
            return Delta(
                "removed-after-sunset", direction, rel, f"property {name!r} removed after its sunset {removal.sunset}"
            )
        if removal.kind in ("before-sunset", "invalid"):
            why = "before its sunset" if removal.kind == "before-sunset" else "with an unreadable sunset"
            return Delta("removed-before-sunset", direction, rel, f"property {name!r} removed {why} {removal.sunset}")
        return plain

    def _deprecation(self, name: str, rel: tuple[str, ...], old_raw: Any, new_raw: Any, direction: str) -> list[Delta]:
        (was, before), (now, after) = _lifecycle(self.old, old_raw), _lifecycle(self.new, new_raw)
        if now and not was:
            return [Delta("deprecated", direction, rel, f"property {name!r} is now deprecated")]
        change = sunset_change(before, after, still_deprecated=now)
        return [Delta(change[0], direction, rel, f"property {name!r}: {change[1]}")] if change else []

    def _visible(self, document: SchemaDocument, shape: Shape, direction: str) -> dict[str, Any]:
        # A client never sends readOnly properties and never receives writeOnly ones.
        memo = (id(shape), direction)  # a shape lives as long as its document's memo: its id stays its own
        found = self._visibles.get(memo)
        if found is None:
            hidden = "read_only" if direction == REQUEST else "write_only"
            found = self._visibles[memo] = {
                name: raw
                for name, raw in shape.properties.items()
                if not getattr(document_shape(document, raw), hidden)
            }
        return found

    def _compare_additional(self, old: Shape, new: Shape, direction: str) -> list[Delta]:
        if old.additional is not False and new.additional is False:
            return [
                Delta("additional-properties-restricted", direction, (), "additional properties are no longer allowed")
            ]
        if old.additional is False and new.additional is not False:
            return [Delta("additional-properties-allowed", direction, (), "additional properties are now allowed")]
        if isinstance(old.additional, dict) or isinstance(new.additional, dict):
            # a schema for the other properties compares with another, or with "anything" where there was none
            before = old.additional if isinstance(old.additional, dict) else _ANYTHING
            after = new.additional if isinstance(new.additional, dict) else _ANYTHING
            return [self._edge(("additionalProperties",), before, after, direction)]
        return []

    # --- arrays and the other applicators

    def _compare_items(self, old: Shape, new: Shape, direction: str) -> list[Delta]:
        edges = []
        if old.items is not None and new.items is not None:
            edges.append(self._edge(("items",), old.items, new.items, direction))
        if old.prefix_items is not None or new.prefix_items is not None:
            for index in range(max(len(old.prefix_items or ()), len(new.prefix_items or ()))):
                before, after = _position(old, index), _position(new, index)
                if before is not None and after is not None:
                    edges.append(self._edge(("prefixItems", str(index)), before, after, direction))
        if old.contains is not None and new.contains is not None:
            edges.append(self._edge(("contains",), old.contains, new.contains, direction))
        for name in sorted(old.dependent_schemas.keys() & new.dependent_schemas.keys()):
            edges.append(
                self._edge(
                    ("dependentSchemas", name), old.dependent_schemas[name], new.dependent_schemas[name], direction
                )
            )
        return edges


_ANYTHING: dict[str, Any] = {}  # the schema other properties have when nothing is said of them


def document_shape(document: SchemaDocument, raw: Any) -> Shape:
    """The shape of a raw (maybe `$ref`) schema of a document."""
    return document.shape(document.resolve(raw)[0])


def _position(shape: Shape, index: int) -> Any:
    """The schema of tuple position `index`: its prefixItems entry, else what `items` says for the rest."""
    if shape.prefix_items is not None and index < len(shape.prefix_items):
        return shape.prefix_items[index]
    if shape.closed_items:
        return None
    return shape.items if shape.items is not None else {}


def _lifecycle(document: SchemaDocument, raw: Any) -> tuple[bool, Any]:
    """(deprecated, x-sunset) of a property, read beside a `$ref` as well as on its target."""
    shape = document_shape(document, raw)
    outer = raw if isinstance(raw, dict) else {}
    deprecated = outer.get("deprecated") is True or shape.deprecated or "x-sunset" in outer or shape.sunset is not None
    return deprecated, outer.get("x-sunset", shape.sunset)


def _identity(option: Any) -> frozenset[str]:
    """What names an alternative across versions: its `$ref`, or that of the one branch of a one-branch choice."""
    if isinstance(option, dict) and isinstance(option.get("$ref"), str):
        return frozenset({option["$ref"]})
    for keyword in ("oneOf", "anyOf"):
        branches = option.get(keyword) if isinstance(option, dict) else None
        if isinstance(branches, list) and len(branches) == 1:
            return _identity(branches[0])
    return frozenset()


def _label(option: Any) -> str:
    ref = next(iter(_identity(option)), "")
    return ref.rsplit("/", 1)[-1] if ref else "inline schema"


def _assign(scored: list[list[_Candidate]], owned: list[frozenset[str]]) -> list[_Candidate]:
    """Clean matches as found; the others one to one, best first; an option left with no partner gets position -1.

    A clean match is not taken from the alternative that bears its name: when `Small` and `Big` were both
    alternatives and only `Big` is left, `Small` was removed, even if `Big` happens to accept what `Small` did.
    """
    chosen: list[_Candidate | None] = [
        candidates[0] if candidates[0].clean and not _named_for_another(candidates[0], index, owned) else None
        for index, candidates in enumerate(scored)
    ]
    claimed = {candidate.position for candidate in chosen if candidate is not None}
    shared = len(scored) * max(len(candidates) for candidates in scored) > _PAIRING_LIMIT
    pending = sorted(
        (index for index, candidate in enumerate(chosen) if candidate is None),
        key=lambda index: scored[index][0].order(index),
    )
    for index in pending:
        free = [candidate for candidate in scored[index] if candidate.position not in claimed]
        if shared:  # too many to pair: each takes its best match
            chosen[index] = scored[index][0]
        elif free:
            chosen[index] = free[0]
            claimed.add(free[0].position)
        else:
            chosen[index] = _UNMATCHED
    return [candidate for candidate in chosen if candidate is not None]


def _named_for_another(candidate: _Candidate, index: int, owned: list[frozenset[str]]) -> bool:
    """The candidate is a `$ref` another covered alternative, not this one, refers to."""
    return (
        bool(candidate.identity)
        and not candidate.same_identity
        and any(candidate.identity & names for other, names in enumerate(owned) if other != index)
    )


_UNMATCHED = _Candidate((True, 1, 0, 1), False, -1, (0, 0, ""))


def _alternative_delta(option: Any, index: int, rel: tuple[str, ...], request: bool) -> Delta:
    if request:
        return Delta(
            "alternative-removed",
            REQUEST,
            rel,
            f"alternative {index} ({_label(option)}) was removed: a client sending that shape is refused",
        )
    return Delta(
        "alternative-added",
        RESPONSE,
        rel,
        f"alternative {index} ({_label(option)}) was added: a client meets a shape it cannot read",
    )


_FOLDED = {
    "removed": "lacks required properties the old schema promised",
    "became-optional": "no longer promises properties the old schema required",
}


def _fold_missing_properties(found: tuple[Delta, ...]) -> tuple[Delta, ...]:
    """One change for an alternative that lacks several promised properties, instead of one per property."""
    result = list(found)
    for suffix, wording in _FOLDED.items():
        group = [
            d
            for d in result
            if d.suffix == suffix and d.level is Level.BREAKING and len(d.rel) == 2 and d.cycle is None
        ]
        if len(group) < 2:
            continue
        names = ", ".join(repr(d.rel[1]) for d in group[:8]) + (f" and {len(group) - 8} more" if len(group) > 8 else "")
        result = [Delta(suffix, group[0].direction, (), f"this alternative {wording}: {names}")] + [
            d for d in result if d not in group
        ]
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
    return any(_accepts_null(document, document_shape(document, option), seen) for option in shape.alternatives)


def join_pointer(ref: str, rel: Iterable[str]) -> str:
    """A JSON pointer below `ref`."""
    return ref + "".join("/" + pointer_part(part) for part in rel)


def _dedupe_deltas(deltas: Iterable[Delta]) -> Iterator[Delta]:
    # The same change in one shared component, reached along several routes, is one change.
    seen: set[tuple[str, str, str]] = set()
    for delta in sorted(deltas, key=lambda d: len(d.rel)):
        key = (delta.suffix, delta.origin or join_pointer("", delta.rel), delta.message)
        if key not in seen:
            seen.add(key)
            yield delta
