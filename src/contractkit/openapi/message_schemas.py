"""JSON Schemas of messages, taken from where the field keeps them, with their provenance.

- A bundle of schemas with `definitions` (GitHub's webhook payload schemas, published on the npm registry as
  `@octokit/webhooks-schemas`): read from the packed package (`npm pack`) or its `schema.json`, and one event's
  definition sliced out with every definition it references.
- A pydantic model of a maintained library (the event models of AWS's Lambda tooling for Python,
  `aws-lambda-powertools`: S3 notifications, the EventBridge envelope, SNS and SQS records): its JSON Schema from
  `model_json_schema()`. The library is needed only to regenerate (the `events` extra); the product reads the
  stored schemas.

Every written schema carries `x-provenance` (kind, package, version, and the definition or model it came from).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from contractkit.core.errors import SchemaLoadError, UsageError
from contractkit.core.loading import parse_json, read_text
from contractkit.core.model import MessageSpec, Provider
from contractkit.openapi.asyncapi import load_asyncapi, slice_asyncapi
from contractkit.openapi.documents import iter_refs, pointer_parts

PROVENANCE_KEY = "x-provenance"
_DRAFT_07 = "http://json-schema.org/draft-07/schema#"
_DRAFT_2020 = "https://json-schema.org/draft/2020-12/schema"
_MAX_PACKAGE_MEMBER = 64 << 20  # bytes: a packed schema bundle larger than this is refused


@dataclass(frozen=True, slots=True)
class SchemaBundle:
    """A JSON Schema document holding many message schemas under `definitions`, and the package it came from."""

    data: Mapping[str, Any]
    package: str
    version: str
    display: str


def load_schema_bundle(source: Path) -> SchemaBundle:
    """Read a bundle from a packed npm package (`.tgz`: package/schema.json and package/package.json) or a
    `schema.json` with its `package.json` beside it."""
    display = str(source)
    if source.name.endswith((".tgz", ".tar.gz")):
        schema_text, package_text = _packed_members(source, ("package/schema.json", "package/package.json"))
    else:
        schema_text = read_text(source, SchemaLoadError, display=display)
        beside = source.parent / "package.json"
        package_text = read_text(beside, SchemaLoadError) if beside.is_file() else "{}"
    data = parse_json(schema_text, SchemaLoadError, display=display)
    package = parse_json(package_text, SchemaLoadError, display=f"{display}: package.json")
    if not isinstance(data, dict) or not isinstance(data.get("definitions"), dict):
        raise SchemaLoadError("expected a JSON Schema with a 'definitions' mapping", file=display)
    meta = package if isinstance(package, dict) else {}
    return SchemaBundle(data, str(meta.get("name", "")), str(meta.get("version", "")), display)


def _packed_members(source: Path, names: tuple[str, ...]) -> tuple[str, ...]:
    """The text of the named members of a packed package, refusing what is missing or too large."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            texts = []
            for name in names:
                member = archive.getmember(name)
                handle = archive.extractfile(member) if member.size <= _MAX_PACKAGE_MEMBER else None
                if handle is None:
                    raise SchemaLoadError(f"{name} is not a regular file of a readable size", file=str(source))
                texts.append(handle.read().decode("utf-8"))
            return tuple(texts)
    except (OSError, tarfile.TarError, KeyError, UnicodeDecodeError) as exc:
        raise SchemaLoadError(f"cannot read the packed package ({exc})", file=str(source)) from exc


def webhook_definition(bundle: SchemaBundle, event: str) -> str:
    """The definition of an event in the bundle: `push` -> `push$event`, `pull_request` -> `pull_request_event`
    (every action), `pull_request.opened` -> `pull_request$opened`."""
    definitions = bundle.data["definitions"]
    name, _, action = event.partition(".")
    candidates = [f"{name}${action}"] if action else [f"{name}_event", f"{name}$event"]
    for candidate in candidates:
        if candidate in definitions:
            return candidate
    near = sorted(key for key in definitions if key.startswith(name.split("_")[0]))[:8]
    raise SchemaLoadError(
        f"no definition for the event {event!r} (looked for {', '.join(candidates)})",
        file=bundle.display,
        key_path=("definitions",),
        hint=f"definitions that start alike: {', '.join(near)}" if near else "",
    )


def slice_definition(bundle: SchemaBundle, definition: str) -> dict[str, Any]:
    """One definition of the bundle as a schema of its own: its content at the top, with every definition it
    reaches (references followed transitively) under `definitions`."""
    definitions = bundle.data["definitions"]
    kept: dict[str, Any] = {}
    pending = [definition]
    while pending:
        name = pending.pop()
        if name in kept:
            continue
        if name not in definitions:
            raise SchemaLoadError(f"unresolved reference to {name!r}", file=bundle.display, key_path=("definitions",))
        kept[name] = definitions[name]
        pending.extend(_referenced_definitions(definitions[name]))
    root = {key: value for key, value in definitions[definition].items() if key != "$schema"}
    return {"$schema": _DRAFT_07, **root, "definitions": dict(sorted(kept.items()))}


