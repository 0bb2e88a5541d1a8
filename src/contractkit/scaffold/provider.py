"""`contracts provider add`: a provider from its published description in one step.

The registry entry, the slice of the named operations, a contract skeleton whose examples satisfy the schema's
required fields, and seeded cassettes that answer the skeleton's requests (its path parameters) with bodies of the
same schema: `contracts run` is green straight after, and every artifact is a file the user can read and edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from contractkit.cassettes import cassette_path
from contractkit.core.errors import ContractKitError, SchemaLoadError, UsageError
from contractkit.core.files import write_json_atomic, write_text_atomic
from contractkit.core.model import Provider, Registry
from contractkit.openapi import find_operation, find_path, import_spec_slice, load_spec_document, suggest_path
from contractkit.recording import RecordRun, SeedState, seed_provider
from contractkit.registry import load_registry
from contractkit.scaffold.skeleton import build_skeleton, render_skeleton

__all__ = [
    "AddedProvider",
    "ProviderPlan",
    "RequestedOperation",
    "add_provider",
    "insert_provider",
    "parse_route",
    "plan_provider",
    "provider_block",
]

_ROUTE = re.compile(r"^\s*(?:(?P<name>[a-z0-9_]+)\s*=\s*)?(?P<method>[A-Za-z]+)\s+(?P<path>/\S*)\s*$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
_PROVIDERS_LINE = re.compile(r"^providers:\s*(\{\s*\})?\s*(#.*)?$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class RequestedOperation:
    """One `--operation 'GET /v1/customers'` (optionally `name=GET /path`)."""

    method: str
    path: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class ProviderPlan:
    """What `provider add` writes into registry.yaml, before anything is written."""

    name: str
    base_url: str
    auth: Mapping[str, Any]
    operations: tuple[tuple[str, RequestedOperation], ...]
    title: str
    source: str


@dataclass(frozen=True, slots=True)
class AddedProvider:
    """The files written for a new provider and the outcome of seeding its cassettes."""

    provider: str
    written: tuple[Path, ...]
    seeding: RecordRun


def parse_route(text: str) -> RequestedOperation:
    """`GET /v1/customers` or `list_customers=GET /v1/customers`; UsageError otherwise."""
    match = _ROUTE.match(text)
    if match is None:
        raise UsageError(
            f"--operation {text!r}: expected 'METHOD /path' or 'name=METHOD /path', e.g. 'GET /v1/customers'"
        )
    return RequestedOperation(match["method"].upper(), match["path"], match["name"] or "")


def plan_provider(
    name: str,
    document: Mapping[str, Any],
    routes: Iterable[RequestedOperation],
    *,
    source: Path,
    base_url: str | None = None,
) -> ProviderPlan:
    """Check every route against the description and choose the registry entry's names, base URL and auth."""
    if not _NAME.match(name):
        raise UsageError(f"provider name {name!r}: use lower-case letters, digits, '-' and '_'")
    operations: dict[str, RequestedOperation] = {}
    for route in routes:
        spec_operation = _spec_operation(document, route, source)
        op_name = route.name or _operation_name(route, spec_operation)
        if op_name in operations:
            raise UsageError(
                f"two operations would be named {op_name!r}: name one with --operation '{op_name}_2={route.method} {route.path}'"
            )
        operations[op_name] = route
    if not operations:
        raise UsageError("name at least one operation: --operation 'GET /path'")
    info = document.get("info") or {}
    return ProviderPlan(
        name,
        base_url or _base_url(name, document),
        _auth(name, document),
        tuple(operations.items()),
        str(info.get("title") or name),
        source.name,
    )


def _spec_operation(document: Mapping[str, Any], route: RequestedOperation, source: Path) -> Mapping[str, Any]:
    found = find_path(dict(document), route.method, route.path)
    spec_operation = find_operation(dict(document), route.method, route.path) if found else None
    if spec_operation is None:
        hint = suggest_path(dict(document), route.path)
        raise SchemaLoadError(
            f"no operation {route.method} {route.path} in the document",
            file=str(source),
            key_path=("paths", route.path, route.method.lower()),
            hint=f"did you mean {hint!r}?" if hint else "check the method and the path template",
        )
    return spec_operation


def _operation_name(route: RequestedOperation, spec_operation: Mapping[str, Any]) -> str:
    """snake_case of the operationId (GetCustomersCustomer -> get_customers_customer), else method and path."""
    raw = str(spec_operation.get("operationId") or f"{route.method} {route.path}")
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", raw)
    return re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_") or "operation"


def _base_url(name: str, document: Mapping[str, Any]) -> str:
    servers = document.get("servers") or [{}]
    url = str(servers[0].get("url") or "") if isinstance(servers[0], dict) else ""
    if not urlsplit(url).scheme:
        url = "http://127.0.0.1:8080" + (url if url.startswith("/") else "")
    return "${" + _env_name(name, "URL") + ":-" + url.rstrip("/") + "}"


