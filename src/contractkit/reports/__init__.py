"""Every renderer: check results, diff/gate verdicts and the registry's inventory and lint results as text, JSON,
JUnit XML, Markdown and HTML."""

from contractkit.reports.changes import (
    diff_rows,
    filter_level,
    gate_rows,
    gate_to_dict,
    render_annotations,
    render_diff,
    render_gate,
)
from contractkit.reports.deployability import render_deploy_answer
from contractkit.reports.registry import render_inventory, render_lint
from contractkit.reports.results import (
    finding_to_dict,
    percentile,
    render_html,
    render_json,
    render_junit,
    render_markdown,
    render_record_report,
    render_report,
    render_text,
    result_to_dict,
    summarize,
)
from contractkit.reports.saved import load_report, merge_reports

__all__ = [
    "diff_rows",
    "filter_level",
    "finding_to_dict",
    "gate_rows",
    "gate_to_dict",
    "load_report",
    "merge_reports",
    "percentile",
    "render_annotations",
    "render_deploy_answer",
    "render_diff",
    "render_gate",
    "render_html",
    "render_inventory",
    "render_json",
    "render_junit",
    "render_lint",
    "render_markdown",
    "render_record_report",
    "render_report",
    "render_text",
    "result_to_dict",
    "summarize",
]
