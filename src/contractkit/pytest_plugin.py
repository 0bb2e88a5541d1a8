"""pytest plugin: loaded in every pytest run, so importing it must stay cheap (no Pact core here)."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("contractkit")
    group.addoption("--contracts-registry", default=None, help="registry.yaml for contract tests")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "contract(provider, operation): a consumer contract test")
