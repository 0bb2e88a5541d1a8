"""The broker tests say which broker and credentials they use: nothing comes from the caller's environment."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_broker_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests say which broker and credentials they use; nothing is taken from the caller's environment."""
    for name in ("PACT_BROKER_BASE_URL", "PACT_BROKER_TOKEN", "PACT_BROKER_USERNAME", "PACT_BROKER_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONTRACTS_RUN_ID", "broker-tests")
