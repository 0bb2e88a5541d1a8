"""devctl's inventory client against the inventory contract."""

import pytest
from devctl import inventory

pytestmark = pytest.mark.contract


def test_tools(contract):
    with contract("inventory", "list_items") as server:
        assert [item.sku for item in inventory.tools(server.url)] == ["INV-0001"]


def test_item(contract):
    with contract("inventory", "get_item") as server:
        assert inventory.item(server.url, 3).quantity == 9


def test_add_item(contract):
    with contract("inventory", "create_item") as server:
        created = inventory.add_item(server.url, "hammer", 12)
    assert (created.name, created.quantity, created.sku) == ("hammer", 12, "NEW-0021")
