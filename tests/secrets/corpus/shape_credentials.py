"""The run's own credentials: read by the registry's auth from the environment, sent on every request of their
provider, and echoed back by the server in every encoding (JSON-escaped, HTML-escaped, lower-case
percent-encoded, UTF-16, base64 with line breaks). The values hold the characters those encodings change.
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from shape_values import ALNUM, Rand
from shape_wire import SECRET, Case


@dataclass(frozen=True)
class Credential:
    """One provider's credential: its auth entry, its environment, and the value as it crosses the wire."""

    provider: str
    auth: dict[str, object]
    environ: dict[str, str]
    value: str
    sent: str  # the exact text of the credential in the request (header value or query value)


def credentials(seed: str = "contractkit-shape-credentials-1") -> list[Credential]:
    r = Rand(seed)

    def special(n: int) -> str:  # characters that JSON, HTML, URL and base64 encodings all change
        body = r.text(n, ALNUM)
        return f'{body[:8]}/{body[8:14]}+{body[14:20]}&{body[20:26]}<{body[26:]}="x'

    bearer, basic, header, query = special(40), special(32), special(36), r.text(12) + "/" + r.text(20) + "+="
    return [
        Credential(
            "shape_bearer",
            {"scheme": "bearer", "env": "SHAPE_BEARER"},
            {"SHAPE_BEARER": bearer},
            bearer,
            f"Bearer {bearer}",
        ),
        Credential(
            "shape_basic",
            {"scheme": "basic", "env": ["SHAPE_USER", "SHAPE_PASSWORD"]},
            {"SHAPE_USER": "ci-robot", "SHAPE_PASSWORD": basic},
            basic,
            "Basic " + base64.b64encode(f"ci-robot:{basic}".encode()).decode(),
        ),
        Credential(
            "shape_header",
            {"scheme": "header", "env": "SHAPE_HEADER_KEY", "header": "X-Shape-Key", "prefix": "Key "},
            {"SHAPE_HEADER_KEY": header},
            header,
            f"Key {header}",
        ),
        Credential(
            "shape_query",
            {"scheme": "query", "env": "SHAPE_QUERY_KEY", "query": "appid"},
            {"SHAPE_QUERY_KEY": query},
            query,
            query,
        ),
    ]


def _lower_quote(value: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(value, safe=""))


def _mime(value: str) -> str:
    encoded = base64.b64encode(f"credential dump\nkey: {value}\nend\n".encode()).decode()
    return "\n".join(encoded[i : i + 20] for i in range(0, len(encoded), 20))


def credential_cases() -> list[Case]:
    """Per credential: the request that carries it, and six echoes in six encodings."""
    cases = []
    for cred in credentials():
        v, p = cred.value, cred.provider
        json_escaped = json.dumps(v)[1:-1].replace("/", "\\/")
        echoes = [
            ("request auth", "req_header", None, (cred.sent,)),
            ("echo raw in JSON", "json", {"echo": v}, (v,)),
            (
                "echo JSON-escaped",
                "json_raw",
                json.dumps({"seen": "x"}).replace('"x"', f'"{json_escaped}"'),
                (json_escaped,),
            ),
            ("echo HTML-escaped", "html", f"<p>Your key: <code>{html.escape(v)}</code></p>", (html.escape(v),)),
            (
                "echo lower-case percent-encoded",
                "text",
                f"next=https://app.example/cb%3Fk%3D{_lower_quote(v)}",
                (_lower_quote(v),),
            ),
            ("echo UTF-16", "utf16_json", {"echo": v}, (v,)),
            ("echo base64 with line breaks", "text", _mime(v), (_mime(v),)),
        ]
        for label, place, item, forms in echoes:
            cases.append(
                Case(
                    f"credential-{p.removeprefix('shape_')}-{label.replace(' ', '-').lower()}",
                    SECRET,
                    f"the run's own {cred.auth['scheme']} credential: {label}",
                    "registry auth from the environment (issue 22: the run's own credentials in every encoding)",
                    place,
                    v,
                    item,
                    forms,
                    provider=p,
                )
            )
    return cases
