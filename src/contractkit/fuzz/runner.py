"""Fuzz every endpoint of a provider with schemathesis, plus two checks of ours, and turn failures into findings.

schemathesis generates the requests and runs its response checks (not a server error, status code,
content type and response schema conformance, negative data rejection). Two checks are added:

- `error_format`: every 4xx and 5xx body must match the provider's error schema from the registry;
- `consumer_compatibility`: every response with a status some registered consumer's pact expects
  must have what that consumer relies on (fields, types, regexes, content type).

Runs are deterministic (a seed, reported with every failure), bounded (examples per operation and a
time budget) and safe (only GET and HEAD on third-party providers unless unsafe methods are allowed).
Every failure is saved to the provider's corpus and the corpus is replayed first (beside new generation when
both send only GET and HEAD over HTTP, so neither can change what the provider answers the other).
"""

from __future__ import annotations

import importlib
import random
import signal
import sys
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from contractkit.core.codes import Code
from contractkit.core.errors import SchemaLoadError, UsageError
from contractkit.core.loading import load_json_fast
from contractkit.core.model import Provider, ProviderKind, Registry
from contractkit.fuzz.checks import (
    RunContext,
    build_config,
    iter_recorder_failures,
    load_error_validator,
    load_expectations,
    load_schema,
    register_checks,
    registered_run,
)
from contractkit.fuzz.corpus import Corpus, CorpusCase, load_corpus, save_corpus
from contractkit.fuzz.endpoints import (
    Credentials,
    Endpoint,
    is_allowed,
    mask_credentials,
    read_credentials,
    select_endpoints,
)
from contractkit.fuzz.model import (
    ALL_CHECKS,
    ALL_PHASES,
    DEFAULT_MAX_EXAMPLES,
    SAFE_METHODS,
    FuzzError,
    FuzzFailure,
    FuzzOptions,
    FuzzOutcome,
    FuzzProgress,
    FuzzRun,
)
from contractkit.fuzz.replay import start_replay
from contractkit.runtime import ProviderProcess

if TYPE_CHECKING:
    from schemathesis.schemas import BaseSchema


DEFAULT_OPTIONS = FuzzOptions()


def fuzz_provider(
    registry: Registry,
    provider_name: str,
    options: FuzzOptions = DEFAULT_OPTIONS,
    *,
    environ: Mapping[str, str] | None = None,
    on_progress: Callable[[FuzzProgress], None] | None = None,
) -> FuzzRun:
    """Fuzz one provider: replay its corpus, generate new cases, save new failures; returns the run's outcome."""
    import os

    environ = os.environ if environ is None else environ
    provider = registry.provider(provider_name)
    document = load_fuzz_description(provider)
    options = _with_registry_defaults(options, provider)
    endpoints = select_endpoints(provider, document, options.operations)
    allowed = [endpoint for endpoint in endpoints if is_allowed(endpoint, provider, options.allow_unsafe)]
    # The registry's credentials are for the provider at its base_url or its own process; a target given by hand
    # (--base-url, --app) gets them when they are set and goes without them when they are not.
    credentials = read_credentials(provider, environ, required=not (options.base_url or options.app))
    with ExitStack() as stack:
        base_url, app = _target(stack, registry, provider, options, environ)
        if base_url is not None:
            check_reachable(base_url)
        run = _fuzz(registry, provider, document, options, endpoints, allowed, credentials, base_url, app, on_progress)
    return run


def load_fuzz_description(provider: Provider) -> dict[str, Any]:
    """The provider's OpenAPI or Swagger document, as written (schemathesis reads both)."""
    if provider.kind is not ProviderKind.HTTP:
        raise UsageError(
            f"provider {provider.name!r} is an AWS provider; contracts fuzz needs an OpenAPI description",
            key_path=("providers", provider.name, "kind"),
        )
    if provider.spec is None:
        raise UsageError(
            f"provider {provider.name!r} has no 'spec', so there is nothing to fuzz",
            key_path=("providers", provider.name),
            hint="add spec: schemas/<provider>/openapi.json",
        )
    document = load_json_fast(provider.spec, SchemaLoadError)
    if not isinstance(document, dict) or not ({"openapi", "swagger"} & set(document)):
        raise SchemaLoadError("not an OpenAPI 3 or Swagger 2.0 document", file=provider.spec)
    return document