def _auth(name: str, document: Mapping[str, Any]) -> dict[str, Any]:
    """The registry's auth for the description's security schemes; bearer where it is offered, the secret from $NAME_TOKEN."""
    schemes = ((document.get("components") or {}).get("securitySchemes") or {}).values()
    kinds = [(str(s.get("type", "")), str(s.get("scheme", "")).lower(), s) for s in schemes if isinstance(s, dict)]
    token = _env_name(name, "TOKEN")
    if any(kind in ("oauth2", "openIdConnect") or scheme == "bearer" for kind, scheme, _ in kinds):
        return {"scheme": "bearer", "env": token}
    for kind, scheme, raw in kinds:
        if kind == "apiKey" and raw.get("in") in ("header", "query") and raw.get("name"):
            where = str(raw["in"])
            return {"scheme": where, where: str(raw["name"]), "env": token}
        if kind == "http" and scheme == "basic":
            return {"scheme": "basic", "env": [_env_name(name, "USER"), _env_name(name, "PASSWORD")]}
    return {"scheme": "none"}


def _env_name(name: str, suffix: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", name.upper()) + "_" + suffix


def provider_block(plan: ProviderPlan) -> str:
    """The provider's entry in registry.yaml (indented under `providers:`)."""
    lines = [
        f"  {plan.name}:",
        f"    title: {_quoted(plan.title)}",
        f"    base_url: {plan.base_url}",
        f"    auth: {_flow(plan.auth)}",
        f"    contract: contracts/{plan.name}.yaml",
        f"    spec: schemas/{plan.name}/openapi.json",
        f"    spec_source: {{kind: official, document: {_quoted(plan.source)}}}",
        f"    cassettes: cassettes/{plan.name}",
        "    operations:",
    ]
    for op_name, route in plan.operations:
        safe = "true" if route.method in _SAFE else "false"
        lines.append(f"      {op_name}: {{method: {route.method}, path: {_quoted(route.path)}, safe: {safe}}}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _flow(value: Mapping[str, Any]) -> str:
    parts = []
    for key, item in value.items():
        shown = (
            "[" + ", ".join(item) + "]"
            if isinstance(item, list)
            else _quoted(item)
            if key in ("header", "query")
            else item
        )
        parts.append(f"{key}: {shown}")
    return "{" + ", ".join(parts) + "}"


def insert_provider(registry_text: str, block: str, *, display: str) -> str:
    """registry.yaml's text with the block added at the end of its `providers:` section (comments are kept)."""
    match = _PROVIDERS_LINE.search(registry_text)
    if match is None:
        raise UsageError(
            f"{display}: no top-level 'providers:' line to add the provider under",
            hint="add the provider by hand, or start from `contracts init`",
        )
    head, tail = registry_text[: match.start()], registry_text[match.end() :]
    lines = tail.split("\n")
    end = next((i for i, line in enumerate(lines[1:], 1) if line[:1] not in ("", " ", "#", "\t")), len(lines))
    section = "\n".join(lines[:end]).rstrip("\n")
    rest = "\n".join(lines[end:])
    return f"{head}providers:{section}\n{block}" + (f"\n{rest}" if rest.strip() else "")


def add_provider(
    registry_path: Path, name: str, source: Path, routes: Iterable[RequestedOperation], *, base_url: str | None = None
) -> AddedProvider:
    """Add a provider to the registry with its slice, contract skeleton and seeded cassettes.

    registry.yaml is written first (the slice and the seeds read the provider from it); when slicing, the
    skeleton or seeding fails, it gets its old text back.
    """
    registry = load_registry(registry_path)
    if name in registry.providers:
        raise UsageError(
            f"{registry.path.name}: provider {name!r} exists already",
            key_path=("providers", name),
            hint="pick another name, or edit it with `contracts schemas import`",
        )
    _refuse_existing(registry, name)
    document = load_spec_document(source)
    plan = plan_provider(name, document, routes, source=source, base_url=base_url)
    original = registry.path.read_text(encoding="utf-8")
    write_text_atomic(registry.path, insert_provider(original, provider_block(plan), display=str(registry_path)))
    try:
        return _write_artifacts(registry_path, name, source)
    except (ContractKitError, OSError):
        write_text_atomic(registry.path, original)
        raise


def _refuse_existing(registry: Registry, name: str) -> None:
    for relative in (f"contracts/{name}.yaml", f"schemas/{name}/openapi.json"):
        if (registry.root / relative).exists():
            raise UsageError(f"{relative} exists already: move it away or choose another provider name")


def _write_artifacts(registry_path: Path, name: str, source: Path) -> AddedProvider:
    registry = load_registry(registry_path)
    provider = registry.provider(name)
    sliced = import_spec_slice(provider, source)
    assert provider.spec is not None and provider.contract is not None  # provider_block writes both
    write_json_atomic(provider.spec, sliced)
    skeleton = build_skeleton(provider, sliced, provider.operations.values())
    write_text_atomic(provider.contract, render_skeleton(skeleton, spec_display=source.name))
    seeding = _seed(provider, sliced, skeleton.path_params, source)
    written = (
        registry.path,
        provider.spec,
        provider.contract,
        *[cassette_path(provider.cassettes, op) for op in provider.operations if provider.cassettes],
    )
    return AddedProvider(name, written, seeding)


def _seed(provider: Provider, sliced: dict[str, Any], path_params: Mapping[str, str], source: Path) -> RecordRun:
    """Seeded cassettes answering the skeleton's requests: the same path parameters, bodies of the same schema."""
    state = SeedState("", tuple(sorted(path_params.items()))) if path_params else None
    return seed_provider(provider, sliced, provider.operations.values(), document_name=source.name, state=state)
