"""Saved results: a report written with `--format json`, read back to render in any format or to merge shards.

`merge_reports` joins the reports of the shards of one run (`--shard I/N`) into the report the unsharded run gives:
the same results, in one canonical order (provider, operation, check, interaction), with the same exit code. It
refuses a set that could hide a result: a shard missing (one that crashed writes no JSON), a shard given twice,
shards of one command from two runs, or with two shard counts. The JSON of `contracts gate` and `contracts diff`
is read too (each change a `gate` or `diff` check), so the contract matrix shows the gate column, and so is
`contracts lint`'s (each problem a `lint` check).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from contractkit.core.errors import UsageError
from contractkit.core.loading import parse_json_value
from contractkit.core.model import CheckResult, Finding, Report, Severity, Status
from contractkit.core.shards import ShardStamp
from contractkit.validation import SchemaFinding

__all__ = ["canonical_order", "check_shards", "load_report", "merge_reports", "report_from_dict"]

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
    """The Report a JSON report holds (the inverse of render_json, up to finding subclasses' private fields);
    the JSON of `contracts gate` or `contracts diff` gives one result per change."""
    if isinstance(data, dict) and not isinstance(data.get("results"), list):
        if isinstance(data.get("changes"), list) and "compared" in data and "base" in data:
            return _gate_report(data, display)
        if isinstance(data.get("changes"), list) and "breaking" in data and ("reaches" in data or "groups" in data):
            return _diff_report(data, display)
        if isinstance(data.get("problems"), list) and "registry" in data:
            return _lint_report(data, display)
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise UsageError(
            f"{display}: results: expected a list of check results (a report saved with --format json, "
            "or the JSON of contracts gate, contracts diff or contracts lint)"
        )
    results = tuple(_result(item, display, index) for index, item in enumerate(data["results"]))
    summary = data.get("summary")
    timing = summary.get("duration") if isinstance(summary, dict) else None
    duration = timing.get("total", 0.0) if isinstance(timing, dict) else 0.0
    shard = ShardStamp.from_dict(data["shard"], display) if data.get("shard") is not None else None
    return Report(str(data.get("title", "")), results, float(duration or 0.0), shard)


def _change_finding(change: Mapping[str, Any], severity: Severity) -> Finding:
    judged = change.get("verdict") or change.get("level")
    note = f" ({judged}: {change['note']})" if change.get("note") else f" ({judged})" if judged else ""
    return Finding(
        str(change.get("code", "")),
        severity,
        f"{change.get('rule', '')}: {change.get('message', '')}{note}",
        str(change.get("location", "")),
    )


def _operation(change: Mapping[str, Any]) -> str:
    return f"{change.get('method', '')} {change.get('path', '')}".strip()


def _changes(data: Mapping[str, Any], display: str) -> list[Mapping[str, Any]]:
    changes = data["changes"]
    for index, change in enumerate(changes):
        if not isinstance(change, dict):
            raise UsageError(f"{display}: changes[{index}]: expected a mapping, got {type(change).__name__}")
    return changes


def _gate_report(data: Mapping[str, Any], display: str) -> Report:
    """A gate's JSON as results of the `gate` check: each change by its verdict (block fails), each pact finding,
    each expired ledger entry; one passing result when nothing blocks, so the gate column is never left empty."""
    results = []
    for change in _changes(data, display):
        verdict = str(change.get("verdict", ""))
        failed = verdict == "block"
        results.append(
            CheckResult(
                "gate",
                str(change.get("provider", "")),
                _operation(change),
                str(change.get("rule", "")),
                Status.FAILED if failed else Status.PASSED,
                f"{verdict}: {change.get('message', '')}" + (f"; {change['note']}" if change.get("note") else ""),
                findings=(_change_finding(change, Severity.ERROR if failed else Severity.INFO),),
                details={"verdict": verdict, "file": str(change.get("file", ""))},
            )
        )
    for item in data.get("pact_findings") or ():
        if isinstance(item, dict):
            failed = item.get("verdict") == "block"
            finding = Finding(
                str(item.get("code", "")),
                Severity.ERROR if failed else Severity.WARNING,
                str(item.get("message", "")),
                str(item.get("location", "")),
            )
            results.append(
                CheckResult(
                    "gate",
                    str(item.get("provider", "")),
                    str(item.get("operation", "")),
                    "consumer pact",
                    Status.FAILED if failed else Status.PASSED,
                    f"{item.get('verdict', '')}: {item.get('message', '')}",
                    findings=(finding,),
                )
            )
    ledger = data.get("ledger")
    for entry in (ledger.get("expired") if isinstance(ledger, dict) else None) or ():
        text = f"ledger entry expired: {entry}"
        results.append(CheckResult("gate", "", "ledger", "", Status.FAILED, text))
    base = str(data.get("base", ""))
    if not any(result.status is Status.FAILED for result in results):
        results.append(
            CheckResult("gate", "", "", "", Status.PASSED, f"no blocking change since {base}", details={"base": base})
        )
    return Report(f"Contract gate against {base}", canonical_order(results))


def _lint_report(data: Mapping[str, Any], display: str) -> Report:
    """`contracts lint`'s JSON as results of the `lint` check: an error fails, a warning is reported and holds."""
    results = []
    for index, problem in enumerate(data["problems"]):
        if not isinstance(problem, dict):
            raise UsageError(f"{display}: problems[{index}]: expected a mapping, got {type(problem).__name__}")
        failed = problem.get("level") != "warning"
        where = str(problem.get("file") or data.get("registry", ""))
        where += f":{problem['line']}" if problem.get("line") else ""
        finding = Finding(
            str(problem.get("code", "")),
            Severity.ERROR if failed else Severity.WARNING,
            str(problem.get("message", "")),
            where,
        )
        status = Status.FAILED if failed else Status.PASSED
        results.append(CheckResult("lint", "", "", where, status, finding.message, findings=(finding,)))
    if not any(result.status is Status.FAILED for result in results):
        results.append(CheckResult("lint", "", "", str(data.get("registry", "")), Status.PASSED, "the registry holds"))
    return Report(f"contracts lint {data.get('registry', '')}", canonical_order(results))


def _diff_report(data: Mapping[str, Any], display: str) -> Report:
    """A diff's JSON as results of the `diff` check (the gate column): a breaking change fails, once for every
    operation it reaches (a distinct change names its operations through `reach`, an index into `reaches`)."""
    found = data.get("reaches")
    reaches: list[Any] = found if isinstance(found, list) else []
    results = []
    for change in _changes(data, display):
        level = change.get("level")
        reach = change.get("reach")
        operations = reaches[reach] if isinstance(reach, int) and 0 <= reach < len(reaches) else [_operation(change)]
        results += [
            CheckResult(
                "diff",
                "",
                str(operation),
                str(change.get("rule", "")),
                Status.FAILED if level == "breaking" else Status.PASSED,
                f"{level or ''}: {change.get('message', '')}",
                findings=(_change_finding(change, Severity.ERROR if level == "breaking" else Severity.INFO),),
            )
            for operation in operations
        ]
    if not results:
        results.append(CheckResult("diff", "", "", "", Status.PASSED, "no change between the two descriptions"))
    return Report("API changes", canonical_order(results))


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


def check_shards(reports: Sequence[Report], names: Sequence[str] = ()) -> None:
    """UsageError unless the shards of every split command are all there, once each, from one run, with one count.
    Reports of no shard (an unsplit command, the gate, a diff) are whole and pass as they are."""
    names = list(names) or [f"report {n}" for n in range(1, len(reports) + 1)]
    works: dict[str, list[tuple[ShardStamp, str]]] = defaultdict(list)
    for report, name in zip(reports, names):
        if report.shard is not None:
            works[report.shard.work].append((report.shard, name))
    problems = [problem for work, stamps in works.items() for problem in _shard_problems(work, stamps)]
    if problems:
        raise UsageError(
            "refusing to merge an incomplete or mixed set of shards: " + "; ".join(problems),
            hint="Merge the JSON of every shard of one run; a shard that wrote none failed (see its job)",
        )


def _shard_problems(work: str, stamps: list[tuple[ShardStamp, str]]) -> list[str]:
    problems = []
    runs = sorted({stamp.run for stamp, _ in stamps})
    if len(runs) > 1:
        by_run = "; ".join(
            f"run {run or '(none)'}: " + ", ".join(name for stamp, name in stamps if stamp.run == run) for run in runs
        )
        problems.append(f"`{work}`: shards from {len(runs)} runs ({by_run})")
    counts = sorted({stamp.count for stamp, _ in stamps})
    if len(counts) > 1:
        problems.append(f"`{work}`: shards of different counts ({', '.join(map(str, counts))})")
    seen: dict[int, list[str]] = defaultdict(list)
    for stamp, name in stamps:
        seen[stamp.index].append(name)
    count = counts[-1]
    problems += [
        f"`{work}`: shard {index}/{count} given {len(found)} times ({', '.join(found)})"
        for index, found in sorted(seen.items())
        if len(found) > 1
    ]
    missing = [index for index in range(1, count + 1) if index not in seen]
    if missing:
        shown = ", ".join(f"{index}/{count}" for index in missing)
        problems.append(f"`{work}`: missing shard{'s' if len(missing) > 1 else ''} {shown}")
    return problems


def merge_reports(reports: Sequence[Report], *, title: str | None = None, names: Sequence[str] = ()) -> Report:
    """One report from the shards' reports: every result once, in canonical order; the longest shard's duration.
    The shards are checked first (`check_shards`): a missing, repeated or foreign shard is refused."""
    if not reports:
        raise UsageError("no reports to merge", hint="pass the JSON results of every shard")
    check_shards(reports, names)
    titles = list(dict.fromkeys(report.title for report in reports))
    chosen = title or (titles[0] if len(titles) == 1 else " + ".join(titles))
    results = canonical_order(result for report in reports for result in report.results)
    return Report(chosen, results, max(report.duration for report in reports))
