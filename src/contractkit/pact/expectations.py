"""What consumers' pacts expect of a provider's responses, and whether a response still gives it them.

The fuzzer's consumer-compatibility check (CK807) asks this of every response it provokes. The expectations
come from the usage model (every consumer's pacts, matched to registered operations by the one router) and a
response is judged by `judge_response`, the Pact core's semantics for every body kind (JSON, XML, form,
multipart, text, binary) and for header rules, with two deliberate differences, because a fuzzed request
is not the pact's provider state: a value no matcher governs is compared by type, not equality, and an
array's minimum length is not held against the response (a filter the fuzzer made up may rightly find
nothing); its maximum is. The media type is checked here, against the pact's Content-Type or its rule.

A response passes for a consumer when one of that consumer's interactions with its status is satisfied;
otherwise every mismatch of the closest interaction is reported, each as its own problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from contractkit.core.routing import Router
from contractkit.pact.matching import Mismatch, Rule, matches_text_rule
from contractkit.pact.reader import PactInteraction, load_pact
from contractkit.pact.responses import HeaderValues, judge_response
from contractkit.pact.usage import Usage

__all__ = [
    "ConsumerProblem",
    "Expectation",
    "expectation_from_interaction",
    "expectations_by_operation",
    "iter_consumer_problems",
    "load_pact_expectations",
]


@dataclass(frozen=True, slots=True)
class Expectation:
    """What one pact interaction expects of a response: the consumer relies on this for this status."""

    consumer: str
    description: str
    status: int
    body: Any = None
    has_body: bool = False
    rules: Mapping[str, Rule] = field(default_factory=dict)  # body rules: JSON path -> rule
    content_type: str | None = None
    content_type_rule: Rule | None = None
    interaction: PactInteraction | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class ConsumerProblem:
    """One way a response breaks a consumer: `title` names it without the response's values (the same problem
    found twice has the same title), `detail` gives the value."""

    consumer: str
    description: str
    title: str
    detail: str

    def __str__(self) -> str:
        return self.detail


def expectation_from_interaction(consumer: str, interaction: PactInteraction) -> Expectation:
    """What one pact interaction (V2 to V4) expects of its response."""
    response = interaction.response
    header_rules = response.rules.get("header") or {}
    content_rule = next((rule for name, rule in header_rules.items() if name.lower() == "content-type"), None)
    return Expectation(
        consumer=consumer,
        description=interaction.description,
        status=response.status,
        body=response.body,
        has_body=response.has_body,
        rules=dict(response.rules.get("body") or {}),
        content_type=response.header("content-type"),
        content_type_rule=content_rule,
        interaction=interaction,
    )


def expectations_by_operation(usage: Usage, provider: str) -> dict[str, list[Expectation]]:
    """Expectations per registered operation name, from every consumer in the usage model."""
    out: dict[str, list[Expectation]] = {}
    for item in usage.of_provider(provider):
        if item.interaction is not None:
            out.setdefault(item.operation, []).append(expectation_from_interaction(item.consumer, item.interaction))
    return out


def load_pact_expectations(
    pact_files: Sequence[Path], routes: Sequence[tuple[str, str, str]]
) -> dict[str, list[Expectation]]:
    """Expectations per route label from pact files, where no registry names the operations: a route is
    (label, METHOD, full path template), and each request goes to the route the one router gives it (literal
    segments before templates)."""
    router: Router[str] = Router((method, template, label) for label, method, template in routes)
    out: dict[str, list[Expectation]] = {}
    for pact_path in pact_files:
        pact = load_pact(pact_path)
        for interaction in pact.interactions:
            route = router.match(interaction.request.method, interaction.request.path)
            if route is not None:
                out.setdefault(route.value, []).append(
                    expectation_from_interaction(pact.consumer or pact_path.stem, interaction)
                )
    return out


def iter_consumer_problems(
    status: int,
    content_type: str,
    body: bytes,
    expectations: Sequence[Expectation],
    *,
    headers: HeaderValues | None = None,
) -> Iterator[ConsumerProblem]:
    """Every problem of a response for each consumer none of whose interactions with its status it satisfies;
    `headers` (all of the response's) let header rules be judged too."""
    relevant = [expectation for expectation in expectations if expectation.status == status]
    seen = headers if headers is not None else [("Content-Type", content_type)] if content_type else []
    for consumer in sorted({expectation.consumer for expectation in relevant}):
        mine = [expectation for expectation in relevant if expectation.consumer == consumer]
        found = [list(_problems(expectation, status, content_type, seen, body)) for expectation in mine]
        if any(not problems for problems in found):
            continue
        closest = min(range(len(mine)), key=lambda index: len(found[index]))
        yield from found[closest]


def _problems(
    expectation: Expectation, status: int, content_type: str, headers: HeaderValues, body: bytes
) -> Iterator[ConsumerProblem]:
    who = f"{expectation.consumer} ({expectation.description})"
    media = _media_problem(expectation, content_type)
    if media:
        yield ConsumerProblem(
            expectation.consumer,
            expectation.description,
            f"{who}: Content-Type {media}",
            f"{who}: Content-Type is {content_type or 'missing'}, which {media}",
        )
    if expectation.interaction is None:
        return
    for mismatch in judge_response(expectation.interaction, status, headers, body, literal="type", minimums=False):
        if mismatch.path != "status":
            yield _problem(expectation, who, mismatch)


def _problem(expectation: Expectation, who: str, mismatch: Mismatch) -> ConsumerProblem:
    return ConsumerProblem(
        expectation.consumer, expectation.description, f"{who}: {mismatch.title}", f"{who}: {mismatch.detail}"
    )


def _media_problem(expectation: Expectation, content_type: str) -> str:
    if expectation.content_type_rule is not None:
        problem = matches_text_rule(expectation.content_type_rule, expectation.content_type or "", content_type)
        return f"{problem} (the consumer's matcher)" if problem else ""
    if expectation.content_type and _base(expectation.content_type) != _base(content_type):
        return f"is not {_base(expectation.content_type)}, the consumer expects it"
    return ""


def _base(media: str) -> str:
    return media.split(";")[0].strip().lower()
