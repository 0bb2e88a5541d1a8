"""A large recording validated on several processes gives the same rows, in the same order, as one process: a
vcrpy YAML cassette cut at its interactions, a JSON cassette validated in slices, and a cassette whose cut would
fall inside a body (read whole instead). Bad input is still reported with its file and key path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_description_cache import DESCRIPTION
from vcr.serializers import yamlserializer

from contractkit.core import jobs
from contractkit.core.errors import CassetteError, UsageError
from contractkit.core.jobs import job_count
from contractkit.validation import parallel, validate_recordings
from contractkit.validation.parallel import cut_points
from contractkit.validation.recordings import load_validator


def _interaction(number: int) -> dict:
    body = {"name": f"pet {number}"} if number % 3 else {"tag": None}  # every third fails: name missing
    if number % 7 == 0:
        body = {"name": "- a dash\n- at the start of a line"}
    return {
        "request": {"method": "GET", "uri": f"https://pets.test/pets/{number}", "body": None, "headers": {}},
        "response": {
            "status": {"code": 200 if number % 11 else 404, "message": "OK"},
            "headers": {"Content-Type": ["application/json"]},
            "body": {"string": json.dumps(body, indent=1)},
        },
    }


def _rows(spec: Path, cassette: Path) -> list[tuple]:
    report = validate_recordings(load_validator(spec), [cassette])
    return [(row.interaction, row.status, row.message, row.details["index"]) for row in report.results]


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "pets.json"
    path.write_text(json.dumps(DESCRIPTION))
    return path


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_parts_give_the_rows_of_one_process_in_order(spec: Path, tmp_path: Path, monkeypatch, small_parts, suffix):
    cassette = {"interactions": [_interaction(number) for number in range(60)], "version": 1}
    path = tmp_path / f"recorded{suffix}"
    path.write_text(yamlserializer.serialize(cassette) if suffix == ".yaml" else json.dumps(cassette))
    monkeypatch.setenv("CONTRACTKIT_JOBS", "1")
    alone = _rows(spec, path)
    monkeypatch.setenv("CONTRACTKIT_JOBS", "3")
    assert parallel.validate_in_parts(path, lambda recording, offset: [], jobs=3) == []  # it does run in parts
    assert _rows(spec, path) == alone
    assert [row[3] for row in alone] == list(range(60))
    assert sum(row[1].value == "failed" for row in alone) > 10


def test_a_cut_inside_a_body_reads_the_file_whole(spec: Path, tmp_path: Path, monkeypatch, small_parts):
    cassette = {"interactions": [_interaction(number) for number in range(12)], "version": 1}
    text = yamlserializer.serialize(cassette)
    # a hand-written body whose folded lines start with "- " at the first column: not an interaction
    body = "'{\"name\":\n\n- not an interaction\n\n- nor this\"}'"
    text = text.replace('string: "{\\n \\"name\\": \\"pet 1\\"\\n}"', "string: " + body, 1)
    assert "- not an interaction" in text
    path = tmp_path / "recorded.yaml"
    path.write_text(text)
    assert len(cut_points(text, 4) or []) > 1
    assert parallel.validate_in_parts(path, lambda recording, offset: [], jobs=4) is None
    monkeypatch.setenv("CONTRACTKIT_JOBS", "4")
    rows = _rows(spec, path)
    monkeypatch.setenv("CONTRACTKIT_JOBS", "1")
    assert rows == _rows(spec, path)


def test_a_malformed_interaction_is_still_named_with_its_index(spec: Path, tmp_path: Path, monkeypatch, small_parts):
    interactions = [_interaction(number) for number in range(20)]
    del interactions[13]["response"]["status"]
    path = tmp_path / "recorded.yaml"
    path.write_text(yamlserializer.serialize({"interactions": interactions, "version": 1}))
    monkeypatch.setenv("CONTRACTKIT_JOBS", "3")
    with pytest.raises(CassetteError, match=r"interactions\[13\]|interactions.13"):
        validate_recordings(load_validator(spec), [path])


def test_a_wrong_version_is_refused_in_parts_too(spec: Path, tmp_path: Path, monkeypatch, small_parts):
    path = tmp_path / "recorded.yaml"
    path.write_text(yamlserializer.serialize({"interactions": [_interaction(n) for n in range(9)], "version": 2}))
    monkeypatch.setenv("CONTRACTKIT_JOBS", "2")
    with pytest.raises(CassetteError, match="unknown cassette format version 2"):
        validate_recordings(load_validator(spec), [path])


def test_the_number_of_processes_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("CONTRACTKIT_JOBS", "3")
    assert job_count() == 3
    monkeypatch.setenv("CONTRACTKIT_JOBS", "many")
    with pytest.raises(UsageError, match="CONTRACTKIT_JOBS='many': expected a whole number"):
        job_count()


def test_by_default_only_cores_other_work_leaves_free_are_used(monkeypatch):
    monkeypatch.delenv("CONTRACTKIT_JOBS", raising=False)
    monkeypatch.setattr(jobs.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(jobs.os, "getloadavg", lambda: (1.0, 1.0, 1.0))  # this process alone
    assert job_count() == 4
    monkeypatch.setattr(jobs.os, "getloadavg", lambda: (3.2, 1.0, 1.0))
    assert job_count() == 2
    monkeypatch.setattr(jobs.os, "getloadavg", lambda: (9.0, 1.0, 1.0))
    assert job_count() == 1
