"""AsyncAPI 2.6 and 3.0 documents: messages found, payloads validated against recorded events, documents sliced to
the messages used, and the slice imported through `contracts schemas import --messages`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from contractkit.cassettes import EventCassette, RecordedEvent, write_event_cassette
from contractkit.core.errors import SchemaLoadError
from contractkit.openapi import find_message, iter_messages, load_asyncapi, message_payload, slice_asyncapi
from contractkit.registry import load_registry
from contractkit.validation import MessageValidators, validate_event_cassettes

USER = {
    "type": "object",
    "required": ["id", "email"],
    "properties": {"id": {"type": "integer"}, "email": {"type": "string", "format": "email"}},
}
V26 = {
    "asyncapi": "2.6.0",
    "info": {"title": "Accounts", "version": "1.4.0"},
    "channels": {
        "user/signedup": {"subscribe": {"message": {"$ref": "#/components/messages/UserSignedUp"}}},
        "user/deleted": {
            "subscribe": {
                "message": {
                    "oneOf": [{"$ref": "#/components/messages/UserDeleted"}, {"$ref": "#/components/messages/Audit"}]
                }
            }
        },
    },
    "components": {
        "messages": {
            "UserSignedUp": {"payload": {"$ref": "#/components/schemas/User"}},
            "UserDeleted": {
                "payload": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
            },
            "Audit": {"payload": {"type": "object"}},
        },
        "schemas": {"User": USER, "Unused": {"type": "string"}},
    },
}
V30 = {
    "asyncapi": "3.0.0",
    "info": {"title": "Accounts", "version": "2.0.0"},
    "channels": {
        "userSignedUp": {
            "address": "user/signedup",
            "messages": {"UserSignedUp": {"$ref": "#/components/messages/UserSignedUp"}},
        },
        "userDeleted": {
            "address": "user/deleted",
            "messages": {"UserDeleted": {"$ref": "#/components/messages/UserDeleted"}},
        },
    },
    "operations": {
        "onUserSignedUp": {
            "action": "receive",
            "channel": {"$ref": "#/channels/userSignedUp"},
            "messages": [{"$ref": "#/channels/userSignedUp/messages/UserSignedUp"}],
        },
        "onUserDeleted": {"action": "receive", "channel": {"$ref": "#/channels/userDeleted"}},
    },
    "components": {
        "messages": {
            "UserSignedUp": {
                "payload": {
                    "schemaFormat": "application/schema+json;version=draft-07",
                    "schema": {"$ref": "#/components/schemas/User"},
                }
            },
            "UserDeleted": {"payload": {"type": "object"}},
        },
        "schemas": {"User": USER, "Unused": {"type": "string"}},
    },
}


@pytest.mark.parametrize("document", [V26, V30], ids=["2.6", "3.0"])
def test_messages_and_payloads_are_found(document: dict) -> None:
    names = {message.name: message.channel for message in iter_messages(document)}
    assert names["UserSignedUp"] == "user/signedup" and names["UserDeleted"] == "user/deleted"
    assert message_payload(document, "UserSignedUp") == USER  # a Multi Format Schema Object unwrapped, $ref followed


@pytest.mark.parametrize("document", [V26, V30], ids=["2.6", "3.0"])
def test_slice_keeps_the_messages_used_and_what_they_reach(document: dict) -> None:
    sliced = slice_asyncapi(document, ["UserSignedUp"])
    assert sliced["asyncapi"] == document["asyncapi"] and sliced["info"] == document["info"]
    assert sliced["components"]["messages"].keys() == {"UserSignedUp"}
    assert sliced["components"]["schemas"] == {"User": USER}  # `Unused` and the other messages are cut
    assert len(sliced["channels"]) == 1
    if document["asyncapi"].startswith("3."):
        assert list(sliced["operations"]) == ["onUserSignedUp"]
    assert find_message(sliced, "UserSignedUp").message == document["components"]["messages"]["UserSignedUp"]


def test_slice_of_a_one_of_channel_keeps_only_the_message_used() -> None:
    sliced = slice_asyncapi(V26, ["UserDeleted"])
    assert sliced["channels"] == {
        "user/deleted": {"subscribe": {"message": {"oneOf": [{"$ref": "#/components/messages/UserDeleted"}]}}}
    }
    assert sliced["components"]["messages"].keys() == {"UserDeleted"}


def test_unknown_message_names_the_known_ones() -> None:
    with pytest.raises(SchemaLoadError) as raised:
        find_message(V30, "UserRenamed", display="accounts.yaml")
    assert raised.value.describe() == (
        "accounts.yaml: no message 'UserRenamed' in the document (known: UserDeleted, UserSignedUp)"
    )


def test_unsupported_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump({"asyncapi": "1.2.0", "info": {}}))
    with pytest.raises(SchemaLoadError, match=r"AsyncAPI 1.2.0 is not supported \(expected 2.6 or 3.0\)"):
        load_asyncapi(path)


@pytest.mark.parametrize("document", [V26, V30], ids=["2.6", "3.0"])
def test_recorded_events_validated_against_an_asyncapi_payload(tmp_path: Path, document: dict) -> None:
    (tmp_path / "accounts.yaml").write_text(yaml.safe_dump(document))
    (tmp_path / "registry.yaml").write_text(
        "version: 1\nconsumer: devctl\nproviders:\n  accounts:\n    cassettes: cassettes/accounts\n    messages:\n"
        "      signed_up: {event: user/signedup, transport: sns, asyncapi: accounts.yaml, message: UserSignedUp}\n"
    )
    path = tmp_path / "cassettes" / "accounts" / "events" / "signed_up.yaml"
    events = (
        RecordedEvent({"id": 7, "email": "ada@example.com"}, {}, "sns"),
        RecordedEvent({"id": "7", "email": "ada@example.com"}, {}, "sns"),
    )
    write_event_cassette(EventCassette(path, "accounts", "signed_up", events))
    provider = load_registry(tmp_path / "registry.yaml").provider("accounts")
    [result] = validate_event_cassettes(provider, MessageValidators(), relative=lambda p: p.name)
    assert result.status.value == "failed"
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.strip() == "id: '7'")
    assert [finding.message for finding in result.findings] == [
        f'signed_up.yaml:{line}: events[1].body $.id: expected integer, got string "7" (accounts.yaml#UserSignedUp)'
    ]


def test_schemas_import_slices_the_asyncapi_document(tmp_path: Path, run_cli, monkeypatch) -> None:
    vendor = tmp_path / "vendor-asyncapi.json"
    vendor.write_text(json.dumps(V30))
    (tmp_path / "registry.yaml").write_text(
        "version: 1\nconsumer: devctl\nproviders:\n  accounts:\n    message_source: {kind: asyncapi}\n"
        "    messages:\n"
        "      signed_up: {event: user/signedup, transport: sns, asyncapi: schemas/accounts.json, message: UserSignedUp}\n"
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("schemas", "import", "--provider", "accounts", "--messages", "--from", str(vendor))
    assert code == 0, out
    sliced = json.loads((tmp_path / "schemas" / "accounts.json").read_text())
    assert sliced["x-provenance"] == {"kind": "asyncapi", "document": "vendor-asyncapi.json", "version": "2.0.0"}
    assert sliced["components"]["messages"].keys() == {"UserSignedUp"}
    assert "Unused" not in sliced["components"]["schemas"]
