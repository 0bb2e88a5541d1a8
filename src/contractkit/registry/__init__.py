"""registry.yaml: loading and interpolation, lint, the inventory, and the providers' own processes."""

from contractkit.registry.loader import DEFAULT_REGISTRY, interpolate, load_registry

__all__ = ["DEFAULT_REGISTRY", "interpolate", "load_registry"]
