"""A consumer's handler against its message contract, through pact-python's message consumer (real Pact core):
a handler that raises, or reads a field the contract's message does not give, fails with the field named; one that
holds leaves a V4 `Asynchronous/Messages` pact fragment. The example registry's GitHub webhooks contract is used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from contractkit.consumer import handle_message, load_contract_file
from contractkit.core.codes import Code
from contractkit.core.errors import ContractFileError
from contractkit.registry import load_registry

os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def provider():
    return load_registry(ROOT / "registry.yaml").provider("github-webhooks")


@pytest.fixture(scope="module")
def push(provider):
    return next(item for item in load_contract_file(provider).messages if item.message == "push")


def _messages(outcome):
    return [(finding.code, finding.message) for finding in outcome.findings]


def test_a_handler_reading_a_field_the_contract_does_not_give_fails_naming_it(provider, push):
    outcome = handle_message("devctl", provider, push, lambda payload, headers: payload["head_commit"]["id"])
    assert not outcome.passed and outcome.fragments == ()
    ((code, text),) = _messages(outcome)
    assert code == Code.MESSAGE_FIELD_NOT_GIVEN
    assert "the handler reads $.head_commit, which the message 'a push to the main branch' does not give" in text


def test_a_field_read_with_get_is_named_too(provider, push):
    outcome = handle_message("devctl", provider, push, lambda payload, headers: payload.get("sender", {}))
    assert [code for code, _ in _messages(outcome)] == [Code.MESSAGE_FIELD_NOT_GIVEN]
    assert "$.sender" in _messages(outcome)[0][1]


def test_an_index_past_the_end_and_a_missing_header_are_named(provider, push):
    def handler(payload, headers):
        return payload["commits"][1]["id"], headers["X-GitHub-Delivery"]

    outcome = handle_message("devctl", provider, push, handler)
    assert "$.commits[1]" in _messages(outcome)[0][1]
    outcome = handle_message("devctl", provider, push, lambda payload, headers: headers["X-GitHub-Delivery"])
    assert "metadata['X-GitHub-Delivery']" in _messages(outcome)[0][1]


def test_a_handler_that_raises_fails_with_the_exception_and_where(provider, push):
    def handler(payload, headers):
        raise ValueError(f"cannot deploy {payload['ref']}")

    outcome = handle_message("devctl", provider, push, handler)
    ((code, text),) = _messages(outcome)
    assert code == Code.MESSAGE_HANDLER_FAILED
    assert "ValueError: cannot deploy refs/heads/main (test_consumer_handlers.py:" in text and "in handler)" in text


def test_a_holding_handler_leaves_a_v4_message_fragment_and_what_it_read(provider, push):
    outcome = handle_message("devctl", provider, push, lambda payload, headers: payload["repository"]["full_name"])
    assert outcome.passed and outcome.reads == ("$.repository", "$.repository.full_name")
    (fragment,) = outcome.fragments
    (interaction,) = fragment["interactions"]
    assert interaction["type"] == "Asynchronous/Messages" and interaction["comments"] == {"message": "push"}
    assert fragment["metadata"]["pactSpecification"]["version"] == "4.0"
    assert interaction["metadata"]["X-GitHub-Event"] == "push"


def _contract(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "github-webhooks.yaml"
    path.write_text(text)
    return path


def test_a_message_expecting_a_field_the_description_does_not_declare_fails(tmp_path, provider):
    path = _contract(
        tmp_path,
        "provider: github-webhooks\nmessages:\n  - message: push\n    description: a push\n"
        "    contents: {ref: refs/heads/main, deploy_key: {$like: abc}}\n",
    )
    (message,) = load_contract_file(provider, path).messages
    outcome = handle_message("devctl", provider, message, None)
    assert not outcome.passed
    assert any(
        code == Code.SCHEMA_VIOLATION and "$.deploy_key" in text and "push.schema.json" in text
        for code, text in _messages(outcome)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "provider: github-webhooks\nmessages:\n  - message: pushed\n    description: x\n    contents: {}\n",
            "github-webhooks.yaml:3: messages[0].message: message 'pushed' is not declared for provider 'github-webhooks'. did you mean 'push'?",
        ),
        (
            "provider: github-webhooks\nhandler: devctl.webhooks\nmessages:\n  - message: push\n"
            "    description: x\n    contents: {}\n",
            "handler: expected a handler as module:function, got 'devctl.webhooks'",
        ),
        (
            "provider: github-webhooks\nmessages:\n  - message: push\n    description: x\n",
            "messages[0]: missing required key 'contents'",
        ),
    ],
)
def test_a_broken_message_part_names_its_key_path(tmp_path, provider, text, expected):
    with pytest.raises(ContractFileError) as caught:
        load_contract_file(provider, _contract(tmp_path, text))
    assert expected in caught.value.describe()
