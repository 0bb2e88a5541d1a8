"""The Pact Broker client: HAL navigation from the index resource, authentication, TLS, timeouts and retries.

Every resource is reached by its relation, starting at the index (`GET /`): a path the index provides is never
written here, so a broker mounted under a prefix, or one whose links point at another host, works as it is.
The one exception is the matrix (`/matrix`), which the index does not link and every Pact client addresses by
path. Credentials come from the environment (`PACT_BROKER_TOKEN`, or `PACT_BROKER_USERNAME` and
`PACT_BROKER_PASSWORD`), go into the Authorization header only and are masked in every message.

    client = BrokerClient(BrokerSettings.from_environ("https://broker.example", os.environ))
    url = client.relation("pb:publish-contracts")
    client.send("POST", url, body, relation="pb:publish-contracts")
"""

from __future__ import annotations

import base64
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

import requests

from contractkit.core.errors import ContractKitError
from contractkit.core.loading import parse_json_value
from contractkit.secrets import mask_text

__all__ = [
    "CREDENTIAL_VARIABLES",
    "BrokerClient",
    "BrokerError",
    "BrokerSettings",
    "HalResource",
    "expand",
    "mapping",
]

# The variables a broker's credentials come from; registered with the masking of every message and report.
TOKEN_VARIABLE = "PACT_BROKER_TOKEN"
USERNAME_VARIABLE = "PACT_BROKER_USERNAME"
PASSWORD_VARIABLE = "PACT_BROKER_PASSWORD"
CREDENTIAL_VARIABLES = (TOKEN_VARIABLE, PASSWORD_VARIABLE)
HAL = "application/hal+json"
_RETRIED_STATUS = frozenset({429, 500, 502, 503, 504})
_TEMPLATE = re.compile(r"\{(\w+)\}")


class BrokerError(ContractKitError):
    """A broker request failed: names the relation or request, the URL, and what came back."""


@dataclass(frozen=True, slots=True)
class BrokerSettings:
    """Where the broker is and how to talk to it (credentials are read from the environment, never printed)."""

    url: str
    token: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: Path | None = None
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5

    @classmethod
    def from_environ(
        cls, url: str, environ: Mapping[str, str], *, ca_file: Path | None = None, **options: Any
    ) -> BrokerSettings:
        """Settings for `url` with the credentials the environment holds (token first, else basic)."""
        if not re.match(r"^https?://", url or ""):
            raise BrokerError(f"--broker {url!r}: expected an http:// or https:// URL of a Pact Broker")
        username = environ.get(USERNAME_VARIABLE) or None
        password = environ.get(PASSWORD_VARIABLE) or None
        if bool(username) != bool(password):
            missing = PASSWORD_VARIABLE if username else USERNAME_VARIABLE
            raise BrokerError(f"{missing} is not set: basic authentication needs both a username and a password")
        if ca_file is not None and not ca_file.is_file():
            raise BrokerError(f"{ca_file}: CA bundle not found", hint="pass a PEM file with --ca-file")
        token = environ.get(TOKEN_VARIABLE) or None
        return cls(url.rstrip("/") + "/", token, username, password, ca_file, **options)

    def headers(self) -> dict[str, str]:
        """The Authorization header the credentials give (none without credentials)."""
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.username and self.password:
            pair = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            return {"Authorization": f"Basic {pair}"}
        return {}


@dataclass(frozen=True, slots=True)
class HalResource:
    """A HAL document the broker returned, and the URL it came from."""

    url: str
    data: Mapping[str, Any]

    def links(self, relation: str) -> list[Mapping[str, Any]]:
        """Every link of a relation (a HAL relation holds one link or a list of them)."""
        found = (self.data.get("_links") or {}).get(relation)
        if isinstance(found, Mapping):
            return [found]
        return [item for item in found if isinstance(item, Mapping)] if isinstance(found, list) else []

    def href(self, relation: str, *, name: str | None = None) -> str | None:
        """The href of a relation (the link with `name`, when given), made absolute; None when it is absent."""
        for link in self.links(relation):
            if name is None or link.get("name") == name:
                href = link.get("href")
                return urljoin(self.url, href) if isinstance(href, str) else None
        return None

    def embedded(self, key: str) -> list[Mapping[str, Any]]:
        """The embedded resources under `key` (one or a list)."""
        found = (self.data.get("_embedded") or {}).get(key)
        if isinstance(found, Mapping):
            return [found]
        return [item for item in found if isinstance(item, Mapping)] if isinstance(found, list) else []


def mapping(value: Any) -> Mapping[str, Any]:
    """A JSON value read as an object: itself when it is one, else an empty one (a broker may leave keys out)."""
    return value if isinstance(value, Mapping) else {}


