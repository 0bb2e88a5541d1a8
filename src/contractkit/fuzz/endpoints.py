"""The endpoints a fuzz run covers: every operation of the description, narrowed and made safe."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Sequence

from contractkit.core.auth import auth_headers, missing_credentials, missing_credentials_error
from contractkit.core.errors import UsageError
from contractkit.core.model import Provider
from contractkit.fuzz.model import SAFE_METHODS, TEMPLATE_PARAMETER
from contractkit.secrets import mask_values


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One method and path of the description, and the registered operation it is, if any."""

    method: str
    path: str
    name: str = ""

    @property
    def label(self) -> str:
        """schemathesis's label: `GET /items/{item_id}`."""
        return f"{self.method} {self.path}"


def iter_endpoints(document: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Every (METHOD, path) of an OpenAPI 3 or Swagger 2.0 document, in document order."""
    for path, item in (document.get("paths") or {}).items():
        if isinstance(item, dict):
            for method in ("get", "put", "post", "delete", "options", "head", "patch", "trace"):
                if isinstance(item.get(method), dict):
                    yield method.upper(), path


def _route(method: str, path: str) -> tuple[str, str]:
    return method.upper(), TEMPLATE_PARAMETER.sub("{}", path)


def select_endpoints(provider: Provider, document: Mapping[str, Any], names: Sequence[str]) -> list[Endpoint]:
    """Every endpoint of the description, or only the named registered operations; names attached."""
    registered = {_route(op.method or "", op.path or ""): op.name for op in provider.operations.values()}
    endpoints = [
        Endpoint(method, path, registered.get(_route(method, path), "")) for method, path in iter_endpoints(document)
    ]
    if not names:
        return endpoints
    chosen = []
    for name in names:
        operation = provider.operation(name)
        matches = [endpoint for endpoint in endpoints if endpoint.name == operation.name]
        if not matches:
            raise UsageError(
                f"operation {name!r} ({operation.label}) is not in the description {provider.spec}",
                key_path=("providers", provider.name, "operations", name),
            )
        chosen += matches
    return chosen


def is_allowed(endpoint: Endpoint, provider: Provider, allow_unsafe: bool) -> bool:
    """Only GET and HEAD reach a third-party provider unless unsafe methods are allowed explicitly."""
    return allow_unsafe or not provider.third_party or endpoint.method in SAFE_METHODS


@dataclass(frozen=True, slots=True)
class Credentials:
    """Headers to send, and the secrets they hold by environment variable name (to scrub them from output)."""

    headers: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)
    shown: Mapping[str, str] = field(default_factory=dict)  # header -> its curl argument naming the variables
    missing: tuple[str, ...] = ()  # variables the registry names that are not set, for a target that may need none


def _with_encoded(provider: Provider, secrets: Mapping[str, str], headers: Mapping[str, str]) -> dict[str, str]:
    """The secrets, plus the encoded Basic token, so that output masking finds the form that was sent."""
    if provider.auth.scheme != "basic":
        return dict(secrets)
    user, password = provider.auth.env[0], provider.auth.env[1]
    return {**secrets, f"{user}:{password}": headers["Authorization"].removeprefix("Basic ")}


def _shown_as_curl(provider: Provider) -> dict[str, str]:
    """How a reproduced request names its credentials: curl arguments with the variables, never the values."""
    auth = provider.auth
    if auth.scheme == "basic":
        return {"Authorization": f'-u "${auth.env[0]}:${auth.env[1]}"'}
    if auth.scheme == "bearer":
        return {"Authorization": f'-H "Authorization: Bearer ${auth.env[0]}"'}
    header = auth.header or "Authorization"
    return {header: f'-H "{header}: {auth.prefix}${auth.env[0]}"'}


def read_credentials(provider: Provider, environ: Mapping[str, str], *, required: bool = True) -> Credentials:
    """Build the provider's auth headers from the variables its registry entry names; a missing one is a usage
    error naming it when `required`, else it is reported in `missing` and no credential is sent."""
    auth = provider.auth
    if auth.scheme == "none":
        return Credentials()
    missing = missing_credentials(provider, environ)
    if missing and required:
        raise missing_credentials_error(provider, missing)
    if missing:
        return Credentials(missing=missing)
    secrets = {name: environ[name] for name in auth.env}
    headers, query = auth_headers(provider, secrets)  # the one credential builder
    if headers and not query:
        return Credentials(headers, _with_encoded(provider, secrets, headers), _shown_as_curl(provider))
    raise UsageError(
        f"contracts fuzz does not support {auth.scheme} auth (provider {provider.name!r})",
        key_path=("providers", provider.name, "auth", "scheme"),
    )


def mask_credentials(text: str, credentials: Credentials) -> str:
    """Replace every secret value in text with a reference to its environment variable: whole values only (a
    dummy credential `x` leaves "Expected" alone), in every encoding."""
    names = {name.lower(): name for name in credentials.secrets}

    def reference(key: str) -> str:  # `github_token-base64` → $GITHUB_TOKEN; a user:password pair → $CREDENTIALS
        name = key.split("-")[0]
        if ":" in name or key.endswith(("-basic", "-basic-urlsafe")):
            return "$CREDENTIALS"
        return f"${names.get(name, name.upper())}"

    text = mask_values(text, credentials.secrets, reference)
    for header, shown in credentials.shown.items():
        # schemathesis masks the header in curl commands; point it at the environment so the command runs as is.
        pattern = re.compile(rf"-H '{re.escape(header)}: \[Filtered\]'", re.IGNORECASE)
        text = pattern.sub(shown.replace("\\", "\\\\"), text)
    return text
