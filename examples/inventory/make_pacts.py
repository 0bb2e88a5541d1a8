"""Write the shopfront consumer's pacts with the inventory provider (run from anywhere; needs no network).

The pacts say what the shopfront relies on: an item has an integer id, a name, a quantity, a `sku`
and tags; a page of items has items of that shape and a total. `contracts fuzz` checks every response
of the provider against these expectations (the consumer_compatibility check).
"""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

os.environ.setdefault("PACT_DO_NOT_TRACK", "true")

from pact import Pact, match  # noqa: E402 - the environment variable must be set first

HERE = Path(__file__).resolve().parent
ITEM = {"id": match.int(3), "name": match.str("item 3"), "quantity": match.int(9),
        "sku": match.regex("INV-0003", regex=r"^[A-Z]{3}-[0-9]{4}$"), "tags": match.each_like("tools")}


def write_pact(provider: str) -> Path:
    """Run the shopfront's two interactions against pact's mock server and write the pact file."""
    pact = Pact("shopfront", provider).with_specification("V4")
    (pact.upon_receiving("a request for item 3").given("item 3 exists")
        .with_request("GET", "/items/3")
        .will_respond_with(200).with_header("Content-Type", "application/json").with_body(ITEM, content_type="application/json"))
    (pact.upon_receiving("a request for the first page of items")
        .with_request("GET", "/items").with_query_parameter("limit", "5")
        .will_respond_with(200).with_body({"items": match.each_like(ITEM), "total": match.int(20)},
                                          content_type="application/json"))
    with pact.serve() as server:
        for path in ("/items/3", "/items?limit=5"):
            with urllib.request.urlopen(f"{server.url}{path}") as response:
                json.load(response)
    pact.write_file(HERE / "pacts", overwrite=True)
    return HERE / "pacts" / f"shopfront-{provider}.json"


if __name__ == "__main__":
    for name in ("inventory", "inventory-broken"):
        print(write_pact(name))
