"""Recorded responses validated: a registry provider's cassettes against its schema sources, and recordings a team
already has (vcrpy and Betamax cassettes, HAR files) against an OpenAPI description.

`validate_cassettes(registry, provider)` is what `contracts verify` and `contracts run` report per cassette
interaction; a passing check on a cassette seeded from the schema it is checked against is SEEDED, not PASSED.

`validate_recordings(spec, paths)` loads the description once, reads every recording named (folders
recursively, see sources.py), matches each recorded request to its operation (path templates, literal
segments first, with the servers' base paths), validates each response with the compiled validators of
responses.py and returns a Report with one row per recorded interaction, naming the file and the
interaction's 0-based index. A request that matches no operation is a failed row with that reason, never a
crash. With an error schema, each recorded 4xx/5xx JSON body is also held to it (an `error-schema` row).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from contractkit.cassettes import Cassette, RecordedInteraction, iter_cassettes
from contractkit.core.cache import cached
from contractkit.core.codes import Code
from contractkit.core.errors import SchemaLoadError, UsageError
from contractkit.core.limits import MAX_ERRORS_PER_RESPONSE
from contractkit.core.loading import read_bytes
from contractkit.core.model import (
    CheckResult,
    Finding,
    Provider,
    Registry,
    Report,
    SchemaSource,
    Severity,
    Status,
)
from contractkit.openapi import load_spec_document
from contractkit.validation.parallel import is_large, validate_in_parts
from contractkit.validation.responses import (
    SchemaFinding,
    SpecValidator,
    Validators,
    validate_error_body,
    validate_response,
)
from contractkit.validation.sources import (
    Recording,
    iter_recording_paths,
    load_recording,
)

CHECK = "response-schema"
ERROR_CHECK = "error-schema"
SEEDED_SOURCES = ("openapi-example", "openapi-schema", "botocore-schema")  # cassettes generated from the schema
DESCRIPTION_CACHE = "description-1"  # a loaded description in the cache; raise the number when loading changes


def validate_recordings(
    spec: str | Path | SpecValidator,
    files: Sequence[str | Path],
    *,
    base_paths: Iterable[str] = (),
    title: str = "",
    error_schema: Path | None = None,
    max_errors: int = MAX_ERRORS_PER_RESPONSE,
) -> Report:
    """Validate every recorded response in `files` (files or folders) against one OpenAPI description (loaded once)."""
    started = time.perf_counter()
    if not files:
        raise UsageError("no recordings given", hint="pass vcrpy or Betamax cassettes, HAR files, or folders of them")
    paths = list(iter_recording_paths(files))
    validator = (
        spec if isinstance(spec, SpecValidator) else load_validator(spec, base_paths=base_paths, max_errors=max_errors)
    )
    name = _api_name(validator)
    results: list[CheckResult] = []

    def rows(recording: Recording, offset: int) -> list[CheckResult]:
        return list(iter_recording_results(validator, recording, name, error_schema=error_schema, offset=offset))

    with collector_paused():
        if any(is_large(path) for path in paths):
            validator.prepare()  # once, before processes are forked, rather than once in each
        for path in paths:
            in_parts = validate_in_parts(path, rows)  # a large file on every core, when there are several
            results += in_parts if in_parts is not None else rows(load_recording(path), 0)
    return Report(
        title or f"validate {_count(results)} recorded responses against {name}",
        tuple(results),
        time.perf_counter() - started,
    )


def _count(results: list[CheckResult]) -> int:
    return sum(1 for result in results if result.check == CHECK)


def load_validator(
    spec: str | Path, *, base_paths: Iterable[str] = (), max_errors: int = MAX_ERRORS_PER_RESPONSE
) -> SpecValidator:
    """Load an OpenAPI or Swagger description once and wrap it in a SpecValidator.

    The loaded description is kept in the cache between runs (core/cache.py), keyed by the file's content."""
    path = Path(spec)
    with collector_paused():
        content = read_bytes(path, SchemaLoadError)
        document = cached(DESCRIPTION_CACHE, content, lambda: load_spec_document(path))
    return SpecValidator(document, source=str(spec), base_paths=base_paths, max_errors=max_errors)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a description or a recording is built and validated.

    Parsing builds millions of containers that live on (the description, the recorded interactions) and none of
    them is garbage; the collector's passes over them cost a tenth to a half of the time (a YAML cassette loads
    in half the time without them). Reference counting still frees everything as usual; cycles wait for the
    collector, which resumes, as it was, afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _api_name(validator: SpecValidator) -> str:
    info = validator.document.get("info") or {}
    return str(info.get("title") or Path(validator.source).name or "the description")


