"""`contracts lint`: the registry and every file it points to, checked; problems name file, key path and line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from contractkit.aws import find_operation_model, find_service_model
from contractkit.cassettes import event_cassette_path, load_cassette, load_event_cassette
from contractkit.consumer import load_contract_file
from contractkit.core.codes import Code
from contractkit.core.errors import (
    CassetteError,
    ContractFileError,
    ContractKitError,
    RegistryError,
    SchemaLoadError,
)
from contractkit.core.loading import parse_json_value
from contractkit.core.model import (
    CheckResult,
    Finding,
    Provider,
    ProviderKind,
    Registry,
    Report,
    SchemaSource,
    Severity,
    Status,
)
from contractkit.diff import RULES
from contractkit.openapi import (
    find_message,
    find_operation,
    load_asyncapi,
    load_spec_document,
    suggest_path,
    unresolved_refs,
    validate_spec,
)
from contractkit.registry.context import ProviderContext
from contractkit.registry.ledger_lint import LedgerProblem, iter_ledger_problems
from contractkit.registry.overlay_evidence import iter_overlay_lint
from contractkit.secrets import KEEP_PATH, description_hints


@dataclass(frozen=True, slots=True)
class LintProblem:
    """One problem: an error makes lint exit 2, a warning only informs."""

    code: str
    error: ContractKitError
    is_warning: bool = False


@dataclass(slots=True)
class LintResult:
    """Everything lint found, errors first."""

    registry: str
    problems: list[LintProblem] = field(default_factory=list)
    checked_files: int = 0

    @property
    def errors(self) -> list[LintProblem]:
        """Problems that make lint fail."""
        return [problem for problem in self.problems if not problem.is_warning]

    @property
    def warnings(self) -> list[LintProblem]:
        """Problems that do not make lint fail."""
        return [problem for problem in self.problems if problem.is_warning]


Check = Callable[[ProviderContext], Iterator[LintProblem]]


def lint_registry(registry: Registry) -> LintResult:
    """Run every check on every provider of an already loaded (structurally valid) registry; linear in providers."""
    result = LintResult(registry=str(registry.path))
    result.problems.extend(check_providers(registry))
    result.problems.extend(check_ledger(registry))
    for provider in registry.providers.values():
        context = ProviderContext(registry, provider)
        for check in CHECKS:
            result.problems.extend(check(context))
        result.checked_files += sum(
            1 for path in (provider.spec, provider.error_schema, provider.contract) if path and path.is_file()
        )
    result.problems.sort(key=lambda problem: problem.is_warning)
    return result


def _problem(
    registry: Registry,
    code: str,
    message: str,
    *key_path: str | int,
    warning: bool = False,
    error_type: type[ContractKitError] = RegistryError,
    hint: str | None = None,
) -> LintProblem:
    error = error_type(message, file=str(registry.path), key_path=key_path, line=registry.line_of(*key_path), hint=hint)
    return LintProblem(code=code, error=error, is_warning=warning)


def check_providers(registry: Registry) -> Iterator[LintProblem]:
    """A registry without providers checks nothing: a warning, so that no command reports a clean pass silently."""
    if not registry.providers:
        yield _problem(
            registry,
            Code.REGISTRY_EMPTY,
            "no providers, so nothing is linted, verified or validated",
            "providers",
            warning=True,
            hint="add one with `contracts provider add`, or check that this is the registry you meant",
        )


def registry_warnings(registry: Registry) -> tuple[CheckResult, ...]:
    """Warnings about the registry as a whole (no providers) as skipped rows, for reports that are not lint's."""
    return tuple(
        CheckResult(
            "lint",
            "",
            "",
            "whole registry",
            Status.SKIPPED,
            problem.error.describe(),
            findings=(Finding(problem.code, Severity.WARNING, problem.error.describe()),),
        )
        for problem in check_providers(registry)
    )


