"""Secret values of documented formats, generated from a seed: realistic in length and alphabet, never real.

Each format names its source: the vendor's documentation of the token format, a rule of the gitleaks default
rule set (`config/gitleaks.toml` in gitleaks/gitleaks) or a plugin of detect-secrets. A value is returned with
its `core`, the random part that must never be seen again once scrubbed (a vendor prefix may survive).
"""

from __future__ import annotations

import base64
import json
import random
import re
import string
from dataclasses import dataclass
from typing import Callable

ALNUM = string.ascii_letters + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
BASE32 = string.ascii_uppercase + "234567"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


class Rand:
    """A seeded source of random text; the same seed gives the same corpus on every machine."""

    def __init__(self, seed: str) -> None:
        self.random = random.Random(seed)

    def text(self, n: int, alphabet: str = ALNUM) -> str:
        """n characters of the alphabet; with a letter-and-digit alphabet, never a run that reads as a word."""
        while True:
            value = "".join(self.random.choice(alphabet) for _ in range(n))
            mixed = sum(c.isdigit() for c in value) >= max(1, n // 10) if any(c.isdigit() for c in alphabet) else True
            if mixed or n < 6:
                return value

    def hex(self, n: int) -> str:
        return self.text(n, HEX)

    def digits(self, n: int) -> str:
        return str(self.random.randint(1, 9)) + self.text(n - 1, string.digits)

    def b64(self, raw_bytes: int) -> str:
        return base64.b64encode(self.random.randbytes(raw_bytes)).decode()

    def b64url(self, raw_bytes: int) -> str:
        return base64.urlsafe_b64encode(self.random.randbytes(raw_bytes)).decode().rstrip("=")

    def pick(self, options: list[str]) -> str:
        return self.random.choice(options)


@dataclass(frozen=True)
class Format:
    """A documented secret format: its name, where it is documented, and how to make a value of it."""

    name: str
    source: str
    make: Callable[[Rand], tuple[str, str]]


def _prefixed(prefix: str, n: int, alphabet: str = ALNUM, suffix: str = "") -> Callable[[Rand], tuple[str, str]]:
    def make(r: Rand) -> tuple[str, str]:
        core = r.text(n, alphabet)
        return prefix + core + suffix, core

    return make


def _jwt(r: Rand) -> tuple[str, str]:
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    claims = {"sub": r.text(12), "iat": 1765000000 + r.random.randint(0, 10**6), "scope": "repo:read"}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    signature = r.b64url(32)
    return f"{header}.{payload}.{signature}", signature


def _pem(kind: str, lines: int = 6) -> Callable[[Rand], tuple[str, str]]:
    def make(r: Rand) -> tuple[str, str]:
        body = base64.b64encode(r.random.randbytes(48 * lines)).decode()
        wrapped = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
        return f"-----BEGIN {kind}-----\n{wrapped}\n-----END {kind}-----", body[64:128]

    return make


def _openssh(r: Rand) -> tuple[str, str]:
    body = "b3BlbnNzaC1rZXktdjEAAAAA" + base64.b64encode(r.random.randbytes(300)).decode()
    wrapped = "\n".join(body[i : i + 70] for i in range(0, len(body), 70))
    return f"-----BEGIN OPENSSH PRIVATE KEY-----\n{wrapped}\n-----END OPENSSH PRIVATE KEY-----", body[70:140]


def _aws_secret(r: Rand) -> tuple[str, str]:
    core = r.text(40, B64)
    return core, core


def _aws_session(r: Rand) -> tuple[str, str]:
    core = r.text(300, B64)
    return "IQoJb3JpZ2luX2VjE" + core, core


def _slack_webhook(r: Rand) -> tuple[str, str]:
    core = r.text(24)
    return f"https://hooks.slack.com/services/T{r.text(8, UPPER_ALNUM)}/B{r.text(10, UPPER_ALNUM)}/{core}", core


def _discord_webhook(r: Rand) -> tuple[str, str]:
    core = r.text(68, B64URL)
    return f"https://discord.com/api/webhooks/{r.digits(18)}/{core}", core


def _teams_webhook(r: Rand) -> tuple[str, str]:
    core = r.hex(32)
    guid = f"{r.hex(8)}-{r.hex(4)}-{r.hex(4)}-{r.hex(4)}-{r.hex(12)}"
    return f"https://contoso.webhook.office.com/webhookb2/{guid}@{guid}/IncomingWebhook/{core}/{guid}", core


def _azure_conn(r: Rand) -> tuple[str, str]:
    core = r.b64(64)
    return (
        f"DefaultEndpointsProtocol=https;AccountName=acct{r.text(6, LOWER_ALNUM)};AccountKey={core};"
        "EndpointSuffix=core.windows.net",
        core.rstrip("="),
    )


def _azure_sb(r: Rand) -> tuple[str, str]:
    core = r.b64(32)
    return (
        f"Endpoint=sb://ns-{r.text(6, LOWER_ALNUM)}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
        f"SharedAccessKey={core}",
        core.rstrip("="),
    )


def _azure_sas(r: Rand) -> tuple[str, str]:
    core = r.b64(32)
    from urllib.parse import quote

    return (
        f"https://acct{r.text(5, LOWER_ALNUM)}.blob.core.windows.net/backups/db.bak?sv=2022-11-02&ss=b&srt=o&sp=r"
        f"&se=2030-01-01T00:00:00Z&spr=https&sig={quote(core, safe='')}",
        core.rstrip("="),
    )


def _azure_cosmos(r: Rand) -> tuple[str, str]:
    core = r.b64(64)
    return (
        f"AccountEndpoint=https://db{r.text(5, LOWER_ALNUM)}.documents.azure.com:443/;AccountKey={core};",
        core.rstrip("="),
    )


def _db_url(scheme: str) -> Callable[[Rand], tuple[str, str]]:
    def make(r: Rand) -> tuple[str, str]:
        core = r.text(24)
        return f"{scheme}://app_user:{core}@db-{r.text(4, LOWER_ALNUM)}.internal.example:5432/app", core

    return make


def _telegram(r: Rand) -> tuple[str, str]:
    core = r.text(35, B64URL)
    return f"{r.digits(10)}:AA{core[2:]}", core[2:]


def _discord_bot(r: Rand) -> tuple[str, str]:
    first = base64.b64encode(r.digits(18).encode()).decode().rstrip("=")
    core = r.text(27, B64URL)
    return f"{first}.{r.text(6, B64URL)}.{core}", core


def _gcp_sa(r: Rand) -> tuple[str, str]:
    key, core = _pem("PRIVATE KEY", 4)(r)
    data = {
        "type": "service_account",
        "project_id": "shop-prod",
        "private_key_id": r.hex(40),
        "private_key": key,
        "client_email": "ci@shop-prod.iam.gserviceaccount.com",
    }
    return json.dumps(data), core


def _sentry_auth(r: Rand) -> tuple[str, str]:
    core = r.hex(64)
    return "sntrys_" + core, core


def _basic_pair(r: Rand) -> tuple[str, str]:
    core = r.text(22)
    return base64.b64encode(f"deploy:{core}".encode()).decode(), core


def _ibm_cos_hmac(r: Rand) -> tuple[str, str]:
    core = r.hex(48)
    return core, core


def _putty(r: Rand) -> tuple[str, str]:
    public = base64.b64encode(b"\x00\x00\x00\x07ssh-rsa" + r.random.randbytes(200)).decode()
    private = base64.b64encode(r.random.randbytes(600)).decode()
    lines = [private[i : i + 64] for i in range(0, len(private), 64)]
    text = (
        "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: deploy\nPublic-Lines: 5\n"
        + "\n".join(public[i : i + 64] for i in range(0, len(public), 64))
        + f"\nPrivate-Lines: {len(lines)}\n"
        + "\n".join(lines)
        + f"\nPrivate-MAC: {r.hex(40)}"
    )
    return text, lines[1]


def _cloudant(r: Rand) -> tuple[str, str]:
    account, core = r.text(10, LOWER_ALNUM), r.text(64, HEX)
    return f"https://{account}:{core}@{account}.cloudant.com", core


def _softlayer(r: Rand) -> tuple[str, str]:
    core = r.text(64, LOWER_ALNUM)
    return f"https://api.softlayer.com/soap/v3.1/{core}", core


DETECT_SECRETS_MORE: tuple[Format, ...] = (
    Format(
        "dsa private key",
        "detect-secrets plugin PrivateKeyDetector (BEGIN DSA PRIVATE KEY)",
        _pem("DSA PRIVATE KEY", 4),
    ),
    Format(
        "ssh2 encrypted private key",
        "detect-secrets PrivateKeyDetector (BEGIN SSH2 ENCRYPTED PRIVATE KEY)",
        _pem("SSH2 ENCRYPTED PRIVATE KEY", 5),
    ),
    Format("putty private key", "detect-secrets PrivateKeyDetector (PuTTY-User-Key-File-2)", _putty),
    Format(
        "slack legacy workspace token",
        "detect-secrets plugin SlackDetector (xoxa-/xoxo-/xoxs-/xoxr-)",
        lambda r: (lambda c: (f"xoxs-{r.digits(11)}-{r.digits(11)}-{r.digits(12)}-{c}", c))(r.hex(64)),
    ),
    Format(
        "slack refresh token",
        "detect-secrets plugin SlackDetector (xoxr-)",
        lambda r: (lambda c: (f"xoxr-{r.digits(12)}-{c}", c))(r.text(40, LOWER_ALNUM)),
    ),
    Format(
        "aws abia key id",
        "detect-secrets plugin AWSKeyDetector (ABIA, ACCA, A3T prefixes)",
        _prefixed("ABIA", 16, BASE32),
    ),
    Format("cloudant url", "detect-secrets plugin CloudantDetector (https://acct:pw@acct.cloudant.com)", _cloudant),
    Format(
        "softlayer soap url", "detect-secrets plugin SoftlayerDetector (api.softlayer.com/soap/v3.1/<64>)", _softlayer
    ),
    Format("gitlab oauth access token", "detect-secrets GitLabTokenDetector (glsoat-)", _prefixed("glsoat-", 20)),
    Format(
        "gitlab runner registration token",
        "detect-secrets GitLabTokenDetector (GR1348941)",
        _prefixed("GR1348941", 20, ALNUM + "_-"),
    ),
    Format("gitlab ci build token", "detect-secrets GitLabTokenDetector (glcbt-)", _prefixed("glcbt-a1_", 20)),
    Format(
        "gitlab incoming mail token",
        "detect-secrets GitLabTokenDetector (glimt-)",
        _prefixed("glimt-", 25, LOWER_ALNUM),
    ),
    Format("gitlab agent token", "detect-secrets GitLabTokenDetector (glagent-)", _prefixed("glagent-", 50)),
)

GITLEAKS_MORE: tuple[Format, ...] = (
    Format(
        "mapbox secret token",
        "gitleaks rule mapbox-api-token (sk.eyJ; pk. tokens are public)",
        lambda r: (lambda c: (f"sk.eyJ1Ijoi{r.text(20)}.{c}", c))(r.text(22, B64URL)),
    ),
    Format(
        "harness pat",
        "gitleaks rule harness-api-key (pat.)",
        lambda r: (lambda c: (f"pat.{r.text(22, B64URL)}.{r.text(24)}.{c}", c))(r.text(20)),
    ),
    Format("intra42 client secret", "gitleaks rule intra42-client-secret (s-s4t2ud-)", _prefixed("s-s4t2ud-", 64, HEX)),
    Format("octopus deploy api key", "gitleaks rule octopus-deploy-api-key (API-)", _prefixed("API-", 26, UPPER_ALNUM)),
    Format("openshift user token", "gitleaks rule openshift-user-token (sha256~)", _prefixed("sha256~", 43, B64URL)),
    Format("scalingo api token", "gitleaks rule scalingo-api-token (tk-us-)", _prefixed("tk-us-", 48, B64URL)),
    Format(
        "sourcegraph access token",
        "gitleaks rule sourcegraph-access-token (sgp_)",
        lambda r: (lambda c: (f"sgp_{r.hex(16)}_{c}", c))(r.hex(40)),
    ),
    Format("settlemint pat", "gitleaks rule settlemint-personal-access-token (sm_pat_)", _prefixed("sm_pat_", 16)),
    Format(
        "defined networking api token",
        "gitleaks rule defined-networking-api-token (dnkey-)",
        lambda r: (lambda c: (f"dnkey-{r.text(26, UPPER_ALNUM)}-{c}", c))(r.text(52, UPPER_ALNUM)),
    ),
    Format(
        "dropbox short-lived token", "gitleaks rule dropbox-short-lived-api-token (sl.)", _prefixed("sl.", 135, B64URL)
    ),
    Format("notion integration token", "Notion docs: internal integration secrets (ntn_)", _prefixed("ntn_", 46)),
    Format(
        "square oauth access token", "gitleaks rule square-access-token (sq0atp-)", _prefixed("sq0atp-", 22, B64URL)
    ),
    Format(
        "twitter bearer token",
        "gitleaks rule twitter-bearer-token (AAAAAAAAAAAAAAAAAAAAA)",
        lambda r: (lambda c: ("A" * 22 + c, c))(r.text(80, ALNUM + "%")),
    ),
    Format(
        "facebook access token",
        "gitleaks rule facebook-access-token (EAACEdEose0cBA)",
        _prefixed("EAACEdEose0cBA", 160),
    ),
    Format("yandex api key", "gitleaks rule yandex-api-key (AQVN)", _prefixed("AQVN", 36, B64URL)),
    Format(
        "launchdarkly access token",
        "gitleaks rule launchdarkly-access-token (api-)",
        lambda r: (lambda c: (f"api-{c}", c))(f"{r.hex(8)}-{r.hex(4)}-{r.hex(4)}-{r.hex(4)}-{r.hex(12)}"),
    ),
    Format("gocardless live token", "gitleaks rule gocardless-api-token (live_)", _prefixed("live_", 40, B64URL)),
    Format("okta api token", "gitleaks rule okta-access-token (00 + 40)", _prefixed("00", 40, ALNUM + "-")),
    Format(
        "snyk api token",
        "gitleaks rule snyk-api-token (a UUID under a snyk name)",
        lambda r: (lambda c: (c, c))(f"{r.hex(8)}-{r.hex(4)}-4{r.hex(3)}-a{r.hex(3)}-{r.hex(12)}"),
    ),
)

FORMATS: tuple[Format, ...] = (
    Format("github classic pat", "GitHub docs: About authentication, token prefixes (ghp_)", _prefixed("ghp_", 36)),
    Format("github oauth token", "GitHub docs: token prefixes (gho_)", _prefixed("gho_", 36)),
    Format("github user-to-server", "GitHub docs: token prefixes (ghu_)", _prefixed("ghu_", 36)),
    Format("github server-to-server", "GitHub docs: token prefixes (ghs_)", _prefixed("ghs_", 36)),
    Format("github refresh token", "GitHub docs: token prefixes (ghr_)", _prefixed("ghr_", 76)),
    Format(
        "github fine-grained pat",
        "GitHub docs: fine-grained personal access tokens (github_pat_); gitleaks rule github-fine-grained-pat",
        lambda r: (lambda a, b: (f"github_pat_11{a}_{b}", b))(r.text(20, UPPER_ALNUM), r.text(59)),
    ),
    Format("gitlab pat", "GitLab docs: token prefixes (glpat-)", _prefixed("glpat-", 20, ALNUM + "-_")),
    Format("gitlab deploy token", "GitLab docs: token prefixes (gldt-)", _prefixed("gldt-", 20)),
    Format("gitlab runner token", "GitLab docs: token prefixes (glrt-)", _prefixed("glrt-", 20)),
    Format("gitlab pipeline trigger", "GitLab docs: token prefixes (glptt-)", _prefixed("glptt-", 40, HEX)),
    Format("gitlab feed token", "GitLab docs: token prefixes (glft-)", _prefixed("glft-", 20)),
    Format("gitlab oauth secret", "GitLab docs: token prefixes (gloas-)", _prefixed("gloas-", 64, HEX)),
    Format(
        "slack bot token",
        "Slack docs: token types (xoxb-)",
        lambda r: (lambda c: (f"xoxb-{r.digits(12)}-{r.digits(13)}-{c}", c))(r.text(24)),
    ),
    Format(
        "slack user token",
        "Slack docs: token types (xoxp-)",
        lambda r: (lambda c: (f"xoxp-{r.digits(12)}-{r.digits(12)}-{r.digits(13)}-{c}", c))(r.hex(32)),
    ),
    Format(
        "slack app-level token",
        "Slack docs: token types (xapp-)",
        lambda r: (lambda c: (f"xapp-1-A{r.text(10, UPPER_ALNUM)}-{r.digits(13)}-{c}", c))(r.hex(64)),
    ),
    Format(
        "slack config token",
        "gitleaks rule slack-config-access-token (xoxe.xoxp-)",
        lambda r: (lambda c: (f"xoxe.xoxp-1-{c}", c))(r.text(163, UPPER_ALNUM)),
    ),
    Format("slack incoming webhook", "Slack docs: incoming webhooks (hooks.slack.com/services)", _slack_webhook),
    Format("discord webhook", "Discord docs: webhook resource (execute webhook URL)", _discord_webhook),
    Format("teams incoming webhook", "Microsoft docs: Teams incoming webhooks URL", _teams_webhook),
    Format("stripe secret key", "Stripe docs: API keys (sk_live_)", _prefixed("sk_live_", 99)),
    Format("stripe test secret key", "Stripe docs: API keys (sk_test_)", _prefixed("sk_test_", 24)),
    Format("stripe restricted key", "Stripe docs: restricted API keys (rk_live_)", _prefixed("rk_live_", 99)),
    Format("stripe webhook secret", "Stripe docs: webhook signing secret (whsec_)", _prefixed("whsec_", 32)),
    Format("aws access key id", "AWS docs: IAM identifiers, unique ID prefixes (AKIA)", _prefixed("AKIA", 16, BASE32)),
    Format(
        "aws temporary key id", "AWS docs: IAM identifiers, unique ID prefixes (ASIA)", _prefixed("ASIA", 16, BASE32)
    ),
    Format("aws secret access key", "AWS docs: managing access keys (40 characters, base64 alphabet)", _aws_secret),
    Format("aws session token", "AWS docs: STS GetSessionToken, SessionToken", _aws_session),
    Format("google api key", "Google Cloud docs: API keys (AIza)", _prefixed("AIza", 35, ALNUM + "-_")),
    Format(
        "google oauth access token", "Google docs: OAuth 2.0 access tokens (ya29.)", _prefixed("ya29.", 150, B64URL)
    ),
    Format(
        "google oauth refresh token",
        "gitleaks rule gcp... / Google docs: refresh tokens (1//)",
        _prefixed("1//0", 100, B64URL),
    ),
    Format("google client secret", "Google docs: OAuth client secrets (GOCSPX-)", _prefixed("GOCSPX-", 28, B64URL)),
    Format("gcp service account key", "Google Cloud docs: service account key file (JSON)", _gcp_sa),
    Format("twilio api key sid", "Twilio docs: API keys (SK + 32 hex)", _prefixed("SK", 32, HEX)),
    Format(
        "twilio auth token",
        "detect-secrets plugin TwilioKeyDetector; Twilio docs: auth token (32 hex)",
        _prefixed("", 32, HEX),
    ),
    Format(
        "sendgrid api key",
        "SendGrid docs: API keys (SG.<22>.<43>); detect-secrets plugin SendGridDetector",
        lambda r: (lambda a, b: (f"SG.{a}.{b}", b))(r.text(22, B64URL), r.text(43, B64URL)),
    ),
    Format(
        "npm access token", "npm docs: access tokens (npm_); detect-secrets plugin NpmDetector", _prefixed("npm_", 36)
    ),
    Format(
        "pypi api token",
        "PyPI docs: API tokens (pypi-AgEIcHlwaS5vcmc); detect-secrets PypiTokenDetector",
        _prefixed("pypi-AgEIcHlwaS5vcmc", 150, B64URL),
    ),
    Format("rubygems api key", "gitleaks rule rubygems-api-token (rubygems_)", _prefixed("rubygems_", 48, HEX)),
    Format(
        "nuget api key", "gitleaks rule nuget... / NuGet docs: API keys (oy2 + 43)", _prefixed("oy2", 43, LOWER_ALNUM)
    ),
    Format(
        "shopify access token",
        "Shopify docs: access tokens (shpat_); gitleaks rule shopify-access-token",
        _prefixed("shpat_", 32, HEX),
    ),
    Format(
        "shopify custom app token", "gitleaks rule shopify-custom-access-token (shpca_)", _prefixed("shpca_", 32, HEX)
    ),
    Format(
        "shopify private app token",
        "gitleaks rule shopify-private-app-access-token (shppa_)",
        _prefixed("shppa_", 32, HEX),
    ),
    Format("shopify shared secret", "gitleaks rule shopify-shared-secret (shpss_)", _prefixed("shpss_", 32, HEX)),
    Format(
        "atlassian api token",
        "Atlassian docs: API tokens (ATATT); gitleaks rule atlassian-api-token",
        _prefixed("ATATT3xFfGF0", 180, ALNUM + "-_"),
    ),
    Format(
        "grafana service account token",
        "Grafana docs: service accounts (glsa_)",
        _prefixed("glsa_", 32, ALNUM, "_" + "0a1b2c3d"),
    ),
    Format("grafana cloud token", "Grafana docs: Cloud access policies (glc_)", _prefixed("glc_eyJvIjoi", 100, B64)),
    Format(
        "datadog api key",
        "Datadog docs: API and application keys (32 hex); gitleaks rule datadog-access-token",
        _prefixed("", 32, HEX),
    ),
    Format("datadog application key", "Datadog docs: application keys (40 hex)", _prefixed("", 40, HEX)),
    Format("vault service token", "HashiCorp Vault docs: token prefixes (hvs.)", _prefixed("hvs.", 90, B64URL)),
    Format("vault batch token", "HashiCorp Vault docs: token prefixes (hvb.)", _prefixed("hvb.", 138, B64URL)),
    Format("vault recovery token", "HashiCorp Vault docs: token prefixes (hvr.)", _prefixed("hvr.", 90, B64URL)),
    Format(
        "terraform cloud token",
        "gitleaks rule hashicorp-tf-api-token (.atlasv1.)",
        lambda r: (lambda a, b: (f"{a}.atlasv1.{b}", b))(r.text(14), r.text(67)),
    ),
    Format("doppler personal token", "Doppler docs: token formats (dp.pt.)", _prefixed("dp.pt.", 43)),
    Format("doppler service token", "Doppler docs: token formats (dp.st.)", _prefixed("dp.st.prd.", 40)),
    Format("doppler cli token", "Doppler docs: token formats (dp.ct.)", _prefixed("dp.ct.", 43)),
    Format("doppler scim token", "Doppler docs: token formats (dp.scim.)", _prefixed("dp.scim.", 43)),
    Format(
        "mailgun api key",
        "Mailgun docs: API keys (key-); gitleaks rule mailgun-private-api-token",
        _prefixed("key-", 32, HEX),
    ),
    Format(
        "mailgun signing key",
        "gitleaks rule mailgun-signing-key",
        lambda r: (lambda c: (f"{c}-{r.hex(8)}-{r.hex(8)}", c))(r.hex(32)),
    ),
    Format(
        "mailchimp api key",
        "Mailchimp docs: API keys (-usNN); detect-secrets plugin MailchimpDetector",
        _prefixed("", 32, HEX, "-us21"),
    ),
    Format(
        "azure storage connection string", "Microsoft docs: Azure Storage connection strings (AccountKey)", _azure_conn
    ),
    Format("azure service bus connection string", "Microsoft docs: Service Bus SAS (SharedAccessKey)", _azure_sb),
    Format("azure sas url", "Microsoft docs: shared access signatures (sig=)", _azure_sas),
    Format("azure cosmos connection string", "Microsoft docs: Cosmos DB keys (AccountKey)", _azure_cosmos),
    Format(
        "azure ad client secret",
        "gitleaks rule azure-ad-client-secret (xxxNQ~)",
        lambda r: (lambda c: (f"{r.text(3)}8Q~{c}", c))(r.text(34, ALNUM + "_~.-")),
    ),
    Format("jwt", "RFC 7519: JSON Web Token; detect-secrets plugin JwtTokenDetector", _jwt),
    Format("rsa private key", "RFC 7468 / detect-secrets plugin PrivateKeyDetector", _pem("RSA PRIVATE KEY")),
    Format("pkcs8 private key", "RFC 5208/7468: BEGIN PRIVATE KEY", _pem("PRIVATE KEY")),
    Format("ec private key", "RFC 5915: BEGIN EC PRIVATE KEY", _pem("EC PRIVATE KEY", 3)),
    Format("encrypted private key", "RFC 7468: BEGIN ENCRYPTED PRIVATE KEY", _pem("ENCRYPTED PRIVATE KEY", 4)),
    Format("openssh private key", "OpenSSH PROTOCOL.key: BEGIN OPENSSH PRIVATE KEY", _openssh),
    Format("pgp private key block", "RFC 4880: BEGIN PGP PRIVATE KEY BLOCK", _pem("PGP PRIVATE KEY BLOCK", 5)),
    Format(
        "telegram bot token", "Telegram Bot API docs: bot token; detect-secrets TelegramBotTokenDetector", _telegram
    ),
    Format("discord bot token", "Discord docs: bot token; detect-secrets DiscordBotTokenDetector", _discord_bot),
    Format(
        "openai project key",
        "OpenAI docs: API keys (sk-proj-); detect-secrets plugin OpenAIDetector",
        lambda r: (lambda c: (f"sk-proj-{c}", c))(r.text(156, B64URL)),
    ),
    Format(
        "openai legacy key",
        "gitleaks rule openai-api-key (T3BlbkFJ)",
        lambda r: (lambda a, b: (f"sk-{a}T3BlbkFJ{b}", b))(r.text(20), r.text(20)),
    ),
    Format(
        "anthropic api key",
        "gitleaks rule anthropic-api-key (sk-ant-api03-...AA)",
        lambda r: (lambda c: (f"sk-ant-api03-{c}AA", c))(r.text(93, B64URL)),
    ),
    Format(
        "anthropic admin key",
        "gitleaks rule anthropic-admin-api-key",
        lambda r: (lambda c: (f"sk-ant-admin01-{c}AA", c))(r.text(93, B64URL)),
    ),
    Format(
        "huggingface token", "Hugging Face docs: user access tokens (hf_)", _prefixed("hf_", 34, string.ascii_letters)
    ),
    Format("perplexity api key", "gitleaks rule perplexity-api-key (pplx-)", _prefixed("pplx-", 48)),
    Format("groq api key", "Groq docs: API keys (gsk_)", _prefixed("gsk_", 52)),
    Format("replicate api token", "Replicate docs: API tokens (r8_)", _prefixed("r8_", 37)),
    Format("digitalocean pat", "gitleaks rule digitalocean-pat (dop_v1_)", _prefixed("dop_v1_", 64, HEX)),
    Format(
        "digitalocean oauth token", "gitleaks rule digitalocean-access-token (doo_v1_)", _prefixed("doo_v1_", 64, HEX)
    ),
    Format("linear api key", "gitleaks rule linear-api-key (lin_api_)", _prefixed("lin_api_", 40)),
    Format(
        "postman api key",
        "gitleaks rule postman-api-token (PMAK-)",
        lambda r: (lambda c: (f"PMAK-{r.hex(24)}-{c}", c))(r.hex(34)),
    ),
    Format("new relic user key", "gitleaks rule new-relic-user-api-key (NRAK-)", _prefixed("NRAK-", 27, UPPER_ALNUM)),
    Format("new relic insert key", "gitleaks rule new-relic-insert-key (NRII-)", _prefixed("NRII-", 32, ALNUM + "-_")),
    Format(
        "planetscale token",
        "gitleaks rule planetscale-api-token (pscale_tkn_)",
        _prefixed("pscale_tkn_", 43, ALNUM + "_.-"),
    ),
    Format(
        "planetscale password",
        "gitleaks rule planetscale-password (pscale_pw_)",
        _prefixed("pscale_pw_", 43, ALNUM + "_.-"),
    ),
    Format("pulumi access token", "gitleaks rule pulumi-api-token (pul-)", _prefixed("pul-", 40, HEX)),
    Format("prefect api key", "gitleaks rule prefect-api-token (pnu_)", _prefixed("pnu_", 36)),
    Format("readme api key", "gitleaks rule readme-api-token (rdme_)", _prefixed("rdme_", 70, LOWER_ALNUM)),
    Format(
        "sendinblue api key",
        "gitleaks rule sendinblue-api-token (xkeysib-)",
        lambda r: (lambda c: (f"xkeysib-{c}-{r.text(16)}", c))(r.hex(64)),
    ),
    Format("shippo live token", "gitleaks rule shippo-api-token (shippo_live_)", _prefixed("shippo_live_", 40, HEX)),
    Format(
        "square access token",
        "gitleaks rule square-access-token (EAAA); detect-secrets SquareOAuthDetector",
        _prefixed("EAAA", 60, B64URL),
    ),
    Format(
        "square oauth secret", "detect-secrets plugin SquareOAuthDetector (sq0csp-)", _prefixed("sq0csp-", 43, B64URL)
    ),
    Format(
        "dynatrace api token",
        "gitleaks rule dynatrace-api-token (dt0c01.)",
        lambda r: (lambda c: (f"dt0c01.{r.text(24, UPPER_ALNUM)}.{c}", c))(r.text(64, UPPER_ALNUM)),
    ),
    Format("easypost api key", "gitleaks rule easypost-api-token (EZAK)", _prefixed("EZAK", 54)),
    Format(
        "flutterwave secret key",
        "gitleaks rule flutterwave-secret-key (FLWSECK_TEST-)",
        _prefixed("FLWSECK_TEST-", 32, HEX, "-X"),
    ),
    Format("fly.io token", "gitleaks rule flyio-access-token (fo1_)", _prefixed("fo1_", 43, B64URL)),
    Format("frameio api token", "gitleaks rule frameio-api-token (fio-u-)", _prefixed("fio-u-", 64, B64URL)),
    Format(
        "age secret key",
        "gitleaks rule age-secret-key (AGE-SECRET-KEY-1)",
        _prefixed("AGE-SECRET-KEY-1", 58, BECH32.upper()),
    ),
    Format("alibaba access key id", "gitleaks rule alibaba-access-key-id (LTAI)", _prefixed("LTAI", 20)),
    Format(
        "artifactory api key",
        "gitleaks rule artifactory-api-key (AKCp); detect-secrets ArtifactoryDetector",
        _prefixed("AKCp", 69),
    ),
    Format("clojars token", "gitleaks rule clojars-api-token (CLOJARS_)", _prefixed("CLOJARS_", 60, LOWER_ALNUM)),
    Format(
        "cloudflare origin ca key",
        "gitleaks rule cloudflare-origin-ca-key (v1.0-)",
        lambda r: (lambda c: (f"v1.0-{r.hex(24)}-{c}", c))(r.hex(146)),
    ),
    Format(
        "1password service account token",
        "gitleaks rule 1password-service-account-token (ops_eyJ)",
        _prefixed("ops_eyJ", 260, B64),
    ),
    Format("adobe client secret", "gitleaks rule adobe-client-secret (p8e-)", _prefixed("p8e-", 32, LOWER_ALNUM)),
    Format("databricks token", "gitleaks rule databricks-api-token (dapi)", _prefixed("dapi", 32, HEX)),
    Format("duffel live token", "gitleaks rule duffel-api-token (duffel_live_)", _prefixed("duffel_live_", 43, B64URL)),
    Format("infracost api key", "gitleaks rule infracost-api-token (ico-)", _prefixed("ico-", 32)),
    Format(
        "typeform token",
        "gitleaks rule typeform-api-token (tfp_)",
        lambda r: (lambda c: (f"tfp_{c}_{r.text(14)}", c))(r.text(44)),
    ),
    Format("sentry org token", "Sentry docs: organization auth tokens (sntrys_)", _sentry_auth),
    Format("sentry user token", "Sentry docs: user auth tokens (sntryu_)", _prefixed("sntryu_", 64, HEX)),
    Format("supabase service key", "Supabase docs: secret API keys (sb_secret_)", _prefixed("sb_secret_", 36, B64URL)),
    Format("netlify token", "Netlify docs: personal access tokens (nfp_)", _prefixed("nfp_", 36)),
    Format("vercel token", "Vercel docs: access tokens", _prefixed("", 24)),
    Format(
        "circleci token", "CircleCI docs: personal API token (CCIPAT_)", _prefixed("CCIPAT_", 22, ALNUM, "_" + "7f3a9c")
    ),
    Format("buildkite token", "Buildkite docs: API access tokens (bkua_)", _prefixed("bkua_", 40, HEX)),
    Format("heroku api key", "gitleaks rule heroku-api-key-v2 (HRKU-)", _prefixed("HRKU-AA", 58, B64URL)),
    Format("ibm cos hmac secret", "detect-secrets plugin IbmCosHmacDetector (48 hex)", _ibm_cos_hmac),
    Format(
        "basic credentials base64",
        "RFC 7617: Basic user:password; detect-secrets plugin BasicAuthDetector",
        _basic_pair,
    ),
    Format("postgres url password", "libpq docs: connection URIs (user:password@host)", _db_url("postgresql")),
    Format(
        "mongodb srv password", "MongoDB docs: connection string (mongodb+srv://user:pass@)", _db_url("mongodb+srv")
    ),
    Format("redis url password", "Redis docs: redis:// URI with password", _db_url("rediss")),
    Format("amqp url password", "RabbitMQ docs: amqps://user:pass@host", _db_url("amqps")),
)

FORMATS = FORMATS + DETECT_SECRETS_MORE + GITLEAKS_MORE

# formats that carry no prefix of their own: they travel under a name that says what they are
CONTEXT = {
    "twilio auth token": "TWILIO_AUTH_TOKEN",
    "datadog api key": "DD_API_KEY",
    "datadog application key": "DD_APP_KEY",
    "vercel token": "VERCEL_TOKEN",
    "aws secret access key": "aws_secret_access_key",
    "ibm cos hmac secret": "cos_hmac_secret_access_key",
    "basic credentials base64": "basic_auth",
    "mailchimp api key": "MAILCHIMP_API_KEY",
    "mailgun signing key": "MAILGUN_WEBHOOK_SIGNING_KEY",  # its gitleaks rule requires the word mailgun
    "snyk api token": "SNYK_TOKEN",
    "launchdarkly access token": "LD_ACCESS_TOKEN",
    "gocardless live token": "GOCARDLESS_ACCESS_TOKEN",
    "okta api token": "OKTA_API_TOKEN",
}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def named(fmt: Format, value: str) -> str:
    name = CONTEXT.get(fmt.name)
    return f"{name}={value}" if name else value
