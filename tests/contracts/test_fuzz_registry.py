"""Fuzzing in the contract suite: every provider the registry marks `fuzz.enabled` is fuzzed on each run.

The registry's fuzz settings apply (seed, max_examples, corpus); a provider with a `process` key is
started locally for the run. The committed failure corpus is replayed first and never rewritten here,
so the suite stays read-only on the repository. Set CONTRACTS_REGISTRY to run it on another registry.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from contractkit.core.errors import ContractKitError
from contractkit.fuzz import FuzzOptions, fuzz_provider
from contractkit.registry import load_registry
from contractkit.reports import render_report

REGISTRY = Path(os.environ.get("CONTRACTS_REGISTRY") or Path(__file__).resolve().parents[2] / "registry.yaml")
# A bound on each provider's share of the suite, whatever max_examples the registry gives.
TIME_BUDGET = float(os.environ.get("CONTRACTS_FUZZ_TIME_BUDGET", "20"))


def _fuzzable() -> list[str]:
    try:
        registry = load_registry(REGISTRY)
    except ContractKitError:
        return ["-"]  # the test then fails with the registry's own message instead of a collection error
    return [name for name, provider in registry.providers.items() if provider.settings.fuzz.enabled]


_PROVIDERS = _fuzzable()


@pytest.mark.contract
@pytest.mark.skipif(not _PROVIDERS, reason=f"no provider in {REGISTRY.name} is marked fuzz.enabled")
@pytest.mark.parametrize("provider", _PROVIDERS or ["-"])
def test_fuzz_provider(provider: str) -> None:
    registry = load_registry(REGISTRY)
    run = fuzz_provider(registry, provider, FuzzOptions(update_corpus=False, time_budget=TIME_BUDGET))
    report = run.to_report()
    assert not report.failed, render_report(report, "text")
