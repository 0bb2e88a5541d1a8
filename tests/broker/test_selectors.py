"""Consumer version selectors in the broker's vocabulary, and the matrix query Pact's can-i-deploy sends."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractkit.broker.deploy import VersionSelector, matrix_query
from contractkit.broker.verification import parse_selector
from contractkit.core.errors import UsageError


@pytest.mark.parametrize(
    ("text", "selector"),
    [
        ("main-branch", {"mainBranch": True}),
        ("deployed-or-released", {"deployedOrReleased": True}),
        ("matching-branch", {"matchingBranch": True}),
        ("deployed,environment=production", {"deployed": True, "environment": "production"}),
        ("consumer=billing,branch=feat-x", {"consumer": "billing", "branch": "feat-x"}),
        ("tag=prod,latest", {"tag": "prod", "latest": True}),
        ("branch=feat-x,fallback-branch=main", {"branch": "feat-x", "fallbackBranch": "main"}),
        ('{"consumer": "billing", "released": true}', {"consumer": "billing", "released": True}),
    ],
)
def test_selectors_read_as_the_broker_takes_them(text: str, selector: dict) -> None:
    assert parse_selector(text) == selector


@pytest.mark.parametrize("text", ["main", "branch=", "consumer", "{}", "{not json", "[1]"])
def test_a_selector_that_is_none_is_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match=r"^--selector "):
        parse_selector(text)


def test_a_bad_selector_on_the_command_line_is_exit_2(run_cli) -> None:
    registry = str(Path(__file__).resolve().parents[2] / "registry.yaml")
    code, _, err = run_cli(
        "verify",
        "--registry",
        registry,
        "--provider",
        "grafana",
        "--broker",
        "http://127.0.0.1:9",
        "--selector",
        "main",
    )
    assert code == 2
    assert "--selector 'main': 'main' is not a selector part" in err


def test_the_matrix_query_is_pacts() -> None:
    foo = VersionSelector("Foo", "1.2.3")
    assert matrix_query([foo], environment="production", to_tag=None) == [
        ("q[][pacticipant]", "Foo"), ("q[][version]", "1.2.3"), ("latestby", "cvp"), ("environment", "production"),
    ]  # fmt: skip
    assert matrix_query([VersionSelector("Foo", tag="prod")], environment=None, to_tag=None) == [
        ("q[][pacticipant]", "Foo"), ("q[][tag]", "prod"), ("q[][latest]", "true"), ("latestby", "cvp"),
        ("latest", "true"),
    ]  # fmt: skip
