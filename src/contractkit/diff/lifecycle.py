"""Lifecycle: deprecation with a sunset date, and stability levels, deciding whether a removal may break.

A deprecated operation, parameter or property announces its end with `x-sunset` (an ISO date) or, for an
operation, a documented `Sunset` response header (RFC 8594: an HTTP date, in the header's example or
default). Removing it before that day breaks clients that were promised time; after it, removal is
allowed (a configurable policy). `x-stability-level` (draft < alpha < beta < stable) marks operations
whose contract may still change: changes to draft and alpha are informational, and a level never goes back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from typing import Any

from contractkit.diff.model import Adjustment, Change, Level

__all__ = [
    "STABILITY_LEVELS",
    "Removal",
    "allows_breaking",
    "judge_removal",
    "operation_sunset",
    "parse_sunset",
    "relax_unstable",
    "stability_change",
    "sunset_change",
]

STABILITY_LEVELS = ("draft", "alpha", "beta", "stable")
_OPEN_LEVELS = frozenset({"draft", "alpha"})


@dataclass(frozen=True, slots=True)
class Removal:
    """How a removal reads in the light of deprecation: `plain`, `deprecated`, `before-sunset`, `after-sunset`, `invalid`."""

    kind: str
    sunset: str = ""  # the date as written, for the message

    def describe(self) -> str:
        """A phrase for the message: `deprecated, sunset 2025-01-01`."""
        if self.kind == "plain":
            return "not deprecated"
        return "deprecated" + (f", sunset {self.sunset}" if self.sunset else ", no sunset date")


def parse_sunset(raw: Any) -> dt.date | None:
    """An ISO date (or date-time) or an HTTP date; None when it reads as neither."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = raw.strip()
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) == 10 else dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def judge_removal(deprecated: bool, sunset: Any, today: dt.date) -> Removal:
    """What removing something deprecated (or not) with this sunset means on `today`."""
    if sunset is None:
        return Removal("deprecated" if deprecated else "plain")
    shown = sunset.isoformat() if isinstance(sunset, dt.date) else str(sunset)
    day = parse_sunset(sunset)
    if day is None:
        return Removal("invalid", shown)
    return Removal("after-sunset" if day <= today else "before-sunset", shown)


def operation_sunset(operation: dict[str, Any], resolve: Any) -> Any:
    """An operation's sunset: `x-sunset`, else the example or default of a documented `Sunset` response header."""
    if "x-sunset" in operation:
        return operation["x-sunset"]
    for response in (operation.get("responses") or {}).values():
        headers = (resolve(response) or {}).get("headers") or {}
        for name, header in headers.items():
            if str(name).lower() == "sunset":
                return _header_value(resolve(header) or {}, resolve)
    return None


def _header_value(header: dict[str, Any], resolve: Any) -> Any:
    if "example" in header:
        return header["example"]
    schema = resolve(header.get("schema")) or {}
    for key in ("example", "default", "const"):
        if isinstance(schema, dict) and key in schema:
            return schema[key]
    return None


def sunset_change(before: Any, after: Any, *, still_deprecated: bool) -> tuple[str, str] | None:
    """(rule, message) when a sunset date was withdrawn from something still deprecated, or became unreadable."""
    if after is None:
        if before is None or not still_deprecated:
            return None  # never announced, or no longer deprecated at all: no promise was withdrawn
        return (
            "sunset-date-removed",
            f"sunset date {_shown(before)} removed while still deprecated: removal could come any day",
        )
    if parse_sunset(after) is not None or after == before:
        return None
    return (
        "sunset-date-invalid",
        f"sunset date {_shown(after)} cannot be read (expected YYYY-MM-DD or an HTTP date), "
        "so its removal cannot be judged",
    )


def _shown(raw: Any) -> str:
    return repr(raw.isoformat() if isinstance(raw, dt.date) else raw)


def allows_breaking(operation: dict[str, Any]) -> str:
    """The stability level when it lets the operation change freely (draft, alpha), else ''."""
    level = operation.get("x-stability-level")
    return level if level in _OPEN_LEVELS else ""


def stability_change(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, str] | None:
    """(rule, message) when the stability level is invalid or went backwards, else None."""
    before, after = old.get("x-stability-level"), new.get("x-stability-level")
    if after is not None and after not in STABILITY_LEVELS and after != before:
        return "stability-level-invalid", f"x-stability-level {after!r} is not one of {', '.join(STABILITY_LEVELS)}"
    if (
        before in STABILITY_LEVELS
        and after in STABILITY_LEVELS
        and STABILITY_LEVELS.index(after) < STABILITY_LEVELS.index(before)
    ):
        return "stability-level-decreased", f"x-stability-level went back from {before} to {after}"
    return None


def relax_unstable(changes: Iterable[Change], stability: str) -> Iterator[Change]:
    """The adjustment step of `x-stability-level`: changes to a draft or alpha operation break nobody who was
    promised anything, so they are informational, with the stability level as their level's source."""
    for change in changes:
        if stability and change.level is not Level.INFO and not change.rule.startswith("stability-level"):
            change = replace(
                change,
                adjustment=Adjustment(Level.INFO, f"stability: x-stability-level {stability}"),
                message=f"{change.message} (x-stability-level {stability}: breaking changes allowed)",
            )
        yield change
