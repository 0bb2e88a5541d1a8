"""Load registry.yaml into the typed model, with errors that name the file, key path and line."""

from __future__ import annotations

import os
import shlex
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

import jsonschema_rs

import contractkit.core  # the face: its jsonschema explainer is imported on first use
from contractkit.core.errors import RegistryError
from contractkit.core.files import DEFAULT_REGISTRY, find_registry
from contractkit.core.loading import SourceDocument, load_source, parse_json_value
from contractkit.core.model import (
    Auth,
    MessageSource,
    MessageSpec,
    MessageTransport,
    Operation,
    Provider,
    ProviderKind,
    Registry,
    SchemaSource,
    SpecSource,
)
from contractkit.core.settings import (
    DEFAULT_LEDGER,
    DEFAULT_UNUSED_BREAKING,
    CleanupRequest,
    FuzzSettings,
    GateSettings,
    ProcessSettings,
    ProviderSettings,
    RecordRequest,
    RecordSettings,
    RegistrySettings,
    ScrubSettings,
    StateSettings,
)
from contractkit.core.text import interpolate


def load_registry(path: str | Path = DEFAULT_REGISTRY, *, environ: Mapping[str, str] | None = None) -> Registry:
    """Read and validate a registry file; every relative path in it is resolved against its folder."""
    path = Path(path)
    display = str(path)
    if path.is_dir():
        raise RegistryError("is a folder, expected a registry file such as registry.yaml", file=display)
    if not path.exists() and not path.is_symlink():
        raise _missing_registry_error(path, display)
    document = load_source(path, RegistryError, display=display)
    if not isinstance(document.data, dict):
        raise RegistryError("expected a mapping at the top level", file=display, line=1)
    if not _fast_validator().is_valid(document.data):
        _explain_invalid(document, display)
    return _build_registry(document, display, os.environ if environ is None else environ)


def _missing_registry_error(path: Path, display: str) -> RegistryError:
    """The error for a registry file that is not there: where a registry.yaml was looked for, and how to make one."""
    if path.name != DEFAULT_REGISTRY.name or find_registry(path.parent) != path:
        return RegistryError(
            "file not found",
            file=display,
            hint="check --registry, or run `contracts init` to create a registry.yaml here",
        )
    searched = ", ".join(str(folder) for folder in _searched_folders(path.parent))
    return RegistryError(
        f"no registry.yaml in {searched} (the working folder and each folder above it, up to the repository root)",
        file=display,
        hint="run `contracts init` to create one here, or pass --registry PATH",
    )


def _searched_folders(start: Path) -> list[Path]:
    """The folders find_registry looks in from `start`: it and each parent, up to the one holding .git."""
    folders = []
    for folder in (start.resolve(), *start.resolve().parents):
        folders.append(folder)
        if (folder / ".git").exists():
            break
    return folders


REGISTRY_SCHEMA = "registry.schema.json"  # in contractkit/data


@cache
def _fast_validator() -> Any:
    """The registry schema compiled by jsonschema-rs: 10,000 providers validate in well under a second."""
    text = resources.files("contractkit.data").joinpath(REGISTRY_SCHEMA).read_text(encoding="utf-8")
    return jsonschema_rs.validator_for(parse_json_value(text))


def _explain_invalid(document: SourceDocument, display: str) -> None:
    """Raise the RegistryError that names the first problem of a registry the schema refuses.

    jsonschema (with its format checkers, about a tenth of a second to import) explains a problem in the user's
    words; a valid registry, the usual case, never imports it.
    """
    core = contractkit.core
    core.check_document(document, core.bundled_validator(REGISTRY_SCHEMA), RegistryError, display=display)


def _build_registry(document: SourceDocument, display: str, environ: Mapping[str, str]) -> Registry:
    data = document.data
    root = document.path.resolve().parent
    for key in ("pacts",):
        if key in data:
            inside_root(data[key], root, document, display, (key,))
    providers = {
        name: _build_provider(name, raw, document, display, root, environ) for name, raw in data["providers"].items()
    }
    return Registry(
        path=document.path,
        root=root,
        consumer=data["consumer"],
        providers=providers,
        pacts=root / data.get("pacts", "pacts"),
        settings=_registry_settings(data),
        lines=document.lines,
    )


