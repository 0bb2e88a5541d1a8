"""Our judgement equals the Pact core's on every interaction of every committed pact, each against the recorded
response that answers it: the core's verdicts come from pact-python's stock Verifier run against those responses
served on 127.0.0.1 (every run), ours from `contractkit.pact.judge_response`. Where both fail, the first mismatch
is at the same path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contractkit.cassettes import iter_cassettes
from contractkit.cassettes.drift import iter_cassette_pact_breaks
from contractkit.pact import judge_response, load_pact
from contractkit.pact.matching import parse_rule_path, render_path
from contractkit.registry import load_registry
from tests.pact_semantics.committed import Served, core_verdicts, served_interactions, unpaired_interactions

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = load_registry(ROOT / "registry.yaml")
SERVED = served_interactions(REGISTRY)


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bool, tuple[dict[str, Any], ...]]]:
    """The Pact core's verdict per served interaction, from one Verifier run per committed pact."""
    return core_verdicts(SERVED, tmp_path_factory.mktemp("committed"))


def _path(spelled: str) -> str:
    """A body path in one spelling (`$.a['#text']` and `$['a']['#text']` are one path); status and headers as they are."""
    return spelled if spelled == "status" or spelled.startswith("$.headers.") else render_path(parse_rule_path(spelled))


def _core_path(mismatch: dict[str, Any]) -> str:
    if mismatch.get("type") == "StatusMismatch":
        return "status"
    if mismatch.get("type") == "HeaderMismatch":
        return f"$.headers.{mismatch.get('key', '')}"
    return _path(str(mismatch.get("path", "$")))


def _disagreement(one: Served, passed: bool, mismatches: tuple[dict[str, Any], ...]) -> str | None:
    ours = judge_response(one.interaction, one.status, list(one.headers), one.body)
    if passed != (not ours):
        return (
            f"{one.label}: core {'passes' if passed else 'fails'} {[_core_path(m) for m in mismatches]}, "
            f"we {'fail' if ours else 'pass'} {[mismatch.detail for mismatch in ours]}"
        )
    if ours and mismatches and _path(ours[0].path) != _core_path(mismatches[0]):
        return f"{one.label}: the core's first mismatch is at {_core_path(mismatches[0])}, ours at {ours[0].path}"
    return None


def test_every_interaction_of_every_committed_pact_is_answered_by_a_cassette():
    pacts = [REGISTRY.pact_file(name) for name in REGISTRY.providers if REGISTRY.pact_file(name).is_file()]
    assert unpaired_interactions(REGISTRY) == []
    http = [  # message interactions are verified against recorded events, not served (tests/messages)
        item
        for path in pacts
        for item in json.loads(path.read_text())["interactions"]
        if item.get("type", "Synchronous/HTTP") == "Synchronous/HTTP"
    ]
    assert len(SERVED) == len(http) > 30


def test_the_core_judged_every_served_interaction(verdicts):
    assert sorted(verdicts) == sorted(one.id for one in SERVED)


def test_we_agree_with_the_core_on_every_committed_interaction(verdicts):
    disagreements = [_disagreement(one, *verdicts[one.id]) for one in SERVED]
    assert [text for text in disagreements if text] == []


def test_namespaced_xml_answers_are_judged_by_their_rules():
    """AWS answers in a default namespace (IAM, S3) with texts other than the pact's: the pact's rules name the
    elements `namespace-uri:local`, so they govern those texts and the recordings break nothing."""
    xml = [one for one in SERVED if one.provider == "aws" and one.body.lstrip().startswith(b"<")]
    assert len(xml) >= 5 and all(b"xmlns=" in one.body for one in xml)
    assert [
        mismatch for one in xml for mismatch in judge_response(one.interaction, one.status, list(one.headers), one.body)
    ] == []
    provider = REGISTRY.provider("aws")
    pact = load_pact(REGISTRY.pact_file("aws"))
    assert [
        finding.message
        for cassette in iter_cassettes(provider.cassettes)
        for finding in iter_cassette_pact_breaks(provider, cassette, pact)
    ] == []
