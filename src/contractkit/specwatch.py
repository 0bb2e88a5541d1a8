"""Upstream spec watch: what a newer vendor document changes that a consumer would observe.

The provider's slice (what the registry holds now) is compared with the same registered operations cut out of
the vendor's newer document, with the diff engine; each change is then asked of the usage model: which
consumer, interaction and JSON path sends or reads what changed. A breaking change a consumer observes makes
the watch fail; one nobody observes is reported as unused; everything else is information.

    watch = watch_provider(registry, "pagerduty", Path("openapiv3.json"))
    watch.failed            # a consumer observes a breaking change
    write_slice(watch)      # --update: the new slice replaces the old one

The scheduled watch needs no document at hand: every provider whose `spec_source.url` names the vendor's
published document is watched, each document fetched first (`watched_sources`, `watch_sources`).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from contractkit.core.errors import ContractKitError, SchemaLoadError, UsageError
from contractkit.core.files import write_json_atomic
from contractkit.core.limits import MAX_FILE_BYTES
from contractkit.core.model import CheckResult, Finding, Provider, ProviderKind, Registry, Report, Severity, Status
from contractkit.diff import Change, diff_documents
from contractkit.openapi.documents import find_path, import_spec_slice, load_spec_document
from contractkit.pact.usage import Observation, Usage, load_usage, observers

__all__ = ["SourceWatch", "SpecWatch", "WatchedChange", "WatchedSource", "choose_provider", "fetch_document",
           "sources_report", "watch_documents", "watch_provider", "watch_sources", "watched_sources", "write_slice"]

_SHOWN_OBSERVERS = 3


@dataclass(frozen=True, slots=True)
class WatchedChange:
    """One change between the slice and the newer document, and who observes it."""

    change: Change
    observations: tuple[Observation, ...] = ()

    @property
    def verdict(self) -> str:
        """observed (breaking and a consumer sees it), unused (breaking, nobody sees it), or the change's level."""
        if self.change.is_breaking:
            return "observed" if self.observations else "unused"
        return str(self.change.level)

    def reason(self) -> str:
        """Why the verdict: the observers, or that no consumer sends or reads what changed."""
        if not self.observations:
            return "no consumer sends or reads it"
        shown = "; ".join(seen.describe() for seen in self.observations[:_SHOWN_OBSERVERS])
        more = len(self.observations) - _SHOWN_OBSERVERS
        return shown + (f"; and {more} more" if more > 0 else "")


@dataclass(frozen=True, slots=True)
class SpecWatch:
    """The outcome of watching one provider's vendor document."""

    provider: str
    source: str
    slice_path: Path | None
    changes: tuple[WatchedChange, ...]
    new_slice: Mapping[str, Any]

    @property
    def observed(self) -> list[WatchedChange]:
        """Breaking changes a consumer observes."""
        return [item for item in self.changes if item.verdict == "observed"]

    @property
    def unused(self) -> list[WatchedChange]:
        """Breaking changes no consumer observes."""
        return [item for item in self.changes if item.verdict == "unused"]

    @property
    def failed(self) -> bool:
        """True when a consumer observes a breaking change."""
        return bool(self.observed)

    def to_report(self) -> Report:
        """One row per breaking or observed change, those a consumer observes first; the rest are counted."""
        order = {"observed": 0, "unused": 1, "warning": 2, "info": 3}
        shown = [item for item in self.changes if item.change.is_breaking or item.observations]
        ranked = sorted(shown, key=lambda item: order.get(item.verdict, 4))
        results = tuple(_row(self.provider, item) for item in ranked)
        title = (f"contracts specs check: {self.provider} against {self.source} ({len(self.changes)} changes, "
                 f"{sum(item.change.is_breaking for item in self.changes)} breaking, {len(self.observed)} observed "
                 f"by a consumer; {len(self.changes) - len(shown)} other changes no consumer observes)")
        return Report(title=title, results=results)