def check_spec(context: ProviderContext) -> Iterator[LintProblem]:
    """The OpenAPI slice exists, is valid, resolves every $ref, and has every registered operation."""
    registry, provider = context.registry, context.provider
    if provider.spec is None:
        return
    key = ("providers", provider.name, "spec")
    shown = registry.relative(provider.spec)
    if not provider.spec.is_file():
        yield _problem(
            registry,
            Code.SPEC_MISSING,
            f"spec file {shown} does not exist",
            *key,
            hint=f"create it with: contracts schemas import --provider {provider.name} --from <official document>",
        )
        return
    try:
        document = load_spec_document(provider.spec, display=shown)
        missing = unresolved_refs(document)
        for ref, where in missing[:5]:
            yield LintProblem(
                Code.SPEC_REF_UNRESOLVED,
                SchemaLoadError(f"$ref {ref!r} does not resolve inside the file", file=shown, key_path=where),
            )
        if missing:
            return
        validate_spec(document, display=shown)
    except SchemaLoadError as exc:
        yield LintProblem(Code.SPEC_INVALID, exc)
        return
    for operation in provider.operations.values():
        if operation.method and find_operation(document, operation.method, operation.path or "") is None:
            close = suggest_path(document, operation.path or "")
            yield _problem(
                registry,
                Code.SPEC_OPERATION_MISSING,
                f"{operation.label} is not an operation of {shown}",
                "providers",
                provider.name,
                "operations",
                operation.name,
                hint=f"did you mean {close!r}?" if close else "re-import the slice after adding the operation",
            )


def check_scrub_keep(context: ProviderContext) -> Iterator[LintProblem]:
    """Each `scrub.keep` entry is a field name or a JSON path; it must not keep a field the provider's description
    marks secret (`format: password`, `writeOnly`, a security scheme's key name), and a name the description does
    not document is a warning (a typo keeps nothing)."""
    registry, provider = context.registry, context.provider
    hints = description_hints(provider.spec)
    for index, entry in enumerate(provider.settings.scrub.keep):
        where = ("providers", provider.name, "scrub", "keep", index)
        name = entry.rsplit(".", 1)[-1] if entry.startswith("$") else entry
        if entry.startswith("$") and not KEEP_PATH.fullmatch(entry):
            yield _problem(
                registry,
                Code.SCRUB_KEEP_INVALID,
                f"expected a JSON path such as $.data[*].id or $..publishable_key, got {entry!r}",
                *where,
            )
        elif hints.is_secret(name):
            yield _problem(
                registry,
                Code.SCRUB_KEEP_INVALID,
                f"{entry!r} is a secret by the provider's description (password, writeOnly or an API key's name), "
                "so it cannot be kept",
                *where,
                hint="remove the entry; a secret field is always scrubbed",
            )
        elif hints.described and hints.is_unexplained(name.replace("[*]", "")):
            yield _problem(
                registry,
                Code.SCRUB_KEEP_INVALID,
                f"the provider's description documents no field {name!r}, so this entry keeps nothing it describes",
                *where,
                warning=True,
            )


def check_error_schema(context: ProviderContext) -> Iterator[LintProblem]:
    """The error schema and any per-operation JSON Schema files exist and are valid JSON Schema."""
    registry, provider = context.registry, context.provider
    files: list[tuple[Path, tuple[str, ...]]] = (
        [(provider.error_schema, ("providers", provider.name, "error_schema"))] if provider.error_schema else []
    )
    files += [
        (op.response_schema, ("providers", provider.name, "operations", op.name, "response_schema"))
        for op in provider.operations.values()
        if op.schema_source is SchemaSource.JSON_SCHEMA and op.response_schema
    ]
    for path, key in files:
        yield from _check_json_schema(registry, path, key)