def iter_recording_results(
    validator: SpecValidator,
    recording: Recording,
    provider: str = "",
    *,
    error_schema: Path | None = None,
    offset: int = 0,
) -> Iterator[CheckResult]:
    """One CheckResult per interaction of a recording, in file order (two for an error response with an error
    schema); `offset` is the index in its file of the first interaction (a part of a file validated apart)."""
    file, name = str(recording.path), recording.path.name
    for index, interaction in enumerate(recording.interactions, offset):
        result = check_interaction(validator, interaction, file=file, index=index, provider=provider, name=name)
        yield result
        if error_schema is not None and interaction.response.status >= 400:
            yield check_error_body(error_schema, interaction, result, validator.max_errors)


def check_interaction(
    validator: SpecValidator,
    interaction: RecordedInteraction,
    *,
    file: str = "",
    index: int = 0,
    provider: str = "",
    name: str | None = None,
) -> CheckResult:
    """Validate one recorded response against the operation its request matches."""
    started = time.perf_counter()
    label = f"{name if name is not None else Path(file).name}#{index}"
    request, response = interaction.request, interaction.response
    path = request.path  # parsed from the URI once
    details = {
        "file": file,
        "index": index,
        "method": request.method,
        "path": path,
        "response_status": response.status,
    }
    match = validator.match(request.method, path)
    if match is None:
        finding = Finding(
            Code.NO_OPERATION,
            Severity.ERROR,
            f"{request.method} {path} matches no operation of the description",
            "request",
            provider,
        )
        return CheckResult(
            CHECK,
            provider,
            f"{request.method} {path}",
            label,
            Status.FAILED,
            finding.message,
            time.perf_counter() - started,
            (finding,),
            details,
        )
    findings = validator.validate(
        match.method,
        match.template,
        response.status,
        response.headers,
        response.body,
        provider=provider,
        operation_name=match.label,
    )
    errors = [finding for finding in findings if finding.severity is Severity.ERROR]
    status = Status.FAILED if errors else Status.PASSED
    return CheckResult(
        CHECK,
        provider,
        match.label,
        label,
        status,
        summary_message(errors) if errors else "",
        time.perf_counter() - started,
        tuple(findings),
        {**details, "template": match.template, **_omitted(findings)},
    )


def check_error_body(
    error_schema: Path,
    interaction: RecordedInteraction,
    checked: CheckResult,
    max_errors: int = MAX_ERRORS_PER_RESPONSE,
    validators: Validators | None = None,
) -> CheckResult:
    """A recorded 4xx/5xx response held to the provider's error schema: its own `error-schema` row."""
    started = time.perf_counter()
    response = interaction.response
    findings = validate_error_body(
        error_schema,
        checked.operation,
        response.status,
        response.headers,
        response.body,
        provider=checked.provider,
        max_errors=max_errors,
        validators=validators,
    )
    status = Status.FAILED if findings else Status.PASSED
    return CheckResult(
        ERROR_CHECK,
        checked.provider,
        checked.operation,
        checked.interaction,
        status,
        summary_message(findings) if findings else "",
        time.perf_counter() - started,
        tuple(findings),
        {**checked.details, "error_schema": str(error_schema)},
    )


