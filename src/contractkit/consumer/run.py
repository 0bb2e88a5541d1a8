"""The consumer run: contract interactions -> Pact mock server (pact-python FFI) -> pacts/*.json.

Every interaction is served by its own mock server and its own request is replayed against it,
so a contract whose request contradicts its own matchers fails. The pact core writes one fragment
per interaction; fragments are merged into `pacts/<consumer>-<provider>.json` in a stable order,
so the same contracts always give the same bytes, whether they ran serially or on xdist workers.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Collection, Iterable, Iterator, Mapping, Sequence

from contractkit import validation  # owned by the verification side; the agreed seam
from contractkit.consumer.aws_shapes import aws_http_shape, response_bytes
from contractkit.consumer.contractfile import (
    ContractFile,
    ContractInteraction,
    HttpRequest,
    HttpResponse,
    example_of,
    load_contract_file,
    to_pact_value,
)
from contractkit.consumer.messages import run_messages
from contractkit.core.codes import Code
from contractkit.core.errors import PactFileError, UsageError
from contractkit.core.files import write_json_atomic, write_text_atomic
from contractkit.core.loading import parse_json_value
from contractkit.core.model import CheckResult, Finding, Provider, Registry, Report, Severity, Status

if TYPE_CHECKING:
    from pact import Pact

PACT_SPECIFICATION = "V4"
# Finding codes of the consumer side (CK2xx)


@dataclass(frozen=True, slots=True)
class ShapedInteraction:
    """A contract interaction with its concrete HTTP request and response (AWS ones derived from botocore)."""

    interaction: ContractInteraction
    request: HttpRequest
    response: HttpResponse


@dataclass(slots=True)
class MockService:
    """A running Pact mock server for some interactions; `url` is the provider's base URL on the mock."""

    url: str
    root_url: str
    provider: str
    interactions: tuple[ShapedInteraction, ...]
    mismatches: list[Any] = field(default_factory=list)
    fragments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        """True when every request matched and every interaction was received."""
        return not self.mismatches


def shape_interaction(provider: Provider, interaction: ContractInteraction) -> ShapedInteraction:
    """The concrete HTTP shape of an interaction (derived from botocore's model for AWS)."""
    if interaction.aws is not None:
        request, response = aws_http_shape(provider, provider.operations[interaction.operation], interaction)
        return ShapedInteraction(interaction, request, response)
    assert interaction.request is not None and interaction.response is not None
    return ShapedInteraction(interaction, interaction.request, interaction.response)


def load_shaped(provider: Provider, display: str | None = None) -> tuple[ContractFile, tuple[ShapedInteraction, ...]]:
    """Load the provider's contract file and shape every interaction in it."""
    contract = load_contract_file(provider, display=display or _display(provider.contract))
    return contract, tuple(shape_interaction(provider, interaction) for interaction in contract.interactions)


def build_pact(
    consumer: str, provider: str, shaped: Sequence[ShapedInteraction]
) -> tuple[Pact, dict[tuple[str, ...], dict[str, bool]]]:
    """A V4 Pact holding the interactions, and the `$null_or` paths of each response body.

    The paths are keyed by description and provider state names, which is how the pact file names them.
    """
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
    from pact import Pact

    pact = Pact(consumer, provider).with_specification(PACT_SPECIFICATION)
    null_paths: dict[tuple[str, ...], dict[str, bool]] = {}
    for item in shaped:
        key = (item.interaction.description, *(state.name for state in item.interaction.states))
        null_paths[key] = _add_interaction(pact, item)
    return pact, null_paths


def _add_interaction(pact: Pact, item: ShapedInteraction) -> dict[str, bool]:
    interaction = pact.upon_receiving(item.interaction.description)
    for state in item.interaction.states:
        if state.params:
            interaction.given(state.name, dict(state.params))
        else:
            interaction.given(state.name)
    interaction.set_comment("operation", item.interaction.operation)
    _add_request(interaction, item.request)
    null_paths: dict[str, bool] = {}
    _add_response(interaction, item.response, null_paths)
    return null_paths


