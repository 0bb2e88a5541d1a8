"""The CI gate: diff every registered description changed since a git ref, judge every consumer's pact against the
old and the new description, apply the ledger.

A change blocks when it breaks a consumer: an interaction of any consumer's pact (ours and the folders under
`consumer_pacts`) that verified against the description at the base ref and would not against the working tree's
(the compatibility engine), whatever level the diff's rule gives the change; the verdict names the consumer, the
interaction, the JSON path and the rule (`diff.verdicts`). A change observed without breaking anyone warns; a
breaking change nobody sends or reads is `unused` and blocks, warns or is only reported, as the registry's
`gate.unused_breaking` (block | warn | off) says. Every consumer's pact is also judged against the working tree's
description: what the change broke is an error, what was incompatible already at the base ref a warning. An intended break passes only through the committed ledger of
accepted deviations (`gate.ledger`, default contracts/accepted-changes.yaml); an expired entry fails the gate
whether or not its change is still in the diff, and an entry that matches nothing is stale.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from contractkit.cassettes import load_cassette
from contractkit.compat import compare_calls, description_validator
from contractkit.core.codes import Code
from contractkit.core.errors import ContractKitError, SchemaLoadError, UsageError
from contractkit.core.loading import load_source, parse_source
from contractkit.core.model import Finding, Provider, Registry, Severity
from contractkit.core.schemacheck import bundled_validator, check_document
from contractkit.core.settings import DEFAULT_LEDGER
from contractkit.diff.compare import diff_documents, diff_schemas, line_of_pointer
from contractkit.diff.messages import diff_messages
from contractkit.diff.model import Change, DiffOptions, Level
from contractkit.diff.rules import check_levels
from contractkit.diff.sources import parse_description, read_git_file
from contractkit.diff.verdicts import Judged, Verdict, judge_change, judge_changes, unused_policy
from contractkit.pact import Observation, Usage, load_usage, observers
from contractkit.validation import SEEDED_SOURCES

__all__ = [
    "DEFAULT_LEDGER",
    "GateChange",
    "GateResult",
    "LedgerEntry",
    "LedgerError",
    "gate_options",
    "iter_tracked",
    "line_map",
    "load_ledger",
    "run_gate",
]

_TEMPLATE_PARAMETER = re.compile(r"\{[^}/]+\}")


class LedgerError(ContractKitError):
    """The ledger of accepted deviations is malformed."""


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One accepted deviation: which rule at which location, who owns it, why, and until when."""

    index: int
    rule: str
    location: str
    owner: str
    reason: str
    expires: dt.date
    provider: str = ""

    def matches(self, rule: str, location: str, provider: str) -> bool:
        """Whether this entry names this rule at this location (glob) for this provider."""
        if self.provider and self.provider != provider:
            return False
        return self.rule == rule and (self.location == location or fnmatch.fnmatchcase(location, self.location))

    def is_expired(self, today: dt.date) -> bool:
        """True from the day after `expires`."""
        return today > self.expires

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON data."""
        return {
            "index": self.index,
            "rule": self.rule,
            "provider": self.provider,
            "location": self.location,
            "owner": self.owner,
            "reason": self.reason,
            "expires": self.expires.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class GateChange:
    """A change found by the gate, with the file it is in and the verdict."""

    provider: str
    file: str  # relative to the repository root, for annotations
    change: Change
    verdict: Verdict
    note: str = ""
    line: int | None = None
    observers: tuple[dict[str, str], ...] = ()  # consumer, interaction, location, reason
    breaks: tuple[dict[str, str], ...] = ()  # the consumer interactions the change makes incompatible


@dataclass(frozen=True, slots=True)
class GateResult:
    """Everything the gate found; `failed` decides the exit code."""

    base: str
    compared: tuple[str, ...]
    changes: tuple[GateChange, ...]
    pact_findings: tuple[tuple[str, Finding], ...]
    stale: tuple[LedgerEntry, ...]
    expired: tuple[LedgerEntry, ...]
    notes: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        """True when a change blocks, a pact no longer fits the new description, or a ledger entry expired
        (whether or not its change is still in the diff: an expiry is a promise someone made)."""
        return (
            any(item.verdict is Verdict.BLOCK for item in self.changes)
            or any(finding.severity is Severity.ERROR for _, finding in self.pact_findings)
            or bool(self.expired)
        )


@dataclass(frozen=True, slots=True)
class _Tracked:
    """A description file the registry points to, and how to read it."""

    provider: Provider
    path: Path
    kind: str  # openapi | schema
    operations: tuple[str, ...]  # for a JSON Schema: the operations it describes (all for an error schema)


# ---------------------------------------------------------------- ledger


def load_ledger(path: Path, *, display: str | None = None) -> list[LedgerEntry]:
    """Read the ledger; a missing file is an empty ledger, a malformed one raises LedgerError with line."""
    if not path.exists():
        return []
    shown = display or str(path)
    document = load_source(path, LedgerError, display=shown)
    if document.data is None:
        return []
    accepted = document.data.get("accepted") if isinstance(document.data, dict) else None
    for entry in accepted if isinstance(accepted, list) else []:  # the schema check below reports anything else
        if isinstance(entry, dict) and isinstance(entry.get("expires"), dt.date):
            entry["expires"] = entry["expires"].isoformat()  # YAML reads an unquoted date as a date
    check_document(document, bundled_validator("ledger.schema.json"), LedgerError, display=shown)
    return [
        _ledger_entry(index, raw, document.line_of(("accepted", index)), shown)
        for index, raw in enumerate(document.data["accepted"])
    ]


def _ledger_entry(index: int, raw: dict[str, Any], line: int | None, shown: str) -> LedgerEntry:
    try:
        expires = dt.date.fromisoformat(raw["expires"])
    except ValueError:
        raise LedgerError(
            f"not a real date: {raw['expires']!r}",
            file=shown,
            key_path=("accepted", index, "expires"),
            line=line,
            hint="write YYYY-MM-DD",
        ) from None
    return LedgerEntry(
        index=index,
        rule=raw["rule"],
        location=raw["location"],
        owner=raw["owner"],
        reason=raw["reason"],
        expires=expires,
        provider=raw.get("provider", ""),
    )


# ---------------------------------------------------------------- the gate


def run_gate(registry: Registry, base: str, *, today: dt.date | None = None) -> GateResult:
    """Diff every registered description changed since `base`, check every pact, and apply the ledger."""
    today = today or dt.date.today()
    top = _repository_root(registry.root)
    ledger = load_ledger(_ledger_path(registry), display=_relative(_ledger_path(registry), registry.root))
    compared, notes, raw_changes, bases = _diff_tracked(registry, base, top)
    notes += _unchecked_pacts(registry)
    usage = load_usage(registry)
    notes += list(usage.notes)
    changes, pact_findings_list, used = _judge(registry, raw_changes, bases, usage, ledger, today)
    messages = diff_messages(  # events and webhooks: message schemas and AsyncAPI documents (diff/messages.py)
        registry,
        base,
        shown=lambda path: _relative(path, top),
        options=gate_options(registry),
        unused=unused_policy(registry.settings.gate.unused_breaking),
    )
    compared, notes = [*compared, *messages.compared], [*notes, *messages.notes]
    changes += [
        GateChange(
            item.provider,
            item.file,
            item.judged.change,
            item.judged.verdict,
            item.judged.note,
            None,
            tuple(item.judged.observer_dicts()),
            tuple(item.judged.break_dicts()),
        )
        for item in messages.changes
    ]
    pact_findings_list += messages.findings
    pact_findings = tuple(pact_findings_list) + tuple(_unrecorded(registry))
    used |= {
        entry.index
        for entry in ledger
        for provider, finding in pact_findings
        if entry.matches(finding.code, finding.location, provider)
    }
    pact_findings = tuple(
        (provider, finding)
        for provider, finding in pact_findings
        if not _accepted(ledger, finding.code, finding.location, provider, today)
    )
    expired = tuple(entry for entry in ledger if entry.is_expired(today))
    stale = tuple(entry for entry in ledger if entry.index not in used)
    return GateResult(
        base=base,
        compared=tuple(compared),
        changes=tuple(changes),
        pact_findings=pact_findings,
        stale=stale,
        expired=expired,
        notes=tuple(notes),
    )


def _unchecked_pacts(registry: Registry) -> list[str]:
    """Pact files in the pacts folder that belong to no provider of the registry (so nothing checks them)."""
    known = {registry.pact_file(name).name for name in registry.providers}
    if not registry.pacts.is_dir():
        return []
    return [
        f"{_relative(path, registry.root)} belongs to no provider of the registry: not checked"
        for path in sorted(registry.pacts.glob("*.json"))
        if path.name not in known
    ]


def _ledger_path(registry: Registry) -> Path:
    return registry.root / registry.settings.gate.ledger


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _repository_root(folder: Path) -> Path:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise UsageError("git is not installed; the gate compares against a git ref") from exc
    if done.returncode != 0:
        raise UsageError(f"{folder} is not inside a git repository; the gate compares the working tree with a git ref")
    return Path(done.stdout.strip())


def iter_tracked(registry: Registry) -> Iterator[_Tracked]:
    """Every description the registry points to: OpenAPI slices, response JSON Schemas, error schemas."""
    seen: set[Path] = set()
    for provider in registry.providers.values():
        names = tuple(provider.operations)
        candidates: list[tuple[Path | None, str, tuple[str, ...]]] = [
            (provider.spec, "openapi", names),
            (provider.error_schema, "schema", names),
        ]
        for operation in provider.operations.values():
            candidates.append((operation.response_schema, "schema", (operation.name,)))
        for path, kind, operations in candidates:
            if path is not None and path not in seen:
                seen.add(path)
                yield _Tracked(provider, path, kind, operations)


@dataclass(frozen=True, slots=True)
class _Found:
    """One change of a tracked file, with the two descriptions it was found between."""

    tracked: _Tracked
    shown: str
    line: int | None
    change: Change
    old: Mapping[str, Any]
    new: Mapping[str, Any]


def _diff_tracked(
    registry: Registry, base: str, top: Path
) -> tuple[list[str], list[str], list[_Found], dict[str, _Pair]]:
    compared: list[str] = []
    notes: list[str] = []
    found: list[_Found] = []
    pairs: dict[str, _Pair] = {}
    for tracked in iter_tracked(registry):
        shown = _relative(tracked.path, top)
        old_text = read_git_file(base, _relative(tracked.path, registry.root), cwd=registry.root)
        if not tracked.path.exists():
            if old_text is not None:
                raise SchemaLoadError(
                    f"the registry points to this file, which existed at {base} but is gone now",
                    file=shown,
                    hint="restore it or remove it from registry.yaml",
                )
            continue
        new_text = tracked.path.read_text(encoding="utf-8")
        if old_text is None:
            notes.append(f"{shown} is new since {base}: nothing to compare")
            continue
        if old_text == new_text:
            continue
        compared.append(shown)
        lines = line_map(new_text, tracked.path)
        old, new = parse_description(old_text, f"{base}:{shown}"), parse_description(new_text, shown)
        if tracked.kind == "openapi":
            pairs[tracked.provider.name] = _Pair(old, new, f"{base}:{shown}", shown)
        for change in _diff_parsed(tracked, old, new, f"{base}:{shown}", shown, gate_options(registry)):
            found.append(_Found(tracked, shown, line_of_pointer(change.location, lines), change, old, new))
    return compared, notes, found, pairs


@dataclass(frozen=True, slots=True)
class _Pair:
    """A provider's OpenAPI description at the base ref and in the working tree."""

    old: Mapping[str, Any]
    new: Mapping[str, Any]
    old_name: str
    new_name: str


