"""Masking what a run prints: only credentials, only whole values, in every encoding; prose and paths survive."""

from __future__ import annotations

import base64
import html
import json
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractkit.fuzz.endpoints import Credentials, mask_credentials
from contractkit.secrets import credential_environ, mask_text

TOKEN = "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0"  # long: masked inside longer tokens too
SHORT = "hunter22"  # short: masked only as a whole value


def test_paths_and_plain_variables_are_never_credentials() -> None:
    environ = {"PWD": "/work/project", "HOME": "/root", "OLDPWD": "/tmp", "TMPDIR": "/tmp/x", "SHELL": "/bin/bash"}
    assert credential_environ(environ) == {}
    report = "wrote /work/project/reports/contracts.json (home /root)"
    assert mask_text(report, environ) == report


def test_dummy_credentials_do_not_garble_words() -> None:
    environ = {"TWILIO_USER": "x", "TWILIO_TOKEN": "y", "API_KEY": "pass"}
    report = "Expected 'y' to be a string: pass the body as JSON; passage x"
    assert mask_text(report, environ, ["TWILIO_USER", "TWILIO_TOKEN"]) == report.replace(
        " pass ", " <scrubbed:api_key> "
    )


def test_a_short_credential_is_masked_as_a_whole_value_only() -> None:
    environ = {"DB_PASSWORD": SHORT}
    masked = mask_text(f"password {SHORT}; hunter22s are not; xhunter22 neither; ({SHORT})", environ)
    assert masked == "password <scrubbed:db_password>; hunter22s are not; xhunter22 neither; (<scrubbed:db_password>)"


@pytest.mark.parametrize(
    "encode",
    [
        lambda value: value,
        lambda value: quote(value, safe=""),
        lambda value: quote(value, safe="").lower(),
        lambda value: json.dumps(value)[1:-1],
        lambda value: json.dumps(value)[1:-1].replace("/", "\\/"),
        lambda value: html.escape(value),
        lambda value: base64.b64encode(value.encode()).decode(),
        lambda value: "QUJD" + base64.b64encode(b"ABC" + value.encode()).decode()[4:],  # inside longer base64
        lambda value: value.encode("utf-16-le").decode("latin-1"),
    ],
    ids=["raw", "percent", "percent-lower", "json", "json-slash", "html", "base64", "base64-inside", "utf16"],
)
def test_the_runs_credential_is_masked_in_every_encoding(encode) -> None:
    secret = TOKEN + "/+&<\"'"
    shown = encode(secret)
    masked = mask_text(f"sent {shown} to the provider", {"NOTES_TOKEN": secret})
    assert shown not in masked and "<scrubbed:notes_token" in masked


def test_query_secrets_and_userinfo_in_urls_are_masked_but_prose_about_fields_is_not() -> None:
    line = "CK310 response.body.password: expected a string (GET https://u:s3cretpw@h.example/x?token=abcd1234wxyz&a=1)"
    assert mask_text(line, {}) == (
        "CK310 response.body.password: expected a string "
        "(GET https://u:<scrubbed:password>@h.example/x?token=<scrubbed:token>&a=1)"
    )


def test_fuzz_output_points_at_the_variable_and_leaves_words_alone() -> None:
    credentials = Credentials(headers={"Authorization": "Bearer x"}, secrets={"TWILIO_USER": "x", "NOTES_TOKEN": TOKEN})
    text = f"Expected status 200; sent Bearer {TOKEN} as x"
    assert mask_credentials(text, credentials) == "Expected status 200; sent Bearer $NOTES_TOKEN as x"


@given(st.text(alphabet=st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=60))
def test_masking_text_without_credentials_changes_nothing_but_formats(text: str) -> None:
    """No environment credential occurs: masking only ever replaces whole credential-shaped values."""
    masked = mask_text(text, {"PWD": "/w", "HOME": "/root", "GITHUB_TOKEN": TOKEN})
    assert masked == mask_text(masked, {}) and (masked == text or "<scrubbed:" in masked)


def test_a_webhook_urls_token_is_masked_as_the_recorder_scrubs_it() -> None:
    from contractkit.secrets import ScrubRules, scrub_text

    hook = "https://contoso.webhook.office.com/webhookb2/IncomingWebhook/3f9a1c2e4b5d6e7f8a9b0c1d2e3f4a5b/x"
    line = f"posted to {hook}; commit https://api.github.com/repos/a/b/commits/6dcb09b5b57875f334f61aebed695e2e4193db5e"
    masked = mask_text(line, {})
    assert "3f9a1c2e4b5d6e7f8a9b0c1d2e3f4a5b" not in masked and "6dcb09b5b57875f334f61aebed695e2e4193db5e" in masked
    assert masked == scrub_text(line, ScrubRules())
