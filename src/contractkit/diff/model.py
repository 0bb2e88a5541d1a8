"""The values the diff produces: a level, one change, a delta inside a schema, and the result of a diff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from contractkit.diff.levels import CONFIGURATION, DEFAULT_SOURCE, LEVEL_ORDER, Adjustment, Level
from contractkit.diff.rules import RULES, rule_name

__all__ = [
    "CONFIGURATION",
    "DEFAULT_SOURCE",
    "LEVEL_ORDER",
    "REQUEST",
    "RESPONSE",
    "Adjustment",
    "Change",
    "Delta",
    "DiffOptions",
    "DiffResult",
    "Level",
    "pointer_part",
]

REQUEST, RESPONSE = "request", "response"


@lru_cache(maxsize=1 << 16)
def pointer_part(text: str) -> str:
    """Escape one JSON pointer segment."""
    return text.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two API descriptions: a rule id, where it is, and any adjustment of its level.

    A change names its rule and never a level: the level is the rule table's default unless a step after
    emission (an operation's stability level, the project's `gate.levels`) adjusted it, saying why.
    `origin` names the shared component the change lives in (`#/components/schemas/error/properties/code`),
    `detail` is the message relative to that component, so one component change reached by many operations
    groups into one entry.
    """

    rule: str
    path: str
    method: str
    location: str  # JSON pointer into the new document (the old one for removals)
    message: str
    origin: str = ""
    detail: str = ""
    adjustment: Adjustment | None = None

    @property
    def code(self) -> str:
        """The rule's stable CK5xx/CK6xx code, read from the rule table ('' for an id the table does not know)."""
        rule = RULES.get(self.rule)
        return rule.code if rule else ""

    @property
    def level(self) -> Level:
        """The adjusted level, else the rule table's default for the rule."""
        return self.adjustment.level if self.adjustment is not None else RULES[self.rule].level

    @property
    def level_source(self) -> str:
        """Where the level comes from: `default` (the rule table) or the adjustment's source."""
        return self.adjustment.source if self.adjustment is not None else DEFAULT_SOURCE

    @property
    def is_breaking(self) -> bool:
        """True for a breaking change."""
        return self.level is Level.BREAKING

    @property
    def operation(self) -> str:
        """`GET /pets`, or the path alone for a path-level change."""
        return f"{self.method} {self.path}".strip()

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a change: rule, code, level (and where it came from), place and message."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "code": self.code,
            "level": str(self.level),
            "level_source": self.level_source,
            "path": self.path,
            "method": self.method,
            "location": self.location,
            "message": self.message,
        }
        if self.origin:
            data["origin"] = self.origin
        return data


@dataclass(frozen=True, slots=True)
class Delta:
    """A change found inside a schema read in `direction`, relative to that schema; the caller roots it at a location.

    Like a change it names its rule (by suffix) and never a level: the level is the rule table's for that suffix
    read in that direction.
    """

    suffix: str
    direction: str
    rel: tuple[str, ...]
    message: str
    origin: str = ""
    cycle: tuple[int, int, str] | None = None  # set on an edge: the pair of schemas below, compared on its own

    @property
    def level(self) -> Level:
        """The rule table's level of this delta's rule read in its direction (an edge, standing for the pair below,
        has none: read the pair's deltas instead)."""
        return RULES[rule_name(self.direction, self.suffix, self.rel)].level


@dataclass(frozen=True, slots=True)
class DiffOptions:
    """How to judge: levels configured per rule (`off` drops a rule), the day sunsets are judged on, leniency."""

    levels: Mapping[str, str] = field(default_factory=dict)
    today: dt.date | None = None
    lenient: bool = False

    def day(self) -> dt.date:
        """The day sunset dates are compared with (today unless fixed)."""
        return self.today or dt.date.today()


@dataclass(frozen=True, slots=True)
class DiffResult:
    """All changes between two descriptions, breaking ones first, and what was wrong with the inputs (lenient)."""

    old: str
    new: str
    changes: tuple[Change, ...]
    notes: tuple[str, ...] = ()

    @property
    def breaking(self) -> bool:
        """True when at least one change is breaking."""
        return any(change.is_breaking for change in self.changes)

    def count(self, level: Level) -> int:
        """How many changes have this level."""
        return sum(1 for change in self.changes if change.level is level)
