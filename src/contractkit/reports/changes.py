"""Render diff and gate results: text, JSON, Markdown, JUnit XML, and GitHub annotations.

`contracts diff` prints a summary (counts per level and per rule) before the detail, and each distinct change
once with the operations that reach it, in every format: a change inside a shared component reached by 212
operations is one entry, not 212. Its JSON is `{"breaking", "expanded", "summary", "notes", "changes",
"reaches"}`: each change has `rule`, `code`, `level`, `level_source`, `location`, `message`, `shared`, the counts
`operations` and `occurrences`, and `reach`, an index into `reaches` where each distinct set of operations is
listed once; `--expand` adds `at`, every occurrence. The gate adds, per change, the provider, the file, its
verdict and why (docs/diff-reports.md).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from contractkit.diff import (
    RULE_CODES,
    Change,
    ChangeGroup,
    DiffResult,
    Level,
    Summary,
    group_changes,
    line_of_pointer,
    summarize_changes,
)
from contractkit.reports.changes_html import render_changes_html

if TYPE_CHECKING:
    from contractkit.diff import GateResult

__all__ = [
    "ANNOTATION_LIMIT",
    "SUMMARY_RULES",
    "Row",
    "diff_rows",
    "diff_to_dict",
    "filter_level",
    "gate_rows",
    "gate_to_dict",
    "render_annotations",
    "render_diff",
    "render_gate",
    "summary_lines",
]

ANNOTATION_LIMIT = 50  # GitHub shows at most 50 annotations per step; more only hide the summary
_LEVEL_RANK = {Level.BREAKING: 0, Level.WARNING: 1, Level.INFO: 2}


@dataclass(frozen=True, slots=True)
class Row:
    """One change as a report shows it: where it is, how it is judged, and why."""

    change: Change
    verdict: str  # breaking | warning | info for a diff; block | warn | accepted | info for the gate
    provider: str = ""
    file: str = ""
    line: int | None = None
    note: str = ""

    @property
    def failing(self) -> bool:
        """True when this row makes the command fail."""
        return self.verdict in ("breaking", "block")

    @property
    def operation(self) -> str:
        """`GET /pets`, or the path alone for a path-level change."""
        return f"{self.change.method} {self.change.path}".strip()


def filter_level(changes: Iterable[Change], minimum: Level) -> list[Change]:
    """The changes at `minimum` level or above (breaking > warning > info)."""
    return [change for change in changes if _LEVEL_RANK[change.level] <= _LEVEL_RANK[minimum]]


def diff_rows(
    result: DiffResult, *, minimum: Level = Level.INFO, file: str = "", lines: dict[str, int] | None = None
) -> list[Row]:
    """Rows for a plain diff: the verdict is the level."""
    return [
        Row(change, str(change.level), file=file, line=line_of_pointer(change.location, lines))
        for change in filter_level(result.changes, minimum)
    ]


# ---------------------------------------------------------------- contracts diff


def render_diff(result: DiffResult, output_format: str, *, minimum: Level = Level.INFO, expand: bool = False) -> str:
    """Render a diff in text, json, markdown, junit or html: a summary first, then each distinct change once, with
    the operations it reaches (named in full with `expand`, else counted and a few named)."""
    title = f"API changes {result.old} -> {result.new}"
    every = group_changes(result.changes)
    groups = [group for group in every if _LEVEL_RANK[group.level] <= _LEVEL_RANK[minimum]]
    summary = summarize_changes(result.changes, every)
    if output_format == "json":
        return json.dumps(diff_to_dict(result, groups, summary, expand=expand), indent=2, ensure_ascii=False) + "\n"
    verdict = "FAILED" if result.breaking else "ok"
    shown = None if expand else _SHOWN
    if output_format == "markdown":
        return _markdown_diff(title, groups, summary, _count_line(summary), result.notes, shown)
    if output_format == "junit":
        return _junit_groups(title, groups, shown)
    if output_format == "html":
        return render_changes_html(
            title,
            summary_lines(summary, verdict),
            [(str(g.level), "", g, "") for g in groups],
            result.notes,
            shown=None if expand else _SHOWN_HTML,
        )
    return _text_diff(title, groups, summary, result, shown)


_SHOWN = 4  # operations named per distinct change before "and N more" (all of them with --expand)
_SHOWN_HTML = 8


def diff_to_dict(
    result: DiffResult, groups: Sequence[ChangeGroup], summary: Summary, *, expand: bool = False
) -> dict[str, Any]:
    """The diff's JSON: verdict, summary, notes and each distinct change once.

    A change names the operations it reaches by an index into `reaches`, where each distinct set of operations
    is listed once (a shared component's change reaches the same operations as the component's other changes),
    and counts them; `expand` adds every occurrence (operation, location, message) to each change.
    """
    reaches: dict[tuple[str, ...], int] = {}
    changes = []
    for group in groups:
        operations = group.operations
        entry: dict[str, Any] = {
            "rule": group.rule,
            "code": group.code,
            "level": str(group.level),
            "level_source": group.level_source,
            "location": group.where,
            "message": group.message,
            "shared": group.shared,
            "operations": len(operations),
            "occurrences": len(group.changes),
            "reach": reaches.setdefault(operations, len(reaches)),
        }
        if expand:
            entry["at"] = [_occurrence(change) for change in group.changes]
        changes.append(entry)
    return {
        "breaking": result.breaking,
        "expanded": expand,
        "summary": _summary_to_dict(summary),
        "notes": list(result.notes),
        "changes": changes,
        "reaches": [list(operations) for operations in reaches],
    }


def _occurrence(change: Change) -> dict[str, str]:
    return {"path": change.path, "method": change.method, "location": change.location, "message": change.message}


def _summary_to_dict(summary: Summary) -> dict[str, Any]:
    return {
        "levels": {
            str(level): {"changes": summary.occurrences[level], "distinct": summary.distinct[level]} for level in Level
        },
        "rules": [
            {
                "rule": count.rule,
                "code": RULE_CODES.get(count.rule, ""),
                "level": str(count.level),
                "changes": count.occurrences,
                "distinct": count.distinct,
            }
            for count in summary.rules
        ],
    }


SUMMARY_RULES = {Level.BREAKING: 15, Level.WARNING: 8}  # rules listed per level before "and N more"


def summary_lines(summary: Summary, verdict: str) -> list[str]:
    """The summary printed before the detail: counts per level, then per rule (breaking and warning listed)."""
    levels = ", ".join(f"{summary.occurrences[level]} {level} ({summary.distinct[level]} distinct)" for level in Level)
    lines = [f"Summary: {levels}: {verdict}"]
    for level, limit in SUMMARY_RULES.items():
        counts = [count for count in summary.rules if count.level is level]
        for count in counts[:limit]:
            lines.append(
                f"  {level!s:<9} {count.rule:<52} {RULE_CODES.get(count.rule, ''):<6} "
                f"{count.occurrences:>7} ({count.distinct} distinct)"
            )
        if len(counts) > limit:
            lines.append(f"  {level!s:<9} and {len(counts) - limit} more rules")
    info = [count for count in summary.rules if count.level is Level.INFO]
    if info:
        top = ", ".join(f"{count.rule} {count.occurrences}" for count in info[:4])
        lines.append(
            f"  info      {summary.occurrences[Level.INFO]} in {len(info)} rules ({top}{', ...' if len(info) > 4 else ''})"
        )
    return lines


def reach_text(operations: Sequence[str], shown: int | None = _SHOWN) -> str:
    """`reached by 212 operations: GET /a, GET /b, ... and 208 more` (every one when `shown` is None)."""
    named = operations if shown is None else operations[:shown]
    more = len(operations) - len(named)
    names = ", ".join(named) + (f" and {more} more" if more else "")
    return f"reached by {len(operations)} operation{'s' if len(operations) != 1 else ''}: {names}"


def _text_diff(
    title: str, groups: Sequence[ChangeGroup], summary: Summary, result: DiffResult, shown: int | None
) -> str:
    verdict = "FAILED" if result.breaking else "ok"
    lines = [title, "", *summary_lines(summary, verdict)]
    lines += [f"note: {note}" for note in result.notes]
    lines += ["", "Details" if groups else "no changes"]
    for group in groups:
        configured = " [level from gate.levels]" if group.configured else ""
        if group.shared:
            lines.append(f"{str(group.level).upper():<9} {group.rule} ({group.code})  in {group.where}{configured}")
            lines.append(f"          {group.message}")
            lines.append(f"          {reach_text(group.operations, shown)}")
        else:
            change = group.changes[0]
            lines.append(f"{str(group.level).upper():<9} {group.rule} ({group.code})  {change.operation}{configured}")
            lines.append(f"          {change.message}")
            lines.append(f"          at {change.location}")
    lines += ["", f"{_count_line(summary)}: {verdict}"]
    return "\n".join(lines) + "\n"


def _markdown_diff(
    title: str,
    groups: Sequence[ChangeGroup],
    summary: Summary,
    counts: str,
    notes: Sequence[str],
    shown: int | None,
) -> str:
    icon = {"breaking": "❌", "warning": "⚠️", "info": "ℹ️"}
    lines = [f"## {title}", "", f"**{counts}**", "", "| level | rule | changes | distinct |", "|---|---|---|---|"]
    lines += [
        f"| {count.level} | `{count.rule}` | {count.occurrences} | {count.distinct} |"
        for count in summary.rules
        if count.level is not Level.INFO
    ]
    lines += [f"| info | (all info rules) | {summary.occurrences[Level.INFO]} | {summary.distinct[Level.INFO]} |", ""]
    lines += [f"> {_cell(note)}" for note in notes]
    if groups:
        lines += ["| | rule | operation | message | location |", "|---|---|---|---|---|"]
        for group in groups:
            where = reach_text(group.operations, shown) if group.shared else group.changes[0].operation
            message = group.message if group.shared else group.changes[0].message
            location = group.where if group.shared else group.changes[0].location
            lines.append(
                f"| {icon.get(str(group.level), '')} | `{group.rule}` | {_cell(where)} | {_cell(message)} | `{_cell(location)}` |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def _junit_groups(title: str, groups: Sequence[ChangeGroup], shown: int | None) -> str:
    """One testcase per distinct change: a breaking one fails; its text names the operations it reaches."""
    failures = sum(1 for group in groups if group.level is Level.BREAKING)
    root = ElementTree.Element("testsuites", name=title, tests=str(len(groups)), failures=str(failures))
    suite = ElementTree.SubElement(root, "testsuite", name=title, tests=str(len(groups)), failures=str(failures))
    for group in groups:
        place = f"in {group.where}" if group.shared else f"{group.changes[0].operation} at {group.where}"
        case = ElementTree.SubElement(suite, "testcase", classname=group.rule, name=place)
        text = f"{group.rule} ({group.code}): {group.message}\n{reach_text(group.operations, shown)}"
        if group.level is Level.BREAKING:
            ElementTree.SubElement(case, "failure", message=f"breaking: {group.message}"[:200]).text = text
        else:
            ElementTree.SubElement(case, "system-out").text = f"{group.level} {text}"
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def _count_line(summary: Summary) -> str:
    counts = summary.occurrences
    return f"{counts[Level.BREAKING]} breaking, {counts[Level.WARNING]} warning, {counts[Level.INFO]} info"


def _text(title: str, rows: Sequence[Row], summary: str, *, breaking: bool, extra: Sequence[str] = ()) -> str:
    lines = [title, ""]
    for row in rows:
        where = f"{row.provider}: " if row.provider else ""
        lines.append(f"{row.verdict.upper():<9} {row.change.rule} ({row.change.code})  {where}{row.operation}")
        lines.append(f"          {row.change.message}")
        lines.append(f"          at {row.change.location}")
        if row.note:
            lines.append(f"          {row.note}")
    if not rows:
        lines.append("no changes")
    lines += ["", *extra] if extra else []
    lines.append("")
    lines.append(f"{summary}: {'FAILED' if breaking else 'ok'}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(title: str, rows: Sequence[Row], summary: str, *, gate: bool, extra: Sequence[str] = ()) -> str:
    icon = {"breaking": "❌", "block": "❌", "warning": "⚠️", "warn": "⚠️", "accepted": "✅", "info": "ℹ️"}
    lines = [f"## {title}", "", f"**{summary}**", ""]
    if rows:
        head = "| | rule | operation | message | location |" + (" note |" if gate else "")
        lines += [head, "|---" * (6 if gate else 5) + "|"]
        for row in rows:
            cells = [
                icon.get(row.verdict, ""),
                f"`{row.change.rule}`",
                _cell(row.operation),
                _cell(row.change.message),
                f"`{_cell(row.change.location)}`",
            ] + ([_cell(row.note)] if gate else [])
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += list(extra)
    return "\n".join(lines) + "\n"


def _junit(title: str, rows: Sequence[Row], extra_cases: Sequence[tuple[str, str, str | None]] = ()) -> str:
    """One testcase per operation: it fails when one of its changes fails the command."""
    by_operation: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        by_operation[(row.provider, row.operation)].append(row)
    failures = sum(1 for group in by_operation.values() if any(row.failing for row in group))
    failures += sum(1 for _, _, failure in extra_cases if failure)
    root = ElementTree.Element(
        "testsuites", name=title, tests=str(len(by_operation) + len(extra_cases)), failures=str(failures)
    )
    suite = ElementTree.SubElement(root, "testsuite", name=title, tests=root.get("tests", "0"), failures=str(failures))
    for (provider, operation), group in by_operation.items():
        case = ElementTree.SubElement(suite, "testcase", classname=provider or "api", name=operation)
        failing = [row for row in group if row.failing]
        if failing:
            failure = ElementTree.SubElement(case, "failure", message=f"{len(failing)} breaking change(s)")
            failure.text = "\n".join(
                f"{row.change.rule}: {row.change.message} at {row.change.location}" for row in failing
            )
        others = [row for row in group if not row.failing]
        if others:
            out = ElementTree.SubElement(case, "system-out")
            out.text = "\n".join(f"{row.verdict} {row.change.rule}: {row.change.message}" for row in others)
    for classname, name, failure_text in extra_cases:
        case = ElementTree.SubElement(suite, "testcase", classname=classname, name=name)
        if failure_text:
            ElementTree.SubElement(case, "failure", message=failure_text[:200]).text = failure_text
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


# ---------------------------------------------------------------- GitHub annotations


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_annotations(rows: Iterable[Row], *, limit: int = ANNOTATION_LIMIT) -> str:
    """GitHub workflow commands (`::error file=...::message`) for failing rows, then warnings."""
    chosen = [row for row in rows if row.verdict in ("breaking", "block", "warning", "warn")]
    chosen.sort(key=lambda row: not row.failing)
    lines = []
    for row in chosen[:limit]:
        command = "error" if row.failing else "warning"
        properties = [f"title={_escape_property(f'{row.change.rule}: {row.operation}')}"]
        if row.file:
            properties.insert(0, f"file={_escape_property(row.file)}")
            if row.line:
                properties.insert(1, f"line={row.line}")
        message = f"{row.change.message} ({row.change.location})" + (f". {row.note}" if row.note else "")
        lines.append(f"::{command} {','.join(properties)}::{_escape_data(message)}")
    if len(chosen) > limit:
        lines.append(f"::notice::{len(chosen) - limit} more breaking changes or warnings are in the report")
    return "\n".join(lines) + ("\n" if lines else "")


# ---------------------------------------------------------------- contracts gate


def gate_rows(result: GateResult) -> list[Row]:
    """Rows for every gate change that is not merely informational, failing ones first."""
    rows = [
        Row(item.change, str(item.verdict), provider=item.provider, file=item.file, line=item.line, note=item.note)
        for item in result.changes
    ]
    return sorted(rows, key=lambda row: _VERDICT_ORDER.get(row.verdict, 9))


_VERDICT_ORDER = {"block": 0, "warn": 1, "accepted": 2, "info": 3}


def render_gate(result: GateResult, output_format: str, *, show_info: bool = False) -> str:
    """Render a gate result in text, json, markdown, junit or html."""
    rows = [row for row in gate_rows(result) if show_info or row.verdict != "info"]
    title = f"Contract gate against {result.base}"
    if output_format == "json":
        return json.dumps(gate_to_dict(result), indent=2, ensure_ascii=False) + "\n"
    summary = _gate_summary(result)
    extra = _gate_extra(result)
    if output_format == "markdown":
        pacts = _markdown_pact_findings(result)
        notes = ["### Notes", "", *[f"- {line}" for line in extra]] if extra else []
        return _markdown(title, rows, summary, gate=True, extra=[*pacts, *notes])
    if output_format == "junit":
        cases = [
            (
                f"pact.{provider}",
                f"{finding.code} {finding.operation}".strip(),
                finding.message if str(finding.severity) == "error" else None,
            )
            for provider, finding in result.pact_findings
        ]
        cases += [
            ("ledger", f"entry {entry.index} ({entry.rule})", f"expired on {entry.expires}") for entry in result.expired
        ]
        return _junit(title, rows, cases)
    if output_format == "html":
        page_rows = [
            (row.verdict, row.provider, group, row.note) for row in rows for group in group_changes([row.change])
        ]
        return render_changes_html(title, [summary, *extra], page_rows)
    return _text(title, rows, summary, breaking=result.failed, extra=extra)


def _gate_summary(result: GateResult) -> str:
    counts = Counter(str(item.verdict) for item in result.changes)
    errors = sum(1 for _, finding in result.pact_findings if str(finding.severity) == "error")
    return (
        f"{len(result.compared)} file(s) changed since {result.base}; {counts['block']} blocking, "
        f"{counts['warn']} warning, {counts['accepted']} accepted, {counts['info']} info; "
        f"{errors} pact finding(s); {len(result.stale)} stale and {len(result.expired)} expired ledger entr(ies)"
    )


def pact_verdict(severity: object) -> str:
    """A pact finding's verdict: an error blocks (the change broke the consumer), a warning warns."""
    return "block" if str(severity) == "error" else "warn"


