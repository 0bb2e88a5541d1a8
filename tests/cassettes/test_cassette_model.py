"""Loading, writing and comparing cassettes; seeded cassettes for the example registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.cassettes import (
    Cassette,
    RecordedInteraction,
    RecordedRequest,
    RecordedResponse,
    dump_cassette,
    iter_cassettes,
    iter_drift,
    iter_pact_breaks,
    load_cassette,
    write_cassette,
)
from contractkit.core.errors import CassetteError
from contractkit.recording import RecordOptions, record_cassettes
from contractkit.recording.instances import regex_instance, schema_instance
from contractkit.registry import load_registry

REPO = Path(__file__).resolve().parents[2]


def _cassette(path: Path, body: str = '{"a": 1}', status: int = 200) -> Cassette:
    request = RecordedRequest("GET", "http://127.0.0.1/api/x?q=1", {"Accept": ("application/json",)}, None)
    response = RecordedResponse(status, {"Content-Type": ("application/json",)}, body, "OK")
    return Cassette(
        path, (RecordedInteraction(request, response, "x"),), {"operation": "x", "provider": "p", "source": "local"}
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("interactions: [\n", "broken.yaml:2: invalid YAML"),
        (
            "interactions:\n- request: {method: GET, uri: 'http://h/'}\n",
            "broken.yaml:2: interactions[0]: malformed interaction (missing key 'response')",
        ),
        (
            "interactions:\n- request: {method: GET, uri: 'http://h/', body: !!python/object/apply:os.system [ls]}\n"
            "  response: {status: {code: 200}}\n",
            "broken.yaml:2: unsupported YAML",
        ),
        (
            "interactions:\n- request: {method: GET, uri: 'http://h/'}\n  response: {status: {code: ok}}\n",
            "broken.yaml:2: interactions[0]: malformed interaction (response.status.code: expected an integer, got 'ok')",
        ),
        ("just text\n", "broken.yaml:1: expected a mapping with an 'interactions' list (vcrpy format)"),
    ],
)
def test_broken_cassettes_name_file_key_path_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(CassetteError) as error:
        load_cassette(path)
    assert error.value.describe().replace(str(tmp_path) + "/", "").startswith(message)


def test_old_vcrpy_bytesio_bodies_are_read_as_bytes(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(
        "interactions:\n- request: {method: PUT, uri: 'http://h/b/k', headers: {}, body: "
        "!!python/object/new:_io.BytesIO {state: [!!binary aGVsbG8=, 0, null]}}\n"
        "  response: {status: {code: 200, message: OK}, headers: {}, body: {string: ''}}\nversion: 1\n"
    )
    assert load_cassette(path).interactions[0].request.body == b"hello"


def test_missing_cassette(tmp_path: Path) -> None:
    with pytest.raises(CassetteError, match="cassette not found"):
        load_cassette(tmp_path / "none.yaml")


def test_vcrpy_reads_our_cassettes_and_we_read_vcrpy_json(tmp_path: Path) -> None:
    from vcr.serializers import jsonserializer, yamlserializer

    cassette = _cassette(tmp_path / "x.yaml")
    write_cassette(cassette)
    data = yamlserializer.deserialize((tmp_path / "x.yaml").read_text())
    assert data["interactions"][0]["response"]["status"]["code"] == 200
    (tmp_path / "y.json").write_text(jsonserializer.serialize(data))
    assert load_cassette(tmp_path / "y.json").interactions[0].response.json() == {"a": 1}


_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=50, deadline=None)
@given(
    body=_TEXT,
    reason=st.sampled_from(["OK", "Created", ""]),
    status=st.integers(100, 599),
    header=_TEXT,
    binary=st.binary(max_size=20),
)
def test_load_of_dump_returns_the_interactions(tmp_path_factory, body, reason, status, header, binary) -> None:
    path = tmp_path_factory.mktemp("law") / "c.yaml"
    request = RecordedRequest("POST", "http://h/x", {"X-Thing": (header,)}, binary or None)
    response = RecordedResponse(status, {"Content-Type": ("text/plain",)}, body, reason)
    cassette = Cassette(path, (RecordedInteraction(request, response, "c"),), {"source": "local"})
    path.write_text(dump_cassette(cassette))
    assert load_cassette(path).interactions == cassette.interactions


def test_write_leaves_an_unchanged_cassette_alone(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    assert write_cassette(_cassette(path))
    before = path.read_bytes()
    changed_metadata = Cassette(path, _cassette(path).interactions, {"recorded_at": "later"})
    assert not write_cassette(changed_metadata)
    assert path.read_bytes() == before
    assert write_cassette(_cassette(path, '{"a": 2}'))
    (tmp_path / ".x.yaml.123.tmp").write_text("partial")
    assert [c.path.name for c in iter_cassettes(tmp_path)] == ["x.yaml"]


def test_drift_names_status_fields_types_and_headers(tmp_path: Path) -> None:
    old = _cassette(tmp_path / "x.yaml", '{"a": 1, "b": {"c": "x"}, "items": [{"id": 1}]}')
    new_response = RecordedResponse(
        201,
        {"Content-Type": ("text/plain",), "X-New": ("1",)},
        '{"a": "1", "items": [{"id": 1, "name": "n"}]}',
        "Created",
    )
    new = Cassette(old.path, (RecordedInteraction(old.interactions[0].request, new_response),), old.metadata)
    messages = [finding.message for finding in iter_drift(old, new)]
    assert messages == [
        "status changed from 200 to 201",
        "content type changed from application/json to text/plain",
        "field $.b (object) removed",
        "field $.b.c (string) removed",
        "field $.items[*].name (string) added",
        "field $.a changed type from number to string",
        "header x-new added",
    ]
    assert list(iter_drift(old, old)) == []


def test_pact_breaks_when_a_field_the_pact_expects_is_gone(tmp_path: Path) -> None:
    cassette = _cassette(tmp_path / "x.yaml", '{"items": [{"id": 1}]}')
    pact = {
        "metadata": {"pactSpecification": {"version": "4.0"}},
        "interactions": [
            {
                "description": "items",
                "request": {"method": "GET", "path": "/api/x", "query": {"q": ["1"]}},
                "response": {
                    "status": 200,
                    "body": {"content": {"items": [{"id": 2, "title": "t"}]}, "contentType": "application/json"},
                },
            }
        ],
    }
    findings = list(
        iter_pact_breaks(pact, cassette.interactions)
    )  # judged as the Pact core judges: a literal is equality
    assert [f.message for f in findings] == [
        "$.items[0].id is 1, the pact expects 2",
        "$.items[0].title is missing, the pact expects it",
    ]


def test_schema_instances_fit_patterns_formats_and_cycles() -> None:
    assert regex_instance(r"^[CGD][A-Z0-9]{8,}$") == "CAAAAAAAA"
    document = {
        "components": {
            "schemas": {
                "Node": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "child": {"$ref": "#/components/schemas/Node"},
                        "kind": {"enum": ["a", "b"]},
                        "tags": {"type": "array", "items": {"type": "string", "pattern": "^t-\\d+$"}},
                    },
                }
            }
        }
    }
    value = schema_instance(document, {"$ref": "#/components/schemas/Node"})
    assert value["kind"] == "a" and value["tags"] == ["t-0"] and "child" not in value and len(value["id"]) == 36


def test_every_operation_of_the_example_registry_has_a_valid_cassette() -> None:
    from contractkit.validation import validate_response

    registry = load_registry(REPO / "registry.yaml", environ={})
    for provider in registry.providers.values():
        for operation in provider.operations.values():
            cassette = load_cassette(provider.cassettes / f"{operation.name}.yaml")
            assert cassette.source in {"moto", "botocore-schema", "openapi-example", "openapi-schema", "live", "local"}
            assert provider.kind.value != "aws" or cassette.source in {"moto", "botocore-schema"}
            response = cassette.interactions[0].response
            if provider.kind.value == "aws":
                continue  # botocore shapes are validated by the AWS replay test through boto3's own parser
            headers = {name: values[0] for name, values in response.headers.items()}
            problems = validate_response(provider, operation, response.status, headers, response.body_bytes)
            assert problems == [], f"{provider.name}/{operation.name}: {problems[:2]}"


def test_seeding_from_the_official_document_keeps_recorded_cassettes(shared_specs: Path, tmp_path: Path) -> None:
    (tmp_path / "schemas").symlink_to(REPO / "schemas")
    text = (REPO / "registry.yaml").read_text()
    (tmp_path / "registry.yaml").write_text(text)
    registry = load_registry(tmp_path / "registry.yaml", environ={})
    provider = registry.provider("slack")
    recorded = _cassette(provider.cassettes / "get_user.yaml", '{"ok": true, "user": {"id": "U1"}}')
    write_cassette(recorded)
    before = recorded.path.read_bytes()
    report = record_cassettes(
        registry,
        "slack",
        (),
        mode="spec",
        options=RecordOptions(),
        spec=shared_specs / "slack" / "slack_web_openapi_v2.json",
    )
    outcomes = {row.operation: row.details["outcome"] for row in report.results}
    assert outcomes["get_user"] == "skipped" and recorded.path.read_bytes() == before
    assert {outcomes[name] for name in ("list_conversations", "conversation_history", "post_message")} == {"recorded"}
    sources = {c.operation: c.source for c in iter_cassettes(provider.cassettes)}
    assert sources["list_conversations"] == "openapi-example" and sources["post_message"] == "openapi-example", (
        "repaired published examples"
    )
    assert (
        json.loads(load_cassette(provider.cassettes / "list_conversations.yaml").interactions[0].response.body)["ok"]
        is True
    )
