"""devctl's Confluence client against the Confluence contract."""

import pytest
from devctl import confluence

pytestmark = pytest.mark.contract
EMAIL, TOKEN = "devctl@acme.example", "confluence_test_token"


def test_global_space_keys(contract):
    with contract("confluence", "list_spaces") as server:
        assert confluence.global_space_keys(server.url, EMAIL, TOKEN) == ["OPS"]


def test_page_titles(contract):
    with contract("confluence", "list_pages") as server:
        assert confluence.page_titles(server.url, EMAIL, TOKEN, "98306") == ["Runbook - api"]


def test_page_storage(contract):
    with contract("confluence", "get_page") as server:
        version, body = confluence.page_storage(server.url, EMAIL, TOKEN, "131073")
    assert version == 7 and "<h1>" in body


def test_publish_release_notes(contract):
    with contract("confluence", "create_page") as server:
        assert confluence.publish_release_notes(server.url, EMAIL, TOKEN, "98306", "v2.4.1") == "131090"
