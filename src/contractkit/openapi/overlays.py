"""Quirks overlays: corrections to a vendor's spec slice, each with provenance, that retire themselves.

A provider's `overlay` key in registry.yaml points to a YAML file such as:

    version: 1
    corrections:
      - id: search-folder-uid-nullable
        op: add                                  # add | replace | remove | merge
        path: /components/schemas/Hit/properties/folderUid/nullable   # JSON pointer into the slice
        value: true
        provenance:
          reference: https://github.com/grafana/grafana/issues/12345   # a link or a ticket reference
          observed: 2026-11-22                                          # the date the real response was seen
          reason: real responses carry null for dashboards in the General folder

Validation applies every correction to the slice; `contractkit.registry.overlay_evidence` reports each
correction that no recorded response and no pact interaction needs any more, so corrections retire
themselves when the vendor fixes its description.
"""

from __future__ import annotations

import copy
import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from contractkit.core.errors import SchemaLoadError
from contractkit.core.loading import load_source
from contractkit.openapi.documents import pointer_parts

_OPS = ("add", "replace", "remove", "merge")


class OverlayError(SchemaLoadError):
    """An overlay file is malformed, or a correction does not apply to the slice."""


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a correction comes from: a link or reference, the date it was observed, and why."""

    reference: str
    observed: str
    reason: str


@dataclass(frozen=True, slots=True)
class OverlayEntry:
    """One correction: a JSON-pointer patch to the slice, with its provenance and its line in the file."""

    id: str
    op: str
    path: str
    value: Any
    provenance: Provenance
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Overlay:
    """An overlay file: its corrections in order."""

    path: Path
    entries: tuple[OverlayEntry, ...]


def load_overlay(path: str | Path) -> Overlay:
    """Read and check an overlay file; raises OverlayError naming the file, key path and line."""

    path = Path(path)
    document = load_source(path, OverlayError)
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("corrections"), list):
        raise OverlayError("expected a mapping with a 'corrections' list", file=path, line=1)
    entries, seen = [], set()
    for index, raw in enumerate(data["corrections"]):
        key_path = ("corrections", index)
        entry = _entry(raw, path, key_path, document.line_of(key_path), document.line_of)
        if entry.id in seen:
            raise OverlayError(
                f"duplicate correction id {entry.id!r}",
                file=path,
                key_path=key_path + ("id",),
                line=document.line_of(key_path + ("id",)),
            )
        seen.add(entry.id)
        entries.append(entry)
    return Overlay(path, tuple(entries))


def _entry(raw: Any, path: Path, key_path: tuple[str | int, ...], line: int | None, line_of: Any) -> OverlayEntry:
    def fail(message: str, *keys: str) -> OverlayError:
        return OverlayError(message, file=path, key_path=key_path + keys, line=line_of(key_path + keys))

    if not isinstance(raw, dict):
        raise fail("expected a mapping with id, op, path, value and provenance")
    for key in ("id", "op", "path", "provenance"):
        if key not in raw:
            raise fail(f"missing required key {key!r}")
    if raw["op"] not in _OPS:
        raise fail(f"expected one of {', '.join(_OPS)}, got {raw['op']!r}", "op")
    if not isinstance(raw["path"], str) or not raw["path"].startswith("/"):
        raise fail(f"expected a JSON pointer such as /components/schemas/Hit, got {raw['path']!r}", "path")
    if raw["op"] != "remove" and "value" not in raw:
        raise fail(f"op {raw['op']!r} needs a 'value'")
    if raw["op"] == "merge" and not isinstance(raw.get("value"), dict):
        raise fail("op 'merge' needs a mapping as its value", "value")
    provenance = raw["provenance"]
    if not isinstance(provenance, dict):
        raise fail("expected a mapping with reference, observed and reason", "provenance")
    for key in ("reference", "observed", "reason"):
        if not provenance.get(key):
            raise fail(f"missing required key {key!r}: every correction says where it comes from", "provenance")
    observed = provenance["observed"]
    if isinstance(observed, str):
        try:
            _dt.date.fromisoformat(observed)
        except ValueError:
            raise fail(f"expected a date such as 2026-11-22, got {observed!r}", "provenance", "observed") from None
    return OverlayEntry(
        str(raw["id"]),
        raw["op"],
        raw["path"],
        raw.get("value"),
        Provenance(str(provenance["reference"]), str(observed), str(provenance["reason"])),
        line,
    )


def apply_overlay(document: Mapping[str, Any], overlay: Overlay, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    """A copy of the document with every correction applied in order (except the ids in `skip`)."""
    skipped = set(skip)
    patched = copy.deepcopy(dict(document))
    for entry in overlay.entries:
        if entry.id not in skipped:
            _apply(patched, entry, overlay.path)
    return patched


def _apply(document: dict[str, Any], entry: OverlayEntry, source: Path) -> None:
    parts = pointer_parts("#" + entry.path)
    parent: Any = document
    for part in parts[:-1]:
        try:
            parent = parent[int(part)] if isinstance(parent, list) else parent[part]
        except (KeyError, IndexError, ValueError, TypeError):
            raise OverlayError(
                f"correction {entry.id!r}: {entry.path} does not exist in the slice (no {part!r})",
                file=source,
                key_path=("corrections", entry.id, "path"),
                line=entry.line,
                hint="re-import the slice or fix the pointer",
            ) from None
    last = parts[-1] if parts else ""
    exists = isinstance(parent, dict) and last in parent
    if entry.op in ("replace", "remove", "merge") and not exists:
        raise OverlayError(
            f"correction {entry.id!r}: {entry.path} does not exist in the slice, nothing to {entry.op}",
            file=source,
            key_path=("corrections", entry.id, "path"),
            line=entry.line,
        )
    if not isinstance(parent, dict):
        raise OverlayError(
            f"correction {entry.id!r}: {entry.path} does not point into a mapping", file=source, line=entry.line
        )
    if entry.op == "remove":
        del parent[last]
    elif entry.op == "merge":
        parent[last] = {**parent[last], **copy.deepcopy(entry.value)}
    else:
        parent[last] = copy.deepcopy(entry.value)


__all__ = ["Overlay", "OverlayEntry", "Provenance", "OverlayError", "load_overlay", "apply_overlay"]
