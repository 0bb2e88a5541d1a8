"""Breaking changes between two API descriptions, the CI gate with its ledger of accepted changes, and the upstream
spec watch.

The gate, the consumer verdicts and the spec watch stand on the consumer-compatibility engine, pacts, cassettes
and validation; a plain `contracts diff` needs none of them. Their names are offered here all the same, and their
modules are imported on first use, so that a diff of two small descriptions does not pay for them at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contractkit.core.faces import import_on_use
from contractkit.diff.compare import (
    diff_any,
    diff_documents,
    diff_schemas,
    diff_sources,
    is_breaking,
    line_of_pointer,
)
from contractkit.diff.grouping import ChangeGroup, Summary, group_changes, summarize_changes
from contractkit.diff.model import Change, DiffOptions, DiffResult, Level
from contractkit.diff.rules import (
    RULE_CODES,
    RULES,
    Rule,
    apply_levels,
    check_levels,
    rule_name,
)
from contractkit.diff.schemas import SchemaComparator
from contractkit.diff.sources import (
    is_api_description,
    load_description,
    parse_description,
    parse_source_argument,
    read_git_file,
)

if TYPE_CHECKING:
    from contractkit.diff.gate import (
        DEFAULT_LEDGER,
        GateChange,
        GateResult,
        LedgerEntry,
        LedgerError,
        iter_tracked,
        line_map,
        load_ledger,
        run_gate,
    )
    from contractkit.diff.verdicts import Judged, Verdict, judge_change, judge_changes
    from contractkit.diff.watch import sources_report, watch_provider, watch_sources, watched_sources, write_slice

# module -> the names it offers through this face, imported when one of them is first read
__getattr__ = import_on_use(
    __name__,
    {
        "gate": (
            "DEFAULT_LEDGER",
            "GateChange",
            "GateResult",
            "LedgerEntry",
            "LedgerError",
            "iter_tracked",
            "line_map",
            "load_ledger",
            "run_gate",
        ),
        "verdicts": ("Judged", "Verdict", "judge_change", "judge_changes"),
        "watch": ("sources_report", "watch_provider", "watch_sources", "watched_sources", "write_slice"),
    },
)

__all__ = [
    "Change",
    "ChangeGroup",
    "DEFAULT_LEDGER",
    "DiffOptions",
    "DiffResult",
    "GateChange",
    "GateResult",
    "Judged",
    "LedgerEntry",
    "LedgerError",
    "Level",
    "RULES",
    "RULE_CODES",
    "Rule",
    "SchemaComparator",
    "Summary",
    "Verdict",
    "apply_levels",
    "check_levels",
    "diff_any",
    "diff_documents",
    "diff_schemas",
    "diff_sources",
    "group_changes",
    "is_api_description",
    "is_breaking",
    "iter_tracked",
    "judge_change",
    "judge_changes",
    "line_map",
    "line_of_pointer",
    "load_description",
    "load_ledger",
    "parse_description",
    "parse_source_argument",
    "read_git_file",
    "rule_name",
    "run_gate",
    "sources_report",
    "summarize_changes",
    "watch_provider",
    "watch_sources",
    "watched_sources",
    "write_slice",
]
