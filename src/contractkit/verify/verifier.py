"""Verification: replay every pact against the provider (its cassettes on loopback, or a live base URL).

Three checks make up `contracts verify`, each one library function returning CheckResults (and one
returning a Report, for `contracts run`):

- `verify_pacts`: pact-python's Verifier (the Rust core) replays each interaction of every consumer's pact with
  the provider (ours, and every pact the registry's `consumer_pacts` folders hold for it: verify/consumers.py)
  against a ReplayServer of the provider's cassettes, or against `--base-url`; each result carries the core's
  mismatches (expected, actual, JSON path), and another consumer's rows its name. Provider states come from the registry's `states` key:
  a cassette variant (served first for the interactions in that state), a state-change URL (POSTed
  `{"state", "action", "params"}`), or a Python callable `module:function(state, action, parameters)`.
- `validate_cassettes`: every recorded response against its operation's schema (validation/recordings.py).
- `check_pacts_against_specs`: every interaction of every consumer's pact against the provider's OpenAPI slice,
  judged by the compatibility engine (compat/judge.py): an error when the interaction cannot verify against a
  provider honouring the description, a warning when it may not.

`validate_cassettes` (validation/recordings.py) reports a check on a cassette seeded from the schema it is checked
against as SEEDED, not PASSED, and holds recorded 4xx/5xx responses to the provider's `error_schema`.

Finding codes: CK421 the provider's response does not match the pact, CK422 the interaction could not
be verified (no answer, state handler failure), CK423 a cassette names an operation the registry lacks,
CK424 a provider with a contract has no pact, CK425 no cassette answers the interaction, CK426 a message
interaction is not verified (a skipped row naming it: only HTTP interactions are replayed).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from contractkit.aws import aws_action, provider_router
from contractkit.cassettes import (
    Cassette,
    IncomingRequest,
    InteractionIndex,
    ReplayServer,
    cassette_path,
    iter_cassettes,
    load_cassette,
)
from contractkit.compat import judge_interaction
from contractkit.core.auth import auth_headers, credentials
from contractkit.core.codes import Code
from contractkit.core.errors import RegistryError, UsageError, format_key_path
from contractkit.core.model import CheckResult, Finding, Provider, ProviderKind, Registry, Report, Severity, Status
from contractkit.core.routing import OperationRouter
from contractkit.pact import Pact, PactInteraction, PactRequest
from contractkit.registry import ProviderContext
from contractkit.secrets import rules_for_provider, scrub_check_result
from contractkit.validation import SEEDED_SOURCES, SpecValidator, Validators, validate_cassettes
from contractkit.verify.consumers import ConsumerPact, consumer_pacts
from contractkit.verify.core import CoreRun, run_verifier
from contractkit.verify.messages import verify_messages
from contractkit.verify.states import (
    ProviderState,
    StateDispatcher,
    group_by_cassette_states,
    with_state_failures,
)

# --------------------------------------------------------------------------- entry points


def verify_registry(
    registry: Registry,
    providers: Sequence[Provider],
    *,
    base_url: str | None = None,
    environ: Mapping[str, str] | None = None,
    allow_missing: bool = False,
    allow_unsafe: bool = False,
    validators: Validators | None = None,
) -> Report:
    """`contracts verify`: pact verification, cassette validation and the pact-vs-OpenAPI check, in one Report,
    for every consumer's pact with each provider.

    A provider with a contract but no pact of our consumer fails, unless `allow_missing` (then it is skipped).
    Against a `base_url`, operations the registry marks `safe: false` are skipped unless `allow_unsafe`.
    """
    started = time.perf_counter()
    results: list[CheckResult] = []
    validators = validators if validators is not None else Validators()  # each slice compiles once per command
    for provider in providers:
        context = ProviderContext(registry, provider, validators)  # the pact, the slice and its validator
        pacts = consumer_pacts(context)  # read once for both checks
        results += verify_pacts(
            context,
            base_url=base_url,
            environ=environ,
            allow_missing=allow_missing,
            allow_unsafe=allow_unsafe,
            pacts=pacts,
        )
        if base_url is None:
            results += validate_cassettes(registry, provider, validators, cassettes=context.cassettes)
            results += verify_messages(context)  # message interactions against the recorded events
        results += check_pacts_against_specs(context, pacts)
    where = f"against {base_url}" if base_url else "against recorded cassettes"
    names = ", ".join(provider.name for provider in providers)
    return Report(f"contracts verify {names} {where}", tuple(results), time.perf_counter() - started)


def verify_step(registry: Registry, providers: Sequence[Provider] = (), *, base_url: str | None = None) -> Report:
    """The verify step of `contracts run`: pacts replayed against cassettes (or a live base URL)."""
    return _report(
        "verify pacts",
        lambda provider: verify_pacts(ProviderContext(registry, provider), base_url=base_url),
        providers or list(registry.providers.values()),
    )


def validate_step(registry: Registry, providers: Sequence[Provider] = ()) -> Report:
    """The validate step of `contracts run`: cassette responses against schemas, pacts against OpenAPI slices."""
    return _report(
        "validate responses and pacts",
        lambda provider: (
            validate_cassettes(registry, provider) + check_pacts_against_specs(ProviderContext(registry, provider))
        ),
        providers or list(registry.providers.values()),
    )


def _report(title: str, run: Callable[[Provider], list[CheckResult]], providers: Iterable[Provider]) -> Report:
    started = time.perf_counter()
    results = [result for provider in providers for result in run(provider)]
    return Report(title, tuple(results), time.perf_counter() - started)


# --------------------------------------------------------------------------- cassette validation


def _first_message(findings: Sequence[Finding]) -> str:
    if not findings:
        return ""
    first = findings[0]
    where = f" at {first.location}" if first.location.startswith("$") else ""
    more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
    return f"{first.message}{where}{more}"


def _shown(registry: Registry, path: Path | None) -> str:
    return registry.relative(path) if path is not None else "(none)"


# --------------------------------------------------------------------------- pact vs OpenAPI


def check_pacts_against_specs(
    context: ProviderContext, pacts: Sequence[ConsumerPact] | None = None
) -> list[CheckResult]:
    """Every interaction of every consumer's pact with the provider (`pacts`, read from the registry when not given)
    judged against its OpenAPI slice, overlay applied: failed when it cannot verify against a provider honouring
    the description, passed with warnings when it may not."""
    provider = context.provider
    if provider.kind is ProviderKind.AWS or provider.spec is None:
        return []
    pacts = consumer_pacts(context) if pacts is None else pacts
    return [
        owned.labelled(_judged(context, interaction, owned.source))
        for owned in pacts
        for interaction in owned.pact.interactions
    ]


def _judged(context: ProviderContext, interaction: PactInteraction, source: str) -> CheckResult:
    """The pact-openapi row of one interaction; `source` is the file a fix goes into (the consumer's contract)."""
    started = time.perf_counter()
    provider = context.provider.name
    operation = request_operation(interaction.request, context.router)
    findings = interaction_findings(interaction, context.validator, provider=provider, operation=operation)
    failed = any(finding.severity is Severity.ERROR for finding in findings)
    return CheckResult(
        "pact-openapi",
        provider,
        operation,
        interaction.description,
        Status.FAILED if failed else Status.PASSED,
        _first_message(findings),
        time.perf_counter() - started,
        findings,
        {"contract": source},
    )


def interaction_findings(
    interaction: PactInteraction, validator: SpecValidator, *, provider: str = "", operation: str = ""
) -> tuple[Finding, ...]:
    """The compatibility engine's answer for one pact interaction against a description, as Findings: each way it
    would fail against a provider honouring the description (`interaction: reason`, at `response.body.a[*].b`)."""
    name = interaction.description or f"{interaction.request.method} {interaction.request.path}"
    return tuple(
        problem.finding(name, provider=provider, operation=operation)
        for problem in judge_interaction(interaction, validator)
    )


def request_operation(request: PactRequest, router: OperationRouter) -> str:
    """The registry operation a typed pact request belongs to ('' when none fits), asked of the command's router."""
    headers = {key.lower(): values[0] for key, values in request.headers.items() if values}
    body = request.body
    text = body if isinstance(body, (str, bytes)) else json.dumps(body) if body is not None else ""
    route = router.match(
        request.method, request.path, query_keys=request.query.keys(), action=aws_action(headers, text)
    )
    return route.name if route is not None else ""


def operation_for(provider: Provider, request: Mapping[str, Any], router: OperationRouter | None = None) -> str:
    """The registry operation a pact request in its JSON form belongs to ('' when none fits), for callers that
    hold the JSON; pass the provider's router when asking for many requests, so it is built once."""
    headers = {
        key.lower(): str(value[0] if isinstance(value, list) and value else value)
        for key, value in (request.get("headers") or {}).items()
    }
    query = request.get("query") or {}
    body = request.get("body")
    text = body if isinstance(body, str) else json.dumps(body) if body is not None else ""
    if isinstance(body, Mapping) and isinstance(body.get("content"), str):
        text = body["content"]  # a form body the pact core keeps as text
    router = router if router is not None else provider_router(provider)
    route = router.match(
        str(request.get("method", "GET")),
        str(request.get("path", "/")),
        query_keys=query.keys() if isinstance(query, Mapping) else (),
        action=aws_action(headers, text),
    )
    return route.name if route is not None else ""


# --------------------------------------------------------------------------- pact verification


def verify_pacts(
    context: ProviderContext,
    *,
    base_url: str | None = None,
    environ: Mapping[str, str] | None = None,
    allow_missing: bool = False,
    allow_unsafe: bool = False,
    pacts: Sequence[ConsumerPact] | None = None,
) -> list[CheckResult]:
    """Replay every consumer's pact with the provider (`pacts`, read from the registry when not given) with
    pact-python's Verifier; one CheckResult per interaction, another consumer's named by its consumer.

    No pact of our consumer for a provider that has a contract is a failure (the consumer run did not write it),
    unless `allow_missing`; a provider without a contract has nothing of ours to verify and is skipped.
    """
    pacts = consumer_pacts(context) if pacts is None else pacts
    results = _without_pact(context, allow_missing) if context.pact is None else []
    for owned in pacts:
        results += verify_consumer_pact(context, owned, base_url=base_url, environ=environ, allow_unsafe=allow_unsafe)
    return results


def verify_consumer_pact(
    context: ProviderContext,
    owned: ConsumerPact,
    *,
    base_url: str | None = None,
    environ: Mapping[str, str] | None = None,
    allow_unsafe: bool = False,
) -> list[CheckResult]:
    """Replay one consumer's pact against the provider's cassettes (or `base_url`); one CheckResult per interaction."""
    provider, pact = context.provider, owned.pact
    environ = environ if environ is not None else os.environ
    interactions = list(pact.interactions)
    results: list[CheckResult] = []
    if base_url is not None and not allow_unsafe:
        interactions, results = skip_unsafe(provider, interactions, context.router)
    for variants, group in group_by_cassette_states(interactions, context.settings.states).items():
        results += _verify_group(context, pact, group, variants, base_url, environ)
    offline = provider.messages and base_url is None  # verify/messages.py verifies them against recorded events
    unverified = [] if offline else messages_not_verified(provider, pact, owned.shown)
    results = [owned.labelled(result) for result in results + unverified]
    if base_url is None:
        return results
    rules = rules_for_provider(provider, credentials(provider, environ, required=False))
    return [scrub_check_result(result, rules) for result in results]  # live bodies carry live secrets


def _without_pact(context: ProviderContext, allow_missing: bool) -> list[CheckResult]:
    """A provider with a contract but no pact fails (unless `allow_missing`); one without a contract is skipped."""
    registry, provider, shown = context.registry, context.provider, _shown(context.registry, context.pact_path)
    if provider.contract is not None and provider.contract.is_file() and not allow_missing:
        finding = Finding(
            Code.PACT_MISSING,
            Severity.ERROR,
            f"provider {provider.name!r} has a contract ({_shown(registry, provider.contract)}) but no "
            f"pact at {shown}: write it with `contracts consumer --provider {provider.name}`, or pass "
            "--allow-missing",
            shown,
            provider.name,
        )
        return [CheckResult("pact", provider.name, "", "", Status.FAILED, finding.message, 0.0, (finding,))]
    return [
        CheckResult(
            "pact", provider.name, "", "", Status.SKIPPED, f"no pact at {shown} (write it with `contracts consumer`)"
        )
    ]


def messages_not_verified(provider: Provider, pact: Pact, shown: str) -> list[CheckResult]:
    """A skipped row for each message interaction of the pact, naming it: only HTTP interactions are replayed."""
    results = []
    for message in pact.messages:
        text = f"not verified: a {message.kind} interaction, and contracts verify replays HTTP interactions only"
        finding = Finding(
            Code.MESSAGE_NOT_VERIFIED,
            Severity.WARNING,
            f"{message.kind} interaction {message.description!r} not verified: only HTTP interactions are replayed",
            f"{shown}: {format_key_path(message.key_path)}",
            provider.name,
        )
        results.append(
            CheckResult(
                "pact",
                provider.name,
                "",
                message.description or f"({format_key_path(message.key_path)})",
                Status.SKIPPED,
                text,
                findings=(finding,),
                details={"pact": shown},
            )
        )
    return results


def skip_unsafe(
    provider: Provider, interactions: Sequence[PactInteraction], router: OperationRouter
) -> tuple[list[PactInteraction], list[CheckResult]]:
    """The interactions safe to send to a live provider, and a SKIPPED row for each one that is not: its
    operation is `safe: false` in the registry, or it matches no operation and its method is not read-only."""
    kept, skipped = [], []
    for interaction in interactions:
        name = request_operation(interaction.request, router)
        operation = provider.operations.get(name) if name else None
        method = interaction.request.method
        if operation.safe if operation is not None else method in ("GET", "HEAD", "OPTIONS"):
            kept.append(interaction)
            continue
        why = f"operation {name!r} is safe: false" if operation is not None else f"{method} matches no operation"
        skipped.append(
            CheckResult(
                "pact",
                provider.name,
                name,
                interaction.description,
                Status.SKIPPED,
                f"not sent to the live provider: {why}; pass --allow-unsafe to send it",
            )
        )
    return kept, skipped


def _verify_group(
    context: ProviderContext,
    pact: Pact,
    interactions: list[PactInteraction],
    variants: Sequence[ProviderState],
    base_url: str | None,
    environ: Mapping[str, str],
) -> list[CheckResult]:
    provider, states = context.provider, context.settings.states
    dispatcher = StateDispatcher(states)  # checks every callable state imports before anything runs
    cassettes = _replay_source(context, variants) if base_url is None else []
    headers = _auth_headers(provider, environ) if base_url else {}
    with tempfile.TemporaryDirectory(prefix="contractkit-verify-") as folder:
        with _target(context, cassettes, base_url, dispatcher) as (origin, state_url):
            run = run_verifier(
                provider,
                _core_document(pact, provider, interactions),
                Path(folder),
                origin,
                states,
                headers=headers,
                dispatcher=dispatcher,
                state_url=state_url,
            )
    results = _results(context, interactions, run)
    if base_url is None:
        results = _with_answering_cassettes(context, cassettes, interactions, results)
    return with_state_failures(provider, interactions, results, dispatcher.failures)


def _core_document(pact: Pact, provider: Provider, interactions: Sequence[PactInteraction]) -> dict[str, Any]:
    """The pact as the Pact core reads it, with only these HTTP interactions: serialised once, for the core alone.
    It names the provider verified, as a pact matched to it by its file name may not."""
    # without V3 `messages`: the Pact core would read the file as a message pact and skip its HTTP interactions
    top = {key: value for key, value in pact.raw.items() if key != "messages"}
    return {
        **top,
        "provider": {"name": provider.name},
        "interactions": [interaction.raw for interaction in interactions],
    }


def _with_answering_cassettes(
    context: ProviderContext,
    cassettes: Sequence[Cassette],
    interactions: Sequence[PactInteraction],
    results: list[CheckResult],
) -> list[CheckResult]:
    """Name the cassette that answered each interaction. A failure answered by a seeded cassette says that is a
    likely cause; a pass answered by one is SEEDED, not PASSED: its answer was generated from the description and
    the contract, so the check could not have failed."""
    registry = context.registry
    origin = {
        id(interaction): (cassette, index)
        for cassette in cassettes
        for index, interaction in enumerate(cassette.interactions)
    }
    index = InteractionIndex(
        [interaction for cassette in cassettes for interaction in cassette.interactions],
        context.provider,
        router=context.router,
    )
    by_description = {interaction.description: interaction for interaction in interactions}
    updated = []
    for result in results:
        interaction = by_description.get(result.interaction)
        match = index.match(_incoming(interaction.request)) if interaction else None
        if result.status is Status.FAILED and interaction and (match is None or match.interaction is None):
            updated.append(_unanswered(context, cassettes, interaction, result))
            continue
        if match is None or match.interaction is None or id(match.interaction) not in origin:
            updated.append(result)
            continue
        cassette, position = origin[id(match.interaction)]
        answered = {
            "answered_by": f"{_shown(registry, cassette.path)}#{position}",
            "matched": match.how,
            "cassette_source": cassette.source,
        }
        updated.append(_seeded(replace(result, details={**result.details, **answered}), cassette.source))
    return updated


def _seeded(result: CheckResult, source: str) -> CheckResult:
    if source not in SEEDED_SOURCES:
        return result
    answered = result.details["answered_by"]
    if result.status is Status.FAILED:
        return replace(
            result,
            message=result.message
            + (
                f" [answered by {answered}, a cassette seeded from {source}: its values are generated, not recorded; record "
                "the provider or map the pact's provider state to a cassette variant]"
            ),
        )
    if result.status is Status.PASSED:
        return replace(
            result,
            status=Status.SEEDED,
            message=(
                f"seeded: answered by {answered}, a cassette generated from {source}, not recorded: record the provider "
                "for a verdict that could fail"
            ),
        )
    return result


def _unanswered(
    context: ProviderContext, cassettes: Sequence[Cassette], interaction: PactInteraction, result: CheckResult
) -> CheckResult:
    """Say that no cassette answers the interaction (and which cassette is missing) instead of the replay's 501."""
    registry, provider = context.registry, context.provider
    asked = f"{interaction.request.method} {interaction.request.path}"
    operation = result.operation
    expected = cassette_path(provider.cassettes, operation) if operation and provider.cassettes is not None else None
    if expected is not None and not any(cassette.operation == operation for cassette in cassettes):
        message = (
            f"no cassette for operation {operation!r}: {_shown(registry, expected)} is missing, so nothing answers "
            f"{asked}; record it with `contracts record --provider {provider.name}`"
        )
        where = _shown(registry, expected)
    else:
        message = (
            f"no recorded interaction in {_shown(registry, provider.cassettes)} answers {asked}; record one "
            "that does, or map the pact's provider state to a cassette variant"
        )
        where = _shown(registry, provider.cassettes)
    finding = Finding(Code.CASSETTE_MISSING, Severity.ERROR, message, where, provider.name, operation)
    return replace(result, message=message, findings=(finding,), details={**result.details, "cassette_missing": where})


def _incoming(request: PactRequest) -> IncomingRequest:
    """The pact's request as the replay server would receive it, to ask the replay index which cassette answers."""
    query = urlencode([(key, value) for key, values in request.query.items() for value in values])
    headers = {key.lower(): values[0] for key, values in request.headers.items() if values}
    body = request.body
    raw = (
        b""
        if body is None
        else body
        if isinstance(body, bytes)
        else (body.encode() if isinstance(body, str) else json.dumps(body).encode())
    )
    return IncomingRequest(request.method.upper(), f"{request.path}?{query}" if query else request.path, headers, raw)


@contextlib.contextmanager
def _target(
    context: ProviderContext, cassettes: Sequence[Cassette], base_url: str | None, dispatcher: StateDispatcher
) -> Iterator[tuple[str, str]]:
    """The origin the Verifier sends requests to, and the state-change URL that calls `dispatcher` ('' live)."""
    if base_url is not None:
        yield live_origin(context.provider, base_url), ""
        return
    with ReplayServer(
        cassettes, provider=context.provider, router=context.router, on_state_change=dispatcher
    ) as server:
        yield server.origin, server.state_change_url


def live_origin(provider: Provider, base_url: str) -> str:
    """The URL the Verifier sends pact paths to: pact paths already carry the provider's base path (/api)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"--base-url {base_url!r} is not an http(s) URL", hint="write it as https://host[:port][/base-path]"
        )
    path = parts.path.rstrip("/")
    if provider.base_path and path.endswith(provider.base_path):
        path = path[: -len(provider.base_path)]
    return f"{parts.scheme}://{parts.netloc}{path}"


def _replay_source(context: ProviderContext, variants: Sequence[ProviderState]) -> list[Cassette]:
    provider, source = context.provider, []
    for state in variants:  # variant cassettes first, so their interactions win over the default recording
        path = state.cassette
        if path is None or not path.exists():
            raise RegistryError(
                f"provider state {state.name!r}: cassette {path or state.target} does not exist",
                key_path=("providers", provider.name, "states", state.name, "cassette"),
            )
        source += [load_cassette(path)] if path.is_file() else list(iter_cassettes(path))
    source += context.cassettes
    if not source:
        raise UsageError(
            f"provider {provider.name!r} has no cassettes at {provider.cassettes}",
            hint="record them with `contracts record`, or verify live with --base-url",
        )
    return source


def _auth_headers(provider: Provider, environ: Mapping[str, str]) -> dict[str, str]:
    """Credentials for live verification, read from the environment variables the registry names."""
    auth = provider.auth
    if auth.scheme == "none" or not auth.env:
        return {}
    if auth.scheme == "aws-sigv4":
        raise UsageError(
            f"live verification of {provider.name!r} needs request signing (aws-sigv4), which a pact replay cannot do",
            hint="verify AWS providers against their cassettes (omit --base-url)",
        )
    headers, query = auth_headers(provider, credentials(provider, environ))  # the one check, the one builder
    if query:
        raise UsageError(
            f"live verification of {provider.name!r} cannot add its query-parameter credential to the pact's requests",
            hint="verify it against its cassettes (omit --base-url)",
        )
    return headers


def _results(context: ProviderContext, interactions: Sequence[PactInteraction], run: CoreRun) -> list[CheckResult]:
    provider = context.provider
    by_description = {str(item.get("description", "")): item for item in run.results.get("interactionResults") or []}
    results = []
    for interaction in interactions:
        operation = request_operation(interaction.request, context.router)
        outcome = by_description.get(interaction.description)
        if outcome is None:
            results.append(_no_result(provider, operation, interaction.description, run.error))
            continue
        results.append(_result(provider, operation, interaction.description, outcome))
    if run.error and not any(result.status is Status.FAILED for result in results):
        results.append(_core_failure(provider, run.error))  # the core failed although no interaction says why
    return results


def _no_result(provider: Provider, operation: str, description: str, error: str) -> CheckResult:
    message = "the Pact core reported no result for this interaction" + (f": {error}" if error else "")
    finding = Finding(Code.NOT_VERIFIED, Severity.ERROR, message, "", provider.name, operation)
    return CheckResult("pact", provider.name, operation, description, Status.FAILED, message, 0.0, (finding,))


def _core_failure(provider: Provider, error: str) -> CheckResult:
    message = f"the Pact core failed: {error}"
    finding = Finding(Code.NOT_VERIFIED, Severity.ERROR, message, "", provider.name)
    return CheckResult("pact", provider.name, "", "(the Pact core)", Status.FAILED, message, 0.0, (finding,))


def _result(provider: Provider, operation: str, description: str, outcome: Mapping[str, Any]) -> CheckResult:
    duration = _duration(str(outcome.get("duration", "0ms")))
    details = {"provider_states": list(outcome.get("providerStates") or [])}
    if outcome.get("result") == "OK":
        return CheckResult("pact", provider.name, operation, description, Status.PASSED, "", duration, (), details)
    mismatch = outcome.get("mismatch") or {}
    # the Pact core reports mismatches in no fixed order: sorted, the same failure gives the same headline every run
    findings = tuple(
        sorted(
            (_mismatch_finding(provider, operation, item) for item in mismatch.get("mismatches") or []),
            key=lambda finding: (finding.location, finding.code, finding.message),
        )
    )
    if not findings:
        findings = (
            Finding(
                Code.NOT_VERIFIED,
                Severity.ERROR,
                str(mismatch.get("message") or mismatch or "verification failed"),
                "",
                provider.name,
                operation,
            ),
        )
    mismatches = sorted(
        (
            {key: item.get(key) for key in ("type", "path", "expected", "actual", "mismatch")}
            for item in mismatch.get("mismatches") or []
        ),
        key=lambda item: json.dumps(item, sort_keys=True),
    )
    return CheckResult(
        "pact",
        provider.name,
        operation,
        description,
        Status.FAILED,
        _first_message(findings),
        duration,
        findings,
        {**details, "mismatches": mismatches},
    )


def _mismatch_finding(provider: Provider, operation: str, item: Mapping[str, Any]) -> Finding:
    kind = str(item.get("type", "Mismatch"))
    text = str(item.get("mismatch") or "")
    expected, actual = item.get("expected"), item.get("actual")
    if kind == "StatusMismatch":
        text = f"expected status {expected}, got {actual}"
    elif kind != "BodyMismatch" or not text:
        text = f"{text or kind}: expected {_clip(expected)}, got {_clip(actual)}"
    location = str(item.get("path") or ("status" if kind == "StatusMismatch" else item.get("key") or ""))
    return Finding(Code.PACT_MISMATCH, Severity.ERROR, text, location, provider.name, operation)


def _clip(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 120 else text[:117] + "..."


def _duration(text: str) -> float:
    """The core's `12ms` or `1.5s` in seconds; 0.0 for a duration it wrote in no form it is known to use."""
    text = text.strip()
    number, scale = (text[:-2], 1000) if text.endswith("ms") else (text[:-1], 1) if text.endswith("s") else ("", 1)
    try:
        return float(number) / scale
    except ValueError:
        return 0.0


__all__ = [
    "SEEDED_SOURCES",
    "ProviderState",
    "StateDispatcher",
    "CoreRun",
    "check_pacts_against_specs",
    "interaction_findings",
    "messages_not_verified",
    "operation_for",
    "request_operation",
    "run_verifier",
    "validate_cassettes",
    "validate_step",
    "verify_consumer_pact",
    "verify_pacts",
    "verify_registry",
    "verify_step",
]
