"""The secret cases: documented vendor formats in the places they travel, the same formats under every layer of
encoding, credentials known only by their names, every Authorization scheme, secrets named by the description,
and the run's own credentials echoed in every encoding. Every value comes from a seeded generator.
"""

from __future__ import annotations

import base64
import html
from typing import Any, Callable
from urllib.parse import quote

from shape_layers import layer_cases
from shape_values import ALNUM, CONTEXT, FORMATS, Format, Rand, named, slug
from shape_wire import SECRET, Case

GENERIC_SOURCE = "RFC 6750/7235 and vendor API references: credential-bearing names"


def _one_line(value: str) -> bool:
    return "\n" not in value


def _vendor_placements() -> list[tuple[str, Callable[[Format, str, int], tuple[Any, tuple[str, ...]]]]]:
    """Where a vendor value travels in its first appearance: each a place and how it is carried there."""

    def json_neutral(fmt: Format, value: str, n: int) -> tuple[Any, tuple[str, ...]]:
        name = CONTEXT.get(fmt.name)
        return ({name.lower(): value} if name else {"note": f"rotated: {value}", "n": n}), (value,)

    def text_line(fmt: Format, value: str, n: int) -> tuple[Any, tuple[str, ...]]:
        return f"line {n}: {named(fmt, value)}", (value,)

    def xml_element(fmt: Format, value: str, n: int) -> tuple[Any, tuple[str, ...]]:
        escaped = html.escape(named(fmt, value), quote=False)
        return f"<Entry id='{n}'><Text>{escaped}</Text></Entry>", (escaped,)

    def query_neutral(fmt: Format, value: str, n: int) -> tuple[Any, tuple[str, ...]]:
        name = CONTEXT.get(fmt.name) or f"state{n}"
        return (name, value), (value, quote(value, safe=""))

    def header_neutral(fmt: Format, value: str, n: int) -> tuple[Any, tuple[str, ...]]:
        name = CONTEXT.get(fmt.name, f"X-Context-{n}").replace("_", "-")
        return (name, value), (value,)

    def json_request(fmt: Format, value: str, n: int) -> tuple[Any, tuple[str, ...]]:
        name = CONTEXT.get(fmt.name)
        return ({name.lower(): value} if name else {"comment": f"use {value} here"}), (value,)

    return [
        ("json", json_neutral),
        ("text", text_line),
        ("json_req", json_request),
        ("xml", xml_element),
        ("query", query_neutral),
        ("req_header", header_neutral),
        ("text_req", text_line),
    ]


def vendor_cases(r: Rand) -> list[Case]:
    """Each documented format once, in one of seven places (multi-line values only in bodies)."""
    cases = []
    placements = _vendor_placements()
    for n, fmt in enumerate(FORMATS):
        value, core = fmt.make(r)
        place, carry = placements[n % len(placements)]
        if not _one_line(value) and place in ("query", "req_header"):
            place, carry = placements[0]
        item, forms = carry(fmt, value, n)
        cases.append(
            Case(f"vendor-{slug(fmt.name)}", SECRET, f"vendor format: {fmt.name}", fmt.source, place, core, item, forms)
        )
    return cases


QUERY_NAMES = [
    "key",
    "passkey",
    "appid",
    "ak",
    "sk",
    "apikey",
    "api-key",
    "access_key",
    "accessKey",
    "auth",
    "token",
    "hapikey",
    "subscription-key",
    "license_key",
    "private_key",
    "client_secret",
    "code",
    "secret",
    "X-Goog-Signature",
    "authkey",
    "app_secret",
    "session",
    "pwd",
]
HEADER_NAMES = [
    "X-Api-Key",
    "Api-Key",
    "apikey",
    "X-Passkey",
    "X-AppId",
    "Ak",
    "X-Access-Key",
    "X-Secret",
    "X-Goog-Api-Key",
    "Ocp-Apim-Subscription-Key",
    "X-Functions-Key",
    "X-Figma-Token",
    "X-Shopify-Access-Token",
    "X-Algolia-API-Key",
    "X-RapidAPI-Key",
    "X-Postmark-Server-Token",
    "X-Auth-Key",
    "X-Plex-Token",
    "X-Redmine-API-Key",
    "X-TrackerToken",
    "DD-API-KEY",
    "X-Consul-Token",
    "Circle-Token",
    "X-Honeycomb-Team",
    "X-Session",
    "X-Client-Secret",
    "X-Signature",
]
RESPONSE_HEADER_NAMES = ["X-Upload-Token", "X-Api-Key", "X-Csrf-Token", "Authentication-Info", "X-Session-Key"]
FIELD_NAMES = [
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "client_secret",
    "privateKey",
    "api_secret",
    "accessKey",
    "auth",
    "credential",
    "credentials",
    "session_key",
    "signing_key",
    "webhook_secret",
    "apiKey",
    "appkey",
    "encryption_key",
    "master_key",
    "sas",
    "conn_str",
]


