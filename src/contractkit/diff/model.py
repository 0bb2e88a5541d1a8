"""The values the diff produces: a level, one change, a delta inside a schema, and the result of a diff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from contractkit.diff.levels import LEVEL_ORDER, Level
from contractkit.diff.rules import RULES

__all__ = ["LEVEL_ORDER", "REQUEST", "RESPONSE", "Change", "Delta", "DiffOptions", "DiffResult", "Level", "pointer_part"]

REQUEST, RESPONSE = "request", "response"


@lru_cache(maxsize=1 << 16)
def pointer_part(text: str) -> str:
    """Escape one JSON pointer segment."""
    return text.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two API descriptions, with a rule id, a level and where it is.

    `origin` names the shared component the change lives in (`#/components/schemas/error/properties/code`),
    `detail` is the message relative to that component, so one component change reached by many operations
    groups into one entry; `configured` is True when the level came from the project's `gate.levels`.
    """

    rule: str
    level: Level
    path: str
    method: str
    location: str  # JSON pointer into the new document (the old one for removals)
    message: str
    origin: str = ""
    detail: str = ""
    configured: bool = False

    @property
    def code(self) -> str:
        """The rule's stable CK5xx/CK6xx code, read from the rule table ('' for an id the table does not know)."""
        rule = RULES.get(self.rule)
        return rule.code if rule else ""

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
        data: dict[str, Any] = {"rule": self.rule, "code": self.code, "level": str(self.level),
                                "level_source": "configuration" if self.configured else "default",
                                "path": self.path, "method": self.method, "location": self.location,
                                "message": self.message}
        if self.origin:
            data["origin"] = self.origin
        return data


@dataclass(frozen=True, slots=True)
class Delta:
    """A change found inside a schema, relative to that schema; the caller roots it at a location."""

    suffix: str
    level: Level
    rel: tuple[str, ...]
    message: str
    origin: str = ""
    cycle: tuple[int, int, str] | None = None  # set on an edge: the pair of schemas below, compared on its own


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
