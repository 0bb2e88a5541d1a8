"""devctl's Slack client against the Slack contract."""

import pytest
from devctl import slack

pytestmark = pytest.mark.contract
TOKEN = "xoxb-test-token"


def test_channel_id(contract):
    with contract("slack", "list_conversations") as server:
        assert slack.channel_id(server.url, TOKEN, "deployments") == "C0123DEPLOY"


def test_recent_messages(contract):
    with contract("slack", "conversation_history") as server:
        assert slack.recent_messages(server.url, TOKEN, "C0123DEPLOY") == ["deployed api v2.4.1"]


def test_user_email(contract):
    with contract("slack", "get_user") as server:
        assert slack.user_email(server.url, TOKEN, "U0123ABCD") == "mia@acme.example"


def test_announce(contract):
    with contract("slack", "post_message") as server:
        assert slack.announce(server.url, TOKEN, "C0123DEPLOY", "devctl deployed api v2.4.1") == "1718200000.000300"