def name_cases(r: Rand) -> list[Case]:
    """Credentials of no known format, known only by the name they travel under (normalised words)."""
    cases = []
    for name in QUERY_NAMES:
        value = r.text(32)
        cases.append(
            Case(
                f"name-query-{slug(name)}",
                SECRET,
                f"query name {name}",
                GENERIC_SOURCE,
                "query",
                value,
                (name, value),
                (value,),
            )
        )
    for name in HEADER_NAMES:
        value = r.text(36)
        cases.append(
            Case(
                f"name-header-{slug(name)}",
                SECRET,
                f"header name {name}",
                GENERIC_SOURCE,
                "req_header",
                value,
                (name, value),
                (value,),
            )
        )
    for name in RESPONSE_HEADER_NAMES:
        value = r.text(40)
        cases.append(
            Case(
                f"name-resp-header-{slug(name)}",
                SECRET,
                f"response header {name}",
                GENERIC_SOURCE,
                "resp_header",
                value,
                (name, value),
                (value,),
            )
        )
    for n, name in enumerate(FIELD_NAMES):
        value = r.text(30, ALNUM + "-_")
        place = "json" if n % 2 == 0 else "json_req"
        cases.append(
            Case(
                f"name-field-{slug(name)}",
                SECRET,
                f"JSON field {name}",
                GENERIC_SOURCE,
                place,
                value,
                {name: value},
                (value,),
            )
        )
    return cases


def _pair_lists(r: Rand) -> list[Case]:
    """[{name: X, value: Y}] and its relatives: judge Y by X."""
    shapes = [
        (
            "name/value (Kubernetes env)",
            lambda n, v: [{"name": "REGION", "value": "eu-west-1"}, {"name": n, "value": v}],
            "DATABASE_PASSWORD",
        ),
        (
            "Name/Value (ECS task environment)",
            lambda n, v: [{"Name": "STAGE", "Value": "prod"}, {"Name": n, "Value": v}],
            "STRIPE_KEY",
        ),
        (
            "key/value (Consul, Azure app settings)",
            lambda n, v: [{"key": "mode", "value": "live"}, {"key": n, "value": v}],
            "smtp.password",
        ),
        ("Key/Value (AWS tags)", lambda n, v: [{"Key": "team", "Value": "ops"}, {"Key": n, "Value": v}], "DeployToken"),
        (
            "ParameterKey/ParameterValue (CloudFormation)",
            lambda n, v: [{"ParameterKey": "Env", "ParameterValue": "prod"}, {"ParameterKey": n, "ParameterValue": v}],
            "DbMasterPassword",
        ),
        (
            "name/value (GitHub Actions secrets list)",
            lambda n, v: [{"name": n, "value": v, "visibility": "private"}],
            "NPM_AUTH",
        ),
        (
            "variable/value (GitLab CI variables)",
            lambda n, v: [{"variable_type": "env_var", "key": n, "value": v, "masked": True}],
            "REGISTRY_PASS",
        ),
        ("name/value under a neutral container", lambda n, v: {"settings": [{"name": n, "value": v}]}, "apiKey"),
        ("name/value in a request body", lambda n, v: [{"name": n, "value": v}], "client_secret"),
        ("name/value with a vendor-format value", lambda n, v: [{"name": n, "value": v}], "SLACK"),
    ]
    cases = []
    for index, (label, build, name) in enumerate(shapes):
        value = r.text(34) if index < 9 else FORMATS[12].make(r)[0]
        core = value if index < 9 else value.rsplit("-", 1)[1]
        place = "json_req" if "request body" in label else "json"
        item = {"env": build(name, value)}
        cases.append(
            Case(
                f"pairs-{slug(label)}",
                SECRET,
                f"pair list {label}",
                "Kubernetes EnvVar, AWS ECS KeyValuePair, CloudFormation Parameter, GitLab variables API",
                place,
                core,
                item,
                (value,),
            )
        )
    return cases


