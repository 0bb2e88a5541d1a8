"""A guard for contract regexes: refuse patterns that can backtrack catastrophically in Python's `re`.

A contract's `$regex` is compiled and matched here (its example is checked) and by anyone who reads the
pact; `^(a+)+$` takes exponential time on a near-miss such as 'aaaa...b'. The check reads the parsed
pattern, so it costs nothing at match time: a repeat inside a repeat is refused unless a literal that the
inner repeat cannot match separates the repetitions (`(-[a-z]+)*` is fine), and so are repeated
alternatives that start alike (`(a|a)*`).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["find_backtracking_risk"]

_SRE = re._parser  # type: ignore[attr-defined]  # the stdlib's regex parser: the pattern's structure
_COMPILER = re._compiler  # type: ignore[attr-defined]
_UNBOUNDED = 64  # a repeat with a larger maximum counts as unbounded


def find_backtracking_risk(pattern: str) -> str | None:
    """Why a pattern may backtrack catastrophically (a repeat inside a repeat, `(a+)+`, `(a|a)*`), or None.

    Python's `re` backtracks; such a pattern takes exponential time on a near-miss. Checked on the parsed
    pattern, so it costs nothing at match time.
    """
    return _risk_in(_SRE.parse(pattern), inside_repeat=False)


def _risk_in(items: Any, *, inside_repeat: bool) -> str | None:
    for op, value in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = value
            unbounded = high is _SRE.MAXREPEAT or high > _UNBOUNDED
            if unbounded and inside_repeat and name != "POSSESSIVE_REPEAT":
                return "a repeated group that itself repeats"
            if unbounded and _is_separated(sub):  # `(-[a-z]+)*`: the '-' fixes where each repetition starts
                found = _risk_in(_unwrap(sub), inside_repeat=False)
                if found:
                    return found
                continue
            found = _risk_in(sub, inside_repeat=inside_repeat or unbounded)
        elif name == "SUBPATTERN":
            found = _risk_in(value[-1], inside_repeat=inside_repeat)
        elif name == "BRANCH":
            found = _branch_risk(value[1], inside_repeat)
        elif name in ("ASSERT", "ASSERT_NOT"):
            found = _risk_in(value[1], inside_repeat=inside_repeat)
        else:
            found = None
        if found:
            return found
    return None


def _unwrap(items: Any) -> Any:
    """The items of a repeated body, looking through one capturing or non-capturing group."""
    if len(items) == 1 and str(items[0][0]) == "SUBPATTERN":
        return items[0][1][-1]
    return items


def _is_separated(items: Any) -> bool:
    """True when a repeated body holds a literal character that none of its inner repeats can match."""
    body = list(_unwrap(items))
    repeats = [value[2] for op, value in body if str(op) in ("MAX_REPEAT", "MIN_REPEAT")]
    literals = [chr(value) for op, value in body if str(op) == "LITERAL"]
    if not repeats or not literals or any(len(sub) != 1 for sub in repeats):
        return False
    matchers = [_COMPILER.compile(_SRE.SubPattern(_SRE.State(), list(sub)), 0) for sub in repeats]
    return any(all(matcher.fullmatch(char) is None for matcher in matchers) for char in literals)


def _branch_risk(branches: list[Any], inside_repeat: bool) -> str | None:
    if inside_repeat and len({str(branch[:1]) for branch in branches}) < len(branches):
        return "repeated alternatives that can match the same text"
    for branch in branches:
        found = _risk_in(branch, inside_repeat=inside_repeat)
        if found:
            return found
    return None