def _diff_parsed(
    tracked: _Tracked, old: Any, new: Any, old_name: str, new_name: str, options: DiffOptions
) -> tuple[Change, ...]:
    if tracked.kind == "openapi":
        return diff_documents(old, new, old_name=old_name, new_name=new_name, options=options).changes
    return diff_schemas(old, new, old_name=old_name, new_name=new_name, direction="response", options=options).changes


def gate_options(registry: Registry) -> DiffOptions:
    """The diff options of a registry: its gate.levels, checked against the rule table."""
    return DiffOptions(levels=check_levels(dict(registry.settings.gate.levels), display=str(registry.path)))


_LINE_MAP_LIMIT = 2_000_000  # bytes; beyond this, annotations carry the file without a line


def line_map(text: str, path: Path) -> dict[str, int]:
    """JSON pointer -> line of a (small) description, so annotations point at the right line."""
    if len(text) > _LINE_MAP_LIMIT:
        return {}
    try:
        document = parse_source(text, path, SchemaLoadError)
    except ContractKitError:
        return {}
    return {
        "#" + "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in key): line
        for key, line in document.lines.items()
        if "<key>" not in key
    }


# ---------------------------------------------------------------- verdicts


def _judge(
    registry: Registry,
    found: list[_Found],
    pairs: Mapping[str, _Pair],
    usage: Usage,
    ledger: list[LedgerEntry],
    today: dt.date,
) -> tuple[list[GateChange], list[tuple[str, Finding]], set[int]]:
    """Every change's verdict (the consumers' pacts first, then the ledger) and every consumer's pact findings."""
    unused = unused_policy(registry.settings.gate.unused_breaking)
    verdicts: dict[int, Judged] = {}
    pact_findings: list[tuple[str, Finding]] = []
    for described in registry.providers.values():
        mine = [item for item in found if item.tracked.provider.name == described.name]
        findings, provider_verdicts = _judge_provider(described, mine, pairs.get(described.name), usage, unused)
        pact_findings += [(described.name, finding) for finding in findings]
        verdicts.update(provider_verdicts)
    used: set[int] = set()
    changes = []
    for item in found:
        provider = item.tracked.provider.name
        outcome = verdicts[id(item)]
        verdict, note = outcome.verdict, outcome.note
        entries = [
            entry
            for entry in ledger
            if item.change.level is not Level.INFO and entry.matches(item.change.rule, item.change.location, provider)
        ]
        used |= {entry.index for entry in entries}
        live = [entry for entry in entries if not entry.is_expired(today)]
        if live:
            entry = live[0]
            verdict, note = (
                Verdict.ACCEPTED,
                f"accepted by ledger entry {entry.index} (owner {entry.owner}, until {entry.expires}): {entry.reason}",
            )
        elif entries:
            entry = entries[0]
            note = f"ledger entry {entry.index} (owner {entry.owner}) expired on {entry.expires}; {note}"
        changes.append(
            GateChange(
                provider,
                item.shown,
                item.change,
                verdict,
                note,
                item.line,
                tuple(outcome.observer_dicts()),
                tuple(outcome.break_dicts()),
            )
        )
    return changes, pact_findings, used