AUTH_SCHEMES = [
    ("Bearer", lambda v: f"Bearer {v}", "RFC 6750"),
    ("bearer lower-case", lambda v: f"bearer {v}", "RFC 7235: scheme names are case-insensitive"),
    ("Basic", lambda v: "Basic " + base64.b64encode(f"svc:{v}".encode()).decode(), "RFC 7617"),
    ("Token", lambda v: f"Token {v}", "Django REST framework TokenAuthentication"),
    ("token (GitHub)", lambda v: f"token {v}", "GitHub REST docs: Authorization: token"),
    ("Bot (Discord)", lambda v: f"Bot {v}", "Discord docs: Authorization: Bot"),
    ("Token token= (PagerDuty)", lambda v: f"Token token={v}", "PagerDuty REST API v2 docs"),
    ("SSWS (Okta)", lambda v: f"SSWS {v}", "Okta docs: API token SSWS"),
    ("GenieKey (Opsgenie)", lambda v: f"GenieKey {v}", "Opsgenie docs: GenieKey"),
    ("Splunk", lambda v: f"Splunk {v}", "Splunk HEC docs: Authorization: Splunk"),
    ("ApiKey", lambda v: f"ApiKey {v}", "Elasticsearch docs: Authorization: ApiKey"),
    ("Key", lambda v: f"Key {v}", "fal.ai / various APIs: Authorization: Key"),
    ("DPoP", lambda v: f"DPoP {v}", "RFC 9449"),
    ("Klaviyo-API-Key", lambda v: f"Klaviyo-API-Key {v}", "Klaviyo docs"),
    ("Zoho-oauthtoken", lambda v: f"Zoho-oauthtoken {v}", "Zoho docs"),
    (
        "SharedKey (Azure)",
        lambda v: f"SharedKey acct:{base64.b64encode(v.encode()).decode()}",
        "Azure Storage docs: Shared Key",
    ),
    (
        "AWS4-HMAC-SHA256",
        lambda v: (
            "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature="
            + v
        ),
        "AWS SigV4 docs",
    ),
    (
        "Digest",
        lambda v: f'Digest username="ci", realm="api", nonce="dcd98b7102dd2f0e", uri="/", response="{v}"',
        "RFC 7616",
    ),
    (
        "OAuth 1.0a",
        lambda v: (
            f'OAuth oauth_consumer_key="app", oauth_token="{v}", oauth_signature_method="HMAC-SHA1", oauth_signature="sig%3D"'
        ),
        "RFC 5849",
    ),
    (
        "Hawk",
        lambda v: f'Hawk id="dh37fgj492je", ts="1353832234", nonce="j4h3g2", mac="{v}"',
        "Hawk HTTP authentication scheme",
    ),
    ("MAC", lambda v: f'MAC id="h480djs93hd8", nonce="264095:dj83hs9s", mac="{v}"', "draft-ietf-oauth-v2-http-mac"),
    ("Negotiate", lambda v: "Negotiate " + base64.b64encode(b"`\x82" + v.encode()).decode(), "RFC 4559"),
    ("NTLM", lambda v: "NTLM " + base64.b64encode(b"NTLMSSP\x00\x03" + v.encode()).decode(), "MS-NLMP"),
    (
        "Proxy-Authorization Basic",
        lambda v: "Basic " + base64.b64encode(f"proxy:{v}".encode()).decode(),
        "RFC 9110 Proxy-Authorization",
    ),
]


