"""Which consumers a new description breaks: every interaction of every consumer's pact judged against the old
and the new description. Compatible before and incompatible after is a break, whatever the description's diff
calls the change; incompatible before and after is reported as already so, never blamed on the change.

    delta = compare_calls(usage.of_provider("pagerduty"), old_validator, new_validator)
    for found in delta.breaks:
        print(found.describe())
    # devctl (a listing of triggered and acknowledged incidents): response body $.incidents[*].title: expects field
    # 'title', which the description does not declare
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from contractkit.compat.judge import Incompatibility, judge_interaction
from contractkit.core.model import Finding, Severity
from contractkit.pact import InteractionUsage
from contractkit.validation import SpecValidator

__all__ = ["CompatibilityDelta", "ConsumerBreak", "compare_calls", "is_related"]


@dataclass(frozen=True, slots=True)
class ConsumerBreak:
    """One consumer interaction and one way it fails against a description."""

    consumer: str
    provider: str
    interaction: str
    pact: str
    problem: Incompatibility

    def describe(self) -> str:
        """`devctl (a listing of incidents): response body $.incidents[*].title: expects field 'title', ...`."""
        return f"{self.consumer} ({self.interaction}): {self.problem.shown}: {self.problem.reason}"

    def finding(self, *, severity: Severity | None = None, note: str = "") -> Finding:
        """The break as a Finding naming the consumer and the interaction (the problem's severity unless given)."""
        return self.problem.finding(
            f"{self.consumer} ({self.interaction})", provider=self.provider, severity=severity, note=note
        )

    def to_dict(self) -> dict[str, str]:
        """The break as JSON data."""
        return {
            "consumer": self.consumer,
            "provider": self.provider,
            "interaction": self.interaction,
            "pact": self.pact,
            "code": self.problem.code,
            "where": self.problem.where,
            "location": self.problem.path,
            "reason": self.problem.reason,
            "severity": str(self.problem.severity),
        }


@dataclass(frozen=True, slots=True)
class CompatibilityDelta:
    """Interactions judged against two descriptions: what the new one breaks, what was broken already, what it
    mends, and how many interactions were judged."""

    breaks: tuple[ConsumerBreak, ...] = ()
    already: tuple[ConsumerBreak, ...] = ()
    mended: tuple[ConsumerBreak, ...] = ()
    judged: int = 0

    @property
    def consumers(self) -> list[str]:
        """The consumers the new description breaks, sorted."""
        return sorted({found.consumer for found in self.breaks})


def compare_calls(
    calls: Iterable[InteractionUsage], old: SpecValidator | None, new: SpecValidator
) -> CompatibilityDelta:
    """Every consumer interaction with a provider (the usage model's calls: every consumer's pacts) judged against
    the old description (None: there was none, so nothing was incompatible before) and the new one."""
    breaks: list[ConsumerBreak] = []
    already: list[ConsumerBreak] = []
    mended: list[ConsumerBreak] = []
    judged = 0
    for call in calls:
        if call.interaction is None:
            continue
        judged += 1
        before = _found(call, judge_interaction(call.interaction, old)) if old is not None else []
        after = _found(call, judge_interaction(call.interaction, new))
        known = {found.problem.key for found in before}
        still = {found.problem.key for found in after}
        breaks += [found for found in after if found.problem.key not in known]
        already += [found for found in after if found.problem.key in known]
        mended += [found for found in before if found.problem.key not in still]
    return CompatibilityDelta(tuple(breaks), tuple(already), tuple(mended), judged)


def _found(call: InteractionUsage, problems: Sequence[Incompatibility]) -> list[ConsumerBreak]:
    return [ConsumerBreak(call.consumer, call.provider, call.description, call.pact, problem) for problem in problems]


def is_related(location: str, other: str) -> bool:
    """Whether two places of a message are the same or one holds the other: JSON paths by their segments
    (`$.incident` holds `$.incident.title`), parameter names by equality."""
    left, right = location.split("#", 1)[0], other.split("#", 1)[0]
    if not left.startswith("$") or not right.startswith("$"):
        return left.lower() == right.lower() or not left or not right
    shorter, longer = sorted((left, right), key=len)
    return longer == shorter or longer.startswith(shorter + ".") or longer.startswith(shorter + "[") or shorter == "$"
