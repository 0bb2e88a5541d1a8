"""What exists for each registered operation and message: contract, schema, cassette (recorded events), pact."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractkit.aws import find_operation_model
from contractkit.cassettes import event_cassette_path
from contractkit.consumer import load_contract_file
from contractkit.core.loading import parse_json_value
from contractkit.core.model import Operation, Provider, Registry, SchemaSource
from contractkit.openapi import find_operation
from contractkit.pact import load_pact


@dataclass(frozen=True, slots=True)
class OperationInventory:
    """One operation and the artifacts that exist for it."""

    name: str
    label: str
    safe: bool
    schema_source: str
    contract: bool
    schema: bool
    cassette: bool
    pact: bool
    kind: str = "operation"  # or "message": an event or webhook the consumer receives


@dataclass(frozen=True, slots=True)
class ProviderInventory:
    """One provider, where its files are, and its operations."""

    name: str
    kind: str
    base_url: str
    spec: str | None
    spec_source: str | None
    pact: str | None
    operations: tuple[OperationInventory, ...]


def describe_registry(registry: Registry) -> list[ProviderInventory]:
    """Look at the files on disk for every provider and operation of the registry."""
    return [_describe_provider(registry, provider) for provider in registry.providers.values()]


def _describe_provider(registry: Registry, provider: Provider) -> ProviderInventory:
    pact_path = registry.pact_file(provider.name)
    in_pact = _pact_operations(pact_path)
    in_contract = _contract_operations(registry, provider)
    spec = _load_spec(provider)
    operations = tuple(
        OperationInventory(
            name=operation.name,
            label=operation.label,
            safe=operation.safe,
            schema_source=str(operation.schema_source),
            contract=operation.name in in_contract,
            schema=_has_schema(operation, spec),
            cassette=bool(provider.cassettes and (provider.cassettes / f"{operation.name}.yaml").is_file()),
            pact=operation.name in in_pact,
        )
        for operation in provider.operations.values()
    ) + _describe_messages(registry, provider, pact_path)
    return ProviderInventory(
        name=provider.name,
        kind=str(provider.kind),
        base_url=provider.base_url,
        spec=registry.relative(provider.spec) if provider.spec else None,
        spec_source=provider.spec_source.kind if provider.spec_source else None,
        pact=registry.relative(pact_path) if pact_path.is_file() else None,
        operations=operations,
    )


def _describe_messages(registry: Registry, provider: Provider, pact_path: Path) -> tuple[OperationInventory, ...]:
    """The provider's messages, beside its operations: the contract's messages, the pact's message interactions
    (the name the consumer run keeps in their comments), the description file, the recorded events."""
    if not provider.messages:
        return ()
    contract = (
        load_contract_file(provider, display=registry.relative(provider.contract))
        if provider.contract is not None and provider.contract.is_file()
        else None
    )
    in_contract = {message.message for message in contract.messages} if contract else set()
    in_pact = {message.message for message in load_pact(pact_path).messages} if pact_path.is_file() else set()
    return tuple(
        OperationInventory(
            name=spec.name,
            label=f"{spec.transport} {spec.event}",
            safe=True,  # receiving a message changes nothing at the provider
            schema_source="json-schema" if spec.schema else "asyncapi",
            contract=spec.name in in_contract,
            schema=_is_file(spec.schema or spec.asyncapi),
            cassette=bool(provider.cassettes and event_cassette_path(provider.cassettes, spec.name).is_file()),
            pact=spec.name in in_pact,
            kind="message",
        )
        for spec in provider.messages.values()
    )


def _is_file(path: Path | None) -> bool:
    return path is not None and path.is_file()


def _contract_operations(registry: Registry, provider: Provider) -> set[str]:
    """The operations the provider's contract file has interactions for (a broken file is bad input)."""

    if provider.contract is None or not provider.contract.is_file():
        return set()
    contract = load_contract_file(provider, display=registry.relative(provider.contract))
    return {interaction.operation for interaction in contract.interactions}


def _pact_operations(path: Path) -> set[str]:
    """The registered operations a pact's interactions name (the consumer run writes them as comments)."""
    if not path.is_file():
        return set()
    return {interaction.operation for interaction in load_pact(path).interactions}


def _load_spec(provider: Provider) -> dict[str, Any] | None:
    if provider.spec is None or not provider.spec.is_file():
        return None
    try:
        return parse_json_value(provider.spec.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return None


def _has_schema(operation: Operation, spec: dict[str, Any] | None) -> bool:
    if operation.schema_source is SchemaSource.BOTOCORE:
        return _has_botocore_operation(operation)
    if operation.schema_source is SchemaSource.JSON_SCHEMA:
        return bool(operation.response_schema and operation.response_schema.is_file())
    if operation.schema_source is SchemaSource.OPENAPI:
        return spec is not None and find_operation(spec, operation.method or "", operation.path or "") is not None
    return False


def _has_botocore_operation(operation: Operation) -> bool:
    return find_operation_model(operation.service or "", operation.aws_operation or "") is not None