def auth_cases(r: Rand) -> list[Case]:
    """Every Authorization scheme, each with a value of no known format."""
    cases = []
    for label, build, source in AUTH_SCHEMES:
        value = r.hex(64) if label in ("AWS4-HMAC-SHA256", "Digest") else r.text(40, ALNUM + "-._~")
        header = build(value)
        name = "Proxy-Authorization" if label.startswith("Proxy") else "Authorization"
        cases.append(
            Case(
                f"auth-{slug(label)}",
                SECRET,
                f"Authorization scheme {label}",
                source,
                "req_header",
                value,
                (name, header),
                (header,),
            )
        )
    return cases


def cookie_cases(r: Rand) -> list[Case]:
    """Set-Cookie repeated and folded, signed and encoded session cookies, and a request Cookie header."""
    made = []
    specs = [
        ("repeated Set-Cookie", "resp_header", lambda v: ("Set-Cookie", f"session={v}; Path=/; HttpOnly; Secure")),
        ("__Host- cookie", "resp_header", lambda v: ("Set-Cookie", f"__Host-sid={v}; Path=/; Secure; SameSite=Lax")),
        (
            "folded Set-Cookie",
            "resp_header",
            lambda v: ("Set-Cookie", f"theme=dark; Path=/, auth_token={v}; Path=/; HttpOnly"),
        ),
        ("express signed cookie", "resp_header", lambda v: ("Set-Cookie", f"connect.sid=s%3A{v}.{'Xq9' * 5}; Path=/")),
        (
            "laravel session cookie",
            "resp_header",
            lambda v: ("Set-Cookie", f"laravel_session=eyJpdiI6{v}; path=/; httponly"),
        ),
        ("JSESSIONID", "resp_header", lambda v: ("Set-Cookie", f"JSESSIONID={v}; Path=/app; HttpOnly")),
        ("neutral cookie name", "resp_header", lambda v: ("Set-Cookie", f"_gh_sess={v}; path=/; secure; HttpOnly")),
        ("request Cookie header", "req_header", lambda v: ("Cookie", f"theme=dark; lang=en; remember_user_token={v}")),
    ]
    for label, place, build in specs:
        value = r.text(48, ALNUM + "-_")
        item = build(value)
        made.append(
            Case(
                f"cookie-{slug(label)}",
                SECRET,
                label,
                "RFC 6265 cookies; framework session cookie formats",
                place,
                value,
                item,
                (value,),
            )
        )
    return made


def url_cases(r: Rand) -> list[Case]:
    """Tokens in URL paths and userinfo: webhooks carry their secret in the path."""
    made = []
    telegram, telegram_core = FORMATS[[f.name for f in FORMATS].index("telegram bot token")].make(r)
    specs = [
        (
            "Telegram bot API path",
            "path",
            f"bot{telegram}",
            telegram_core,
            "Telegram Bot API: https://api.telegram.org/bot<token>/METHOD",
        ),
        (
            "token as a path segment",
            "path",
            r.text(40),
            None,
            "REST APIs with capability URLs (W3C TAG: Good Practices for Capability URLs)",
        ),
        ("magic-link path", "path", r.text(43, ALNUM + "-_"), None, "capability URLs: one-time login links"),
    ]
    for label, place, segment, core, source in specs:
        made.append(Case(f"url-{slug(label)}", SECRET, label, source, place, core or segment, segment, (segment,)))
    hook = r.text(32)
    body_urls = [
        ("webhook URL in a JSON field", {"callback_url": f"https://hooks.example.test/trigger/{hook}"}, hook),
        (
            "Zapier-style hook path",
            {"target": f"https://hooks.zapier.example/hooks/catch/123456/{r.text(27)}/"},
            None,
        ),
        ("userinfo password in a text URL", None, None),
        (
            "presigned URL signature",
            {
                "download": f"https://bucket.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature={(s := r.hex(64))}"
            },
            s,
        ),
    ]
    for label, item, core in body_urls:
        if item is None:
            password = r.text(20)
            made.append(
                Case(
                    f"url-{slug(label)}",
                    SECRET,
                    label,
                    "RFC 3986 userinfo",
                    "text",
                    password,
                    f"clone https://deploy:{password}@git.example.test/r.git",
                    (password,),
                )
            )
            continue
        url = next(iter(item.values()))
        found = core or url.rstrip("/").rsplit("/", 1)[1]
        made.append(
            Case(
                f"url-{slug(label)}",
                SECRET,
                label,
                "vendor webhook URL formats; AWS SigV4 presigned URLs",
                "json",
                found,
                item,
                (url,),
            )
        )
    return made


