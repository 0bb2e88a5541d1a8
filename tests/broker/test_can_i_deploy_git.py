"""can-i-deploy without a broker: a local git repository (made here) where two consumers commit their pacts with
grafana, `contracts verify --record-results` records what provider version p1 verified, provider version p2 is
never verified, and `contracts record-deployment` says what is in prod. The answers have the broker's shape."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GRAFANA_PACT = REPO / "pacts" / "devctl-grafana.json"


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _commit_pact(repo: Path, consumer: str, interactions: slice = slice(None)) -> str:
    pact = json.loads(GRAFANA_PACT.read_text())
    pact["consumer"]["name"] = consumer
    pact["interactions"] = pact["interactions"][interactions]
    (repo / "consumer-pacts" / f"{consumer}-grafana.json").write_text(json.dumps(pact, indent=2))
    _git(repo, "add", "consumer-pacts")
    _git(repo, "commit", "-q", "-m", f"{consumer}: pact with grafana")
    return _git(repo, "rev-parse", "HEAD")


@pytest.fixture
def project(tmp_path: Path) -> dict[str, object]:
    """The project in git: web commits its pact (web1), mobile commits its own (mobile1)."""
    repo = tmp_path / "project"
    repo.mkdir()
    for name in ("schemas", "cassettes", "contracts", "pacts"):
        shutil.copytree(REPO / name, repo / name)
    registry = (
        (REPO / "registry.yaml")
        .read_text()
        .replace("pacts: pacts\n", "pacts: pacts\nconsumer_pacts: [consumer-pacts]\n", 1)
    )
    (repo / "registry.yaml").write_text(registry)
    (repo / "consumer-pacts").mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "ci@example.com")
    _git(repo, "config", "user.name", "ci")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "the project")
    web1 = _commit_pact(repo, "web")
    mobile1 = _commit_pact(repo, "mobile", slice(0, 2))
    return {"repo": repo, "web1": web1, "mobile1": mobile1}


def _deploy(run_cli, repo: Path, pacticipant: str, version: str) -> None:
    code, _, err = run_cli(
        "record-deployment", "--pacticipant", pacticipant, "--version", version, "--environment", "prod",
        "--results", str(repo / "contract-results"),
    )  # fmt: skip
    assert code == 0, err


def _can_i_deploy(run_cli, repo: Path, pacticipant: str, version: str, *extra: str) -> tuple[int, str, str]:
    return run_cli(
        "can-i-deploy", "--pacticipant", pacticipant, "--version", version, "--to", "prod",
        "--repository", str(repo), "--pacts-folder", "consumer-pacts", *extra,
    )  # fmt: skip


def test_can_i_deploy_from_git_history_and_recorded_results(project: dict, run_cli) -> None:
    repo, web1, mobile1 = project["repo"], project["web1"], project["mobile1"]
    code, _, err = run_cli(
        "verify", "--registry", str(repo / "registry.yaml"), "--provider", "grafana", "--record-results",
        "--results", str(repo / "contract-results"), "--provider-version", "p1", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    assert f"recorded 3 pact verification(s) of grafana p1 in {repo / 'contract-results'}" in err
    _deploy(run_cli, repo, "web", web1)
    _deploy(run_cli, repo, "mobile", mobile1)

    code, out, _ = _can_i_deploy(run_cli, repo, "grafana", "p1")
    assert code == 0, out
    assert out.startswith("Computer says yes \\o/\n")
    assert f"mobile   | {mobile1} | grafana  | p1        | true     | 1" in out
    assert f"web      | {web1} | grafana  | p1        | true     | 2" in out
    assert out.endswith("All required verification results are published and successful\n")

    code, out, _ = _can_i_deploy(run_cli, repo, "grafana", "p2", "--format", "json")
    assert code == 1
    answer = json.loads(out)
    assert answer["summary"] == {
        "deployable": False,
        "reason": f"There is no verified pact between the version of mobile currently deployed to prod ({mobile1}) "
        f"and version p2 of grafana; There is no verified pact between the version of web currently deployed to "
        f"prod ({web1}) and version p2 of grafana",
        "unknown": 2,
    }
    assert [row["verificationResult"] for row in answer["matrix"]] == [None, None]


def test_a_verification_belongs_to_the_pacts_content_and_reads_from_a_results_branch(project: dict, run_cli) -> None:
    repo, web1 = project["repo"], project["web1"]
    assert run_cli(
        "verify", "--registry", str(repo / "registry.yaml"), "--provider", "grafana", "--record-results",
        "--results", str(repo / "contract-results"), "--provider-version", "p1", "--format", "json",
    )[0] == 0  # fmt: skip
    _deploy(run_cli, repo, "grafana", "p1")
    # the mobile commit left web's pact as it was: the verification of web1's pact holds for it too
    assert _can_i_deploy(run_cli, repo, "web", project["mobile1"])[0] == 0
    web2 = _commit_pact(repo, "web", slice(1, 3))  # web changes its pact: p1 never verified this content
    code, out, _ = _can_i_deploy(run_cli, repo, "web", web2)
    assert code == 1
    assert out.endswith(
        f"There is no verified pact between version {web2} of web and the version of grafana currently deployed "
        "to prod (p1)\n"
    )
    # the same answer from a results branch instead of the working tree's folder
    _git(repo, "checkout", "-q", "-b", "contract-results")
    _git(repo, "add", "contract-results")
    _git(repo, "commit", "-q", "-m", "results")
    _git(repo, "checkout", "-q", "main")
    assert not (repo / "contract-results").exists()  # only the results branch holds them now
    code, out, _ = _can_i_deploy(run_cli, repo, "web", web1, "--results", "git:contract-results:contract-results")
    assert code == 0 and out.startswith("Computer says yes")
    code, _, err = _can_i_deploy(run_cli, repo, "web", web1)
    assert code == 2
    assert "contract-results/environments/prod.json: no record of environment 'prod'" in err


def test_a_broken_environments_file_is_bad_input(tmp_path: Path, run_cli) -> None:
    environments = tmp_path / "contract-results" / "environments"
    environments.mkdir(parents=True)
    (environments / "prod.json").write_text("{not json")
    code, _, err = run_cli(
        "record-deployment", "--pacticipant", "web", "--version", "c1", "--environment", "prod",
        "--results", str(tmp_path / "contract-results"),
    )  # fmt: skip
    assert code == 2
    assert err.startswith(f"error: {environments / 'prod.json'}: not JSON (") and "Traceback" not in err


def test_a_consumer_version_that_names_no_commit_is_bad_input(project: dict, run_cli) -> None:
    repo = project["repo"]
    _deploy(run_cli, repo, "grafana", "p1")
    code, _, err = _can_i_deploy(run_cli, repo, "web", "not-a-commit")
    assert code == 2
    assert f"error: web version 'not-a-commit' names no commit of {repo}" in err
