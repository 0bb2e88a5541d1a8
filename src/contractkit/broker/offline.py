"""can-i-deploy without a broker: the matrix computed from git and from the results `contracts verify` records.

Teams without a broker keep everything in git:

- the pacts, committed by each consumer version: a consumer version is a commit, and its pact with a provider is
  the pact file of the pacts folder at that commit;
- the verification results, one file per provider version (`verifications/<provider>/<version>.json` in a
  results folder, or in a results branch read as `git:REF:FOLDER`), written by `contracts verify
  --record-results`: for each consumer pact verified, the SHA-256 of its content and whether it held;
- the environments, one file each (`environments/<name>.json`: which version of each pacticipant is deployed
  there), written by `contracts record-deployment` without `--broker`.

A verification belongs to a pact's content, as in the broker: a consumer version whose pact did not change since
a verified one is verified too. The answer has the broker's shape and reasons (`DeployAnswer`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from contractkit.broker.client import mapping
from contractkit.broker.deploy import DeployAnswer, MatrixRow
from contractkit.broker.gitrepo import file_at, files_at, resolve_commit
from contractkit.core.errors import UsageError
from contractkit.core.files import write_text_atomic
from contractkit.core.loading import parse_json_value
from contractkit.core.model import Report, Status

__all__ = [
    "PactOutcome",
    "ResultsStore",
    "can_i_deploy_offline",
    "pact_digest",
    "pact_outcomes",
    "record_deployment_offline",
    "record_verification",
]


@dataclass(frozen=True, slots=True)
class PactOutcome:
    """One consumer pact's verification by one provider version."""

    consumer: str
    pact_sha256: str
    success: bool
    pending: bool = False
    interactions: tuple[tuple[str, bool], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The results file's entry."""
        return {
            "consumer": self.consumer,
            "pactSha256": self.pact_sha256,
            "success": self.success,
            "pending": self.pending,
            "testResults": [{"interactionDescription": d, "success": ok} for d, ok in self.interactions],
        }


def pact_digest(text: str | bytes) -> str:
    """The SHA-256 of a pact's content, independent of its formatting and key order."""
    canonical = json.dumps(parse_json_value(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ResultsStore:
    """The results folder, on disk or in a git ref (`git:REF:FOLDER`, read-only)."""

    def __init__(self, location: str, repository: Path) -> None:
        self.repository = repository
        self.ref: str | None = None
        self.folder = location
        if location.startswith("git:"):
            ref, _, folder = location[4:].partition(":")
            if not ref:
                raise UsageError(f"--results {location!r}: expected git:REF:FOLDER, such as git:contract-results:.")
            self.ref, self.folder = ref, folder or "."

    def display(self, relative: str) -> str:
        """How a message names a file of the store."""
        path = f"{self.folder.rstrip('/')}/{relative}"
        return f"git:{self.ref}:{path}" if self.ref else path

    def read(self, relative: str) -> Any | None:
        """The JSON a file of the store holds (None when absent); bad JSON names the file."""
        path = f"{self.folder.rstrip('/')}/{relative}" if self.folder not in ("", ".") else relative
        if self.ref is not None:
            text = file_at(self.ref, path, self.repository)
        else:
            full = self.repository / path
            text = full.read_text(encoding="utf-8") if full.is_file() else None
        if text is None:
            return None
        try:
            return parse_json_value(text)
        except ValueError as exc:
            raise UsageError(f"{self.display(relative)}: not JSON ({exc})") from exc


def _safe(name: str) -> str:
    return "".join(char if char.isalnum() or char in "-_." else "_" for char in name)


def record_verification(
    folder: Path,
    provider: str,
    version: str,
    outcomes: Sequence[PactOutcome],
    *,
    branch: str | None = None,
    now: datetime | None = None,
) -> Path:
    """Write the results file of one provider version (atomically); returns its path."""
    path = folder / "verifications" / _safe(provider) / f"{_safe(version)}.json"
    body = {
        "provider": provider,
        "providerVersion": version,
        "branch": branch,
        "verifiedAt": (now or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        "results": [outcome.to_dict() for outcome in outcomes],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    return path


def record_deployment_offline(folder: Path, environment: str, pacticipant: str, version: str) -> Path:
    """Record in the results folder that a pacticipant version is deployed to an environment."""
    path = folder / "environments" / f"{_safe(environment)}.json"
    try:
        current = parse_json_value(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except ValueError as exc:
        raise UsageError(f"{path}: not JSON ({exc})", hint="fix or remove the file, then record again") from exc
    deployed = dict(current.get("deployed") or {}) if isinstance(current, dict) else {}
    deployed[pacticipant] = version
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"environment": environment, "deployed": dict(sorted(deployed.items()))}
    write_text_atomic(path, json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    return path


def pact_outcomes(report: Report, root: Path) -> list[PactOutcome]:
    """Each consumer pact a verify report replayed (results carrying `consumer` and `pact`), with its digest,
    whether every interaction held, and each interaction's outcome."""
    grouped: dict[tuple[str, str], list[tuple[str, bool]]] = {}
    for result in report.results:
        consumer, pact = result.details.get("consumer"), result.details.get("pact")
        if result.check != "pact" or not isinstance(consumer, str) or not isinstance(pact, str):
            continue
        grouped.setdefault((consumer, pact), []).append((result.interaction, result.status is not Status.FAILED))
    outcomes = []
    for (consumer, pact), interactions in grouped.items():
        path = Path(pact) if Path(pact).is_absolute() else root / pact
        digest = pact_digest(path.read_bytes())
        pending = any(r.details.get("pending") for r in report.results if r.details.get("pact") == pact)
        outcomes.append(
            PactOutcome(consumer, digest, all(ok for _, ok in interactions), bool(pending), tuple(interactions))
        )
    return outcomes


@dataclass(frozen=True, slots=True)
class _Pact:
    consumer: str
    provider: str
    digest: str


def _pacts_at(commit: str, folder: str, repository: Path) -> list[_Pact]:
    found = []
    for path in files_at(commit, folder, repository):
        if not path.endswith(".json"):
            continue
        text = file_at(commit, path, repository) or ""
        try:
            data = parse_json_value(text)
        except ValueError:
            continue  # a file of the pacts folder that is not JSON is no pact
        if isinstance(data, Mapping) and isinstance(data.get("consumer"), Mapping):
            consumer, provider = mapping(data.get("consumer")), mapping(data.get("provider"))
            found.append(_Pact(str(consumer.get("name", "")), str(provider.get("name", "")), pact_digest(text)))
    return found


def _verified(store: ResultsStore, provider: str, version: str, pact: _Pact) -> tuple[bool | None, str]:
    relative = f"verifications/{_safe(provider)}/{_safe(version)}.json"
    data = store.read(relative)
    if not isinstance(data, Mapping):
        return None, ""
    for entry in data.get("results") or ():
        if (
            isinstance(entry, Mapping)
            and entry.get("consumer") == pact.consumer
            and entry.get("pactSha256") == pact.digest
        ):
            return bool(entry.get("success")), str(data.get("verifiedAt", ""))
    return None, ""


def _deployed(store: ResultsStore, environment: str) -> dict[str, str]:
    data = store.read(f"environments/{_safe(environment)}.json")
    if data is None:
        raise UsageError(
            f"{store.display(f'environments/{_safe(environment)}.json')}: no record of environment {environment!r}",
            hint="record what is deployed there with `contracts record-deployment --environment "
            f"{environment} --pacticipant NAME --version VERSION`",
        )
    deployed = data.get("deployed") if isinstance(data, Mapping) else None
    if not isinstance(deployed, Mapping):
        raise UsageError(f"{store.display(f'environments/{_safe(environment)}.json')}: deployed: expected a mapping")
    return {str(name): str(version) for name, version in deployed.items()}


def can_i_deploy_offline(
    pacticipant: str,
    version: str,
    environment: str,
    *,
    repository: Path,
    pacts_folder: str = "pacts",
    store: ResultsStore,
) -> DeployAnswer:
    """Can `pacticipant` at `version` go to `environment`, by the pacts in git and the recorded results?"""
    deployed = {name: v for name, v in _deployed(store, environment).items() if name != pacticipant}
    rows = list(_as_consumer(pacticipant, version, deployed, repository, pacts_folder, store))
    rows += _as_provider(pacticipant, version, deployed, repository, pacts_folder, store)
    return _summarise(rows, environment, pacticipant)


def _commit(version: str, who: str, repository: Path) -> str:
    commit = resolve_commit(version, repository)
    if commit is None:
        raise UsageError(
            f"{who} version {version!r} names no commit of {repository}",
            hint="without a broker, a consumer version is the commit that holds its pacts",
        )
    return commit


def _as_consumer(
    consumer: str, version: str, deployed: Mapping[str, str], repository: Path, folder: str, store: ResultsStore
) -> Iterable[MatrixRow]:
    if consumer not in {pact.consumer for pact in _pacts_at("HEAD", folder, repository)}:
        return  # no pact of it in the repository: it is no consumer here
    for pact in _pacts_at(_commit(version, consumer, repository), folder, repository):
        if pact.consumer == consumer and pact.provider in deployed:
            provider_version = deployed[pact.provider]
            success, when = _verified(store, pact.provider, provider_version, pact)
            yield MatrixRow(consumer, version, pact.provider, provider_version, success, when)


def _as_provider(
    provider: str, version: str, deployed: Mapping[str, str], repository: Path, folder: str, store: ResultsStore
) -> list[MatrixRow]:
    rows = []
    consumers = {pact.consumer for pact in _pacts_at("HEAD", folder, repository)}
    for consumer, consumer_version in sorted(deployed.items()):
        if consumer not in consumers:
            continue  # no pact of it in the repository (a provider only): nothing of it to verify
        commit = _commit(consumer_version, consumer, repository)
        for pact in _pacts_at(commit, folder, repository):
            if pact.consumer == consumer and pact.provider == provider:
                success, when = _verified(store, provider, version, pact)
                rows.append(MatrixRow(consumer, consumer_version, provider, version, success, when))
    return rows


def _describe(row: MatrixRow, environment: str, pacticipant: str) -> tuple[str, str]:
    def side(name: str, version: str | None) -> str:
        if name == pacticipant:
            return f"version {version} of {name}"
        return f"the version of {name} currently deployed to {environment} ({version})"

    return side(row.consumer, row.consumer_version), side(row.provider, row.provider_version)


def _summarise(rows: Sequence[MatrixRow], environment: str, pacticipant: str) -> DeployAnswer:
    reasons = []
    for row in rows:
        consumer, provider = _describe(row, environment, pacticipant)
        if row.success is None:
            reasons.append(f"There is no verified pact between {consumer} and {provider}")
        elif not row.success:
            reasons.append(f"The verification for the pact between {consumer} and {provider} failed")
    unknown = sum(1 for row in rows if row.success is None)
    if reasons:
        return DeployAnswer(False, "; ".join(reasons), tuple(rows), unknown)
    reason = (
        "All required verification results are published and successful"
        if rows
        else ("There are no missing dependencies")
    )
    return DeployAnswer(True, reason, tuple(rows), 0)
