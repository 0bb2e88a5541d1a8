"""Response validation: OpenAPI 3.0 slices, JSON Schema 2020-12 files and botocore output shapes -> Findings.

Who does what, for speed: the JSON Schema work (conversion, compiling once, bounded errors) is schemas.py;
here a response is matched to its declared status and content type with plain dictionary lookups (cached),
its body parsed once and held to the compiled schema of (operation, status, content type), compiled on first
sight. openapi-core is only the comparison in benchmarks/bench_verify.py.

Finding codes (CK40x):
  CK401 body violates the response schema        CK402 status code not declared
  CK403 content type not declared                CK404 declared response header missing or not valid
  CK405 body is not the declared format (JSON)   CK406 request matches no operation
  CK407 AWS response does not parse or does not fit the botocore output shape
  CK408 a recorded 4xx/5xx body does not fit the provider's error schema
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from contractkit.aws import validate_aws_response
from contractkit.core.codes import Code
from contractkit.core.errors import SchemaLoadError, UsageError
from contractkit.core.http import (
    HTTP_METHODS,
    coerce_text,
    content_type,
    decoded_body,
    header_value,
    is_json_media,
    parse_json_body,
    pick_media_type,
)
from contractkit.core.limits import MAX_ERRORS_PER_RESPONSE
from contractkit.core.loading import load_json_fast
from contractkit.core.model import Finding, Operation, Provider, SchemaSource, Severity
from contractkit.core.routing import Router
from contractkit.openapi import apply_overlay, load_overlay, load_spec_document
from contractkit.validation.schemas import (
    CompiledSchema,
    SchemaProblems,
    SharedSchemas,
    compile_schema,
    deref,
    escape_pointer,
    explain_error,
    items_schema,
    json_path,
    keyword_pointer,
    resolve_schema_pointer,
    schema_errors,
    schema_problems,
    to_json_schema,
)


@dataclass(frozen=True, slots=True)
class SchemaFinding(Finding):
    """A CK401/CK408 finding that also says which kind of disagreement it is and which schema keyword failed.

    `schema_pointer` is the JSON pointer, in the description, of the schema object whose keyword failed
    (`#/components/schemas/Hit` for a missing required property of Hit); `via` is the pointer of the `{$ref}`
    node the last step came through, when there is one (where a nullable correction belongs).
    """

    kind: str = "schema"
    detail: str = ""
    schema_pointer: str = ""
    via: str = ""
    omitted: int = 0  # further errors of the same response not enumerated (counted on the first finding only)
    failing_items: int = 0  # for a list body: how many of its items fail (on the first finding only)


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

    def __init__(
        self,
        document: Mapping[str, Any],
        *,
        source: str = "",
        base_paths: Iterable[str] = (),
        max_errors: int = MAX_ERRORS_PER_RESPONSE,
    ) -> None:
        if not isinstance(document, Mapping) or not isinstance(document.get("paths"), Mapping):
            raise SchemaLoadError("not an OpenAPI document: no 'paths' mapping", file=source or None)
        self.document = document
        self.source = source
        self.base_paths = _base_paths(document, base_paths)
        self.max_errors = max(1, max_errors)
        self._validators: dict[tuple[str, ...], CompiledSchema] = {}
        self._schemas = SharedSchemas(document, source=source)  # components converted once, shared by every validator
        self._pointers: dict[tuple[str, tuple[str, ...]], tuple[str, str]] = {}  # keyword paths repeat across responses
        self._responses: dict[tuple[str, str, int], tuple[Any, str, Any, str]] = {}  # lookups repeat for every response
        self._verdicts = BodyVerdicts()  # a body met again under the same schema is not parsed and validated again
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
    def validate(
        self,
        method: str,
        template: str,
        status: int,
        headers: Mapping[str, Any],
        body: Any,
        *,
        provider: str = "",
        operation_name: str = "",
    ) -> list[Finding]:
        """Findings for one response to the operation at (method, template); empty when it conforms."""
        label = f"{method.upper()} {template}"
        where = {"provider": provider, "operation": operation_name or label}
        lookup = (method, template, status)
        cached = self._responses.get(lookup)
        if cached is None:
            operation = self.operation(method, template)
            found = self._response(method, template, operation, status) if operation else ("", None, "")
            cached = self._responses[lookup] = (operation, *found)
        operation, response_key, response, pointer = cached
        if operation is None:
            return [Finding(Code.NO_OPERATION, Severity.ERROR, f"{label} is not in the OpenAPI description", **where)]
        if response is None:
            declared = ", ".join(str(key) for key in operation.get("responses", {})) or "none"
            return [
                Finding(
                    Code.STATUS_UNDECLARED,
                    Severity.ERROR,
                    f"{label}: status {status} is not declared (declared: {declared})",
                    "status",
                    **where,
                )
            ]
        findings = self._check_headers(label, status, response, headers, where)
        findings += self._check_body(
            method, template, label, status, (response_key, pointer), response, headers, body, where
        )
        return findings

    def prepare(self) -> None:
        """Build now what every validation shares (the router, the registry of converted components), so that
        processes forked afterwards start with it instead of each building its own."""
        if self._router is None:
            self._router = Router(self._iter_routes(), base_paths=self.base_paths)
        self._schemas.prepare()

    @property
    def compiled_count(self) -> int:
        """How many schemas have been compiled so far (each at most once)."""
        return len(self._validators)

    def _response(
        self, method: str, template: str, operation: Mapping[str, Any], status: int
    ) -> tuple[str, Mapping[str, Any] | None, str]:
        responses = operation.get("responses") or {}
        for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
            if key in responses:
                pointer = "#" + "".join(
                    f"/{escape_pointer(part)}" for part in ("paths", template, method.lower(), "responses", key)
                )
                node = responses[key]
                for _hop in range(16):  # deref below refuses cycles; this only tracks where the response lives
                    if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                        break
                    pointer, node = (
                        node["$ref"],
                        resolve_schema_pointer(self.document, node["$ref"], source=self.source),
                    )
                return key, deref(self.document, responses[key], source=self.source), pointer
        return "", None, ""

    def _check_headers(
        self, label: str, status: int, response: Mapping[str, Any], headers: Mapping[str, Any], where: Mapping[str, str]
    ) -> list[Finding]:
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
                    findings.append(
                        Finding(
                            Code.HEADER_MISSING,
                            Severity.ERROR,
                            f"{label} {status}: required response header {name!r} is missing",
                            f"headers.{name}",
                            **where,
                        )
                    )
            elif isinstance(header.get("schema"), Mapping):
                findings += self._check_header_value(label, status, name, header["schema"], value, where)
        return findings

    def _check_header_value(
        self, label: str, status: int, name: str, schema: Mapping[str, Any], value: str, where: Mapping[str, str]
    ) -> list[Finding]:
        resolved = deref(self.document, schema, source=self.source)
        validator = self._validator(("header", label, str(status), name.lower()), schema)
        return [
            Finding(
                Code.HEADER_MISSING,
                Severity.ERROR,
                f"{label} {status}: response header {name!r}: {reason}",
                f"headers.{name}",
                **where,
            )
            for _path, reason in schema_errors(validator, coerce_text(value, resolved), limit=self.max_errors)
        ]

    def _check_body(
        self,
        method: str,
        template: str,
        label: str,
        status: int,
        response_at: tuple[str, str],
        response: Mapping[str, Any],
        headers: Mapping[str, Any],
        body: Any,
        where: Mapping[str, str],
    ) -> list[Finding]:
        response_key = response_at[0]
        content = response.get("content") or {}
        empty = body is None or body == b"" or body == ""
        media = content_type(headers)
        if not content:
            if empty or not media:
                return []
            return [
                Finding(
                    Code.CONTENT_TYPE_UNDECLARED,
                    Severity.ERROR,
                    f"{label} {status}: content type {media!r} is not declared (the description declares no body)",
                    "headers.content-type",
                    **where,
                )
            ]
        if empty and (method.upper() == "HEAD" or status in (204, 304)):
            return []
        declared = pick_media_type(media, content) if media else (next(iter(content)) if len(content) == 1 else None)
        if declared is None:
            shown = repr(media) if media else "no content type"
            return [
                Finding(
                    Code.CONTENT_TYPE_UNDECLARED,
                    Severity.ERROR,
                    f"{label} {status}: {shown} is not declared (declared: {', '.join(content)})",
                    "headers.content-type",
                    **where,
                )
            ]
        if not is_json_media(media or declared):
            return []
        schema = (content.get(declared) or {}).get("schema")
        if schema is None:
            return []
        decoded = body if isinstance(body, str) else decoded_body(headers, body)  # only bytes carry an encoding
        key = (method, template, status, response_key, declared, *where.values())
        known = self._verdicts.get(key, decoded)
        if known is not None:
            return list(known)
        findings = self._check_json_body(method, template, label, status, response_at, declared, schema, decoded, where)
        self._verdicts.put(key, decoded, findings)
        return findings

    def _check_json_body(
        self,
        method: str,
        template: str,
        label: str,
        status: int,
        response_at: tuple[str, str],
        declared: str,
        schema: Any,
        body: Any,
        where: Mapping[str, str],
    ) -> list[Finding]:
        response_key, response_pointer = response_at
        instance, problem = parse_json_body(body)
        if problem:
            return [Finding(Code.BODY_UNPARSABLE, Severity.ERROR, f"{label} {status}: {problem}", "$", **where)]
        validator = self._validator((method.lower(), template, response_key, declared), schema)
        try:
            found = validator.problems(instance, self.max_errors)
        except (ValueError, RecursionError):  # jsonschema-rs gives up on instances nested thousands deep
            return [
                Finding(
                    Code.BODY_UNPARSABLE,
                    Severity.ERROR,
                    f"{label} {status}: the body is nested too deeply to validate",
                    "$",
                    **where,
                )
            ]
        base = f"{response_pointer}/content/{escape_pointer(declared)}/schema" if response_pointer else ""
        return schema_findings(
            self.document, found, base, Code.BODY_SCHEMA, f"{label} {status}: ", where, pointers=self._pointers
        )

    def _validator(self, key: tuple[str, ...], schema: Any) -> CompiledSchema:
        validator = self._validators.get(key)
        if validator is None:
            with self._lock:
                validator = self._validators.get(key)
                if validator is None:
                    validator = self._validators[key] = self._compile(schema)
        return validator

    def _compile(self, schema: Any) -> CompiledSchema:
        compiled = self._schemas.compile(schema)
        items, prefix = items_schema(self.document, schema)
        if items is None:
            return CompiledSchema(compiled)
        return CompiledSchema(compiled, lambda: self._schemas.compile(items), prefix)


REMEMBERED_BODY_CHARS = 128 * 1024 * 1024  # body text a validator keeps to recognise a body it has checked


class BodyVerdicts:
    """The findings of each JSON body already checked, by (operation, status, media type, where) and the body's
    exact text: recorded traffic repeats bodies (polling, retries, the same resource read again), and a body
    met again under the same schema has the same findings, so it is neither parsed nor validated twice.

    Bodies are kept as keys (their text, compared exactly, no digest to collide), up to `limit` characters in
    all; past that, further bodies are checked every time, as before."""

    def __init__(self, limit: int = REMEMBERED_BODY_CHARS) -> None:
        self._found: dict[tuple[Any, ...], tuple[Finding, ...]] = {}
        self._room = limit

    def get(self, key: tuple[Any, ...], body: Any) -> tuple[Finding, ...] | None:
        """The findings of this body under this key when it was checked before, else None."""
        if not isinstance(body, (str, bytes)):
            return None
        return self._found.get((*key, body))

    def put(self, key: tuple[Any, ...], body: Any, findings: list[Finding]) -> None:
        """Remember a checked body's findings, while there is room."""
        if isinstance(body, (str, bytes)) and len(body) <= self._room:
            self._room -= len(body)
            self._found[(*key, body)] = tuple(findings)


