"""Keyword by keyword: how one schema shape differs from another, judged in one direction.

A request (client sends) may accept more but not less; a response (client reads) may produce less but not
more. Every function here is pure: two shapes and a direction in, `Delta`s relative to the schema out.
"""

from __future__ import annotations

import math
from typing import Any

from contractkit.diff.model import REQUEST, RESPONSE, Delta
from contractkit.diff.schemashape import LOWER_BOUNDS, UPPER_BOUNDS, Shape, accepts_type

__all__ = [
    "compare_all_of",
    "compare_bounds",
    "compare_default",
    "compare_discriminator",
    "compare_enum",
    "compare_extensible_enum",
    "compare_format",
    "compare_nullability",
    "compare_types",
    "describe_types",
    "overlap",
    "property_added",
    "property_removed",
    "required_without_property",
    "requiredness",
    "value_deltas",
]


def value_deltas(old: Shape, new: Shape, direction: str) -> list[Delta]:
    """The changes to the value itself (not its properties or items): type, null, enum, bounds, format, ..."""
    found = compare_nullability(old, new, direction) + compare_types(old, new, direction)
    if found and old.types and new.types and not overlap(old.types, new.types):
        return found
    return (
        found
        + compare_enum(old, new, direction)
        + compare_extensible_enum(old, new, direction)
        + compare_bounds(old, new, direction)
        + compare_format(old, new, direction)
        + compare_default(old, new, direction)
        + compare_all_of(old, new, direction)
    )


# ---------------------------------------------------------------- types and null


def describe_types(types: frozenset[str] | None, nullable: bool = False) -> str:
    """`string or integer`, `any type`, `null`."""
    if types is None:
        text = "any type"
    elif not types:
        text = "null"
    else:
        text = " or ".join(sorted(types))
    return text + (" (nullable)" if nullable and types else "")


def overlap(left: frozenset[str], right: frozenset[str]) -> bool:
    """Whether two sets of types share a value (an integer is a number)."""
    return any(accepts_type(kind, right) for kind in left) or any(accepts_type(kind, left) for kind in right)


def compare_types(old: Shape, new: Shape, direction: str) -> list[Delta]:
    """Types lost (request) or gained (response) break; the other way round is informational."""
    lost = _lost_types(old.types, new.types)
    gained = _lost_types(new.types, old.types)
    if not lost and not gained:
        return []
    message = f"type changed from {describe_types(old.types)} to {describe_types(new.types)}"
    if direction == REQUEST:
        return (
            [Delta("type-changed", direction, (), message)] if lost else [Delta("type-widened", direction, (), message)]
        )
    return (
        [Delta("type-changed", direction, (), message)] if gained else [Delta("type-narrowed", direction, (), message)]
    )


def _lost_types(source: frozenset[str] | None, target: frozenset[str] | None) -> bool:
    if target is None:
        return False
    if source is None:
        return True
    return any(not accepts_type(kind, target) for kind in source)


def compare_nullability(old: Shape, new: Shape, direction: str) -> list[Delta]:
    """null newly accepted breaks a reader; null no longer accepted breaks a sender."""
    if old.nullable == new.nullable:
        return []
    if new.nullable:
        return [Delta("became-nullable", direction, (), "can now be null")]
    return [Delta("became-not-nullable", direction, (), "can no longer be null")]


# ---------------------------------------------------------------- enums


def compare_enum(old: Shape, new: Shape, direction: str) -> list[Delta]:
    """Enum values removed break a sender; values added surprise a reader (a warning)."""
    if old.enum == new.enum:
        return []
    if new.enum is None:
        return [Delta("enum-value-added", direction, (), "is no longer limited to an enum")]
    if old.enum is None:
        return [Delta("enum-value-removed", direction, (), f"is now limited to {_values(new.enum)}")]
    if len(old.enum) == 1 and len(new.enum) == 1:  # a const (or an enum of one): the one value became another
        return [Delta("const-changed", direction, (), f"const changed from {_values(old.enum)} to {_values(new.enum)}")]
    deltas = []
    removed, added = old.enum - new.enum, new.enum - old.enum
    if removed:
        deltas.append(
            Delta(
                "enum-value-removed",
                direction,
                (),
                f"enum value{'s' if len(removed) > 1 else ''} {_values(removed)} removed",
            )
        )
    if added:
        deltas.append(
            Delta(
                "enum-value-added", direction, (), f"enum value{'s' if len(added) > 1 else ''} {_values(added)} added"
            )
        )
    return deltas


