"""Credentials: the environment variables the registry's auth names, turned into request headers or query
parameters, one builder for every scheme the registry allows (bearer, basic, header, query, aws-sigv4, none)."""

from __future__ import annotations

import base64
from typing import Mapping, Sequence

from contractkit.core.errors import UsageError
from contractkit.core.model import Provider


def missing_credentials(provider: Provider, environ: Mapping[str, str]) -> tuple[str, ...]:
    """The environment variables the provider's auth needs that are not set: none for `none`, the key id and the
    secret for `aws-sigv4` (its session token is optional), every variable `auth.env` names otherwise."""
    auth = provider.auth
    if auth.scheme == "none":
        return ()
    needed = auth.env[:2] if auth.scheme == "aws-sigv4" else auth.env
    return tuple(name for name in needed if not environ.get(name))


def missing_credentials_error(provider: Provider, missing: Sequence[str]) -> UsageError:
    """The one message for credentials that are not set: the variables, the registry file, line and key path."""
    names = ", ".join(missing)
    plural = len(missing) > 1
    return UsageError(
        f"provider {provider.name!r} needs the environment variable{'s' if plural else ''} {names} for its "
        f"{provider.auth.scheme} auth, and {names} {'are' if plural else 'is'} not set",
        file=provider.auth.file or None,
        line=provider.auth.line,
        key_path=("providers", provider.name, "auth", "env"),
        hint=f"export {names}",
    )


def require_credentials(provider: Provider, environ: Mapping[str, str]) -> None:
    """Raise the one UsageError when a credential the provider's auth needs is not set."""
    missing = missing_credentials(provider, environ)
    if missing:
        raise missing_credentials_error(provider, missing)


def credentials(provider: Provider, environ: Mapping[str, str], *, required: bool = True) -> dict[str, str]:
    """The values of the env vars the registry names for the provider's auth (missing ones are an error when
    `required`: the one check, with the one message)."""
    if required:
        require_credentials(provider, environ)
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


__all__ = ["auth_headers", "credentials", "missing_credentials", "missing_credentials_error", "require_credentials"]
