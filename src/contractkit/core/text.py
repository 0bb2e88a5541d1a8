"""Showing values in messages: short, one line, never a whole document."""

from __future__ import annotations

import json
from typing import Any


def shorten(value: Any, width: int = 60) -> str:
    """A value as compact JSON, cut to `width` characters ("an object" for mappings)."""
    if isinstance(value, dict):
        return "an object"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 3] + "..."


__all__ = ["shorten"]
