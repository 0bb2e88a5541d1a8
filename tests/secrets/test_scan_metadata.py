"""`contracts scan` judges a cassette's metadata by its structure, as the recorder judges a body: a field named
`Key` holding a plain word (an AWS call's `GroupBy`) is no secret, a password or a token in it is."""

from __future__ import annotations

from pathlib import Path

import yaml

from contractkit.recording.scan import iter_cassette_secrets
from contractkit.secrets import rules_for

TOKEN = "ghp_" + "Q7x9LmT2vB8nK4pR6sW1yZ3cF5hJ0dG" + "abcde"


def _cassette(folder: Path, metadata: dict[str, object]) -> Path:
    interaction = {
        "request": {"method": "POST", "uri": "https://ce.us-east-1.amazonaws.com/", "body": None, "headers": {}},
        "response": {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": "{}"}},
    }
    path = folder / "cassette.yaml"
    path.write_text(yaml.safe_dump({"interactions": [interaction], "version": 1, "metadata": metadata}))
    return path


def test_a_plain_word_under_a_field_named_key_is_not_flagged(tmp_path: Path) -> None:
    metadata = {"call": {"params": {"GroupBy": [{"Type": "DIMENSION", "Key": "SERVICE"}]}}}
    assert list(iter_cassette_secrets(_cassette(tmp_path, metadata), rules_for(None, {}))) == []


def test_a_password_or_a_token_in_the_metadata_is_flagged_at_its_line(tmp_path: Path) -> None:
    metadata = {"call": {"params": {"Password": "Zq8!mT2vB8nK4pR"}}, "note": f"token {TOKEN}"}
    found = list(iter_cassette_secrets(_cassette(tmp_path, metadata), rules_for(None, {})))
    assert sorted(kind for _, kind in found) == ["github-token", "password"]
    assert all(line is not None for line, _ in found)
