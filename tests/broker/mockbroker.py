"""The Pact Broker's contract, served: interactions of a pact file (the official client's, or ours) registered on
the Pact core's mock server (pact-python), on 127.0.0.1 at a port chosen at run time.

The responses' `http://127.0.0.1:9999/...` links (the address the pacts were written against) are rewritten to the
mock server's own address by the Pact `MockServerURL` generator, so a client following the links reaches the
interactions the pact describes. Every test checks that the mock saw no request the pact does not describe.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from pact import Pact

PACTS = Path(__file__).parent / "pacts"
OFFICIAL = PACTS / "pact-broker-client-v2-pact-broker.json"
OURS = PACTS / "contractkit-pact-broker.json"
_PLACEHOLDER = re.compile(r"^http://(?:127\.0\.0\.1|localhost):9999(/.*)$")


def interactions(path: Path) -> list[dict[str, Any]]:
    """The interactions of a V2 pact file."""
    return json.loads(path.read_text(encoding="utf-8"))["interactions"]


def pick(path: Path, *wanted: tuple[str, str | None]) -> list[dict[str, Any]]:
    """The interactions with these (description, provider state) pairs, each of which must exist exactly once."""
    every = interactions(path)
    chosen = []
    for description, state in wanted:
        found = [i for i in every if i["description"] == description and i.get("providerState") == state]
        assert len(found) == 1, f"{path.name}: {description!r} given {state!r} found {len(found)} times"
        chosen.append(found[0])
    return chosen


def _generators(value: Any, path: str = "$") -> dict[str, Any]:
    if isinstance(value, Mapping):
        found: dict[str, Any] = {}
        for key, item in value.items():
            found.update(_generators(item, f"{path}['{key}']"))
        return found
    if isinstance(value, list):
        return {k: v for n, item in enumerate(value) for k, v in _generators(item, f"{path}[{n}]").items()}
    if isinstance(value, str) and _PLACEHOLDER.match(value):
        return {path: {"type": "MockServerURL", "example": value, "regex": r".*:9999(/.*)$"}}
    return {}


def _request_rules(rules: Mapping[str, Any]) -> dict[str, Any]:
    body = {
        "$" + key[len("$.body") :]: {"combine": "AND", "matchers": [rule]}
        for key, rule in rules.items()
        if key.startswith("$.body")
    }
    return {"body": body} if body else {}


def _register(pact: Pact, interaction: Mapping[str, Any]) -> None:
    built = pact.upon_receiving(interaction["description"])
    if interaction.get("providerState"):
        built.given(interaction["providerState"])
    request, response = interaction["request"], interaction["response"]
    built.with_request(request["method"].upper(), request["path"])
    for name, value in parse_qsl(request.get("query", ""), keep_blank_values=True):
        built.with_query_parameter(name, value)
    headers = dict(request.get("headers") or {})
    content_type = headers.pop("Content-Type", "application/json")
    for name, value in headers.items():
        built.with_header(name, value)
    if "body" in request:
        built.with_body(json.dumps(request["body"]), content_type)
    elif "Content-Type" in (request.get("headers") or {}):
        built.with_header("Content-Type", content_type)
    if request.get("matchingRules"):
        built.with_matching_rules(_request_rules(request["matchingRules"]), "Request")
    built.will_respond_with(response["status"])
    headers = dict(response.get("headers") or {})
    content_type = headers.pop("Content-Type", "application/json")
    for name, value in headers.items():
        built.with_header(name, value)
    if "body" in response:
        built.with_body(json.dumps(response["body"]), content_type)
        generators = _generators(response["body"])
        if generators:
            built.with_generators({"body": generators}, "Response")
    elif "Content-Type" in (response.get("headers") or {}):
        built.with_header("Content-Type", content_type)


@contextmanager
def serve(chosen: list[dict[str, Any]]) -> Iterator[str]:
    """The interactions served on 127.0.0.1; yields the base URL; fails on a request the pact does not describe
    and on an interaction never requested."""
    pact = Pact("contractkit", "Pact Broker").with_specification("V4")
    for interaction in chosen:
        _register(pact, interaction)
    with pact.serve(addr="127.0.0.1", port=0, raises=False) as server:
        yield str(server.url).rstrip("/")
        assert not server.mismatches, f"requests the broker's pact does not describe, or left out: {server.mismatches}"