def schema_findings(
    document: Mapping[str, Any],
    found: SchemaProblems,
    base: str,
    code: str,
    prefix: str,
    where: Mapping[str, str],
    *,
    pointers: dict[tuple[str, tuple[str, ...]], tuple[str, str]] | None = None,
) -> list[Finding]:
    """SchemaFindings for the problems of one response; `base` is the description pointer of the schema checked
    (`pointers` caches the walk from a keyword path back to the description)."""
    findings: list[Finding] = []
    cache = pointers if pointers is not None else {}
    for number, problem in enumerate(found.problems):
        key = (base, problem.keyword_path)
        pointer, via = cache.get(key) or cache.setdefault(
            key, keyword_pointer(document, base, problem.keyword_path) if base else ("", "")
        )
        findings.append(
            SchemaFinding(
                code,
                Severity.ERROR,
                f"{prefix}{problem.reason}",
                problem.path,
                kind=problem.kind,
                detail=problem.detail,
                schema_pointer=pointer,
                via=via,
                omitted=found.omitted if number == 0 else 0,
                failing_items=found.failing_items if number == 0 else 0,
                **where,
            )
        )
    return findings


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


class Validators:
    """The compiled validators of one command: each provider's slice (overlay applied) and each JSON Schema file,
    built on first use and kept while the command runs. Nothing is cached across commands or in the process,
    so an edited file is always seen; an engine builds one and passes it along."""

    def __init__(self) -> None:
        self._specs: dict[tuple[str, str], SpecValidator] = {}
        self._files: dict[str, Any] = {}
        self._lock = threading.Lock()

    def spec(self, provider: Provider) -> SpecValidator:
        """The validator of the provider's slice with its quirks overlay applied."""
        if provider.spec is None:
            raise UsageError(f"provider {provider.name!r} has no 'spec' in the registry")
        key = (provider.name, str(provider.spec))
        with self._lock:
            found = self._specs.get(key)
            if found is None:
                found = self._specs[key] = build_spec_validator(provider)
        return found

    def schema_file(self, path: Path) -> Any:
        """A jsonschema-rs validator of a JSON Schema file (draft 2020-12, formats checked)."""
        with self._lock:
            found = self._files.get(str(path))
            if found is None:
                document = load_json_fast(Path(path), SchemaLoadError)
                found = self._files[str(path)] = compile_schema(document, document, source=str(path), openapi=False)
        return found


