"""The planted-secret corpus: one secret per operation, each with the place it travels and the shape it has.

`core` is the random part of a secret (a vendor prefix such as `xoxb-` may survive, the random part never);
`forms` are the exact encodings that crossed the wire. A case's `side` says whether the secret is in the
request or the response, so a scan finding can be tied to the case by its line.
"""

from __future__ import annotations

import base64
import json
import secrets as rand
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import quote

from plant_support import Answer, Exchange, json_answer

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
B64 = ALNUM + "+/"


def alnum(n: int, alphabet: str = ALNUM) -> str:
    # a digit and an upper-case letter inside, so no generated value reads as a word
    return "".join(rand.choice(alphabet) for _ in range(n - 2)) + rand.choice("0123456789") + rand.choice("QXZ")


def hexs(n: int) -> str:
    return rand.token_hex(n // 2)


@dataclass
class Case:
    """One planted secret."""

    name: str
    provider: str
    place: str
    shape: str
    core: str
    side: str  # request | response
    request: dict[str, Any] = field(default_factory=dict)  # the registry's record.requests entry
    answer: Callable[[Exchange], Answer] = lambda seen: json_answer({"ok": True})
    forms: tuple[str, ...] = ()


def text_answer(
    text: str, content_type: str = "text/plain; charset=utf-8", headers: list[tuple[str, str]] | None = None
) -> Callable[[Exchange], Answer]:
    return lambda seen: (200, [("Content-Type", content_type), *(headers or [])], text.encode())


def data_answer(data: Any, headers: list[tuple[str, str]] | None = None) -> Callable[[Exchange], Answer]:
    return lambda seen: json_answer(data, headers)


def header_answer(headers: list[tuple[str, str]], status: int = 200) -> Callable[[Exchange], Answer]:
    return lambda seen: json_answer({"ok": True}, headers, status)


class Credentials:
    """The run's own credentials, read by the registry's auth from the environment."""

    def __init__(self) -> None:
        self.email = "ci-bot@example.test"
        self.basic_token = alnum(18) + "+/=" + alnum(10)  # URL- and base64-sensitive characters inside
        self.query_key = alnum(32)
        self.bearer = alnum(40)
        self.header_token = alnum(28)

    @property
    def environ(self) -> dict[str, str]:
        return {
            "PLANT_EMAIL": self.email,
            "PLANT_TOKEN": self.basic_token,
            "PLANT_QUERY_KEY": self.query_key,
            "PLANT_BEARER": self.bearer,
            "PLANT_HEADER_TOKEN": self.header_token,
        }


PROVIDERS = {
    "plant": {"scheme": "none"},
    "plant_basic": {"scheme": "basic", "env": ["PLANT_EMAIL", "PLANT_TOKEN"]},
    "plant_query": {"scheme": "query", "env": "PLANT_QUERY_KEY", "query": "key"},
    "plant_bearer": {"scheme": "bearer", "env": "PLANT_BEARER"},
    "plant_header": {"scheme": "header", "env": "PLANT_HEADER_TOKEN", "header": "X-Service-Auth", "prefix": "Token "},
}


def _query_cases() -> list[Case]:
    names = [
        "auth_token",
        "sessionToken",
        "os_password",
        "access_token",
        "api_key",
        "X-Amz-Security-Token",
        "client_secret",
        "refresh_token",
        "sig",
        "signature",
        "ticket",
        "password",
        "private_token",
        "apiKey",
        "id_token",
        "X-Amz-Credential",
    ]
    cases = []
    for name in names:
        value = alnum(32)
        cases.append(
            Case(
                f"q_{name.lower().replace('-', '_')}",
                "plant",
                "query parameter",
                f"name {name}",
                value,
                "request",
                {"query": {name: value, "page": "2"}},
                forms=(value,),
            )
        )
    signature = hexs(64)
    cases.append(
        Case(
            "q_x_amz_signature",
            "plant",
            "query parameter",
            "SigV4 signature (hex)",
            signature,
            "request",
            {"query": {"X-Amz-Signature": signature}},
            forms=(signature,),
        )
    )
    return cases


def _request_header_cases() -> list[Case]:
    cases = []
    for name in ("X-Api-Key", "X-Auth-Token", "Private-Token", "X-Vault-Token", "Proxy-Authorization", "X-Csrf-Token"):
        value = alnum(36)
        cases.append(
            Case(
                f"h_{name.lower().replace('-', '_')}",
                "plant",
                "request header",
                f"name {name}",
                value,
                "request",
                {"headers": {name: value}},
                forms=(value,),
            )
        )
    session, theme = alnum(40), "dark"
    cases.append(
        Case(
            "h_cookie",
            "plant",
            "request header",
            "Cookie pair",
            session,
            "request",
            {"headers": {"Cookie": f"theme={theme}; grafana_session={session}"}},
            forms=(session,),
        )
    )
    return cases


def _request_body_cases() -> list[Case]:
    cases = []
    simple = {
        "password": "password",
        "smtp_pass": "smtp_pass",
        "integration_key": "integration_key",
        "nested": "db",
        "dotted": "db.password",
    }
    for label, key in simple.items():
        value = alnum(30)
        body = {"user": "ci", key: {"host": "db.internal", "password": value} if label == "nested" else value}
        cases.append(
            Case(
                f"rb_{label}",
                "plant",
                "request JSON body",
                f"field {key}",
                value,
                "request",
                {"body": body},
                forms=(value,),
            )
        )
    env_value, header_value, secret_string = alnum(40), alnum(40), alnum(30)
    cases += [
        Case(
            "rb_env_list",
            "plant",
            "request JSON body",
            "name/value list (API_KEY)",
            env_value,
            "request",
            {"body": {"env": [{"name": "REGION", "value": "eu-west-1"}, {"name": "API_KEY", "value": env_value}]}},
            forms=(env_value,),
        ),
        Case(
            "rb_custom_headers",
            "plant",
            "request JSON body",
            "webhook custom_headers (key/value)",
            header_value,
            "request",
            {
                "body": {
                    "url": "https://hooks.example.test/in",
                    "custom_headers": [{"key": "Authorization", "value": f"Bearer {header_value}"}],
                }
            },
            forms=(header_value,),
        ),
        Case(
            "rb_secret_string",
            "plant",
            "request JSON body",
            "JSON in a JSON string",
            secret_string,
            "request",
            {"body": {"Name": "prod/db", "Payload": json.dumps({"username": "app", "password": secret_string})}},
            forms=(secret_string,),
        ),
    ]
    form_secret, form_password, part_secret, xml_secret = alnum(32), alnum(24), alnum(32), alnum(32)
    boundary = "----plantBoundary7MA4YWxk"
    multipart = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nreport\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="api_token"\r\n\r\n{part_secret}\r\n'
        f"--{boundary}--\r\n"
    )
    cases += [
        Case(
            "rb_form_client_secret",
            "plant",
            "request form body",
            "field client_secret",
            form_secret,
            "request",
            {
                "headers": {"Content-Type": "application/x-www-form-urlencoded"},
                "body": f"grant_type=client_credentials&client_id=app&client_secret={form_secret}",
            },
            forms=(form_secret,),
        ),
        Case(
            "rb_form_password",
            "plant",
            "request form body",
            "field password",
            form_password,
            "request",
            {
                "headers": {"Content-Type": "application/x-www-form-urlencoded"},
                "body": f"username=ci&password={form_password}",
            },
            forms=(form_password,),
        ),
        Case(
            "rb_multipart",
            "plant",
            "request multipart body",
            "part api_token",
            part_secret,
            "request",
            {"headers": {"Content-Type": f"multipart/form-data; boundary={boundary}"}, "body": multipart},
            forms=(part_secret,),
        ),
        Case(
            "rb_xml",
            "plant",
            "request XML body",
            "element Password",
            xml_secret,
            "request",
            {
                "headers": {"Content-Type": "application/xml"},
                "body": f"<Login><User>ci</User><Password>{xml_secret}</Password></Login>",
            },
            forms=(xml_secret,),
        ),
    ]
    return cases


