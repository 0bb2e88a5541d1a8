"""registry.yaml: loading and interpolation, the provider context each command builds, lint, the inventory,
the ledger checks, and the providers' own processes."""

from contractkit.registry.context import ProviderContext, ProviderSettings, provider_contexts
from contractkit.registry.loader import DEFAULT_REGISTRY, find_registry, interpolate, load_registry

__all__ = ["DEFAULT_REGISTRY", "ProviderContext", "ProviderSettings", "find_registry", "interpolate", "load_registry",
           "provider_contexts"]