def build_spec_validator(provider: Provider) -> SpecValidator:
    """A new SpecValidator of the provider's slice with its overlay applied (schemas compile on first use)."""
    if provider.spec is None:
        raise UsageError(f"provider {provider.name!r} has no 'spec' in the registry")
    document = load_spec_document(provider.spec)
    overlay_path = provider_overlay_path(provider)
    if overlay_path is not None:
        document = apply_overlay(document, load_overlay(overlay_path))
    return SpecValidator(document, source=str(provider.spec), base_paths=(provider.base_path,))


def provider_overlay_path(provider: Provider) -> Path | None:
    """The provider's overlay file, resolved against the registry's folder (None when it has none)."""
    return provider.settings.overlay


def validate_response(
    provider: Provider,
    operation: Operation | str,
    status: int,
    headers: Mapping[str, Any] | None,
    body: Any,
    *,
    validators: Validators | None = None,
) -> list[Finding]:
    """Findings for one response of a registered operation, against its schema source; empty when it conforms.

    `body` may be bytes, text or already-parsed JSON data (a contract example, for instance). Pass the command's
    `validators` so schemas compile once per command; without it they are built for this call alone.
    """
    validators = validators if validators is not None else Validators()
    if isinstance(operation, str):
        operation = provider.operation(operation)
    headers = headers or {}
    source = operation.schema_source
    if source is SchemaSource.OPENAPI:
        return validators.spec(provider).validate(
            operation.method or "GET",
            operation.path or "/",
            status,
            headers,
            body,
            provider=provider.name,
            operation_name=operation.name,
        )
    if source is SchemaSource.JSON_SCHEMA:
        return _validate_with_schema_file(provider, operation, status, headers, body, validators)
    if source is SchemaSource.BOTOCORE:
        return validate_aws_response(provider, operation, status, headers, body)
    return []