def _response_header_cases() -> list[Case]:
    grafana, sid, token_header = alnum(32), alnum(40), alnum(36)
    presigned, fragment, link, userinfo = alnum(120, B64), alnum(40), alnum(36), "ghp_" + alnum(36)
    return [
        Case(
            "rh_set_cookie_grafana",
            "plant",
            "response header",
            "Set-Cookie grafana_session",
            grafana,
            "response",
            answer=header_answer([("Set-Cookie", f"grafana_session={grafana}; Path=/; HttpOnly; SameSite=Lax")]),
            forms=(grafana,),
        ),
        Case(
            "rh_set_cookie_sid",
            "plant",
            "response header",
            "Set-Cookie sid",
            sid,
            "response",
            answer=header_answer([("Set-Cookie", f"sid={sid}; Path=/; Secure")]),
            forms=(sid,),
        ),
        Case(
            "rh_x_auth_token",
            "plant",
            "response header",
            "name X-Auth-Token",
            token_header,
            "response",
            answer=header_answer([("X-Auth-Token", token_header)]),
            forms=(token_header,),
        ),
        Case(
            "rh_location_presigned",
            "plant",
            "redirect Location",
            "presigned URL X-Amz-Security-Token",
            presigned,
            "response",
            answer=header_answer(
                [
                    (
                        "Location",
                        "https://bucket.s3.amazonaws.com/report.csv?X-Amz-Algorithm="
                        f"AWS4-HMAC-SHA256&X-Amz-Security-Token={quote(presigned, safe='')}"
                        "&X-Amz-Expires=300",
                    )
                ],
                302,
            ),
            forms=(presigned, quote(presigned, safe="")),
        ),
        Case(
            "rh_location_fragment",
            "plant",
            "redirect Location",
            "OAuth #access_token fragment",
            fragment,
            "response",
            answer=header_answer(
                [
                    (
                        "Location",
                        f"https://app.example.test/cb#access_token={fragment}&token_type=bearer&expires_in=3600",
                    )
                ],
                302,
            ),
            forms=(fragment,),
        ),
        Case(
            "rh_link",
            "plant",
            "Link header",
            "access_token in a next-page URL",
            link,
            "response",
            answer=header_answer(
                [("Link", f'<https://api.example.test/items?page=2&access_token={link}>; rel="next"')]
            ),
            forms=(link,),
        ),
        Case(
            "rh_location_userinfo",
            "plant",
            "redirect Location",
            "token-only URL userinfo",
            userinfo,
            "response",
            answer=header_answer([("Location", f"https://{userinfo}@git.example.test/org/repo.git")], 302),
            forms=(userinfo,),
        ),
    ]


