"""Every renderer: check results, diff/gate verdicts and the registry's inventory and lint results as text, JSON,
JUnit XML, Markdown and HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING

from contractkit.core.faces import import_on_use
from contractkit.reports.registry import render_inventory, render_lint

if TYPE_CHECKING:
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

# Check results and saved reports stand on validation, diff verdicts on the diff engine, the deployability answer on
# the broker client (requests): each is imported on first use, so a command renders without loading the others.
__getattr__ = import_on_use(
    __name__,
    {
        "changes": (
            "diff_rows",
            "filter_level",
            "gate_rows",
            "gate_to_dict",
            "render_annotations",
            "render_diff",
            "render_gate",
        ),
        "deployability": ("render_deploy_answer",),
        "results": (
            "finding_to_dict",
            "percentile",
            "render_html",
            "render_json",
            "render_junit",
            "render_markdown",
            "render_record_report",
            "render_report",
            "render_text",
            "result_to_dict",
            "summarize",
        ),
        "saved": ("load_report", "merge_reports"),
    },
)

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
