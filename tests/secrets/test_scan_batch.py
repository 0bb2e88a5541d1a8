"""`contracts scan` judges a large cassette on every usable core: the same secrets, at the same lines, as one
process finds, and a small cassette stays in this process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from contractkit.recording.scan import iter_cassette_secrets
from contractkit.secrets import batch, rules_for

TOKENS = ["ghp_" + f"{index:02d}Q7x9LmT2vB8nK4pR6sW1yZ3cF5hJ0dG" for index in range(6)]


def _cassette(folder: Path, interactions: int) -> Path:
    recorded = []
    for index in range(interactions):
        items = [{"id": index * 100 + item, "name": f"repo-{item}", "description": "x" * 120} for item in range(60)]
        if index % 50 == 7:
            items[3]["deploy_key"] = TOKENS[index // 50 % len(TOKENS)]
        recorded.append(
            {
                "request": {
                    "method": "GET",
                    "uri": f"https://api.example.test/repos?page={index}",
                    "body": None,
                    "headers": {"Accept": ["application/json"]},
                },
                "response": {
                    "status": {"code": 200, "message": "OK"},
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {"string": json.dumps(items)},
                },
            }
        )
    path = folder / "repos.yaml"
    path.write_text(yaml.safe_dump({"interactions": recorded, "version": 1}, sort_keys=False))
    return path


def test_a_large_cassette_is_scanned_in_parts_with_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _cassette(tmp_path, 400)
    rules = rules_for(None, {})
    shared: list[int] = []
    real = batch._workers
    monkeypatch.setattr(batch, "_workers", lambda items, processes: shared.append(real(items, 2)) or shared[-1])
    in_parts = list(iter_cassette_secrets(path, rules))
    monkeypatch.setattr(batch, "_workers", lambda items, processes: 1)
    alone = list(iter_cassette_secrets(path, rules))
    assert path.stat().st_size >= batch.MIN_BATCH_BYTES and shared == [2]  # the cassette was shared indeed
    assert in_parts == alone
    lines = {line for line, _ in alone}
    assert len(lines) == 8 and None not in lines  # every planted token, at its own line