def _with_registry_defaults(options: FuzzOptions, provider: Provider) -> FuzzOptions:
    settings = provider.settings.fuzz
    seed = options.seed if options.seed is not None else settings.seed
    if seed is None:
        seed = random.SystemRandom().randrange(1, 2**31)  # reported, so even an unseeded run can be repeated
    max_examples = options.max_examples or settings.max_examples or DEFAULT_MAX_EXAMPLES
    unknown = sorted(set(options.checks) - set(ALL_CHECKS))
    if unknown:
        raise UsageError(f"unknown check(s) {', '.join(unknown)} (known: {', '.join(ALL_CHECKS)})")
    unknown = sorted(set(options.phases) - set(ALL_PHASES))
    if unknown or not options.phases:
        raise UsageError(f"unknown phase(s) {', '.join(unknown) or '(none given)'} (known: {', '.join(ALL_PHASES)})")
    return replace(options, seed=int(seed), max_examples=int(max_examples))


def corpus_location(registry: Registry, provider: Provider, options: FuzzOptions) -> Path:
    """--corpus, else the registry's fuzz.corpus, else fuzz/<provider>.corpus.json next to the registry."""
    if options.corpus_path is not None:
        return options.corpus_path
    return provider.settings.fuzz.corpus or registry.root / f"fuzz/{provider.name}.corpus.json"


def _target(
    stack: ExitStack, registry: Registry, provider: Provider, options: FuzzOptions, environ: Mapping[str, str]
) -> tuple[str | None, Any]:
    """Where requests go: an app in process, --base-url, a started provider process, or the registry's URL."""
    if options.app and options.base_url:
        raise UsageError("give either --app or --base-url, not both")
    if options.app:
        return None, import_app(options.app, registry.root)
    if options.base_url:
        return options.base_url.rstrip("/"), None
    if options.start_process and provider.settings.process is not None:
        process = stack.enter_context(ProviderProcess(provider, registry.root, environ=environ))
        return process.base_url, None
    return provider.base_url, None


def check_reachable(base_url: str, timeout: float = 5.0) -> None:
    """Fail early, as bad input, when nothing listens at the base URL (a TCP connect, no request is sent)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", port), timeout=timeout):
            return
    except OSError as exc:
        raise FuzzError(
            f"cannot reach {base_url} ({exc.strerror or exc})",
            hint="start the provider, give --base-url, or add a process: key to the registry",
        ) from exc


def import_app(reference: str, root: Path) -> Any:
    """Import `module:attribute` (an ASGI or WSGI app), looking in the registry's folder and the current one."""
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise UsageError(f"--app expects module:attribute, got {reference!r}")
    for folder in (str(root), str(Path.cwd())):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UsageError(f"cannot import {module_name!r} for --app: {exc}") from exc
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise UsageError(f"module {module_name!r} has no attribute {attribute!r} for --app") from None


def _fuzz(
    registry: Registry,
    provider: Provider,
    document: dict[str, Any],
    options: FuzzOptions,
    endpoints: Sequence[Endpoint],
    allowed: Sequence[Endpoint],
    credentials: Credentials,
    base_url: str | None,
    app: Any,
    on_progress: Callable[[FuzzProgress], None] | None,
) -> FuzzRun:
    started = time.perf_counter()
    seed = int(options.seed or 0)
    safe_only = provider.third_party and not options.allow_unsafe
    register_checks()
    error_validator = load_error_validator(provider) if "error_format" in options.checks else None
    context = RunContext(error_validator, load_expectations(registry, provider, allowed))
    with registered_run(context) as run_id:
        config = build_config(
            options,
            seed=seed,
            max_examples=int(options.max_examples or DEFAULT_MAX_EXAMPLES),
            base_url=base_url,
            credentials=credentials,
            run_id=run_id,
            safe_only=safe_only,
        )
        schema = load_schema(document, config, allowed, app)
        corpus_path = corpus_location(registry, provider, options)
        corpus = load_corpus(corpus_path, provider.name) if options.use_corpus else Corpus(provider.name)
        labels = {endpoint.label for endpoint in allowed}
        replayed = start_replay(
            schema,
            corpus,
            labels,
            base_url=base_url,
            credentials=credentials,
            checks=options.checks,
            seed=seed,
            timeout=options.request_timeout,
            engine_reads_only=_reads_only(allowed, options, safe_only=safe_only),
        )
        collected = _collect(schema, allowed, seed, credentials, on_progress, options.time_budget)
        replayed_failures = replayed()  # inside the run: the replay's checks look its context up by the run id
    found = _dedupe(replayed_failures + collected.failures)
    added = _update_corpus(corpus_path, corpus, found, options)
    notes: tuple[str, ...] = (
        ()
        if error_validator is not None or "error_format" not in options.checks
        else (f"{Code.NO_ERROR_SCHEMA}: provider has no error_schema, error_format did not run",)
    )
    notes += _credential_notes(provider, credentials, base_url or f"app {options.app}")
    outcomes = _outcomes(endpoints, allowed, found, collected, provider)
    return FuzzRun(
        provider=provider.name,
        seed=seed,
        target=base_url or f"app {options.app}",
        outcomes=outcomes,
        checks=tuple(options.checks),
        corpus_path=corpus_path if options.use_corpus else None,
        corpus_replayed=sum(1 for case in corpus.cases if case.operation in labels),
        corpus_added=added,
        stop_reason=collected.stop_reason,
        duration=time.perf_counter() - started,
        notes=notes,
    )