def _response_json_cases() -> list[Case]:
    presigned, ws_ticket, db_password, secret_key = alnum(160, B64), alnum(32), alnum(24), alnum(40, B64)
    env_value, helm_password, helm_set, hook_header = alnum(40), alnum(24), alnum(24), alnum(36)
    integration, smtp, grafana_cookie, token_url = hexs(32), alnum(20), alnum(32), "glpat-" + alnum(20)
    at_password, random_value, container_value, database_password = (
        "p@ss" + alnum(16) + "@x",
        alnum(40),
        alnum(40),
        alnum(24),
    )
    return [
        Case(
            "rj_presigned_url",
            "plant",
            "response JSON body",
            "presigned URL X-Amz-Security-Token",
            presigned,
            "response",
            answer=data_answer(
                {
                    "download": "https://bucket.s3.amazonaws.com/a.csv?X-Amz-Security-Token="
                    + quote(presigned, safe="")
                    + "&X-Amz-Expires=60"
                }
            ),
            forms=(presigned, quote(presigned, safe="")),
        ),
        Case(
            "rj_websocket_ticket",
            "plant",
            "response JSON body",
            "websocket URL ?ticket=",
            ws_ticket,
            "response",
            answer=data_answer({"stream": f"wss://rt.example.test/socket?ticket={ws_ticket}&v=2"}),
            forms=(ws_ticket,),
        ),
        Case(
            "rj_secretstring_password",
            "plant",
            "response JSON body",
            "SecretString JSON holding a password",
            db_password,
            "response",
            answer=data_answer(
                {
                    "Name": "prod/db",
                    "SecretString": json.dumps({"username": "app", "password": db_password, "host": "db.internal"}),
                }
            ),
            forms=(db_password,),
        ),
        Case(
            "rj_secretstring_key",
            "plant",
            "response JSON body",
            "JSON string holding a secret key (neutral field)",
            secret_key,
            "response",
            answer=data_answer(
                {
                    "Name": "prod/aws",
                    "Value": json.dumps(
                        {"aws_access_key_id": "AKIA" + alnum(16, UPPER), "aws_secret_access_key": secret_key}
                    ),
                }
            ),
            forms=(secret_key, json.dumps(secret_key)[1:-1]),
        ),
        Case(
            "rj_env_list",
            "plant",
            "response JSON body",
            "name/value list (API_KEY)",
            env_value,
            "response",
            answer=data_answer(
                {
                    "containers": [
                        {"env": [{"name": "LOG_LEVEL", "value": "info"}, {"name": "API_KEY", "value": env_value}]}
                    ]
                }
            ),
            forms=(env_value,),
        ),
        Case(
            "rj_helm_values",
            "plant",
            "response JSON body",
            "helm value db.password",
            helm_password,
            "response",
            answer=data_answer(
                {"values": [{"name": "db.password", "value": helm_password}, {"name": "replicas", "value": "3"}]}
            ),
            forms=(helm_password,),
        ),
        Case(
            "rj_helm_set",
            "plant",
            "response JSON body",
            "helm --set db.password=... string",
            helm_set,
            "response",
            answer=data_answer({"args": ["--set", f"db.password={helm_set}", "--set", "replicas=3"]}),
            forms=(helm_set,),
        ),
        Case(
            "rj_custom_headers",
            "plant",
            "response JSON body",
            "webhook custom_headers map",
            hook_header,
            "response",
            answer=data_answer(
                {"webhook": {"url": "https://hooks.example.test/in", "custom_headers": {"X-Webhook-Key": hook_header}}}
            ),
            forms=(hook_header,),
        ),
        Case(
            "rj_integration_key",
            "plant",
            "response JSON body",
            "field integration_key",
            integration,
            "response",
            answer=data_answer({"service": {"name": "api", "integration_key": integration}}),
            forms=(integration,),
        ),
        Case(
            "rj_smtp_pass",
            "plant",
            "response JSON body",
            "field smtp_pass",
            smtp,
            "response",
            answer=data_answer({"smtp_host": "mail.example.test", "smtp_user": "alerts", "smtp_pass": smtp}),
            forms=(smtp,),
        ),
        Case(
            "rj_grafana_session",
            "plant",
            "response JSON body",
            "echoed cookie grafana_session",
            grafana_cookie,
            "response",
            answer=data_answer({"cookies": {"grafana_session": grafana_cookie}}),
            forms=(grafana_cookie,),
        ),
        Case(
            "rj_token_userinfo",
            "plant",
            "response JSON body",
            "token-only URL userinfo",
            token_url,
            "response",
            answer=data_answer({"clone_url": f"https://{token_url}@gitlab.example.test/org/repo.git"}),
            forms=(token_url,),
        ),
        Case(
            "rj_at_in_password",
            "plant",
            "response JSON body",
            "userinfo password containing @",
            at_password,
            "response",
            answer=data_answer({"dsn": f"postgres://app:{at_password}@db.internal:5432/app"}),
            forms=(at_password,),
        ),
        Case(
            "rj_database_url",
            "plant",
            "response JSON body",
            "name/value DATABASE_URL with userinfo",
            database_password,
            "response",
            answer=data_answer({"env": [{"name": "DATABASE_URL", "value": f"mysql://app:{database_password}@db/app"}]}),
            forms=(database_password,),
        ),
        Case(
            "rj_random_value",
            "plant",
            "response JSON body",
            "random value in a name/value list (entropy)",
            random_value,
            "response",
            answer=data_answer({"settings": [{"name": "UPSTREAM", "value": random_value}]}),
            forms=(random_value,),
        ),
        Case(
            "rj_credentials_container",
            "plant",
            "response JSON body",
            "random string in a credentials object",
            container_value,
            "response",
            answer=data_answer({"credentials": {"kind": "static", "primary": container_value}}),
            forms=(container_value,),
        ),
    ]


