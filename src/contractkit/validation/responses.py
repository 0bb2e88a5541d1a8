"""Response validation: OpenAPI 3.0 slices, JSON Schema 2020-12 files and botocore output shapes -> Findings.

Who does what, for speed: each response schema of an OpenAPI document is converted to JSON Schema 2020-12
(`nullable`, boolean `exclusiveMinimum`, OpenAPI-only keywords dropped, internal `$ref`s kept by copying
only the referenced parts) and compiled once with jsonschema-rs; the compiled validator is cached per
(operation, status, content type). Path matching, status and content-type lookup are plain dictionary
work done here; openapi-core is only the comparison in benchmarks/bench_verify.py, because it validates
about 300 responses/s against jsonschema-rs's tens of thousands.

Finding codes (CK40x):
  CK401 body violates the response schema        CK402 status code not declared
  CK403 content type not declared                CK404 declared response header missing or not valid
  CK405 body is not the declared format (JSON)   CK406 request matches no operation
  CK407 AWS response does not parse or does not fit the botocore output shape
"""

from __future__ import annotations

import copy
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

from contractkit.openapi import documents as specs
from contractkit.core.errors import SchemaLoadError, UsageError
from contractkit.openapi.documents import load_spec_document, pointer_parts
from contractkit.core.http import HTTP_METHODS, content_type, header_value, is_json_media, parse_json_body, pick_media_type, coerce_text, decoded_body
from contractkit.core.routing import Router
from contractkit.core.limits import MAX_ERRORS_PER_RESPONSE
from contractkit.core.loading import load_json_fast
from contractkit.core.text import shorten
from contractkit.aws.validation import validate_aws_response
from contractkit.core.model import Finding, Operation, Provider, SchemaSource, Severity
from contractkit.openapi.overlays import apply_overlay, load_overlay

if TYPE_CHECKING:
    import jsonschema_rs

BODY_SCHEMA = "CK401"
STATUS_UNDECLARED = "CK402"
CONTENT_TYPE_UNDECLARED = "CK403"
HEADER_MISSING = "CK404"
BODY_UNPARSABLE = "CK405"
NO_OPERATION = "CK406"

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else",
               "unevaluatedProperties", "unevaluatedItems", "additionalItems")
_DROPPED = frozenset(("discriminator", "example", "xml", "externalDocs", "nullable"))


# --------------------------------------------------------------------------- OpenAPI 3.0 -> JSON Schema

def to_json_schema(node: Any) -> Any:
    """Convert one OpenAPI 3.0 schema object (recursively) to JSON Schema 2020-12; `$ref`s are kept as is."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED or key.startswith("x-"):
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: to_json_schema(sub) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [to_json_schema(sub) for sub in value]
        elif key in _SCHEMA_ONE:
            out[key] = to_json_schema(value)
        else:
            out[key] = value
    _convert_exclusive_bounds(node, out)
    if node.get("nullable") is True:
        return _allow_null(out)
    return out


def _convert_exclusive_bounds(node: dict[str, Any], out: dict[str, Any]) -> None:
    # OAS 3.0 writes `exclusiveMinimum: true` next to `minimum`; 2020-12 wants the number itself
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = node.get(exclusive)
        if isinstance(flag, bool):
            out.pop(exclusive, None)
            if flag and bound in out:
                out[exclusive] = out.pop(bound)


def _allow_null(schema: dict[str, Any]) -> dict[str, Any]:
    if any(key in schema for key in ("$ref", "allOf", "anyOf", "oneOf")):
        return {"anyOf": [schema, {"type": "null"}]}
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        schema["type"] = kinds + ["null"] if "null" not in kinds else kinds
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = list(schema["enum"]) + [None]
    return schema


def resolve_pointer(document: Any, ref: str, *, source: str = "") -> Any:
    """The node an internal `#/a/b` reference points at; raises SchemaLoadError when it does not resolve."""
    if not ref.startswith("#"):
        raise SchemaLoadError(f"external reference {ref!r} is not supported: slices must be self-contained",
                              file=source or None, hint="re-import the slice so that every $ref is internal")
    try:
        return specs.resolve_pointer(document, ref)
    except KeyError:
        raise SchemaLoadError(f"reference {ref!r} does not resolve", file=source or None) from None


def _iter_refs(node: Any) -> Iterator[str]:
    return (ref for ref, _ in specs.iter_refs(node))


def deref(document: Any, node: Any, *, source: str = "") -> Any:
    """Follow `$ref` chains (responses, parameters, path items) until a concrete object."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen:
            raise SchemaLoadError(f"reference cycle at {ref!r}", file=source or None)
        seen.add(ref)
        node = resolve_pointer(document, ref, source=source)
    return node


