"""`contracts consumer`: mock replay, schema check of examples, and the pact files it writes."""

from __future__ import annotations

import json

from contractkit.consumer import run_consumer
from contractkit.registry import load_registry

ITEM = """\
provider: stock
interactions:
  - operation: get_item
    description: the item A1
    given: [{{state: an item exists, params: {{id: A1}}}}]
    request:
      path_params: {{id: A1}}
    response:
      status: 200
      headers: {{Content-Type: application/json}}
      body: {body}
"""


def test_example_that_violates_the_response_schema_is_rejected(project, run_cli):
    project.write(ITEM.format(body="{id: A1, count: {$integer: -2}}"), spec=True)
    code, out, _ = run_cli("consumer", "--registry", "registry.yaml")
    assert code == 1
    assert "FAILED [consumer] stock / get_item / the item A1" in out
    assert "CK203 the example response violates the provider's schema" in out
    assert "at $.count" in out
    assert not project.pacts.exists()  # a provider's pact is written only when all its interactions hold


def test_example_that_satisfies_the_schema_passes_and_writes_the_pact(project, run_cli):
    project.write(ITEM.format(body="{id: A1, count: {$integer: 2}}"), spec=True)
    code, out, _ = run_cli("consumer", "--registry", "registry.yaml", "--format", "json")
    assert code == 0
    assert json.loads(out)["summary"]["passed"] == 1
    pact = project.pact()
    assert (pact["consumer"], pact["provider"]) == ({"name": "shop"}, {"name": "stock"})
    assert pact["metadata"]["pactSpecification"]["version"] == "4.0"


def test_contract_whose_request_contradicts_itself_fails_on_the_mock(project, run_cli):
    # declaring a text body while writing JSON matchers in it: the mock cannot match its own request
    project.write("""\
        provider: stock
        interactions:
          - operation: add_item
            description: a new item
            request:
              headers: {Content-Type: text/plain}
              body: {sku: {$regex: '^A\\d$', example: A2}}
            response: {status: 201}
        """)
    code, out, _ = run_cli("consumer", "--registry", "registry.yaml")
    assert code == 1
    assert "CK201 the interaction's own request does not satisfy its contract" in out


def test_pact_is_byte_for_byte_the_same_on_every_run(project):
    project.write("""\
        provider: stock
        interactions:
          - operation: list_items
            description: z the items
            request: {query: {page: "1"}}
            response: {status: 200, body: {$each_like: {sku: A1}}}
          - operation: get_item
            description: a single item
            request: {path_params: {id: A1}}
            response: {status: 200, body: {id: A1, count: 1}}
          - operation: get_item
            description: a single item
            given: [an item exists]
            request: {path_params: {id: A1}}
            response: {status: 200, body: {id: A1, count: 1}}
        """)
    registry = load_registry(project.registry)
    run_consumer(registry)
    first = (project.pacts / "shop-stock.json").read_bytes()
    run_consumer(registry)
    assert (project.pacts / "shop-stock.json").read_bytes() == first
    interactions = json.loads(first)["interactions"]
    # sorted by description, then provider states; identical requests with different states both kept
    assert [(i["description"], len(i.get("providerStates", []))) for i in interactions] == [
        ("a single item", 0),
        ("a single item", 1),
        ("z the items", 0),
    ]
