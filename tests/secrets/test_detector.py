"""The one detector and the structural pass, piece by piece, and their laws."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from corpus import Credentials, _vendor_values
from hypothesis import given, settings
from hypothesis import strategies as st

from contractkit.cassettes import RecordedInteraction, RecordedRequest, RecordedResponse
from contractkit.secrets.detector import Detector, credential_variants, is_secret_name, looks_random
from contractkit.secrets.masking import mask_text
from contractkit.secrets.scrub import (
    ScrubRules,
    find_secrets,
    rules_for,
    scrub_body,
    scrub_interaction,
    scrub_text,
)


@pytest.mark.parametrize(
    "name",
    [
        "auth_token",
        "sessionToken",
        "os_password",
        "X-Amz-Security-Token",
        "smtp_pass",
        "integration_key",
        "grafana_session",
        "db.password",
        "API_KEY",
        "SecretString",
        "routing_key",
        "PHPSESSID",
        "client_secret",
        "ticket",
    ],
)
def test_secret_names_by_words(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "next_token",
        "page_token",
        "nextPageToken",
        "NextContinuationToken",
        "token_type",
        "key",
        "Key",
        "sort_key",
        "incident_key",
        "issueKey",
        "author",
        "keywords",
        "public_key",
        "AccessKeyId",
        "auth_type",
        "expires_in",
        "cookie_name",
    ],
)
def test_known_non_secrets_are_allowed(name: str) -> None:
    assert not is_secret_name(name)


def test_every_vendor_format_is_detected_in_text_json_and_escaped_text() -> None:
    detector = Detector.from_credentials()
    missed = []
    for vendor, (value, core) in _vendor_values().items():
        for text in (f"x {value} y", json.dumps({"note": value}), json.dumps(f"line\n{value}\nend")):
            cores = (core, json.dumps(core)[1:-1])
            if not any(
                form in text[match.start : match.end] for match in detector.iter_matches(text) for form in cores
            ):
                missed.append((vendor, text[:40]))
    assert missed == []


def test_documented_examples_and_uuids_are_not_secrets() -> None:
    text = "AKIAIOSFODNN7EXAMPLE 3f2504e0-4f89-11d3-9a0c-0305e82c3301 Token token=y_NbAkKc66ryYTWUXYEu"
    assert Detector.from_credentials().kinds(text) == []
    assert not looks_random("3f2504e0-4f89-11d3-9a0c-0305e82c3301") and not looks_random("production-dashboard")


def test_credential_variants_cover_every_encoding() -> None:
    variants = set(credential_variants({"J_EMAIL": "me@example.test", "J_TOKEN": "ab+/=cdEFgh12345678"}).values())
    assert "ab%2B%2F%3DcdEFgh12345678" in variants and b"ab+/=cdEFgh12345678".hex() in variants
    assert base64.b64encode(b"me@example.test:ab+/=cdEFgh12345678").decode().rstrip("=") in variants
    blob = base64.b64encode(b"xy:ab+/=cdEFgh12345678:z").decode()  # the token two bytes into a longer text
    assert any(form in blob for form in variants)


def test_structure_reaches_urls_in_headers_bodies_and_json_strings() -> None:
    rules = ScrubRules()
    link = scrub_text('<https://api.example.test/x?page=2&access_token=abcd1234efgh>; rel="next"', rules)
    assert link == '<https://api.example.test/x?page=2&access_token=<scrubbed:access_token>>; rel="next"'
    assert (
        scrub_text("https://tok9876543210abc@git.example.test/r.git", rules)
        == "https://<scrubbed:userinfo>@git.example.test/r.git"
    )
    assert scrub_text("postgres://app:p@ss@w0rd@db/app", rules) == "postgres://app:<scrubbed:password>@db/app"
    nested = json.dumps({"Value": json.dumps({"user": "app", "password": "s3cr3t-value"})})
    assert json.loads(json.loads(scrub_body(nested, "application/json", rules))["Value"]) == {
        "password": "<scrubbed:password>",
        "user": "app",
    }
    pairs = json.dumps([{"name": "API_KEY", "value": "v-123456"}, {"name": "REGION", "value": "eu-west-1"}])
    assert json.loads(scrub_body(pairs, "application/json", rules)) == [
        {"name": "API_KEY", "value": "<scrubbed:api_key>"},
        {"name": "REGION", "value": "eu-west-1"},
    ]


_SECRET = st.from_regex(r"[A-Za-z0-9]{6,20}[0-9][A-Za-z0-9+/=]{5,20}", fullmatch=True)
_FILLER = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="<>"), max_size=30)


def _interaction(secret: str, filler: str) -> RecordedInteraction:
    body = {
        "config": json.dumps({"db": {"password": secret}}),
        "env": [{"name": "X_TOKEN", "value": secret}],
        "note": f"{filler} {secret}",
        "link": f"https://u:{secret}@h.example/x?sessionToken={secret}#id_token={secret}",
    }
    return RecordedInteraction(
        RecordedRequest(
            "POST",
            f"https://h.example/x?auth_token={secret}&q=1",
            {"Cookie": (f"grafana_session={secret}; theme=dark",)},
            f"smtp_pass={secret}&x=1",
        ),
        RecordedResponse(
            200,
            {"Content-Type": ("application/json",), "Link": (f"<https://h/x?access_token={secret}>",)},
            json.dumps(body),
            "OK",
        ),
    )


@settings(max_examples=40, deadline=None)
@given(secret=_SECRET, filler=_FILLER)
def test_scrubbing_is_idempotent_and_removes_every_form(secret: str, filler: str) -> None:
    rules = rules_for({}, {"APP_TOKEN": secret})
    once = scrub_interaction(_interaction(secret, filler), rules)
    assert scrub_interaction(once, rules) == once
    text = repr(once)
    assert secret not in text and base64.b64encode(secret.encode()).decode().rstrip("=") not in text


def test_masking_a_report_uses_the_environment() -> None:
    creds = Credentials()
    text = f"GET /x?appid={creds.query_key} failed; sent Bearer {creds.bearer} and sk_live_{'A1b2' * 6}"
    masked = mask_text(text, {"WEATHER_KEY": creds.query_key, "NOTES_TOKEN": creds.bearer, "HOME": "/root"})
    assert creds.query_key not in masked and creds.bearer not in masked and "sk_live_A1b2" not in masked
    assert find_secrets(masked, ScrubRules()) == []


def test_a_contract_holding_a_stripe_key_is_refused_before_any_pact(tmp_path: Path, run_cli) -> None:
    (tmp_path / "contracts").mkdir()
    (tmp_path / "registry.yaml").write_text(
        "version: 1\nconsumer: shop\nproviders:\n  pay:\n    base_url: http://127.0.0.1:9/v1\n"
        "    auth: {scheme: none}\n    contract: contracts/pay.yaml\n"
        "    operations:\n      charge: {method: GET, path: /charges, safe: true}\n",
        encoding="utf-8",
    )
    key = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    (tmp_path / "contracts" / "pay.yaml").write_text(
        "provider: pay\ninteractions:\n  - operation: charge\n    description: charges\n"
        f"    request: {{headers: {{Authorization: 'Bearer {key}'}}}}\n    response: {{status: 200, body: []}}\n",
        encoding="utf-8",
    )
    code, out, err = run_cli("consumer", "--registry", str(tmp_path / "registry.yaml"))
    assert code == 2 and "Traceback" not in err
    assert "pay.yaml:5: interactions[0].request.headers.Authorization: the value looks like a stripe key" in err
    assert key not in out + err and not (tmp_path / "pacts").exists()


def test_masking_leaves_prose_about_secret_fields_readable() -> None:
    line = "CK310 response.body.password: expected a string, got null (GET https://h.example/x?token=abcd1234wxyz)"
    assert mask_text(line, {}) == (
        "CK310 response.body.password: expected a string, got null (GET https://h.example/x?token=<scrubbed:token>)"
    )
