"""The contract matrix: providers x operations x checks as one self-contained HTML page, and the recap of failures.

The page opens on what needs doing: the summary counts, then every failure with its finding codes, every finding's
message (none hidden behind "and N more") and the file to open, then the matrix with failing rows first. Filters by
provider and status work offline (inline script, no external resource). Findings are listed in a fixed order (code,
location, message), so the same failures render the same bytes whatever order an engine reported them in.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from contractkit.core.codes import Code
from contractkit.core.model import CheckResult, Finding, Report, Status
from contractkit.validation import summarize_conformance

__all__ = [
    "COLUMNS",
    "MatrixRow",
    "column_of",
    "file_to_open",
    "filled_columns",
    "headline",
    "matrix_rows",
    "ordered_findings",
    "recap_lines",
    "render_matrix",
]

# the matrix's columns, in order, and the checks each one gathers
COLUMNS: tuple[tuple[str, frozenset[str]], ...] = (
    ("consumer", frozenset({"consumer"})),
    ("pact", frozenset({"pact"})),
    ("schema", frozenset({"response-schema", "pact-openapi"})),
    ("error format", frozenset({"error-schema", "error-format"})),
    ("drift", frozenset({"drift"})),
    ("fuzz", frozenset({"fuzz"})),
    ("gate", frozenset({"gate", "diff", "specs"})),
)
_SEVERITY = {Status.FAILED: 0, Status.SKIPPED: 1, Status.SEEDED: 2, Status.PASSED: 3}
_MARK = {Status.FAILED: "✗", Status.PASSED: "✓", Status.SEEDED: "≈", Status.SKIPPED: "–"}
_MEANING = {
    Status.FAILED: "failed: n checks found a problem",
    Status.PASSED: "passed: n checks held against recorded or live responses",
    Status.SEEDED: "seeded: n checks held, but against cassettes seeded from a description, not recorded",
    Status.SKIPPED: "skipped: n checks did not run",
}
# details naming the file a result is about, most specific first
_FILE_DETAILS = ("answered_by", "cassette_missing", "cassette", "file", "contract")
_FILE_LOCATION = re.compile(r"[^\s:#]+\.(?:ya?ml|json|har)(?:#\d+)?(?::\d+)?")
_CONTRACT_CHECKS = frozenset({"consumer", "pact-openapi", "specs", "gate", "diff"})


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One provider operation: its results per column and the worst status among them."""

    provider: str
    operation: str
    cells: dict[str, list[CheckResult]]

    @property
    def status(self) -> Status:
        """The worst status of the row (failed before skipped before seeded before passed)."""
        statuses = [result.status for results in self.cells.values() for result in results]
        return min(statuses, key=_SEVERITY.__getitem__) if statuses else Status.SKIPPED


def column_of(check: str) -> str:
    """The matrix column a check belongs to; a check of no known column gets one of its own."""
    return next((name for name, checks in COLUMNS if check in checks), check)