# --------------------------------------------------------------------------- compiled schemas

def compile_schema(document: Mapping[str, Any], schema: Any, *, source: str = "", openapi: bool = True) -> jsonschema_rs.Validator:
    """A jsonschema-rs validator for one schema of `document`, carrying only the parts its `$ref`s reach."""
    import jsonschema_rs

    convert = to_json_schema if openapi else (lambda node: node)
    root = convert(copy.deepcopy(schema)) if isinstance(schema, dict) else schema
    if not isinstance(root, dict):
        root = {"allOf": [root]} if isinstance(root, bool) else {}
    root = dict(root)
    for ref in _reachable_refs(document, schema, source):
        _place(root, pointer_parts(ref), convert(copy.deepcopy(resolve_pointer(document, ref, source=source))))
    root.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
    try:
        return jsonschema_rs.Draft202012Validator(root, validate_formats=True, offline=True)
    except (ValueError, jsonschema_rs.ReferencingError) as exc:
        raise SchemaLoadError(f"schema does not compile: {exc}", file=source or None) from exc


def _reachable_refs(document: Mapping[str, Any], schema: Any, source: str) -> list[str]:
    found: list[str] = []
    pending = list(_iter_refs(schema))
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen or ref == "#":
            continue
        seen.add(ref)
        found.append(ref)
        pending.extend(_iter_refs(resolve_pointer(document, ref, source=source)))
    # parents first so that a child placed later is not overwritten by its parent's copy
    return sorted(found, key=lambda ref: len(pointer_parts(ref)))


def _place(root: dict[str, Any], parts: list[str], value: Any) -> None:
    node = root
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    if parts:
        existing = node.get(parts[-1])
        if isinstance(existing, dict) and isinstance(value, dict):
            merged = dict(value)
            merged.update(existing)  # keep deeper parts placed before (a ref into a ref'd schema)
            value = merged
        node[parts[-1]] = value


def schema_errors(validator: jsonschema_rs.Validator, instance: Any, *, limit: int = MAX_ERRORS_PER_RESPONSE) -> list[tuple[str, str]]:
    """(JSON path, reason) for each violation, at most `limit`; empty when the instance is valid."""
    if validator.is_valid(instance):
        return []
    problems = []
    for error in validator.iter_errors(instance):
        problems.append((json_path(error.instance_path), explain_error(error)))
        if len(problems) >= limit:
            break
    return problems