def description_cases(r: Rand) -> list[Case]:
    """Secrets only the description names: format password, writeOnly, and the security schemes' names."""
    words = ["maple", "orbit", "granite", "velvet", "harbor", "cobalt", "meadow", "lantern"]

    def phrase() -> str:
        return "-".join(r.pick(words) for _ in range(3)) + "-" + r.text(4, "0123456789")

    made = []
    specs = [
        ("format password field", "json", "login_phrase", {"type": "string", "format": "password"}),
        ("writeOnly field", "json_req", "recovery", {"type": "string", "writeOnly": True}),
        ("format password in a request", "json_req", "unlock", {"type": "string", "format": "password"}),
        ("format password nested", "json", "vault_word", {"type": "string", "format": "password"}),
    ]
    for label, place, name, schema in specs:
        value = phrase()
        made.append(
            Case(
                f"described-{slug(label)}",
                SECRET,
                label,
                "OpenAPI 3.0: format password, writeOnly",
                place,
                value,
                {name: value},
                (value,),
                schema={name: schema},
            )
        )
    value = phrase()
    made.append(
        Case(
            "described-security-scheme-header",
            SECRET,
            "header named by an apiKey security scheme",
            "OpenAPI 3.0 securitySchemes apiKey in header",
            "req_header",
            value,
            ("X-Partner-Ticket", value),
            (value,),
            security={"partnerTicket": {"type": "apiKey", "in": "header", "name": "X-Partner-Ticket"}},
        )
    )
    value = phrase()
    made.append(
        Case(
            "described-security-scheme-query",
            SECRET,
            "query parameter named by an apiKey security scheme",
            "OpenAPI 3.0 securitySchemes apiKey in query",
            "query",
            value,
            ("ticket_ref", value),
            (value,),
            security={"ticketRef": {"type": "apiKey", "in": "query", "name": "ticket_ref"}},
        )
    )
    value = phrase()
    made.append(
        Case(
            "described-security-scheme-cookie",
            SECRET,
            "cookie named by an apiKey security scheme",
            "OpenAPI 3.0 securitySchemes apiKey in cookie",
            "resp_header",
            value,
            ("Set-Cookie", f"pfx={value}; Path=/"),
            (value,),
            security={"pfxCookie": {"type": "apiKey", "in": "cookie", "name": "pfx"}},
        )
    )
    return made


def _format(name: str) -> Format:
    return next(fmt for fmt in FORMATS if fmt.name == name)


