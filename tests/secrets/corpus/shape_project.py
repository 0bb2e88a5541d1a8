"""The corpus as a project: the registry and the OpenAPI description of each corpus provider, the routes of the
local server, and an unscrubbed cassette per case (the same traffic, one case per file) for `contracts scan`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlencode

import yaml
from shape_credentials import credentials
from shape_wire import PLACES, Bucket, Case, Wire, render

NO_AUTH = {"scheme": "none"}
_JSON_PLACES = {"json", "json_raw", "gzip_json", "deflate_json", "utf16_json"}
_IGNORED_HEADER_PARAMS = {"authorization", "content-type", "accept", "cookie", "proxy-authorization"}


def provider_auth() -> dict[str, dict[str, Any]]:
    """Each corpus provider's registry auth: `shape` has none, the others carry the run's own credentials."""
    return {"shape": NO_AUTH, **{cred.provider: cred.auth for cred in credentials()}}


def environ() -> dict[str, str]:
    """The environment the run's credentials are read from."""
    return {name: value for cred in credentials() for name, value in cred.environ.items()}


def _item_schema(cases: tuple[Case, ...]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for case in cases:
        if isinstance(case.item, dict):
            properties.update(case.schema)
    return {"type": "object", "properties": properties} if properties else {"type": "object"}


def _security(provider: str, buckets: list[Bucket]) -> dict[str, Any]:
    schemes: dict[str, Any] = {}
    for bucket in buckets:
        for case in bucket.cases:
            schemes.update(case.security)
    auth = provider_auth()[provider]
    if auth["scheme"] in ("bearer", "basic"):
        schemes["registryAuth"] = {"type": "http", "scheme": auth["scheme"]}
    elif auth["scheme"] in ("header", "query"):
        schemes["registryAuth"] = {"type": "apiKey", "in": auth["scheme"], "name": auth[auth["scheme"]]}
    return schemes


def _parameters(bucket: Bucket, wire: Wire) -> list[dict[str, Any]]:
    schemas = {name.lower(): schema for case in bucket.cases for name, schema in case.schema.items()}
    params = [
        {"name": name, "in": "query", "schema": schemas.get(name.lower(), {"type": "string"})}
        for name in wire.request.get("query", {})
    ]
    if bucket.place == "req_header":
        params += [
            {"name": name, "in": "header", "schema": schemas.get(name.lower(), {"type": "string"})}
            for name in wire.request.get("headers", {})
            if name.lower() not in _IGNORED_HEADER_PARAMS
        ]
    params += [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}} for name in wire.path_params
    ]
    return params


def _response(bucket: Bucket) -> dict[str, Any]:
    side, _, media = PLACES[bucket.place]
    if side == "request" or bucket.place == "resp_header":
        content = {"application/json": {"schema": {"type": "object", "properties": {"ok": {"type": "boolean"}}}}}
    elif bucket.place in _JSON_PLACES:
        schema = {"type": "object", "properties": {"items": {"type": "array", "items": _item_schema(bucket.cases)}}}
        content = {media: {"schema": schema}}
    else:
        content = {media: {"schema": {"type": "string"}}}
    response: dict[str, Any] = {"description": "the corpus answer", "content": content}
    if bucket.place == "resp_header":
        response["headers"] = {
            name: {"schema": schema} for case in bucket.cases for name, schema in case.schema.items()
        }
    return response


def spec_for(provider: str, buckets: list[Bucket]) -> dict[str, Any]:
    """The OpenAPI description of one corpus provider: every operation, and the schemas the look-alikes rely on."""
    paths: dict[str, Any] = {}
    for bucket in buckets:
        wire = bucket.wire
        operation: dict[str, Any] = {"operationId": bucket.operation, "responses": {"200": _response(bucket)}}
        if params := _parameters(bucket, wire):
            operation["parameters"] = params
        if "body" in wire.request:
            media = wire.request["headers"]["Content-Type"].split(";")[0]
            schema = (
                {"type": "object", "properties": {"items": {"type": "array", "items": _item_schema(bucket.cases)}}}
                if bucket.place == "json_req"
                else {}
            )
            operation["requestBody"] = {"content": {media: {"schema": schema}}}
        paths.setdefault(wire.path, {})[wire.method.lower()] = operation
    security = _security(provider, buckets)
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": f"corpus provider {provider}", "version": "1.0.0"},
        "paths": paths,
    }
    if security:
        document["components"] = {"securitySchemes": security}
        document["security"] = [{name: []} for name in security]
    return document


