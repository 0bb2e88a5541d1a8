"""How much a change matters: the three levels and their order, below both the rule table and the changes."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["LEVEL_ORDER", "Level"]


class Level(StrEnum):
    """How much a change matters to an existing client."""

    BREAKING = "breaking"
    WARNING = "warning"
    INFO = "info"


LEVEL_ORDER = {Level.BREAKING: 0, Level.WARNING: 1, Level.INFO: 2}
