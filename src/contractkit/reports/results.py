"""Render a Report for people (text, Markdown, HTML) and for machines (JSON, JUnit XML)."""

from __future__ import annotations

import html
import json
import math
from collections import defaultdict
from typing import Any, Callable
from xml.etree import ElementTree

from contractkit.core.model import CheckResult, Finding, Report, Status

_COLORS = {Status.PASSED: "\033[32m", Status.FAILED: "\033[31m", Status.SKIPPED: "\033[33m"}
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
    return {"code": finding.code, "severity": str(finding.severity), "message": finding.message,
            "location": finding.location}


def result_to_dict(result: CheckResult) -> dict[str, Any]:
    """A check result as plain JSON data."""
    data: dict[str, Any] = {
        "check": result.check, "provider": result.provider, "operation": result.operation,
        "interaction": result.interaction, "status": str(result.status), "message": result.message,
        "duration": round(result.duration, 6), "findings": [finding_to_dict(finding) for finding in result.findings],
    }
    data.update(result.details)
    return data


def render_json(report: Report, **_: Any) -> str:
    """`{"title", "summary", "results"}` as indented JSON."""
    body = {"title": report.title, "summary": summarize(report), "results": [result_to_dict(r) for r in report.results]}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _label(result: CheckResult) -> str:
    parts = [part for part in (result.provider, result.operation, result.interaction) if part]
    return " / ".join(parts)


def render_text(report: Report, *, color: bool = False) -> str:
    """One line per check, failures with their findings indented, and a closing summary line."""
    lines = [report.title, ""]
    for result in report.results:
        status = str(result.status).upper()
        if color:
            status = f"{_COLORS[result.status]}{status}{_RESET}"
        tail = f": {result.message}" if result.message and result.status is not Status.PASSED else ""
        lines.append(f"{status:<6} [{result.check}] {_label(result)}{tail}")
        for finding in result.findings:
            where = f" at {finding.location}" if finding.location else ""
            lines.append(f"         {finding.code} {finding.message}{where}")
    summary = summarize(report)
    lines.append("")
    lines.append(f"{summary['passed']} passed, {summary['failed']} failed, {summary['skipped']} skipped "
                 f"in {summary['duration']['total']:.2f}s")
    return "\n".join(lines) + "\n"


def render_markdown(report: Report, **_: Any) -> str:
    """A summary line and a table per provider, suitable for $GITHUB_STEP_SUMMARY."""
    summary = summarize(report)
    icon = {Status.PASSED: "✅", Status.FAILED: "❌", Status.SKIPPED: "⏭️"}
    lines = [f"## {report.title}", "",
             f"**{summary['passed']} passed, {summary['failed']} failed, {summary['skipped']} skipped** "
             f"(success rate {summary['success_rate']:.1%}, {summary['duration']['total']:.2f}s)", ""]
    by_provider: dict[str, list[CheckResult]] = defaultdict(list)
    for result in report.results:
        by_provider[result.provider or "-"].append(result)
    for provider, results in by_provider.items():
        lines += [f"### {provider}", "", "| | check | operation | interaction | message |", "|---|---|---|---|---|"]
        for result in results:
            message = result.message.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {icon[result.status]} | {result.check} | {result.operation} | "
                         f"{result.interaction.replace('|', '/')} | {message} |")
        lines.append("")
    return "\n".join(lines)


def render_junit(report: Report, **_: Any) -> str:
    """JUnit XML: one testsuite per provider, one testcase per check."""
    summary = summarize(report)
    root = ElementTree.Element("testsuites", name=report.title, tests=str(summary["total"]),
                               failures=str(summary["failed"]), skipped=str(summary["skipped"]),
                               time=f"{report.duration:.3f}")
    suites: dict[str, ElementTree.Element] = {}
    for result in report.results:
        suite = suites.get(result.provider)
        if suite is None:
            suite = suites[result.provider] = ElementTree.SubElement(root, "testsuite", name=result.provider or "contracts")
        case = ElementTree.SubElement(suite, "testcase", classname=f"{result.provider}.{result.check}",
                                      name=f"{result.operation} {result.interaction}".strip(), time=f"{result.duration:.3f}")
        if result.status is Status.FAILED:
            failure = ElementTree.SubElement(case, "failure", message=result.message[:500])
            failure.text = "\n".join(f"{f.code} {f.message} {f.location}".strip() for f in result.findings) or result.message
        elif result.status is Status.SKIPPED:
            ElementTree.SubElement(case, "skipped", message=result.message)
    for suite in suites.values():
        cases = list(suite)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for case in cases if case.find("failure") is not None)))
        suite.set("skipped", str(sum(1 for case in cases if case.find("skipped") is not None)))
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def render_html(report: Report, **_: Any) -> str:
    """A standalone HTML page with the summary and a table of every check."""
    summary = summarize(report)
    rows = "\n".join(
        f"<tr class='{r.status}'><td>{r.status}</td><td>{html.escape(r.check)}</td><td>{html.escape(r.provider)}</td>"
        f"<td>{html.escape(r.operation)}</td><td>{html.escape(r.interaction)}</td><td>{html.escape(r.message)}</td></tr>"
        for r in report.results
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(report.title)}</title><style>body{{font-family:sans-serif}}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
        ".failed td:first-child{color:#b00}.passed td:first-child{color:#070}</style></head><body>"
        f"<h1>{html.escape(report.title)}</h1><p>{summary['passed']} passed, {summary['failed']} failed, "
        f"{summary['skipped']} skipped</p><table><tr><th>status</th><th>check</th><th>provider</th>"
        f"<th>operation</th><th>interaction</th><th>message</th></tr>{rows}</table></body></html>\n"
    )


RENDERERS: dict[str, Callable[..., str]] = {
    "text": render_text, "json": render_json, "junit": render_junit, "markdown": render_markdown, "html": render_html,
}


def render_report(report: Report, output_format: str, *, color: bool = False) -> str:
    """Render a report in one of text, json, junit, markdown, html."""
    return RENDERERS[output_format](report, color=color)
