"""can-i-deploy, record-deployment, record-release and environments, against a Pact Broker.

`can_i_deploy` asks the broker's matrix whether pacticipant versions can go to an environment (or alongside the
latest versions with a tag, or the latest of everything), and asks again while results are unknown, as Pact's
`--retry-while-unknown` does. The answer (`DeployAnswer`) is the same whether it comes from a broker or from git
(`broker/offline.py`): the rows of the matrix, the summary's verdict and the broker's reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from contractkit.broker.client import BrokerClient, BrokerError, HalResource, mapping

__all__ = [
    "DeployAnswer",
    "Environment",
    "MatrixRow",
    "VersionSelector",
    "can_i_deploy",
    "create_environment",
    "list_environments",
    "record_deployment",
    "record_release",
]


@dataclass(frozen=True, slots=True)
class VersionSelector:
    """A pacticipant version to deploy (`version` None: the latest, or the latest with `tag`)."""

    pacticipant: str
    version: str | None = None
    tag: str | None = None


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One consumer version and one provider version, and the verification between them (None: unverified)."""

    consumer: str
    consumer_version: str
    provider: str
    provider_version: str | None
    success: bool | None
    verified_at: str = ""
    result_url: str = ""
    pending: bool = False


@dataclass(frozen=True, slots=True)
class DeployAnswer:
    """The matrix's answer: deployable (None when the broker could not say), why, the rows and the unknowns."""

    deployable: bool | None
    reason: str
    rows: tuple[MatrixRow, ...]
    unknown: int = 0
    notices: tuple[str, ...] = ()
    retries: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The broker's matrix shape: `summary` (deployable, reason, unknown) and `matrix` rows."""
        return {
            "summary": {"deployable": self.deployable, "reason": self.reason, "unknown": self.unknown},
            "notices": [{"text": text} for text in self.notices],
            "matrix": [_row_to_dict(row) for row in self.rows],
        }


@dataclass(frozen=True, slots=True)
class Environment:
    """An environment the broker knows."""

    name: str
    display_name: str
    production: bool
    uuid: str


def _row_to_dict(row: MatrixRow) -> dict[str, Any]:
    result = (
        None
        if row.success is None
        else {"success": row.success, "verifiedAt": row.verified_at, "_links": {"self": {"href": row.result_url}}}
    )
    return {
        "consumer": {"name": row.consumer, "version": {"number": row.consumer_version}},
        "provider": {
            "name": row.provider,
            "version": {"number": row.provider_version} if row.provider_version else None,
        },
        "verificationResult": result,
    }


def matrix_query(
    selectors: Sequence[VersionSelector], *, environment: str | None, to_tag: str | None
) -> list[tuple[str, str]]:
    """The matrix query Pact's can-i-deploy sends for these selectors and target."""
    query: list[tuple[str, str]] = []
    for selector in selectors:
        query.append(("q[][pacticipant]", selector.pacticipant))
        if selector.version:
            query.append(("q[][version]", selector.version))
        if selector.tag:
            query += [("q[][tag]", selector.tag), ("q[][latest]", "true")]
        elif not selector.version:
            query.append(("q[][latest]", "true"))
    if len(selectors) > 1:
        return [*query, ("latestby", "cvpv")]
    query.append(("latestby", "cvp"))
    if environment:
        return [*query, ("environment", environment)]
    return [*query, ("latest", "true"), *([("tag", to_tag)] if to_tag else [])]


def can_i_deploy(
    client: BrokerClient,
    selectors: Sequence[VersionSelector],
    *,
    environment: str | None = None,
    to_tag: str | None = None,
    retry_while_unknown: int = 0,
    retry_interval: float = 10.0,
    sleep: Callable[[float], None] | None = None,
    on_retry: Callable[[int, DeployAnswer], None] | None = None,
) -> DeployAnswer:
    """The broker's matrix answer, asked again (up to `retry_while_unknown` times) while results are unknown."""
    if not selectors:
        raise BrokerError("can-i-deploy needs a pacticipant (--pacticipant NAME --version VERSION)")
    url = urljoin(client.settings.url, "matrix")  # the index links no matrix; every Pact client uses this path
    query = matrix_query(selectors, environment=environment, to_tag=to_tag)
    pause = sleep or client.sleep
    attempt = 0
    while True:
        answer = _answer(client.get(url, relation="matrix", params=query), attempt)
        if not answer.unknown or attempt >= retry_while_unknown:
            return answer
        attempt += 1
        if on_retry is not None:
            on_retry(attempt, answer)
        pause(retry_interval)


