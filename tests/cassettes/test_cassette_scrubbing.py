"""Secrets never reach a cassette: 30+ planted secrets through a real local server, plus the laws of scrubbing."""

from __future__ import annotations

import base64
import json
import re
import secrets as rand
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_plus

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.cassettes import RecordedInteraction, RecordedRequest, RecordedResponse
from contractkit.recording import RecordOptions, record_cassettes
from contractkit.registry import load_registry
from contractkit.secrets.masking import mask_text
from contractkit.secrets.scrub import (
    ScrubRules,
    find_secrets,
    rules_for,
    scrub_body,
    scrub_interaction,
    scrub_text,
)


def _hex(n: int = 20) -> str:
    return rand.token_hex(n)


def _alnum(n: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(rand.choice(alphabet) for _ in range(n))


def planted() -> dict[str, str]:
    """Distinct secrets, each with a name saying where it travels."""
    upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    return {
        "bearer_env": _hex(),
        "x_api_key": _hex(),
        "cookie": _hex(),
        "amz_security_token": _hex(32),
        "custom_header": _hex(),
        "q_token": _hex(),
        "q_access_token": _hex(),
        "q_api_key": _hex(),
        "q_signature": _hex(32),
        "q_amz_signature": _hex(32),
        "q_amz_credential": "AKIA" + "".join(rand.choice(upper) for _ in range(16)),
        "b_password": _hex(),
        "b_client_secret": _hex(),
        "b_refresh_token": _hex(),
        "b_session": _hex(),
        "b_custom_field": _hex(),
        "b_github": "ghp_" + _alnum(36),
        "b_slack_bot": "xoxb-" + _alnum(24),
        "b_jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ" + _alnum(20) + "." + _alnum(30),
        "r_set_cookie": _hex(),
        "r_token": "ghs_" + _alnum(36),
        "r_secret": _hex(),
        "r_grafana_sa": "glsa_" + _alnum(32) + "_" + _hex(4),
        "r_grafana_key": "eyJrIjoi" + _alnum(40),
        "r_atlassian": "ATATT3x" + _alnum(40),
        "r_github_pat": "github_pat_" + _alnum(40),
        "r_aws_key": "AKIA" + "".join(rand.choice(upper) for _ in range(16)),
        "r_slack_app": "xapp-1-" + _alnum(30),
        "r_webhook": "https://hooks.slack.com/services/T" + _alnum(8) + "/B" + _alnum(8) + "/" + _alnum(24),
        "r_url_password": _hex(),
        "r_corp": "CORP-" + str(rand.randbelow(10**8)).zfill(8),
        "r_response_header": _hex(),
        "sig_secret_key": _alnum(40),
        "sig_session_token": _hex(40),
        "sig_key_id": "ASIA" + "".join(rand.choice(upper) for _ in range(16)),
        "r_private_key": "-----BEGIN RSA PRIVATE KEY-----\n" + _alnum(64) + "\n-----END RSA PRIVATE KEY-----",
    }


def sigv4_headers(url: str, secret: dict[str, str]) -> dict[str, str]:
    """Headers of a request really signed with SigV4 by botocore."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method="GET", url=url, headers={"Accept": "application/json"})
    SigV4Auth(
        Credentials(secret["sig_key_id"], secret["sig_secret_key"], secret["sig_session_token"]),
        "execute-api",
        "us-east-1",
    ).add_auth(request)
    return {name: value for name, value in request.headers.items()}


def _echo(secret: dict[str, str]):
    def answer(seen: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        body = {
            "received": {"headers": seen["headers"], "query": seen["query"], "body": seen["body"]},
            "token": secret["r_token"],
            "secret": secret["r_secret"],
            "private_key": secret["r_private_key"],
            "notes": [
                f"service account {secret['r_grafana_sa']}",
                f"legacy key {secret['r_grafana_key']}",
                f"jira {secret['r_atlassian']}",
                f"pat {secret['r_github_pat']}",
                f"aws {secret['r_aws_key']}",
                f"app {secret['r_slack_app']}",
                f"hook {secret['r_webhook']}",
                f"clone https://deploy:{secret['r_url_password']}@git.example.com/repo.git",
                f"ticket {secret['r_corp']}",
            ],
            "items": [{"id": 1, "name": "kept"}],
        }
        headers = {
            "Set-Cookie": f"sid={secret['r_set_cookie']}; Path=/; HttpOnly",
            "X-Custom-Secret": secret["r_response_header"],
            "X-Api-Key": seen["headers"].get("X-Api-Key", ""),
        }
        return 200, headers, body

    return answer


def _scan_texts(folder: Path) -> list[str]:
    """Every text under a folder, raw, URL-decoded, and with binary (base64) values decoded."""
    texts = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        raw = path.read_bytes().decode("utf-8", "replace")
        texts += [raw, unquote(raw), unquote_plus(raw)]
        from vcr.serializers.yamlserializer import deserialize

        stack: list[Any] = [deserialize(raw)]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, bytes):
                texts.append(value.decode("utf-8", "replace"))
    return texts


def test_thirty_planted_secrets_never_reach_the_cassette_folder(
    local_provider, registry_writer, tmp_path: Path
) -> None:
    secret = planted()
    assert len(set(secret.values())) == len(secret) >= 30
    local_provider.route("GET", "/api/echo", _echo(secret))
    local_provider.route("POST", "/api/login", _echo(secret))
    local_provider.route("GET", "/api/signed", _echo(secret))
    signed = sigv4_headers(f"{local_provider.url}/api/signed", secret)
    path = registry_writer(
        {
            "echo": {
                "base_url": f"{local_provider.url}/api",
                "auth": {"scheme": "bearer", "env": "ECHO_TOKEN"},
                "scrub": {"headers": ["X-Custom-Secret"], "fields": ["internal_ref"], "patterns": [r"CORP-\d{8}"]},
                "record": {
                    "requests": {
                        "echo": {
                            "query": {
                                "token": secret["q_token"],
                                "access_token": secret["q_access_token"],
                                "api_key": secret["q_api_key"],
                                "signature": secret["q_signature"],
                                "X-Amz-Signature": secret["q_amz_signature"],
                                "X-Amz-Credential": secret["q_amz_credential"] + "/20261122/us-east-1/s3/aws4_request",
                                "page": "2",
                            },
                            "headers": {
                                "X-Api-Key": secret["x_api_key"],
                                "Cookie": f"session={secret['cookie']}",
                                "X-Amz-Security-Token": secret["amz_security_token"],
                                "X-Custom-Secret": secret["custom_header"],
                            },
                        },
                        "login": {
                            "body": {
                                "user": "ci",
                                "password": secret["b_password"],
                                "client_secret": secret["b_client_secret"],
                                "refresh_token": secret["b_refresh_token"],
                                "session": secret["b_session"],
                                "internal_ref": secret["b_custom_field"],
                                "comment": f"{secret['b_github']} {secret['b_slack_bot']} {secret['b_jwt']}",
                            }
                        },
                    }
                },
                "operations": {
                    "echo": {"method": "GET", "path": "/echo", "safe": True},
                    "login": {"method": "POST", "path": "/login", "safe": True},
                },
            },
            "signed": {
                "base_url": f"{local_provider.url}/api",
                "auth": {"scheme": "none"},
                "scrub": {"headers": ["X-Custom-Secret"], "patterns": [r"CORP-\d{8}"]},
                "record": {"requests": {"signed": {"headers": signed}}},
                "operations": {"signed": {"method": "GET", "path": "/signed", "safe": True}},
            },
        }
    )
    registry = load_registry(path)
    environ = {"ECHO_TOKEN": secret["bearer_env"]}
    for name in ("echo", "signed"):
        report = record_cassettes(
            registry, name, (), mode="live", options=RecordOptions(environ=environ, source="local")
        )
        assert not report.failed, [r.message for r in report.results]
    assert local_provider.count() == 3  # every request really reached the server
    texts = _scan_texts(tmp_path / "cassettes")
    leaked = {
        name
        for name, value in secret.items()
        for text in texts
        for form in (value, base64.b64encode(value.encode()).decode())
        if form in text
    }
    assert leaked == set()
    # the data around the secrets survives
    echo = (tmp_path / "cassettes" / "echo" / "echo.yaml").read_text()
    assert "<scrubbed:authorization>" in echo and "sid=<scrubbed:sid>; Path=/; HttpOnly" in echo and "page=2" in echo
    assert '"name": "kept"' in echo and "<scrubbed:echo-pattern-1>" in echo


def test_pagination_cursors_and_ids_are_not_mistaken_for_secrets() -> None:
    body = json.dumps({"NextToken": "abc", "nextPageToken": "def", "token_type": "bearer", "id": "AIDAXYZ"})
    assert json.loads(scrub_body(body, "application/json", ScrubRules())) == json.loads(body)


def test_a_code_is_secret_only_when_it_looks_like_a_credential() -> None:
    """`code` is an OAuth authorization code in a redirect and an error or finding code everywhere else: the value
    decides, so a report's `"code": "CK612"` and an error body's `"code": "NOT_FOUND"` stay, an OAuth code goes."""
    oauth = "SplxlOBeZQQYbYS6WxSbIA"  # RFC 6749's example authorization code
    for identifier in ("CK612", "NOT_FOUND", "E_ACCOUNT_LOCKED_42", "invalid_grant", "resourceNotFoundException"):
        body = json.dumps({"code": identifier, "error": {"code": identifier}})
        assert json.loads(scrub_body(body, "application/json", ScrubRules())) == json.loads(body)
        assert (
            scrub_text(f"https://app.example/cb?code={identifier} code={identifier}", ScrubRules())
            == f"https://app.example/cb?code={identifier} code={identifier}"
        )
        assert mask_text(json.dumps({"code": identifier}), {}) == json.dumps({"code": identifier})
    for secret in (oauth, "d9b1c2e07f3a4b5c6d7e", "4/0AX4XfWh" + _alnum(40)):  # RFC 6749, GitHub's, Google's shape
        assert json.loads(scrub_body(json.dumps({"code": secret}), "application/json", ScrubRules())) == {
            "code": "<scrubbed:code>"
        }
        assert (
            scrub_text(f"https://app.example/cb?code={secret}&state=xyz", ScrubRules())
            == "https://app.example/cb?code=<scrubbed:code>&state=xyz"
        )
        assert (
            mask_text(f"redirected to https://app.example/cb?code={secret}", {})
            == "redirected to https://app.example/cb?code=<scrubbed:code>"
        )
        assert find_secrets(f"code={secret}", ScrubRules()) == ["code"]


def test_xml_placeholders_keep_the_document_parseable() -> None:
    from xml.etree import ElementTree

    body = (
        "<Creds><AccessKeyId>AKIAZ7Q3LX5TV2N9WP4K</AccessKeyId><SecretAccessKey>abc/def+ghi</SecretAccessKey></Creds>"
    )
    cleaned = scrub_body(body, "text/xml", ScrubRules())
    root = ElementTree.fromstring(cleaned)
    assert root.find("SecretAccessKey").text == "<scrubbed:secretaccesskey>"
    assert root.find("AccessKeyId").text == "<scrubbed:aws-access-key-id>"


# a digit inside keeps generated secrets from spelling words of the cassette layout (`interactions`)
_SECRET = st.from_regex(r"[a-z0-9]{6,20}[0-9][a-z0-9]{5,20}", fullmatch=True)


def _interaction(secret: str, filler: str) -> RecordedInteraction:
    return RecordedInteraction(
        RecordedRequest(
            "POST",
            f"https://h.example/x?token={secret}&q={filler}",
            {"Authorization": (f"Bearer {secret}",), "Accept": ("application/json",)},
            json.dumps({"password": secret, "note": filler}),
        ),
        RecordedResponse(
            200,
            {"Content-Type": ("application/json",), "Set-Cookie": (f"s={secret}",)},
            json.dumps({"echo": f"{filler} {secret}", "data": [filler]}),
            "OK",
        ),
    )


@settings(max_examples=60, deadline=None)
@given(secret=_SECRET, filler=st.text(max_size=30))
def test_scrubbing_twice_equals_scrubbing_once(secret: str, filler: str) -> None:
    rules = rules_for({}, {"APP_TOKEN": secret})
    once = scrub_interaction(_interaction(secret, filler), rules)
    assert scrub_interaction(once, rules) == once


@settings(max_examples=60, deadline=None)
@given(secret=_SECRET, filler=st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_a_scrubbed_interaction_never_contains_the_secret(secret: str, filler: str) -> None:
    from contractkit.cassettes import dump_interactions

    rules = rules_for({}, {"APP_TOKEN": secret})
    text = dump_interactions([scrub_interaction(_interaction(secret, filler), rules)])
    outside_placeholders = re.sub(r"<(?:scrubbed|volatile):[^>]*>", "", text)  # `authorizatio` is in a placeholder name
    assert secret not in outside_placeholders and not find_secrets(text, rules)


def test_value_shaped_secrets_get_stable_named_placeholders() -> None:
    token = "ghp_" + "a1" * 18
    assert scrub_text(f"use {token} now", ScrubRules()) == "use <scrubbed:github-token> now"
    assert scrub_text(f"use {token} now", ScrubRules()) == scrub_text(f"use {token} now", ScrubRules())
    assert yaml.safe_load(yaml.safe_dump({"v": scrub_text(token, ScrubRules())}))["v"] == "<scrubbed:github-token>"


def test_scan_finds_secrets_hidden_in_binary_values(tmp_path: Path, run_cli, monkeypatch) -> None:
    token = "ghp_" + "Q7" * 18
    folder = tmp_path / "cassettes" / "svc"
    folder.mkdir(parents=True)
    encoded = base64.b64encode(f"Bearer {token}".encode()).decode()
    (folder / "leaky.yaml").write_text(
        "interactions:\n- request: {method: GET, uri: 'http://127.0.0.1/x', body: null,\n"
        f"    headers: {{Authorization: [!!binary '{encoded}']}}}}\n"
        "  response: {status: {code: 200, message: OK}, headers: {}, body: {string: 'key=sk-live-0123456789'}}\nversion: 1\n"
    )
    (folder / "clean.yaml").write_text(
        "interactions:\n- request: {method: GET, uri: 'http://127.0.0.1/y', body: null, headers: {}}\n"
        "  response: {status: {code: 200, message: OK}, headers: {}, body: {string: '<scrubbed:token>'}}\nversion: 1\n"
    )
    (tmp_path / "registry.yaml").write_text(
        "version: 1\nconsumer: demo\nproviders:\n  svc:\n    base_url: http://127.0.0.1:1\n"
        "    auth: {scheme: bearer, env: SVC_TOKEN}\n    operations:\n      x: {method: GET, path: /x, safe: true}\n"
    )
    assert token not in (folder / "leaky.yaml").read_text()  # invisible to a plain grep
    monkeypatch.setenv("SVC_TOKEN", "sk-live-0123456789")
    code, out, _ = run_cli("scan", "--registry", str(tmp_path / "registry.yaml"))
    assert code == 1
    assert "FAILED [secrets] svc / leaky" in out and "github-token" in out and "svc_token" in out
    assert "PASSED [secrets] svc / clean" in out
