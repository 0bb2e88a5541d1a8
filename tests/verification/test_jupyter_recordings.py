"""`contracts validate --spec` on traffic recorded from a real jupyter_server against its own Swagger 2.0 description."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from contractkit.validation.recordings import validate_recordings

pytestmark = pytest.mark.slow

PATHS = [
    "/api/status",
    "/api/me",
    "/api/kernelspecs",
    "/api/contents/hello.txt",
    "/api/contents/missing.txt",
    "/api/sessions",
    "/api/nothing/here",
]


@pytest.fixture(scope="module")
def jupyter_har(tmp_path_factory) -> tuple[Path, Path]:
    """A HAR of GET requests to a real jupyter_server on 127.0.0.1, and the Swagger file the package ships."""
    jupyter_server = pytest.importorskip("jupyter_server")
    httpx = pytest.importorskip("httpx")
    spec = Path(jupyter_server.__file__).parent / "services" / "api" / "api.yaml"
    root = tmp_path_factory.mktemp("jupyter-root")
    (root / "hello.txt").write_text("hi")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--IdentityProvider.token=contractkit-test",
            f"--ServerApp.root_dir={root}",
            "--no-browser",
            "--ServerApp.terminals_enabled=False",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": "token contractkit-test"})
        _wait(client)
        entries = [_entry(client.get(path)) for path in PATHS]
    finally:
        process.terminate()
        process.wait(20)
    har = root / "session.har"
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    return spec, har


def _wait(client) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            client.get("/api/status")
            return
        except Exception:  # noqa: BLE001 - connection refused until the server listens
            time.sleep(0.1)
    raise AssertionError("jupyter_server did not start")


def _entry(response) -> dict:
    return {
        "request": {"method": response.request.method, "url": str(response.request.url), "headers": []},
        "response": {
            "status": response.status_code,
            "statusText": response.reason_phrase,
            "headers": [{"name": k, "value": v} for k, v in response.headers.items()],
            "content": {"mimeType": response.headers.get("content-type", ""), "text": response.text},
        },
    }


def test_real_mismatches_between_jupyter_server_and_its_description_are_reported(jupyter_har):
    spec, har = jupyter_har
    report = validate_recordings(spec, [har])
    found = {
        result.details["index"]: sorted((f.code, f.location) for f in result.findings)
        for result in report.results
        if result.status.value == "failed"
    }
    assert found == {
        1: [("CK401", "$.identity.avatar_url"), ("CK401", "$.identity.color")],  # null where the spec says string
        3: [("CK401", "$.hash"), ("CK401", "$.hash_algorithm")],
        4: [("CK403", "headers.content-type")],  # a JSON 404 body the description does not declare
        6: [("CK406", "request")],
    }
    assert [r.operation for r in report.results][:2] == ["GET /api/status", "GET /api/me"]