def structure_cases(r: Rand) -> list[Case]:
    """More structures a secret travels in: OAuth form responses, SOAP and XML requests, YAML documents,
    server-sent events, and response headers that carry URLs."""
    made = []

    def add(label: str, source: str, place: str, core: str, item: Any, forms: tuple[str, ...] = ()) -> None:
        made.append(Case(f"structure-{slug(label)}", SECRET, label, source, place, core, item, forms))

    value, core = _format("github oauth token").make(r)
    add(
        "OAuth form response access_token",
        "GitHub OAuth docs: token response as a form body",
        "form_resp",
        core,
        ("access_token", value),
        (value,),
    )
    value, core = _format("slack bot token").make(r)
    add(
        "form response neutral field",
        "a form-encoded response with a token under a neutral name",
        "form_resp",
        core,
        ("result", quote(value, safe="")),
    )
    value = r.text(24)
    add(
        "form response refresh_token",
        "RFC 6749 token response fields",
        "form_resp",
        value,
        ("refresh_token", value),
        (value,),
    )
    password = r.text(20, ALNUM + "!#$%")
    add(
        "SOAP WS-Security password",
        "OASIS WS-Security UsernameToken Profile: wsse:Password",
        "xml_req",
        password,
        "<wsse:Security xmlns:wsse='urn:wsse'><wsse:UsernameToken><wsse:Username>ci</wsse:Username>"
        f"<wsse:Password Type='#PasswordText'>{html.escape(password)}</wsse:Password></wsse:UsernameToken></wsse:Security>",
    )
    key = r.text(32)
    add(
        "XML request ApiKey element",
        "XML APIs with an ApiKey element (e.g. legacy SOAP services)",
        "xml_req",
        key,
        f"<Auth><ApiKey>{key}</ApiKey></Auth>",
    )
    value, core = _format("gitlab pat").make(r)
    add(
        "XML request neutral element with a vendor token",
        "a vendor token in free XML text",
        "xml_req",
        core,
        f"<Note>use {value}</Note>",
    )
    secret = r.text(28)
    add(
        "XML request attribute secret",
        "XML attributes named secret",
        "xml_req",
        secret,
        f"<Connection host='db' secret='{secret}'/>",
    )
    yaml_password, yaml_key = r.text(26), r.text(32)
    add(
        "YAML nested password",
        "YAML 1.2 config dump",
        "yaml",
        yaml_password,
        f"database:\n  user: app\n  password: {yaml_password}",
    )
    add("YAML api_key", "YAML 1.2 config dump", "yaml", yaml_key, f"service:\n  api_key: '{yaml_key}'")
    value, core = _format("npm access token").make(r)
    add("YAML neutral note with a vendor token", "YAML 1.2 config dump", "yaml", core, f'notes:\n  - "token {value}"')
    pem, core = _format("ec private key").make(r)
    add(
        "YAML block scalar private key",
        "YAML literal block scalar holding a PEM key",
        "yaml",
        core,
        "tls:\n  key: |\n" + "\n".join("    " + line for line in pem.splitlines()),
    )
    value = r.text(40)
    add(
        "SSE event data token",
        "WHATWG server-sent events: data lines carrying JSON",
        "sse",
        value,
        {"type": "session", "access_token": value},
    )
    value, core = _format("stripe restricted key").make(r)
    add(
        "SSE event data vendor token", "WHATWG server-sent events", "sse", core, {"type": "log", "line": f"key {value}"}
    )
    value = r.text(36, ALNUM + "-_")
    add(
        "SSE nested credential",
        "WHATWG server-sent events",
        "sse",
        value,
        {"type": "config", "config": {"webhook": {"secret": value}}},
    )
    code = r.text(40, ALNUM + "-_")
    add(
        "Location header with an OAuth code",
        "RFC 6749 authorization response (code in the redirect URI)",
        "resp_header",
        code,
        ("Location", f"https://app.example/callback?code={code}&state=xyz"),
    )
    token = r.text(40)
    add(
        "Link header with an access_token",
        "RFC 8288 Link header carrying a token in its URLs",
        "resp_header",
        token,
        ("Link", f'<https://api.example/items?page=2&access_token={token}>; rel="next"'),
    )
    value, core = _format("google oauth access token").make(r)
    add(
        "Refresh header URL with a token",
        "the Refresh header: a URL with a token in it",
        "resp_header",
        core,
        ("Refresh", f"0; url=https://app.example/sso#access_token={value}"),
    )
    return made


def secret_cases(seed: str = "contractkit-shape-corpus-1") -> list[Case]:
    """Every secret case of the corpus (without the run's own credentials, see shape_credentials)."""
    r = Rand(seed)
    return (
        vendor_cases(r)
        + layer_cases(r)
        + name_cases(r)
        + _pair_lists(r)
        + auth_cases(r)
        + cookie_cases(r)
        + url_cases(r)
        + description_cases(r)
        + structure_cases(r)
    )
