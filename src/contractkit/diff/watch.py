"""Upstream spec watch: what a newer vendor document changes, judged by the consumers' pacts.

The provider's slice (what the registry holds now) is compared with the same registered operations cut out of
the vendor's newer document, with the diff engine, and every consumer interaction (ours and every
`consumer_pacts` folder's) is judged against both by the compatibility engine: a change that makes an
interaction incompatible blocks and names the consumer, whatever the diff's rule level; the rest follow the one
verdict function (`diff.verdicts`): observed without breaking is a warning, unused breaking changes follow
`gate.unused_breaking`.

    watch = watch_provider(registry, "pagerduty", Path("openapiv3.json"))
    watch.failed            # a consumer breaks
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

from contractkit.compat import ConsumerBreak, compare_calls, description_validator
from contractkit.core.errors import ContractKitError, SchemaLoadError, UsageError
from contractkit.core.files import write_json_atomic
from contractkit.core.limits import MAX_FILE_BYTES
from contractkit.core.model import CheckResult, Finding, Provider, ProviderKind, Registry, Report, Severity, Status
from contractkit.diff.compare import diff_documents
from contractkit.diff.verdicts import Judged, Verdict, judge_changes, unused_policy
from contractkit.openapi import find_path, import_spec_slice, load_spec_document
from contractkit.pact import Usage, load_usage, observers

__all__ = [
    "SourceWatch",
    "SpecWatch",
    "WatchedSource",
    "choose_provider",
    "fetch_document",
    "sources_report",
    "watch_documents",
    "watch_provider",
    "watch_sources",
    "watched_sources",
    "write_slice",
]

_ORDER = {Verdict.BLOCK: 0, Verdict.WARN: 1, Verdict.ACCEPTED: 2, Verdict.INFO: 3}
_STATUS = {Verdict.BLOCK: Status.FAILED}
_SEVERITY = {Verdict.BLOCK: Severity.ERROR, Verdict.WARN: Severity.WARNING}


@dataclass(frozen=True, slots=True)
class SpecWatch:
    """The outcome of watching one provider's vendor document: every change judged, and the consumer breaks no
    change explains (they block too)."""

    provider: str
    source: str
    slice_path: Path | None
    changes: tuple[Judged, ...]
    new_slice: Mapping[str, Any]
    unexplained: tuple[ConsumerBreak, ...] = ()
    judged: int = 0

    @property
    def blocking(self) -> list[Judged]:
        """Changes that break a consumer (or blocked by `gate.unused_breaking: block`)."""
        return [item for item in self.changes if item.verdict is Verdict.BLOCK]

    @property
    def observed(self) -> list[Judged]:
        """Changes a consumer sends or reads."""
        return [item for item in self.changes if item.observations]

    @property
    def failed(self) -> bool:
        """True when a change blocks or a consumer breaks."""
        return bool(self.blocking or self.unexplained)

    def to_report(self) -> Report:
        """Every change with its verdict and who observes it, blocking first; then the breaks no change explains."""
        ranked = sorted(self.changes, key=lambda item: _ORDER[item.verdict])
        results = tuple(_row(self.provider, item) for item in ranked) + tuple(
            _break_row(self.provider, found) for found in self.unexplained
        )
        title = (
            f"contracts specs check: {self.provider} against {self.source} ({len(self.changes)} changes, "
            f"{len(self.blocking)} blocking, {len(self.observed)} observed by a consumer, "
            f"{sum(item.change.is_breaking for item in self.changes)} breaking by their rule; "
            f"{self.judged} consumer interactions judged)"
        )
        return Report(title=title, results=results)


def _row(provider: str, item: Judged) -> CheckResult:
    change = item.change
    severity = _SEVERITY.get(item.verdict, Severity.INFO)
    note = f" ({item.verdict}: {item.note})" if item.note else f" ({item.verdict})"
    finding = Finding(
        change.code, severity, f"{change.rule}: {change.message}{note}", change.location, provider, change.operation
    )
    return CheckResult(
        check="specs",
        provider=provider,
        operation=change.operation,
        interaction=change.rule,
        status=_STATUS.get(item.verdict, Status.PASSED),
        message=f"{item.verdict}: {change.message}" + (f"; {item.note}" if item.note else ""),
        findings=(finding,),
        details={"location": change.location, **item.details()},
    )


def _break_row(provider: str, found: ConsumerBreak) -> CheckResult:
    finding = found.finding(severity=Severity.ERROR)
    return CheckResult(
        check="specs",
        provider=provider,
        operation="",
        interaction=found.interaction,
        status=Status.FAILED,
        message=f"block: {found.describe()}",
        findings=(finding,),
        details={"verdict": "block", "breaks": [found.to_dict()]},
    )


def choose_provider(registry: Registry, source: Path, name: str | None) -> Provider:
    """The named provider, or the one HTTP provider with a slice whose registered operations the document has."""
    if name:
        return registry.provider(name)
    document = load_spec_document(source)
    fitting = [
        provider
        for provider in registry.providers.values()
        if provider.kind is ProviderKind.HTTP
        and provider.spec is not None
        and provider.operations
        and all(find_path(document, op.method or "get", op.path or "/") for op in provider.operations.values())
    ]
    if len(fitting) != 1:
        names = ", ".join(provider.name for provider in fitting) or "none"
        raise UsageError(
            f"cannot tell which provider {source} describes (providers whose operations it has: {names})",
            hint="pass --provider NAME",
        )
    return fitting[0]


def watch_provider(
    registry: Registry, provider_name: str | None, source: Path, *, usage: Usage | None = None
) -> SpecWatch:
    """Compare a provider's slice with its registered operations cut out of a newer vendor document."""
    provider = choose_provider(registry, source, provider_name)
    if provider.spec is None or not provider.spec.is_file():
        raise UsageError(
            f"provider {provider.name!r} has no slice to compare ({provider.spec or 'no spec key'})",
            key_path=("providers", provider.name, "spec"),
            hint=f"contracts schemas import --provider {provider.name} --from {source}",
        )
    old = load_spec_document(provider.spec, display=registry.relative(provider.spec))
    new = import_spec_slice(provider, source)
    usage = usage if usage is not None else load_usage(registry, providers=[provider.name])
    return watch_documents(
        usage,
        provider,
        old,
        new,
        old_name=registry.relative(provider.spec),
        new_name=str(source),
        unused=unused_policy(registry.settings.gate.unused_breaking),
        slice_path=provider.spec,
    )


