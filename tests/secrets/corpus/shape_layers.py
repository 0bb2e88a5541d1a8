"""Every layer of encoding the issue lists, each with several documented formats inside: base64 (plain, url-safe,
nested, MIME-wrapped, whole JSON and YAML documents in a field), compressed and UTF-16/32 bodies, XML text and
CDATA, HTML entities, JSON escapes, percent-encoding in either case, form, multipart and GraphQL requests.
"""

from __future__ import annotations

import base64
import html
import json
import re
from typing import Any, Callable
from urllib.parse import quote

from shape_values import CONTEXT, FORMATS, Format, Rand, named, slug
from shape_wire import SECRET, Case


def _mime(data: bytes, width: int = 76) -> str:
    encoded = base64.b64encode(data).decode()
    return "\r\n".join(encoded[i : i + width] for i in range(0, len(encoded), width))


def _layer_cases(r: Rand) -> list[tuple[str, str, Callable[[Format, str], tuple[str, Any, tuple[str, ...]]]]]:
    """Every layer of encoding the issue lists: (name, how it is documented, place + item + wire forms)."""

    def in_json(key: str, encoded: str) -> tuple[str, Any, tuple[str, ...]]:
        return "json", {key: encoded}, (encoded,)

    def named_line(fmt: Format, value: str) -> str:
        return f"{CONTEXT.get(fmt.name, 'value')}: {value}"

    layers: list[tuple[str, str, Callable[[Format, str], tuple[str, Any, tuple[str, ...]]]]] = [
        (
            "base64",
            "RFC 4648 base64 in a JSON field",
            lambda f, v: in_json("blob", base64.b64encode(named(f, v).encode()).decode()),
        ),
        (
            "base64url",
            "RFC 4648 section 5 base64url, unpadded",
            lambda f, v: in_json("state", base64.urlsafe_b64encode(named(f, v).encode()).decode().rstrip("=")),
        ),
        (
            "nested base64",
            "base64 of base64 (double-encoded payloads)",
            lambda f, v: in_json("payload", base64.b64encode(base64.b64encode(named(f, v).encode())).decode()),
        ),
        (
            "MIME base64",
            "RFC 2045 base64 with CRLF every 76 characters",
            lambda f, v: in_json("attachment", _mime(f"# exported\n{named_line(f, v)}\n".encode(), 76)),
        ),
        (
            "file-content API",
            "GitHub REST contents API: content base64 with a newline every 60 characters",
            lambda f, v: (
                "json",
                {
                    "type": "file",
                    "path": "config/app.json",
                    "encoding": "base64",
                    "content": "\n".join(
                        re.findall(
                            ".{1,60}",
                            base64.b64encode(
                                json.dumps({"service": "api", "credential": v}, indent=2).encode()
                            ).decode(),
                        )
                    )
                    + "\n",
                },
                (),
            ),
        ),
        (
            "kubernetes secret",
            "Kubernetes docs: Secret data values are base64 of the file (here a YAML document)",
            lambda f, v: (
                "json",
                {
                    "apiVersion": "v1",
                    "kind": "Secret",
                    "metadata": {"name": "app-config"},
                    "data": {
                        "config.yaml": base64.b64encode(
                            f"service: api\nendpoint: https://x.example\nconnection: {v}\n".encode()
                        ).decode()
                    },
                },
                (),
            ),
        ),
        (
            "stream record",
            "AWS Kinesis GetRecords: Data is base64 of the producer's JSON record",
            lambda f, v: (
                "json",
                {
                    "Records": [
                        {
                            "SequenceNumber": "4959" + "0" * 20,
                            "Data": base64.b64encode(json.dumps({"event": "login", "detail": v}).encode()).decode(),
                        }
                    ]
                },
                (),
            ),
        ),
        ("gzip body", "RFC 9110 Content-Encoding: gzip", lambda f, v: ("gzip_json", {"detail": named(f, v)}, ())),
        (
            "deflate body",
            "RFC 9110 Content-Encoding: deflate (zlib)",
            lambda f, v: ("deflate_json", {"detail": named(f, v)}, ()),
        ),
        ("gzip file", "a gzip export served as application/gzip", lambda f, v: ("gzip_file", named_line(f, v), ())),
        (
            "UTF-16 body",
            "RFC 8259 allows UTF-16; charset=utf-16 with a BOM",
            lambda f, v: ("utf16_json", {"detail": named(f, v)}, ()),
        ),
        ("UTF-32 body", "text/plain; charset=utf-32 with a BOM", lambda f, v: ("utf32_text", named_line(f, v), ())),
        (
            "XML text with escaped JSON",
            "XML 1.0 character escapes around a JSON document in element text",
            lambda f, v: (
                "xml",
                f"<Payload>{html.escape(json.dumps({'detail': named(f, v)}))}</Payload>",
                (),
            ),
        ),
        (
            "XML CDATA with JSON",
            "XML 1.0 CDATA section carrying a JSON document with \\/ escapes",
            lambda f, v: (
                "xml",
                "<Payload><![CDATA[" + json.dumps({"detail": named(f, v)}).replace("/", "\\/") + "]]></Payload>",
                (),
            ),
        ),
        (
            "HTML attribute with entities",
            "HTML: a JSON config in a data- attribute, quotes as &quot;",
            lambda f, v: (
                "html",
                f'<div id="app" data-config="{html.escape(json.dumps({"detail": named(f, v)}))}"></div>',
                (),
            ),
        ),
        (
            "HTML numeric entities",
            "HTML character references (&#NN;) for every character",
            lambda f, v: (
                "html",
                "<pre>" + "".join(f"&#{ord(c)};" for c in v) + "</pre>",
                ("".join(f"&#{ord(c)};" for c in v),),
            ),
        ),
        (
            "JSON slash escapes",
            "RFC 8259: solidus escaped as \\/ (PHP json_encode default)",
            lambda f, v: ("json_raw", json.dumps({"detail": named(f, v)}).replace("/", "\\/"), ()),
        ),
        (
            "JSON unicode escapes",
            "RFC 8259 \\uXXXX escapes (.NET and Go escape +, <, >, &)",
            lambda f, v: (
                "json_raw",
                json.dumps({"detail": named(f, v)}).replace("+", "\\u002B").replace("=", "\\u003d"),
                (),
            ),
        ),
        (
            "percent-encoded upper",
            "RFC 3986 percent-encoding, upper-case hex, in a URL in a body",
            lambda f, v: (
                "json",
                {"next": f"https://app.example/continue?ctx={quote(v, safe='')}"},
                (quote(v, safe=""),),
            ),
        ),
        (
            "percent-encoded lower",
            "RFC 3986 allows lower-case hex digits in percent-encoding",
            lambda f, v: ("text", "redirect " + _lower_quote(v), (_lower_quote(v),)),
        ),
        (
            "full percent-encoding",
            "every byte percent-encoded (%67%68%70...)",
            lambda f, v: ("text", "u=" + "".join(f"%{b:02x}" for b in v.encode()), ()),
        ),
        (
            "form body",
            "HTML form application/x-www-form-urlencoded request",
            lambda f, v: ("form_req", (f"field{len(v)}", quote(v, safe="")), (quote(v, safe=""),)),
        ),
        (
            "multipart file part",
            "RFC 7578 multipart/form-data, a .env file part",
            lambda f, v: ("multipart_req", (f"file{len(v)}", "app.env", "text/plain", named_line(f, v)), ()),
        ),
        (
            "GraphQL variables",
            "GraphQL over HTTP: variables object",
            lambda f, v: ("graphql_req", ("var", f"input{len(v)}", {"note": named(f, v)}), ()),
        ),
        (
            "GraphQL inline argument",
            "GraphQL over HTTP: a literal string argument in the query document",
            lambda f, v: (
                "graphql_req",
                ("inline", f"n{len(v)}: addNote(text: {json.dumps(named(f, v))}) {{ id }}", None),
                (),
            ),
        ),
        (
            "URL userinfo",
            "RFC 3986 userinfo in a URL in a body",
            lambda f, v: ("json", {"remote": f"https://ci:{quote(v, safe='')}@git.example.test/org/repo.git"}, ()),
        ),
        (
            "request body text",
            "a log line the consumer uploads",
            lambda f, v: ("text_req", f"2026-01-01T00:00:00Z worker started with {named(f, v)}", ()),
        ),
    ]
    return layers


def _lower_quote(value: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(value, safe=""))


LAYER_FORMATS_PER_LAYER = 5
_BARE_LAYERS = {
    "HTML numeric entities",
    "percent-encoded upper",
    "percent-encoded lower",
    "full percent-encoding",
    "form body",
}


def layer_cases(r: Rand) -> list[Case]:
    """Each layer of encoding with several vendor formats inside, chosen with a stride across the table."""
    cases = []
    layers = _layer_cases(r)
    for index, (name, source, carry) in enumerate(layers):
        for k in range(LAYER_FORMATS_PER_LAYER):
            fmt = FORMATS[(index * 7 + k * 23) % len(FORMATS)]
            value, core = fmt.make(r)
            # a format known only by its name never travels bare: there it would be any random string
            place, item, forms = carry(fmt, named(fmt, value) if name in _BARE_LAYERS else value)
            cases.append(
                Case(
                    f"layer-{slug(name)}-{slug(fmt.name)}",
                    SECRET,
                    f"{name} of {fmt.name}",
                    f"{source}; value: {fmt.source}",
                    place,
                    core,
                    item,
                    (value, *forms),
                )
            )
    return cases