def _build_provider(
    name: str, raw: dict[str, Any], document: SourceDocument, display: str, root: Path, environ: Mapping[str, str]
) -> Provider:
    key_path = ("providers", name)
    kind = ProviderKind(raw.get("kind", "http"))
    base_url = interpolate(
        raw.get("base_url", _NO_BASE_URL),
        environ,
        file=display,
        key_path=key_path + ("base_url",),
        line=document.line_of(key_path + ("base_url",)),
    )
    _check_url(base_url, document, display, key_path + ("base_url",))
    for key in _PATH_KEYS:
        if key in raw:
            inside_root(raw[key], root, document, display, key_path + (key,))
    for state, target in (raw.get("states") or {}).items():
        if "cassette" in target:
            inside_root(target["cassette"], root, document, display, key_path + ("states", state, "cassette"))
    operations = {
        op_name: _build_operation(name, kind, op_name, op_raw, document, display, root, raw)
        for op_name, op_raw in (raw.get("operations") or {}).items()
    }
    _reject_duplicate_routes(operations, document, display, key_path)
    return Provider(
        name=name,
        kind=kind,
        base_url=base_url.rstrip("/"),
        auth=_build_auth(
            raw.get("auth", {"scheme": "none"}), Path(display).name, document.line_of(key_path + ("auth", "env"))
        ),
        operations=operations,
        contract=root / raw.get("contract", f"contracts/{name}.yaml"),
        spec=root / raw["spec"] if "spec" in raw else None,
        spec_source=SpecSource(**raw["spec_source"]) if "spec_source" in raw else None,
        error_schema=root / raw["error_schema"] if "error_schema" in raw else None,
        cassettes=root / raw.get("cassettes", f"cassettes/{name}"),
        third_party=raw.get("third_party", True),
        region=raw.get("region", "us-east-1"),
        settings=_provider_settings(raw, root, display, key_path),
        messages={
            msg_name: _build_message(msg_name, msg_raw, root, document, display, key_path + ("messages", msg_name))
            for msg_name, msg_raw in (raw.get("messages") or {}).items()
        },
        message_source=MessageSource(**raw["message_source"]) if "message_source" in raw else None,
    )


_NO_BASE_URL = "http://127.0.0.1"  # a provider that only sends messages is called at no URL


def _build_message(
    name: str, raw: Mapping[str, Any], root: Path, document: SourceDocument, display: str, key_path: tuple[str, ...]
) -> MessageSpec:
    """One registered message, described by a JSON Schema file or by a message of an AsyncAPI document."""
    by_schema, by_asyncapi = "schema" in raw, "asyncapi" in raw or "message" in raw
    if by_schema == by_asyncapi or (by_asyncapi and not ("asyncapi" in raw and "message" in raw)):
        given = ", ".join(sorted(set(raw) - {"event", "transport", "description"})) or "neither"
        raise RegistryError(
            "expected the message's description: either `schema` (a JSON Schema file) or both `asyncapi` (a "
            f"document) and `message` (its name there), got {given}",
            file=display,
            key_path=key_path,
            line=document.line_of(key_path),
        )
    return MessageSpec(
        name=name,
        event=str(raw["event"]),
        transport=MessageTransport(raw["transport"]),
        schema=root / raw["schema"] if "schema" in raw else None,
        asyncapi=root / raw["asyncapi"] if "asyncapi" in raw else None,
        message=str(raw["message"]) if "message" in raw else None,
    )


_PATH_KEYS = ("cassettes",)  # written by record; a spec, contract or overlay may be read from anywhere