def _row(provider: str, item: WatchedChange) -> CheckResult:
    change = item.change
    severity = {"observed": Severity.ERROR, "unused": Severity.WARNING}.get(item.verdict, Severity.INFO)
    finding = Finding(change.code, severity, f"{change.rule}: {change.message} ({item.verdict}: {item.reason()})",
                      change.location, provider, change.operation)
    status = Status.FAILED if item.verdict == "observed" else Status.PASSED
    return CheckResult(check="specs", provider=provider, operation=change.operation, interaction=change.rule,
                       status=status, message=f"{item.verdict}: {change.message}", findings=(finding,),
                       details={"rule": change.rule, "verdict": item.verdict, "location": change.location,
                                "observers": [_observer_dict(seen) for seen in item.observations]})


def _observer_dict(seen: Observation) -> dict[str, str]:
    return {"consumer": seen.consumer, "interaction": seen.interaction, "location": seen.location,
            "reason": seen.reason}


def choose_provider(registry: Registry, source: Path, name: str | None) -> Provider:
    """The named provider, or the one HTTP provider with a slice whose registered operations the document has."""
    if name:
        return registry.provider(name)
    document = load_spec_document(source)
    fitting = [provider for provider in registry.providers.values()
               if provider.kind is ProviderKind.HTTP and provider.spec is not None and provider.operations
               and all(find_path(document, op.method or "get", op.path or "/") for op in provider.operations.values())]
    if len(fitting) != 1:
        names = ", ".join(provider.name for provider in fitting) or "none"
        raise UsageError(f"cannot tell which provider {source} describes (providers whose operations it has: "
                         f"{names})", hint="pass --provider NAME")
    return fitting[0]


def watch_provider(registry: Registry, provider_name: str | None, source: Path, *,
                   usage: Usage | None = None) -> SpecWatch:
    """Compare a provider's slice with its registered operations cut out of a newer vendor document."""
    provider = choose_provider(registry, source, provider_name)
    if provider.spec is None or not provider.spec.is_file():
        raise UsageError(f"provider {provider.name!r} has no slice to compare ({provider.spec or 'no spec key'})",
                         key_path=("providers", provider.name, "spec"),
                         hint=f"contracts schemas import --provider {provider.name} --from {source}")
    old = load_spec_document(provider.spec, display=registry.relative(provider.spec))
    new = import_spec_slice(provider, source)
    usage = usage if usage is not None else load_usage(registry, providers=[provider.name])
    changes = watch_documents(usage, provider.name, old, new, old_name=registry.relative(provider.spec),
                              new_name=str(source))
    return SpecWatch(provider.name, str(source), provider.spec, tuple(changes), new)


def watch_documents(usage: Usage, provider: str, old: Mapping[str, Any], new: Mapping[str, Any], *,
                    old_name: str = "old", new_name: str = "new") -> Sequence[WatchedChange]:
    """Every change between two descriptions of a provider, with the consumers that observe it."""
    result = diff_documents(dict(old), dict(new), old_name=old_name, new_name=new_name)
    return [WatchedChange(change, tuple(observers(usage, change, provider=provider, old=old, new=new)))
            for change in result.changes]


def write_slice(watch: SpecWatch) -> Path:
    """Replace the provider's slice with the new one (`--update`); returns the file written."""
    if watch.slice_path is None:
        raise UsageError(f"provider {watch.provider!r} has no 'spec' to update")
    write_json_atomic(watch.slice_path, dict(watch.new_slice))
    return watch.slice_path


# ---------------------------------------------------------------- the scheduled watch: vendor documents by URL


FETCH_TIMEOUT = 120.0
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True, slots=True)
class WatchedSource:
    """A provider the scheduled watch checks: the vendor document's URL its registry entry names, and its slice."""

    provider: str
    url: str
    slice_path: Path | None
    document: str = ""
    entry: str = ""  # where the URL is written: registry.yaml:LINE


@dataclass(frozen=True, slots=True)
class SourceWatch:
    """One watched provider's outcome: the watch, or why its document could not be fetched or compared."""

    source: WatchedSource
    watch: SpecWatch | None = None
    error: str = ""


