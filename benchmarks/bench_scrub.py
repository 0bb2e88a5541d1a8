"""Scrubbing recorded traffic: 100 MB of interactions (JSON lists, AWS-style XML, gzip-compressed JSON bodies,
form requests) through `scrub_interaction`, the pass the recorder runs before anything reaches disk.

Run: python3 benchmarks/bench_scrub.py [--runs 5] [--megabytes 100] [--processes 2]

The traffic is generated from a seed: realistic bodies full of ids, commit SHAs, image digests, dates, URLs and
prose, with one secret planted in every tenth interaction (a vendor token, a credential of the run, a base64
document holding a password). Throughput is the bytes of the traffic as recorded (bodies as they travelled,
compressed ones compressed; headers; URIs) divided by the time of the scrubbing pass only (generation excluded),
both wall-clock and CPU time of the process (the machine is shared, so the wall clock includes waiting for a
core); the decompressed size is printed too. Prints the median (min-max) of the runs, and checks that every planted secret went.

With `--processes N` (N > 1) the traffic is scrubbed as one batch by `scrub_batch`, shared among N worker
processes; a new pool is started for every run and its start is timed with the run. CPU time is then the
process's own plus that of the workers (read from the fork server that reaps them), and is also given per core.
With `--by-kind`, each kind of body (JSON, XML, gzip-compressed JSON) is also timed apart.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import os
import random
import statistics
import string
import time

from contractkit.cassettes import RecordedInteraction, RecordedRequest, RecordedResponse
from contractkit.secrets.batch import scrub_batch
from contractkit.secrets.formats import looks_random, shannon_entropy
from contractkit.secrets.scrub import forget_verdicts, rules_for, scrub_interaction

ALNUM = string.ascii_letters + string.digits
CREDENTIALS = {"SHOP_API_TOKEN": "shop-Zq8Xv2Lm9Nb4Kt7Rw3Yc"}


def _text(rng: random.Random, n: int, alphabet: str = ALNUM) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


_URL_KINDS = (
    "forks",
    "keys",
    "collaborators",
    "teams",
    "hooks",
    "issue_events",
    "events",
    "assignees",
    "branches",
    "tags",
    "blobs",
    "git_tags",
    "git_refs",
    "trees",
    "statuses",
    "languages",
    "stargazers",
    "contributors",
    "subscribers",
    "subscription",
    "commits",
    "git_commits",
    "comments",
    "issue_comment",
    "contents",
    "compare",
    "merges",
    "archive",
    "downloads",
    "issues",
    "pulls",
    "milestones",
    "notifications",
    "labels",
    "releases",
    "deployments",
)


def _item(rng: random.Random, index: int) -> dict[str, object]:
    """A repository as GitHub's REST API describes one (its documented fields), with an image digest, a commit
    SHA and a Kubernetes-style name/value list added, so ids, hashes and pair lists all occur."""
    api = f"https://api.example.test/repos/octo/repository-{index}"
    owner = {"login": "octo", "id": 583231, "node_id": "MDEyOk9yZ2FuaXphdGlvbjU4MzIzMQ==", "type": "Organization"}
    owner |= {f"{kind}_url": f"https://api.example.test/users/octo/{kind}" for kind in ("followers", "repos", "events")}
    item: dict[str, object] = {
        "id": 1296269 + index,
        "node_id": base64.b64encode(f"010:Repository{1296269 + index}".encode()).decode(),
        "name": f"repository-{index}",
        "full_name": f"octo/repository-{index}",
        "private": index % 2 == 0,
        "owner": owner,
        "html_url": f"https://example.test/octo/repository-{index}",
        "description": "A repository that holds code, documentation and the tests of a small service.",
        "fork": False,
        "url": api,
        **{f"{kind}_url": f"{api}/{kind}{{/id}}" for kind in _URL_KINDS},
        "created_at": "2026-12-07T10:%02d:%02dZ" % (index % 60, index % 59),
        "updated_at": "2026-12-07T11:00:00Z",
        "pushed_at": "2026-12-07T11:30:00Z",
        "password_changed_at": "2026-11-30T08:00:00Z",
        "clone_url": f"https://example.test/octo/repository-{index}.git",
        "homepage": "https://example.test",
        "size": rng.randint(10, 90000),
        "stargazers_count": rng.randint(0, 5000),
        "language": "Python",
        "has_issues": True,
        "archived": False,
        "license": {"key": "mit", "name": "MIT License", "spdx_id": "MIT"},
        "topics": ["api", "contracts", "python"],
        "default_branch": "main",
        "score": round(rng.random(), 4),
        "head_sha": "%040x" % rng.getrandbits(160),
    }
    if index % 4 == 0:
        item["image"] = "registry.example.test/octo/app@sha256:%064x" % rng.getrandbits(256)
        item["env"] = [
            {"name": "GIT_COMMIT", "value": "%040x" % rng.getrandbits(160)},
            {"name": "REGION", "value": "eu"},
        ]
    return item


_SECRETS = (
    lambda rng: "ghp_" + _text(rng, 36),
    lambda rng: "xoxb-" + _text(rng, 12, string.digits) + "-" + _text(rng, 24),
    lambda rng: CREDENTIALS["SHOP_API_TOKEN"],
    lambda rng: base64.b64encode(json.dumps({"password": _text(rng, 20)}).encode()).decode(),
)


def _json_interaction(rng: random.Random, index: int, secret: str | None) -> RecordedInteraction:
    items = [_item(rng, index * 12 + n) for n in range(12)]
    if secret:
        items[rng.randrange(12)]["note"] = secret
    body = json.dumps(items)
    return _interaction(f"/repos?page={index}", {"Content-Type": ("application/json",)}, body)


def _gzip_interaction(rng: random.Random, index: int, secret: str | None) -> RecordedInteraction:
    items = [_item(rng, index * 12 + n) for n in range(12)]
    if secret:
        items[0]["note"] = secret
    raw = gzip.compress(json.dumps(items).encode(), mtime=0)
    headers = {"Content-Type": ("application/json",), "Content-Encoding": ("gzip",)}
    return _interaction(f"/repos/archive?page={index}", headers, raw)


def _xml_interaction(rng: random.Random, index: int, secret: str | None) -> RecordedInteraction:
    members = "".join(
        f"<member><UserName>user-{index}-{n}</UserName><UserId>AIDA{_text(rng, 17, string.ascii_uppercase)}</UserId>"
        f"<Arn>arn:aws:iam::123456789012:user/user-{index}-{n}</Arn><CreateDate>2026-12-07T10:00:00Z</CreateDate>"
        f"<Path>/</Path><Tags><member><Key>team</Key><Value>payments</Value></member></Tags></member>"
        for n in range(60)
    )
    note = f"<Note>{secret}</Note>" if secret else ""
    body = (
        f'<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users>{members}'
        f"</Users>{note}<IsTruncated>false</IsTruncated></ListUsersResult></ListUsersResponse>"
    )
    return _interaction(f"/?Action=ListUsers&Page={index}", {"Content-Type": ("text/xml",)}, body)


def _interaction(uri: str, headers: dict[str, tuple[str, ...]], body: str | bytes) -> RecordedInteraction:
    request = RecordedRequest(
        "GET",
        f"https://api.example.test{uri}",
        {"Authorization": ("Bearer " + CREDENTIALS["SHOP_API_TOKEN"],), "Accept": ("application/json",)},
        None,
    )
    return RecordedInteraction(request, RecordedResponse(200, headers, body, "OK"))


def traffic(megabytes: float, seed: int = 7) -> tuple[list[RecordedInteraction], int, list[str]]:
    """Interactions of about `megabytes` of bodies, their total size in bytes, and the secrets planted."""
    rng = random.Random(seed)
    made: list[RecordedInteraction] = []
    planted: list[str] = []
    size = 0
    makers = (_json_interaction, _json_interaction, _xml_interaction, _gzip_interaction)
    while size < megabytes * 1_000_000:
        index = len(made)
        secret = _SECRETS[index // 10 % len(_SECRETS)](rng) if index % 10 == 0 else None
        if secret:
            planted.append(secret)
        interaction = makers[index % len(makers)](rng, index, secret)
        made.append(interaction)
        size += _size(interaction)
    return made, size, planted


def _size(interaction: RecordedInteraction, *, decompressed: bool = False) -> int:
    """Bytes as recorded: the body as it travelled (compressed bodies compressed), the URI and the headers."""
    body = interaction.response.body or ""
    if decompressed and isinstance(body, bytes) and body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    headers = sum(
        len(name) + len(value)
        for side in (interaction.request, interaction.response)
        for name, values in side.headers.items()
        for value in values
    )
    return len(body if isinstance(body, bytes) else body.encode()) + len(interaction.request.uri) + headers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--megabytes", type=float, default=100.0)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--by-kind", action="store_true")
    arguments = parser.parse_args()
    interactions, size, planted = traffic(arguments.megabytes)
    decoded = sum(_size(interaction, decompressed=True) for interaction in interactions)
    rules = rules_for(None, CREDENTIALS)
    scrub_interaction(interactions[0], rules)  # compile the formats once, as a recording run does
    walls, cpus, cleaned = _measure(interactions, size, rules, arguments.runs, arguments.processes)
    leaked = _leaked(cleaned, planted)
    cores = f", {statistics.median(cpus) / arguments.processes:.1f} MB/s per core" if arguments.processes > 1 else ""
    print(
        f"scrubbed {size / 1_000_000:.1f} MB ({decoded / 1_000_000:.1f} MB decompressed) in {len(interactions)} "
        f"interactions, {arguments.runs} runs, {arguments.processes} process(es): wall {statistics.median(walls):.1f} "
        f"MB/s median ({min(walls):.1f}-{max(walls):.1f}), CPU {statistics.median(cpus):.1f} MB/s median "
        f"({min(cpus):.1f}-{max(cpus):.1f}){cores}; {len(planted)} secrets planted, {leaked} leaked"
    )
    if arguments.by_kind:
        for kind, chosen in _kinds(interactions).items():
            kind_size = sum(map(_size, chosen))
            walls, cpus, _ = _measure(chosen, kind_size, rules, arguments.runs, arguments.processes)
            print(
                f"  {kind}: {len(chosen)} interactions, {kind_size / 1_000_000:.1f} MB as recorded: wall "
                f"{statistics.median(walls):.1f} MB/s ({min(walls):.1f}-{max(walls):.1f}), CPU "
                f"{statistics.median(cpus):.1f} MB/s ({min(cpus):.1f}-{max(cpus):.1f})"
            )


def _measure(
    interactions: list[RecordedInteraction], size: int, rules: object, runs: int, processes: int
) -> tuple[list[float], list[float], list[RecordedInteraction]]:
    """Throughput of `runs` scrubbing passes, wall clock and CPU (MB/s), and the last pass's result."""
    walls, cpus, cleaned = [], [], []
    for _ in range(runs):
        looks_random.cache_clear()  # each run meets its values for the first time, as a recording does
        shannon_entropy.cache_clear()
        forget_verdicts(rules)  # type: ignore[arg-type]
        started, cpu, workers = time.perf_counter(), time.process_time(), _workers_cpu()
        if processes > 1:
            cleaned = scrub_batch(interactions, rules, processes=processes)  # type: ignore[arg-type]
        else:
            cleaned = [scrub_interaction(interaction, rules) for interaction in interactions]  # type: ignore[arg-type]
        walls.append(size / 1_000_000 / (time.perf_counter() - started))
        spent = time.process_time() - cpu + _workers_cpu() - workers
        cpus.append(size / 1_000_000 / spent)
    return walls, cpus, cleaned


