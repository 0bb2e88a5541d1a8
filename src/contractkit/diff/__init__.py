"""Breaking changes between two API descriptions, and the CI gate with its ledger of accepted changes."""

from contractkit.diff.compare import (
    RULE_CODES,
    Change,
    DiffResult,
    Level,
    SchemaComparator,
    diff_any,
    diff_documents,
    diff_schemas,
    diff_sources,
    is_api_description,
    is_breaking,
    line_of_pointer,
    load_description,
    parse_description,
    parse_source_argument,
    read_git_file,
    rule_name,
)
from contractkit.diff.gate import (
    DEFAULT_LEDGER,
    GateChange,
    GateResult,
    LedgerEntry,
    LedgerError,
    Verdict,
    iter_tracked,
    line_map,
    load_ledger,
    run_gate,
)

__all__ = [
    "DEFAULT_LEDGER", "RULE_CODES", "Change", "DiffResult", "GateChange", "GateResult", "LedgerEntry", "LedgerError",
    "Level", "SchemaComparator", "Verdict", "diff_any", "diff_documents", "diff_schemas", "diff_sources",
    "is_api_description", "is_breaking", "iter_tracked", "line_map", "line_of_pointer", "load_description",
    "load_ledger", "parse_description", "parse_source_argument", "read_git_file", "rule_name", "run_gate",
]