def json_path(parts: Iterable[str | int]) -> str:
    """`$.items[0].user.login` from a list of keys and indexes."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", part):
            text += f".{part}"
        else:
            text += f"[{json.dumps(part)}]"
    return text


def explain_error(error: Any) -> str:
    """A short reason for one jsonschema-rs error, without dumping the whole instance."""
    kind = error.kind
    name = kind.name
    found = shorten(error.instance)
    if name == "required":
        return f"missing required property {kind.property!r}"
    if name == "type":
        shown = "" if error.instance is None or isinstance(error.instance, (dict, list)) else f" {found}"
        return f"expected {' or '.join(kind.types)}, got {_type_name(error.instance)}{shown}"
    if name == "enum":
        return f"{found} is not one of the documented values {shorten(kind.options, 120)}"
    if name == "format":
        return f"{found} is not a valid {kind.format}"
    if name == "additionalProperties":
        return f"undocumented properties {', '.join(map(repr, kind.unexpected))} (additionalProperties is false)"
    message = error.message
    return message if len(message) <= 200 else message[:197] + "..."


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


# --------------------------------------------------------------------------- OpenAPI documents

@dataclass(frozen=True, slots=True)
class RouteMatch:
    """A request path matched to an operation of an OpenAPI document."""

    template: str
    method: str
    operation: Mapping[str, Any]
    parameters: Mapping[str, str]

    @property
    def label(self) -> str:
        """`GET /repos/{owner}/{repo}` (plus the operationId when there is one)."""
        operation_id = self.operation.get("operationId")
        head = f"{self.method.upper()} {self.template}"
        return f"{head} ({operation_id})" if operation_id else head


class SpecValidator:
    """Validates responses against one OpenAPI 3 document; compiles each response schema once."""

    def __init__(self, document: Mapping[str, Any], *, source: str = "", base_paths: Iterable[str] = ()) -> None:
        if not isinstance(document, Mapping) or not isinstance(document.get("paths"), Mapping):
            raise SchemaLoadError("not an OpenAPI document: no 'paths' mapping", file=source or None)
        self.document = document
        self.source = source
        self.base_paths = _base_paths(document, base_paths)
        self._validators: dict[tuple[str, ...], Any] = {}
        self._responses: dict[tuple[str, str, int], tuple[Any, str, Any]] = {}  # lookups repeat for every response
        self._lock = threading.Lock()
        self._router: Router[Mapping[str, Any]] | None = None

    # ---- lookup
    def operation(self, method: str, template: str) -> Mapping[str, Any] | None:
        """The operation object at (method, path template), or None."""
        item = self.document["paths"].get(template)
        if item is None:
            return None
        operation = deref(self.document, item, source=self.source).get(method.lower())
        return operation if isinstance(operation, dict) else None

    def match(self, method: str, path: str) -> RouteMatch | None:
        """The operation a concrete request path (with or without a server base path) belongs to."""
        if self._router is None:
            self._router = Router(self._iter_routes(), base_paths=self.base_paths)
        found = self._router.match(method, path)
        return RouteMatch(found.template, found.method, found.value, found.parameters) if found else None

    def _iter_routes(self) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
        for template, item in self.document["paths"].items():
            item = deref(self.document, item, source=self.source)
            if isinstance(item, dict):
                for method in HTTP_METHODS:
                    if isinstance(item.get(method), dict):
                        yield method, template, item[method]

    # ---- validation
    def validate(self, method: str, template: str, status: int, headers: Mapping[str, Any], body: Any, *,
                 provider: str = "", operation_name: str = "") -> list[Finding]:
        """Findings for one response to the operation at (method, template); empty when it conforms."""
        label = f"{method.upper()} {template}"
        where = {"provider": provider, "operation": operation_name or label}
        lookup = (method, template, status)
        cached = self._responses.get(lookup)
        if cached is None:
            operation = self.operation(method, template)
            cached = self._responses[lookup] = (operation, *(self._response(operation, status) if operation else ("", None)))
        operation, response_key, response = cached
        if operation is None:
            return [Finding(NO_OPERATION, Severity.ERROR, f"{label} is not in the OpenAPI description", **where)]
        if response is None:
            declared = ", ".join(str(key) for key in operation.get("responses", {})) or "none"
            return [Finding(STATUS_UNDECLARED, Severity.ERROR,
                            f"{label}: status {status} is not declared (declared: {declared})", "status", **where)]
        findings = self._check_headers(label, status, response, headers, where)
        findings += self._check_body(method, template, label, status, response_key, response, headers, body, where)
        return findings

    def _response(self, operation: Mapping[str, Any], status: int) -> tuple[str, Mapping[str, Any] | None]:
        responses = operation.get("responses") or {}
        for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
            if key in responses:
                return key, deref(self.document, responses[key], source=self.source)
        return "", None

    def _check_headers(self, label: str, status: int, response: Mapping[str, Any], headers: Mapping[str, Any],
                       where: Mapping[str, str]) -> list[Finding]:
        declared = response.get("headers")
        if not declared:
            return []
        findings = []
        for name, header in declared.items():
            header = deref(self.document, header, source=self.source)
            if not isinstance(header, Mapping):
                continue
            value = header_value(headers, name)
            if value is None:
                if header.get("required"):
                    findings.append(Finding(HEADER_MISSING, Severity.ERROR,
                                            f"{label} {status}: required response header {name!r} is missing",
                                            f"headers.{name}", **where))
            elif isinstance(header.get("schema"), Mapping):
                findings += self._check_header_value(label, status, name, header["schema"], value, where)
        return findings

    def _check_header_value(self, label: str, status: int, name: str, schema: Mapping[str, Any], value: str,
                            where: Mapping[str, str]) -> list[Finding]:
        resolved = deref(self.document, schema, source=self.source)
        validator = self._validator(("header", label, str(status), name.lower()), schema)
        return [Finding(HEADER_MISSING, Severity.ERROR, f"{label} {status}: response header {name!r}: {reason}",
                        f"headers.{name}", **where)
                for _path, reason in schema_errors(validator, coerce_text(value, resolved))]

    def _check_body(self, method: str, template: str, label: str, status: int, response_key: str,
                    response: Mapping[str, Any], headers: Mapping[str, Any], body: Any,
                    where: Mapping[str, str]) -> list[Finding]:
        content = response.get("content") or {}
        empty = body is None or body == b"" or body == ""
        media = content_type(headers)
        if not content:
            if empty or not media:
                return []
            return [Finding(CONTENT_TYPE_UNDECLARED, Severity.ERROR,
                            f"{label} {status}: content type {media!r} is not declared (the description declares no body)",
                            "headers.content-type", **where)]
        if empty and (method.upper() == "HEAD" or status in (204, 304)):
            return []
        declared = pick_media_type(media, content) if media else (next(iter(content)) if len(content) == 1 else None)
        if declared is None:
            shown = repr(media) if media else "no content type"
            return [Finding(CONTENT_TYPE_UNDECLARED, Severity.ERROR,
                            f"{label} {status}: {shown} is not declared (declared: {', '.join(content)})",
                            "headers.content-type", **where)]
        if not is_json_media(media or declared):
            return []
        schema = (content.get(declared) or {}).get("schema")
        if schema is None:
            return []
        instance, problem = parse_json_body(decoded_body(headers, body))
        if problem:
            return [Finding(BODY_UNPARSABLE, Severity.ERROR, f"{label} {status}: {problem}", "$", **where)]
        validator = self._validator((method.lower(), template, response_key, declared), schema)
        return [Finding(BODY_SCHEMA, Severity.ERROR, f"{label} {status}: {reason}", path, **where)
                for path, reason in schema_errors(validator, instance)]

    def _validator(self, key: tuple[str, ...], schema: Any) -> Any:
        validator = self._validators.get(key)
        if validator is None:
            with self._lock:
                validator = self._validators.get(key)
                if validator is None:
                    validator = self._validators[key] = compile_schema(self.document, schema, source=self.source)
        return validator


def _base_paths(document: Mapping[str, Any], extra: Iterable[str]) -> tuple[str, ...]:
    from urllib.parse import urlsplit

    paths = {path.rstrip("/") for path in extra}
    for server in document.get("servers") or ():
        url = server.get("url", "") if isinstance(server, Mapping) else ""
        # server variables such as {basePath} cannot be known here: keep only literal base paths
        path = urlsplit(url).path.rstrip("/") if "://" in url else url.rstrip("/")
        if "{" not in path:
            paths.add(path)
    paths.add("")
    return tuple(sorted(paths, key=len, reverse=True))


# --------------------------------------------------------------------------- small HTTP helpers

# --------------------------------------------------------------------------- registry-level entry points

_SPEC_CACHE: dict[tuple[str, ...], SpecValidator] = {}
_SCHEMA_CACHE: dict[tuple[str, float], Any] = {}
_CACHE_LOCK = threading.Lock()


def spec_validator_for(provider: Provider) -> SpecValidator:
    """The cached SpecValidator of a provider's slice with its overlay applied (reloaded when a file changes)."""
    if provider.spec is None:
        raise UsageError(f"provider {provider.name!r} has no 'spec' in the registry")
    overlay_path = provider_overlay_path(provider)
    key = (str(provider.spec), _mtime(provider.spec), str(overlay_path), _mtime(overlay_path), provider.base_path)
    with _CACHE_LOCK:
        cached = _SPEC_CACHE.get(key)
    if cached is not None:
        return cached
    document = load_spec_document(provider.spec)
    if overlay_path is not None:
        document = apply_overlay(document, load_overlay(overlay_path))
    validator = SpecValidator(document, source=str(provider.spec), base_paths=(provider.base_path,))
    with _CACHE_LOCK:
        _SPEC_CACHE[key] = validator
    return validator


