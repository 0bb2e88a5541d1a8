"""The CI gate: diff every registered description changed since a git ref, check every pact, apply the ledger.

A breaking change on an operation the consumer registered (or a pact exercises) blocks. A breaking change
nobody depends on blocks or warns, as the registry's `gate.unused_breaking` says. An intended break passes
only through the committed ledger of accepted deviations (`gate.ledger`, default
contracts/accepted-changes.yaml); an expired entry fails again and an entry that matches nothing is stale.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from contractkit.core.errors import ContractKitError, SchemaLoadError, UsageError
from contractkit.core.loading import load_source, parse_source
from contractkit.core.model import Finding, Provider, Registry, Severity
from contractkit.core.routing import Router
from contractkit.core.schemacheck import bundled_validator, check_document
from contractkit.diff.compare import diff_documents, diff_schemas, line_of_pointer
from contractkit.diff.model import Change, DiffOptions, Level
from contractkit.diff.rules import check_levels
from contractkit.diff.sources import parse_description, read_git_file
from contractkit.openapi.documents import load_spec_document
from contractkit.validation import (
    http_interactions,
    iter_pact_findings,
    read_pact,
    spec_validator_for,
)

__all__ = ["DEFAULT_LEDGER", "GateChange", "GateResult", "LedgerEntry", "LedgerError", "Verdict", "gate_options",
           "iter_tracked", "line_map", "load_ledger", "run_gate"]

DEFAULT_LEDGER = "contracts/accepted-changes.yaml"
_TEMPLATE_PARAMETER = re.compile(r"\{[^}/]+\}")


class LedgerError(ContractKitError):
    """The ledger of accepted deviations is malformed."""


class Verdict(StrEnum):
    """What the gate makes of one change."""

    BLOCK = "block"
    WARN = "warn"
    ACCEPTED = "accepted"
    INFO = "info"


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
        return {"index": self.index, "rule": self.rule, "provider": self.provider, "location": self.location,
                "owner": self.owner, "reason": self.reason, "expires": self.expires.isoformat()}


@dataclass(frozen=True, slots=True)
class GateChange:
    """A change found by the gate, with the file it is in and the verdict."""

    provider: str
    file: str  # relative to the repository root, for annotations
    change: Change
    verdict: Verdict
    note: str = ""
    line: int | None = None


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
        """True when a change blocks, a pact no longer fits the new description, or an accepted change expired."""
        return (any(item.verdict is Verdict.BLOCK for item in self.changes)
                or any(finding.severity is Severity.ERROR for _, finding in self.pact_findings))


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
    for entry in (document.data.get("accepted") or []) if isinstance(document.data, dict) else []:
        if isinstance(entry, dict) and isinstance(entry.get("expires"), dt.date):
            entry["expires"] = entry["expires"].isoformat()  # YAML reads an unquoted date as a date
    check_document(document, bundled_validator("ledger.schema.json"), LedgerError, display=shown)
    return [_ledger_entry(index, raw, document.line_of(("accepted", index)), shown)
            for index, raw in enumerate(document.data["accepted"])]


def _ledger_entry(index: int, raw: dict[str, Any], line: int | None, shown: str) -> LedgerEntry:
    try:
        expires = dt.date.fromisoformat(raw["expires"])
    except ValueError:
        raise LedgerError(f"not a real date: {raw['expires']!r}", file=shown, key_path=("accepted", index, "expires"),
                          line=line, hint="write YYYY-MM-DD") from None
    return LedgerEntry(index=index, rule=raw["rule"], location=raw["location"], owner=raw["owner"],
                       reason=raw["reason"], expires=expires, provider=raw.get("provider", ""))


# ---------------------------------------------------------------- the gate


def run_gate(registry: Registry, base: str, *, today: dt.date | None = None) -> GateResult:
    """Diff every registered description changed since `base`, check every pact, and apply the ledger."""
    today = today or dt.date.today()
    top = _repository_root(registry.root)
    ledger = load_ledger(_ledger_path(registry), display=_relative(_ledger_path(registry), registry.root))
    compared, notes, raw_changes = _diff_tracked(registry, base, top)
    notes += _unchecked_pacts(registry)
    pact_findings = tuple(_iter_pact_findings(registry))
    changes, used = _judge(registry, raw_changes, ledger, today)
    used |= {entry.index for entry in ledger for provider, finding in pact_findings
             if entry.matches(finding.code, finding.location, provider)}
    pact_findings = tuple((provider, finding) for provider, finding in pact_findings
                          if not _accepted(ledger, finding.code, finding.location, provider, today))
    expired = tuple(entry for entry in ledger if entry.is_expired(today))
    stale = tuple(entry for entry in ledger if entry.index not in used)
    return GateResult(base=base, compared=tuple(compared), changes=tuple(changes), pact_findings=pact_findings,
                      stale=stale, expired=expired, notes=tuple(notes))


def _unchecked_pacts(registry: Registry) -> list[str]:
    """Pact files in the pacts folder that belong to no provider of the registry (so nothing checks them)."""
    known = {registry.pact_file(name).name for name in registry.providers}
    if not registry.pacts.is_dir():
        return []
    return [f"{_relative(path, registry.root)} belongs to no provider of the registry: not checked"
            for path in sorted(registry.pacts.glob("*.json")) if path.name not in known]


def _ledger_path(registry: Registry) -> Path:
    return registry.root / str(registry.settings.get("gate", {}).get("ledger", DEFAULT_LEDGER))


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _repository_root(folder: Path) -> Path:
    try:
        done = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True,
                              text=True, check=False)
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
        candidates: list[tuple[Path | None, str, tuple[str, ...]]] = [(provider.spec, "openapi", names),
                                                                      (provider.error_schema, "schema", names)]
        for operation in provider.operations.values():
            candidates.append((operation.response_schema, "schema", (operation.name,)))
        for path, kind, operations in candidates:
            if path is not None and path not in seen:
                seen.add(path)
                yield _Tracked(provider, path, kind, operations)


def _diff_tracked(registry: Registry, base: str, top: Path) -> tuple[list[str], list[str], list[tuple[_Tracked, str, int | None, Change]]]:
    compared: list[str] = []
    notes: list[str] = []
    found: list[tuple[_Tracked, str, int | None, Change]] = []
    for tracked in iter_tracked(registry):
        shown = _relative(tracked.path, top)
        old_text = read_git_file(base, _relative(tracked.path, registry.root), cwd=registry.root)
        if not tracked.path.exists():
            if old_text is not None:
                raise SchemaLoadError(f"the registry points to this file, which existed at {base} but is gone now",
                                      file=shown, hint="restore it or remove it from registry.yaml")
            continue
        new_text = tracked.path.read_text(encoding="utf-8")
        if old_text is None:
            notes.append(f"{shown} is new since {base}: nothing to compare")
            continue
        if old_text == new_text:
            continue
        compared.append(shown)
        lines = line_map(new_text, tracked.path)
        for change in _diff_texts(tracked, old_text, new_text, f"{base}:{shown}", shown, gate_options(registry)):
            found.append((tracked, shown, line_of_pointer(change.location, lines), change))
    return compared, notes, found


def _diff_texts(tracked: _Tracked, old_text: str, new_text: str, old_name: str, new_name: str,
                options: DiffOptions) -> tuple[Change, ...]:
    old = parse_description(old_text, old_name)
    new = parse_description(new_text, new_name)
    if tracked.kind == "openapi":
        return diff_documents(old, new, old_name=old_name, new_name=new_name, options=options).changes
    return diff_schemas(old, new, old_name=old_name, new_name=new_name, direction="response", options=options).changes


def gate_options(registry: Registry) -> DiffOptions:
    """The diff options of a registry: its gate.levels, checked against the rule table."""
    levels = registry.settings.get("gate", {}).get("levels") or {}
    return DiffOptions(levels=check_levels(dict(levels), display=str(registry.path)))


_LINE_MAP_LIMIT = 2_000_000  # bytes; beyond this, annotations carry the file without a line


def line_map(text: str, path: Path) -> dict[str, int]:
    """JSON pointer -> line of a (small) description, so annotations point at the right line."""
    if len(text) > _LINE_MAP_LIMIT:
        return {}
    try:
        document = parse_source(text, path, SchemaLoadError)
    except ContractKitError:
        return {}
    return {"#" + "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in key): line
            for key, line in document.lines.items() if "<key>" not in key}




# ---------------------------------------------------------------- verdicts


def _judge(registry: Registry, found: list[tuple[_Tracked, str, int | None, Change]], ledger: list[LedgerEntry],
           today: dt.date) -> tuple[list[GateChange], set[int]]:
    block_unused = str(registry.settings.get("gate", {}).get("unused_breaking", "warn")) == "block"
    used: set[int] = set()
    routes = {name: _consumed_routes(registry, provider) for name, provider in registry.providers.items()}
    judged = []
    for tracked, shown, line, change in found:
        provider = tracked.provider.name
        verdict, note = _verdict(tracked, change, routes[provider], block_unused)
        entries = [entry for entry in ledger if change.level is not Level.INFO and entry.matches(change.rule, change.location, provider)]
        used |= {entry.index for entry in entries}
        live = [entry for entry in entries if not entry.is_expired(today)]
        if live:
            entry = live[0]
            verdict, note = Verdict.ACCEPTED, f"accepted by ledger entry {entry.index} (owner {entry.owner}, until {entry.expires}): {entry.reason}"
        elif entries:
            entry = entries[0]
            note = f"ledger entry {entry.index} (owner {entry.owner}) expired on {entry.expires}; {note}"
        judged.append(GateChange(provider, shown, change, verdict, note, line))
    return judged, used


def _verdict(tracked: _Tracked, change: Change, routes: dict[tuple[str, str], str], block_unused: bool) -> tuple[Verdict, str]:
    if change.level is Level.INFO:
        return Verdict.INFO, ""
    if change.level is Level.WARNING:
        return Verdict.WARN, ""
    users = _dependents(tracked, change, routes)
    if users:
        return Verdict.BLOCK, f"the consumer depends on it ({', '.join(users)})"
    setting = "block" if block_unused else "warn"
    return (Verdict.BLOCK if block_unused else Verdict.WARN), f"no registered consumer depends on it (gate.unused_breaking: {setting})"


def _dependents(tracked: _Tracked, change: Change, routes: dict[tuple[str, str], str]) -> list[str]:
    if tracked.kind == "schema":
        return list(tracked.operations)
    template = _TEMPLATE_PARAMETER.sub("{}", change.path)
    if not change.method:  # a whole path went away
        return sorted({name for (method, path), name in routes.items() if path == template})
    name = routes.get((change.method.upper(), template))
    return [name] if name else []


def _consumed_routes(registry: Registry, provider: Provider) -> dict[tuple[str, str], str]:
    """(METHOD, template) -> who uses it: the registered operations and every route a pact exercises."""
    routes = {(op.method.upper(), _TEMPLATE_PARAMETER.sub("{}", op.path)): op.name
              for op in provider.operations.values() if op.method and op.path}
    for method, template in _pact_routes(registry, provider):
        routes.setdefault((method, template), f"pact {registry.pact_file(provider.name).name}")
    return routes


def _pact_routes(registry: Registry, provider: Provider) -> Iterator[tuple[str, str]]:
    """The spec routes the provider's pact exercises, found by the router (literal segments before templates)."""
    pact_file = registry.pact_file(provider.name)
    if provider.spec is None or not pact_file.exists() or not provider.spec.exists():
        return
    paths = load_spec_document(provider.spec).get("paths") or {}
    router: Router[str] = Router(((method, template, template) for template, item in paths.items() if isinstance(item, dict)
                                  for method in item if method in _METHODS), base_paths=(provider.base_path or "",))
    for interaction in http_interactions(read_pact(pact_file)):
        request = interaction.get("request") or {}
        method = str(request.get("method", "GET")).upper()
        route = router.match(method, str(request.get("path", "")))
        if route is not None:
            yield method, _TEMPLATE_PARAMETER.sub("{}", route.template)


_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _accepted(ledger: Iterable[LedgerEntry], rule: str, location: str, provider: str, today: dt.date) -> bool:
    return any(entry.matches(rule, location, provider) and not entry.is_expired(today) for entry in ledger)


# ---------------------------------------------------------------- pacts


def _iter_pact_findings(registry: Registry) -> Iterator[tuple[str, Finding]]:
    """Every pact in the pacts folder checked against its provider's description in the working tree."""
    for provider in registry.providers.values():
        pact_file = registry.pact_file(provider.name)
        if provider.spec is None or not pact_file.exists() or not provider.spec.exists():
            continue
        spec = spec_validator_for(provider)  # the slice with the provider's quirks overlay applied, as verify sees it
        for finding in iter_pact_findings(read_pact(pact_file), spec, base_path=provider.base_path, provider=provider.name):
            yield provider.name, finding