def write_project(root: Path, base_url: str, buckets: list[Bucket]) -> Path:
    """registry.yaml and specs/<provider>.json under root; returns the registry's path."""
    providers: dict[str, Any] = {}
    (root / "specs").mkdir(parents=True, exist_ok=True)
    for provider, auth in provider_auth().items():
        mine = [bucket for bucket in buckets if bucket.provider == provider]
        (root / "specs" / f"{provider}.json").write_text(json.dumps(spec_for(provider, mine), indent=1))
        providers[provider] = {
            "base_url": f"{base_url}/{provider}",
            "spec": f"specs/{provider}.json",
            "auth": auth,
            "record": {"budget": 1000, "requests": {b.operation: b.wire.request for b in mine}},
            "operations": {b.operation: {"method": b.wire.method, "path": b.wire.path, "safe": True} for b in mine},
        }
    registry = root / "registry.yaml"
    registry.write_text(yaml.safe_dump({"version": 1, "consumer": "corpus", "providers": providers}, sort_keys=False))
    return registry


def concrete_path(wire: Wire) -> str:
    """The wire's path with its parameters filled in, percent-encoded as a client sends it."""
    path = wire.path
    for name, value in wire.path_params.items():
        path = path.replace("{" + name + "}", quote(value, safe=""))
    return path


def routes(buckets: list[Bucket]) -> dict[str, Callable[[Any], tuple[int, list[tuple[str, str]], bytes]]]:
    """The local server's answer for each path (raw and decoded forms of a path with parameters)."""
    table = {}
    for bucket in buckets:
        wire = bucket.wire

        def answer(seen: Any, wire: Wire = wire) -> tuple[int, list[tuple[str, str]], bytes]:
            return wire.status, list(wire.headers), wire.body

        path = concrete_path(wire)
        for form in {path, wire.path.replace("{token}", next(iter(wire.path_params.values()), ""))}:
            table[f"/{bucket.provider}{form}"] = answer
            table[f"/{bucket.provider}{form.replace('%3A', ':')}"] = answer
    return table


def _grouped(headers: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in headers:
        grouped.setdefault(name, []).append(value)
    return grouped


def _auth_parts(provider: str) -> tuple[list[tuple[str, str]], dict[str, str]]:
    for cred in credentials():
        if cred.provider == provider:
            scheme = cred.auth["scheme"]
            if scheme == "query":
                return [], {str(cred.auth["query"]): cred.value}
            name = str(cred.auth.get("header", "Authorization"))
            return [(name, cred.sent)], {}
    return [], {}


def unscrubbed_interaction(case: Case, base_url: str, operation: str) -> dict[str, Any]:
    """The case's own exchange in vcrpy's cassette format, secrets and all (compressed bodies stay compressed)."""
    wire = render(case.place, operation, [] if case.item is None else [case.item])
    auth_headers, auth_query = _auth_parts(case.provider)
    query = {**wire.request.get("query", {}), **auth_query}
    uri = f"{base_url}/{case.provider}{concrete_path(wire)}" + (f"?{urlencode(query)}" if query else "")
    headers = [("Accept", "*/*"), *auth_headers, *wire.request.get("headers", {}).items()]
    body = wire.request.get("body")
    if isinstance(body, dict):
        body = json.dumps(body)
    return {
        "request": {"body": body, "headers": _grouped(headers), "method": wire.method, "uri": uri},
        "response": {
            "body": {"string": _stored_body(wire)},
            "headers": _grouped(wire.headers),
            "status": {"code": wire.status, "message": "OK"},
        },
    }


def _stored_body(wire: Wire) -> str | bytes:
    try:
        return wire.body.decode("utf-8")
    except UnicodeDecodeError:
        return wire.body


def write_unscrubbed(
    root: Path, registry: Path, base_url: str, cases: list[Case], operation_of: dict[str, str]
) -> Path:
    """A copy of the project whose cassettes hold every case's traffic unscrubbed, one file per case."""
    root.mkdir(parents=True)
    (root / "registry.yaml").write_text(registry.read_text())
    (root / "specs").mkdir()
    for spec in (registry.parent / "specs").iterdir():
        (root / "specs" / spec.name).write_text(spec.read_text())
    for case in cases:
        interaction = unscrubbed_interaction(case, base_url, operation_of[case.id])
        path = root / "cassettes" / case.provider / f"{case.id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump({"interactions": [interaction], "version": 1}, sort_keys=False, width=10_000))
    return root / "registry.yaml"