def _judge_provider(
    provider: Provider, found: list[_Found], pair: _Pair | None, usage: Usage, unused: str
) -> tuple[list[Finding], dict[int, Judged]]:
    """One provider: its OpenAPI changes judged by every consumer interaction with it (old and new description),
    its JSON Schema changes by who calls the operations they describe, and its pact findings."""
    calls = usage.of_provider(provider.name)
    verdicts: dict[int, Judged] = {}
    openapi = [item for item in found if item.tracked.kind == "openapi"]
    for item in found:
        if item.tracked.kind == "schema":
            verdicts[id(item)] = judge_change(
                item.change, _schema_observations(item, usage), (), unused, judged_by_pacts=False
            )
    if provider.spec is None or not provider.spec.exists():
        return [], verdicts
    if pair is None:  # the description did not change: the pacts are judged against it as it stands
        current = compare_calls(
            calls, None, description_validator(provider, _working_description(provider), source=str(provider.spec))
        )
        return [found.finding() for found in current.breaks], verdicts
    delta = compare_calls(
        calls,
        description_validator(provider, pair.old, source=pair.old_name),
        description_validator(provider, pair.new, source=pair.new_name),
    )
    by_change = {id(item.change): item for item in openapi}
    judged_list, _ = judge_changes(  # every break is among the findings below, explained by a change or not
        [item.change for item in openapi],
        delta,
        lambda change: observers(usage, change, provider=provider.name, old=pair.old, new=pair.new),
        unused,
    )
    for judged in judged_list:
        verdicts[id(by_change[id(judged.change)])] = judged
    findings = [found.finding(severity=Severity.ERROR, note="breaks it") for found in delta.breaks]
    findings += [
        found.finding(severity=Severity.WARNING, note=f"incompatible already at {pair.old_name}")
        for found in delta.already
    ]
    return findings, verdicts


