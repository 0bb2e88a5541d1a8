"""The conformance summary: where recorded responses disagree with the description, how, and how often.

A report of two thousand failed responses is mostly the same thirty fields again. The summary groups every
disagreement by operation, JSON path (list indexes folded into `[*]`) and kind, counts the responses (not
the errors) that show it, sorts by that count and keeps one example; the JSON form keeps every occurrence.

Kinds: missing-required, wrong-type, null (null where the description does not allow it), format, enum,
undocumented-property, schema (any other keyword), undocumented-status, undocumented-content-type,
unparsable-body, header, no-operation, error-schema (a 4xx/5xx body against the provider's error schema),
aws-shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from contractkit.core.codes import Code
from contractkit.core.model import CheckResult, Finding, Status
from contractkit.validation.responses import (
    SchemaFinding,
)

SUMMARISED_CHECKS = ("response-schema", "error-schema")
_KIND_BY_CODE: dict[str, str] = {
    Code.STATUS_UNDECLARED: "undocumented-status",
    Code.CONTENT_TYPE_UNDECLARED: "undocumented-content-type",
    Code.BODY_UNPARSABLE: "unparsable-body",
    Code.HEADER_MISSING: "header",
    Code.NO_OPERATION: "no-operation",
    Code.ERROR_SCHEMA: "error-schema",
    Code.AWS_SHAPE: "aws-shape",
}
_INDEX = re.compile(r"\[\d+\]")


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One response that shows a disagreement: which recording, where in the body, and what was said."""

    interaction: str  # `github.json#12`
    json_path: str  # `$[3].user.login`
    message: str


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One way responses to an operation disagree with the description, with how many responses show it."""

    operation: str
    json_path: str  # list indexes folded: `$[*].user.login`
    kind: str
    responses: int  # responses showing it
    total: int  # responses recorded for the operation
    example: str
    occurrences: tuple[Occurrence, ...]


@dataclass(frozen=True, slots=True)
class ConformanceSummary:
    """Every disagreement of a set of validated responses, most frequent first."""

    responses: int
    disagreeing: int
    rows: tuple[Disagreement, ...]


def kind_of(finding: Finding) -> str:
    """The kind of disagreement a finding reports."""
    if isinstance(finding, SchemaFinding):
        return "error-schema" if finding.code == Code.ERROR_SCHEMA else finding.kind
    return _KIND_BY_CODE.get(finding.code, "schema")


def fold_indexes(path: str) -> str:
    """`$[3].labels[0].name` -> `$[*].labels[*].name`."""
    return _INDEX.sub("[*]", path)


def summarize_conformance(results: Iterable[CheckResult]) -> ConformanceSummary:
    """Group the findings of validated responses by (operation, folded JSON path, kind), counting responses."""
    totals: dict[str, int] = {}
    groups: dict[tuple[str, str, str], list[Occurrence]] = {}
    responses = disagreeing = 0
    for result in results:
        if result.check not in SUMMARISED_CHECKS or result.status is Status.SKIPPED:
            continue
        operation = operation_of(result)
        if result.check == "response-schema":
            responses += 1
            totals[operation] = totals.get(operation, 0) + 1
        if result.status is not Status.FAILED:
            continue
        disagreeing += result.check == "response-schema"
        seen: set[tuple[str, str, str]] = set()
        for finding in result.findings:
            key = (operation, fold_indexes(finding.location), kind_of(finding))
            if key not in seen:  # a response counts once per row, however many list items repeat the error
                seen.add(key)
                groups.setdefault(key, []).append(Occurrence(result.interaction, finding.location, finding.message))
    rows = [
        Disagreement(
            operation, path, kind, len(items), totals.get(operation, len(items)), items[0].message, tuple(items)
        )
        for (operation, path, kind), items in groups.items()
    ]
    rows.sort(key=lambda row: (-row.responses, row.operation, row.json_path, row.kind))
    return ConformanceSummary(responses, disagreeing, tuple(rows))


def operation_of(result: CheckResult) -> str:
    """The operation a result belongs to, with the response status: `GET /repos/{owner}/{repo} (repos/get) 200`."""
    status = result.details.get("response_status")
    return f"{result.operation} {status}" if status is not None else result.operation


def conformance_lines(summary: ConformanceSummary, *, limit: int = 50) -> list[str]:
    """The summary as text lines: a headline, then one line per disagreement (the first `limit`)."""
    if not summary.rows:
        return []
    headline = (
        f"Conformance: {summary.disagreeing} of {summary.responses} recorded responses disagree with the "
        f"description ({len(summary.rows)} distinct disagreements, most frequent first)"
    )
    lines = [headline]
    for row in summary.rows[:limit]:
        lines.append(f"  {row.responses:>6} of {row.total:<6} {row.kind:<26} {row.operation}  {row.json_path}")
        lines.append(f"{'':>24}e.g. {row.occurrences[0].interaction}: {row.example}")
    if len(summary.rows) > limit:
        lines.append(f"  ... and {len(summary.rows) - limit} more (--format json lists every one)")
    return lines


def summary_to_dict(summary: ConformanceSummary) -> dict[str, Any]:
    """The summary as JSON data, every occurrence included."""
    return {
        "responses": summary.responses,
        "disagreeing": summary.disagreeing,
        "disagreements": [
            {
                "operation": row.operation,
                "json_path": row.json_path,
                "kind": row.kind,
                "responses": row.responses,
                "total": row.total,
                "example": row.example,
                "occurrences": [
                    {"interaction": item.interaction, "json_path": item.json_path, "message": item.message}
                    for item in row.occurrences
                ],
            }
            for row in summary.rows
        ],
    }


__all__ = [
    "SUMMARISED_CHECKS",
    "ConformanceSummary",
    "Disagreement",
    "Occurrence",
    "fold_indexes",
    "kind_of",
    "operation_of",
    "summarize_conformance",
    "conformance_lines",
    "summary_to_dict",
]
