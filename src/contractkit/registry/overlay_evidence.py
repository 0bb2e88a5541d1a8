"""Overlay evidence: which quirks-overlay corrections recorded reality still needs.

A correction is no longer needed when every recorded response and pact interaction gives the same result
without it; `contracts lint` and `contracts verify` report it (CK431) so corrections retire themselves.
"""

from __future__ import annotations

from typing import Any, Iterator

from contractkit.cassettes import iter_cassettes
from contractkit.core.codes import Code
from contractkit.core.model import Finding, Provider, Severity
from contractkit.openapi.documents import load_spec_document
from contractkit.openapi.overlays import OverlayError, apply_overlay, load_overlay
from contractkit.pact.reader import load_pact
from contractkit.registry.context import ProviderContext
from contractkit.validation import SpecValidator
from contractkit.validation.pacts import iter_interaction_findings


def iter_unneeded_entries(context: ProviderContext) -> Iterator[Finding]:
    """Findings for overlay entries that every recorded response and pact interaction passes without."""
    registry, provider = context.registry, context.provider
    overlay_path = context.settings.overlay
    if overlay_path is None or provider.spec is None:
        return
    overlay = load_overlay(overlay_path)
    base = load_spec_document(provider.spec)
    samples = _samples(context)
    if not samples:
        return  # with nothing recorded there is no evidence either way
    with_all = _failures(apply_overlay(base, overlay), provider, samples)
    for entry in overlay.entries:
        without = _failures(apply_overlay(base, overlay, skip=[entry.id]), provider, samples)
        if without <= with_all:
            yield Finding(Code.OVERLAY_UNNEEDED, Severity.WARNING,
                          f"overlay correction {entry.id!r} is no longer needed: all {len(samples)} recorded responses and "
                          f"pact interactions give the same result without it (observed {entry.provenance.observed}, "
                          f"{entry.provenance.reference}); remove it",
                          f"{registry.relative(overlay_path)}:{entry.line}" if entry.line else registry.relative(overlay_path),
                          provider.name)


def iter_overlay_lint(context: ProviderContext) -> Iterator[tuple[str, OverlayError, bool]]:
    """(code, error, is_warning) for `contracts lint`: an overlay that is malformed or does not apply to the slice
    is an error (CK430); a correction no recording or pact needs any more is a warning (CK431)."""
    registry, provider = context.registry, context.provider
    path = context.settings.overlay
    if path is None or provider.spec is None or not provider.spec.is_file():
        return
    shown = registry.relative(path)
    try:
        overlay = load_overlay(path)
        apply_overlay(load_spec_document(provider.spec), overlay)
        unneeded = list(iter_unneeded_entries(context))
    except OverlayError as exc:
        exc.file = shown
        yield Code.OVERLAY_INVALID, exc, False
        return
    lines = {f"{shown}:{entry.line}": entry.line for entry in overlay.entries}
    for finding in unneeded:
        message = finding.message.replace("overlay correction", "correction", 1)
        yield Code.OVERLAY_UNNEEDED, OverlayError(message, file=shown, line=lines.get(finding.location)), True


def _samples(context: ProviderContext) -> list[tuple[str, Any]]:
    registry, provider = context.registry, context.provider

    samples: list[tuple[str, Any]] = []
    if provider.cassettes is not None and provider.cassettes.is_dir():
        for cassette in iter_cassettes(provider.cassettes):
            for interaction in cassette.interactions:
                name = interaction.operation or cassette.operation
                if name in provider.operations and provider.operations[name].method:
                    samples.append(("response", (provider.operations[name], interaction.response)))
    pact_path = registry.pact_file(provider.name)
    if pact_path.is_file():
        samples += [("pact", interaction) for interaction in load_pact(pact_path).interactions]
    return samples


def _failures(document: dict[str, Any], provider: Provider, samples: list[tuple[str, Any]]) -> set[int]:

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


__all__ = ["iter_unneeded_entries", "iter_overlay_lint"]
