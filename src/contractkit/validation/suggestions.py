"""Overlay suggestions: corrections to a vendor's description that recorded reality keeps asking for.

Where most recorded responses to the operations concerned contradict the description in the same place,
`suggest_corrections` proposes an entry in the quirks-overlay format of `contractkit.openapi.overlays`:

- a property marked required that most responses lack: `replace` the schema's `required` list without it;
- a format most values do not honour: `remove` the `format` keyword;
- a null where the description does not allow one: `add` `nullable: true` (on the `$ref` node that led there,
  so a shared component stays as it is elsewhere).

Each suggestion carries its evidence (disagreeing responses, responses recorded for those operations, the
operations) in its provenance reason and in an `evidence` key the overlay loader ignores; once the vendor fixes
its description, the overlay-evidence check retires the entry as it does any other.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from contractkit.core.errors import SchemaLoadError
from contractkit.core.files import write_text_atomic
from contractkit.core.model import CheckResult, Status
from contractkit.openapi import pointer_parts
from contractkit.validation.responses import SchemaFinding, resolve_schema_pointer
from contractkit.validation.summary import operation_of

SUGGESTED_KINDS = ("missing-required", "format", "null")
DEFAULT_SHARE = 0.5  # "most responses"
DEFAULT_MIN_RESPONSES = 3


@dataclass(frozen=True, slots=True)
class Evidence:
    """How many responses disagree, out of how many recorded for the operations concerned, and which operations."""

    disagreeing: int
    responses: int
    operations: tuple[str, ...]
    example: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One proposed overlay correction and the evidence for it."""

    id: str
    op: str  # add | replace | remove
    path: str  # JSON pointer into the description, without the leading '#'
    value: Any
    reason: str
    evidence: Evidence


