"""Laws of the pact merge that make serial and xdist runs write the same pact."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.consumer import merge_fragments, write_fragment, write_pacts_from_fragments

HEADER = {
    "consumer": {"name": "shop"},
    "provider": {"name": "stock"},
    "metadata": {"pactSpecification": {"version": "4.0"}},
}
interactions = st.builds(
    lambda description, states, status: {
        "description": description,
        "providerStates": [{"name": name} for name in states],
        "request": {"method": "GET", "path": "/items"},
        "response": {"status": status},
        "type": "Synchronous/HTTP",
    },
    st.text(min_size=1, max_size=8),
    st.lists(st.sampled_from(["a", "b", "c"]), max_size=2, unique=True),
    st.sampled_from([200, 404]),
)


def fragment(interaction: dict) -> dict:
    return {**HEADER, "interactions": [interaction]}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        interactions,
        min_size=1,
        max_size=8,  # description and states identify an interaction
        unique_by=lambda i: (i["description"], tuple(s["name"] for s in i["providerStates"])),
    ),
    st.randoms(),
)
def test_merge_ignores_order_and_duplicates(items, random):
    fragments = [fragment(item) for item in items]
    shuffled = fragments + fragments[: len(fragments) // 2]  # the same interaction exercised twice
    random.shuffle(shuffled)
    assert json.dumps(merge_fragments(shuffled)) == json.dumps(merge_fragments(fragments[::-1] + fragments))


def test_fragments_of_the_same_interaction_share_one_file(tmp_path):
    one = fragment({"description": "the items", "providerStates": [{"name": "a"}], "request": {}, "response": {}})
    first = write_fragment(tmp_path / "fragments", "stock", one)
    assert write_fragment(tmp_path / "fragments", "stock", one) == first
    other = fragment({"description": "the items", "request": {}, "response": {}})
    assert write_fragment(tmp_path / "fragments", "stock", other) != first
    (written,) = write_pacts_from_fragments(tmp_path / "fragments", tmp_path / "pacts", "shop")
    assert written.name == "shop-stock.json"
    assert len(json.loads(written.read_text(encoding="utf-8"))["interactions"]) == 2