def expand(href: str, values: Mapping[str, str]) -> str:
    """A templated href with its `{name}` placeholders filled in (each value URL-encoded)."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise BrokerError(f"{href}: the link needs a value for {{{name}}}")
        return quote(str(values[name]), safe="")

    return _TEMPLATE.sub(fill, href)


class BrokerClient:
    """Talks to one Pact Broker: reads the index once, follows relations, retries what can be retried."""

    def __init__(
        self,
        settings: BrokerSettings,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.session = session or requests.Session()
        # Proxies and CA bundles of the environment apply; a ~/.netrc entry never replaces the broker's credentials.
        self.session.auth = _as_sent
        self.sleep = sleep
        self._index: HalResource | None = None

    def index(self) -> HalResource:
        """The broker's index resource (read once)."""
        if self._index is None:
            self._index = self.get(self.settings.url, relation="index")
        return self._index

    def relation(self, relation: str, values: Mapping[str, str] | None = None) -> str:
        """The URL of an index relation, its template filled in; BrokerError when the index lacks it."""
        href = self.index().href(relation)
        if href is None:
            raise BrokerError(
                f"the broker's index at {self.settings.url} has no {relation!r} relation",
                hint="the broker may be older than this feature, or the URL may not be a Pact Broker",
            )
        return expand(href, values or {})

    def has_relation(self, relation: str) -> bool:
        """True when the index offers the relation."""
        return self.index().href(relation) is not None

    def get(self, url: str, *, relation: str, params: Sequence[tuple[str, str]] = ()) -> HalResource:
        """GET a HAL resource."""
        return self._resource("GET", url, relation, params=params)

    def send(self, method: str, url: str, body: Any, *, relation: str) -> HalResource:
        """POST, PUT or PATCH a JSON body; the broker's answer (an empty document when it sent none)."""
        return self._resource(method, url, relation, body=body)

    def _resource(self, method: str, url: str, relation: str, **options: Any) -> HalResource:
        response = self._request(method, url, relation, **options)
        if not response.content:
            return HalResource(response.url or url, {})
        try:
            data = parse_json_value(response.content)
        except ValueError as exc:
            raise self._error(method, url, relation, f"the answer is not JSON ({exc})") from exc
        if not isinstance(data, Mapping):
            raise self._error(method, url, relation, f"expected a JSON object, got {type(data).__name__}")
        return HalResource(response.url or url, data)

    def _request(self, method: str, url: str, relation: str, **options: Any) -> requests.Response:
        attempt = 0
        while True:
            try:
                response = self._send_once(method, url, options)
            except requests.RequestException as exc:
                if attempt >= self.settings.retries or isinstance(exc, requests.exceptions.SSLError):
                    raise self._error(method, url, relation, f"{type(exc).__name__}: {exc}") from exc
            else:
                if response.status_code not in _RETRIED_STATUS or attempt >= self.settings.retries:
                    return self._checked(response, method, url, relation)
            self.sleep(self.settings.backoff * 2**attempt)
            attempt += 1

    def _send_once(self, method: str, url: str, options: Mapping[str, Any]) -> requests.Response:
        headers = {"Accept": HAL, **self.settings.headers()}
        if "body" in options:
            headers["Content-Type"] = "application/json"
        return self.session.request(
            method,
            url,
            params=list(options.get("params", ())) or None,
            json=options.get("body"),
            headers=headers,
            timeout=self.settings.timeout,
            verify=str(self.settings.ca_file) if self.settings.ca_file else True,
            allow_redirects=True,
        )

    def _checked(self, response: requests.Response, method: str, url: str, relation: str) -> requests.Response:
        if response.status_code < 400:
            return response
        detail = _problem(response)
        raise self._error(method, url, relation, f"HTTP {response.status_code}" + (f": {detail}" if detail else ""))

    def _error(self, method: str, url: str, relation: str, problem: str) -> BrokerError:
        text = f"{relation} ({method} {url}): {problem}"
        return BrokerError(mask_text(text, os.environ, CREDENTIAL_VARIABLES))


def _as_sent(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """The request as built: its Authorization header is the one the settings gave (an auth that changes nothing)."""
    return request


def _problem(response: requests.Response) -> str:
    """What a failed answer says, in one short line (errors, a message, or the start of the text)."""
    try:
        data = parse_json_value(response.content) if response.content else None
    except ValueError:
        data = None
    if isinstance(data, Mapping):
        for key in ("errors", "message", "error", "title"):
            if data.get(key):
                return _one_line(data[key])
    return _one_line(response.text[:200]) if response.text else ""


def _one_line(value: Any) -> str:
    if isinstance(value, Mapping):
        value = "; ".join(f"{key}: {_one_line(item)}" for key, item in value.items())
    elif isinstance(value, list):
        value = "; ".join(_one_line(item) for item in value)
    return " ".join(str(value).split())[:300]
