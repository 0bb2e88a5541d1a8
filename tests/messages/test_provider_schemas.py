"""Message schemas from where the field keeps them: an event sliced out of a packed npm schema bundle, a pydantic
model's JSON Schema, each written with its provenance by `contracts schemas import --messages`; the example
registry's stored schemas say where they came from."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

from contractkit.registry import load_registry

REPO = Path(__file__).resolve().parents[2]

BUNDLE = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "definitions": {
        "push$event": {
            "type": "object",
            "required": ["ref", "repository"],
            "properties": {"ref": {"type": "string"}, "repository": {"$ref": "#/definitions/repository"}},
        },
        "repository": {
            "type": "object",
            "required": ["id", "owner"],
            "properties": {"id": {"type": "integer"}, "owner": {"$ref": "#/definitions/user"}},
        },
        "user": {"type": "object", "required": ["login"], "properties": {"login": {"type": "string"}}},
        "pull_request$opened": {"type": "object", "properties": {"action": {"const": "opened"}}},
        "pull_request$closed": {"type": "object", "properties": {"action": {"const": "closed"}}},
        "pull_request_event": {
            "oneOf": [{"$ref": "#/definitions/pull_request$opened"}, {"$ref": "#/definitions/pull_request$closed"}]
        },
        "star$created": {"type": "object"},
    },
}


def _pack(folder: Path) -> Path:
    """A packed npm package as `npm pack` writes it: package/schema.json and package/package.json."""
    path = folder / "webhooks-schemas-1.2.3.tgz"
    with tarfile.open(path, "w:gz") as archive:
        for name, data in (
            ("package/schema.json", BUNDLE),
            ("package/package.json", {"name": "@octokit/webhooks-schemas", "version": "1.2.3"}),
        ):
            raw = json.dumps(data).encode()
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))
    return path


def _registry(root: Path, messages: str, source: str) -> None:
    (root / "registry.yaml").write_text(
        f"version: 1\nconsumer: devctl\nproviders:\n  gh:\n    message_source: {source}\n    messages:\n{messages}"
    )


def test_webhook_events_sliced_out_of_the_packed_package(tmp_path: Path, run_cli, monkeypatch) -> None:
    _registry(
        tmp_path,
        "      push: {event: push, transport: webhook, schema: schemas/push.schema.json}\n"
        "      pull_request: {event: pull_request, transport: webhook, schema: schemas/pull_request.schema.json}\n"
        "      opened: {event: pull_request.opened, transport: webhook, schema: schemas/opened.schema.json}\n",
        "{kind: npm, package: '@octokit/webhooks-schemas', version: '1.2.3'}",
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("schemas", "import", "--provider", "gh", "--messages", "--from", str(_pack(tmp_path)))
    assert code == 0, out
    push = json.loads((tmp_path / "schemas" / "push.schema.json").read_text())
    assert push["x-provenance"] == {
        "kind": "npm",
        "package": "@octokit/webhooks-schemas",
        "version": "1.2.3",
        "definition": "push$event",
    }
    assert push["required"] == ["ref", "repository"]  # the event's own definition at the top
    assert sorted(push["definitions"]) == ["push$event", "repository", "user"]  # what it reaches, nothing else
    pull = json.loads((tmp_path / "schemas" / "pull_request.schema.json").read_text())
    assert sorted(pull["definitions"]) == ["pull_request$closed", "pull_request$opened", "pull_request_event"]
    opened = json.loads((tmp_path / "schemas" / "opened.schema.json").read_text())
    assert opened["x-provenance"]["definition"] == "pull_request$opened"


def test_an_event_the_package_lacks_is_named_with_near_definitions(tmp_path: Path, run_cli, monkeypatch) -> None:
    _registry(
        tmp_path,
        "      stars: {event: star, transport: webhook, schema: schemas/star.schema.json}\n",
        "{kind: npm, package: '@octokit/webhooks-schemas', version: '1.2.3'}",
    )
    monkeypatch.chdir(tmp_path)
    packed = _pack(tmp_path)
    code, _, err = run_cli("schemas", "import", "--provider", "gh", "--messages", "--from", str(packed))
    assert code == 2
    assert f"{packed}: definitions: no definition for the event 'star' (looked for star_event, star$event)" in err
    assert "definitions that start alike: star$created" in err


def test_pydantic_model_schema_with_provenance(tmp_path: Path, run_cli, monkeypatch) -> None:
    (tmp_path / "alarm_models.py").write_text(
        "from pydantic import BaseModel\n\n"
        "class AlarmState(BaseModel):\n    value: str\n    reason: str\n\n"
        "class AlarmStateChange(BaseModel):\n    alarmName: str\n    state: AlarmState\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    _registry(
        tmp_path,
        "      alarm: {event: CloudWatch Alarm State Change, transport: eventbridge, schema: schemas/alarm.schema.json}\n",
        "{kind: python, package: alarm-models, version: '0.1', model: alarm_models.AlarmStateChange}",
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("schemas", "import", "--provider", "gh", "--messages")
    assert code == 0, out
    schema = json.loads((tmp_path / "schemas" / "alarm.schema.json").read_text())
    assert schema["x-provenance"]["model"] == "alarm_models.AlarmStateChange"
    assert schema["required"] == ["alarmName", "state"]
    assert schema["$defs"]["AlarmState"]["required"] == ["value", "reason"]


def test_a_model_that_cannot_be_imported_says_which_extra_to_install(tmp_path: Path, run_cli, monkeypatch) -> None:
    _registry(
        tmp_path,
        "      alarm: {event: x, transport: eventbridge, schema: schemas/alarm.schema.json}\n",
        "{kind: python, package: nowhere, version: '1', model: no_such_package_here.models.Alarm}",
    )
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("schemas", "import", "--provider", "gh", "--messages")
    assert code == 2
    assert "cannot import no_such_package_here.models to regenerate the schema of Alarm" in err
    assert "contractkit-cdc[events]" in err


def test_the_example_schemas_carry_the_provenance_the_registry_names() -> None:
    registry = load_registry(REPO / "registry.yaml")
    for name in ("github-webhooks", "s3-events"):
        provider = registry.provider(name)
        assert provider.message_source is not None
        for spec in provider.messages.values():
            assert spec.schema is not None
            provenance = json.loads(spec.schema.read_text())["x-provenance"]
            assert (provenance["package"], provenance["version"]) == (
                provider.message_source.package,
                provider.message_source.version,
            ), spec.schema
