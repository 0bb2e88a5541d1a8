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

Validation applies every correction to the slice. `iter_unneeded_entries` reports each correction that no
recorded response and no pact interaction needs any more (everything that passes with it also passes
without it), so corrections retire themselves when the vendor fixes its description.

Finding codes: CK431 an overlay entry is no longer needed.
"""

from __future__ import annotations

import copy
import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

from contractkit.core.errors import SchemaLoadError
from contractkit.core.model import Finding, Severity

if TYPE_CHECKING:
    from contractkit.core.model import Provider, Registry
    from contractkit.validation import SpecValidator

UNNEEDED = "CK431"
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
    from contractkit.core.loading import load_source

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
            raise OverlayError(f"duplicate correction id {entry.id!r}", file=path, key_path=key_path + ("id",),
                               line=document.line_of(key_path + ("id",)))
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
    return OverlayEntry(str(raw["id"]), raw["op"], raw["path"], raw.get("value"),
                        Provenance(str(provenance["reference"]), str(observed), str(provenance["reason"])), line)


def apply_overlay(document: Mapping[str, Any], overlay: Overlay, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    """A copy of the document with every correction applied in order (except the ids in `skip`)."""
    skipped = set(skip)
    patched = copy.deepcopy(dict(document))
    for entry in overlay.entries:
        if entry.id not in skipped:
            _apply(patched, entry, overlay.path)
    return patched


def _apply(document: dict[str, Any], entry: OverlayEntry, source: Path) -> None:
    from contractkit.specs import pointer_parts

    parts = pointer_parts("#" + entry.path)
    parent: Any = document
    for part in parts[:-1]:
        try:
            parent = parent[int(part)] if isinstance(parent, list) else parent[part]
        except (KeyError, IndexError, ValueError, TypeError):
            raise OverlayError(f"correction {entry.id!r}: {entry.path} does not exist in the slice (no {part!r})",
                               file=source, key_path=("corrections", entry.id, "path"), line=entry.line,
                               hint="re-import the slice or fix the pointer") from None
    last = parts[-1] if parts else ""
    exists = isinstance(parent, dict) and last in parent
    if entry.op in ("replace", "remove", "merge") and not exists:
        raise OverlayError(f"correction {entry.id!r}: {entry.path} does not exist in the slice, nothing to {entry.op}",
                           file=source, key_path=("corrections", entry.id, "path"), line=entry.line)
    if not isinstance(parent, dict):
        raise OverlayError(f"correction {entry.id!r}: {entry.path} does not point into a mapping", file=source,
                           line=entry.line)
    if entry.op == "remove":
        del parent[last]
    elif entry.op == "merge":
        parent[last] = {**parent[last], **copy.deepcopy(entry.value)}
    else:
        parent[last] = copy.deepcopy(entry.value)


# --------------------------------------------------------------------------- self-retirement

def iter_unneeded_entries(registry: Registry, provider: Provider) -> Iterator[Finding]:
    """Findings for overlay entries that every recorded response and pact interaction passes without."""
    from contractkit.specs import load_spec_document
    from contractkit.validation import provider_overlay_path

    overlay_path = provider_overlay_path(provider)
    if overlay_path is None or provider.spec is None:
        return
    overlay = load_overlay(overlay_path)
    base = load_spec_document(provider.spec)
    samples = _samples(registry, provider)
    if not samples:
        return  # with nothing recorded there is no evidence either way
    with_all = _failures(apply_overlay(base, overlay), provider, samples)
    for entry in overlay.entries:
        without = _failures(apply_overlay(base, overlay, skip=[entry.id]), provider, samples)
        if without <= with_all:
            yield Finding(UNNEEDED, Severity.WARNING,
                          f"overlay correction {entry.id!r} is no longer needed: all {len(samples)} recorded responses and "
                          f"pact interactions give the same result without it (observed {entry.provenance.observed}, "
                          f"{entry.provenance.reference}); remove it",
                          f"{_display(registry, overlay_path)}:{entry.line}" if entry.line else _display(registry, overlay_path),
                          provider.name)


def iter_overlay_lint(registry: Registry, provider: Provider) -> Iterator[tuple[str, OverlayError, bool]]:
    """(code, error, is_warning) for `contracts lint`: an overlay that is malformed or does not apply to the slice
    is an error (CK430); a correction no recording or pact needs any more is a warning (CK431)."""
    from contractkit.specs import load_spec_document
    from contractkit.validation import provider_overlay_path

    path = provider_overlay_path(provider)
    if path is None or provider.spec is None or not provider.spec.is_file():
        return
    shown = _display(registry, path)
    try:
        overlay = load_overlay(path)
        apply_overlay(load_spec_document(provider.spec), overlay)
        unneeded = list(iter_unneeded_entries(registry, provider))
    except OverlayError as exc:
        exc.file = shown
        yield "CK430", exc, False
        return
    lines = {f"{shown}:{entry.line}": entry.line for entry in overlay.entries}
    for finding in unneeded:
        message = finding.message.replace("overlay correction", "correction", 1)
        yield UNNEEDED, OverlayError(message, file=shown, line=lines.get(finding.location)), True


def _display(registry: Registry, path: Path) -> str:

    return registry.relative(path)


def _samples(registry: Registry, provider: Provider) -> list[tuple[str, Any]]:
    from contractkit.cassettes import iter_cassettes
    from contractkit.pactcheck import http_interactions, read_pact

    samples: list[tuple[str, Any]] = []
    if provider.cassettes is not None and provider.cassettes.is_dir():
        for cassette in iter_cassettes(provider.cassettes):
            for interaction in cassette.interactions:
                name = interaction.operation or cassette.operation
                if name in provider.operations and provider.operations[name].method:
                    samples.append(("response", (provider.operations[name], interaction.response)))
    pact_path = registry.pact_file(provider.name)
    if pact_path.is_file():
        samples += [("pact", interaction) for interaction in http_interactions(read_pact(pact_path))]
    return samples


def _failures(document: dict[str, Any], provider: Provider, samples: list[tuple[str, Any]]) -> set[int]:
    from contractkit.pactcheck import iter_interaction_findings
    from contractkit.validation import SpecValidator

    validator: SpecValidator = SpecValidator(document, source=str(provider.spec), base_paths=(provider.base_path,))
    failed = set()
    for index, (kind, sample) in enumerate(samples):
        if kind == "response":
            operation, response = sample
            findings = validator.validate(operation.method, operation.path, response.status, response.headers, response.body)
        else:
            findings = [f for f in iter_interaction_findings(sample, validator) if f.severity is Severity.ERROR]
        if findings:
            failed.add(index)
    return failed


__all__ = ["Overlay", "OverlayEntry", "Provenance", "OverlayError", "load_overlay", "apply_overlay",
           "iter_unneeded_entries", "iter_overlay_lint"]
