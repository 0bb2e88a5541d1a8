"""Record cassettes: call each operation through vcrpy, scrub, and write atomically, one file per operation.

Safety first: an operation the registry does not mark `safe` is never sent without `allow_unsafe`;
`dry_run` only plans; every run has a request budget; anything a run creates carries the
registry's `record.name_prefix` and is cleaned up afterwards. vcrpy records into memory (a
persister that never touches disk), so a secret is scrubbed before any byte is written, and a
cassette is replaced only by a complete file (temporary file, then rename): a run that fails or is
killed leaves every earlier cassette as it was.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping
from urllib.parse import urlencode, urlsplit

from contractkit import __version__ as TOOLKIT_VERSION
from contractkit.aws import snake_name
from contractkit.cassettes import (
    Cassette,
    RecordedInteraction,
    cassette_path,
    dump_interactions,
    iter_drift,
    iter_pact_breaks,
    load_cassette,
    write_cassette,
)
from contractkit.core.auth import auth_headers, credentials
from contractkit.core.codes import Code
from contractkit.core.errors import CassetteError, UsageError
from contractkit.core.loading import parse_json_value
from contractkit.core.model import Finding, Operation, Provider, Severity
from contractkit.recording.plan import (
    HttpCall,
    OperationOutcome,
    PlannedCall,
    RecordOptions,
    RecordRun,
    plan_recording,
    scrub_rules,
)
from contractkit.recording.vcr import aws_content_type, finish_interaction, recorded_through_vcr
from contractkit.secrets import ScrubRules, mask_volatile, scrub_text
from contractkit.validation import validate_response


def record_provider(
    provider: Provider,
    operations: Iterable[Operation],
    options: RecordOptions,
    *,
    aws_client_factory: Callable[[str], Any] | None = None,
    on_outcome: Callable[[OperationOutcome], None] | None = None,
) -> RecordRun:
    """Record every planned operation of a provider; each cassette is written as soon as it is recorded."""
    plans = plan_recording(provider, operations, options)
    # moto answers any key, so only a run that reaches the provider needs the credentials the registry names
    secrets = credentials(provider, options.environ, required=not options.dry_run and options.source != "moto")
    rules = scrub_rules(provider, secrets)
    outcomes, sent = [], 0
    with scrubbed_logging(rules):
        for plan in plans:
            outcome = _run_plan(provider, plan, options, secrets, rules, aws_client_factory)
            sent += outcome.requests
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
    return RecordRun(provider.name, tuple(outcomes), sent, options.source, options.dry_run)


def _run_plan(
    provider: Provider,
    plan: PlannedCall,
    options: RecordOptions,
    secrets: Mapping[str, str],
    rules: ScrubRules,
    aws_client_factory: Callable[[str], Any] | None,
) -> OperationOutcome:
    if options.dry_run or plan.skip_reason:
        outcome = OperationOutcome(
            plan.operation.name,
            "skipped" if plan.skip_reason else "planned",
            plan.skip_reason or f"would send {_where(provider, plan, options)}",
        )
    else:
        outcome = _record_one(provider, plan, options, secrets, rules, aws_client_factory)
    return scrub_outcome(outcome, rules)


@contextmanager
def scrubbed_logging(rules: ScrubRules) -> Iterator[None]:
    """While recording, every log record (urllib3, botocore, ours) is scrubbed before a handler sees it: those
    libraries log request lines and URLs, query credentials included. vcrpy's own INFO and DEBUG records repeat
    whole requests and responses as Python reprs, which no structure can be read from: they are held back."""
    previous = logging.getLogRecordFactory()
    vcr_logger = logging.getLogger("vcr")
    vcr_level = vcr_logger.level
    vcr_logger.setLevel(max(logging.WARNING, vcr_level))

    def scrubbing_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record is left for logging to report
            return record
        record.msg, record.args = scrub_text(message, rules), ()
        return record

    logging.setLogRecordFactory(scrubbing_factory)
    try:
        yield
    finally:
        logging.setLogRecordFactory(previous)
        vcr_logger.setLevel(vcr_level)


def scrub_outcome(outcome: OperationOutcome, rules: ScrubRules) -> OperationOutcome:
    """An outcome whose message and findings are safe to print: a connection error repeats the URL it tried,
    query credentials included."""
    findings = tuple(
        replace(item, message=scrub_text(item.message, rules), location=scrub_text(item.location, rules))
        for item in outcome.findings
    )
    return replace(outcome, message=scrub_text(outcome.message, rules), findings=findings)


def _where(provider: Provider, plan: PlannedCall, options: RecordOptions) -> str:
    origin = _origin(options.base_url or provider.base_url)
    if plan.request is not None:
        return f"{plan.request.method} {origin}{plan.request.target}"
    return f"{plan.label} to {origin}"


def _record_one(
    provider: Provider,
    plan: PlannedCall,
    options: RecordOptions,
    secrets: Mapping[str, str],
    rules: ScrubRules,
    aws_client_factory: Callable[[str], Any] | None,
) -> OperationOutcome:
    started = time.perf_counter()
    operation = plan.operation
    if plan.aws_params is not None:
        if aws_client_factory is None:
            raise UsageError("recording an AWS provider needs a boto3 client factory (use record_aws)")
        recorded, error = recorded_through_vcr(
            lambda: getattr(aws_client_factory(operation.service or ""), snake_name(operation.aws_operation or ""))(
                **(plan.aws_params or {})
            )
        )
        extra = {
            "call": {
                "service": operation.service,
                "operation": operation.aws_operation,
                "params": dict(plan.aws_params),
            }
        }
    else:
        recorded, error = recorded_through_vcr(lambda: _send_http(provider, plan.request, options, secrets))
        extra = {}
    outcome = _store(provider, operation, recorded, error, rules, options, extra)
    cleanup_note = _cleanup(provider, operation, recorded, options, secrets) if recorded and not operation.safe else ""
    requests = len(recorded) + (1 if cleanup_note else 0)
    message = f"{outcome.message}; {cleanup_note}" if cleanup_note else outcome.message
    return replace(outcome, requests=max(requests, 1), duration=time.perf_counter() - started, message=message)


def _send_http(provider: Provider, call: HttpCall | None, options: RecordOptions, secrets: Mapping[str, str]) -> None:
    import requests

    assert call is not None
    headers, query = auth_headers(provider, secrets)
    origin = _origin(options.base_url or provider.base_url)
    target = call.target
    if query:
        target += ("&" if "?" in target else "?") + urlencode(query)
    with requests.Session() as session:
        session.trust_env = False  # never through a proxy from the environment
        session.request(
            call.method,
            origin + target,
            headers={**call.headers, **headers},
            data=call.body,
            timeout=options.timeout,
            allow_redirects=False,
        )


def _origin(base_url: str) -> str:
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


def _store(
    provider: Provider,
    operation: Operation,
    recorded: list[RecordedInteraction],
    error: BaseException | None,
    rules: ScrubRules,
    options: RecordOptions,
    extra: Mapping[str, Any],
) -> OperationOutcome:
    name = operation.name
    failure = _failure(recorded, error)
    gap = options.source == "moto" and is_moto_gap(recorded)
    if gap:
        failure += " (moto answers 500 for actions it does not implement: seed it with --from-spec botocore)"
    if failure:
        finding = Finding(
            Code.RECORD_FAILED,
            Severity.ERROR,
            f"recording failed: {failure}; the cassette was not changed",
            provider=provider.name,
            operation=name,
        )
        return OperationOutcome(name, "failed", failure, findings=(finding,), moto_gap=gap)
    assert provider.cassettes is not None
    path = cassette_path(provider.cassettes, name)
    interactions = tuple(finish_interaction(item, rules, name) for item in recorded[-1:])
    if options.source == "moto" and operation.service:
        interactions, note = aws_content_type(operation, interactions)
        extra = {**extra, **({"normalised": note} if note else {})}
    metadata = {
        "provider": provider.name,
        "operation": name,
        "source": options.source,
        "recorded_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "toolkit": f"contractkit {TOOLKIT_VERSION}",
        **extra,
    }
    new = Cassette(path, interactions, metadata)
    return compare_and_write(provider, operation, path, new, options.pact_file)


def _failure(recorded: list[RecordedInteraction], error: BaseException | None) -> str:
    if not recorded:
        return f"no response ({type(error).__name__}: {error})" if error else "no request was sent"
    status = recorded[-1].response.status
    if status >= 400:  # an error answer must never replace a good recording
        return f"the provider answered {status} {recorded[-1].response.reason}".rstrip()
    return ""


def is_moto_gap(recorded: list[RecordedInteraction]) -> bool:
    """True when moto answered its generic HTML 500 page: the action is one moto does not implement (an AWS
    error, even a 500, is XML or JSON)."""
    return bool(recorded) and recorded[-1].response.status == 500 and recorded[-1].response.content_type == "text/html"


def is_same_answer(old: Cassette, new: Cassette) -> bool:
    """True when two recordings differ at most in volatile values (dates, request ids, server banners,
    generated ids) and in response headers the old recording did not have: re-recording an unchanged answer
    then rewrites nothing. A header the provider starts sending is informational until something reads it (no
    consumer or cassette could depend on it yet), so a newer provider or moto release adding one changes no file."""
    return dump_interactions([mask_volatile(item) for item in old.interactions]) == dump_interactions(
        [mask_volatile(item) for item in _without_added_headers(new, old)]
    )


def added_headers(old: Cassette, new: Cassette) -> list[str]:
    """Response headers the new recording has and the old one lacks, by interaction, sorted and distinct."""
    names = {name for before, after in zip(old.interactions, new.interactions) for name in _added(before, after)}
    return sorted(names, key=str.lower)


def _added(before: RecordedInteraction, after: RecordedInteraction) -> set[str]:
    known = {name.lower() for name in before.response.headers}
    return {name for name in after.response.headers if name.lower() not in known}


def _without_added_headers(new: Cassette, old: Cassette) -> list[RecordedInteraction]:
    """The new interactions without the headers their old counterparts lacked (extra interactions as they are)."""
    kept = list(new.interactions)
    for index, (before, after) in enumerate(zip(old.interactions, new.interactions)):
        added = _added(before, after)
        headers = {name: values for name, values in after.response.headers.items() if name not in added}
        kept[index] = replace(after, response=replace(after.response, headers=headers))
    return kept


def compare_and_write(
    provider: Provider, operation: Operation, path: Path, new: Cassette, pact_file: Path | None = None
) -> OperationOutcome:
    """Write a new recording unless it gives the same answer as the cassette on disk; drift and breaks found."""
    old = _load_previous(path)
    if old is not None and is_same_answer(old, new):
        added = added_headers(old, new)
        note = (
            f"no change (the provider now also sends {', '.join(added)}: informational, not recorded)"
            if added
            else "no change"
        )
        return OperationOutcome(operation.name, "unchanged", note, path=path)
    findings = tuple(iter_drift(old, new)) if old is not None else ()
    breaking = tuple(recorded_schema_findings(provider, operation, new)) + tuple(
        pact_findings(provider, new, pact_file)
    )
    write_cassette(new)
    if old is None:
        return OperationOutcome(
            operation.name, "recorded", "new cassette", path, breaking, breaks_schema_or_pact(breaking)
        )
    if findings or breaking:
        summary = f"{len(findings)} shape change(s)" + (
            ", breaks the registered schema or pact" if breaks_schema_or_pact(breaking) else ""
        )
        return OperationOutcome(
            operation.name, "drifted", summary, path, findings + breaking, breaks_schema_or_pact(breaking)
        )
    return OperationOutcome(operation.name, "recorded", "values changed, shape unchanged", path)


def breaks_schema_or_pact(findings: Iterable[Finding]) -> bool:
    """True when any schema or pact finding is an error (a schema that could not be checked is a warning)."""
    return any(finding.severity is Severity.ERROR for finding in findings)


def pact_findings(provider: Provider, cassette: Cassette, pact_file: Path | None) -> Iterator[Finding]:
    """CK311 findings for pact interactions of this operation that the new recording no longer satisfies."""

    if pact_file is None or not pact_file.exists():
        return
    try:
        data = parse_json_value(pact_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CassetteError(f"cannot read the pact ({exc})", file=pact_file) from exc
    for finding in iter_pact_breaks(data, cassette.interactions, provider):
        if finding.operation == cassette.operation:
            yield replace(finding, provider=provider.name)


def _load_previous(path: Path) -> Cassette | None:
    if not path.exists():
        return None
    try:
        return load_cassette(path)
    except CassetteError:
        return None


def recorded_schema_findings(provider: Provider, operation: Operation, cassette: Cassette) -> Iterator[Finding]:
    """CK310 findings for responses that violate the operation's registered schema."""

    for interaction in cassette.interactions:
        response = interaction.response
        headers = {name: values[0] for name, values in response.headers.items() if values}
        try:
            problems = validate_response(provider, operation, response.status, headers, response.body_bytes)
        except Exception as exc:  # noqa: BLE001 - a schema that cannot load is reported, not fatal to recording
            problems = [Finding(Code.SCHEMA_NOT_CHECKED, Severity.WARNING, f"schema not checked: {exc}")]
        for problem in problems:
            severity = Severity.ERROR if problem.severity is Severity.ERROR else problem.severity
            yield Finding(
                Code.SCHEMA_BROKEN,
                severity,
                f"{problem.code}: {problem.message}",
                problem.location,
                provider.name,
                operation.name,
            )


def _cleanup(
    provider: Provider,
    operation: Operation,
    recorded: list[RecordedInteraction],
    options: RecordOptions,
    secrets: Mapping[str, str],
) -> str:
    """Delete what an unsafe operation created, when the registry says how (record.cleanup)."""
    rule = provider.settings.record.cleanup.get(operation.name)
    if rule is None or not recorded:
        return ""
    import requests

    try:
        created = recorded[-1].response.json()
    except CassetteError:
        created = {}
    path = provider.base_path + rule.path
    for key, value in created.items() if isinstance(created, dict) else ():
        path = path.replace("{" + key + "}", str(value))
    if "{" in path:
        return f"clean-up skipped: cannot fill {path} from the response"
    headers, _ = auth_headers(provider, secrets)
    with requests.Session() as session:
        session.trust_env = False
        answer = session.request(
            rule.method, _origin(options.base_url or provider.base_url) + path, headers=headers, timeout=options.timeout
        )
    return f"cleaned up with {rule.method} {path} ({answer.status_code})"
