"""Recording against a real local provider: stable bytes, safety, budget, nothing lost on failure or SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from contractkit.cassettes import load_cassette
from contractkit.recording import RecordOptions, record_cassettes
from contractkit.registry import load_registry

ITEMS: dict[str, Any] = {"items": [{"id": 1, "name": "build", "tags": ["ci"]}], "total": 1}


def _provider(
    url: str, operations: dict[str, Any], requests: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "base_url": f"{url}/api",
        "auth": {"scheme": "bearer", "env": "LOCAL_TOKEN"},
        "record": {"requests": requests or {name: {} for name in operations}, **extra},
        "operations": operations,
    }


def _record(path: Path, provider: str = "local", **options: Any):
    registry = load_registry(path)
    environ = {"LOCAL_TOKEN": "tok-" + "x" * 20}
    return record_cassettes(
        registry,
        provider,
        options.pop("operations", ()),
        mode="live",
        options=RecordOptions(environ=environ, source="local", **options),
    )


def _outcomes(report) -> dict[str, str]:
    return {row.operation: row.details["outcome"] for row in report.results}


def test_recording_twice_from_an_unchanged_provider_gives_identical_bytes(
    local_provider, registry_writer, tmp_path
) -> None:
    local_provider.route("GET", "/api/items", lambda seen: (200, {"X-Request-Id": os.urandom(4).hex()}, ITEMS))
    path = registry_writer(
        {
            "local": _provider(
                local_provider.url,
                {"list_items": {"method": "GET", "path": "/items", "safe": True}},
                {"list_items": {"query": {"state": "open"}}},
            )
        }
    )
    assert _outcomes(_record(path)) == {"list_items": "recorded"}
    cassette = tmp_path / "cassettes" / "local" / "list_items.yaml"
    first = cassette.read_bytes()
    report = _record(path)
    assert _outcomes(report) == {"list_items": "unchanged"}
    assert cassette.read_bytes() == first
    assert local_provider.count("GET", "/api/items") == 2


def test_a_changed_provider_is_reported_as_drift(local_provider, registry_writer, tmp_path) -> None:
    answers = [ITEMS, {"items": [{"id": "1", "title": "build"}], "total": 1}]
    local_provider.route("GET", "/api/items", lambda seen: (200, {}, answers[min(local_provider.count() - 1, 1)]))
    path = registry_writer(
        {"local": _provider(local_provider.url, {"list_items": {"method": "GET", "path": "/items", "safe": True}})}
    )
    _record(path)
    report = _record(path)
    row = report.results[0]
    assert row.details["outcome"] == "drifted"
    messages = {finding.message for finding in row.findings}
    assert "field $.items[*].name (string) removed" in messages
    assert "field $.items[*].title (string) added" in messages
    assert "field $.items[*].id changed type from number to string" in messages
    assert (
        load_cassette(tmp_path / "cassettes" / "local" / "list_items.yaml")
        .interactions[0]
        .response.json()["items"][0]["id"]
        == "1"
    )


def test_unsafe_operations_never_reach_the_server_without_allow_unsafe(local_provider, registry_writer) -> None:
    local_provider.route("GET", "/api/items", lambda seen: (200, {}, ITEMS))
    local_provider.route("POST", "/api/items", lambda seen: (201, {}, {"id": 7, "name": seen["body"]["name"]}))
    local_provider.route("DELETE", "/api/items/7", lambda seen: (204, {}, b""))
    operations = {
        "list_items": {"method": "GET", "path": "/items", "safe": True},
        "create_item": {"method": "POST", "path": "/items", "safe": False},
    }
    requests = {"list_items": {}, "create_item": {"body": {"name": "nightly"}}}
    path = registry_writer(
        {
            "local": _provider(
                local_provider.url,
                operations,
                requests,
                name_prefix="ck-test-",
                cleanup={"create_item": {"path": "/items/{id}"}},
            )
        }
    )
    dry = _record(path, dry_run=True, allow_unsafe=True)
    assert _outcomes(dry) == {"list_items": "planned", "create_item": "planned"}
    assert local_provider.count() == 0
    report = _record(path)
    assert _outcomes(report) == {"list_items": "recorded", "create_item": "skipped"}
    assert "--allow-unsafe" in report.results[1].message
    assert local_provider.count("POST") == 0 and local_provider.count("GET") == 1
    allowed = _record(path, allow_unsafe=True, operations=["create_item"])
    assert _outcomes(allowed) == {"create_item": "recorded"}
    assert local_provider.count("POST") == 1
    assert local_provider.count("DELETE", "/api/items/7") == 1  # the clean-up ran
    created = load_cassette(path.parent / "cassettes" / "local" / "create_item.yaml").interactions[0]
    assert created.response.json()["name"] == "ck-test-nightly"  # the run's name prefix


def test_the_request_budget_stops_a_run(local_provider, registry_writer) -> None:
    for name in ("a", "b", "c"):
        local_provider.route("GET", f"/api/{name}", lambda seen: (200, {}, ITEMS))
    operations = {name: {"method": "GET", "path": f"/{name}", "safe": True} for name in ("a", "b", "c")}
    path = registry_writer({"local": _provider(local_provider.url, operations, budget=2)})
    report = _record(path)
    assert _outcomes(report) == {"a": "recorded", "b": "recorded", "c": "skipped"}
    assert "budget of 2" in report.results[2].message
    assert local_provider.count() == 2
    _record(path, budget=1)
    assert local_provider.count() == 3


def test_failures_leave_earlier_cassettes_byte_identical(local_provider, registry_writer, tmp_path) -> None:
    status = {"code": 200}
    local_provider.route(
        "GET", "/api/items", lambda seen: (status["code"], {}, ITEMS if status["code"] == 200 else {"message": "boom"})
    )
    path = registry_writer(
        {"local": _provider(local_provider.url, {"list_items": {"method": "GET", "path": "/items", "safe": True}})}
    )
    _record(path)
    cassette = tmp_path / "cassettes" / "local" / "list_items.yaml"
    before = cassette.read_bytes()
    status["code"] = 503
    report = _record(path)
    assert report.failed and _outcomes(report) == {"list_items": "failed"}
    assert "503" in report.results[0].message
    assert cassette.read_bytes() == before
    # connection refused: a registry pointing at a closed port
    registry = load_registry(path)
    closed = RecordOptions(environ={"LOCAL_TOKEN": "t" * 12}, base_url="http://127.0.0.1:9", timeout=2)
    report = record_cassettes(registry, "local", (), mode="live", options=closed)
    assert _outcomes(report) == {"list_items": "failed"} and "ConnectionError" in report.results[0].message
    assert cassette.read_bytes() == before
    assert sorted(p.name for p in cassette.parent.iterdir()) == ["list_items.yaml"]  # no temporary files left


def test_sigkill_midway_leaves_earlier_cassettes_intact(local_provider, registry_writer, tmp_path) -> None:
    names = ["a", "b", "c", "d"]
    version = {"n": 1}
    for name in names:
        local_provider.route("GET", f"/api/{name}", lambda seen: (200, {}, {"v": version["n"], "items": [1]}))
    path = registry_writer(
        {"local": _provider(local_provider.url, {n: {"method": "GET", "path": f"/{n}", "safe": True} for n in names})}
    )
    _record(path)
    folder = tmp_path / "cassettes" / "local"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    version["n"] = 2  # the provider changed: a and b will be rewritten before the kill
    local_provider.block_path = "/api/c"
    env = {**os.environ, "LOCAL_TOKEN": "tok-" + "x" * 20, "PACT_DO_NOT_TRACK": "true"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from contractkit.cli import run; run()",
            "record",
            "--registry",
            str(path),
            "--provider",
            "local",
            "--live",
        ],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert local_provider.blocked.wait(60), "the re-record never reached operation c"
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
        local_provider.release.set()
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert sorted(after) == ["a.yaml", "b.yaml", "c.yaml", "d.yaml"]  # no half-written or temporary file
    assert after["c.yaml"] == before["c.yaml"] and after["d.yaml"] == before["d.yaml"]
    for name in ("a", "b"):  # rewritten completely before the kill
        assert load_cassette(folder / f"{name}.yaml").interactions[0].response.json()["v"] == 2


def test_cli_record_needs_a_source_and_reports_per_operation(
    local_provider, registry_writer, run_cli, monkeypatch
) -> None:
    local_provider.route("GET", "/api/items", lambda seen: (200, {}, ITEMS))
    path = registry_writer(
        {"local": _provider(local_provider.url, {"list_items": {"method": "GET", "path": "/items", "safe": True}})}
    )
    code, _, err = run_cli("record", "--registry", str(path), "--provider", "local")
    assert code == 2 and "exactly one of --live, --moto or --from-spec" in err
    code, _, err = run_cli("record", "--registry", str(path), "--provider", "local", "--live")
    assert (
        code == 2
        and "needs the environment variable LOCAL_TOKEN for its bearer auth, and LOCAL_TOKEN is not set. "
        "export LOCAL_TOKEN"
        in err
        and local_provider.count() == 0
    )
    monkeypatch.setenv("LOCAL_TOKEN", "tok-" + "y" * 20)
    code, out, _ = run_cli("record", "--registry", str(path), "--provider", "local", "--live", "--format", "json")
    assert code == 0 and '"outcome": "recorded"' in out
    code, out, _ = run_cli("record", "--registry", str(path), "--provider", "local", "--live", "--format", "markdown")
    assert code == 0 and "unchanged" in out


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_cli_drift_compares_folders_and_fails_on_a_broken_schema(tmp_path, run_cli, fmt) -> None:
    from contractkit.cassettes import Cassette, RecordedInteraction, RecordedRequest, RecordedResponse, write_cassette

    schema = tmp_path / "item.schema.json"
    schema.write_text('{"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}')
    (tmp_path / "registry.yaml").write_text(
        "version: 1\nconsumer: demo\nproviders:\n  local:\n    base_url: http://127.0.0.1:1/api\n    operations:\n"
        "      get_item: {method: GET, path: '/items/{id}', safe: true, response_schema: item.schema.json}\n"
    )
    for folder, body in (("old", '{"id": 1, "name": "a"}'), ("new", '{"id": "1"}')):
        request = RecordedRequest("GET", "http://127.0.0.1/api/items/1")
        response = RecordedResponse(200, {"Content-Type": ("application/json",)}, body, "OK")
        write_cassette(Cassette(tmp_path / folder / "get_item.yaml", (RecordedInteraction(request, response),), {}))
    code, out, _ = run_cli(
        "drift",
        "--registry",
        str(tmp_path / "registry.yaml"),
        "--provider",
        "local",
        str(tmp_path / "old"),
        str(tmp_path / "new"),
        "--format",
        fmt,
    )
    assert code == 1
    assert "name" in out and "CK310" in out
    code, out, _ = run_cli("drift", str(tmp_path / "old"), str(tmp_path / "old"), "--format", fmt)
    assert code == 0 and "unchanged" in out


def test_rerecord_records_providers_with_credentials_and_skips_the_rest(
    local_provider, registry_writer, run_cli, monkeypatch, tmp_path
) -> None:
    local_provider.route("GET", "/api/items", lambda seen: (200, {}, ITEMS))
    operations = {"list_items": {"method": "GET", "path": "/items", "safe": True}}
    path = registry_writer(
        {
            "local": _provider(local_provider.url, operations),
            "other": {**_provider(local_provider.url, operations), "auth": {"scheme": "bearer", "env": "OTHER_TOKEN"}},
        }
    )
    monkeypatch.setenv("LOCAL_TOKEN", "tok-" + "z" * 20)
    monkeypatch.delenv("OTHER_TOKEN", raising=False)
    report_file = tmp_path / "rerecord.md"
    code, _, _ = run_cli("rerecord", "--registry", str(path), "--output", str(report_file))
    text = report_file.read_text()
    assert code == 0 and "| local |" not in text
    assert "OTHER_TOKEN is not set. export OTHER_TOKEN" in text and "new cassette" in text
    assert local_provider.count() == 1 and not (tmp_path / "cassettes" / "other").exists()
