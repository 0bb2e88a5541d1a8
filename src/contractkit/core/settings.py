"""Settings: the registry's optional blocks as typed values, built once by the registry loader.

Every engine reads a provider's `record`, `fuzz`, `scrub`, `states`, `process` and `overlay` blocks, and the
registry's `gate` and `consumer_pacts`, through these fields; none reads the YAML's dicts. Paths are resolved
against the registry's folder here, so an engine never joins them again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

DEFAULT_LEDGER = "contracts/accepted-changes.yaml"
DEFAULT_UNUSED_BREAKING = "warn"


@dataclass(frozen=True, slots=True)
class RecordRequest:
    """`record.requests.<operation>`: the request to send when recording (path parameters, query, headers, body)."""

    path: Mapping[str, str | int] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None


@dataclass(frozen=True, slots=True)
class CleanupRequest:
    """`record.cleanup.<operation>`: the request that deletes what an unsafe operation created."""

    path: str
    method: str = "DELETE"


@dataclass(frozen=True, slots=True)
class RecordSettings:
    """`providers.<name>.record`: the request budget, the name prefix, and per operation what to send."""

    budget: int | None = None
    name_prefix: str | None = None
    requests: Mapping[str, RecordRequest] = field(default_factory=dict)
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # AWS: boto3 parameters per operation
    cleanup: Mapping[str, CleanupRequest] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FuzzSettings:
    """`providers.<name>.fuzz`: whether fuzzing is on, its budget and seed, and where its corpus is kept."""

    enabled: bool = False
    max_examples: int | None = None
    seed: int | None = None
    corpus: Path | None = None  # resolved against the registry's folder


@dataclass(frozen=True, slots=True)
class ScrubSettings:
    """`providers.<name>.scrub`: what to redact beyond the defaults."""

    headers: tuple[str, ...] = ()
    query: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()  # the allow-list: field names or JSON paths (`$.data[*].id`) the user knows are public


@dataclass(frozen=True, slots=True)
class ProcessSettings:
    """`providers.<name>.process`: the command that starts the provider locally and how to tell it is ready."""

    command: tuple[str, ...]
    health: str
    env: Mapping[str, str] = field(default_factory=dict)
    startup_timeout: float | None = None


@dataclass(frozen=True, slots=True)
class StateSettings:
    """`providers.<name>.states.<state>`: a cassette variant, a state-change URL or a callable `module:function`."""

    name: str
    kind: str  # cassette | url | callable
    target: str  # as written in the registry
    cassette: Path | None = None  # a cassette variant, resolved against the registry's folder

    @property
    def is_cassette(self) -> bool:
        """Whether the state is served by a cassette variant (rather than set up by a URL or a callable)."""
        return self.kind == "cassette"


@dataclass(frozen=True, slots=True)
class ProviderSettings:
    """A provider's optional registry blocks, typed; absent blocks are empty values, never None checks of dicts."""

    title: str = ""
    overlay: Path | None = None  # the quirks overlay, resolved against the registry's folder
    record: RecordSettings = field(default_factory=RecordSettings)
    fuzz: FuzzSettings = field(default_factory=FuzzSettings)
    scrub: ScrubSettings = field(default_factory=ScrubSettings)
    states: Mapping[str, StateSettings] = field(default_factory=dict)
    process: ProcessSettings | None = None

    @property
    def variant_states(self) -> tuple[str, ...]:
        """The provider states served by a cassette variant, in registry order."""
        return tuple(name for name, state in self.states.items() if state.is_cassette)


@dataclass(frozen=True, slots=True)
class GateSettings:
    """The registry's `gate` block: what an unused breaking change does, the ledger, and the rule levels."""

    unused_breaking: str = DEFAULT_UNUSED_BREAKING  # block | warn | off
    ledger: str = DEFAULT_LEDGER  # as written, relative to the registry's folder
    levels: Mapping[str, str] = field(default_factory=dict)  # rule id -> breaking | warning | info | off
    require_recorded: tuple[str, ...] = ()  # providers whose cassettes must be recorded, not seeded


@dataclass(frozen=True, slots=True)
class RegistrySettings:
    """The registry's optional top-level blocks: the gate, and other consumers' pact folders."""

    gate: GateSettings = field(default_factory=GateSettings)
    consumer_pacts: tuple[str, ...] = ()  # as written, relative to the registry's folder


__all__ = [
    "DEFAULT_LEDGER",
    "DEFAULT_UNUSED_BREAKING",
    "CleanupRequest",
    "FuzzSettings",
    "GateSettings",
    "ProcessSettings",
    "ProviderSettings",
    "RecordRequest",
    "RecordSettings",
    "RegistrySettings",
    "ScrubSettings",
    "StateSettings",
]
