"""How much a change matters: the three levels and their order, and an adjustment of a rule's default level.

Both sit below the rule table and the changes: a rule's default level is the table's, and a level set after
emission (an operation's stability level, the project's `gate.levels`) is an `Adjustment` that says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["CONFIGURATION", "DEFAULT_SOURCE", "LEVEL_ORDER", "Adjustment", "Level"]

DEFAULT_SOURCE = "default"  # the level is the rule table's default for the rule
CONFIGURATION = "configuration: gate.levels"  # the level is the project's


class Level(StrEnum):
    """How much a change matters to an existing client."""

    BREAKING = "breaking"
    WARNING = "warning"
    INFO = "info"


LEVEL_ORDER = {Level.BREAKING: 0, Level.WARNING: 1, Level.INFO: 2}


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A level set after emission, and why (`stability: x-stability-level alpha`, `configuration: gate.levels`)."""

    level: Level
    source: str