def inside_root(
    value: str, root: Path, document: SourceDocument, display: str, key_path: tuple[str | int, ...]
) -> Path:
    """A path of the registry resolved against its folder; raise RegistryError when it leads outside that folder.

    Pacts, cassettes and seeded state variants are written, so their folders may not point outside the
    project: `pacts: ../elsewhere` or `/tmp/x` would write there.
    """
    joined = Path(os.path.normpath(root / value))
    if joined != root and root not in joined.parents:
        raise RegistryError(
            f"{value!r} leads outside the registry's folder {root}",
            file=display,
            key_path=key_path,
            line=document.line_of(key_path),
            hint="use a path inside the project, relative to registry.yaml",
        )
    return joined


def _check_url(url: str, document: SourceDocument, display: str, key_path: tuple[str | int, ...]) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RegistryError(
            f"expected an http:// or https:// URL with a host, got {url!r}",
            file=display,
            key_path=key_path,
            line=document.line_of(key_path),
            hint="for example http://127.0.0.1:8000/api",
        )
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as exc:
        raise RegistryError(
            f"bad port in {url!r} ({exc})", file=display, key_path=key_path, line=document.line_of(key_path)
        ) from None


def _build_auth(raw: dict[str, Any], file: str, line: int | None) -> Auth:
    env = raw.get("env", ())
    return Auth(
        scheme=raw["scheme"],
        env=(env,) if isinstance(env, str) else tuple(env),
        header=raw.get("header"),
        query=raw.get("query"),
        prefix=raw.get("prefix", ""),
        file=file,
        line=line,
    )


# ---------------------------------------------------------------- settings: the optional blocks, typed once


def _registry_settings(data: Mapping[str, Any]) -> RegistrySettings:
    gate = data.get("gate") or {}
    levels = {rule: _level(level) for rule, level in (gate.get("levels") or {}).items()}
    return RegistrySettings(
        gate=GateSettings(
            unused_breaking=_level(gate.get("unused_breaking", DEFAULT_UNUSED_BREAKING)),
            ledger=str(gate.get("ledger", DEFAULT_LEDGER)),
            levels=levels,
            require_recorded=tuple(str(name) for name in gate.get("require_recorded") or ()),
        ),
        consumer_pacts=tuple(str(folder) for folder in data.get("consumer_pacts") or ()),
    )


def _level(value: Any) -> str:
    return "off" if value is False else str(value)  # YAML 1.1 reads a bare `off` as false


def _provider_settings(raw: Mapping[str, Any], root: Path, display: str, key_path: tuple[str, ...]) -> ProviderSettings:
    fuzz = raw.get("fuzz") or {}
    scrub = raw.get("scrub") or {}
    return ProviderSettings(
        title=str(raw.get("title", "")),
        overlay=root / raw["overlay"] if "overlay" in raw else None,
        record=_record_settings(raw.get("record") or {}),
        fuzz=FuzzSettings(
            enabled=bool(fuzz.get("enabled", False)),
            max_examples=fuzz.get("max_examples"),
            seed=fuzz.get("seed"),
            corpus=root / fuzz["corpus"] if "corpus" in fuzz else None,
        ),
        scrub=ScrubSettings(
            **{key: tuple(scrub.get(key, ())) for key in ("headers", "query", "fields", "patterns", "keep")}
        ),
        states={str(name): _state(str(name), target, root) for name, target in (raw.get("states") or {}).items()},
        process=_process(raw["process"], display, key_path + ("process", "command")) if raw.get("process") else None,
    )


def _record_settings(raw: Mapping[str, Any]) -> RecordSettings:
    requests = {
        name: RecordRequest(
            path=dict(item.get("path") or {}),
            query=dict(item.get("query") or {}),
            headers=dict(item.get("headers") or {}),
            body=item.get("body"),
        )
        for name, item in (raw.get("requests") or {}).items()
    }
    cleanup = {
        name: CleanupRequest(path=item["path"], method=item.get("method", "DELETE"))
        for name, item in (raw.get("cleanup") or {}).items()
    }
    return RecordSettings(
        budget=raw.get("budget"),
        name_prefix=raw.get("name_prefix"),
        requests=requests,
        params={name: dict(item) for name, item in (raw.get("params") or {}).items()},
        cleanup=cleanup,
    )


