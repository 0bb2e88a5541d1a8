"""Whose pacts a provider is verified against: our consumer's pact, and every pact the registry's `consumer_pacts`
folders hold for the provider (another team's), each with its consumer's name so that a report says whose pact
an interaction comes from.

A pact belongs to the provider it names; a pact naming no provider of the registry belongs to the provider its
file name ends with (`billing-pager.json` is billing's pact with `pager`), as in the usage model.

    for owned in consumer_pacts(context):
        print(owned.consumer, owned.shown, len(owned.pact.interactions))
    # devctl  pacts/devctl-grafana.json  3
    # billing other-pacts/billing-grafana.json  1
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from contractkit.core.model import CheckResult
from contractkit.pact import Pact, consumer_of, consumer_pact_folders, is_pact_of, iter_pact_files, load_pact
from contractkit.registry import ProviderContext

__all__ = ["ConsumerPact", "consumer_pacts", "other_consumer_pacts"]


@dataclass(frozen=True, slots=True)
class ConsumerPact:
    """One consumer's pact with a provider: the consumer, the pact, its file as the registry shows it, whether it is
    our consumer's pact (the registry's `consumer`), and the file that says what the consumer expects (our contract
    file, from which our pact is written; another consumer's pact itself)."""

    consumer: str
    pact: Pact
    shown: str
    is_ours: bool = False
    contract: str = ""

    @property
    def source(self) -> str:
        """The file to change when the consumer's expectations are wrong: the contract, else the pact."""
        return self.contract or self.shown

    def label(self, description: str) -> str:
        """How a report names an interaction of this pact: ours by its description, another consumer's prefixed by
        the consumer's name (`billing: pages sorted for the invoice`), so every format says whose pact it is."""
        return description if self.is_ours else f"{self.consumer}: {description}"

    def labelled(self, result: CheckResult) -> CheckResult:
        """A result about one interaction of this pact, named by `label` and carrying the consumer and the pact."""
        return replace(
            result,
            interaction=self.label(result.interaction),
            details={**result.details, "consumer": self.consumer, "pact": self.shown},
        )


def consumer_pacts(context: ProviderContext) -> list[ConsumerPact]:
    """Our consumer's pact with the provider (when it is written), then every other consumer's, in file order."""
    registry, contract = context.registry, context.provider.contract
    written = registry.relative(contract) if contract is not None and contract.is_file() else ""
    ours = (
        [ConsumerPact(registry.consumer, context.pact, registry.relative(context.pact_path), True, written)]
        if context.pact is not None
        else []
    )
    return ours + other_consumer_pacts(context)


def other_consumer_pacts(context: ProviderContext) -> list[ConsumerPact]:
    """The pacts of the `consumer_pacts` folders that belong to the provider, our own pact file left out."""
    registry, provider = context.registry, context.provider.name
    folders = [folder for folder in consumer_pact_folders(registry) if folder != registry.pacts]
    own = context.pact_path.resolve()
    found = []
    for path in iter_pact_files(folders):
        if path.resolve() == own:
            continue
        pact = load_pact(path)
        if is_pact_of(pact, provider, registry.providers):
            found.append(ConsumerPact(consumer_of(pact), pact, registry.relative(path)))
    return found