def _add_request(interaction: Any, request: HttpRequest) -> None:
    interaction.with_request(request.method, request.path)
    for name, value in request.query.items():
        for one in value if isinstance(value, list) else [value]:
            interaction.with_query_parameter(name, to_pact_value(one, "$", {}))
    for name, value in request.headers.items():
        interaction.with_header(name, to_pact_value(value, "$", {}), part="Request")
    if request.raw_body is not None:
        interaction.with_body(request.raw_body.decode("utf-8"), content_type=request.content_type, part="Request")
    elif request.body is not None:
        interaction.with_body(
            json.dumps(to_pact_value(request.body, "$", {}), cls=_encoder()),
            content_type=request.content_type or "application/json",
            part="Request",
        )


def _add_response(interaction: Any, response: HttpResponse, null_paths: dict[str, bool]) -> None:
    interaction.will_respond_with(response.status)
    declared = {name.lower() for name in response.headers}
    if response.xml_root is not None or response.content_type == "application/json" and "content-type" not in declared:
        _add_typed_body(interaction, response, null_paths)
        return
    for name, value in response.headers.items():
        interaction.with_header(name, to_pact_value(value, "$", {}), part="Response")
    if response.body is not None:
        body = json.dumps(to_pact_value(response.body, "$", null_paths), cls=_encoder())
        interaction.with_body(body, content_type=response.content_type, part="Response")


def _add_typed_body(interaction: Any, response: HttpResponse, null_paths: dict[str, bool]) -> None:
    # The pact core only reads matchers out of bodies it knows as JSON or XML, so the body goes in
    # under the generic type and the provider's own Content-Type (text/xml) is set after.
    if response.xml_root is not None:
        from pact import xml

        interaction.with_body(xml.body(response.xml_root), content_type="application/xml", part="Response")
    elif response.body is not None:
        body = json.dumps(to_pact_value(response.body, "$", null_paths), cls=_encoder())
        interaction.with_body(body, content_type="application/json", part="Response")
    for name, value in response.headers.items():
        interaction.with_header(name, to_pact_value(value, "$", {}), part="Response")


def _encoder() -> type[json.JSONEncoder]:
    from pact.match.matcher import IntegrationJSONEncoder

    return IntegrationJSONEncoder


@contextmanager
def serve(consumer: str, provider: Provider, shaped: Sequence[ShapedInteraction]) -> Iterator[MockService]:
    """Serve the interactions on a Pact mock server on 127.0.0.1; on exit record mismatches and pact fragments."""
    pact, null_paths = build_pact(consumer, provider.name, shaped)
    with pact.serve(addr="127.0.0.1", raises=False, verbose=False) as server:
        root = str(server.url).rstrip("/")
        service = MockService(
            url=root + provider.base_path, root_url=root, provider=provider.name, interactions=tuple(shaped)
        )
        try:
            yield service
        finally:
            service.mismatches = list(server.mismatches)
            if service.matched:
                service.fragments = _fragments(server, null_paths)


def _fragments(server: Any, null_paths: Mapping[tuple[str, ...], Mapping[str, bool]]) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="contractkit-pact-") as folder:
        server.write_file(folder, overwrite=True)
        (written,) = Path(folder).glob("*.json")
        data = parse_json_value(written.read_text(encoding="utf-8"))
    header = {key: value for key, value in data.items() if key != "interactions"}
    fragments = []
    for interaction in data["interactions"]:
        key = (interaction["description"], *(state["name"] for state in interaction.get("providerStates", [])))
        apply_null_or(interaction, null_paths.get(key, {}))
        qualify_xml_rules(interaction)
        fragments.append({**header, "interactions": [interaction]})
    return fragments


def apply_null_or(interaction: dict[str, Any], paths: Mapping[str, bool]) -> None:
    """Turn the response rule at every `$null_or` path into `null OR <the rule that was there>`."""
    if not paths:
        return
    rules = interaction["response"].setdefault("matchingRules", {}).setdefault("body", {})
    for path in sorted(paths):
        existing = rules.get(path, {}).get("matchers") or [{"match": "type"}]
        rules[path] = {"combine": "OR", "matchers": [{"match": "null"}, *existing]}
    interaction["response"]["matchingRules"]["body"] = dict(sorted(rules.items()))


_XML_NAMESPACE = re.compile(r"""<(?![?!])[^>]*?\sxmlns=["']([^"']+)["']""")


