"""registry.yaml: loading and interpolation, the provider context each command builds, lint, the inventory,
and the ledger checks."""

from contractkit.registry.context import ProviderContext, ProviderSettings, provider_contexts
from contractkit.registry.inventory import describe_registry, render_inventory
from contractkit.registry.lint import lint_as_report, lint_registry, registry_warnings, render_lint
from contractkit.registry.loader import DEFAULT_REGISTRY, find_registry, load_registry

__all__ = [
    "DEFAULT_REGISTRY", "ProviderContext", "ProviderSettings", "describe_registry", "find_registry",
    "lint_as_report", "lint_registry", "load_registry", "provider_contexts", "registry_warnings",
    "render_inventory", "render_lint",
]