def _vendor_values() -> dict[str, tuple[str, str]]:
    """(full value, random core) of each vendor format."""

    def pair(prefix: str, core: str, suffix: str = "") -> tuple[str, str]:
        return prefix + core + suffix, core

    pem_body = "\n".join(alnum(64, B64) for _ in range(4))
    return {
        "aws access key id": pair("AKIA", alnum(16, UPPER)),
        "aws session token": pair("FwoGZXIvYXdzEJr", alnum(180, B64)),
        "github classic token": pair("ghp_", alnum(36)),
        "github oauth token": pair("gho_", alnum(36)),
        "github app token": pair("ghs_", alnum(36)),
        "github fine-grained pat": pair("github_pat_11A", alnum(20) + "_" + alnum(59)),
        "gitlab personal token": pair("glpat-", alnum(20)),
        "gitlab deploy token": pair("gldt-", alnum(20)),
        "slack bot token": pair("xoxb-1234567890-1234567890123-", alnum(24)),
        "slack user token": pair("xoxp-1234567890-1234567890123-1234567890123-", hexs(32)),
        "slack app token": pair("xapp-1-A0123456789-1234567890123-", hexs(64)),
        "slack webhook": pair("https://hooks.slack.com/services/T0123ABCD/B0123ABCD/", alnum(24)),
        "stripe secret key": pair("sk_live_", alnum(24)),
        "stripe restricted key": pair("rk_live_", alnum(24)),
        "stripe webhook secret": pair("whsec_", alnum(32)),
        "twilio api key": pair("SK", hexs(32)),
        "sendgrid key": pair("SG.", alnum(22) + "." + alnum(43)),
        "npm token": pair("npm_", alnum(36)),
        "pypi token": pair("pypi-AgEIcHlwaS5vcmc", alnum(70)),
        "atlassian api token": pair("ATATT3xFfGF0", alnum(60)),
        "grafana service account": pair("glsa_", alnum(32), "_" + hexs(8)),
        "grafana cloud token": pair("glc_", alnum(48, B64)),
        "grafana legacy api key": pair("eyJrIjoi", alnum(44)),
        "pagerduty api key": pair("Token token=", alnum(20)),
        "pagerduty user token": pair("u+", alnum(18)),
        "google api key": pair("AIza", alnum(35)),
        "google oauth token": pair("ya29.", alnum(80)),
        "google client secret": pair("GOCSPX-", alnum(28)),
        "azure storage account key": pair(
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=", alnum(86, B64), "=="
        ),
        "azure sas signature": pair(
            "https://acct.blob.core.windows.net/c/b.txt?sv=2022-11-02&sr=b&sig=", alnum(43, B64)
        ),
        "azure client secret": pair("abc8Q~", alnum(34)),
        "jwt": pair("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjaS1ib3QiLCJpYXQiOjE3MDAwMDAwMDB9.", alnum(86)),
        "rsa private key": pair("-----BEGIN RSA PRIVATE KEY-----\n", pem_body, "\n-----END RSA PRIVATE KEY-----"),
        "openssh private key": pair(
            "-----BEGIN OPENSSH PRIVATE KEY-----\n",
            "b3BlbnNzaC1rZXktdjEA" + alnum(120, B64),
            "\n-----END OPENSSH PRIVATE KEY-----",
        ),
        "ec private key": pair("-----BEGIN EC PRIVATE KEY-----\n", alnum(96, B64), "\n-----END EC PRIVATE KEY-----"),
        "mailgun key": pair("key-", hexs(32)),
        "openai key": pair("sk-proj-", alnum(20) + "T3BlbkFJ" + alnum(20)),
        "aws secret access key": pair("aws_secret_access_key = ", alnum(40, B64)),
    }