def compare_extensible_enum(old: Shape, new: Shape, direction: str) -> list[Delta]:
    """x-extensible-enum: values may be added in either direction, but a value a client sends may not go."""
    if old.extensible_enum is None or new.extensible_enum is None or old.extensible_enum == new.extensible_enum:
        return []
    deltas = []
    removed, added = old.extensible_enum - new.extensible_enum, new.extensible_enum - old.extensible_enum
    if removed:
        deltas.append(
            Delta(
                "extensible-enum-value-removed",
                direction,
                (),
                f"x-extensible-enum value{'s' if len(removed) > 1 else ''} {_values(removed)} removed",
            )
        )
    if added:
        deltas.append(
            Delta(
                "extensible-enum-value-added",
                direction,
                (),
                f"x-extensible-enum value{'s' if len(added) > 1 else ''} {_values(added)} added",
            )
        )
    return deltas


def _values(values: frozenset[str]) -> str:
    shown = sorted(values)
    text = ", ".join(shown[:6])
    return text + (f" and {len(shown) - 6} more" if len(shown) > 6 else "")


# ---------------------------------------------------------------- bounds and constraints

_PAIRED = {"minimum": "exclusiveMinimum", "maximum": "exclusiveMaximum"}
_BOUND_KEYS = tuple(key for key in UPPER_BOUNDS + LOWER_BOUNDS if key not in _PAIRED.values())


def compare_bounds(old: Shape, new: Shape, direction: str) -> list[Delta]:
    """Lengths, ranges, counts, pattern, multipleOf, uniqueItems, contains, dependentRequired, closed tuples."""
    if old.enum is not None and old.enum == new.enum:
        return []  # the same listed values on both sides: no bound can let another value in or keep one out
    tightened: list[str] = []
    loosened: list[str] = []
    for key in _BOUND_KEYS if (old.bounds or new.bounds) else ():  # no bound on either side: none moved
        before, after = _effective(old, key), _effective(new, key)
        if before != after:
            _sort_bound(key, before, after, tightened, loosened)
    deltas = _pattern_deltas(old, new, direction, tightened, loosened)
    _compare_multiple_of(old, new, tightened, loosened)
    _compare_flag("uniqueItems", old.unique_items, new.unique_items, tightened, loosened)
    _compare_flag(
        "closed tuple (items/unevaluatedItems: false)", old.closed_items, new.closed_items, tightened, loosened
    )
    _compare_flag("contains", old.contains is not None, new.contains is not None, tightened, loosened)
    _compare_dependent_required(old, new, tightened, loosened)
    _compare_keys("dependentSchemas", old.dependent_schemas, new.dependent_schemas, tightened, loosened)
    return deltas + _bound_deltas(tightened, loosened, direction)


def _effective(shape: Shape, key: str) -> tuple[float, bool] | None:
    """A bound with whether it is exclusive; `minimum` and `exclusiveMinimum` (3.1: a number) read as one, and a
    bound the integer format already implies (`maximum: 2147483647` on an int32) reads as none."""
    bound = _written(shape, key)
    if bound is not None and key in _PAIRED and shape.types == frozenset({"integer"}):
        bound = _whole(bound, upper=key in UPPER_BOUNDS)
    limits = _FORMAT_RANGE.get(shape.format or "")
    if bound is None or limits is None or key not in _PAIRED:
        return bound
    lowest, highest = limits
    implied = bound[0] >= highest if key == "maximum" else bound[0] <= lowest
    return None if implied and not bound[1] else bound


def _whole(bound: tuple[float, bool], *, upper: bool) -> tuple[float, bool]:
    """An integer's bound as the inclusive whole number it means: `exclusiveMinimum: 0` is `minimum: 1`."""
    value, exclusive = bound
    if upper:
        return float(math.ceil(value) - 1 if exclusive else math.floor(value)), False
    return float(math.floor(value) + 1 if exclusive else math.ceil(value)), False


def _written(shape: Shape, key: str) -> tuple[float, bool] | None:
    exclusive_key = _PAIRED.get(key)
    plain = shape.bounds.get(key)
    exclusive = shape.bounds.get(exclusive_key) if exclusive_key else None
    if exclusive is None:
        return None if plain is None else (plain, False)
    if plain is None:
        return exclusive, True
    upper = key in UPPER_BOUNDS
    tighter_plain = plain < exclusive if upper else plain > exclusive
    return (plain, False) if tighter_plain else (exclusive, True)


_FORMAT_RANGE = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def _sort_bound(
    key: str,
    before: tuple[float, bool] | None,
    after: tuple[float, bool] | None,
    tightened: list[str],
    loosened: list[str],
) -> None:
    text = f"{key} {_bound_text(before)} -> {_bound_text(after)}"
    if before is None:
        tightened.append(text)
    elif after is None:
        loosened.append(text)
    else:
        upper = key in UPPER_BOUNDS
        # Compare (value, exclusive): for an upper bound a smaller value or the same value made exclusive is tighter.
        tighter = (
            (after[0], not after[1]) < (before[0], not before[1])
            if upper
            else (after[0], after[1]) > (before[0], before[1])
        )
        (tightened if tighter else loosened).append(text)


