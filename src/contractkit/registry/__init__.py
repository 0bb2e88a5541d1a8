"""registry.yaml: loading and interpolation, the provider context each command builds, lint, the inventory,
and the ledger checks."""

from contractkit.registry.context import ProviderContext, ProviderSettings, provider_contexts
from contractkit.registry.loader import DEFAULT_REGISTRY, find_registry, load_registry

__all__ = ["DEFAULT_REGISTRY", "ProviderContext", "ProviderSettings", "find_registry", "load_registry",
           "provider_contexts"]