def _state(name: str, raw: Mapping[str, Any], root: Path) -> StateSettings:
    kind, target = next(iter(raw.items()))  # the schema allows exactly one of cassette, url, callable
    return StateSettings(name, str(kind), str(target), root / str(target) if kind == "cassette" else None)


def _process(raw: Mapping[str, Any], display: str, key_path: tuple[str, ...]) -> ProcessSettings:
    command = raw["command"]
    try:
        parts = tuple(shlex.split(command)) if isinstance(command, str) else tuple(str(part) for part in command)
    except ValueError as exc:
        raise RegistryError(
            f"cannot split the command {command!r} into arguments ({exc})",
            file=display,
            key_path=key_path,
            hint="close the quote, or write the command as a list",
        ) from exc
    timeout = raw.get("startup_timeout")
    return ProcessSettings(
        command=parts,
        health=str(raw["health"]),
        env={str(k): str(v) for k, v in (raw.get("env") or {}).items()},
        startup_timeout=float(timeout) if timeout is not None else None,
    )


def _build_operation(
    provider: str,
    kind: ProviderKind,
    name: str,
    raw: dict[str, Any],
    document: SourceDocument,
    display: str,
    root: Path,
    provider_raw: dict[str, Any],
) -> Operation:
    key_path = ("providers", provider, "operations", name)
    required = ("service", "operation") if kind is ProviderKind.AWS else ("method", "path")
    for key in required:
        if key not in raw:
            other = "an HTTP provider" if kind is ProviderKind.HTTP else "an AWS provider"
            raise RegistryError(
                f"missing required key {key!r} for an operation of {other}",
                file=display,
                key_path=key_path,
                line=document.line_of(key_path),
            )
    source_text = raw.get(
        "response_schema", "botocore" if kind is ProviderKind.AWS else ("openapi" if "spec" in provider_raw else "none")
    )
    source, schema_file = _schema_source(
        source_text, kind, provider_raw, root, display, key_path + ("response_schema",), document
    )
    return Operation(
        provider=provider,
        name=name,
        safe=raw["safe"],
        schema_source=source,
        method=raw.get("method"),
        path=raw.get("path"),
        service=raw.get("service"),
        aws_operation=raw.get("operation"),
        response_schema=schema_file,
        description=raw.get("description", ""),
    )


def _schema_source(
    text: str,
    kind: ProviderKind,
    provider_raw: dict[str, Any],
    root: Path,
    display: str,
    key_path: tuple[str | int, ...],
    document: SourceDocument,
) -> tuple[SchemaSource, Path | None]:
    line = document.line_of(key_path)
    if text == "openapi":
        if "spec" not in provider_raw:
            raise RegistryError(
                "response_schema is 'openapi' but the provider has no 'spec'",
                file=display,
                key_path=key_path,
                line=line,
            )
        return SchemaSource.OPENAPI, None
    if text == "botocore":
        if kind is not ProviderKind.AWS:
            raise RegistryError(
                "response_schema 'botocore' is only for providers of kind 'aws'",
                file=display,
                key_path=key_path,
                line=line,
            )
        return SchemaSource.BOTOCORE, None
    if text == "none":
        return SchemaSource.NONE, None
    if not text.endswith((".json", ".yaml", ".yml")):
        raise RegistryError(
            f"expected openapi, botocore, none or a JSON Schema file, got {text!r}",
            file=display,
            key_path=key_path,
            line=line,
        )
    return SchemaSource.JSON_SCHEMA, root / text


def _reject_duplicate_routes(
    operations: Mapping[str, Operation], document: SourceDocument, display: str, key_path: tuple[str, ...]
) -> None:
    seen: dict[tuple[str | None, ...], str] = {}
    for name, operation in operations.items():
        route = (operation.service, operation.aws_operation, operation.method, operation.path)
        if route in seen:
            raise RegistryError(
                f"duplicate operation: {operation.label} is already registered as {seen[route]!r}",
                file=display,
                key_path=key_path + ("operations", name),
                line=document.line_of(key_path + ("operations", name)),
            )
        seen[route] = name


__all__ = ["DEFAULT_REGISTRY", "find_registry", "load_registry"]