def _bound_text(bound: tuple[float, bool] | None) -> str:
    if bound is None:
        return "none"
    return _number(bound[0]) + (" (exclusive)" if bound[1] else "")


def _pattern_deltas(old: Shape, new: Shape, direction: str, tightened: list[str], loosened: list[str]) -> list[Delta]:
    """A pattern added (a value must match them all) tightens and one removed loosens; one replaced by another
    cannot be judged, since whether one expression accepts less than another is not decided here (a warning)."""
    added, removed = sorted(new.patterns - old.patterns), sorted(old.patterns - new.patterns)
    if added and removed:
        return [
            Delta(
                "pattern-changed",
                direction,
                (),
                f"pattern {_patterns(removed)} -> {_patterns(added)}: values "
                "that matched the old pattern may not match the new one",
            )
        ]
    if added:
        tightened.append(f"pattern {_patterns(added)} added")
    if removed:
        loosened.append(f"pattern {_patterns(removed)} removed")
    return []


def _patterns(patterns: list[str]) -> str:
    return " and ".join(repr(pattern) for pattern in patterns)


def _compare_multiple_of(old: Shape, new: Shape, tightened: list[str], loosened: list[str]) -> None:
    before, after = old.multiple_of, new.multiple_of
    if before == after:
        return
    text = f"multipleOf {_number(before)} -> {_number(after)}"
    if after is None or (before is not None and after and (before / after).is_integer()):
        loosened.append(text)  # every multiple of the old is a multiple of the new
    elif before is None or (before and (after / before).is_integer()):
        tightened.append(text)  # every multiple of the new is a multiple of the old
    else:  # neither: some old values are refused and some new ones are unexpected
        tightened.append(text)
        loosened.append(text)


def _compare_flag(name: str, before: bool, after: bool, tightened: list[str], loosened: list[str]) -> None:
    if after and not before:
        tightened.append(f"{name} added")
    elif before and not after:
        loosened.append(f"{name} removed")


def _compare_dependent_required(old: Shape, new: Shape, tightened: list[str], loosened: list[str]) -> None:
    for key in sorted(old.dependent_required.keys() | new.dependent_required.keys()):
        before = old.dependent_required.get(key, frozenset())
        after = new.dependent_required.get(key, frozenset())
        if after - before:
            tightened.append(f"dependentRequired {key!r} now also needs {', '.join(sorted(after - before))}")
        if before - after:
            loosened.append(f"dependentRequired {key!r} no longer needs {', '.join(sorted(before - after))}")


def _compare_keys(
    name: str, old: dict[str, Any], new: dict[str, Any], tightened: list[str], loosened: list[str]
) -> None:
    if new.keys() - old.keys():
        tightened.append(f"{name} added for {', '.join(sorted(new.keys() - old.keys()))}")
    if old.keys() - new.keys():
        loosened.append(f"{name} removed for {', '.join(sorted(old.keys() - new.keys()))}")


def _bound_deltas(tightened: list[str], loosened: list[str], direction: str) -> list[Delta]:
    deltas = []
    if tightened:
        deltas.append(Delta("constraint-tightened", direction, (), "constraint tightened: " + "; ".join(tightened)))
    if loosened:
        # A reader sized a buffer or a column to the old bound (a commit sha of 40 characters).
        deltas.append(Delta("constraint-loosened", direction, (), "constraint loosened: " + "; ".join(loosened)))
    return deltas


def _number(value: float | None) -> str:
    if value is None:
        return "none"
    return str(int(value)) if float(value).is_integer() else str(value)


# ---------------------------------------------------------------- format, default, allOf, discriminator

# Numeric formats order by range: a wider one accepts every value of a narrower one.
_NUMBER_FORMAT_RANK = {"int32": 1, "float": 1, "int64": 2, "double": 2}


def compare_format(old: Shape, new: Shape, direction: str) -> list[Delta]:
    """Format changes; on numbers only a narrower range (request) or a wider one (response) matters."""
    if old.format == new.format:
        return []
    message = f"format changed from {old.format or 'none'} to {new.format or 'none'}"
    if {old.format, new.format} <= {None, *_NUMBER_FORMAT_RANK}:
        before, after = _NUMBER_FORMAT_RANK.get(old.format or "", 2), _NUMBER_FORMAT_RANK.get(new.format or "", 2)
        narrowed = after < before if direction == REQUEST else after > before
        return [Delta("format-changed", direction, (), message)] if narrowed else []
    if direction == REQUEST and new.format is None or direction == RESPONSE and old.format is None:
        return []  # the new side accepts (request) or the client expects (response) any format
    return [Delta("format-changed", direction, (), message)]


