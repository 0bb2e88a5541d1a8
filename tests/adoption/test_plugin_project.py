"""The pytest plugin in a user's own project (no conftest of ours): it finds the registry and imports no grammar."""

from __future__ import annotations

import json
from importlib import metadata

import pytest

from contractkit.scaffold import add_provider, init_project, parse_route
from tests.adoption.specs import SMALL_SPEC

pytest_plugins = ["pytester"]

USER_TEST = """
import json
import sys
import urllib.request


def test_list_widgets(contract):
    with contract("widgets", "list_widgets") as server:
        request = urllib.request.Request(server.url + "/widgets", headers={"Authorization": "Bearer t0k3n"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = json.loads(answer.read())
    assert body["items"][0]["id"].startswith("wd_")


def test_no_optional_grammar_was_imported():
    import jsonschema  # its format checkers would compile the grammar, were it not blocked

    assert jsonschema.FormatChecker().checkers  # the checkers were built in this process
    assert sys.modules.get("rfc3987_syntax", "absent") is None  # blocked, never compiled
"""


def test_plugin_in_a_fresh_project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        metadata.version("rfc3987-syntax")
    except metadata.PackageNotFoundError:
        pytest.skip("the optional rfc3987-syntax grammar is not installed: nothing to keep out")
    root = pytester.path
    (root / ".git").mkdir()
    init_project(root, "shop")
    spec = root / "widgets.json"
    spec.write_text(json.dumps(SMALL_SPEC))
    add_provider(root / "registry.yaml", "widgets", spec, [parse_route("GET /widgets")])
    (root / "tests" / "contracts" / "test_widgets.py").write_text(USER_TEST)
    monkeypatch.delenv("CONTRACTS_REGISTRY", raising=False)
    monkeypatch.chdir(root / "tests" / "contracts")  # pytest started below the registry's folder
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "test_widgets.py")
    result.assert_outcomes(passed=2)
    assert json.loads((root / "pacts" / "shop-widgets.json").read_text())["interactions"]
