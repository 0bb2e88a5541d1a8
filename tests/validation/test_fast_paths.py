"""The fast paths of `contracts validate` give the same answers as the slow ones: YAML cassettes, shared validators,
self-reference checks done once per document, the paused collector, and the orjson-read description."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.core.errors import CassetteError, SchemaLoadError
from contractkit.validation.recordings import collector_paused, load_validator, validate_recordings
from contractkit.validation.responses import SpecValidator
from contractkit.validation.schemas import SharedSchemas
from contractkit.validation.sources import FastCassetteLoader, load_recording

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["GET", "200", "true", "null", "~", "1.5", "0x1f", "2023-05-01", "yes", "<<"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_the_cassette_loader_reads_what_the_safe_loader_reads(value):
    for text in (yaml.dump(value), yaml.dump(value, default_style='"')):
        assert yaml.load(text, Loader=FastCassetteLoader) == yaml.safe_load(text)


def test_anchors_merge_keys_and_tags_read_as_the_safe_loader_reads_them():
    text = (
        "base: &base {method: GET, status: 200, ok: true, at: 2023-05-01}\n"
        "one: {<<: *base, status: 404}\n"
        "two: [*base, *base, !!str 12, '12', 1.5e3, null, ~]\n"
    )
    assert yaml.load(text, Loader=FastCassetteLoader) == yaml.safe_load(text)


def test_a_yaml_cassette_gives_the_same_interactions_as_its_json_twin(tmp_path: Path):
    cassette = {
        "version": 1,
        "interactions": [
            {
                "request": {
                    "body": None,
                    "headers": {"Accept": ["application/json"]},
                    "method": "GET",
                    "uri": "http://example.test/items?page=2",
                },
                "response": {
                    "body": {"string": json.dumps([{"id": 1, "name": "x: y", "on": True}])},
                    "headers": {"Content-Type": ["application/json"]},
                    "status": {"code": 200, "message": "OK"},
                },
            }
        ],
    }
    as_yaml, as_json = tmp_path / "c.yaml", tmp_path / "c.json"
    as_yaml.write_text(yaml.dump(cassette))
    as_json.write_text(json.dumps(cassette))

    assert load_recording(as_yaml).interactions == load_recording(as_json).interactions


def _document(schemas: dict) -> dict:
    def operation(name: str) -> dict:
        return {
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                }
            }
        }

    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/good": {"get": operation("Good")}, "/loop": {"get": operation("Loop")}},
        "components": {"schemas": schemas},
    }


def test_a_self_reference_is_refused_every_time_even_after_the_schemas_it_shares_were_checked():
    document = _document(
        {
            "Good": {"type": "object", "properties": {"name": {"$ref": "#/components/schemas/Name"}}},
            "Name": {"type": "string"},
            "Loop": {
                "type": "object",
                "properties": {
                    "name": {"$ref": "#/components/schemas/Name"},
                    "next": {"$ref": "#/components/schemas/Next"},
                },
            },
            "Next": {"$ref": "#/components/schemas/Next"},
        }
    )
    validator = SpecValidator(document, source="openapi.json")
    assert validator.validate("get", "/good", 200, {"content-type": "application/json"}, b'{"name": "x"}') == []

    for _ in range(2):
        with pytest.raises(SchemaLoadError, match=r"schema #/components/schemas/Next is only a reference to itself"):
            validator.validate("get", "/loop", 200, {"content-type": "application/json"}, b"{}")


def test_schemas_of_the_same_content_share_one_validator():
    document = _document({"Good": {"type": "object", "required": ["name"]}})
    schemas = SharedSchemas(document)

    first = schemas.compile({"$ref": "#/components/schemas/Good"})

    assert schemas.compile({"$ref": "#/components/schemas/Good"}) is first
    assert schemas.compile({"$ref": "#/components/schemas/Good", "description": "other"}) is not first
    assert not first.is_valid({}) and first.is_valid({"name": 1})


def test_the_collector_resumes_as_it_was_even_when_reading_fails(tmp_path: Path):
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(_document({"Good": {"type": "object"}, "Loop": {"type": "object"}})))
    broken = tmp_path / "broken.json"
    broken.write_text('{"interactions": [')

    with pytest.raises(CassetteError):
        validate_recordings(spec, [broken])
    assert gc.isenabled()

    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_a_malformed_json_description_still_names_its_line(tmp_path: Path):
    spec = tmp_path / "openapi.json"
    spec.write_text('{\n  "openapi": "3.0.3",\n  "paths": {,}\n}\n')

    with pytest.raises(SchemaLoadError) as caught:
        load_validator(spec)

    assert caught.value.line == 3
    assert str(caught.value).startswith(f"{spec}:3: invalid JSON: ")
