"""The `replay` pytest fixture: cassettes served on loopback, with faults, in a user's own test run."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

REGISTRY = """version: 1
consumer: demo
providers:
  dash:
    base_url: http://127.0.0.1:3000/api
    operations:
      get_dashboard: {method: GET, path: '/dashboards/uid/{uid}', safe: true}
"""
CASSETTE = """interactions:
- request: {method: GET, uri: 'http://127.0.0.1/api/dashboards/uid/xyz', headers: {}, body: null}
  response:
    status: {code: 200, message: OK}
    headers: {Content-Type: [application/json]}
    body: {string: '{"dashboard": {"uid": "xyz"}}'}
version: 1
"""
TESTS = """
import json
import urllib.error
import urllib.request


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, dict(answer.headers), json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), None


def test_recorded_answer(replay):
    with replay("dash") as server:
        status, _, body = get(server.url + "/dashboards/uid/abc")
    assert status == 200 and body["dashboard"]["uid"] == "xyz"


def test_client_sees_throttling(replay):
    with replay("dash", faults="throttle=1.0,retry_after=4") as server:
        status, headers, _ = get(server.url + "/dashboards/uid/abc")
    assert status == 429 and headers["Retry-After"] == "4" and server.stats.throttled == 1


def test_client_sees_server_errors(replay):
    with replay("dash", faults="errors=1.0,status=503") as server:
        assert get(server.url + "/dashboards/uid/abc")[0] == 503
"""


def test_replay_fixture_in_a_user_suite(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", registry=REGISTRY)
    (pytester.path / "cassettes" / "dash").mkdir(parents=True)
    (pytester.path / "cassettes" / "dash" / "get_dashboard.yaml").write_text(CASSETTE)
    pytester.makepyfile(test_user=TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider", "--contracts-registry", "registry.yaml")
    result.assert_outcomes(passed=3)
