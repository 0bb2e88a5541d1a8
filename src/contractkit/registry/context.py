"""The provider context: everything one command needs about one provider, built once and loaded lazily.

A command builds one `ProviderContext` per provider it works on and hands it to the engines, instead of
`(registry, provider)` pairs from which every engine derived the same paths and reloaded the same files.
Each artifact is read on first use and kept for the life of the context (the command): the slice with its
quirks overlay applied and its compiled validator, the pact, the contract file, the cassettes, the provider
states and the operation router. Nothing is cached across commands, so an edited file is always seen.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Mapping

from contractkit.aws import provider_router
from contractkit.cassettes import Cassette, iter_cassettes
from contractkit.consumer import ContractFile, load_contract_file
from contractkit.core.model import Provider, Registry
from contractkit.core.routing import OperationRouter
from contractkit.core.settings import ProviderSettings
from contractkit.pact import Pact, load_pact
from contractkit.validation import SpecValidator, Validators


class ProviderContext:
    """One provider of a registry, with its artifacts loaded on first use."""

    def __init__(self, registry: Registry, provider: Provider, validators: Validators | None = None) -> None:
        self.registry = registry
        self.provider = provider
        self.validators = validators if validators is not None else Validators()  # shared by a command's contexts

    @property
    def name(self) -> str:
        """The provider's name in the registry."""
        return self.provider.name

    @property
    def settings(self) -> ProviderSettings:
        """The provider's optional registry blocks (record, fuzz, scrub, states, process, overlay), typed once by
        the registry loader."""
        return self.provider.settings

    @cached_property
    def pact_path(self) -> Path:
        """Where the consumer run writes this provider's pact."""
        return self.registry.pact_file(self.provider.name)

    @property
    def has_pact(self) -> bool:
        """Whether anything is at the pact's path: a FIFO or a device there is bad input, not a missing pact."""
        return self.pact_path.exists() or self.pact_path.is_symlink()

    @cached_property
    def pact(self) -> Pact | None:
        """The consumer's pact with this provider, or None when it has not been written yet."""
        return load_pact(self.pact_path) if self.has_pact else None

    @property
    def description(self) -> Mapping[str, Any] | None:
        """The provider's OpenAPI slice with its quirks overlay applied (None for a provider without a spec)."""
        return None if self.provider.spec is None else self.validator.document

    @cached_property
    def validator(self) -> SpecValidator:
        """The compiled validator of the slice (schemas compile on first use); UsageError without a spec."""
        return self.validators.spec(self.provider)

    @cached_property
    def contract(self) -> ContractFile | None:
        """The consumer's contract file for this provider, or None when the registry names none."""
        if self.provider.contract is None or not self.provider.contract.is_file():
            return None
        return load_contract_file(self.provider, display=self.registry.relative(self.provider.contract))

    @cached_property
    def cassettes(self) -> tuple[Cassette, ...]:
        """Every cassette in the provider's folder (state variants included), in file-name order."""
        folder = self.provider.cassettes
        if folder is None or not folder.is_dir():
            return ()
        return tuple(iter_cassettes(folder))

    @cached_property
    def router(self) -> OperationRouter:
        """Which registered operation a request belongs to (the one router every engine asks)."""
        return provider_router(self.provider)

    def relative(self, path: Path) -> str:
        """A path as the user wrote it, relative to the registry's folder."""
        return self.registry.relative(path)


def provider_contexts(registry: Registry, names: Iterable[str] = ()) -> list[ProviderContext]:
    """Contexts for the named providers in registry order (all of them when no name is given)."""
    return [ProviderContext(registry, provider) for provider in registry.select_providers(names)]


__all__ = ["ProviderContext", "ProviderSettings", "provider_contexts"]
