"""The loaded description is cached between runs, keyed by the file's content: a second load reads the entry and
gives the same description and verdicts, an edited file never meets an old entry, a damaged entry is ignored,
and `CONTRACTKIT_NO_CACHE=1` reads and writes nothing."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from contractkit.core.cache import cache_folder
from contractkit.core.errors import SchemaLoadError
from contractkit.validation import load_validator, validate_recordings

DESCRIPTION = {
    "openapi": "3.0.3",
    "info": {"title": "pets", "version": "1"},
    "paths": {
        "/pets/{id}": {
            "get": {
                "responses": {
                    "200": {
                        "description": "a pet",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                    }
                }
            }
        }
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}, "tag": {"type": "string", "nullable": True}},
            }
        }
    },
}


def _cassette(folder: Path, body: dict) -> Path:
    interaction = {
        "request": {"method": "GET", "uri": "https://pets.test/pets/1", "body": None, "headers": {}},
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": {"Content-Type": ["application/json"]},
            "body": {"string": json.dumps(body)},
        },
    }
    path = folder / "recorded.json"
    path.write_text(json.dumps({"version": 1, "interactions": [interaction]}))
    return path


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


def test_a_second_load_reads_the_entry_and_gives_the_same_verdicts(tmp_path: Path, description_cache: Path):
    spec = tmp_path / "pets.json"
    spec.write_text(json.dumps(DESCRIPTION))
    cassette = _cassette(tmp_path, {"tag": None})  # name missing
    first = load_validator(spec)
    assert len(_entries(description_cache)) == 1
    stamp = _entries(description_cache)[0].stat().st_mtime_ns
    second = load_validator(spec)
    assert _entries(description_cache)[0].stat().st_mtime_ns == stamp  # read, not written again
    assert second.document == first.document == DESCRIPTION
    verdicts = [
        [(row.status, row.message) for row in validate_recordings(v, [cassette]).results] for v in (first, second)
    ]
    assert verdicts[0] == verdicts[1]
    assert verdicts[0][0][0].value == "failed" and "name" in verdicts[0][0][1]


def test_an_edited_description_never_meets_the_old_entry(tmp_path: Path, description_cache: Path):
    spec = tmp_path / "pets.json"
    spec.write_text(json.dumps(DESCRIPTION))
    load_validator(spec)
    changed = json.loads(json.dumps(DESCRIPTION))
    changed["components"]["schemas"]["Pet"]["required"] = []
    spec.write_text(json.dumps(changed))
    assert load_validator(spec).document == changed
    assert len(_entries(description_cache)) == 2
    report = validate_recordings(load_validator(spec), [_cassette(tmp_path, {"tag": None})])
    assert [row.status.value for row in report.results] == ["passed"]


def test_a_damaged_entry_is_ignored_and_an_entry_builds_nothing_but_data(tmp_path: Path, description_cache: Path):
    spec = tmp_path / "pets.json"
    spec.write_text(json.dumps(DESCRIPTION))
    load_validator(spec)
    (entry,) = _entries(description_cache)
    entry.write_bytes(b"\x80\x05garbage")
    assert load_validator(spec).document == DESCRIPTION
    entry.write_bytes(pickle.dumps({"paths": {}, "x": Path("/")}))  # an object by name: refused, loaded afresh
    assert load_validator(spec).document == DESCRIPTION


def test_no_cache_reads_and_writes_nothing(tmp_path: Path, description_cache: Path, monkeypatch):
    monkeypatch.setenv("CONTRACTKIT_NO_CACHE", "1")
    assert cache_folder() is None
    spec = tmp_path / "pets.json"
    spec.write_text(json.dumps(DESCRIPTION))
    assert load_validator(spec).document == DESCRIPTION
    assert _entries(description_cache) == []


def test_the_folder_follows_xdg_when_not_named(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("CONTRACTKIT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_folder() == tmp_path / "contractkit"


def test_a_broken_description_is_an_error_every_time_and_is_not_cached(tmp_path: Path, description_cache: Path):
    spec = tmp_path / "broken.json"
    spec.write_text('{"openapi": "3.0.3", "paths": {"/a": {"get": {"responses": {"200": {"$ref": "http://x/y"}}}}}}')
    for _ in range(2):
        with pytest.raises(SchemaLoadError, match="points to a URL"):
            load_validator(spec)
    assert _entries(description_cache) == []


def test_an_unwritable_cache_folder_costs_nothing_but_time(tmp_path: Path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CONTRACTKIT_CACHE_DIR", str(blocker / "cache"))
    spec = tmp_path / "pets.json"
    spec.write_text(json.dumps(DESCRIPTION))
    assert load_validator(spec).document == DESCRIPTION