def watch_documents(
    usage: Usage,
    provider: Provider,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    old_name: str = "old",
    new_name: str = "new",
    unused: str = "warn",
    slice_path: Path | None = None,
) -> SpecWatch:
    """Every change between two descriptions of a provider, judged by every consumer interaction with it."""
    result = diff_documents(dict(old), dict(new), old_name=old_name, new_name=new_name)
    calls = usage.of_provider(provider.name)
    delta = compare_calls(
        calls,
        description_validator(provider, old, source=old_name),
        description_validator(provider, new, source=new_name),
    )
    judged, unexplained = judge_changes(
        result.changes, delta, lambda change: observers(usage, change, provider=provider.name, old=old, new=new), unused
    )
    return SpecWatch(provider.name, new_name, slice_path, tuple(judged), new, tuple(unexplained), delta.judged)


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
            sources.append(
                WatchedSource(
                    provider.name,
                    origin.url,
                    provider.spec,
                    origin.document,
                    f"{registry.path.name}:{line}" if line else registry.path.name,
                )
            )
        elif names:
            raise UsageError(
                f"provider {provider.name!r} names no vendor document to watch",
                file=registry.path.name,
                key_path=("providers", provider.name, "spec_source", "url"),
                line=registry.line_of("providers", provider.name, "spec_source"),
                hint="add spec_source.url: the address of the vendor's published OpenAPI or Swagger document",
            )
    return sources


def fetch_document(url: str, folder: Path, name: str) -> Path:
    """Download a vendor document (an http, https or file URL) into `folder` as `name` plus the URL's suffix;
    SchemaLoadError naming the URL when it cannot be had. Loopback addresses are reached without a proxy."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "file"):
        raise SchemaLoadError(f"cannot fetch {url}: expected an http, https or file URL")
    suffix = next((ending for ending in (".json", ".yaml", ".yml") if parts.path.endswith(ending)), ".json")
    target = folder / f"{name}{suffix}"
    opener = (
        urllib.request.build_opener(urllib.request.ProxyHandler({}))
        if parts.hostname in _LOOPBACK
        else urllib.request.build_opener()
    )
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
    blocking = sum(
        len(outcome.watch.blocking) + len(outcome.watch.unexplained)
        for outcome in outcomes
        if outcome.watch is not None
    )
    title = (
        f"contracts specs check: {len(outcomes)} vendor documents watched ({len(outcomes) - failed} checked, "
        f"{failed} not checked), {blocking} changes breaking a consumer"
    )
    return Report(title=title, results=tuple(results))


def _source_row(outcome: SourceWatch) -> CheckResult:
    source, watch = outcome.source, outcome.watch
    if watch is None:
        return CheckResult(
            check="specs",
            provider=source.provider,
            operation="",
            interaction=source.url,
            status=Status.FAILED,
            message=f"not checked: {outcome.error}",
            details={"url": source.url, "file": source.entry},
        )
    breaking = sum(item.change.is_breaking for item in watch.changes)
    message = (
        f"{source.url}: {len(watch.changes)} changes, {len(watch.blocking)} blocking, {len(watch.observed)} "
        f"observed by a consumer, {breaking} breaking by their rule"
    )
    return CheckResult(
        check="specs",
        provider=source.provider,
        operation="",
        interaction=source.url,
        status=Status.FAILED if watch.failed else Status.PASSED,
        message=message,
        details={
            "url": source.url,
            "changes": len(watch.changes),
            "breaking": breaking,
            "blocking": len(watch.blocking),
            "observed": len(watch.observed),
        },
    )
