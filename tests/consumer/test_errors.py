"""Bad contract files stop `contracts consumer` with exit 2 and one message naming file, line and key path."""

from __future__ import annotations

import pytest

GOOD_REQUEST = """\
provider: stock
interactions:
  - operation: list_items
    description: the items
    request: {}
    response: {status: 200, body: [{sku: A1}]}
"""

BAD_CONTRACTS = [
    pytest.param(
        GOOD_REQUEST.replace(
            "    request: {}\n",
            "    request: {headers: {Authorization: {$regex: '^Bearer .+$', "
            "example: Bearer ghp_0123456789abcdefghijABCDEFGHIJ012345}}}\n",
        ),
        "contracts/stock.yaml:5: interactions[0].request.headers.Authorization.example: the value looks like a "
        "github token, which would reach the pact. write a placeholder instead, such as 'Bearer <token>'",
        id="secret-shaped-example",
    ),
    pytest.param(
        GOOD_REQUEST.replace("[{sku: A1}]", "{$likes: 1}"),
        "contracts/stock.yaml:6: interactions[0].response.body.$likes: unknown matcher $likes. did you mean $like?",
        id="unknown-matcher",
    ),
    pytest.param(
        GOOD_REQUEST.replace("operation: list_items", "operation: remove_stock"),
        "contracts/stock.yaml:3: interactions[0].operation: operation 'remove_stock' is not registered "
        "for provider 'stock'. registered: list_items, get_item, add_item",
        id="operation-not-in-registry",
    ),
    pytest.param(
        GOOD_REQUEST.replace("status: 200", "status: ok"),
        "contracts/stock.yaml:6: interactions[0].response.status: expected an HTTP status code, got 'ok'",
        id="status-not-a-number",
    ),
    pytest.param(
        GOOD_REQUEST.replace("    request: {}\n", "    request: {}\n    reqest: {}\n"),
        "contracts/stock.yaml:6: interactions[0].reqest: unknown key 'reqest'. did you mean 'request'?",
        id="misspelt-key",
    ),
    pytest.param(
        GOOD_REQUEST.replace("response: {status: 200, body: [{sku: A1}]}", "response: {status: 200"),
        "contracts/stock.yaml:7: invalid YAML: did not find expected ',' or '}'",
        id="malformed-yaml",
    ),
    pytest.param(
        GOOD_REQUEST.replace("[{sku: A1}]", "{$regex: '^B', example: A1}"),
        "contracts/stock.yaml:6: interactions[0].response.body.$regex: the example 'A1' does not match the pattern '^B' "
        "(the whole value must match)",
        id="regex-example-contradicts-pattern",
    ),
    pytest.param(
        GOOD_REQUEST.replace("[{sku: A1}]", "{$datetime: '2024-05-01 10:00'}"),
        "contracts/stock.yaml:6: interactions[0].response.body.$datetime: the example '2024-05-01 10:00' does "
        "not have the format '%Y-%m-%dT%H:%M:%SZ' (time data '2024-05-01 10:00' does not match format "
        "'%Y-%m-%dT%H:%M:%SZ')",
        id="datetime-example-contradicts-format",
    ),
    pytest.param(
        GOOD_REQUEST.replace("[{sku: A1}]", "{$each_like: 1, min: 0}"),
        "contracts/stock.yaml:6: interactions[0].response.body.min: $each_like needs min of at least 1 "
        "(use an empty list literal for none)",
        id="each-like-min-zero",
    ),
    pytest.param(
        GOOD_REQUEST.replace("[{sku: A1}]", "{$null_or: {sku: A1}}"),
        "contracts/stock.yaml:6: interactions[0].response.body.$null_or: $null_or takes a scalar value or a "
        "scalar matcher, not a mapping or list",
        id="null-or-over-a-mapping",
    ),
    pytest.param(
        GOOD_REQUEST.replace("    request: {}\n", "    request: {path_params: {id: A1}}\n"),
        "contracts/stock.yaml:5: interactions[0].request.path_params.id: /items has no path parameter 'id'",
        id="unknown-path-parameter",
    ),
    pytest.param(
        GOOD_REQUEST + GOOD_REQUEST.split("interactions:\n")[1],
        "contracts/stock.yaml:8: interactions[1].description: duplicate interaction 'the items' with the same "
        "provider states (first at line 3)",
        id="duplicate-interaction",
    ),
    pytest.param(
        "provider: stock\n",
        "contracts/stock.yaml:1: interactions: expected a non-empty list of interactions",
        id="no-interactions",
    ),
]


@pytest.mark.parametrize(("contract", "message"), BAD_CONTRACTS)
def test_bad_contract_exits_2_naming_file_and_key_path(project, run_cli, contract, message):
    project.write(contract)
    code, out, err = run_cli("consumer", "--registry", "registry.yaml")
    assert (code, out) == (2, "")
    assert err == f"error: {message}\n"
    assert not project.pacts.exists()


def test_missing_contract_file_exits_2(project, run_cli):
    project.write(GOOD_REQUEST)
    project.contract.unlink()
    code, _, err = run_cli("consumer", "--registry", "registry.yaml")
    assert (code, err) == (2, "error: contracts/stock.yaml: file not found\n")


def test_unknown_provider_exits_2(project, run_cli):
    project.write(GOOD_REQUEST)
    code, _, err = run_cli("consumer", "--registry", "registry.yaml", "--provider", "stocks")
    assert (code, err) == (2, "error: registry.yaml has no provider 'stocks' (known: stock)\n")
