"""The fuzz failure corpus: every failure found, saved as a request that reproduces it, replayed first next time.

One JSON file per provider (default `fuzz/<provider>.corpus.json` next to the registry):

    {"format": "contractkit-fuzz-corpus", "version": 1, "provider": "inventory",
     "cases": [{"key": "...", "operation": "GET /items/{item_id}", "check": "error_format", "code": "CK806",
                "title": "...", "seed": 1234, "found": "2026-11-22T04:30:00Z", "status_code": 404,
                "request": {"method": "GET", "path_parameters": {"item_id": 0}, "query": {}, "headers": {},
                            "cookies": {}, "media_type": null, "body": ...},
                "curl": "curl -X GET ..."}]}

A case is identified by operation, check, failure title and signature (what tells apart two problems a check
reports under one title, such as the schema path of a schema violation), so a corpus keeps one reproduction per
distinct problem instead of growing with every run. Credentials are never stored: the fuzzer drops
the auth header and anything carrying a secret before a case gets here.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from contractkit.core.errors import ContractKitError
from contractkit.core.files import write_json_atomic
from contractkit.core.loading import parse_json, read_text

FORMAT = "contractkit-fuzz-corpus"
VERSION = 1


class CorpusError(ContractKitError):
    """A corpus file cannot be read."""


@dataclass(frozen=True, slots=True)
class CorpusRequest:
    """The concrete request of one case, as the operation's parameters (not a URL), so it replays on any base URL."""

    method: str
    path_parameters: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    cookies: Mapping[str, Any] = field(default_factory=dict)
    media_type: str | None = None
    body: Any = None
    has_body: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data; bytes bodies are stored as base64."""
        data: dict[str, Any] = {
            "method": self.method,
            "path_parameters": dict(self.path_parameters),
            "query": dict(self.query),
            "headers": dict(self.headers),
            "cookies": dict(self.cookies),
            "media_type": self.media_type,
        }
        if self.has_body:
            if isinstance(self.body, (bytes, bytearray)):
                data["body_base64"] = base64.b64encode(bytes(self.body)).decode("ascii")
            else:
                data["body"] = self.body
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CorpusRequest:
        """Read what to_dict wrote."""
        has_body = "body" in data or "body_base64" in data
        body = base64.b64decode(data["body_base64"]) if "body_base64" in data else data.get("body")
        return cls(
            method=str(data["method"]),
            path_parameters=dict(data.get("path_parameters") or {}),
            query=dict(data.get("query") or {}),
            headers=dict(data.get("headers") or {}),
            cookies=dict(data.get("cookies") or {}),
            media_type=data.get("media_type"),
            body=body,
            has_body=has_body,
        )


@dataclass(frozen=True, slots=True)
class CorpusCase:
    """One saved failure: what failed, on which operation, and the request that showed it."""

    operation: str
    check: str
    code: str
    title: str
    request: CorpusRequest
    seed: int | None = None
    found: str = ""
    status_code: int | None = None
    curl: str = ""
    signature: str = ""

    @property
    def key(self) -> str:
        """Identity of the problem (operation, check, title, signature): one case per distinct failure."""
        parts = (self.operation, self.check, self.title) + ((self.signature,) if self.signature else ())
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data, key first."""
        return {
            "key": self.key,
            "operation": self.operation,
            "check": self.check,
            "code": self.code,
            "title": self.title,
            "signature": self.signature,
            "seed": self.seed,
            "found": self.found,
            "status_code": self.status_code,
            "request": self.request.to_dict(),
            "curl": self.curl,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CorpusCase:
        """Read what to_dict wrote."""
        return cls(
            operation=str(data["operation"]),
            check=str(data["check"]),
            code=str(data.get("code", "")),
            title=str(data.get("title", "")),
            request=CorpusRequest.from_dict(data["request"]),
            seed=data.get("seed"),
            found=str(data.get("found", "")),
            status_code=data.get("status_code"),
            curl=str(data.get("curl", "")),
            signature=str(data.get("signature", "") or ""),
        )


@dataclass(frozen=True, slots=True)
class Corpus:
    """All saved cases of one provider."""

    provider: str
    cases: tuple[CorpusCase, ...] = ()

    def merged(self, new_cases: Iterable[CorpusCase]) -> tuple[Corpus, int]:
        """This corpus plus the cases whose key it does not hold yet, and how many were added."""
        known = {case.key for case in self.cases}
        added: list[CorpusCase] = []
        for case in new_cases:
            if case.key not in known:
                known.add(case.key)
                added.append(case)
        return Corpus(self.provider, self.cases + tuple(added)), len(added)

    def to_dict(self) -> dict[str, Any]:
        """The file's JSON data."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "provider": self.provider,
            "cases": [case.to_dict() for case in self.cases],
        }


def load_corpus(path: Path, provider: str) -> Corpus:
    """Read a corpus file; a missing file is an empty corpus, a broken one raises CorpusError naming it."""
    if not path.exists():
        return Corpus(provider)
    data = parse_json(read_text(path, CorpusError), CorpusError, display=str(path))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CorpusError(f'not a fuzz corpus (expected "format": "{FORMAT}")', file=path, key_path=("format",))
    cases = []
    for index, raw in enumerate(data.get("cases") or []):
        try:
            cases.append(CorpusCase.from_dict(raw))
        except (KeyError, TypeError, ValueError) as exc:
            raise CorpusError(f"malformed case ({exc!r})", file=path, key_path=("cases", index)) from exc
    return Corpus(str(data.get("provider") or provider), tuple(cases))


def save_corpus(path: Path, corpus: Corpus) -> None:
    """Write the corpus atomically."""
    write_json_atomic(path, corpus.to_dict())