def _referenced_definitions(node: Any) -> list[str]:
    """The definition names a node references (`#/definitions/<name>`)."""
    names = []
    for ref, _ in iter_refs(node):
        parts = pointer_parts(ref) if ref.startswith("#") else []
        if len(parts) == 2 and parts[0] == "definitions":
            names.append(parts[1])
    return names


def python_model_schema(model: str) -> tuple[dict[str, Any], str]:
    """The JSON Schema of a pydantic model named by its dotted path, and the version of the package holding it."""
    module_name, _, class_name = model.rpartition(".")
    if not module_name:
        raise UsageError(f"expected a dotted path to a pydantic model (module.Model), got {model!r}")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UsageError(
            f"cannot import {module_name} to regenerate the schema of {class_name} ({exc})",
            hint="install the library that models the events: python3 -m pip install 'contractkit-cdc[events]'",
        ) from exc
    found = getattr(module, class_name, None)
    if found is None or not hasattr(found, "model_json_schema"):
        raise UsageError(f"{module_name} has no pydantic model {class_name!r}")
    distribution = module_name.split(".")[0].replace("_", "-")
    try:
        version = importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        version = ""
    return {"$schema": _DRAFT_2020, **found.model_json_schema()}, version


def import_message_schemas(provider: Provider, source: Path | None = None) -> dict[Path, dict[str, Any]]:
    """The schema file of every message of a provider, regenerated from its source and ready to write.

    `source` is the packed npm package (or its schema.json) for a provider whose message_source is npm; the
    schemas of a python source are regenerated from the model each stored schema names in its provenance (or the
    message_source's model for a schema not written yet)."""
    origin = provider.message_source
    if origin is None or origin.kind not in ("npm", "python", "asyncapi"):
        raise UsageError(
            f"provider {provider.name!r} has no message_source of kind npm, python or asyncapi to import from"
        )
    if origin.kind == "asyncapi":
        if source is None:
            raise UsageError("pass --from with the provider's AsyncAPI document")
        return import_asyncapi_slices(provider, source)
    messages = [spec for spec in provider.messages.values() if spec.schema is not None]
    if origin.kind == "npm":
        if source is None:
            raise UsageError("pass --from with the packed package (npm pack " + (origin.package or "<package>") + ")")
        bundle = load_schema_bundle(source)
        return {spec.schema: _webhook_schema(bundle, spec) for spec in messages if spec.schema}
    return {spec.schema: _model_schema(spec, origin.package, origin.model) for spec in messages if spec.schema}


def import_asyncapi_slices(provider: Provider, source: Path) -> dict[Path, dict[str, Any]]:
    """Each AsyncAPI document the provider's messages name, sliced out of the vendor's document to the messages
    that name it, with its provenance under `x-provenance`."""
    document = load_asyncapi(source)
    targets: dict[Path, list[str]] = {}
    for spec in provider.messages.values():
        if spec.asyncapi is not None and spec.message is not None:
            targets.setdefault(spec.asyncapi, []).append(spec.message)
    info = document.get("info")
    version = str(info.get("version", "")) if isinstance(info, dict) else ""
    provenance = {"kind": "asyncapi", "document": source.name, "version": version}
    return {
        target: {**slice_asyncapi(document, names, display=str(source)), PROVENANCE_KEY: provenance}
        for target, names in targets.items()
    }


def _webhook_schema(bundle: SchemaBundle, spec: MessageSpec) -> dict[str, Any]:
    definition = webhook_definition(bundle, spec.event)
    sliced = slice_definition(bundle, definition)
    provenance = {"kind": "npm", "package": bundle.package, "version": bundle.version, "definition": definition}
    return {"$schema": sliced.pop("$schema"), PROVENANCE_KEY: provenance, **sliced}


def _model_schema(spec: MessageSpec, package: str, default_model: str) -> dict[str, Any]:
    model = _stored_model(spec.schema) or default_model
    schema, version = python_model_schema(model)
    provenance = {"kind": "python", "package": package, "version": version, "model": model}
    return {"$schema": schema.pop("$schema"), PROVENANCE_KEY: provenance, **schema}


def _stored_model(path: Path | None) -> str:
    """The model a stored schema says it was generated from ('' when there is no stored schema)."""
    if path is None or not path.is_file():
        return ""
    data = parse_json(read_text(path, SchemaLoadError), SchemaLoadError, display=str(path))
    provenance = data.get(PROVENANCE_KEY) if isinstance(data, dict) else None
    return str(provenance.get("model", "")) if isinstance(provenance, dict) else ""


__all__ = [
    "PROVENANCE_KEY",
    "SchemaBundle",
    "import_asyncapi_slices",
    "import_message_schemas",
    "load_schema_bundle",
    "python_model_schema",
    "slice_definition",
    "webhook_definition",
]
