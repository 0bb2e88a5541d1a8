"""Credentials: the environment variables the registry's auth names, turned into request headers or query
parameters, one builder for every scheme the registry allows (bearer, basic, header, query, aws-sigv4, none)."""

from __future__ import annotations

import base64
from typing import Mapping

from contractkit.core.errors import UsageError
from contractkit.core.model import Provider


def credentials(provider: Provider, environ: Mapping[str, str], *, required: bool = True) -> dict[str, str]:
    """The values of the env vars the registry names for the provider's auth (missing ones are an error)."""
    missing = [name for name in provider.auth.env if not environ.get(name)]
    if missing and required and provider.auth.scheme not in ("none", "aws-sigv4"):
        raise UsageError(f"provider {provider.name!r}: environment variable(s) {', '.join(missing)} not set",
                         hint="export the credentials the registry names in providers." + provider.name + ".auth.env")
    return {name: environ[name] for name in provider.auth.env if environ.get(name)}


def auth_headers(provider: Provider, secrets: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and query parameters that carry the provider's credentials."""
    auth, values = provider.auth, [secrets.get(name, "") for name in provider.auth.env]
    if auth.scheme == "bearer" and values and values[0]:
        return {"Authorization": f"Bearer {values[0]}"}, {}
    if auth.scheme == "basic" and len(values) >= 2 and values[0]:
        token = base64.b64encode(f"{values[0]}:{values[1]}".encode()).decode()
        return {"Authorization": f"Basic {token}"}, {}
    if auth.scheme == "header" and values and values[0]:
        return {auth.header or "Authorization": f"{auth.prefix}{values[0]}"}, {}
    if auth.scheme == "query" and auth.query and values and values[0]:
        return {}, {auth.query: values[0]}
    return {}, {}


__all__ = ["auth_headers", "credentials"]
