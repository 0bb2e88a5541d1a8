"""Every contract matcher becomes the pact matching rule a Pact verifier understands."""

from __future__ import annotations

import pytest

from contractkit.consumer import run_consumer
from contractkit.registry import load_registry

CONTRACT = """\
provider: stock
interactions:
  - operation: list_items
    description: the items
    request: {{}}
    response:
      status: 200
      body:
        value: {value}
"""

CASES = [
    ("{$like: 3}", 3, [{"match": "type"}]),
    ("{$each_like: {sku: A1}, min: 2}", [{"sku": "A1"}, {"sku": "A1"}], [{"match": "type", "min": 2}]),
    ("{$regex: '^A\\d+$', example: A17}", "A17", [{"match": "regex", "regex": "^A\\d+$"}]),
    ("{$integer: 7}", 7, [{"match": "integer"}]),
    ("{$decimal: 7.5}", 7.5, [{"match": "decimal"}]),
    ("{$number: 7}", 7, [{"match": "number"}]),
    ("{$boolean: true}", True, [{"match": "boolean"}]),
    ("{$date: '2024-05-01'}", "2024-05-01", [{"match": "date", "format": "yyyy-MM-dd"}]),
    ("{$time: '10:30:00'}", "10:30:00", [{"match": "time", "format": "HH:mm:ss"}]),
    (
        "{$datetime: '2024-05-01T10:30:00Z'}",
        "2024-05-01T10:30:00Z",
        [{"match": "datetime", "format": "yyyy-MM-dd'T'HH:mm:ss'Z'"}],
    ),
    (
        "{$datetime: '01/05/2024 10:30', format: '%d/%m/%Y %H:%M'}",
        "01/05/2024 10:30",
        [{"match": "datetime", "format": "dd/MM/yyyy HH:mm"}],
    ),
    (
        "{$uuid: 3f2504e0-4f89-11d3-9a0c-0305e82c3301}",
        "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        [
            {
                "match": "regex",
                "regex": "^([0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12})$",
            }
        ],
    ),
    ("{$includes: warehouse}", "warehouse", [{"match": "include", "value": "warehouse"}]),
    ("{$null_or: {$integer: 4}}", 4, [{"match": "null"}, {"match": "integer"}]),
    ("{$null_or: north}", "north", [{"match": "null"}, {"match": "type"}]),
]


@pytest.mark.parametrize(("written", "example", "matchers"), CASES, ids=[case[0].split(":")[0][2:] for case in CASES])
def test_matcher_becomes_a_pact_rule(project, written, example, matchers):
    project.write(CONTRACT.format(value=written))
    report = run_consumer(load_registry(project.registry))
    assert not report.failed, report.results
    interaction = project.pact()["interactions"][0]
    assert interaction["response"]["body"]["content"]["value"] == example
    rule = interaction["response"]["matchingRules"]["body"]["$.value"]
    assert rule == {"combine": "OR" if "null_or" in written else "AND", "matchers": matchers}


def test_nested_matchers_get_wildcard_paths(project):
    project.write(CONTRACT.format(value="{$each_like: {sku: {$regex: '^A\\d$', example: A1}, count: {$integer: 2}}}"))
    run_consumer(load_registry(project.registry))
    rules = project.pact()["interactions"][0]["response"]["matchingRules"]["body"]
    assert rules["$.value[*].sku"]["matchers"] == [{"match": "regex", "regex": "^A\\d$"}]
    assert rules["$.value[*].count"]["matchers"] == [{"match": "integer"}]


def test_request_matchers_let_any_matching_value_through(project):
    project.write("""\
        provider: stock
        interactions:
          - operation: get_item
            description: one item
            given: [{state: an item exists, params: {id: A1}}]
            request:
              path_params: {id: A1}
              query: {fields: {$regex: '^[a-z,]+$', example: "id,count"}}
              headers: {Authorization: {$regex: '^Bearer \\S+$', example: Bearer example}}
            response: {status: 200, body: {id: A1, count: {$integer: 3}}}
        """)
    run_consumer(load_registry(project.registry))
    interaction = project.pact()["interactions"][0]
    assert interaction["request"]["path"] == "/v1/items/A1"  # base path + the spec's path
    assert interaction["request"]["headers"] == {"Authorization": ["Bearer example"]}
    assert interaction["request"]["matchingRules"]["query"]["fields"]["matchers"] == [
        {"match": "regex", "regex": "^[a-z,]+$"}
    ]
    assert interaction["providerStates"] == [{"name": "an item exists", "params": {"id": "A1"}}]
    assert interaction["comments"] == {"operation": "get_item"}
