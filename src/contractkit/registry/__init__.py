"""registry.yaml (operations and messages): loading and interpolation, the provider context each command builds, lint,
the inventory, and the ledger checks.

Loading is all a fuzz or diff run needs. The rest is offered here and imported on first use: lint stands on
jsonschema and every file checker, the provider context and the inventory on the pact, contract, cassette and
validation readers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contractkit.core.faces import import_on_use
from contractkit.core.model import MessageSource, MessageSpec, MessageTransport
from contractkit.core.settings import ProviderSettings
from contractkit.registry.loader import DEFAULT_REGISTRY, find_registry, load_registry

if TYPE_CHECKING:
    from contractkit.registry.context import ProviderContext, provider_contexts
    from contractkit.registry.inventory import ProviderInventory, describe_registry
    from contractkit.registry.lint import LintProblem, LintResult, lint_as_report, lint_registry, registry_warnings

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

# module -> the names it offers through this face, imported when one of them is first read
__getattr__ = import_on_use(
    __name__,
    {
        "context": ("ProviderContext", "provider_contexts"),
        "inventory": ("ProviderInventory", "describe_registry"),
        "lint": ("LintProblem", "LintResult", "lint_as_report", "lint_registry", "registry_warnings"),
    },
)