def _vendor_cases() -> list[Case]:
    cases = []
    for index, (vendor, (value, core)) in enumerate(sorted(_vendor_values().items())):
        slug = vendor.replace(" ", "_").replace("-", "_")
        if index % 3 == 0:  # in a JSON body under a field name that says nothing
            answer = data_answer({"id": index, "note": f"rotated: {value}", "items": [1, 2]})
            place = "response JSON body (neutral field)"
        elif index % 3 == 1:  # in a plain-text body, such as a log or a config dump
            answer = text_answer(f"config dump\nline 1\n{value}\nend\n")
            place = "response text body"
        else:  # in a request JSON body the consumer sends
            answer = data_answer({"ok": True})
            place = "request JSON body (neutral field)"
        side = "request" if index % 3 == 2 else "response"
        request = {"body": {"comment": f"use {value} here"}} if side == "request" else {}
        cases.append(
            Case(f"v_{slug}", "plant", place, f"vendor format: {vendor}", core, side, request, answer, forms=(value,))
        )
    return cases


def _xml_response_cases() -> list[Case]:
    secret, session, attribute = alnum(40, B64), alnum(120, B64), alnum(28)
    return [
        Case(
            "rx_secret_access_key",
            "plant",
            "response XML body",
            "element SecretAccessKey",
            secret,
            "response",
            answer=text_answer(
                f"<Credentials><AccessKeyId>ASIA{alnum(16, UPPER)}</AccessKeyId><SecretAccessKey>{secret}"
                "</SecretAccessKey></Credentials>",
                "text/xml",
            ),
            forms=(secret,),
        ),
        Case(
            "rx_session_token",
            "plant",
            "response XML body",
            "element SessionToken",
            session,
            "response",
            answer=text_answer(
                f"<Result><SessionToken>{session}</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Result>",
                "application/xml",
            ),
            forms=(session,),
        ),
        Case(
            "rx_password_attribute",
            "plant",
            "response XML body",
            "attribute password",
            attribute,
            "response",
            answer=text_answer(f'<datasource name="db" user="app" password="{attribute}"/>', "application/xml"),
            forms=(attribute,),
        ),
    ]