def _validate_with_schema_file(
    provider: Provider, operation: Operation, status: int, headers: Mapping[str, Any], body: Any, validators: Validators
) -> list[Finding]:
    where = {"provider": provider.name, "operation": operation.name}
    schema_path = (
        operation.response_schema if 200 <= status < 300 else (provider.error_schema if status >= 400 else None)
    )
    if schema_path is None or (status in (204, 304)):
        return []
    media = content_type(headers)
    if media and not is_json_media(media):
        return [
            Finding(
                Code.CONTENT_TYPE_UNDECLARED,
                Severity.ERROR,
                f"{operation.label} {status}: content type {media!r} is not JSON, the schema {schema_path.name} describes JSON",
                "headers.content-type",
                **where,
            )
        ]
    instance, problem = parse_json_body(decoded_body(headers, body))
    if problem:
        return [Finding(Code.BODY_UNPARSABLE, Severity.ERROR, f"{operation.label} {status}: {problem}", "$", **where)]
    return [
        replace(finding, message=f"{finding.message} ({schema_path.name})")
        for finding in schema_findings(
            {},
            schema_problems(validators.schema_file(schema_path), instance),
            "",
            Code.BODY_SCHEMA,
            f"{operation.label} {status}: ",
            where,
        )
    ]


def validate_error_body(
    schema_path: Path,
    label: str,
    status: int,
    headers: Mapping[str, Any],
    body: Any,
    *,
    provider: str = "",
    operation: str = "",
    max_errors: int = MAX_ERRORS_PER_RESPONSE,
    validators: Validators | None = None,
) -> list[Finding]:
    """Findings (CK408) for a recorded 4xx/5xx response whose JSON body does not fit the provider's error schema.

    A body that is not JSON is left to the response-schema check (CK403/CK405): the error schema describes JSON.
    """
    where = {"provider": provider, "operation": operation or label}
    media = content_type(headers)
    if status < 400 or (media and not is_json_media(media)):
        return []
    instance, problem = parse_json_body(decoded_body(headers, body))
    if problem or instance is None:
        return []
    found = schema_problems((validators or Validators()).schema_file(schema_path), instance, limit=max_errors)
    return [
        replace(finding, message=f"{finding.message} (error schema {schema_path.name})")
        for finding in schema_findings({}, found, "", Code.ERROR_SCHEMA, f"{label} {status}: ", where)
    ]


__all__ = [
    "RouteMatch",
    "SchemaFinding",
    "SpecValidator",
    "compile_schema",
    "deref",
    "explain_error",
    "json_path",
    "provider_overlay_path",
    "resolve_schema_pointer",
    "schema_errors",
    "Validators",
    "build_spec_validator",
    "schema_findings",
    "to_json_schema",
    "validate_error_body",
    "validate_response",
]
