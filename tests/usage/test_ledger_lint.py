"""The ledger's lint: schema, owners, dates, rules and providers; expired entries fail with their owner."""

from __future__ import annotations

import datetime as dt

from contractkit.core.codes import Code
from contractkit.diff import RULE_CODES
from contractkit.registry import load_registry
from contractkit.registry.ledger_lint import (
    expired_entries,
    iter_ledger_problems,
)

TODAY = dt.date(2026, 11, 22)
ENTRY = (
    '  - rule: {rule}\n    provider: {provider}\n    location: "#/paths/~1pages/get/*"\n'
    "    owner: {owner}\n    reason: devctl never reads it\n    expires: {expires}\n"
)


def _ledger(pager, *entries: dict[str, str]) -> list[tuple[str, str]]:
    text = "version: 1\naccepted:\n" + "".join(
        ENTRY.format(
            **{
                "rule": "response-property-removed",
                "provider": "pager",
                "owner": "sre-team",
                "expires": "2027-01-31",
                **entry,
            }
        )
        for entry in entries
    )
    (pager.parent / "accepted-changes.yaml").write_text(text)
    problems = iter_ledger_problems(load_registry(pager), known_rules=RULE_CODES, today=TODAY)
    return [(problem.code, problem.message) for problem in problems]


def test_a_good_ledger_has_no_problems(pager):
    assert _ledger(pager, {}) == []


def test_a_missing_owner_fails_lint(pager):
    assert _ledger(pager, {"owner": '""'}) == [
        (
            Code.LEDGER_OWNER,
            "accepted-changes.yaml: accepted[0].owner: every accepted change needs an owner who answers "
            "for it; add owner: <team or person>",
        )
    ]


def test_unknown_rules_providers_and_impossible_dates(pager):
    found = _ledger(pager, {"rule": "response-property-vanished"}, {"provider": "grafana"}, {"expires": "'2027-02-30'"})
    assert [code for code, _ in found] == [Code.LEDGER_RULE, Code.LEDGER_PROVIDER, Code.LEDGER_INVALID]
    assert found[0][1].startswith("accepted-changes.yaml: accepted[0].rule: no rule 'response-property-vanished'")
    assert found[2][1] == (
        "accepted-changes.yaml: accepted[2].expires: not a real date: '2027-02-30'; write YYYY-MM-DD"
    )
    assert _ledger(pager, {"rule": "CK418"}) == []  # a pact finding code is a rule the ledger may name


def test_an_expired_entry_fails_with_its_owner_whether_or_not_the_change_is_still_there(pager):
    found = _ledger(pager, {"expires": "2026-10-01"})
    assert found == [
        (
            Code.LEDGER_EXPIRED,
            "accepted-changes.yaml: accepted[0]: ledger entry 0 (response-property-removed "
            "at #/paths/~1pages/get/*, owner sre-team) expired on 2026-10-01: the gate fails "
            "until it is renewed with a reason or removed",
        )
    ]
    [failure] = expired_entries(load_registry(pager), today=TODAY)
    assert failure.owner == "sre-team" and failure.is_error


def test_a_ledger_that_does_not_fit_its_schema(pager):
    (pager.parent / "accepted-changes.yaml").write_text("version: 2\naccepted: {}\n")
    found = [
        (problem.code, problem.message)
        for problem in iter_ledger_problems(load_registry(pager), known_rules=RULE_CODES, today=TODAY)
    ]
    assert [code for code, _ in found] == [Code.LEDGER_INVALID, Code.LEDGER_INVALID]
    assert found[0][1].startswith("accepted-changes.yaml: accepted: ")


def test_contracts_lint_reports_every_ledger_problem_with_file_and_line(tmp_path, run_cli):
    """`contracts lint` runs the same checks: a missing owner, an unknown rule or provider are errors, an expiry a warning."""
    (tmp_path / "registry.yaml").write_text(
        "version: 1\nconsumer: shop\ngate: {ledger: accepted.yaml}\nproviders:\n  widgets:\n    base_url: http://127.0.0.1:9\n"
        "    operations:\n      list_widgets: {method: GET, path: /widgets, safe: true}\n"
    )
    (tmp_path / "accepted.yaml").write_text(
        "version: 1\naccepted:\n  - rule: response-property-removd\n    location: '#/x'\n    reason: r\n    expires: 2099-01-01\n"
        "  - rule: response-property-removed\n    provider: nope\n    location: '#/x'\n    owner: team\n    reason: r\n"
        "    expires: 2020-01-30\n"
    )
    code, out, err = run_cli("lint", "--registry", str(tmp_path / "registry.yaml"))
    assert code == 2
    text = out + err
    assert "CK117 accepted.yaml:3: accepted[0].owner" in text
    assert "CK118 accepted.yaml:3: accepted[0].rule: no rule 'response-property-removd'" in text
    assert "CK119 accepted.yaml:7: accepted[1].provider: no provider 'nope'" in text
    assert "warning: CK120 accepted.yaml:7: accepted[1]: ledger entry 1" in text and "owner team" in text
