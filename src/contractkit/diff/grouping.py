"""Readable at scale: one entry per distinct change, with the operations that reach it, and a summary.

A change inside a shared component (Stripe's `error` body) is found once per operation that can reach it;
a report groups those occurrences into one entry ("reached by 212 operations"). The JSON report keeps
every occurrence for tools; the summary counts both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from contractkit.diff.model import CONFIGURATION, LEVEL_ORDER, Change, Level

__all__ = ["ChangeGroup", "RuleCount", "Summary", "group_changes", "summarize_changes"]


@dataclass(frozen=True, slots=True)
class ChangeGroup:
    """One distinct change and every occurrence of it (one per operation that reaches it)."""

    rule: str
    level: Level
    where: str  # the component pointer for a shared change, else the location
    message: str
    changes: tuple[Change, ...]

    @property
    def code(self) -> str:
        """The rule's stable code."""
        return self.changes[0].code

    @property
    def operations(self) -> tuple[str, ...]:
        """`GET /pets`-style names of the operations that reach this change, in order, without repeats."""
        return tuple(dict.fromkeys(change.operation for change in self.changes))

    @property
    def shared(self) -> bool:
        """True when the change lives in a component that operations share."""
        return bool(self.changes[0].origin)

    @property
    def level_source(self) -> str:
        """Where the level comes from: `default` (the rule table) or the adjustment's source."""
        return self.changes[0].level_source

    @property
    def configured(self) -> bool:
        """True when the level came from the project's configuration (`gate.levels`)."""
        return self.level_source == CONFIGURATION


@dataclass(frozen=True, slots=True)
class RuleCount:
    """How often one rule fired: occurrences and distinct changes."""

    rule: str
    level: Level
    occurrences: int
    distinct: int


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts per level (occurrences and distinct changes) and per rule, breaking first."""

    occurrences: dict[Level, int]
    distinct: dict[Level, int]
    rules: tuple[RuleCount, ...]

    @property
    def total(self) -> int:
        """All occurrences."""
        return sum(self.occurrences.values())


def _group_key(change: Change) -> tuple[str, str, str, str]:
    if change.origin:
        return change.rule, str(change.level), change.origin, change.detail or change.message
    return change.rule, str(change.level), f"{change.operation} {change.location}", change.message


def group_changes(changes: Iterable[Change]) -> list[ChangeGroup]:
    """Occurrences of one change in a shared component grouped; breaking first, widest reach first."""
    buckets: dict[tuple[str, str, str, str], list[Change]] = {}
    for change in changes:
        buckets.setdefault(_group_key(change), []).append(change)
    groups = [
        ChangeGroup(
            found[0].rule,
            found[0].level,
            found[0].origin or found[0].location,
            (found[0].detail or found[0].message) if found[0].origin else found[0].message,
            tuple(found),
        )
        for found in buckets.values()
    ]
    return sorted(groups, key=lambda g: (LEVEL_ORDER[g.level], -len(g.changes), g.rule, g.where, g.message))


def summarize_changes(changes: Iterable[Change], groups: Iterable[ChangeGroup]) -> Summary:
    """Counts per level and per rule, of occurrences and of distinct (grouped) changes."""
    occurrences = Counter((change.rule, change.level) for change in changes)
    distinct = Counter((group.rule, group.level) for group in groups)
    rules = tuple(
        RuleCount(rule, level, count, distinct[(rule, level)])
        for (rule, level), count in sorted(
            occurrences.items(), key=lambda item: (LEVEL_ORDER[item[0][1]], -item[1], item[0][0])
        )
    )
    per_level = {level: sum(c.occurrences for c in rules if c.level is level) for level in Level}
    distinct_level = {level: sum(c.distinct for c in rules if c.level is level) for level in Level}
    return Summary(per_level, distinct_level, rules)
