"""Publishing pacts: the consumer version (git SHA by default), its branch, tags and build URL.

A broker with the contracts-publishing endpoint (`pb:publish-contracts`, Pact Broker 2.86 and later) gets every
pact in one request, with the branch and tags; an older one gets each pact through `pb:publish-pact`, then each
tag through `pb:pacticipant-version-tag` (its branch cannot be recorded there, and the outcome says so).
A pact's content is sent as the bytes of its file, so the broker stores what the consumer run wrote.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractkit.broker.client import BrokerClient, BrokerError
from contractkit.core.errors import PactFileError
from contractkit.core.loading import parse_json_value, read_bytes

__all__ = ["PactToPublish", "PublishOutcome", "publish_pacts", "read_pact_to_publish"]


@dataclass(frozen=True, slots=True)
class PactToPublish:
    """One pact file: who it is between, and its bytes as written."""

    path: Path
    consumer: str
    provider: str
    content: bytes


@dataclass(frozen=True, slots=True)
class PublishOutcome:
    """What publishing did: the endpoint used, the broker's log lines, and what could not be recorded."""

    consumer: str
    version: str
    endpoint: str
    published: tuple[str, ...]
    logs: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def read_pact_to_publish(path: Path) -> PactToPublish:
    """A pact file's consumer and provider names and its bytes; bad input names the file and the key."""
    content = read_bytes(path, PactFileError)
    try:
        data = parse_json_value(content)
    except ValueError as exc:
        raise PactFileError(f"not JSON ({exc})", file=path) from exc
    names = []
    for role in ("consumer", "provider"):
        name = data.get(role, {}).get("name") if isinstance(data, dict) and isinstance(data.get(role), dict) else None
        if not isinstance(name, str) or not name:
            raise PactFileError(
                "expected the pacticipant's name, a non-empty string", file=path, key_path=(role, "name")
            )
        names.append(name)
    return PactToPublish(path, names[0], names[1], content)


def publish_pacts(
    client: BrokerClient,
    pacts: Sequence[PactToPublish],
    *,
    version: str,
    branch: str | None = None,
    tags: Sequence[str] = (),
    build_url: str | None = None,
) -> PublishOutcome:
    """Publish the pacts of one consumer version, by the contracts-publishing endpoint when the broker has it."""
    consumers = sorted({pact.consumer for pact in pacts})
    if len(consumers) != 1:
        raise BrokerError(
            f"the pacts to publish name {len(consumers)} consumers ({', '.join(consumers) or 'none'}): "
            "a consumer version publishes its own pacts",
            hint="publish each consumer's pacts with its own version",
        )
    if client.has_relation("pb:publish-contracts"):
        return _publish_contracts(client, pacts, consumers[0], version, branch, tags, build_url)
    return _publish_each(client, pacts, consumers[0], version, branch, tags)


def _publish_contracts(
    client: BrokerClient,
    pacts: Sequence[PactToPublish],
    consumer: str,
    version: str,
    branch: str | None,
    tags: Sequence[str],
    build_url: str | None,
) -> PublishOutcome:
    body: dict[str, Any] = {"pacticipantName": consumer, "pacticipantVersionNumber": version}
    if branch:
        body["branch"] = branch
    if tags:
        body["tags"] = list(tags)
    if build_url:
        body["buildUrl"] = build_url
    body["contracts"] = [
        {
            "consumerName": pact.consumer,
            "providerName": pact.provider,
            "specification": "pact",
            "contentType": "application/json",
            "content": base64.b64encode(pact.content).decode("ascii"),
            "onConflict": "merge",
        }
        for pact in pacts
    ]
    relation = "pb:publish-contracts"
    answer = client.send("POST", client.relation(relation), body, relation=relation)
    logs = tuple(str(entry.get("message", "")) for entry in answer.data.get("logs") or () if isinstance(entry, dict))
    return PublishOutcome(consumer, version, relation, tuple(str(p.path) for p in pacts), logs)


def _publish_each(
    client: BrokerClient,
    pacts: Sequence[PactToPublish],
    consumer: str,
    version: str,
    branch: str | None,
    tags: Sequence[str],
) -> PublishOutcome:
    relation = "pb:publish-pact"
    for pact in pacts:
        url = client.relation(
            relation, {"provider": pact.provider, "consumer": pact.consumer, "consumerApplicationVersion": version}
        )
        client.send("PUT", url, parse_json_value(pact.content), relation=f"{relation} ({pact.path})")
    notes = []
    for tag in tags:
        tag_relation = "pb:pacticipant-version-tag"
        url = client.relation(tag_relation, {"pacticipant": consumer, "version": version, "tag": tag})
        client.send("PUT", url, {}, relation=tag_relation)
    if branch:
        notes.append(f"branch {branch!r} not recorded: the broker has no contracts-publishing endpoint")
    return PublishOutcome(consumer, version, relation, tuple(str(p.path) for p in pacts), (), tuple(notes))