def ordered_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in a fixed order (code, location, message): the order engines report them in may vary."""
    return sorted(findings, key=lambda finding: (finding.code, finding.location, finding.message))


def headline(result: CheckResult) -> str:
    """One deterministic line for a result: its first finding in fixed order, with how many more there are."""
    findings = ordered_findings(result.findings)
    if not findings:
        return result.message
    first = findings[0]
    where = f" at {first.location}" if first.location else ""
    more = f" (+{len(findings) - 1} more finding{'s' if len(findings) > 2 else ''})" if len(findings) > 1 else ""
    return f"{first.code} {first.message}{where}{more}"


def file_to_open(result: CheckResult) -> str:
    """The contract or cassette to edit for a result: the file its details name (the cassette that answered a pact,
    the one missing, the one recorded, the recording validated), else a finding located in a file (file:line),
    else the file the registry layout implies for its check. Never a path quoted in a message or a description
    (a request path such as /repos/o/r/contents/ci.yaml), and never the registry for a check of an operation."""
    for key in _FILE_DETAILS:
        value = result.details.get(key)
        if isinstance(value, str) and value:
            return value
    for finding in ordered_findings(result.findings):
        if _FILE_LOCATION.fullmatch(finding.location or ""):
            return finding.location
    return _layout_file(result)


def _layout_file(result: CheckResult) -> str:
    provider, operation = result.provider or "provider", result.operation or "operation"
    codes = {finding.code for finding in result.findings}
    if result.check in _CONTRACT_CHECKS or Code.CONSUMER_COMPATIBILITY in codes:
        return f"contracts/{provider}.yaml"  # what the consumer sends or reads, or what a newer description breaks
    if result.check == "fuzz":
        return f"schemas/{provider}/openapi.json"  # the description the provider is held to
    if result.check == "lint" and result.interaction:
        return result.interaction
    return f"cassettes/{provider}/{operation}.yaml"


def filled_columns(results: Iterable[CheckResult]) -> list[str]:
    """The columns some check of the run fills, in the matrix's order, then any other check's own column."""
    filled = {column_of(result.check) for result in results}
    known = [name for name, _ in COLUMNS if name in filled]
    return known + sorted(filled - set(known))


def matrix_rows(results: Sequence[CheckResult]) -> list[MatrixRow]:
    """Rows by provider and operation, failing rows first, then in the order the results came."""
    cells: dict[tuple[str, str], dict[str, list[CheckResult]]] = defaultdict(lambda: defaultdict(list))
    for result in results:
        cells[(result.provider or "-", result.operation or "-")][column_of(result.check)].append(result)
    rows = [MatrixRow(provider, operation, dict(columns)) for (provider, operation), columns in cells.items()]
    return sorted(rows, key=lambda row: _SEVERITY[row.status] != 0)


def recap_lines(report: Report) -> list[str]:
    """The recap a text report ends with: every failure on one line with the file to open; none when all held."""
    failed = [result for result in report.results if result.status is Status.FAILED]
    if not failed:
        return []
    lines = ["", f"Failures ({len(failed)}):"]
    for result in failed:
        label = " / ".join(part for part in (result.provider, result.operation) if part) or "-"
        lines.append(f"  {label} [{result.check}] {headline(result)}  -> {file_to_open(result)}")
    return lines


def _counts(results: Sequence[CheckResult]) -> dict[Status, int]:
    counts = {status: 0 for status in Status}
    for result in results:
        counts[result.status] += 1
    return counts


def render_matrix(report: Report) -> str:
    """The self-contained HTML page: summary, filters, failures first, the matrix, and the conformance summary."""
    results = list(report.results)
    rows = matrix_rows(results)
    columns = filled_columns(results)
    providers = sorted({row.provider for row in rows})
    failed = [result for result in results if result.status is Status.FAILED]
    body = "".join(
        (
            f"<header><h1>{_e(report.title)}</h1>{_summary(results, rows)}{_filters(providers)}</header>",
            _failures(failed),
            _matrix(rows, columns),
            _legend(columns),
            _conformance(report),
        )
    )
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{_e(report.title)}</title>"
        f"<meta name='viewport' content='width=device-width'><style>{_CSS}</style></head><body>{body}"
        f"<script>{_SCRIPT}</script></body></html>\n"
    )


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _summary(results: Sequence[CheckResult], rows: Sequence[MatrixRow]) -> str:
    counts = _counts(results)
    chips = "".join(
        f"<span class='chip {status}' data-count='{status}'>{counts[status]} {status}</span>"
        for status in (Status.FAILED, Status.PASSED, Status.SEEDED, Status.SKIPPED)
    )
    providers = len({row.provider for row in rows})
    verdict = "failed" if counts[Status.FAILED] else "passed"
    return (
        f"<p id='summary' class='{verdict}'><strong>{len(results)} checks</strong> over {providers} providers and "
        f"{len(rows)} operations: {chips}</p>"
    )


def _filters(providers: Sequence[str]) -> str:
    options = "".join(f"<option value='{_e(name)}'>{_e(name)}</option>" for name in providers)
    statuses = "".join(f"<option value='{status}'>{status}</option>" for status in Status)
    return (
        f"<form id='filters'><label>Provider <select id='filter-provider'><option value=''>all</option>{options}"
        f"</select></label> <label>Status <select id='filter-status'><option value=''>all</option>{statuses}"
        "</select></label> <span id='shown'></span></form>"
    )


def _failures(failed: Sequence[CheckResult]) -> str:
    if not failed:
        return "<section id='failures'><h2>Failures (0)</h2><p class='passed'>Every check held.</p></section>"
    items = "".join(_failure(result) for result in failed)
    return f"<section id='failures'><h2>Failures ({len(failed)})</h2><ol>{items}</ol></section>"


def _failure(result: CheckResult) -> str:
    findings = ordered_findings(result.findings)
    codes = " ".join(f"<code class='code'>{_e(code)}</code>" for code in dict.fromkeys(f.code for f in findings))
    detail = "".join(
        f"<li><code>{_e(f.code)}</code> {_e(f.message)}"
        + (f" <span class='where'>at {_e(f.location)}</span>" if f.location else "")
        + "</li>"
        for f in findings
    )
    message = "" if findings else f"<p class='message'>{_e(result.message)}</p>"
    interaction = f" <span class='interaction'>{_e(result.interaction)}</span>" if result.interaction else ""
    return (
        f"<li class='failure row' data-provider='{_e(result.provider or '-')}' data-status='failed'>"
        f"<div><strong>{_e(result.provider or '-')} / {_e(result.operation or '-')}</strong> "
        f"<span class='check'>{_e(result.check)}</span> {codes}{interaction}</div>{message}"
        f"<ul class='findings'>{detail}</ul><div class='open'>open <code>{_e(file_to_open(result))}</code></div></li>"
    )


def _matrix(rows: Sequence[MatrixRow], columns: Sequence[str]) -> str:
    head = "".join(f"<th>{_e(name)}</th>" for name in columns)
    body = "".join(_matrix_row(row, columns) for row in rows)
    return (
        f"<section id='matrix'><h2>Matrix</h2><table><thead><tr><th>provider</th><th>operation</th>{head}</tr>"
        f"</thead><tbody>{body}</tbody></table></section>"
    )


def _matrix_row(row: MatrixRow, columns: Sequence[str]) -> str:
    cells = "".join(_cell(row.cells.get(name, [])) for name in columns)
    return (
        f"<tr class='row {row.status}' data-provider='{_e(row.provider)}' data-status='{row.status}'>"
        f"<th scope='row'>{_e(row.provider)}</th><td class='operation'>{_e(row.operation)}</td>{cells}</tr>"
    )


def _cell(results: Sequence[CheckResult]) -> str:
    if not results:
        return "<td class='none'></td>"
    counts = _counts(results)
    worst = min((result.status for result in results), key=_SEVERITY.__getitem__)
    shown = [f"{_MARK[status]} {counts[status]}" for status in _SEVERITY if counts[status]]  # failures first
    title = "; ".join(headline(result) for result in results if result.status in (Status.FAILED, Status.SKIPPED))
    return f"<td class='cell {worst}' title='{_e(title)}'>{_e(' '.join(shown))}</td>"


def _legend(columns: Sequence[str]) -> str:
    marks = "".join(
        f"<li><span class='cell {status}'>{_MARK[status]} n</span> {_e(meaning)}</li>"
        for status, meaning in _MEANING.items()
    )
    checks = dict(COLUMNS)
    gathered = "".join(
        f"<li><strong>{_e(name)}</strong>: {_e(', '.join(sorted(checks.get(name, {name}))))}</li>" for name in columns
    )
    return (
        f"<section id='legend'><h2>Legend</h2><ul class='marks'>{marks}<li><span class='cell none'>&nbsp;</span> "
        f"no check of that column ran for the operation</li></ul><p>A cell counts the checks of its column by "
        f"status, failures first. Columns and the checks they gather (a column no check of this run fills is "
        f"left out):</p><ul class='columns'>{gathered}</ul></section>"
    )


def _conformance(report: Report) -> str:
    conformance = summarize_conformance(report.results)
    if not conformance.rows:
        return ""
    rows = "".join(
        f"<tr><td>{row.responses} of {row.total}</td><td>{_e(row.kind)}</td><td>{_e(row.operation)}</td>"
        f"<td><code>{_e(row.json_path)}</code></td><td>{_e(row.example)}</td></tr>"
        for row in conformance.rows[:50]
    )
    return (
        f"<section id='conformance'><h2>Conformance: {conformance.disagreeing} of {conformance.responses} "
        f"responses disagree</h2><table><thead><tr><th>responses</th><th>kind</th><th>operation</th>"
        f"<th>JSON path</th><th>example</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


_CSS = (
    "body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:16px;color:#1d1d1f}"
    "h1{font-size:20px;margin:0 0 8px}h2{font-size:16px;margin:20px 0 8px}"
    ".chip{display:inline-block;border-radius:10px;padding:1px 8px;margin-right:4px;background:#eee}"
    ".chip.failed{background:#fdd;color:#900}.chip.passed{background:#dfd;color:#060}"
    ".chip.seeded{background:#def;color:#036}.chip.skipped{background:#ffd;color:#650}"
    "#summary.failed strong{color:#900}#filters{margin:8px 0}#shown{color:#666}"
    "ol{padding-left:20px}.failure{margin:0 0 10px;border-left:4px solid #c00;padding:4px 8px;background:#fff5f5}"
    ".check{color:#555}.code{background:#900;color:#fff;border-radius:3px;padding:0 4px;margin-right:2px}"
    ".findings{margin:4px 0;padding-left:18px}.where{color:#666}.open code{background:#eee;padding:0 4px}"
    ".interaction{color:#555;font-style:italic}"
    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;"
    "vertical-align:top}thead th{background:#f4f4f4;position:sticky;top:0}"
    "td.cell.failed{background:#fdd;color:#900;font-weight:bold}td.cell.passed{background:#efe;color:#060}"
    "td.cell.seeded{background:#eef6ff;color:#036}td.cell.skipped{background:#ffd;color:#650}td.none{background:#fafafa}"
    "tr.row.failed th{color:#900}.hidden{display:none}"
    "#legend ul{list-style:none;padding-left:0}#legend .marks li{display:inline-block;margin-right:16px}"
    "#legend span.cell{display:inline-block;min-width:32px;padding:0 4px;border:1px solid #ddd;text-align:center}"
    "span.cell.failed{background:#fdd;color:#900;font-weight:bold}span.cell.passed{background:#efe;color:#060}"
    "span.cell.seeded{background:#eef6ff;color:#036}span.cell.skipped{background:#ffd;color:#650}"
    "span.cell.none{background:#fafafa}"
)

# filters also read and write the URL's fragment (#provider=stripe&status=failed), so a filtered view can be linked
_SCRIPT = (
    "(function(){var p=document.getElementById('filter-provider'),s=document.getElementById('filter-status');"
    "var h=new URLSearchParams(location.hash.slice(1));p.value=h.get('provider')||'';s.value=h.get('status')||'';"
    "function apply(){var rows=document.querySelectorAll('.row'),n=0;rows.forEach(function(r){"
    "var ok=(!p.value||r.dataset.provider===p.value)&&(!s.value||r.dataset.status===s.value);"
    "r.classList.toggle('hidden',!ok);if(ok&&r.tagName==='TR')n++;});"
    "document.getElementById('shown').textContent=n+' operations shown';}"
    "function change(){var q=new URLSearchParams();if(p.value)q.set('provider',p.value);"
    "if(s.value)q.set('status',s.value);history.replaceState(null,'','#'+q.toString());apply();}"
    "p.addEventListener('change',change);s.addEventListener('change',change);apply();})();"
)
