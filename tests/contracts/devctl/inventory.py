"""devctl's client of the inventory service the team owns (requests)."""

from __future__ import annotations

from dataclasses import dataclass

import requests

TIMEOUT = 10


@dataclass(frozen=True)
class Item:
    """A stock item."""

    id: int
    name: str
    quantity: int
    sku: str


def _item(raw: dict) -> Item:
    return Item(id=raw["id"], name=raw["name"], quantity=raw["quantity"], sku=raw["sku"])


def tools(base_url: str, limit: int = 5) -> list[Item]:
    """The first items tagged tools."""
    response = requests.get(f"{base_url}/items", params={"limit": str(limit), "tag": "tools"}, timeout=TIMEOUT)
    response.raise_for_status()
    return [_item(raw) for raw in response.json()["items"]]


def item(base_url: str, item_id: int) -> Item:
    """One item by id."""
    response = requests.get(f"{base_url}/items/{item_id}", timeout=TIMEOUT)
    response.raise_for_status()
    return _item(response.json())


def add_item(base_url: str, name: str, quantity: int) -> Item:
    """Create an item tagged tools."""
    response = requests.post(
        f"{base_url}/items", json={"name": name, "quantity": quantity, "tags": ["tools"]}, timeout=TIMEOUT
    )
    response.raise_for_status()
    return _item(response.json())
