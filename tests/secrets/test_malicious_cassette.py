"""A cassette is data: one holding `!!python/object/apply:os.system` runs nothing in scan, lint, verify or
validate, and is reported as bad input naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
    "!!python/object/new:_io.BytesIO {{state: !!python/object/apply:os.system ['touch {marker}']}}",
    "!!python/object/apply:subprocess.check_call [[touch, '{marker}']]",
]


def _cassette(tag: str, marker: Path) -> str:
    return (
        "interactions:\n- request:\n    body: " + tag.format(marker=marker) + "\n"
        "    headers: {}\n    method: GET\n    uri: http://127.0.0.1/api/x\n"
        "  response:\n    body: {string: '{}'}\n    headers: {Content-Type: [application/json]}\n"
        "    status: {code: 200, message: OK}\nversion: 1\n"
    )


@pytest.mark.parametrize("tag", TAGS)
def test_a_malicious_cassette_runs_nothing(tag: str, tmp_path: Path, run_cli) -> None:
    marker = tmp_path / "ran"
    folder = tmp_path / "cassettes" / "svc"
    folder.mkdir(parents=True)
    cassette = folder / "x.yaml"
    cassette.write_text(_cassette(tag, marker), encoding="utf-8")
    spec = tmp_path / "openapi.json"
    spec.write_text(
        '{"openapi": "3.0.3", "info": {"title": "s", "version": "1"}, "paths": {"/x": {"get": '
        '{"responses": {"200": {"description": "ok"}}}}}}',
        encoding="utf-8",
    )
    registry = tmp_path / "registry.yaml"
    registry.write_text(
        "version: 1\nconsumer: demo\nproviders:\n  svc:\n    base_url: http://127.0.0.1:9/api\n"
        "    auth: {scheme: none}\n    operations:\n      x: {method: GET, path: /x, safe: true}\n",
        encoding="utf-8",
    )
    runs = {
        "scan": run_cli("scan", "--registry", str(registry)),
        "lint": run_cli("lint", "--registry", str(registry)),
        "verify": run_cli("verify", "--registry", str(registry), "--provider", "svc"),
        "validate": run_cli("validate", "--spec", str(spec), "--base-path", "/api", str(cassette)),
    }
    assert not marker.exists()
    for command, (code, out, err) in runs.items():
        assert code in (1, 2), command
        assert "Traceback" not in out + err, command
        assert "svc/x.yaml:3" in out + err, (command, out + err)  # the file and the line of the tag
    code, out, _ = runs["scan"]
    assert "CK321 not scanned:" in out and "unsupported YAML" in out