def qualify_xml_rules(interaction: dict[str, Any]) -> None:
    """Name XML body rules by namespace-qualified element, as the verifier names the elements it reads.

    The pact core writes `$.ListUsersResponse.ListUsersResult...` but, for a document with a default
    namespace (every AWS XML answer), it looks rules up as `$['<namespace>:ListUsersResponse']...`;
    unqualified rules would silently fall back to comparing every value for equality.
    """
    body = interaction["response"].get("body") or {}
    rules = interaction["response"].get("matchingRules", {}).get("body")
    if "xml" not in str(body.get("contentType", "")) or not rules or not isinstance(body.get("content"), str):
        return
    found = _XML_NAMESPACE.search(body["content"])
    if found is None:
        return
    namespace = found.group(1)
    qualified = {}
    for path, rule in rules.items():
        parts = path[2:].split(".") if path.startswith("$.") else []
        key = "$" + "".join(
            f"['{part}']" if part.startswith(("#", "@")) else f"['{namespace}:{part}']" for part in parts
        )
        qualified[key if parts else path] = rule
    interaction["response"]["matchingRules"]["body"] = dict(sorted(qualified.items()))


def replay_request(service: MockService, item: ShapedInteraction, timeout: float = 10.0) -> tuple[int, bytes]:
    """Send the interaction's own example request to the mock server; return status and body."""
    import urllib.error
    import urllib.request
    from urllib.parse import urlencode

    request = item.request
    query = [
        (name, str(example_of(one)))
        for name, value in request.query.items()
        for one in (value if isinstance(value, list) else [value])
    ]
    url = service.root_url + request.path + (f"?{urlencode(query)}" if query else "")
    headers = {name: str(example_of(value)) for name, value in request.headers.items()}
    body = request.raw_body
    if body is None and request.body is not None:
        body = json.dumps(example_of(request.body)).encode()
    if body is not None:
        headers.setdefault("Content-Type", request.content_type or "application/json")
    outgoing = urllib.request.Request(url, data=body, headers=headers, method=request.method)
    try:
        with urllib.request.urlopen(outgoing, timeout=timeout) as answer:  # noqa: S310 - loopback mock only
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def iter_schema_findings(
    provider: Provider, item: ShapedInteraction, validators: validation.Validators | None = None
) -> Iterator[Finding]:
    """Findings for an example response that the provider's response schema does not allow."""
    operation = provider.operations[item.interaction.operation]
    if item.interaction.aws is not None:
        body: Any = response_bytes(item.response)  # AWS responses are checked on the wire, as botocore reads them
    else:
        body = example_of(item.response.body)
    headers = {name: str(example_of(value)) for name, value in item.response.headers.items()}
    try:
        found = validation.validate_response(
            provider, operation, item.response.status, headers, body, validators=validators
        )
    except ImportError as exc:  # the validator cannot run here: say so rather than pass silently
        yield Finding(
            code=Code.SCHEMA_UNCHECKED,
            severity=Severity.WARNING,
            message=f"the example response was not checked against the provider's schema ({exc})",
            provider=provider.name,
            operation=operation.name,
        )
        return
    for finding in found:
        if finding.severity is Severity.ERROR:
            yield Finding(
                code=Code.SCHEMA_VIOLATION,
                severity=Severity.ERROR,
                message=f"the example response violates the provider's schema: {finding.message} ({finding.code})",
                location=finding.location,
                provider=provider.name,
                operation=operation.name,
            )


def check_contract_interaction(
    consumer: str, provider: Provider, item: ShapedInteraction, validators: validation.Validators | None = None
) -> tuple[CheckResult, list[dict[str, Any]]]:
    """Serve one interaction, replay its own request, validate its example; a result and its pact fragments."""
    started = time.perf_counter()
    findings: list[Finding] = list(iter_schema_findings(provider, item, validators))
    with serve(consumer, provider, [item]) as service:
        status, _ = replay_request(service, item)
    findings += _mock_findings(provider, item, service, status)
    failed = any(finding.severity is Severity.ERROR for finding in findings)
    return CheckResult(
        check="consumer",
        provider=provider.name,
        operation=item.interaction.operation,
        interaction=item.interaction.description,
        status=Status.FAILED if failed else Status.PASSED,
        message="; ".join(f.message for f in findings),
        duration=time.perf_counter() - started,
        findings=tuple(findings),
    ), ([] if failed else service.fragments)


