"""registry.yaml (operations and messages): loading and interpolation, the provider context each command builds, lint, the inventory,
and the ledger checks."""

from contractkit.core.model import MessageSource, MessageSpec, MessageTransport
from contractkit.registry.context import ProviderContext, ProviderSettings, provider_contexts
from contractkit.registry.inventory import ProviderInventory, describe_registry
from contractkit.registry.lint import LintProblem, LintResult, lint_as_report, lint_registry, registry_warnings
from contractkit.registry.loader import DEFAULT_REGISTRY, find_registry, load_registry

__all__ = [
    "DEFAULT_REGISTRY",
    "LintProblem",
    "LintResult",
    "MessageSource",
    "MessageSpec",
    "MessageTransport",
    "ProviderContext",
    "ProviderInventory",
    "ProviderSettings",
    "describe_registry",
    "find_registry",
    "lint_as_report",
    "lint_registry",
    "load_registry",
    "provider_contexts",
    "registry_warnings",
]
