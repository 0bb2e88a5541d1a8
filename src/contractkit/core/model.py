"""Frozen value objects shared by the engines: the registry's shape and the results of checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from contractkit.core.errors import UsageError
from contractkit.core.settings import ProviderSettings, RegistrySettings
from contractkit.core.shards import ShardStamp


class ProviderKind(StrEnum):
    """How a provider is described: an HTTP API with OpenAPI, or AWS through botocore's models."""

    HTTP = "http"
    AWS = "aws"


class SchemaSource(StrEnum):
    """Where an operation's response schema comes from."""

    OPENAPI = "openapi"
    BOTOCORE = "botocore"
    JSON_SCHEMA = "json-schema"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Auth:
    """How credentials reach the provider; the secret itself is only ever read from the environment."""

    scheme: str  # bearer | basic | header | query | aws-sigv4 | none
    env: tuple[str, ...] = ()
    header: str | None = None
    query: str | None = None
    prefix: str = ""
    file: str = field(default="", compare=False)  # the registry file and the line of `auth.env`, for messages
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class SpecSource:
    """Provenance of a provider's OpenAPI slice."""

    kind: str  # official | reference | own
    document: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Operation:
    """One call the consumer depends on."""

    provider: str
    name: str
    safe: bool
    schema_source: SchemaSource
    method: str | None = None
    path: str | None = None
    service: str | None = None  # AWS only
    aws_operation: str | None = None  # AWS only
    response_schema: Path | None = None  # JSON Schema file when schema_source is json-schema
    description: str = ""

    @property
    def label(self) -> str:
        """`GET /api/search` or `s3 ListBuckets`."""
        if self.service:
            return f"{self.service} {self.aws_operation}"
        return f"{self.method} {self.path}"


class MessageTransport(StrEnum):
    """How a message reaches the consumer."""

    WEBHOOK = "webhook"
    SQS = "sqs"
    SNS = "sns"
    EVENTBRIDGE = "eventbridge"


@dataclass(frozen=True, slots=True)
class MessageSpec:
    """One message (event, webhook) the consumer receives from a provider, and where its description lives."""

    name: str
    event: str  # the channel or event type: X-GitHub-Event, an S3 eventName pattern, an EventBridge detail-type
    transport: MessageTransport
    schema: Path | None = None  # a JSON Schema of the payload, or:
    asyncapi: Path | None = None  # an AsyncAPI document and the name of the message in it
    message: str | None = None


@dataclass(frozen=True, slots=True)
class MessageSource:
    """Provenance of a provider's message descriptions: the package (npm, Python) or document they come from."""

    kind: str  # npm | python | asyncapi | official | reference | own
    package: str = ""
    version: str = ""
    model: str = ""
    document: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Provider:
    """One API the consumer calls, with pointers to every artifact about it."""

    name: str
    kind: ProviderKind
    base_url: str
    auth: Auth
    operations: Mapping[str, Operation]
    contract: Path | None = None
    spec: Path | None = None
    spec_source: SpecSource | None = None
    error_schema: Path | None = None
    cassettes: Path | None = None
    third_party: bool = True
    region: str = "us-east-1"
    settings: ProviderSettings = field(default_factory=ProviderSettings)
    messages: Mapping[str, MessageSpec] = field(default_factory=dict)
    message_source: MessageSource | None = None

    @property
    def base_path(self) -> str:
        """The path part of the base URL (`/api` for Grafana), which prefixes every operation's path."""
        return urlsplit(self.base_url).path.rstrip("/")

    def operation(self, name: str) -> Operation:
        """The named operation; raises UsageError naming the ones that exist."""
        try:
            return self.operations[name]
        except KeyError:
            known = ", ".join(sorted(self.operations))
            raise UsageError(f"provider {self.name!r} has no operation {name!r} (known: {known})") from None

    def message_spec(self, name: str) -> MessageSpec:
        """The named message; raises UsageError naming the ones that exist."""
        try:
            return self.messages[name]
        except KeyError:
            known = ", ".join(sorted(self.messages)) or "none"
            raise UsageError(f"provider {self.name!r} has no message {name!r} (known: {known})") from None

    def select_operations(self, names: Iterable[str] = ()) -> list[Operation]:
        """The named operations, or all of them when no name is given."""
        names = list(names)
        return [self.operation(name) for name in names] if names else list(self.operations.values())


@dataclass(frozen=True, slots=True)
class Registry:
    """registry.yaml, validated and resolved against the folder it lives in."""

    path: Path
    root: Path
    consumer: str
    providers: Mapping[str, Provider]
    pacts: Path
    settings: RegistrySettings = field(default_factory=RegistrySettings)
    lines: Mapping[tuple[str | int, ...], int] = field(default_factory=dict, repr=False, compare=False)

    def line_of(self, *key_path: str | int) -> int | None:
        """The line in registry.yaml where a key path stands (or its nearest ancestor)."""
        for end in range(len(key_path), -1, -1):
            line = self.lines.get(tuple(key_path[:end]))
            if line is not None:
                return line
        return None

    def provider(self, name: str) -> Provider:
        """The named provider; raises UsageError naming the ones that exist."""
        try:
            return self.providers[name]
        except KeyError:
            known = ", ".join(sorted(self.providers))
            raise UsageError(f"{self.path.name} has no provider {name!r} (known: {known})") from None

    def select_providers(self, names: Iterable[str] = ()) -> list[Provider]:
        """The named providers in registry order, or all of them when no name is given."""
        names = list(names)
        return [self.provider(name) for name in names] if names else list(self.providers.values())

    def relative(self, path: Path) -> str:
        """A path as the user wrote it: relative to the registry's folder when inside it."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def pact_file(self, provider: str) -> Path:
        """Where the consumer run writes the pact with this provider."""
        return self.pacts / f"{self.consumer}-{provider}.json"


class Severity(StrEnum):
    """How much a finding matters."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Status(StrEnum):
    """The outcome of one check.

    SEEDED: the check passed, but it could not have failed, because what it checked was generated from the very
    schema it was checked against (a cassette seeded from the description's examples or schemas, or from botocore's
    shapes). Reports count it apart from PASSED so that a summary never claims more than was verified.
    """

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    SEEDED = "seeded"


@dataclass(frozen=True, slots=True)
class Finding:
    """A contract violation or observation, with a stable code and a location."""

    code: str  # e.g. CK201
    severity: Severity
    message: str
    location: str = ""  # file, JSON pointer or JSON path
    provider: str = ""
    operation: str = ""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check on one interaction or response: what a report shows as one row."""

    check: str  # pact, response-schema, pact-openapi, fuzz, drift ...
    provider: str
    operation: str
    interaction: str
    status: Status
    message: str = ""
    duration: float = 0.0
    findings: tuple[Finding, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Report:
    """Results of one command run, ready for any output format."""

    title: str
    results: tuple[CheckResult, ...]
    duration: float = 0.0
    shard: ShardStamp | None = None  # the shard of a split run that produced it (`--shard I/N`)

    @property
    def failed(self) -> bool:
        """True when any check failed."""
        return any(result.status is Status.FAILED for result in self.results)