def _mock_findings(provider: Provider, item: ShapedInteraction, service: MockService, status: int) -> list[Finding]:
    where = f"{item.interaction.file}:{item.interaction.line}" if item.interaction.line else item.interaction.file
    common: dict[str, Any] = dict(
        severity=Severity.ERROR, location=where, provider=provider.name, operation=item.interaction.operation
    )
    findings = [
        Finding(
            code=Code.NOT_RECEIVED if type(m).__name__ == "MissingRequest" else Code.REQUEST_MISMATCH,
            message=f"the interaction's own request does not satisfy its contract: {describe_mismatch(m)}",
            **common,
        )
        for m in service.mismatches
    ]
    if not findings and status != item.response.status:
        findings.append(
            Finding(
                code=Code.UNEXPECTED_RESPONSE,
                message=f"the mock answered {status}, the contract expects {item.response.status}",
                **common,
            )
        )
    return findings


def describe_mismatch(mismatch: Any) -> str:
    """One line for a pact mismatch object."""
    inner = getattr(mismatch, "mismatches", None)
    if inner:
        return "; ".join(getattr(m, "mismatch", None) or str(m) for m in inner)
    return str(mismatch).replace("\n", " ")


def run_consumer(
    registry: Registry,
    providers: Iterable[str] = (),
    pacts: Path | None = None,
    validators: validation.Validators | None = None,
) -> Report:
    """Run every contract interaction of the selected providers through the mock and write their pacts; pass the
    command's `validators` when it validates the same slices again later (`contracts run`)."""
    validators = validators if validators is not None else validation.Validators()
    started = time.perf_counter()
    results: list[CheckResult] = []
    for provider in registry.select_providers(providers):
        results += run_provider(registry, provider, pacts, validators)
    return Report(
        title=f"consumer contracts of {registry.consumer}",
        results=tuple(results),
        duration=time.perf_counter() - started,
    )


def run_provider(
    registry: Registry, provider: Provider, pacts: Path | None = None, validators: validation.Validators | None = None
) -> list[CheckResult]:
    """Check one provider's interactions and write its pact when all of them hold."""
    _, shaped = load_shaped(provider)
    results, fragments = [], []
    validators = validators if validators is not None else validation.Validators()  # each schema compiles once
    for item in shaped:
        result, produced = check_contract_interaction(registry.consumer, provider, item, validators)
        results.append(result)
        fragments += produced
    if provider.messages:  # events and webhooks: each message through its handler (consumer/messages.py)
        message_results, message_fragments = run_messages(
            registry.consumer, provider, registry.root, display=_display(provider.contract)
        )
        results += message_results
        fragments += message_fragments
    if fragments and all(result.status is Status.PASSED for result in results):
        write_pact((pacts or registry.pacts) / f"{registry.consumer}-{provider.name}.json", fragments)
    return results