def provider_overlay_path(provider: Provider) -> Path | None:
    """The provider's overlay file, resolved against the registry's folder (None when it has none)."""
    resolved = provider.settings.get("overlay_path")
    if resolved is not None:
        return Path(resolved)
    overlay = provider.settings.get("overlay")
    return Path(overlay) if overlay else None


def _mtime(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return str(path.stat().st_mtime_ns)
    except OSError:
        return "missing"


def schema_file_validator(path: Path) -> Any:
    """A cached jsonschema-rs validator for a JSON Schema file (draft 2020-12, formats checked)."""
    key = (str(path), float(_mtime(path)) if _mtime(path) not in ("", "missing") else 0.0)
    with _CACHE_LOCK:
        cached = _SCHEMA_CACHE.get(key)
    if cached is not None:
        return cached
    document = load_json_fast(Path(path), SchemaLoadError)
    validator = compile_schema(document, document, source=str(path), openapi=False)
    with _CACHE_LOCK:
        _SCHEMA_CACHE[key] = validator
    return validator


def validate_response(provider: Provider, operation: Operation | str, status: int, headers: Mapping[str, Any] | None,
                      body: Any) -> list[Finding]:
    """Findings for one response of a registered operation, against its schema source; empty when it conforms.

    `body` may be bytes, text or already-parsed JSON data (a contract example, for instance).
    """
    if isinstance(operation, str):
        operation = provider.operation(operation)
    headers = headers or {}
    source = operation.schema_source
    if source is SchemaSource.OPENAPI:
        return spec_validator_for(provider).validate(operation.method or "GET", operation.path or "/", status, headers,
                                                     body, provider=provider.name, operation_name=operation.name)
    if source is SchemaSource.JSON_SCHEMA:
        return _validate_with_schema_file(provider, operation, status, headers, body)
    if source is SchemaSource.BOTOCORE:
        return validate_aws_response(provider, operation, status, headers, body)
    return []


def _validate_with_schema_file(provider: Provider, operation: Operation, status: int, headers: Mapping[str, Any],
                               body: Any) -> list[Finding]:
    where = {"provider": provider.name, "operation": operation.name}
    schema_path = operation.response_schema if 200 <= status < 300 else (provider.error_schema if status >= 400 else None)
    if schema_path is None or (status in (204, 304)):
        return []
    media = content_type(headers)
    if media and not is_json_media(media):
        return [Finding(CONTENT_TYPE_UNDECLARED, Severity.ERROR,
                        f"{operation.label} {status}: content type {media!r} is not JSON, the schema {schema_path.name} describes JSON",
                        "headers.content-type", **where)]
    instance, problem = parse_json_body(decoded_body(headers, body))
    if problem:
        return [Finding(BODY_UNPARSABLE, Severity.ERROR, f"{operation.label} {status}: {problem}", "$", **where)]
    return [Finding(BODY_SCHEMA, Severity.ERROR, f"{operation.label} {status}: {reason} ({schema_path.name})", path, **where)
            for path, reason in schema_errors(schema_file_validator(schema_path), instance)]


__all__ = [
    "SpecValidator", "RouteMatch", "validate_response", "spec_validator_for", "compile_schema", "to_json_schema",
    "schema_errors", "json_path", "provider_overlay_path", "deref", "resolve_pointer", "explain_error",
]