def _text_cases() -> list[Case]:
    smtp, password = alnum(24), alnum(24)
    return [
        Case(
            "rt_assignment_smtp",
            "plant",
            "response text body",
            "smtp_pass=... in a log line",
            smtp,
            "response",
            answer=text_answer(f"2026-01-01 mailer started smtp_user=alerts smtp_pass={smtp} tls=on\n"),
            forms=(smtp,),
        ),
        Case(
            "rt_url_in_text",
            "plant",
            "response text body",
            "URL with password in free text",
            password,
            "response",
            answer=text_answer(f"clone with https://deploy:{password}@git.example.test/repo.git then build\n"),
            forms=(password,),
        ),
    ]


def _credential_cases(creds: Credentials) -> list[Case]:
    token, email = creds.basic_token, creds.email
    basic = base64.b64encode(f"{email}:{token}".encode()).decode()
    blob = base64.b64encode(f"x:{token}:y".encode()).decode()  # the token one byte into a longer base64 text
    query_url = f"https://api.example.test/v1/items?key={creds.query_key}&page=2"
    return [
        Case(
            "c_basic_header",
            "plant_basic",
            "request Authorization",
            "base64(email:token)",
            token,
            "request",
            forms=(basic,),
        ),
        Case(
            "c_basic_echo_text",
            "plant_basic",
            "response text body",
            "base64(email:token) echoed",
            token,
            "response",
            answer=text_answer(f"you sent: Basic {basic}\n"),
            forms=(basic,),
        ),
        Case(
            "c_basic_echo_b64_token",
            "plant_basic",
            "response text body",
            "base64(token)",
            token,
            "response",
            answer=text_answer(f"token (b64) {base64.b64encode(token.encode()).decode()}\n"),
            forms=(base64.b64encode(token.encode()).decode().rstrip("="),),
        ),
        Case(
            "c_basic_echo_raw_json",
            "plant_basic",
            "response JSON body",
            "raw token under a neutral field",
            token,
            "response",
            answer=data_answer({"echo": token}),
            forms=(token,),
        ),
        Case(
            "c_basic_echo_urlencoded",
            "plant_basic",
            "redirect Location",
            "URL-encoded token in a neutral parameter",
            token,
            "response",
            answer=header_answer([("Location", f"https://sso.example.test/cb?next={quote(token, safe='')}")], 302),
            forms=(quote(token, safe=""),),
        ),
        Case(
            "c_basic_echo_hex",
            "plant_basic",
            "response text body",
            "hex of token",
            token,
            "response",
            answer=text_answer(f"digest input {token.encode().hex()}\n"),
            forms=(token.encode().hex(),),
        ),
        Case(
            "c_basic_echo_offset_b64",
            "plant_basic",
            "response text body",
            "token inside a longer base64 text",
            token,
            "response",
            answer=text_answer(f"state={blob}\n"),
            forms=(blob,),
        ),
        Case(
            "c_query_request",
            "plant_query",
            "request query (auth)",
            "query-auth key",
            creds.query_key,
            "request",
            forms=(creds.query_key,),
        ),
        Case(
            "c_query_echo_url",
            "plant_query",
            "response JSON body",
            "query-auth key in an echoed URL",
            creds.query_key,
            "response",
            answer=data_answer({"self": query_url}),
            forms=(creds.query_key,),
        ),
        Case(
            "c_bearer_request",
            "plant_bearer",
            "request Authorization",
            "bearer token",
            creds.bearer,
            "request",
            forms=(creds.bearer,),
        ),
        Case(
            "c_bearer_echo_path",
            "plant_bearer",
            "response JSON body",
            "token in a websocket URL path",
            creds.bearer,
            "response",
            answer=data_answer({"stream": f"wss://rt.example.test/socket/{creds.bearer}"}),
            forms=(creds.bearer,),
        ),
        Case(
            "c_bearer_echo_log",
            "plant_bearer",
            "response text body",
            "Authorization line echoed in text",
            creds.bearer,
            "response",
            answer=text_answer(f"> Authorization: Bearer {creds.bearer}\n"),
            forms=(creds.bearer,),
        ),
        Case(
            "c_header_request",
            "plant_header",
            "request custom auth header",
            "Token <token>",
            creds.header_token,
            "request",
            forms=(creds.header_token,),
        ),
        Case(
            "c_header_echo",
            "plant_header",
            "response JSON body",
            "custom auth header value echoed",
            creds.header_token,
            "response",
            answer=data_answer({"seen": {"x_service_auth": f"Token {creds.header_token}"}}),
            forms=(creds.header_token,),
        ),
    ]


def build_corpus(creds: Credentials) -> list[Case]:
    """Every planted secret, one per operation."""
    cases = (
        _query_cases()
        + _request_header_cases()
        + _request_body_cases()
        + _response_header_cases()
        + _response_json_cases()
        + _vendor_cases()
        + _xml_response_cases()
        + _text_cases()
        + _credential_cases(creds)
    )
    assert len({case.name for case in cases}) == len(cases)
    return cases


def control_case() -> Case:
    """An operation with nothing secret in it: scan must pass it, so a flag means something."""
    return Case(
        "control",
        "plant",
        "none",
        "no secret",
        "",
        "response",
        answer=data_answer({"items": [{"id": 1, "name": "kept", "next_token": "cursor-2"}]}),
    )