def _reads_only(allowed: Sequence[Endpoint], options: FuzzOptions, *, safe_only: bool) -> bool:
    """Whether the engine sends only GET and HEAD: every endpoint it fuzzes reads, and the coverage phase's probes
    of undeclared methods (PUT, DELETE...) are off or not run."""
    reads = all(endpoint.method in SAFE_METHODS for endpoint in allowed)
    return reads and (safe_only or "coverage" not in options.phases)


def _credential_notes(provider: Provider, credentials: Credentials, target: str) -> tuple[str, ...]:
    """Say which credentials a run went without, so a run full of 401s explains itself."""
    if not credentials.missing:
        return ()
    names = ", ".join(credentials.missing)
    return (
        f"{names} not set: fuzzed {target} without {provider.name}'s {provider.auth.scheme} credentials "
        f"(export {names} if the target asks for them)",
    )


@dataclass(slots=True)
class _Collected:
    """What the engine's events said, per endpoint label."""

    on_progress: Callable[[FuzzProgress], None] | None
    total: int
    seed: int
    credentials: Credentials
    failures: list[FuzzFailure] = field(default_factory=list)
    cases: dict[str, int] = field(default_factory=dict)
    durations: dict[str, float] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    finished: dict[str, set[str]] = field(default_factory=dict)  # phase -> labels done
    stop_reason: str = "completed"
    _last: tuple[str, int, int] | None = None

    def scenario(self, event: Any) -> None:
        """A finished scenario: count its cases, keep its failures, report progress."""
        label = event.recorder.label
        self.cases[label] = self.cases.get(label, 0) + len(event.recorder.cases)
        self.durations[label] = self.durations.get(label, 0.0) + float(event.elapsed_time or 0.0)
        self.failures += iter_recorder_failures(event.recorder, seed=self.seed, credentials=self.credentials)
        phase = str(getattr(event, "phase", "fuzzing"))
        done = self.finished.setdefault(phase, set())
        done.add(label)
        state = (phase, len(done), len({failure.key for failure in self.failures}))
        if self.on_progress is not None and state != self._last:
            self._last = state
            self.on_progress(FuzzProgress(phase, label, len(done), self.total, state[2]))

    def error(self, event: Any) -> None:
        """An operation that could not be tested."""
        self.errors.setdefault(event.label, []).append(mask_credentials(_error_text(event), self.credentials))


def _collect(
    schema: BaseSchema,
    endpoints: Sequence[Endpoint],
    seed: int,
    credentials: Credentials,
    on_progress: Callable[[FuzzProgress], None] | None,
    time_budget: float | None,
) -> _Collected:
    """Run the schemathesis engine and gather failures, case counts and errors per endpoint."""
    from schemathesis.engine import events, from_schema

    collected = _Collected(on_progress, len(endpoints), seed, credentials)
    # The budget is a ceiling enforced here; schemathesis's own max-time is a target it keeps fuzzing towards.
    deadline = time.monotonic() + time_budget if time_budget else None
    stream = from_schema(schema).execute()
    with _interrupts_noted() as noted:
        _consume(stream, events, collected, credentials, deadline)
        stopped = collected.stop_reason == "time_budget"
    if noted and not stopped:
        raise KeyboardInterrupt  # the engine can take a Ctrl-C where it does not stop (between two of its events)
    return collected


