"""The `message_contract` fixture in a user's own suite (pytest's pytester): a handler that holds writes the V4
message pact at the end of the session; one that reads a field the contract does not give, or raises, fails the
test with the field or the exception named, and writes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = """\
version: 1
consumer: shop
providers:
  github-webhooks:
    title: GitHub webhooks
    contract: contracts/github-webhooks.yaml
    messages:
      push: {event: push, transport: webhook, schema: schemas/push.schema.json}
"""
CONTRACT = """\
provider: github-webhooks
handler: hooks:handle
handler_path: ..
messages:
  - message: push
    description: a push
    metadata: {X-GitHub-Event: push}
    contents:
      ref: {$like: refs/heads/main}
      repository: {full_name: {$like: acme/shop}}
"""
TESTS = """
import hooks


def test_holds(message_contract):
    (outcome,) = message_contract("github-webhooks", "push")
    assert outcome.reads == ("$.repository", "$.repository.full_name", "$.ref")


def test_reads_what_is_not_given(message_contract):
    message_contract("github-webhooks", "push", handler=hooks.reads_sender)


def test_raises(message_contract):
    message_contract("github-webhooks", "push", handler=hooks.raises)
"""
HOOKS = """
def handle(payload, headers):
    return payload["repository"]["full_name"], payload["ref"]


def reads_sender(payload, headers):
    return payload["sender"]["login"]


def raises(payload, headers):
    raise RuntimeError("no deploy target for " + payload["ref"])
"""


@pytest.fixture()
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".yaml", registry=REGISTRY)
    (pytester.path / "contracts").mkdir()
    (pytester.path / "contracts" / "github-webhooks.yaml").write_text(CONTRACT)
    (pytester.path / "schemas").mkdir()
    shutil.copy(ROOT / "schemas/github-webhooks/push.schema.json", pytester.path / "schemas")
    pytester.makepyfile(hooks=HOOKS, test_user=TESTS)
    return pytester


def test_the_fixture_names_what_the_handler_gets_wrong_and_writes_what_held(suite: pytest.Pytester) -> None:
    result = suite.runpytest("-p", "no:cacheprovider", "--contracts-registry", "registry.yaml")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*the handler does not hold to the messages of github-webhooks:*",
            "*the handler reads $.sender, which the message 'a push' does not give*",
            "*the handler fails on the message 'a push': RuntimeError: no deploy target for refs/heads/main (hooks.py:*",
        ]
    )
    pact = json.loads((suite.path / "pacts" / "shop-github-webhooks.json").read_text())
    (interaction,) = pact["interactions"]
    assert interaction["type"] == "Asynchronous/Messages" and interaction["description"] == "a push"