def _markdown_pact_findings(result: GateResult) -> list[str]:
    """The consumers' pacts judged against the new descriptions, each finding with its verdict."""
    if not result.pact_findings:
        return []
    lines = [
        "### Consumer pacts against the new descriptions",
        "",
        "| verdict | provider | code | where | finding |",
        "| --- | --- | --- | --- | --- |",
    ]
    ranked = sorted(result.pact_findings, key=lambda item: pact_verdict(item[1].severity) != "block")
    lines += [
        f"| {pact_verdict(finding.severity)} | {provider} | {finding.code} | `{_cell(finding.location)}` | "
        f"{_cell(finding.message)} |"
        for provider, finding in ranked
    ]
    return [*lines, ""]


def _gate_extra(result: GateResult) -> list[str]:
    lines = [
        f"pact {provider}: {pact_verdict(finding.severity).upper()} {finding.code} {finding.operation} {finding.message}"
        + (f" at {finding.location}" if finding.location else "")
        for provider, finding in result.pact_findings
    ]
    lines += [
        f"ledger entry {entry.index} ({entry.rule} at {entry.location}, owner {entry.owner}) expired on "
        f"{entry.expires}: the gate fails until the entry is renewed or removed"
        for entry in result.expired
    ]
    lines += [
        f"ledger entry {entry.index} ({entry.rule} at {entry.location}, owner {entry.owner}) is stale: "
        "it matches no change; remove it"
        for entry in result.stale
    ]
    lines += [f"{note}" for note in result.notes]
    return lines


def gate_to_dict(result: GateResult) -> dict[str, Any]:
    """The gate's JSON: breaking, every change (with provider, file, verdict, note, observers and the consumer
    interactions it breaks), the pact findings with their verdict, ledger notes."""
    return {
        "breaking": result.failed,
        "base": result.base,
        "compared": list(result.compared),
        "changes": [
            dict(
                item.change.to_dict(),
                provider=item.provider,
                file=item.file,
                verdict=str(item.verdict),
                note=item.note,
                observers=list(item.observers),
                breaks=list(item.breaks),
            )
            for item in sorted(result.changes, key=lambda item: _VERDICT_ORDER.get(str(item.verdict), 9))
        ],
        "pact_findings": [
            {
                "provider": provider,
                "code": f.code,
                "verdict": pact_verdict(f.severity),
                "severity": str(f.severity),
                "operation": f.operation,
                "message": f.message,
                "location": f.location,
            }
            for provider, f in result.pact_findings
        ],
        "ledger": {
            "stale": [entry.to_dict() for entry in result.stale],
            "expired": [entry.to_dict() for entry in result.expired],
        },
        "notes": list(result.notes),
    }