def _consume(stream: Any, events: Any, collected: _Collected, credentials: Credentials, deadline: float | None) -> None:
    stopped = False
    for event in stream:
        if isinstance(event, (events.ScenarioFinished, events.FuzzScenarioFinished)):
            collected.scenario(event)
        elif isinstance(event, events.NonFatalError):
            collected.error(event)
        elif isinstance(event, events.FatalError):
            raise FuzzError(
                f"schemathesis stopped: {mask_credentials(str(event.exception), credentials)}"
            ) from event.exception
        elif isinstance(event, events.Interrupted) and not stopped:
            raise KeyboardInterrupt
        elif isinstance(event, events.EngineFinished):
            if not stopped and str(event.stop_reason) == "interrupted":
                raise KeyboardInterrupt  # an interrupt the engine took in a worker without an Interrupted event
            collected.stop_reason = "time_budget" if stopped else str(event.stop_reason)
        if not stopped and deadline is not None and time.monotonic() > deadline:
            stopped = True
            stream.stop()  # the engine winds down after the current operation; its events are still collected


@contextmanager
def _interrupts_noted() -> Iterator[list[bool]]:
    """Note every Ctrl-C while the engine runs, and let it raise as before: the engine may take one in a place
    where it neither stops nor says so, and the run must then end as interrupted, not as passed."""
    noted: list[bool] = []
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous is signal.SIG_IGN:
        yield noted
        return

    def note(number: int, frame: Any) -> None:
        noted.append(True)
        if callable(previous):
            previous(number, frame)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, note)
    try:
        yield noted
    finally:
        signal.signal(signal.SIGINT, previous)


def _error_text(event: Any) -> str:
    info = getattr(event, "info", None)
    title = getattr(info, "title", "") or type(event.value).__name__
    message = getattr(info, "message", "") or str(event.value)
    return f"{title}: {message}".strip()[:500]


def _dedupe(failures: Iterable[FuzzFailure]) -> list[FuzzFailure]:
    """One failure per distinct problem (operation, check, title, signature); a corpus replay wins over a new
    find of the same problem."""
    seen: dict[tuple[str, str, str, str], FuzzFailure] = {}
    for failure in failures:
        seen.setdefault(failure.key, failure)
    return list(seen.values())


def _update_corpus(path: Path, corpus: Corpus, failures: Sequence[FuzzFailure], options: FuzzOptions) -> int:
    if not (options.use_corpus and options.update_corpus):
        return 0
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    cases = [
        CorpusCase(
            operation=failure.operation,
            check=failure.check,
            code=failure.code,
            title=failure.title,
            request=failure.request,
            seed=failure.seed,
            found=now,
            status_code=failure.status_code,
            curl=failure.curl,
            signature=failure.signature,
        )
        for failure in failures
        if failure.request is not None and failure.source == "fuzz"
    ]
    merged, added = corpus.merged(cases)
    if added:
        save_corpus(path, merged)
    return added


def _outcomes(
    endpoints: Sequence[Endpoint],
    allowed: Sequence[Endpoint],
    failures: Sequence[FuzzFailure],
    collected: _Collected,
    provider: Provider,
) -> tuple[FuzzOutcome, ...]:
    allowed_labels = {endpoint.label for endpoint in allowed}
    outcomes = []
    for endpoint in endpoints:
        if endpoint.label not in allowed_labels:
            reason = (
                f"{Code.UNSAFE_SKIPPED}: {endpoint.method} on third-party provider {provider.name!r} "
                "is not fuzzed without --allow-unsafe"
            )
            outcomes.append(FuzzOutcome(endpoint.label, endpoint.name, skipped=reason))
            continue
        mine = tuple(failure for failure in failures if failure.operation == endpoint.label)
        errors = tuple(dict.fromkeys(collected.errors.get(endpoint.label, [])))
        cases = collected.cases.get(endpoint.label, 0)
        # An endpoint no request reached is not a pass: say why it went untested.
        untested = "" if cases or mine or errors else f"no case was generated or sent (run {collected.stop_reason})"
        outcomes.append(
            FuzzOutcome(
                endpoint.label,
                endpoint.name,
                cases=cases,
                failures=mine,
                errors=errors,
                skipped=untested,
                duration=collected.durations.get(endpoint.label, 0.0),
            )
        )
    return tuple(outcomes)