def _display(path: Path | None) -> str | None:
    """A contract path as users see it: relative to the working folder when inside it."""
    if path is None:
        return None
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def merge_fragments(fragments: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """One pact from fragments: interactions deduplicated and sorted by description and provider states."""
    merged: dict[str, Any] = {}
    interactions: dict[str, dict[str, Any]] = {}
    for fragment in fragments:
        if not merged:
            merged = {key: value for key, value in fragment.items() if key != "interactions"}
        for interaction in fragment["interactions"]:
            interactions[_sort_key(interaction)] = interaction
    if not merged:
        raise PactFileError("no interactions to write")
    return {
        "consumer": merged["consumer"],
        "interactions": [interactions[key] for key in sorted(interactions)],
        "metadata": merged.get("metadata", {}),
        "provider": merged["provider"],
    }


def _sort_key(interaction: Mapping[str, Any]) -> str:
    states = json.dumps(interaction.get("providerStates", []), sort_keys=True)
    return json.dumps([interaction["description"], states])


def write_pact(path: Path, fragments: Iterable[Mapping[str, Any]]) -> Path:
    """Merge fragments and write the pact file atomically with sorted keys, so it diffs cleanly."""
    pact = merge_fragments(fragments)
    write_text_atomic(path, json.dumps(pact, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return path


def write_fragment(folder: Path, provider: str, fragment: Mapping[str, Any]) -> Path:
    """Store one interaction's pact fragment where the session's pact writer will find it.

    The name is a digest of description and provider states, so the same interaction exercised
    by two tests or two xdist workers lands in the same file instead of being duplicated.
    """
    (interaction,) = fragment["interactions"]
    digest = hashlib.sha256(_sort_key(interaction).encode()).hexdigest()[:24]
    path = folder / provider / f"{digest}.json"
    write_json_atomic(path, fragment)
    return path


@dataclass(frozen=True, slots=True)
class PactWrite:
    """One pact written from a session's fragments: how many interactions ran, and what the pact on disk gave."""

    path: Path
    provider: str
    ran: int
    kept: int = 0  # interactions this run did not exercise, kept from the pact already on disk
    dropped: int = 0  # interactions of the pact on disk that the contract no longer has


def write_pacts_from_fragments(
    folder: Path, pacts: Path, consumer: str, current: Mapping[str, Collection[str]] | None = None
) -> list[Path]:
    """Merge every provider's fragments under `folder` into `pacts/<consumer>-<provider>.json` (see merge_pacts)."""
    return [item.path for item in merge_pacts(folder, pacts, consumer, current)]


def merge_pacts(
    folder: Path, pacts: Path, consumer: str, current: Mapping[str, Collection[str]] | None = None
) -> list[PactWrite]:
    """Write each provider's pact from this session's fragments without ever shrinking it.

    A session that exercised only some interactions (`-k`, one file, Ctrl-C) keeps the others from the pact
    on disk. `current` maps a provider to the descriptions its contract has now: an old interaction whose
    description is gone is dropped, so a full run after removing an interaction still removes it.
    """
    written = []
    for provider_folder in sorted(p for p in folder.iterdir() if p.is_dir()):
        fragments = [_read_fragment(path) for path in sorted(provider_folder.glob("*.json"))]
        if not fragments:
            continue
        path = pacts / f"{consumer}-{provider_folder.name}.json"
        ran = {_sort_key(interaction) for fragment in fragments for interaction in fragment["interactions"]}
        untouched = [item for item in _pact_interactions(path) if _sort_key(item) not in ran]
        names = (current or {}).get(provider_folder.name)
        kept = [item for item in untouched if names is None or str(item.get("description", "")) in names]
        carried = [{**fragments[0], "interactions": kept}] if kept else []
        write_pact(path, [*fragments, *carried])
        written.append(PactWrite(path, provider_folder.name, len(ran), len(kept), len(untouched) - len(kept)))
    return written


def _pact_interactions(path: Path) -> list[dict[str, Any]]:
    """The interactions of a pact already on disk ([] when there is none); an unreadable one is an error,
    never silently replaced."""
    if not path.is_file():
        return []
    try:
        data = parse_json_value(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PactFileError(
            f"cannot read the pact to merge into ({exc})",
            file=path,
            hint="fix or delete it; a partial run never replaces a pact it cannot read",
        ) from exc
    interactions = data.get("interactions") if isinstance(data, dict) else None
    if not isinstance(interactions, list) or not all(
        isinstance(item, dict) and "description" in item for item in interactions
    ):
        raise PactFileError("expected a pact with an 'interactions' list", file=path, key_path=("interactions",))
    return interactions


def _read_fragment(path: Path) -> dict[str, Any]:
    try:
        return parse_json_value(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PactFileError(f"cannot read pact fragment ({exc})", file=path) from exc


def select_interactions(
    provider: Provider, shaped: Sequence[ShapedInteraction], operation: str, description: str | None = None
) -> tuple[ShapedInteraction, ...]:
    """The shaped interactions of one operation (optionally one description); UsageError when none."""

    provider.operation(operation)
    chosen = tuple(
        item
        for item in shaped
        if item.interaction.operation == operation
        and (description is None or item.interaction.description == description)
    )
    if not chosen:
        what = f"interaction {description!r} of operation {operation!r}" if description else f"operation {operation!r}"
        raise UsageError(f"{provider.contract}: no contract interaction for {what} of provider {provider.name!r}")
    return chosen


__all__ = [
    "ShapedInteraction",
    "MockService",
    "shape_interaction",
    "load_shaped",
    "build_pact",
    "serve",
    "replay_request",
    "check_contract_interaction",
    "run_consumer",
    "run_provider",
    "merge_fragments",
    "write_pact",
    "write_fragment",
    "write_pacts_from_fragments",
    "select_interactions",
    "apply_null_or",
    "iter_schema_findings",
    "describe_mismatch",
]
