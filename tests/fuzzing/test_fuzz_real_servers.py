"""Fuzzing real third-party servers on loopback: jupyter_server (token auth) and kinto (memory backend, basic auth).

Both are started by `contracts fuzz` itself from the registry's `process` key, with small budgets. They
are third-party providers, so only GET and HEAD reach them. What the fuzzer finds there is real: the
assertions pin the kinds of findings that every seeded run shows, not an exact list.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from fuzz_support import DATA

pytestmark = pytest.mark.slow
BUDGET = ("--max-examples", "3", "--time-budget", "5", "--phases", "examples,fuzzing", "--seed", "7")


def _jupyter_registry(tmp_path: Path) -> Path:
    jupyter_server = pytest.importorskip("jupyter_server")
    spec = Path(jupyter_server.__file__).parent / "services" / "api" / "api.yaml"
    registry = tmp_path / "registry.yaml"
    registry.write_text(f"""\
version: 1
consumer: devctl
providers:
  jupyter:
    title: Jupyter Server REST API (the Swagger 2.0 description the package ships)
    base_url: http://127.0.0.1:8888
    auth: {{scheme: header, header: Authorization, prefix: "token ", env: JUPYTER_TOKEN}}
    spec: {spec}
    error_schema: {DATA / "jupyter.error.schema.json"}
    process:
      # The token reaches the server through JUPYTER_TOKEN in the environment, never the command line.
      command: ["{{python}}", -m, jupyter_server, --allow-root, --no-browser, --ServerApp.ip=127.0.0.1,
                "--ServerApp.port={{port}}", --ServerApp.port_retries=0, "--ServerApp.root_dir={{tmp}}",
                --ServerApp.terminals_enabled=False]
      health: /api/status
      startup_timeout: 30
    operations:
      get_status: {{method: GET, path: /api/status, safe: true}}
      list_kernels: {{method: GET, path: /api/kernels, safe: true}}
      get_me: {{method: GET, path: /api/me, safe: true}}
""")
    return registry


def _kinto_registry(tmp_path: Path) -> Path:
    pytest.importorskip("kinto")
    # The console script installed with the interpreter running the tests (kinto has no `python -m` entry).
    kinto = shutil.which("kinto", path=str(Path(sys.executable).parent)) or shutil.which("kinto") or "kinto"
    registry = tmp_path / "registry.yaml"
    registry.write_text(f"""\
version: 1
consumer: devctl
providers:
  kinto:
    title: Kinto (memory backend; the Swagger 2.0 description it serves at /v1/__api__)
    base_url: http://127.0.0.1:8888/v1
    auth: {{scheme: basic, env: [KINTO_USER, KINTO_PASSWORD]}}
    spec: {DATA / "kinto.swagger.json"}
    error_schema: {DATA / "kinto.error.schema.json"}
    process:
      command: ["{kinto}", start, --ini, "{DATA / "kinto.ini"}", --port, "{{port}}"]
      health: /v1/__heartbeat__
      startup_timeout: 30
    operations:
      server_info: {{method: GET, path: /, safe: true}}
      list_buckets: {{method: GET, path: /buckets, safe: true}}
""")
    return registry


def _seed_corpus(tmp_path: Path, provider: str) -> int:
    """Put the committed corpus where the run looks for it (a copy: the run may add to it)."""
    target = tmp_path / "fuzz" / f"{provider}.corpus.json"
    target.parent.mkdir()
    shutil.copy(DATA / f"{provider}.corpus.json", target)
    return len(json.loads(target.read_text())["cases"])


def _failures(report: dict) -> list[dict]:
    return [failure for row in report["results"] for failure in row["failures"]]


def test_jupyter_server(tmp_path, run_cli, monkeypatch):
    token = "jupyter-test-token-0123456789"
    monkeypatch.setenv("JUPYTER_TOKEN", token)
    saved = _seed_corpus(tmp_path, "jupyter")
    code, out, err = run_cli(
        "fuzz", "--registry", str(_jupyter_registry(tmp_path)), "--provider", "jupyter", "--format", "json", *BUDGET
    )
    assert f"corpus: {saved} replayed" in err
    assert code == 1, err
    report = json.loads(out)
    failures = _failures(report)
    checks = {failure["check"] for failure in failures}
    # Tornado answers unknown ids with an HTML page; the description promises JSON errors.
    assert {"error_format", "content_type_conformance"} <= checks
    assert any(failure["check"] == "error_format" and failure["status_code"] == 404 for failure in failures)
    # Unsafe methods never reached the server.
    skipped = [row for row in report["results"] if row["status"] == "skipped" and "CK810" in row["message"]]
    assert len(skipped) == 17
    assert token not in out and token not in err
    assert all('-H "Authorization: token $JUPYTER_TOKEN"' in failure["curl"] for failure in failures)
    corpus = json.loads((tmp_path / "fuzz" / "jupyter.corpus.json").read_text())
    assert len(corpus["cases"]) >= saved and token not in json.dumps(corpus)
    # The saved cases reproduce first, whatever this run's budget lets generation reach.
    replayed = {(failure["check"], failure["status_code"]) for failure in failures if failure["source"] == "corpus"}
    assert ("response_schema_conformance", 200) in replayed  # /api/me: avatar_url and others are null
    assert ("error_format", 404) in replayed
    assert {case["request"]["method"] for case in corpus["cases"]} <= {"GET", "HEAD"}


def test_kinto(tmp_path, run_cli, monkeypatch):
    monkeypatch.setenv("KINTO_USER", "fuzzer")
    monkeypatch.setenv("KINTO_PASSWORD", "kinto-test-password-42")
    saved = _seed_corpus(tmp_path, "kinto")
    code, out, err = run_cli(
        "fuzz", "--registry", str(_kinto_registry(tmp_path)), "--provider", "kinto", "--format", "json", *BUDGET
    )
    assert f"corpus: {saved} replayed" in err
    assert code == 1, err
    report = json.loads(out)
    failures = _failures(report)
    # kinto answers 500 on /__version__ when no version.json is deployed, which the description does not document.
    assert any(
        failure["check"] == "not_a_server_error" and failure["curl"].endswith("/v1/__version__") for failure in failures
    )
    # A 500 that random generation finds only now and then: the corpus makes every run check it.
    assert any(
        failure["check"] == "not_a_server_error" and failure["source"] == "corpus" and "/v1/buckets?" in failure["curl"]
        for failure in failures
    )
    assert "kinto-test-password-42" not in out and "kinto-test-password-42" not in err
    assert all('-u "$KINTO_USER:$KINTO_PASSWORD"' in failure["curl"] for failure in failures)
    skipped = {row["interaction"] or row["operation"] for row in report["results"] if "CK810" in row["message"]}
    assert {"PUT /buckets/{id}", "DELETE /buckets/{id}", "POST /buckets"} <= skipped
