"""A provider's description as the compatibility engine judges it: the document with the provider's overlay applied
(the corrections recorded reality justified), so that the old and the new description are read the same way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contractkit.core.model import Provider
from contractkit.openapi import OverlayEntry, apply_overlay, load_overlay, pointer_parts
from contractkit.validation import SpecValidator, provider_overlay_path

__all__ = ["description_validator"]


def description_validator(provider: Provider, document: Mapping[str, Any], *, source: str = "") -> SpecValidator:
    """A validator of `document` (any version of the provider's description) with the provider's overlay applied;
    overlay entries that no longer apply to this version are left out rather than refused."""
    overlay_path = provider_overlay_path(provider)
    if overlay_path is not None and overlay_path.is_file():
        overlay = load_overlay(overlay_path)
        skipped = [entry.id for entry in overlay.entries if not _applies(document, entry)]
        document = apply_overlay(document, overlay, skip=skipped)
    return SpecValidator(document, source=source, base_paths=(provider.base_path,))


def _applies(document: Mapping[str, Any], entry: OverlayEntry) -> bool:
    """Whether a correction has its place in this version: its parent exists, and its target too unless it adds."""
    parts = pointer_parts("#" + entry.path)
    node: Any = document
    for position, part in enumerate(parts):
        last = position == len(parts) - 1
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return last and entry.op == "add" and isinstance(node, Mapping)
    return True
