"""The ledger of accepted deviations, checked: its schema, owners, dates and the rules it names; and the entries
that expired, which fail the gate whether or not the change they covered is still in the diff.

`contracts lint` reports `iter_ledger_problems`; the gate reports `expired_entries` as failures, each with the
entry's owner, so an acceptance nobody renewed can never pass silently:

    problems = list(iter_ledger_problems(registry, known_rules=RULE_CODES, today=dt.date.today()))
    failures = expired_entries(registry, today=dt.date.today())   # ledger entry 0 (owner sre-team) expired ...
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection, Iterator, Mapping

from contractkit.core.codes import Code
from contractkit.core.errors import ContractKitError, RegistryError, format_key_path
from contractkit.core.loading import load_source
from contractkit.core.model import Registry
from contractkit.core.schemacheck import bundled_validator, explain

__all__ = ["LedgerProblem", "expired_entries", "iter_ledger_problems", "ledger_path"]

_FINDING_CODE = re.compile(r"^CK\d{3}$")


@dataclass(frozen=True, slots=True)
class LedgerProblem:
    """One problem of the ledger: a code, where it is, what is wrong, and whether lint fails on it."""

    code: str
    text: str  # what is wrong, without the file and key path
    file: str
    key_path: tuple[str | int, ...] = ()
    line: int | None = None
    owner: str = ""
    is_error: bool = True

    @property
    def message(self) -> str:
        """`accepted-changes.yaml: accepted[0].owner: every accepted change needs an owner ...`."""
        return ": ".join(part for part in (self.file, format_key_path(self.key_path), self.text) if part)


def ledger_path(registry: Registry) -> Path:
    """Where the registry's ledger is (`gate.ledger`, default contracts/accepted-changes.yaml)."""
    return registry.root / registry.settings.gate.ledger


def iter_ledger_problems(
    registry: Registry, *, known_rules: Collection[str], today: dt.date
) -> Iterator[LedgerProblem]:
    """Every problem of the registry's ledger: schema, blank owners, dates, unknown rules and providers, expiry.

    `known_rules` are the diff's rule ids (the gate's caller passes `contractkit.diff.RULE_CODES`); finding
    codes such as CK418 are accepted as they are. A missing ledger has no problems."""
    path = ledger_path(registry)
    if not path.exists():
        return
    shown = registry.relative(path)
    try:
        document = load_source(path, RegistryError, display=shown)
    except ContractKitError as exc:
        yield LedgerProblem(Code.LEDGER_INVALID, exc.message, shown, exc.key_path, exc.line)
        return
    data = _dated(document.data)
    schema_problems = list(_schema_problems(data, shown, document.line_of))
    yield from schema_problems
    entries = data.get("accepted") if isinstance(data, Mapping) else None
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(entry, Mapping):
            line = document.line_of(("accepted", index))
            yield from _entry_problems(registry, shown, index, entry, line, known_rules, today)


def _dated(data: Any) -> Any:
    """YAML reads an unquoted date as a date: give it back as the text the schema expects."""
    if isinstance(data, Mapping) and isinstance(data.get("accepted"), list):
        for entry in data["accepted"]:
            if isinstance(entry, dict) and isinstance(entry.get("expires"), dt.date):
                entry["expires"] = entry["expires"].isoformat()
    return data


def _schema_problems(data: Any, shown: str, line_of: Any) -> Iterator[LedgerProblem]:
    validator = bundled_validator("ledger.schema.json")
    for error in sorted(validator.iter_errors(data), key=lambda error: list(map(str, error.absolute_path))):
        where = tuple(error.absolute_path)
        if len(where) == 3 and where[2] == "owner" or (error.validator == "required" and "'owner'" in error.message):
            continue  # reported below with the entry, as a missing owner
        where, message = explain(error)
        yield LedgerProblem(
            Code.LEDGER_INVALID, message if where else f"(top level): {message}", shown, where, line_of(where)
        )


def _entry_problems(
    registry: Registry,
    shown: str,
    index: int,
    entry: Mapping[str, Any],
    line: int | None,
    known_rules: Collection[str],
    today: dt.date,
) -> Iterator[LedgerProblem]:
    where: tuple[str | int, ...] = ("accepted", index)
    owner = entry.get("owner")
    if not isinstance(owner, str) or not owner.strip():
        yield LedgerProblem(
            Code.LEDGER_OWNER,
            "every accepted change needs an owner who answers for it; add owner: <team or person>",
            shown,
            where + ("owner",),
            line,
        )
    rule = entry.get("rule")
    if isinstance(rule, str) and rule not in known_rules and not _FINDING_CODE.match(rule):
        yield LedgerProblem(
            Code.LEDGER_RULE,
            f"no rule {rule!r} (see contracts diff --list-rules, or give a finding code "
            f"such as {Code.FIELD_UNDOCUMENTED})",
            shown,
            where + ("rule",),
            line,
        )
    provider = entry.get("provider")
    if isinstance(provider, str) and provider not in registry.providers:
        known = ", ".join(sorted(registry.providers))
        yield LedgerProblem(
            Code.LEDGER_PROVIDER,
            f"no provider {provider!r} in {registry.path.name} (known: {known})",
            shown,
            where + ("provider",),
            line,
        )
    yield from _date_problems(shown, where, entry, line, today)


def _date_problems(
    shown: str, where: tuple[str | int, ...], entry: Mapping[str, Any], line: int | None, today: dt.date
) -> Iterator[LedgerProblem]:
    expires = _date(entry.get("expires"))
    if expires is None:
        if isinstance(entry.get("expires"), str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry["expires"]):
            yield LedgerProblem(
                Code.LEDGER_INVALID,
                f"not a real date: {entry['expires']!r}; write YYYY-MM-DD",
                shown,
                where + ("expires",),
                line,
            )
        return
    if today > expires:
        owner = str(entry.get("owner") or "no owner")
        yield LedgerProblem(
            Code.LEDGER_EXPIRED,
            f"ledger entry {where[1]} "
            f"({entry.get('rule')} at {entry.get('location')}, owner {owner}) expired on {expires}: "
            "the gate fails until it is renewed with a reason or removed",
            shown,
            where,
            line,
            owner,
        )


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def expired_entries(registry: Registry, *, today: dt.date) -> list[LedgerProblem]:
    """The ledger's expired entries, each a failure naming its owner, whether or not its change is still in the diff."""
    return [
        problem
        for problem in iter_ledger_problems(registry, known_rules=(), today=today)
        if problem.code == Code.LEDGER_EXPIRED
    ]