def _answer(resource: HalResource, retries: int) -> DeployAnswer:
    data = resource.data
    summary = mapping(data.get("summary"))
    rows = tuple(_row(item) for item in data.get("matrix") or () if isinstance(item, Mapping))
    deployable = summary.get("deployable")
    notices = tuple(str(n.get("text", "")) for n in data.get("notices") or () if isinstance(n, Mapping))
    return DeployAnswer(
        deployable if isinstance(deployable, bool) else None,
        str(summary.get("reason") or ""),
        rows,
        int(summary.get("unknown") or 0),
        notices,
        retries,
    )


def _name_version(item: Any) -> tuple[str, str | None]:
    if not isinstance(item, Mapping):
        return "", None
    version = item.get("version")
    number = version.get("number") if isinstance(version, Mapping) else None
    return str(item.get("name", "")), (str(number) if number is not None else None)


def _row(item: Mapping[str, Any]) -> MatrixRow:
    consumer, consumer_version = _name_version(item.get("consumer"))
    provider, provider_version = _name_version(item.get("provider"))
    result = item.get("verificationResult")
    success = result.get("success") if isinstance(result, Mapping) else None
    link = HalResource("", result).href("self") if isinstance(result, Mapping) else None
    return MatrixRow(
        consumer,
        consumer_version or "",
        provider,
        provider_version,
        success if isinstance(success, bool) else None,
        str(result.get("verifiedAt", "")) if isinstance(result, Mapping) else "",
        link or "",
    )


def _version_resource(client: BrokerClient, pacticipant: str, version: str) -> HalResource:
    relation = "pb:pacticipant-version"
    url = client.relation(relation, {"pacticipant": pacticipant, "version": version})
    return client.get(url, relation=f"{relation} ({pacticipant} {version})")


def _record(client: BrokerClient, relation: str, pacticipant: str, version: str, environment: str, body: Any) -> str:
    resource = _version_resource(client, pacticipant, version)
    href = resource.href(relation, name=environment)
    if href is None:
        offered = ", ".join(str(link.get("name")) for link in resource.links(relation) if link.get("name"))
        raise BrokerError(
            f"{relation}: environment {environment!r} is not available for {pacticipant} version {version}"
            + (f" (the broker offers {offered})" if offered else " (the broker offers none)"),
            hint="create it with `contracts broker create-environment`, or check the name",
        )
    client.send("POST", href, body, relation=relation)
    return href


def record_deployment(
    client: BrokerClient, pacticipant: str, version: str, environment: str, application_instance: str | None = None
) -> str:
    """Record that a pacticipant version is deployed to an environment (optionally one application instance)."""
    body = {"applicationInstance": application_instance, "target": application_instance} if application_instance else {}
    return _record(client, "pb:record-deployment", pacticipant, version, environment, body)


def record_release(client: BrokerClient, pacticipant: str, version: str, environment: str) -> str:
    """Record that a pacticipant version is released to an environment (it stays supported alongside others)."""
    return _record(client, "pb:record-release", pacticipant, version, environment, {})


def list_environments(client: BrokerClient) -> list[Environment]:
    """The environments the broker knows."""
    relation = "pb:environments"
    resource = client.get(client.relation(relation), relation=relation)
    return [
        Environment(
            str(item.get("name", "")),
            str(item.get("displayName") or item.get("name", "")),
            bool(item.get("production")),
            str(item.get("uuid", "")),
        )
        for item in resource.embedded("environments")
    ]


def create_environment(
    client: BrokerClient,
    name: str,
    *,
    display_name: str | None = None,
    production: bool = False,
    contacts: Sequence[tuple[str, str]] = (),
) -> Environment:
    """Create an environment; `contacts` are (name, email address) pairs."""
    relation = "pb:environments"
    body: dict[str, Any] = {"name": name, "displayName": display_name or name, "production": production}
    if contacts:
        body["contacts"] = [{"name": who, "details": {"emailAddress": email}} for who, email in contacts]
    answer = client.send("POST", client.relation(relation), body, relation=relation).data
    return Environment(
        str(answer.get("name", name)),
        str(answer.get("displayName", display_name or name)),
        bool(answer.get("production", production)),
        str(answer.get("uuid", "")),
    )
