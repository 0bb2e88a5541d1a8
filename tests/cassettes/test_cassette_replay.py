"""The replay server: exact and operation-template matching, unmatched answers, fault injection, the CLI."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from contractkit.cassettes import Cassette, RecordedInteraction, RecordedRequest, RecordedResponse, write_cassette
from contractkit.cassettes.replay import Faults, ReplayServer
from contractkit.core.errors import UsageError
from contractkit.registry import load_registry

REPO = Path(__file__).resolve().parents[2]


def _interaction(
    method: str, uri: str, body: str, *, request_body: str | None = None, headers=None
) -> RecordedInteraction:
    return RecordedInteraction(
        RecordedRequest(method, uri, headers or {}, request_body),
        RecordedResponse(200, {"Content-Type": ("application/json",), "Date": ("<volatile:date>",)}, body, "OK"),
    )


@pytest.fixture
def grafana_like(tmp_path: Path):
    (tmp_path / "registry.yaml").write_text(
        "version: 1\nconsumer: demo\nproviders:\n  dash:\n    base_url: http://127.0.0.1:3000/api\n    operations:\n"
        "      search: {method: GET, path: /search, safe: true}\n"
        "      get_dashboard: {method: GET, path: '/dashboards/uid/{uid}', safe: true}\n"
        "      create_annotation: {method: POST, path: /annotations, safe: false}\n"
    )
    folder = tmp_path / "cassettes" / "dash"
    recorded = {
        "search": _interaction("GET", "http://127.0.0.1/api/search?query=cpu&type=dash-db", '[{"uid": "cpu"}]'),
        "get_dashboard": _interaction(
            "GET", "http://127.0.0.1/api/dashboards/uid/xyz", '{"dashboard": {"uid": "xyz"}}'
        ),
        "create_annotation": _interaction(
            "POST", "http://127.0.0.1/api/annotations", '{"id": 1}', request_body='{"text": "deploy"}'
        ),
    }
    for name, interaction in recorded.items():
        write_cassette(Cassette(folder / f"{name}.yaml", (interaction,), {"operation": name}))
    return load_registry(tmp_path / "registry.yaml", environ={}).provider("dash")


def _get(server: ReplayServer, method: str, path: str, body: bytes | None = None, connection=None):
    conn = connection or http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
    response = conn.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def test_exact_then_operation_template_then_closest(grafana_like) -> None:
    with ReplayServer(provider=grafana_like) as server:
        assert server.url.endswith("/api")
        status, headers, body = _get(server, "GET", "/api/search?type=dash-db&query=cpu")  # query order ignored
        assert status == 200 and json.loads(body) == [{"uid": "cpu"}] and headers["Content-Type"] == "application/json"
        assert "<volatile" not in json.dumps(headers)
        status, _, body = _get(server, "GET", "/api/dashboards/uid/abc")  # the pact's id, not the recorded one
        assert status == 200 and json.loads(body)["dashboard"]["uid"] == "xyz"
        status, _, body = _get(server, "POST", "/api/annotations", b'{"text": "other"}')
        assert status == 200 and json.loads(body) == {"id": 1}
        status, headers, body = _get(server, "GET", "/api/dashboard/uid/abc")
        assert status == 501 and headers["X-Contractkit-Replay"] == "unmatched"
        error = json.loads(body)
        assert error["request"] == "GET /api/dashboard/uid/abc"
        assert error["closest"]["operation"] == "get_dashboard"
        status, _, body = _get(server, "DELETE", "/api/annotations")
        assert status == 501 and json.loads(body)["closest"]["operation"] == "create_annotation"
    assert (server.stats.matched_exact, server.stats.matched_operation, server.stats.unmatched) == (1, 2, 2)


def test_keep_alive_connection_serves_many_requests(grafana_like) -> None:
    with ReplayServer(provider=grafana_like) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        for _ in range(20):
            assert _get(server, "GET", "/api/dashboards/uid/a", connection=connection)[0] == 200
        connection.close()


def test_aws_calls_sharing_post_slash_are_told_apart_by_target_and_action() -> None:
    form = {"Content-Type": ("application/x-www-form-urlencoded",)}
    recorded = [
        _interaction(
            "POST",
            "http://127.0.0.1/",
            '{"service": "ce"}',
            request_body='{"Granularity":"MONTHLY"}',
            headers={"X-Amz-Target": ("AWSInsightsIndexService.GetCostAndUsage",)},
        ),
        _interaction(
            "POST",
            "http://127.0.0.1/",
            '{"service": "iam"}',
            request_body="Action=ListUsers&Version=2010-05-08",
            headers=form,
        ),
        _interaction(
            "POST",
            "http://127.0.0.1/",
            '{"service": "cloudwatch"}',
            request_body="{}",
            headers={"X-Amz-Target": ("GraniteServiceVersion20100801.DescribeAlarms",)},
        ),
    ]
    with ReplayServer(recorded) as server:

        def post(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            conn.request("POST", "/", body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()

        assert post(b"{}", {"X-Amz-Target": "GraniteServiceVersion20100801.DescribeAlarms"}) == (
            200,
            b'{"service": "cloudwatch"}',
        )
        assert post(b"Version=2010-05-08&Action=ListUsers", {"Content-Type": "application/x-www-form-urlencoded"}) == (
            200,
            b'{"service": "iam"}',
        )
        assert post(b'{"Granularity": "MONTHLY"}', {"X-Amz-Target": "AWSInsightsIndexService.GetCostAndUsage"}) == (
            200,
            b'{"service": "ce"}',
        )
        status, body = post(
            b"Action=ListRoles&Version=2010-05-08", {"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert status == 501  # never another service's answer


def test_faults_throttle_errors_and_resets(grafana_like) -> None:
    with ReplayServer(provider=grafana_like, faults=Faults(throttle_ratio=1.0, retry_after=3)) as server:
        status, headers, _ = _get(server, "GET", "/api/search?query=cpu&type=dash-db")
        assert status == 429 and headers["Retry-After"] == "3"
    with ReplayServer(provider=grafana_like, faults=Faults(error_ratio=1.0, error_status=502)) as server:
        assert _get(server, "GET", "/api/search?query=cpu&type=dash-db")[0] == 502
    with ReplayServer(provider=grafana_like, faults=Faults(reset_ratio=1.0)) as server:
        with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
            _get(server, "GET", "/api/search?query=cpu&type=dash-db")
        assert server.stats.resets == 1
    faults = Faults.from_text("latency=2ms,throttle=0.25,errors=0.25,status=503,seed=11")
    with ReplayServer(provider=grafana_like, faults=faults) as server:
        seen = Counter()
        for _ in range(80):
            seen[_get(server, "GET", "/api/dashboards/uid/a")[0]] += 1
    assert set(seen) == {200, 429, 503} and sum(seen.values()) == 80
    assert seen[200] > 20


def _with_variant(provider, state_folder: str, uid: str) -> None:
    """A cassette variant of get_dashboard under <cassettes>/states/<state_folder>/ answering dashboard `uid`."""
    interaction = _interaction(
        "GET", f"http://127.0.0.1/api/dashboards/uid/{uid}", json.dumps({"dashboard": {"uid": uid}})
    )
    path = provider.cassettes / "states" / state_folder / "get_dashboard.yaml"
    write_cassette(Cassette(path, (interaction,), {"operation": "get_dashboard"}))


def _change_state(
    server: ReplayServer,
    payload: dict | None = None,
    *,
    target: str = "/_pact/state",
    method: str = "POST",
    body: bytes | None = None,
):
    data = body if body is not None else json.dumps(payload).encode() if payload is not None else None
    return _get(server, method, target, data)


def test_provider_states_switch_to_their_cassette_variant_and_back(grafana_like) -> None:
    """A Pact verifier's state change (POST {"state", "params", "action"}) serves the state's variant until teardown;
    with no state set up, a request the variant would fit better is still answered from the default cassette."""
    _with_variant(grafana_like, "a-dashboard-exists", "cpu-load")
    with ReplayServer(provider=grafana_like) as server:
        assert server.state_change_url == f"http://127.0.0.1:{server.port}/_pact/state"
        assert _get(server, "GET", "/api/dashboards/uid/cpu-load")[2] == b'{"dashboard": {"uid": "xyz"}}'
        status, headers, body = _change_state(
            server, {"state": "A dashboard exists", "params": {"uid": "cpu-load"}, "action": "setup"}
        )
        assert (status, json.loads(body)) == (200, {})
        assert headers["X-Contractkit-State"] == "setup 'A dashboard exists': its cassette variant"
        assert server.active_states == ["A dashboard exists"]
        assert json.loads(_get(server, "GET", "/api/dashboards/uid/cpu-load")[2])["dashboard"]["uid"] == "cpu-load"
        assert _get(server, "GET", "/api/search?query=cpu&type=dash-db")[0] == 200  # the defaults still answer the rest
        assert _change_state(server, {"state": "A dashboard exists", "params": {}, "action": "teardown"})[0] == 200
        assert server.active_states == []
        assert json.loads(_get(server, "GET", "/api/dashboards/uid/cpu-load")[2])["dashboard"]["uid"] == "xyz"
        # the query-string form of the Pact core (a state-change URL without body)
        assert _change_state(server, target="/_pact/state?state=a+dashboard+exists&action=setup&uid=cpu-load")[0] == 200
        assert json.loads(_get(server, "GET", "/api/dashboards/uid/cpu-load")[2])["dashboard"]["uid"] == "cpu-load"
    assert server.stats.state_changes == 3


def test_a_state_without_a_variant_is_accepted_and_the_defaults_answer(grafana_like) -> None:
    with ReplayServer(provider=grafana_like) as server:
        status, headers, _ = _change_state(server, {"state": "users exist", "params": {}, "action": "setup"})
        assert status == 200 and headers["X-Contractkit-State"] == "setup 'users exist': the default cassettes"
        assert json.loads(_get(server, "GET", "/api/dashboards/uid/q")[2])["dashboard"]["uid"] == "xyz"


def test_a_folder_the_registry_names_for_a_state_is_its_variant(grafana_like) -> None:
    _with_variant(grafana_like, "elsewhere", "mem")
    with ReplayServer(
        provider=grafana_like, states={"memory is low": grafana_like.cassettes / "states" / "elsewhere"}
    ) as server:
        _change_state(server, {"state": "memory is low", "action": "setup"})
        assert json.loads(_get(server, "GET", "/api/dashboards/uid/mem")[2])["dashboard"]["uid"] == "mem"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"{not json", "state change: the body is not JSON"),
        (b"[]", 'state change: expected a JSON object {"state", "params", "action"}'),
        (b'{"action": "setup"}', 'state change: expected "state" to be a string, got None'),
        (
            b'{"state": "x", "action": "reset"}',
            "state change: expected \"action\" to be setup or teardown, got 'reset'",
        ),
        (b'{"state": "x", "params": [1]}', 'state change: expected "params" to be an object, got [1]'),
    ],
)
def test_a_malformed_state_change_is_400_naming_the_problem(grafana_like, body: bytes, error: str) -> None:
    with ReplayServer(provider=grafana_like) as server:
        status, _, answer = _change_state(server, body=body)
        assert status == 400 and json.loads(answer)["error"].startswith(error)
        assert _change_state(server, method="GET")[0] == 405
        assert server.active_states == [] and server.stats.state_changes == 0


def test_fault_text_errors_name_the_problem() -> None:
    with pytest.raises(UsageError, match="fault 'bogus=1' not understood"):
        Faults.from_text("bogus=1")
    with pytest.raises(UsageError, match="expected a ratio between 0 and 1"):
        Faults.from_text("throttle=2")


def _recorded_response(cassette: Path) -> tuple[int, dict[str, str], bytes]:
    """(status, headers without volatile markers, body) as the cassette file says, read without our loader."""
    [interaction] = yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"]
    response = interaction["response"]
    headers = {
        name.lower(): ", ".join(values)
        for name, values in response["headers"].items()
        if not any(value.startswith("<volatile") for value in values)
    }
    return response["status"]["code"], headers, response["body"]["string"].encode("utf-8")


def _example_operations() -> list:
    """(provider, operation) of every HTTP operation of the example registry, one test case each."""
    registry = load_registry(REPO / "registry.yaml", environ={})
    cases = []
    for provider in registry.providers.values():
        for name in provider.operations if provider.kind.value != "aws" else ():
            cases.append(pytest.param(provider.name, name, id=f"{provider.name}-{name}"))
    return cases


EXAMPLE_OPERATIONS = _example_operations()


def test_the_example_registry_has_operations_to_replay() -> None:
    assert len(EXAMPLE_OPERATIONS) >= 20


@pytest.mark.parametrize(("provider_name", "operation_name"), EXAMPLE_OPERATIONS)
def test_every_operation_of_the_example_registry_is_answered_from_its_cassette(provider_name, operation_name) -> None:
    """The replayed status, headers and body are the operation's own cassette's (read from the file, not by our
    loader); volatile headers are left out rather than sent with their marker."""
    provider = load_registry(REPO / "registry.yaml", environ={}).provider(provider_name)
    operation = provider.operations[operation_name]
    path = (provider.base_path + operation.path).replace("{", "").replace("}", "")
    with ReplayServer(provider=provider) as server:
        status, headers, body = _get(server, operation.method, path, b"{}" if operation.method == "POST" else None)
    recorded_status, recorded_headers, recorded_body = _recorded_response(provider.cassettes / f"{operation.name}.yaml")
    assert (status, body) == (recorded_status, recorded_body)
    replayed = {name.lower(): value for name, value in headers.items()}
    assert {name: replayed.get(name) for name in recorded_headers} == recorded_headers
    assert replayed["content-length"] == str(len(recorded_body))
    assert "<volatile" not in json.dumps(replayed)


def test_cli_replay_serves_until_interrupted(tmp_path: Path, grafana_like) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from contractkit.cli import run; run()",
            "replay",
            "--registry",
            str(tmp_path / "registry.yaml"),
            "--provider",
            "dash",
        ],
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env={**os.environ, "PACT_DO_NOT_TRACK": "true"},
    )
    try:
        lines = [process.stderr.readline().decode()]
        while "replaying" not in lines[-1] and lines[-1] and len(lines) < 50:  # warnings may come first
            lines.append(process.stderr.readline().decode())
        line = lines[-1]
        assert "replaying 3 interaction(s) of dash at http://127.0.0.1:" in line, lines
        port = int(line.split("127.0.0.1:")[1].split("/")[0])
        states = process.stderr.readline().decode()
        assert (
            states
            == f"provider states (0 with a cassette variant): state-change URL http://127.0.0.1:{port}/_pact/state\n"
        )
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/api/dashboards/uid/q")
        assert conn.getresponse().status == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
        assert "served 1 request(s), 0 unmatched" in process.stderr.read().decode()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_head_requests_get_no_body_and_expect_continue_is_honoured(grafana_like) -> None:
    import socket

    with ReplayServer(provider=grafana_like) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("HEAD", "/api/dashboards/uid/a")
        response = connection.getresponse()
        assert response.status == 200 and response.read() == b"" and int(response.getheader("Content-Length")) > 0
        connection.request("GET", "/api/dashboards/uid/a")  # the same connection is still in step
        assert json.loads(connection.getresponse().read())["dashboard"]["uid"] == "xyz"
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(
                b"POST /api/annotations HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"
            )
            assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue")
            sock.sendall(b"{}")
            assert b'{"id": 1}' in sock.recv(4096)
