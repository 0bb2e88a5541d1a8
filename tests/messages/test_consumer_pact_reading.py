"""Message pacts written by other Pact implementations load: V3 `messages` (pact-python, pact-jvm, with `metaData`
and state `params: null`), V4 `Asynchronous/Messages` (rules under `content`) and `Synchronous/Messages`.

The files under data/interop are copies of other projects' fixtures; PROVENANCE.md names each source and commit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractkit.core.errors import PactFileError
from contractkit.pact import ASYNC_MESSAGE, SYNC_MESSAGE, load_pact

INTEROP = Path(__file__).parent / "data" / "interop"


def test_a_v3_message_pact_written_through_pact_python_loads_with_its_rules():
    pact = load_pact(INTEROP / "pact-python-v3-message.json")
    assert pact.interactions == () and len(pact.messages) == 1
    (message,) = pact.messages
    assert message.kind == ASYNC_MESSAGE and message.key_path == ("messages", 0)
    assert message.contents.body == {"uuid": "fb5a885f-f7e8-4a50-950f-c1a64a94d500"}
    assert message.contents.content_type == "application/json"
    assert message.contents.body_rules["$.uuid"]["matchers"][0]["match"] == "regex"
    assert message.state_names == ("A book with id fb5a885f-f7e8-4a50-950f-c1a64a94d500 is required",)


def test_an_older_v3_message_pact_with_metaData_and_null_state_params_loads():
    (message,) = load_pact(INTEROP / "pact-python-v3-message-metaData.json").messages
    assert message.contents.metadata == {"Content-Type": "application/json"}
    assert message.contents.content_type == "application/json"
    assert message.contents.body["documentType"] == "microsoft-word"
    assert message.states[0].params == {}


def test_a_pact_jvm_v3_text_message_loads():
    (message,) = load_pact(INTEROP / "pact-jvm-v3-message-pact.json").messages
    assert message.contents.body == "Hello" and message.description == "a hello message"


def test_a_pact_jvm_v4_asynchronous_message_keeps_its_content_rules():
    (message,) = load_pact(INTEROP / "pact-jvm-v4-message-pact.json").messages
    assert message.kind == ASYNC_MESSAGE and message.key_path == ("interactions", 0)
    assert message.contents.body == {"a": "1234-1234"}
    assert message.contents.metadata["destination"] == "a/b/c"
    assert message.contents.body_rules["$.a"]["matchers"] == [{"match": "regex", "regex": "\\d+-\\d+"}]


def test_a_pact_jvm_v4_synchronous_message_has_a_request_and_responses():
    (message,) = load_pact(INTEROP / "pact-jvm-v4-sync-messages-pact.json").messages
    assert message.kind == SYNC_MESSAGE
    assert message.request is not None and message.request.body == "this is a message"
    assert [item.body for item in message.received] == ["this is a response"]


@pytest.mark.parametrize(
    ("change", "key_path", "words"),
    [
        (lambda m: m.update(metadata=["x"]), "messages[0].metadata", "expected a mapping of metadata"),
        (lambda m: m.update(matchingRules={"query": {}}), "messages[0].matchingRules.query", "unknown matching rule"),
        (
            lambda m: m.update(matchingRules={"body": {"$.a": {"matchers": [{"match": "nope"}]}}}),
            "messages[0].matchingRules.body.$.a.matchers[0].match",
            "unknown matcher type",
        ),
    ],
)
def test_a_broken_message_is_refused_naming_its_key_path(tmp_path, change, key_path, words):
    data = json.loads((INTEROP / "pact-python-v3-message.json").read_text())
    change(data["messages"][0])
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))
    with pytest.raises(PactFileError) as caught:
        load_pact(path)
    assert words in str(caught.value) and key_path in caught.value.describe()