def _check_json_schema(registry: Registry, path: Path, key: tuple[str, ...]) -> Iterator[LintProblem]:
    import jsonschema

    shown = registry.relative(path)
    if not path.is_file():
        yield _problem(registry, Code.SCHEMA_FILE_MISSING, f"JSON Schema file {shown} does not exist", *key)
        return
    try:
        schema = parse_json_value(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        yield LintProblem(Code.SCHEMA_FILE_UNREADABLE, SchemaLoadError(f"invalid JSON: {exc}", file=shown))
        return
    validator = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        yield LintProblem(
            Code.SCHEMA_FILE_INVALID,
            SchemaLoadError(f"not a valid JSON Schema: {exc.message}", file=shown, key_path=tuple(exc.absolute_path)),
        )


def check_aws_operations(context: ProviderContext) -> Iterator[LintProblem]:
    """Every AWS operation exists in botocore's service model."""
    registry, provider = context.registry, context.provider
    if provider.kind is not ProviderKind.AWS:
        return
    for operation in provider.operations.values():
        key = ("providers", provider.name, "operations", operation.name)
        if find_service_model(operation.service or "") is None:
            yield _problem(
                registry,
                Code.AWS_SERVICE_UNKNOWN,
                f"botocore has no AWS service {operation.service!r}",
                *key,
                "service",
            )
        elif find_operation_model(operation.service or "", operation.aws_operation or "") is None:
            yield _problem(
                registry,
                Code.AWS_OPERATION_UNKNOWN,
                f"botocore's {operation.service} model has no operation {operation.aws_operation!r}",
                *key,
                "operation",
            )


def check_artifacts(context: ProviderContext) -> Iterator[LintProblem]:
    """Warn where a contract, cassette or pact is still missing."""
    registry, provider = context.registry, context.provider
    if provider.contract and not provider.contract.is_file():
        yield _problem(
            registry,
            Code.CONTRACT_MISSING,
            f"contract file {registry.relative(provider.contract)} does not exist",
            "providers",
            provider.name,
            "contract",
            warning=not _is_written(registry, provider, "contract"),
        )
    yield from _check_cassettes(registry, provider)
    for operation in provider.operations.values():
        if provider.cassettes and not (provider.cassettes / f"{operation.name}.yaml").is_file():
            yield _problem(
                registry,
                Code.CASSETTE_ABSENT,
                f"no cassette for {operation.name} in {registry.relative(provider.cassettes)}",
                "providers",
                provider.name,
                "operations",
                operation.name,
                warning=True,
                hint=f"record one: contracts record --provider {provider.name} --operation {operation.name}",
            )


def _check_cassettes(registry: Registry, provider: Provider) -> Iterator[LintProblem]:

    if provider.cassettes is None or not provider.cassettes.is_dir():
        return
    for path in sorted(provider.cassettes.glob("*.yaml")):
        try:
            load_cassette(path)
        except CassetteError as exc:
            exc.file = registry.relative(path)
            yield LintProblem(Code.CASSETTE_INVALID, exc)


def check_messages(context: ProviderContext) -> Iterator[LintProblem]:
    """Each message's description exists and holds it; its event cassettes read; a message without events warns."""
    registry, provider = context.registry, context.provider
    for spec in provider.messages.values():
        key = ("providers", provider.name, "messages", spec.name)
        if spec.schema is not None:
            yield from _check_json_schema(registry, spec.schema, key + ("schema",))
        elif spec.asyncapi is not None and spec.message is not None:
            yield from _check_asyncapi(registry, spec.asyncapi, spec.message, key + ("asyncapi",))
        events = event_cassette_path(provider.cassettes, spec.name) if provider.cassettes else None
        if events is not None and not events.is_file():
            hint = "--webhooks --port N" if spec.transport.value == "webhook" else "--events --moto"
            yield _problem(
                registry,
                Code.CASSETTE_ABSENT,
                f"no recorded events of {spec.name} in {registry.relative(events)}",
                *key,
                warning=True,
                hint=f"record them: contracts record --provider {provider.name} {hint}",
            )
        elif events is not None:
            try:
                load_event_cassette(events)
            except CassetteError as exc:
                exc.file = registry.relative(events)
                yield LintProblem(Code.CASSETTE_INVALID, exc)


def _check_asyncapi(registry: Registry, path: Path, message: str, key: tuple[str, ...]) -> Iterator[LintProblem]:
    shown = registry.relative(path)
    if not path.is_file():
        yield _problem(registry, Code.SCHEMA_FILE_MISSING, f"AsyncAPI document {shown} does not exist", *key)
        return
    try:
        find_message(load_asyncapi(path), message, display=shown)
    except SchemaLoadError as exc:
        yield LintProblem(Code.SCHEMA_FILE_INVALID, exc)


def _is_written(registry: Registry, provider: Provider, key: str) -> bool:
    """Whether the provider's entry in registry.yaml spells out `key` (rather than relying on its default)."""
    return ("providers", provider.name, key) in registry.lines  # one lookup: lint stays linear in providers


def check_overlay(context: ProviderContext) -> Iterator[LintProblem]:
    """The quirks overlay is well formed and applies to the slice; corrections no longer needed are warnings."""
    for code, error, warning in iter_overlay_lint(context):
        yield LintProblem(code, error, is_warning=warning)


def check_contract(context: ProviderContext) -> Iterator[LintProblem]:
    """The contract file parses: known matchers, registered operations, examples that fit their matchers."""
    registry, provider = context.registry, context.provider

    if provider.contract is None or not provider.contract.is_file():
        return
    try:
        load_contract_file(provider, display=registry.relative(provider.contract))
    except ContractFileError as exc:
        yield LintProblem(Code.CONTRACT_INVALID, exc)


def check_states(context: ProviderContext) -> Iterator[LintProblem]:
    """Every provider state served from cassettes points at a cassette file or folder that exists."""
    registry, provider = context.registry, context.provider
    for name, state in context.settings.states.items():
        target = state.target
        if state.cassette is None or state.cassette.exists():
            continue
        yield _problem(
            registry,
            Code.STATE_FOLDER_MISSING,
            f"provider state {name!r}: cassette folder {target} does not exist",
            "providers",
            provider.name,
            "states",
            name,
            "cassette",
            hint=f"seed it: contracts record --provider {provider.name} --from-spec <spec> --state {name!r}",
        )


def check_ledger(registry: Registry) -> Iterator[LintProblem]:
    """The gate's ledger of accepted changes: its schema, owners, dates, and the rules and providers it names.

    An expired entry is a warning here: the gate fails on it (CK120), lint only says so early."""
    try:
        problems = list(iter_ledger_problems(registry, known_rules=RULES, today=dt.date.today()))
    except OSError as exc:  # a name too long for the file system
        yield _problem(
            registry, Code.LEDGER_INVALID, f"cannot read the ledger ({exc.strerror or exc})", "gate", "ledger"
        )
        return
    for problem in problems:
        error = _ledger_error(problem)
        yield LintProblem(problem.code, error, is_warning=problem.code == Code.LEDGER_EXPIRED or not problem.is_error)


def _ledger_error(problem: LedgerProblem) -> RegistryError:
    """The problem as an error naming the ledger, the key path and the line, like every other lint problem."""
    return RegistryError(problem.text, file=problem.file, key_path=problem.key_path, line=problem.line)


CHECKS: list[Check] = [
    check_spec,
    check_scrub_keep,
    check_error_schema,
    check_aws_operations,
    check_contract,
    check_artifacts,
    check_overlay,
    check_states,
    check_messages,
]


def lint_as_report(result: LintResult) -> Report:
    """Lint results as a Report, for the shared renderers (JUnit, Markdown, HTML): one check per problem, errors
    failed and warnings passed with their finding, or one passed check when nothing was found."""
    results = [
        CheckResult(
            "lint",
            _provider_of(problem.error),
            "",
            _where(problem.error),
            Status.PASSED if problem.is_warning else Status.FAILED,
            problem.error.describe(),
            findings=(
                Finding(
                    problem.code,
                    Severity.WARNING if problem.is_warning else Severity.ERROR,
                    problem.error.describe(),
                    _where(problem.error),
                ),
            ),
        )
        for problem in result.problems
    ]
    if not results:
        results = [
            CheckResult(
                "lint",
                "",
                "",
                result.registry,
                Status.PASSED,
                f"{result.registry} and {result.checked_files} files it points to",
            )
        ]
    return Report(
        f"contracts lint {result.registry}: {len(result.errors)} errors, {len(result.warnings)} warnings",
        tuple(results),
    )


def _provider_of(error: ContractKitError) -> str:
    path = error.key_path
    return str(path[1]) if len(path) > 1 and path[0] == "providers" else ""


def _where(error: ContractKitError) -> str:
    return (error.file or "") + (f":{error.line}" if error.line else "")
