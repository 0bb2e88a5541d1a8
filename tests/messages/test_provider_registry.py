"""registry.yaml with messages: the typed model, bad input named with file, key path and line, `contracts lint`
over message descriptions and event cassettes, and `contracts list` showing messages beside operations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractkit.core.errors import RegistryError
from contractkit.registry import MessageSource, MessageSpec, MessageTransport, load_registry

REPO = Path(__file__).resolve().parents[2]


def _write(folder: Path, providers: str) -> Path:
    path = folder / "registry.yaml"
    path.write_text(f"version: 1\nconsumer: devctl\nproviders:\n{providers}")
    return path


def test_messages_beside_or_instead_of_operations(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "  hooks:\n"
        "    message_source: {kind: npm, package: '@octokit/webhooks-schemas', version: 7.6.1}\n"
        "    messages:\n"
        "      push: {event: push, transport: webhook, schema: schemas/push.schema.json}\n"
        "  accounts:\n"
        "    base_url: http://127.0.0.1:8000\n"
        "    operations:\n"
        "      get_user: {method: GET, path: '/users/{id}', safe: true}\n"
        "    messages:\n"
        "      signed_up: {event: user/signedup, transport: sns, asyncapi: accounts.yaml, message: UserSignedUp}\n",
    )
    registry = load_registry(path)
    hooks, accounts = registry.provider("hooks"), registry.provider("accounts")
    assert hooks.operations == {}
    assert hooks.messages == {
        "push": MessageSpec("push", "push", MessageTransport.WEBHOOK, schema=tmp_path / "schemas/push.schema.json")
    }
    assert hooks.message_source == MessageSource("npm", "@octokit/webhooks-schemas", "7.6.1")
    assert list(accounts.operations) == ["get_user"]
    assert accounts.message_spec("signed_up").asyncapi == tmp_path / "accounts.yaml"
    assert accounts.message_spec("signed_up").message == "UserSignedUp"
    assert load_registry(REPO / "registry.yaml").provider("github-webhooks").messages["push"].transport == "webhook"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "{event: push, transport: webhook}",
            "registry.yaml:6: providers.hooks.messages.push: expected the message's description: either `schema` "
            "(a JSON Schema file) or both `asyncapi` (a document) and `message` (its name there), got neither",
        ),
        (
            "{event: push, transport: webhook, schema: a.json, asyncapi: b.yaml, message: Push}",
            "registry.yaml:6: providers.hooks.messages.push: expected the message's description: either `schema` "
            "(a JSON Schema file) or both `asyncapi` (a document) and `message` (its name there), got asyncapi, "
            "message, schema",
        ),
        (
            "{event: push, transport: webhook, asyncapi: b.yaml}",
            "registry.yaml:6: providers.hooks.messages.push: expected the message's description: either `schema` "
            "(a JSON Schema file) or both `asyncapi` (a document) and `message` (its name there), got asyncapi",
        ),
        (
            "{event: push, transport: kafka, schema: a.json}",
            "registry.yaml:6: providers.hooks.messages.push.transport: expected one of webhook, sqs, sns, "
            'eventbridge, got "kafka"',
        ),
    ],
)
def test_a_message_without_one_description_is_named(tmp_path: Path, message: str, expected: str) -> None:
    path = _write(tmp_path, f"  hooks:\n    messages:\n      push: {message}\n")
    with pytest.raises(RegistryError) as raised:
        load_registry(path)
    assert raised.value.describe().replace(str(path), "registry.yaml").startswith(expected)


def test_an_unknown_message_names_the_known_ones(tmp_path: Path) -> None:
    path = _write(tmp_path, "  hooks:\n    messages:\n      push: {event: push, transport: webhook, schema: a.json}\n")
    with pytest.raises(Exception, match=r"provider 'hooks' has no message 'pull' \(known: push\)"):
        load_registry(path).provider("hooks").message_spec("pull")


def test_lint_checks_message_descriptions_and_event_cassettes(tmp_path: Path, run_cli, monkeypatch) -> None:
    _write(
        tmp_path,
        "  hooks:\n"
        "    messages:\n"
        "      push: {event: push, transport: webhook, schema: schemas/push.schema.json}\n"
        "      signed_up: {event: user/signedup, transport: sns, asyncapi: accounts.yaml, message: UserSignedUp}\n",
    )
    (tmp_path / "accounts.yaml").write_text("asyncapi: 2.6.0\ninfo: {title: a, version: '1'}\nchannels: {}\n")
    events = tmp_path / "cassettes" / "hooks" / "events"
    events.mkdir(parents=True)
    (events / "signed_up.yaml").write_text("version: 2\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("lint")
    assert code == 2
    text = out + err
    assert (
        "error: CK105 registry.yaml:6: providers.hooks.messages.push.schema: JSON Schema file "
        "schemas/push.schema.json does not exist" in text
    )
    assert "error: CK107 accounts.yaml: no message 'UserSignedUp' in the document (known: none)" in text
    assert "error: CK112 cassettes/hooks/events/signed_up.yaml:1: version: expected version: 1, got 2" in text
    assert (
        "warning: CK111 registry.yaml:6: providers.hooks.messages.push: no recorded events of push in "
        "cassettes/hooks/events/push.yaml. record them: contracts record --provider hooks --webhooks --port N" in text
    )


def test_list_shows_messages_beside_operations(run_cli, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    code, out, _ = run_cli("list", "--format", "json")
    assert code == 0
    providers = {provider["name"]: provider for provider in json.loads(out)["providers"]}
    push = next(row for row in providers["github-webhooks"]["operations"] if row["name"] == "push")
    assert push == {
        "name": "push",
        "label": "webhook push",
        "safe": True,
        "schema_source": "json-schema",
        "contract": True,
        "schema": True,
        "cassette": True,
        "pact": True,
        "kind": "message",
    }
    code, out, _ = run_cli("list")
    assert out.rstrip().endswith("operations, 6 messages")
