"""Render a Report for people (text, Markdown, HTML) and for machines (JSON, JUnit XML).

Counts are honest: a check that could not have failed (SEEDED: a cassette generated from the schema it is
checked against) is counted apart from PASSED. When the report holds validated responses that disagree with
their description, the conformance summary (validation/summary.py) comes before the detail.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

from contractkit.core.model import CheckResult, Finding, Report, Status
from contractkit.reports.matrix import recap_lines, render_matrix
from contractkit.validation import SchemaFinding, conformance_lines, summarize_conformance, summary_to_dict

_COLORS = {Status.PASSED: "\033[32m", Status.FAILED: "\033[31m", Status.SKIPPED: "\033[33m", Status.SEEDED: "\033[36m"}
_RESET = "\033[0m"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def summarize(report: Report) -> dict[str, Any]:
    """Totals, success rate and duration percentiles of a report."""
    counts = {status: 0 for status in Status}
    for result in report.results:
        counts[result.status] += 1
    decided = counts[Status.PASSED] + counts[Status.FAILED]
    durations = [result.duration for result in report.results]
    return {
        "total": len(report.results),
        "passed": counts[Status.PASSED],
        "failed": counts[Status.FAILED],
        "skipped": counts[Status.SKIPPED],
        "seeded": counts[Status.SEEDED],
        "success_rate": round(counts[Status.PASSED] / decided, 4) if decided else 1.0,
        "duration": {
            "total": round(report.duration, 4),
            "p50": round(percentile(durations, 0.50), 6),
            "p95": round(percentile(durations, 0.95), 6),
            "p99": round(percentile(durations, 0.99), 6),
        },
    }


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """A finding as plain JSON data."""
    data: dict[str, Any] = {
        "code": finding.code,
        "severity": str(finding.severity),
        "message": finding.message,
        "location": finding.location,
    }
    if isinstance(finding, SchemaFinding):
        data.update(kind=finding.kind, schema_pointer=finding.schema_pointer)
        if finding.omitted:
            data["errors_omitted"] = finding.omitted
    return data


def result_to_dict(result: CheckResult) -> dict[str, Any]:
    """A check result as plain JSON data."""
    data: dict[str, Any] = {
        "check": result.check,
        "provider": result.provider,
        "operation": result.operation,
        "interaction": result.interaction,
        "status": str(result.status),
        "message": result.message,
        "duration": round(result.duration, 6),
        "findings": [finding_to_dict(finding) for finding in result.findings],
    }
    data.update(result.details)
    return data


def render_json(report: Report, **_: Any) -> str:
    """`{"title", "summary", "results"}` as indented JSON, plus `shard` (index, count, command, run) from a split run
    and `conformance` (every occurrence) when responses disagree."""
    body: dict[str, Any] = {"title": report.title, "summary": summarize(report)}
    if report.shard is not None:
        body["shard"] = report.shard.to_dict()
    conformance = summarize_conformance(report.results)
    if conformance.rows:
        body["conformance"] = summary_to_dict(conformance)
    body["results"] = [result_to_dict(r) for r in report.results]
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def counts_line(summary: dict[str, Any]) -> str:
    """`110 passed, 36 seeded, 0 failed, 0 skipped` (seeded only when there are any)."""
    seeded = f", {summary['seeded']} seeded" if summary["seeded"] else ""
    return f"{summary['passed']} passed{seeded}, {summary['failed']} failed, {summary['skipped']} skipped"


def _label(result: CheckResult) -> str:
    parts = [part for part in (result.provider, result.operation, result.interaction) if part]
    return " / ".join(parts)


def render_text(report: Report, *, color: bool = False) -> str:
    """One line per check, failures with their findings indented, and a closing summary line."""
    lines = [report.title, ""]
    conformance = conformance_lines(summarize_conformance(report.results))
    if conformance:
        lines += [*conformance, ""]
    for result in report.results:
        status = str(result.status).upper()
        if color:
            status = f"{_COLORS[result.status]}{status}{_RESET}"
        tail = f": {result.message}" if result.message and result.status in (Status.FAILED, Status.SKIPPED) else ""
        lines.append(f"{status:<6} [{result.check}] {_label(result)}{tail}")
        for finding in result.findings:
            where = f" at {finding.location}" if finding.location else ""
            lines.append(f"         {finding.code} {finding.message}{where}")
    lines += recap_lines(report)
    summary = summarize(report)
    lines.append("")
    lines.append(f"{counts_line(summary)} in {summary['duration']['total']:.2f}s")
    return "\n".join(lines) + "\n"


def render_markdown(report: Report, **_: Any) -> str:
    """A summary line and a table per provider, suitable for $GITHUB_STEP_SUMMARY."""
    summary = summarize(report)
    icon = {Status.PASSED: "✅", Status.FAILED: "❌", Status.SKIPPED: "⏭️", Status.SEEDED: "🌱"}
    lines = [
        f"## {report.title}",
        "",
        f"**{counts_line(summary)}** (success rate {summary['success_rate']:.1%}, {summary['duration']['total']:.2f}s)",
        "",
    ]
    conformance = summarize_conformance(report.results)
    if conformance.rows:
        lines += [
            f"### Conformance: {conformance.disagreeing} of {conformance.responses} responses disagree",
            "",
            "| responses | kind | operation | JSON path | example |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {row.responses} of {row.total} | {row.kind} | {row.operation} | `{row.json_path}` | "
            f"{row.example.replace('|', '/')} |"
            for row in conformance.rows[:50]
        ]
        lines.append("")
    by_provider: dict[str, list[CheckResult]] = defaultdict(list)
    for result in report.results:
        by_provider[result.provider or "-"].append(result)
    for provider, results in by_provider.items():
        lines += [f"### {provider}", "", "| | check | operation | interaction | message |", "|---|---|---|---|---|"]
        for result in results:
            message = result.message.replace("|", "\\|").replace("\n", " ")
            lines.append(
                f"| {icon[result.status]} | {result.check} | {result.operation} | "
                f"{result.interaction.replace('|', '/')} | {message} |"
            )
        lines.append("")
    return "\n".join(lines)


def render_junit(report: Report, **_: Any) -> str:
    """JUnit XML: one testsuite per provider, one testcase per check."""
    summary = summarize(report)
    root = ElementTree.Element(
        "testsuites",
        name=report.title,
        tests=str(summary["total"]),
        failures=str(summary["failed"]),
        skipped=str(summary["skipped"]),
        time=f"{report.duration:.3f}",
    )
    suites: dict[str, ElementTree.Element] = {}
    for result in report.results:
        suite = suites.get(result.provider)
        if suite is None:
            suite = suites[result.provider] = ElementTree.SubElement(
                root, "testsuite", name=result.provider or "contracts"
            )
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=f"{result.provider}.{result.check}",
            name=f"{result.operation} {result.interaction}".strip(),
            time=f"{result.duration:.3f}",
        )
        if result.status is Status.FAILED:
            failure = ElementTree.SubElement(case, "failure", message=result.message[:500])
            failure.text = (
                "\n".join(f"{f.code} {f.message} {f.location}".strip() for f in result.findings) or result.message
            )
        elif result.status is Status.SKIPPED:
            ElementTree.SubElement(case, "skipped", message=result.message)
        elif result.status is Status.SEEDED:  # it could not have failed: skipped with the reason, never a pass
            ElementTree.SubElement(
                case,
                "skipped",
                type="seeded",
                message=f"seeded: {result.message or 'checked against a cassette seeded from the description'}",
            )
    for suite in suites.values():
        cases = list(suite)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for case in cases if case.find("failure") is not None)))
        suite.set("skipped", str(sum(1 for case in cases if case.find("skipped") is not None)))
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def render_html(report: Report, **_: Any) -> str:
    """The contract matrix (reports/matrix.py): a self-contained page, failures first."""
    return render_matrix(report)


RENDERERS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "markdown": render_markdown,
    "html": render_html,
}


def render_report(report: Report, output_format: str, *, color: bool = False) -> str:
    """Render a report in one of text, json, junit, markdown, html."""
    return RENDERERS[output_format](report, color=color)


def render_record_report(report: Report, output_format: str) -> str:
    """The report in a format; Markdown also lists every finding, since it becomes the re-record pull request."""

    text = render_report(report, output_format)
    if output_format != "markdown":
        return text
    lines = [
        f"- **{row.provider} / {row.operation}** `{finding.code}` {finding.message}"
        + (f" ({finding.location})" if finding.location else "")
        for row in report.results
        for finding in row.findings
    ]
    return text.rstrip("\n") + ("\n\n### Findings\n\n" + "\n".join(lines) + "\n" if lines else "\n")
