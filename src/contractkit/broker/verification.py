"""Pacts for verification and verification results, in the broker's vocabulary.

`fetch_pacts_for_verification` asks the broker (`pb:provider-pacts-for-verification`) which pacts a provider
version must verify, by consumer version selectors (main branch, deployed or released, matching branch, explicit
consumer/branch/tag), with the pending status and work-in-progress pacts when asked. Each pact comes back with
its notices (the broker's words on why it is verified and whether its failure counts) and the link its
verification result is published to (`pb:publish-verification-results`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from contractkit.broker.client import BrokerClient, BrokerError, mapping
from contractkit.core.errors import UsageError
from contractkit.core.loading import parse_json_value

__all__ = [
    "DEFAULT_SELECTORS",
    "BrokerPact",
    "InteractionResult",
    "fetch_pacts_for_verification",
    "pact_text",
    "parse_selector",
    "publish_verification_result",
]

# What Pact recommends verifying when nothing is said: the consumers' main branches and what is in an environment.
DEFAULT_SELECTORS: tuple[Mapping[str, Any], ...] = ({"mainBranch": True}, {"deployedOrReleased": True})
_FLAGS = {
    "main-branch": "mainBranch",
    "matching-branch": "matchingBranch",
    "deployed-or-released": "deployedOrReleased",
    "deployed": "deployed",
    "released": "released",
    "latest": "latest",
}
_VALUES = {
    "consumer": "consumer",
    "branch": "branch",
    "tag": "tag",
    "environment": "environment",
    "fallback-branch": "fallbackBranch",
    "fallback-tag": "fallbackTag",
}


@dataclass(frozen=True, slots=True)
class BrokerPact:
    """A pact the broker asks the provider to verify: its content, whether it is pending or WIP, the notices,
    and where its verification result goes."""

    consumer: str
    description: str
    content: Mapping[str, Any]
    pending: bool
    wip: bool
    notices: tuple[str, ...]
    publish_url: str | None


@dataclass(frozen=True, slots=True)
class InteractionResult:
    """One interaction's verification outcome, as the broker's testResults record it."""

    description: str
    success: bool
    mismatches: tuple[str, ...] = ()


def parse_selector(text: str) -> dict[str, Any]:
    """`main-branch`, `deployed-or-released`, `matching-branch`, `consumer=billing,branch=feat-x`, `tag=prod,latest`,
    or a JSON object as the broker takes it, as one consumer version selector; UsageError for anything else."""
    text = text.strip()
    if text.startswith("{"):
        try:
            given = parse_json_value(text)
        except ValueError as exc:
            raise UsageError(f"--selector {text!r}: not a JSON object ({exc})") from exc
        if not isinstance(given, dict) or not given:
            raise UsageError(f"--selector {text!r}: expected a non-empty JSON object")
        return given
    selector: dict[str, Any] = {}
    for part in (part.strip() for part in text.split(",")):
        key, _, value = part.partition("=")
        if key in _FLAGS and not value:
            selector[_FLAGS[key]] = True
        elif key in _VALUES and value:
            selector[_VALUES[key]] = value
        else:
            known = ", ".join([*_FLAGS, *(f"{name}=VALUE" for name in _VALUES)])
            raise UsageError(f"--selector {text!r}: {part!r} is not a selector part (expected {known}, or JSON)")
    return selector


def fetch_pacts_for_verification(
    client: BrokerClient,
    provider: str,
    *,
    selectors: Sequence[Mapping[str, Any]] = DEFAULT_SELECTORS,
    provider_branch: str | None = None,
    include_pending: bool = False,
    include_wip_since: str | None = None,
) -> list[BrokerPact]:
    """The pacts the provider must verify, each fetched with its content and its verification properties."""
    relation = "pb:provider-pacts-for-verification"
    body: dict[str, Any] = {"consumerVersionSelectors": [dict(selector) for selector in selectors]}
    if provider_branch:
        body["providerVersionBranch"] = provider_branch
    if include_pending:
        body["includePendingStatus"] = True
    if include_wip_since:
        body["includeWipPactsSince"] = include_wip_since
    answer = client.send("POST", client.relation(relation, {"provider": provider}), body, relation=relation)
    return [_fetch_pact(client, item) for item in answer.embedded("pacts")]


def _fetch_pact(client: BrokerClient, item: Mapping[str, Any]) -> BrokerPact:
    self_link = mapping(mapping(item.get("_links")).get("self"))
    href = self_link.get("href")
    if not isinstance(href, str):
        raise BrokerError("pb:provider-pacts-for-verification: a pact without a self link", hint="is this a broker?")
    pact = client.get(href, relation=f"pact {self_link.get('name') or href}")
    properties = mapping(item.get("verificationProperties"))
    notices = tuple(
        str(notice.get("text", "")) for notice in properties.get("notices") or () if isinstance(notice, Mapping)
    )
    consumer = mapping(pact.data.get("consumer")).get("name", "")
    content = {key: value for key, value in pact.data.items() if key not in ("_links", "_embedded")}
    return BrokerPact(
        consumer=str(consumer),
        description=str(item.get("shortDescription") or self_link.get("name") or href),
        content=content,
        pending=bool(properties.get("pending")),
        wip=bool(properties.get("wip")),
        notices=notices,
        publish_url=pact.href("pb:publish-verification-results"),
    )


def publish_verification_result(
    client: BrokerClient,
    pact: BrokerPact,
    *,
    provider: str,
    provider_version: str,
    success: bool,
    results: Sequence[InteractionResult],
    provider_branch: str | None = None,
    build_url: str | None = None,
    tool_version: str = "",
) -> list[str]:
    """Publish one pact's verification result (and the provider version's branch first, when the broker links
    it); the notes say what could not be recorded."""
    notes = []
    if pact.publish_url is None:
        return [f"{pact.description}: the broker gave no pb:publish-verification-results link; nothing published"]
    if provider_branch:
        if client.has_relation("pb:pacticipant-branch-version"):
            relation = "pb:pacticipant-branch-version"
            values = {"pacticipant": provider, "branch": provider_branch, "version": provider_version}
            client.send("PUT", client.relation(relation, values), {}, relation=relation)
        else:
            notes.append(f"branch {provider_branch!r} not recorded: the broker links no pb:pacticipant-branch-version")
    body: dict[str, Any] = {
        "success": success,
        "providerApplicationVersion": provider_version,
        "testResults": [_test_result(result) for result in results],
        "verifiedBy": {"implementation": "contractkit", "version": tool_version},
    }
    if build_url:
        body["buildUrl"] = build_url
    client.send("POST", pact.publish_url, body, relation="pb:publish-verification-results")
    return notes


def _test_result(result: InteractionResult) -> dict[str, Any]:
    data: dict[str, Any] = {"interactionDescription": result.description, "success": result.success}
    if result.mismatches:
        data["mismatches"] = [{"description": text} for text in result.mismatches]
    return data


def pact_text(pact: BrokerPact) -> str:
    """The pact as a file holds it (the broker's links left out)."""
    return json.dumps(pact.content, indent=2, ensure_ascii=False) + "\n"