def _workers_cpu() -> float:
    """CPU seconds of the worker processes that have ended: they are children of the fork server, which reaps
    them (cutime and cstime of /proc/<pid>/stat); 0 before any pool started."""
    from multiprocessing import forkserver

    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)  # noqa: SLF001 - measuring only
    if not pid:
        return 0.0
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def _kinds(interactions: list[RecordedInteraction]) -> dict[str, list[RecordedInteraction]]:
    """The interactions by kind of response body: JSON, XML, gzip-compressed JSON."""
    kinds: dict[str, list[RecordedInteraction]] = {"JSON": [], "XML": [], "gzip JSON": []}
    for interaction in interactions:
        body = interaction.response.body
        kind = "gzip JSON" if isinstance(body, bytes) else "XML" if str(body).startswith("<") else "JSON"
        kinds[kind].append(interaction)
    return kinds


def _leaked(cleaned: list[RecordedInteraction], planted: list[str]) -> int:
    texts = []
    for interaction in cleaned:
        body = interaction.response.body or ""
        if isinstance(body, bytes):
            body = gzip.decompress(body).decode() if body[:2] == b"\x1f\x8b" else body.decode("latin-1")
        texts.append(body + json.dumps(interaction.request.headers))
    everything = "\n".join(texts)
    return sum(1 for secret in set(planted) if secret in everything)


if __name__ == "__main__":
    main()
