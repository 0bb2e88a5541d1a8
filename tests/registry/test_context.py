"""The provider context: built once per command, each artifact loaded on first use and then kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from contractkit.core.errors import UsageError
from contractkit.registry import load_registry
from contractkit.registry.context import ProviderContext, provider_contexts

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def registry(tmp_path: Path):
    for name in ("registry.yaml", "schemas", "contracts", "cassettes", "pacts"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    return load_registry(tmp_path / "registry.yaml")


def test_contexts_follow_registry_order_and_selection(registry):
    assert [context.name for context in provider_contexts(registry)] == list(registry.providers)
    assert [context.name for context in provider_contexts(registry, ["slack", "aws"])] == ["slack", "aws"]
    with pytest.raises(UsageError, match="no provider 'nope'"):
        provider_contexts(registry, ["nope"])


def test_the_slice_carries_its_overlay_and_the_validator_is_built_once(registry):
    context = ProviderContext(registry, registry.provider("slack"))
    assert context.settings.overlay == registry.root / "schemas" / "slack" / "overlay.yaml"
    assert context.validator is context.validator
    assert context.validator.document is context.description
    # the overlay changes the slice: the file on disk differs from what the context serves
    raw = json.loads((registry.root / "schemas" / "slack" / "openapi.json").read_text())
    assert raw != context.description


def test_artifacts_load_lazily_and_a_missing_pact_is_none(registry):
    context = ProviderContext(registry, registry.provider("grafana"))
    context.pact_path.unlink()
    assert context.pact is None
    assert {interaction.operation for interaction in context.contract.interactions} <= set(context.provider.operations)
    assert context.cassettes and all(
        cassette.path.is_relative_to(context.provider.cassettes) for cassette in context.cassettes
    )
    assert context.router.match("GET", "/api/search").name == "search_dashboards"


def test_an_aws_provider_has_no_description_and_says_so(registry):
    context = ProviderContext(registry, registry.provider("aws"))
    assert context.description is None
    with pytest.raises(UsageError, match="has no 'spec'"):
        _ = context.validator
