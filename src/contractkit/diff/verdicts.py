"""One verdict per change, from the consumers' pacts first: the gate, the spec watch and `contracts diff` with a
registry all ask here.

A change that breaks a consumer (an interaction compatible with the old description and incompatible with the new
one, by the compatibility engine) blocks, whatever level the diff's rule gives it, and names the consumer, the
interaction, the JSON path and the rule. A change a consumer observes without breaking it is a warning when the
rule calls it breaking or a warning, information otherwise. A change no pact observes keeps the rule's level, and
a breaking one follows `gate.unused_breaking` (block | warn | off). A break no change explains still blocks: it is
returned apart, to be shown with the pact findings.

    judged, unexplained = judge_changes(changes, delta, lambda change: observers(usage, change, ...), "warn")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from contractkit.compat import CompatibilityDelta, ConsumerBreak, is_related
from contractkit.diff.model import Change, Level
from contractkit.pact import Observation

__all__ = ["Judged", "UNUSED_POLICIES", "Verdict", "judge_change", "judge_changes", "unused_policy"]

UNUSED_POLICIES = ("block", "warn", "off")
_SHOWN = 3


class Verdict(StrEnum):
    """What becomes of one change."""

    BLOCK = "block"
    WARN = "warn"
    ACCEPTED = "accepted"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Judged:
    """A change, its verdict, why, who observes it and which consumer interactions it breaks."""

    change: Change
    verdict: Verdict
    note: str
    observations: tuple[Observation, ...] = ()
    breaks: tuple[ConsumerBreak, ...] = ()

    @property
    def observers(self) -> list[str]:
        """The consumers that observe the change, sorted."""
        return sorted({seen.consumer for seen in self.observations})

    def observer_dicts(self) -> list[dict[str, str]]:
        """Who observes the change, as JSON data."""
        return [
            {
                "consumer": seen.consumer,
                "interaction": seen.interaction,
                "location": seen.location,
                "reason": seen.reason,
            }
            for seen in self.observations
        ]

    def break_dicts(self) -> list[dict[str, str]]:
        """The consumer interactions the change breaks, as JSON data."""
        return [found.to_dict() for found in self.breaks]

    def details(self) -> dict[str, object]:
        """The verdict as JSON data: who observes, what breaks."""
        return {
            "verdict": str(self.verdict),
            "note": self.note,
            "rule": self.change.rule,
            "level": str(self.change.level),
            "observers": self.observer_dicts(),
            "breaks": self.break_dicts(),
        }


def unused_policy(setting: object) -> str:
    """`gate.unused_breaking` as one of block | warn | off (YAML 1.1 reads a bare `off` as false)."""
    text = "off" if setting is False else str(setting or "warn")
    return text if text in UNUSED_POLICIES else "warn"


def closeness(seen: Iterable[Observation], found: ConsumerBreak) -> int:
    """How closely a change observed like this explains a break: 0 when it does not (another consumer, another
    interaction, an unrelated place), else the length of the observed place (a change at the field itself
    explains its break better than one at the object holding it)."""
    lengths = [
        len(item.location) + 1
        for item in seen
        if item.consumer == found.consumer
        and item.interaction == found.interaction
        and is_related(item.location, found.problem.location)
    ]
    return max(lengths, default=0)


def judge_change(
    change: Change,
    observations: Sequence[Observation],
    breaks: Sequence[ConsumerBreak],
    unused: str,
    *,
    judged_by_pacts: bool = True,
) -> Judged:
    """The verdict of one change given who observes it and the breaks it explains. Without a description to judge
    the pacts against (`judged_by_pacts=False`: a bare JSON Schema file), a breaking change a consumer observes
    blocks on the rule's word."""
    seen = tuple(observations)
    if not judged_by_pacts and seen and change.is_breaking:
        who = "; ".join(item.describe() for item in seen[:_SHOWN])
        return Judged(
            change,
            Verdict.BLOCK,
            f"observed by {who} (rule {change.rule}, breaking; a JSON Schema file "
            "gives no description to judge the pacts against)",
            seen,
        )
    if breaks:
        shown = "; ".join(found.describe() for found in breaks[:_SHOWN])
        more = f"; and {len(breaks) - _SHOWN} more" if len(breaks) > _SHOWN else ""
        return Judged(
            change,
            Verdict.BLOCK,
            f"breaks {shown}{more} (rule {change.rule}, {change.level} by default)",
            seen,
            tuple(breaks),
        )
    if seen:
        who = "; ".join(item.describe() + (f" at {item.location}" if item.location else "") for item in seen[:_SHOWN])
        more = f"; and {len(seen) - _SHOWN} more" if len(seen) > _SHOWN else ""
        if change.level is Level.INFO:
            return Judged(change, Verdict.INFO, f"observed by {who}{more}; every pact still verifies", seen)
        return Judged(
            change,
            Verdict.WARN,
            f"observed by {who}{more}; every observing pact still verifies against the new description",
            seen,
        )
    if change.level is Level.INFO:
        return Judged(change, Verdict.INFO, "")
    if change.level is Level.WARNING:
        return Judged(change, Verdict.WARN, "no consumer sends or reads it")
    verdict = {"block": Verdict.BLOCK, "off": Verdict.INFO}.get(unused, Verdict.WARN)
    return Judged(change, verdict, f"unused: no consumer sends or reads it (gate.unused_breaking: {unused})")


def judge_changes(
    changes: Sequence[Change],
    delta: CompatibilityDelta,
    observe: Callable[[Change], Sequence[Observation]],
    unused: str,
) -> tuple[list[Judged], list[ConsumerBreak]]:
    """Every change judged, and the breaks no change explains (they block all the same). A break goes to the
    changes that explain it most closely."""
    seen = [list(observe(change)) for change in changes]
    scores = [[closeness(observed, found) for found in delta.breaks] for observed in seen]
    best = [max((row[index] for row in scores), default=0) for index in range(len(delta.breaks))]
    judged = []
    for change, observed, row in zip(changes, seen, scores):
        mine = [found for index, found in enumerate(delta.breaks) if row[index] and row[index] == best[index]]
        judged.append(judge_change(change, observed, mine, unused))
    return judged, [found for index, found in enumerate(delta.breaks) if not best[index]]
