"""`contracts gate --base REF` over message descriptions, in a real git repository made in tmp_path: a field a
consumer's handler reads, removed from the message's JSON Schema (or from an AsyncAPI message's payload), blocks
naming the consumer; a change no consumer's message reads does not."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from contractkit.cli import main

ROOT = Path(__file__).resolve().parents[2]
PUSH = json.loads((ROOT / "schemas/github-webhooks/push.schema.json").read_text())
REGISTRY = """\
version: 1
consumer: devctl
consumer_pacts: [other-pacts]
gate: {unused_breaking: warn}
providers:
  github-webhooks:
    title: GitHub webhooks
    messages:
      push: {event: push, transport: webhook, schema: schemas/push.schema.json}
  orders:
    title: order events
    messages:
      order_placed: {event: order.placed, transport: sns, asyncapi: schemas/asyncapi.yaml, message: OrderPlaced}
"""
ASYNCAPI = """\
asyncapi: 3.0.0
info: {title: orders, version: "1"}
channels:
  orders:
    address: orders
    messages:
      OrderPlaced: {$ref: "#/components/messages/OrderPlaced"}
operations:
  sendOrderPlaced: {action: send, channel: {$ref: "#/channels/orders"}}
components:
  messages:
    OrderPlaced:
      payload: {$ref: "#/components/schemas/Order"}
  schemas:
    Order:
      type: object
      required: [id, total]
      properties:
        id: {type: string}
        total: {type: number}
        note: {type: string}
"""


def _git(repo: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(repo), *arguments], check=True, capture_output=True, text=True)


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _message_pact(consumer: str, provider: str, description: str, content: Any, message: str) -> dict[str, Any]:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "metadata": {"pactSpecification": {"version": "4.0"}},
        "interactions": [
            {
                "type": "Asynchronous/Messages",
                "description": description,
                "comments": {"message": message},
                "contents": {"contentType": "application/json", "encoded": False, "content": content},
                "metadata": {"contentType": "application/json"},
            }
        ],
    }


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A committed registry with a webhook and an AsyncAPI message; devctl reads a push's `after` and `pusher.name`,
    billing (another team's pact) reads an order's `total`."""
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.email", "gate@example.invalid")
    _git(root, "config", "user.name", "gate test")
    _write(root / "registry.yaml", REGISTRY)
    _write(root / "schemas/push.schema.json", PUSH)
    _write(root / "schemas/asyncapi.yaml", ASYNCAPI)
    push = {"ref": "refs/heads/main", "after": "6dcb09b5b57875f334f61aebed695e2e4193db5e", "pusher": {"name": "octo"}}
    _write(
        root / "pacts/devctl-github-webhooks.json", _message_pact("devctl", "github-webhooks", "a push", push, "push")
    )
    order = {"id": "o-1", "total": 12.5}
    _write(root / "other-pacts/billing-orders.json", _message_pact("billing", "orders", "an order", order, ""))
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    return root


def _gate(repo: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["gate", "--registry", str(repo / "registry.yaml"), "--base", "main", "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def _edit_push(repo: Path, edit: Any) -> None:
    schema = copy.deepcopy(PUSH)
    edit(schema)
    _write(repo / "schemas/push.schema.json", schema)


def _blocking(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item in result["changes"] if item["verdict"] == "block"]


def test_unchanged_descriptions_pass(repo, capsys):
    code, result = _gate(repo, capsys)
    assert code == 0 and _blocking(result) == []


def test_removing_a_field_the_handler_reads_blocks_naming_the_consumer(repo, capsys):
    def drop_after(schema: dict[str, Any]) -> None:
        del schema["properties"]["after"]
        schema["required"].remove("after")

    _edit_push(repo, drop_after)
    code, result = _gate(repo, capsys)
    assert code == 1
    (change,) = _blocking(result)
    assert change["provider"] == "github-webhooks" and change["file"] == "schemas/push.schema.json"
    assert "after" in change["message"]
    assert "devctl (a push)" in change["note"] and "$.after" in change["note"]
    assert {item["consumer"] for item in change["breaks"]} == {"devctl"}
    assert "schemas/push.schema.json" in result["compared"]


def test_retyping_a_nested_field_the_handler_reads_blocks(repo, capsys):
    def retype(schema: dict[str, Any]) -> None:
        schema["definitions"]["committer"]["properties"]["name"] = {"type": "integer"}

    _edit_push(repo, retype)
    code, result = _gate(repo, capsys)
    assert code == 1
    assert any("devctl (a push)" in item["note"] and "pusher.name" in item["note"] for item in _blocking(result))


def test_removing_a_field_no_handler_reads_does_not_block(repo, capsys):
    def drop_compare(schema: dict[str, Any]) -> None:
        del schema["properties"]["compare"]
        schema["required"].remove("compare")

    _edit_push(repo, drop_compare)
    code, result = _gate(repo, capsys)
    assert code == 0 and _blocking(result) == []
    assert any("compare" in item["message"] and item["verdict"] == "warn" for item in result["changes"])


def test_an_asyncapi_payload_field_another_team_reads_blocks_naming_that_team(repo, capsys):
    text = ASYNCAPI.replace("      required: [id, total]\n", "      required: [id]\n").replace(
        "        total: {type: number}\n", ""
    )
    _write(repo / "schemas/asyncapi.yaml", text)
    code, result = _gate(repo, capsys)
    assert code == 1
    (change,) = _blocking(result)
    assert change["provider"] == "orders" and change["file"] == "schemas/asyncapi.yaml"
    assert "billing (an order)" in change["note"] and "$.total" in change["note"]


def test_message_pacts_of_other_libraries_in_consumer_pacts_do_not_stop_the_gate(repo, capsys):
    """A V3 message pact (written through pact-python) and a V4 one (pact-jvm) among other teams' pacts: read, and
    checked against the providers they name, instead of failing the gate for every provider."""
    interop = Path(__file__).parent / "data" / "interop"
    for name in ("pact-python-v3-message.json", "pact-jvm-v4-message-pact.json"):
        (repo / "other-pacts" / name).write_text((interop / name).read_text())
    _edit_push(repo, lambda schema: schema["properties"].pop("compare") and schema["required"].remove("compare"))
    code, result = _gate(repo, capsys)
    assert code == 0 and _blocking(result) == []


def test_a_pact_expecting_a_field_the_unchanged_description_lacks_fails_naming_its_consumer(repo, capsys):
    wrong = _message_pact("ops", "github-webhooks", "a push with a deploy key", {"deploy_key": "k"}, "push")
    _write(repo / "other-pacts/ops-github-webhooks.json", wrong)
    code, result = _gate(repo, capsys)
    assert code == 1 and result["changes"] == []
    (finding,) = [item for item in result["pact_findings"] if item["severity"] == "error"]
    assert "ops (a push with a deploy key)" in finding["message"] and "deploy_key" in finding["message"]
