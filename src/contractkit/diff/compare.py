"""Breaking changes between two API descriptions, judged by direction: what a client sends vs what it receives.

A request schema may grow (accept more) but not shrink; a response schema may shrink (produce less) but not
grow. `diff_documents` walks operations, parameters, bodies and responses of two OpenAPI 3 documents
(Swagger 2.0 is converted first; see documents.py) and `diff_schemas` compares two plain JSON Schemas
(schemas.py, keywords.py). Inputs are checked first (checks.py), and the levels a project configured
(`gate.levels`) are applied last (rules.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from contractkit.core.errors import UsageError
from contractkit.diff.checks import check_description, check_schema
from contractkit.diff.documents import DocumentDiffer, root_delta
from contractkit.diff.model import (
    LEVEL_ORDER,
    REQUEST,
    RESPONSE,
    Change,
    DiffOptions,
    DiffResult,
)
from contractkit.diff.rules import apply_levels
from contractkit.diff.schemas import SchemaComparator
from contractkit.diff.schemashape import SchemaDocument
from contractkit.diff.sources import is_api_description, load_description
from contractkit.openapi import normalize_document

__all__ = ["diff_any", "diff_documents", "diff_schemas", "diff_sources", "is_breaking", "line_of_pointer", "ordered"]

_DEFAULT = DiffOptions()


def diff_sources(
    old: str, new: str, *, direction: str = RESPONSE, cwd: Path | None = None, options: DiffOptions = _DEFAULT
) -> DiffResult:
    """Load two descriptions (files or git:REF:path) and diff them."""
    old_doc, old_name = load_description(old, cwd=cwd)
    # the same file (or git:REF:path) on both sides is read once: the diff then compares the document with itself
    new_doc, new_name = (old_doc, old_name) if new == old else load_description(new, cwd=cwd)
    # load_description brought API descriptions to OpenAPI 3 already: not again
    return _diff_loaded(
        old_doc, new_doc, old_name=old_name, new_name=new_name, direction=direction, options=options, normalize=False
    )


def diff_any(
    old: Any, new: Any, *, old_name: str, new_name: str, direction: str = RESPONSE, options: DiffOptions = _DEFAULT
) -> DiffResult:
    """Diff two loaded documents: API descriptions operation by operation, JSON Schemas as one schema."""
    return _diff_loaded(
        old, new, old_name=old_name, new_name=new_name, direction=direction, options=options, normalize=True
    )


def _diff_loaded(
    old: Any, new: Any, *, old_name: str, new_name: str, direction: str, options: DiffOptions, normalize: bool
) -> DiffResult:
    old_api, new_api = is_api_description(old), is_api_description(new)
    if old_api != new_api:
        which = old_name if not old_api else new_name
        raise UsageError(f"cannot compare an API description with a plain JSON Schema ({which} is a JSON Schema)")
    if old_api:
        if normalize:
            old, new = normalize_document(old, display=old_name), normalize_document(new, display=new_name)
        return diff_documents(old, new, old_name=old_name, new_name=new_name, options=options)
    return diff_schemas(old, new, old_name=old_name, new_name=new_name, direction=direction, options=options)


def diff_documents(
    old: dict[str, Any],
    new: dict[str, Any],
    *,
    old_name: str = "old",
    new_name: str = "new",
    options: DiffOptions = _DEFAULT,
) -> DiffResult:
    """Every change between two OpenAPI 3 documents, breaking ones first; bad input raises SchemaLoadError."""
    notes = check_description(old, old_name, lenient=options.lenient)
    # one document under one name on both sides has the same problems: checked once, reported for each side
    notes += (
        notes
        if (new is old and new_name == old_name)
        else check_description(new, new_name, lenient=options.lenient, checked=old)
    )
    differ = DocumentDiffer(SchemaDocument(old, old_name), SchemaDocument(new, new_name), today=options.day())
    changes = apply_levels(differ.iter_changes(), options.levels)
    return DiffResult(old_name, new_name, ordered(changes), notes)


def diff_schemas(
    old: Any,
    new: Any,
    *,
    old_name: str = "old",
    new_name: str = "new",
    direction: str = RESPONSE,
    options: DiffOptions = _DEFAULT,
) -> DiffResult:
    """Changes between two JSON Schemas read as a request body (client sends) or a response (client receives)."""
    if direction not in (REQUEST, RESPONSE):
        raise UsageError(f"direction must be 'request' or 'response', got {direction!r}")
    check_schema(old, old_name)
    check_schema(new, new_name)
    comparator = SchemaComparator(SchemaDocument(old, old_name), SchemaDocument(new, new_name), today=options.day())
    deltas = comparator.compare(old, new, direction)
    changes = _dedupe([root_delta(delta, direction, "", "", "#") for delta in deltas])
    return DiffResult(old_name, new_name, ordered(apply_levels(changes, options.levels)))


def ordered(changes: Iterable[Change]) -> tuple[Change, ...]:
    """Breaking first, then warnings, then info; within a level by operation and location."""
    return tuple(sorted(changes, key=lambda c: (LEVEL_ORDER[c.level], c.path, c.method, c.location, c.rule)))


def _dedupe(changes: Iterable[Change]) -> list[Change]:
    seen: set[tuple[str, str]] = set()
    result = []
    for change in changes:
        key = (change.rule, change.origin or change.location + change.message)
        if key not in seen:
            seen.add(key)
            result.append(change)
    return result


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
