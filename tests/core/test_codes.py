"""Failure codes: one table, unique codes, printed by `contracts codes`."""

from __future__ import annotations

import json
import re
from pathlib import Path

from contractkit.cli import main
from contractkit.core.codes import Code
from contractkit.diff import RULES

SOURCE = Path(__file__).resolve().parents[2] / "src" / "contractkit"


def test_every_code_is_unique_across_findings_and_diff_rules():
    finding_codes = {code.value for code in Code}
    rule_codes = [rule.code for rule in RULES.values()]
    assert len(rule_codes) == len(set(rule_codes))
    assert finding_codes.isdisjoint(rule_codes), sorted(finding_codes & set(rule_codes))


def test_no_module_defines_a_finding_code_of_its_own():
    """A `NAME = "CK123"` assignment outside the table would be a second source of truth."""
    offenders = []
    for path in SOURCE.rglob("*.py"):
        if path.name == "codes.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.match(r'^[A-Z_0-9]+ = "CK\d{3}"', line):
                offenders.append(f"{path.relative_to(SOURCE)}:{number}")
    assert offenders == []


def test_codes_command_lists_findings_and_rules(capsys):
    assert main(["codes", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    codes = {row["code"]: row for row in rows}
    assert codes["CK401"]["title"] == "the response body does not fit the documented schema"
    assert codes["CK807"]["area"] == "fuzz" and codes["CK607"]["area"] == "diff"
    assert any(row["area"] == "diff" for row in rows)
    assert len(codes) == len(rows)
