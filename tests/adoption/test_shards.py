"""--shard I/N splits the work; `contracts report merge` joins the shards into the unsharded report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractkit.core.errors import UsageError
from contractkit.core.shards import Shard, parse_shard, select_shard

REPO = Path(__file__).resolve().parents[2]


@given(st.sets(st.text(min_size=1, max_size=12), max_size=30), st.integers(min_value=1, max_value=6))
def test_shards_partition_the_items_evenly(names: set[str], count: int) -> None:
    parts = [select_shard(sorted(names), Shard(index, count)) for index in range(1, count + 1)]
    assert sorted(name for part in parts for name in part) == sorted(names)
    assert max(map(len, parts)) - min(map(len, parts)) <= 1


@given(st.lists(st.text(min_size=1, max_size=12), unique=True, max_size=20), st.randoms())
def test_the_assignment_does_not_depend_on_the_listing_order(names: list[str], random) -> None:
    shuffled = list(names)
    random.shuffle(shuffled)
    assert set(select_shard(names, Shard(1, 3))) == set(select_shard(shuffled, Shard(1, 3)))


@pytest.mark.parametrize("text", ["0/2", "3/2", "1/0", "two", "1-2", ""])
def test_a_bad_shard_is_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="expected I/N|between 1 and N"):
        parse_shard(text)


def test_bad_shard_on_the_command_line_is_exit_2(run_cli) -> None:
    code, _, err = run_cli("verify", "--registry", str(REPO / "registry.yaml"), "--all", "--shard", "3/2")
    assert code == 2
    assert "--shard '3/2': I must be between 1 and N" in err


def _results(path: Path) -> list[dict]:
    data = json.loads(path.read_text())
    for result in data["results"]:
        result.pop("duration", None)
    return data["results"]


@pytest.mark.parametrize("command", [["consumer"], ["verify", "--all"]])
def test_sharded_runs_merged_equal_the_unsharded_report(tmp_path: Path, run_cli, command: list[str]) -> None:
    base = [*command, "--registry", str(REPO / "registry.yaml"), "--format", "json"]
    if command == ["consumer"]:
        base += ["--pacts", str(tmp_path / "pacts")]
    whole = tmp_path / "whole.json"
    assert run_cli(*base, "-o", str(whole))[0] == 0
    shards = [tmp_path / f"shard-{index}.json" for index in (1, 2, 3)]
    for index, path in enumerate(shards, 1):
        assert run_cli(*base, "--shard", f"{index}/3", "-o", str(path))[0] == 0
    sizes = [len(_results(path)) for path in shards]
    assert all(sizes), sizes  # every shard did some of the work
    merged, unsharded = tmp_path / "merged.json", tmp_path / "unsharded.json"
    assert run_cli("report", "merge", *map(str, shards), "--format", "json", "-o", str(merged))[0] == 0
    assert run_cli("report", "merge", str(whole), "--format", "json", "-o", str(unsharded))[0] == 0
    assert _results(merged) == _results(unsharded)
    summary = json.loads(merged.read_text())["summary"]
    assert summary["failed"] == 0 and summary["total"] == len(_results(whole))


def test_merge_exits_1_when_a_shard_failed(tmp_path: Path, run_cli) -> None:
    passed = {
        "title": "t",
        "results": [
            {"check": "pact", "provider": "a", "operation": "x", "interaction": "i", "status": "passed", "findings": []}
        ],
    }
    failed = {
        "title": "t",
        "results": [
            {
                "check": "pact",
                "provider": "b",
                "operation": "y",
                "interaction": "j",
                "status": "failed",
                "message": "m",
                "findings": [{"code": "CK421", "severity": "error", "message": "m"}],
            }
        ],
    }
    (tmp_path / "1.json").write_text(json.dumps(passed))
    (tmp_path / "2.json").write_text(json.dumps(failed))
    code, out, _ = run_cli("report", "merge", str(tmp_path / "1.json"), str(tmp_path / "2.json"))
    assert code == 1
    assert "1 passed, 1 failed" in out and "Failures (1):" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not a JSON report"),
        ('{"results": 3}', "results: expected a list of check results"),
        (
            '{"results": [{"status": "great"}]}',
            "results[0].status: expected one of passed, failed, skipped, seeded, got 'great'",
        ),
    ],
)
def test_a_bad_saved_report_names_the_file_and_key(tmp_path: Path, run_cli, content: str, message: str) -> None:
    path = tmp_path / "r.json"
    path.write_text(content)
    code, _, err = run_cli("report", "merge", str(path))
    assert code == 2
    assert str(path) in err and message in err and "Traceback" not in err
