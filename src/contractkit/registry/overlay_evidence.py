"""Overlay evidence: which quirks-overlay corrections recorded reality still needs.

A correction is no longer needed when every recorded response and every consumer's pact interaction (ours and
those of the registry's `consumer_pacts` folders) gives the same result without it; `contracts lint` and
`contracts verify` report it (CK431) so corrections retire themselves. A pact interaction's result is the
compatibility engine's (compat/judge.py): whether it certainly fails against a provider honouring the description.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from contractkit.cassettes import iter_cassettes
from contractkit.compat import judge_interaction
from contractkit.core.codes import Code
from contractkit.core.model import Finding, Provider, Severity
from contractkit.openapi import OverlayError, apply_overlay, load_overlay, load_spec_document
from contractkit.pact import PactInteraction, load_pact, load_usage
from contractkit.registry.context import ProviderContext
from contractkit.validation import SpecValidator


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
            yield Finding(
                Code.OVERLAY_UNNEEDED,
                Severity.WARNING,
                f"overlay correction {entry.id!r} is no longer needed: all {len(samples)} recorded responses and "
                f"pact interactions give the same result without it (observed {entry.provenance.observed}, "
                f"{entry.provenance.reference}); remove it",
                f"{registry.relative(overlay_path)}:{entry.line}" if entry.line else registry.relative(overlay_path),
                provider.name,
            )


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
    provider = context.provider
    samples: list[tuple[str, Any]] = []
    if provider.cassettes is not None and provider.cassettes.is_dir():
        for cassette in iter_cassettes(provider.cassettes):
            for interaction in cassette.interactions:
                name = interaction.operation or cassette.operation
                if name in provider.operations and provider.operations[name].method:
                    samples.append(("response", (provider.operations[name], interaction.response)))
    samples += [("pact", interaction) for interaction in _pact_interactions(context)]
    return samples


def _pact_interactions(context: ProviderContext) -> list[PactInteraction]:
    """Every interaction of our pact with the provider, then those of the other consumers' pacts with it."""
    registry, provider = context.registry, context.provider
    pact_path = registry.pact_file(provider.name)
    ours = list(load_pact(pact_path).interactions) if pact_path.is_file() else []
    if not registry.settings.consumer_pacts:
        return ours  # no other consumer: the usage model would only read our pacts again
    others = [
        call.interaction
        for call in load_usage(registry, providers=[provider.name]).of_provider(provider.name)
        if call.interaction is not None and Path(call.pact).resolve() != pact_path.resolve()
    ]
    return ours + others


def _failures(document: dict[str, Any], provider: Provider, samples: list[tuple[str, Any]]) -> set[int]:

    validator: SpecValidator = SpecValidator(document, source=str(provider.spec), base_paths=(provider.base_path,))
    failed = set()
    for index, (kind, sample) in enumerate(samples):
        if kind == "response":
            operation, response = sample
            fails = bool(
                validator.validate(operation.method, operation.path, response.status, response.headers, response.body)
            )
        else:  # a pact interaction fails when it certainly cannot verify against a provider honouring the description
            fails = any(problem.severity is Severity.ERROR for problem in judge_interaction(sample, validator))
        if fails:
            failed.add(index)
    return failed


__all__ = ["iter_unneeded_entries", "iter_overlay_lint"]
