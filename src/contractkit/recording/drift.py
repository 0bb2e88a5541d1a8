"""Drift between two cassette sets (old and new recordings of the same providers)."""

from __future__ import annotations

from pathlib import Path

from contractkit.cassettes import (
    EVENTS_FOLDER,
    dump_interactions,
    iter_cassette_pact_breaks,
    iter_drift,
    load_cassette,
)
from contractkit.core.errors import UsageError
from contractkit.core.model import Finding, Provider
from contractkit.pact import Usage, load_pact, usage_from_pacts
from contractkit.recording.plan import OperationOutcome, RecordRun
from contractkit.recording.record import breaks_schema_or_pact, recorded_schema_findings


def compare_cassettes(
    old: Path, new: Path, provider: Provider | None = None, pact_file: Path | None = None, usage: Usage | None = None
) -> RecordRun:
    """Drift between two cassette files or folders (paired by relative path); breaking when the new one
    violates the provider's registered schema or the pact, or changes what a consumer reads (the usage
    model: `usage`, else the pact file's)."""
    pairs = _pairs(old, new)
    if usage is None and provider is not None and pact_file is not None and pact_file.exists():
        usage = usage_from_pacts([provider], [load_pact(pact_file)])
    outcomes = [_compare_pair(before, after, provider, pact_file, usage) for before, after in pairs]
    return RecordRun(provider.name if provider else new.name, tuple(outcomes), 0, "drift")


def _pairs(old: Path, new: Path) -> list[tuple[Path | None, Path | None]]:
    if new.is_file() or old.is_file():
        return [(old if old.exists() else None, new if new.exists() else None)]
    names = sorted(
        {
            p.relative_to(root)
            for root in (old, new)
            if root.is_dir()
            for p in root.rglob("*.yaml")
            if not p.name.startswith(".") and EVENTS_FOLDER not in p.relative_to(root).parts[:-1]
        }
    )
    if not names:
        raise UsageError(f"no cassettes in {old} or {new}")
    return [((old / n) if (old / n).exists() else None, (new / n) if (new / n).exists() else None) for n in names]


def _compare_pair(
    before: Path | None,
    after: Path | None,
    provider: Provider | None,
    pact_file: Path | None,
    usage: Usage | None = None,
) -> OperationOutcome:
    if after is None:
        assert before is not None
        return OperationOutcome(before.stem, "removed", "cassette removed", before)
    new = load_cassette(after)
    operation = provider.operations.get(new.operation) if provider is not None else None
    breaking: tuple[Finding, ...] = ()
    if provider is not None and operation is not None:
        pact_breaks = (
            iter_cassette_pact_breaks(provider, new, load_pact(pact_file)) if pact_file and pact_file.exists() else ()
        )
        breaking = tuple(recorded_schema_findings(provider, operation, new)) + tuple(pact_breaks)
    if before is None:
        return OperationOutcome(
            new.operation, "recorded", "new cassette", after, breaking, breaks_schema_or_pact(breaking)
        )
    old = load_cassette(before)
    if dump_interactions(old.interactions) == dump_interactions(new.interactions):
        return OperationOutcome(
            new.operation, "unchanged", "no change", after, breaking, breaks_schema_or_pact(breaking)
        )
    findings = tuple(iter_drift(old, new, usage=usage, provider=provider))
    outcome = "drifted" if findings else "recorded"
    message = f"{len(findings)} shape change(s)" if findings else "values changed, shape unchanged"
    if breaks_schema_or_pact(breaking):
        message += ", breaks the registered schema or pact"
    elif breaks_schema_or_pact(findings):
        message += ", breaks what a consumer reads"
    return OperationOutcome(
        new.operation, outcome, message, after, findings + breaking, breaks_schema_or_pact(findings + breaking)
    )
