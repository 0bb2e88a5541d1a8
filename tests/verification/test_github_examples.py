"""Our response validator judged against an independent one on every published example of the GitHub description.

The examples are the test data of the `validate --spec` and drifted-traffic tests; they are chosen by
openapi-schema-validator (example_verdicts.py), never by the validator under test. Here the two must agree on
every example, accepted or rejected, except the explained cases of DISAGREEMENTS; an entry that no longer
disagrees fails too, so the table cannot go stale. Skipped where ../shared/specs is absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

pytest.importorskip(
    "openapi_schema_validator",
    reason="openapi-schema-validator (the independent validator, installed with openapi-spec-validator) is absent",
)

from example_verdicts import DISAGREEMENTS, INDEPENDENT, OURS, IndependentValidator  # noqa: E402
from github_examples import Example, concrete_path, iter_examples  # noqa: E402
from verification_support import SHARED_SPECS  # noqa: E402

from contractkit.validation import SpecValidator  # noqa: E402

GITHUB = SHARED_SPECS / "github" / "new" / "api.github.com.json"


@dataclass(frozen=True)
class Verdicts:
    """What each validator said of one example."""

    example: Example
    independent: tuple[str, ...]
    ours: tuple[str, ...]

    @property
    def disagree(self) -> bool:
        return bool(self.independent) != bool(self.ours)


@pytest.fixture(scope="module")
def github_document() -> dict[str, Any]:
    from contractkit.openapi.documents import load_spec_document

    if not GITHUB.is_file():
        pytest.skip(f"the shared GitHub description is not available at {GITHUB}")
    return load_spec_document(GITHUB)


@pytest.fixture(scope="module")
def verdicts(github_document) -> list[Verdicts]:
    judge, ours = IndependentValidator(github_document), SpecValidator(github_document)
    return [
        Verdicts(
            example,
            tuple(judge.errors(example)),
            tuple(
                finding.message
                for finding in ours.validate(
                    example.method, example.template, example.status, {"Content-Type": [example.media]}, example.body
                )
            ),
        )
        for example in iter_examples(github_document)
    ]


def test_the_examples_are_many_and_both_validators_accept_and_reject_some(verdicts):
    assert len(verdicts) > 1000
    assert len({verdict.example.id for verdict in verdicts}) == len(verdicts)  # the table's keys are unambiguous
    accepted = sum(not verdict.independent for verdict in verdicts)
    assert 700 < accepted < len(verdicts)  # published examples do contradict their schemas, but not most of them


def test_ours_accepts_every_example_the_independent_validator_accepts(verdicts):
    wrongly_rejected = {
        verdict.example.id: verdict.ours[:2]
        for verdict in verdicts
        if not verdict.independent and verdict.ours and verdict.example.id not in DISAGREEMENTS
    }
    assert wrongly_rejected == {}


def test_ours_rejects_every_example_the_independent_validator_rejects(verdicts):
    wrongly_accepted = {
        verdict.example.id: verdict.independent[:2]
        for verdict in verdicts
        if verdict.independent and not verdict.ours and verdict.example.id not in DISAGREEMENTS
    }
    assert wrongly_accepted == {}


def test_every_listed_disagreement_still_disagrees(verdicts):
    assert {verdict.example.id for verdict in verdicts if verdict.disagree} == set(DISAGREEMENTS)


def test_each_disagreement_says_why_and_which_validator_is_right():
    for example_id, disagreement in DISAGREEMENTS.items():
        assert disagreement.why and disagreement.right in (OURS, INDEPENDENT), example_id


def test_every_example_routes_back_to_its_own_operation(github_document):
    """The cassettes built from the examples send each to its concrete path; our router must find the operation."""
    ours = SpecValidator(github_document)
    misrouted = {}
    for example in iter_examples(github_document):
        match = ours.match(example.method, concrete_path(example.template))
        if match is None or match.template != example.template:
            misrouted[example.id] = match.template if match else None
    assert misrouted == {}