@dataclass(slots=True)
class _Tally:
    responses: set[str]
    operations: set[str]
    example: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place where recorded responses contradict the description, kind and detail, and the evidence for it."""

    kind: str
    pointer: str
    detail: str
    evidence: Evidence

    def is_supported(self, share: float, min_responses: int) -> bool:
        """Enough responses disagree here, and they are at least `share` of those recorded for the operations."""
        return (
            self.evidence.disagreeing >= min_responses and self.evidence.disagreeing >= share * self.evidence.responses
        )


def suggest_corrections(
    document: Mapping[str, Any],
    results: Iterable[CheckResult],
    *,
    share: float = DEFAULT_SHARE,
    min_responses: int = DEFAULT_MIN_RESPONSES,
) -> list[Suggestion]:
    """Overlay corrections for the disagreements shown by at least `share` of the responses concerned."""
    accepted: dict[tuple[str, str], list[tuple[str, Evidence]]] = {}
    for candidate in iter_candidates(results):
        if candidate.is_supported(share, min_responses):
            accepted.setdefault((candidate.kind, candidate.pointer), []).append((candidate.detail, candidate.evidence))
    suggestions = [
        suggestion
        for (kind, pointer), items in sorted(accepted.items())
        for suggestion in _suggestions(document, kind, pointer, items)
    ]
    return sorted(suggestions, key=lambda item: (-item.evidence.disagreeing, item.path))


def iter_candidates(results: Iterable[CheckResult]) -> Iterator[Candidate]:
    """Every place an overlay could correct, with how many responses disagree there out of how many recorded."""
    results = list(results)
    totals = _responses_per_operation(results)
    for (kind, pointer, detail), tally in _tally(results).items():
        yield Candidate(
            kind,
            pointer,
            detail,
            Evidence(
                len(tally.responses),
                sum(totals.get(name, 0) for name in tally.operations),
                tuple(sorted(tally.operations)),
                tally.example,
            ),
        )


def explain_no_suggestion(
    results: Iterable[CheckResult], *, share: float = DEFAULT_SHARE, min_responses: int = DEFAULT_MIN_RESPONSES
) -> str:
    """Why suggest_corrections proposed nothing: no response, no disagreement an overlay corrects, or too little
    evidence for any (with the numbers of the best-supported one)."""
    results = list(results)
    checked = sum(_responses_per_operation(results).values())
    candidates = list(iter_candidates(results))
    if not checked:
        return "no recorded response was checked against the description"
    if not candidates:
        return (
            f"none of the {checked} recorded responses contradicts the description where an overlay corrects it "
            f"(a required property missing, a value not of its format, a null where none is allowed)"
        )
    supported = [candidate for candidate in candidates if candidate.is_supported(share, min_responses)]
    if supported:
        places = ", ".join(sorted({candidate.pointer for candidate in supported}))
        return f"the description already allows what the recorded responses need, or no overlay entry can say it, at {places}"
    best = max(
        candidates,
        key=lambda item: (item.evidence.disagreeing, item.evidence.disagreeing / max(item.evidence.responses, 1)),
    )
    short = (
        "record more responses"
        if best.evidence.disagreeing < min_responses
        else "most responses there agree with the description"
    )
    return (
        f"a correction needs at least {min_responses} responses that disagree in the same place, and at least "
        f"{share:.0%} of the responses recorded for the operations concerned; the best-supported, "
        f"{_describe(best)}, has {best.evidence.disagreeing} of {best.evidence.responses} ({short})"
    )


def _describe(candidate: Candidate) -> str:
    if candidate.kind == "missing-required":
        return f"required property {candidate.detail!r} missing at {candidate.pointer}"
    if candidate.kind == "format":
        return f"values not of format {candidate.detail} at {candidate.pointer}"
    return f"null at {candidate.pointer}"


def _responses_per_operation(results: list[CheckResult]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for result in results:
        if result.check == "response-schema" and result.status is not Status.SKIPPED:
            totals[operation_of(result)] = totals.get(operation_of(result), 0) + 1
    return totals


def _tally(results: list[CheckResult]) -> dict[tuple[str, str, str], _Tally]:
    tallies: dict[tuple[str, str, str], _Tally] = {}
    for result in results:
        if result.check != "response-schema" or result.status is not Status.FAILED:
            continue
        for finding in result.findings:
            if (
                not isinstance(finding, SchemaFinding)
                or finding.kind not in SUGGESTED_KINDS
                or not finding.schema_pointer
            ):
                continue
            pointer = (finding.via or finding.schema_pointer) if finding.kind == "null" else finding.schema_pointer
            tally = tallies.setdefault((finding.kind, pointer, finding.detail), _Tally(set(), set(), finding.message))
            tally.responses.add(f"{result.details.get('file', '')}#{result.details.get('index', result.interaction)}")
            tally.operations.add(operation_of(result))
    return tallies


def _suggestions(
    document: Mapping[str, Any], kind: str, pointer: str, items: list[tuple[str, Evidence]]
) -> list[Suggestion]:
    node = _node(document, pointer)
    path = pointer.removeprefix("#")
    name = _slug(pointer_parts(pointer)[-1] if pointer_parts(pointer) else "root")
    if kind == "missing-required" and isinstance(node, Mapping) and isinstance(node.get("required"), list):
        absent = [detail for detail, _ in items]
        evidence = max((evidence for _, evidence in items), key=lambda item: item.disagreeing)
        kept = [field for field in node["required"] if field not in absent]
        counts = ", ".join(f"{detail!r} in {item.disagreeing} of {item.responses}" for detail, item in items)
        reason = f"recorded responses lack required {'properties' if len(absent) > 1 else 'property'} {counts}"
        op, value = ("replace", kept) if kept else ("remove", None)
        return [
            Suggestion(
                f"{name}-optional-{_slug('-'.join(absent))}"[:90], op, f"{path}/required", value, reason, evidence
            )
        ]
    if kind == "format" and isinstance(node, Mapping) and "format" in node:
        detail, evidence = items[0]
        reason = (
            f"{evidence.disagreeing} of {evidence.responses} recorded responses carry a value that is not a valid "
            f"{detail} (e.g. {evidence.example})"
        )
        return [Suggestion(f"{name}-no-format-{_slug(detail)}", "remove", f"{path}/format", None, reason, evidence)]
    if kind == "null" and isinstance(node, Mapping) and node.get("nullable") is not True:
        detail, evidence = items[0]
        reason = (
            f"{evidence.disagreeing} of {evidence.responses} recorded responses carry null where {detail} is documented"
        )
        return [Suggestion(f"{name}-nullable", "add", f"{path}/nullable", True, reason, evidence)]
    return []


def _node(document: Mapping[str, Any], pointer: str) -> Any:
    try:
        return resolve_schema_pointer(document, pointer)
    except SchemaLoadError:  # a pointer that does not resolve yields no suggestion
        return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def overlay_text(suggestions: list[Suggestion], *, reference: str, observed: str | None = None) -> str:
    """The suggestions as an overlay file (registry overlay format), with the evidence of each entry."""
    day = observed or _dt.date.today().isoformat()
    entries = []
    for item in suggestions:
        entry: dict[str, Any] = {"id": item.id, "op": item.op, "path": item.path}
        if item.op != "remove":
            entry["value"] = item.value
        entry["provenance"] = {"reference": reference, "observed": day, "reason": item.reason}
        entry["evidence"] = {
            "disagreeing": item.evidence.disagreeing,
            "responses": item.evidence.responses,
            "operations": list(item.evidence.operations),
        }
        entries.append(entry)
    head = (
        "# Overlay corrections suggested from recorded responses. Review each one, then add it to the provider's\n"
        "# overlay (registry.yaml `overlay:`); `contracts lint` reports an entry once no recording needs it.\n"
    )
    body = yaml.safe_dump(
        {"version": 1, "corrections": _unique_ids(entries)}, sort_keys=False, allow_unicode=True, width=120
    )
    return head + body


def _unique_ids(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, int] = {}
    for entry in entries:
        count = seen.get(entry["id"], 0)
        seen[entry["id"]] = count + 1
        if count:
            entry["id"] = f"{entry['id']}-{count + 1}"
    return entries


def write_overlay_suggestions(path: Path, suggestions: list[Suggestion], *, reference: str) -> None:
    """Write the suggestions as an overlay file, atomically."""
    write_text_atomic(Path(path), overlay_text(suggestions, reference=reference))


__all__ = [
    "DEFAULT_MIN_RESPONSES",
    "DEFAULT_SHARE",
    "Candidate",
    "Evidence",
    "Suggestion",
    "explain_no_suggestion",
    "iter_candidates",
    "overlay_text",
    "suggest_corrections",
    "write_overlay_suggestions",
]