def compare_default(old: Shape, new: Shape, direction: str) -> list[Delta]:
    """A client that omits a value gets the default: changing it changes what the call does."""
    if direction != REQUEST or old.default is None or old.default == new.default:
        return []
    return [Delta("default-changed", direction, (), f"default changed from {old.default} to {new.default or 'none'}")]


def compare_all_of(old: Shape, new: Shape, direction: str) -> list[Delta]:
    """A component newly combined into an allOf adds its constraints (judged only when both sides use allOf)."""
    if not old.all_of_refs or not new.all_of_refs:
        return []
    added = new.all_of_refs - old.all_of_refs
    if not added or len(new.all_of_refs) <= len(old.all_of_refs):
        return []
    return [Delta("all-of-added", direction, (), f"allOf now also requires {', '.join(sorted(added))}")]


def compare_discriminator(old: Shape, new: Shape, direction: str) -> list[Delta]:
    """The discriminator property and its mapping: which value selects which schema."""
    if old.discriminator is None or new.discriminator is None or old.discriminator == new.discriminator:
        return []
    (old_name, old_map), (new_name, new_map) = old.discriminator, new.discriminator
    if old_name != new_name:
        return [
            Delta(
                "discriminator-property-changed", direction, (), f"discriminator property {old_name!r} -> {new_name!r}"
            )
        ]
    before, after = dict(old_map), dict(new_map)
    removed, added = before.keys() - after.keys(), after.keys() - before.keys()
    moved = {key for key in before.keys() & after.keys() if _tail(before[key]) != _tail(after[key])}
    if moved or (removed and added):
        suffix = "discriminator-mapping-changed"
    else:  # only removed: a sender's value no longer selects a schema; only added: a reader cannot dispatch a value
        suffix = "discriminator-mapping-value-removed" if removed else "discriminator-mapping-value-added"
    parts = [
        f"{verb} {', '.join(sorted(keys))}"
        for verb, keys in (("removed", removed), ("added", added), ("retargeted", moved))
        if keys
    ]
    return [Delta(suffix, direction, (), "discriminator mapping " + "; ".join(parts))]


def _tail(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


# ---------------------------------------------------------------- properties


def property_removed(name: str, rel: tuple[str, ...], old: Shape, new: Shape, direction: str) -> Delta:
    """A property gone: a reader loses it; a sender still sends it (fatal only where unknown ones are refused)."""
    if direction == REQUEST:
        if new.additional is False:
            return Delta(
                "removed-closed", direction, rel, f"property {name!r} removed where unknown properties are refused"
            )
        return Delta("removed", direction, rel, f"property {name!r} removed")
    if name in old.required:
        return Delta("removed", direction, rel, f"required property {name!r} removed")
    return Delta("optional-property-removed", direction, rel, f"optional property {name!r} removed")


def property_added(name: str, rel: tuple[str, ...], old: Shape, new: Shape, direction: str) -> list[Delta]:
    """A new property: required ones break senders; in a closed response object it surprises readers."""
    if direction == REQUEST and name in new.required:
        return [Delta("added-required", direction, rel, f"required property {name!r} added")]
    if direction == RESPONSE and old.additional is False:
        return [
            Delta("added-closed", direction, rel, f"property {name!r} added where additional properties were forbidden")
        ]
    return [Delta("added", direction, rel, f"property {name!r} added")]


def requiredness(name: str, rel: tuple[str, ...], old: Shape, new: Shape, direction: str) -> list[Delta]:
    """Newly required breaks a sender; newly optional breaks a reader."""
    was, now = name in old.required, name in new.required
    if was == now:
        return []
    if now:
        return [Delta("became-required", direction, rel, f"property {name!r} became required")]
    return [Delta("became-optional", direction, rel, f"property {name!r} became optional")]


def required_without_property(old: Shape, new: Shape, direction: str) -> list[Delta]:
    """`required: [x]` with no `properties.x` still obliges a sender to send x, and promises a reader x."""
    deltas = []
    # walk the required names (a few), not the properties (maybe hundreds)
    undefined_old = {name for name in old.required if name not in old.properties and name not in new.properties}
    undefined_new = {name for name in new.required if name not in old.properties and name not in new.properties}
    if direction == REQUEST:
        for name in sorted(undefined_new - old.required):
            deltas.append(Delta("added-required", direction, ("properties", name), f"required property {name!r} added"))
    else:
        for name in sorted(undefined_old - new.required):
            deltas.append(
                Delta("became-optional", direction, ("properties", name), f"property {name!r} became optional")
            )
    return deltas