def watched_sources(registry: Registry, names: Iterable[str] = ()) -> list[WatchedSource]:
    """Every HTTP provider with a slice whose `spec_source.url` names its vendor document (only the named ones when
    names are given; a named provider without a URL is a usage error naming the key to add)."""
    names = list(names)
    providers = [registry.provider(name) for name in names] if names else list(registry.providers.values())
    sources = []
    for provider in providers:
        origin = provider.spec_source
        if provider.kind is ProviderKind.HTTP and provider.spec is not None and origin is not None and origin.url:
            line = registry.line_of("providers", provider.name, "spec_source")
            sources.append(WatchedSource(provider.name, origin.url, provider.spec, origin.document,
                                         f"{registry.path.name}:{line}" if line else registry.path.name))
        elif names:
            raise UsageError(f"provider {provider.name!r} names no vendor document to watch", file=registry.path.name,
                             key_path=("providers", provider.name, "spec_source", "url"),
                             line=registry.line_of("providers", provider.name, "spec_source"),
                             hint="add spec_source.url: the address of the vendor's published OpenAPI or Swagger document")
    return sources


def fetch_document(url: str, folder: Path, name: str) -> Path:
    """Download a vendor document (an http, https or file URL) into `folder` as `name` plus the URL's suffix;
    SchemaLoadError naming the URL when it cannot be had. Loopback addresses are reached without a proxy."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "file"):
        raise SchemaLoadError(f"cannot fetch {url}: expected an http, https or file URL")
    suffix = next((ending for ending in (".json", ".yaml", ".yml") if parts.path.endswith(ending)), ".json")
    target = folder / f"{name}{suffix}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({})) if parts.hostname in _LOOPBACK \
        else urllib.request.build_opener()
    try:
        with opener.open(url, timeout=FETCH_TIMEOUT) as response:
            data = response.read(MAX_FILE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise SchemaLoadError(f"cannot fetch {url} (HTTP {exc.code} {exc.reason})") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SchemaLoadError(f"cannot fetch {url} ({getattr(exc, 'reason', None) or exc})") from exc
    if len(data) > MAX_FILE_BYTES:
        raise SchemaLoadError(f"cannot use {url}: larger than {MAX_FILE_BYTES} bytes")
    target.write_bytes(data)
    return target


def watch_sources(registry: Registry, sources: Sequence[WatchedSource], folder: Path) -> list[SourceWatch]:
    """Fetch each provider's vendor document into `folder` and compare it with the slice; a document that cannot
    be fetched or read is recorded for its provider, and the others are still watched."""
    usage = load_usage(registry, providers=[source.provider for source in sources])
    outcomes = []
    for source in sources:
        try:
            document = fetch_document(source.url, folder, source.provider)
            outcomes.append(SourceWatch(source, watch_provider(registry, source.provider, document, usage=usage)))
        except ContractKitError as exc:
            outcomes.append(SourceWatch(source, error=exc.describe()))
    return outcomes


def sources_report(outcomes: Sequence[SourceWatch]) -> Report:
    """One row per watched provider (its document's URL and what changed, or why it was not checked), then the
    rows of every change a consumer observes or that breaks."""
    results: list[CheckResult] = []
    for outcome in outcomes:
        results.append(_source_row(outcome))
        if outcome.watch is not None:
            results.extend(outcome.watch.to_report().results)
    failed = sum(1 for outcome in outcomes if outcome.error)
    observed = sum(len(outcome.watch.observed) for outcome in outcomes if outcome.watch is not None)
    title = (f"contracts specs check: {len(outcomes)} vendor documents watched ({len(outcomes) - failed} checked, "
             f"{failed} not checked), {observed} breaking changes observed by a consumer")
    return Report(title=title, results=tuple(results))


def _source_row(outcome: SourceWatch) -> CheckResult:
    source, watch = outcome.source, outcome.watch
    if watch is None:
        return CheckResult(check="specs", provider=source.provider, operation="", interaction=source.url,
                           status=Status.FAILED, message=f"not checked: {outcome.error}",
                           details={"url": source.url, "file": source.entry})
    breaking = sum(item.change.is_breaking for item in watch.changes)
    message = (f"{source.url}: {len(watch.changes)} changes, {breaking} breaking, {len(watch.observed)} observed "
               f"by a consumer")
    return CheckResult(check="specs", provider=source.provider, operation="", interaction=source.url,
                       status=Status.FAILED if watch.failed else Status.PASSED, message=message,
                       details={"url": source.url, "changes": len(watch.changes), "breaking": breaking,
                                "observed": len(watch.observed)})
