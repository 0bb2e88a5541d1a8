"""Saved results: a report written with `--format json`, read back to render in any format or to merge shards.

`merge_reports` joins the reports of the shards of one run (`--shard I/N`) into the report the unsharded run gives:
the same results, in one canonical order (provider, operation, check, interaction), with the same exit code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from contractkit.core.errors import UsageError
from contractkit.core.loading import parse_json_value
from contractkit.core.model import CheckResult, Finding, Report, Severity, Status
from contractkit.validation import SchemaFinding

__all__ = ["canonical_order", "load_report", "merge_reports", "report_from_dict"]

_RESULT_KEYS = frozenset({"check", "provider", "operation", "interaction", "status", "message", "duration", "findings"})
_SCHEMA_KEYS = ("kind", "schema_pointer")


def load_report(path: Path) -> Report:
    """A report saved with `--format json`; bad input names the file and the key path."""
    try:
        data = parse_json_value(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: file not found", hint="save results with --format json --output FILE") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(
            f"{path}: not a JSON report ({exc})", hint="save results with --format json --output FILE"
        ) from exc
    return report_from_dict(data, display=str(path))


def report_from_dict(data: Any, *, display: str = "report") -> Report:
    """The Report a JSON report holds (the inverse of render_json, up to finding subclasses' private fields)."""
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise UsageError(f"{display}: results: expected a list of check results (a report saved with --format json)")
    results = tuple(_result(item, display, index) for index, item in enumerate(data["results"]))
    summary = data.get("summary")
    timing = summary.get("duration") if isinstance(summary, dict) else None
    duration = timing.get("total", 0.0) if isinstance(timing, dict) else 0.0
    return Report(str(data.get("title", "")), results, float(duration or 0.0))


def _result(item: Any, display: str, index: int) -> CheckResult:
    if not isinstance(item, dict):
        raise UsageError(f"{display}: results[{index}]: expected a mapping, got {type(item).__name__}")
    try:
        status = Status(str(item.get("status", "")))
    except ValueError:
        known = ", ".join(str(status) for status in Status)
        raise UsageError(
            f"{display}: results[{index}].status: expected one of {known}, got {item.get('status')!r}"
        ) from None
    findings = item.get("findings") or []
    if not isinstance(findings, list):
        raise UsageError(f"{display}: results[{index}].findings: expected a list")
    details = {key: value for key, value in item.items() if key not in _RESULT_KEYS}
    return CheckResult(
        str(item.get("check", "")),
        str(item.get("provider", "")),
        str(item.get("operation", "")),
        str(item.get("interaction", "")),
        status,
        str(item.get("message", "")),
        float(item.get("duration") or 0.0),
        tuple(_finding(f, display, index, i) for i, f in enumerate(findings)),
        details,
    )


def _finding(item: Any, display: str, index: int, position: int) -> Finding:
    if not isinstance(item, dict):
        raise UsageError(f"{display}: results[{index}].findings[{position}]: expected a mapping")
    try:
        severity = Severity(str(item.get("severity", "error")))
    except ValueError:
        severity = Severity.ERROR
    common = (str(item.get("code", "")), severity, str(item.get("message", "")), str(item.get("location", "")))
    if any(key in item for key in _SCHEMA_KEYS):
        return SchemaFinding(
            *common,
            kind=str(item.get("kind", "schema")),
            schema_pointer=str(item.get("schema_pointer", "")),
            omitted=int(item.get("errors_omitted", 0) or 0),
        )
    return Finding(*common)


def canonical_order(results: Iterable[CheckResult]) -> tuple[CheckResult, ...]:
    """Results in an order that does not depend on how the work was split: provider, operation, check, interaction."""
    return tuple(
        sorted(results, key=lambda r: (r.provider, r.operation, r.check, r.interaction, str(r.status), r.message))
    )


def merge_reports(reports: Sequence[Report], *, title: str | None = None) -> Report:
    """One report from the shards' reports: every result once, in canonical order; the longest shard's duration."""
    if not reports:
        raise UsageError("no reports to merge", hint="pass the JSON results of every shard")
    titles = list(dict.fromkeys(report.title for report in reports))
    chosen = title or (titles[0] if len(titles) == 1 else " + ".join(titles))
    results = canonical_order(result for report in reports for result in report.results)
    return Report(chosen, results, max(report.duration for report in reports))