def validate_cassettes(
    registry: Registry,
    provider: Provider,
    validators: Validators | None = None,
    *,
    cassettes: Iterable[Cassette] | None = None,
) -> list[CheckResult]:
    """Every recorded response of the provider validated against its operation's schema source (and 4xx/5xx
    responses against the provider's error schema); a seeded cassette's passing check is SEEDED, not PASSED.
    Pass the `cassettes` a command has already read (its provider context's), so they are not read again."""
    if provider.cassettes is None or not provider.cassettes.is_dir():
        return [
            CheckResult(
                "response-schema",
                provider.name,
                "",
                "",
                Status.SKIPPED,
                f"no cassettes at {registry_relative(registry, provider.cassettes)} (record them with `contracts record`)",
            )
        ]
    results = []
    validators = validators if validators is not None else Validators()  # each schema compiles once
    for cassette in cassettes if cassettes is not None else iter_cassettes(provider.cassettes):
        for index, interaction in enumerate(cassette.interactions):
            results += _validate_recorded(registry, provider, cassette, index, interaction, validators)
    return results


def _validate_recorded(
    registry: Registry,
    provider: Provider,
    cassette: Cassette,
    index: int,
    interaction: RecordedInteraction,
    validators: Validators,
) -> list[CheckResult]:
    started = time.perf_counter()
    name = interaction.operation or cassette.operation
    label = f"{registry_relative(registry, cassette.path)}#{index}"
    details = {
        "file": registry_relative(registry, cassette.path),
        "index": index,
        "response_status": interaction.response.status,
        "cassette_source": cassette.source,
    }
    if name not in provider.operations:
        finding = Finding(
            Code.UNKNOWN_OPERATION,
            Severity.ERROR,
            f"cassette belongs to operation {name!r}, which {registry.path.name} does not register",
            label,
            provider.name,
            name,
        )
        return [
            CheckResult(
                "response-schema",
                provider.name,
                name,
                label,
                Status.FAILED,
                finding.message,
                time.perf_counter() - started,
                (finding,),
                details,
            )
        ]
    response = interaction.response
    findings = validate_response(
        provider, name, response.status, response.headers, response.body, validators=validators
    )
    failed = any(finding.severity is Severity.ERROR for finding in findings)
    status, message = Status.FAILED if failed else Status.PASSED, summary_message(findings)
    if not failed and cassette.source in SEEDED_SOURCES:
        status, message = (
            Status.SEEDED,
            f"seeded from {cassette.source}: generated from the schema it is checked against",
        )
    checked = CheckResult(
        "response-schema",
        provider.name,
        name,
        label,
        status,
        message,
        time.perf_counter() - started,
        tuple(findings),
        details,
    )
    operation = provider.operations[name]
    if provider.error_schema is None or response.status < 400 or operation.schema_source is SchemaSource.JSON_SCHEMA:
        return [checked]  # a JSON Schema operation's error responses are already held to the error schema
    return [checked, check_error_body(provider.error_schema, interaction, checked, validators=validators)]


def registry_relative(registry: Registry, path: Path | None) -> str:
    """A path as the registry names it (relative to its folder), or '(none)'."""
    return registry.relative(path) if path is not None else "(none)"


def summary_message(findings: Sequence[Finding]) -> str:
    """The first finding, where it is, and how many more there are (counted beyond the error cap too)."""
    if not findings:
        return ""
    first = findings[0]
    where = f" at {first.location}" if first.location and first.location.startswith("$") else ""
    more = len(findings) - 1 + sum(finding.omitted for finding in findings if isinstance(finding, SchemaFinding))
    items = max((finding.failing_items for finding in findings if isinstance(finding, SchemaFinding)), default=0)
    tail = [f"and {more} more"] if more else []
    tail += [f"{items} list items fail"] if items > 1 else []
    return f"{first.message}{where}" + (f" ({'; '.join(tail)})" if tail else "")


def _omitted(findings: Sequence[Finding]) -> dict[str, int]:
    schema = [finding for finding in findings if isinstance(finding, SchemaFinding)]
    counts = {
        "errors_omitted": sum(finding.omitted for finding in schema),
        "failing_items": max((finding.failing_items for finding in schema), default=0),
    }
    return {key: value for key, value in counts.items() if value}


__all__ = [
    "CHECK",
    "ERROR_CHECK",
    "SEEDED_SOURCES",
    "Recording",
    "check_error_body",
    "check_interaction",
    "collector_paused",
    "iter_recording_results",
    "load_recording",
    "load_validator",
    "registry_relative",
    "summary_message",
    "validate_cassettes",
    "validate_recordings",
]