def _working_description(provider: Provider) -> Mapping[str, Any]:
    spec = provider.spec
    if spec is None:
        raise UsageError(f"provider {provider.name!r} has no 'spec' to judge its pacts against")
    return parse_description(spec.read_text(encoding="utf-8"), str(spec))


def _schema_observations(item: _Found, usage: Usage) -> list[Observation]:
    """A JSON Schema file: every consumer call of the operations it describes."""
    provider = item.tracked.provider.name
    return [
        Observation(call.consumer, provider, call.operation, call.description, "", f"calls {call.operation}")
        for call in usage.of_provider(provider)
        if call.operation in item.tracked.operations
    ]


def _unrecorded(registry: Registry) -> Iterator[tuple[str, Finding]]:
    """`gate.require_recorded`: every cassette of the named providers must be recorded, not seeded from a
    description (a check on a seeded cassette could not have failed)."""
    for name in registry.settings.gate.require_recorded:
        if name not in registry.providers:
            raise UsageError(
                f"names {name!r}, which is not a provider of the registry (known: {', '.join(registry.providers)})",
                file=registry.path.name,
                key_path=("gate", "require_recorded"),
                line=registry.line_of("gate", "require_recorded"),
            )
        provider = registry.providers[name]
        folder = provider.cassettes
        paths = sorted(path for path in folder.rglob("*.yaml") if not path.name.startswith(".")) if folder else []
        if not paths:
            yield (
                name,
                Finding(
                    Code.NOT_RECORDED,
                    Severity.ERROR,
                    f"gate.require_recorded: {name} has no recorded cassette",
                    _relative(folder, registry.root) if folder else "cassettes",
                    name,
                ),
            )
        for path in paths:
            source = load_cassette(path).source
            if source in SEEDED_SOURCES:
                yield (
                    name,
                    Finding(
                        Code.NOT_RECORDED,
                        Severity.ERROR,
                        f"gate.require_recorded: {name}'s cassette is "
                        f"seeded from {source}, not recorded: record it (contracts record --provider {name})",
                        _relative(path, registry.root),
                        name,
                    ),
                )


def _accepted(ledger: Iterable[LedgerEntry], rule: str, location: str, provider: str, today: dt.date) -> bool:
    return any(entry.matches(rule, location, provider) and not entry.is_expired(today) for entry in ledger)
