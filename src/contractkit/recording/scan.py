"""Scanning finished cassettes and pacts for secrets, with the same detector and structural pass that scrubs them.

A cassette is read only with the project's safe loader; each secret is reported with its file, line and kind
(the field, header or parameter name, the credential format, or the environment variable it came from), never
its value. CK320: a secret was found; CK321: a cassette could not be read, so it could not be scanned.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from contractkit.cassettes import EVENTS_FOLDER, Cassette, parse_cassette
from contractkit.core.auth import credentials
from contractkit.core.codes import Code
from contractkit.core.errors import CassetteError
from contractkit.core.loading import SourceDocument, parse_source
from contractkit.core.model import CheckResult, Finding, Provider, Report, Severity, Status
from contractkit.recording.plan import scrub_rules
from contractkit.secrets import ScrubRules, batch_secrets, find_value_secrets

__all__ = ["iter_cassette_secrets", "iter_text_secrets", "scan_cassettes"]

_INTERACTION_START = re.compile(r"^-\s+request:", re.MULTILINE)


def iter_cassette_secrets(path: Path, rules: ScrubRules) -> Iterator[tuple[int | None, str]]:
    """(line, kind) of every secret in a cassette; raises CassetteError when it cannot be read safely."""
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError as exc:
        raise CassetteError(f"cannot read cassette ({exc})", file=path) from exc
    cassette = parse_cassette(text, path)
    document = _line_map(text, path)
    starts = [text.count("\n", 0, found.start()) + 1 for found in _INTERACTION_START.finditer(text)]
    seen: set[tuple[int | None, str]] = set()
    # a large cassette is judged on every usable core (secrets/batch.py), its interactions' findings kept in order
    for index, found in enumerate(batch_secrets(cassette.interactions, rules)):
        for where, kind in found:
            line = _line_of(document, ("interactions", index, *_cassette_key(where)), starts, index)
            if (line, kind) not in seen:
                seen.add((line, kind))
                yield line, kind
    yield from _metadata_secrets(cassette, document, rules)


def _cassette_key(where: tuple[str, ...]) -> tuple[str, ...]:
    return (*where, "string") if where == ("response", "body") else where


def _line_of(document: SourceDocument | None, key_path: tuple[Any, ...], starts: list[int], index: int) -> int | None:
    if document is not None:
        return document.line_of(key_path)
    return starts[index] if index < len(starts) else None


def _line_map(text: str, path: Path) -> SourceDocument | None:
    try:
        return parse_source(text, path, CassetteError)
    except CassetteError:  # python-tagged bodies of older vcrpy: lines come from the interaction starts
        return None


def _metadata_secrets(
    cassette: Cassette, document: SourceDocument | None, rules: ScrubRules
) -> Iterator[tuple[int | None, str]]:
    # judged by its structure, as the recorder judges it: `Key: SERVICE` in an AWS call's parameters is a field
    # named key holding a plain word, not the assignment `"Key": "SERVICE"` a text scan would read
    for kind in find_value_secrets(cassette.metadata, rules):
        yield (document.line_of(("metadata",)) if document else None), kind


def iter_text_secrets(text: str, rules: ScrubRules) -> Iterator[tuple[int, str]]:
    """(line, kind) of every secret in a text file such as a pact: credential formats and literal credentials
    (not the generic `Bearer x` shape, which contract examples use with placeholder values)."""
    detector = rules.detector.without_generic()
    for number, line in enumerate(text.splitlines(), 1):
        for kind in detector.kinds(line):
            yield number, kind


def scan_cassettes(registry: Any, provider_names: Iterable[str], environ: Mapping[str, str]) -> Report:
    """CK320 for every cassette or pact that still holds a secret, with file, line and kind; CK321 for a
    cassette that cannot be read safely."""
    results: list[CheckResult] = []
    for provider in registry.select_providers(provider_names):
        rules = scrub_rules(provider, credentials(provider, environ, required=False))
        folder = provider.cassettes
        for path in sorted(folder.rglob("*")) if folder and folder.is_dir() else ():
            if path.suffix in (".yaml", ".yml", ".json") and path.is_file() and not path.name.startswith("."):
                is_events = path.relative_to(folder).parts[0] == EVENTS_FOLDER  # recorded messages: read as text
                results.append(
                    _scan_text(provider, path, rules, "events") if is_events else _scan_cassette(provider, path, rules)
                )
        pact = registry.pact_file(provider.name)
        if pact is not None and Path(pact).is_file():
            results.append(_scan_pact(provider, Path(pact), rules))
    return Report(title="contracts scan", results=tuple(results))


def _scan_cassette(provider: Provider, path: Path, rules: ScrubRules) -> CheckResult:
    try:
        found = list(iter_cassette_secrets(path, rules))
    except CassetteError as exc:
        finding = Finding(
            Code.UNREADABLE, Severity.ERROR, f"not scanned: {exc.describe()}", str(path), provider.name, path.stem
        )
        return CheckResult(
            check="secrets",
            provider=provider.name,
            operation=path.stem,
            interaction=path.name,
            status=Status.FAILED,
            message=finding.message,
            findings=(finding,),
        )
    return _row(provider, path, path.stem, found, "cassette")


def _scan_pact(provider: Provider, path: Path, rules: ScrubRules) -> CheckResult:
    return _scan_text(provider, path, rules, "pact")


def _scan_text(provider: Provider, path: Path, rules: ScrubRules, what: str) -> CheckResult:
    """A pact or an event cassette, scanned line by line as text."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise CassetteError(f"cannot read the {what} ({exc})", file=path) from exc
    return _row(provider, path, path.stem if what == "events" else "", list(iter_text_secrets(text, rules)), what)


def _row(provider: Provider, path: Path, operation: str, found: list[tuple[Any, str]], what: str) -> CheckResult:
    findings = tuple(
        Finding(
            Code.SECRET_FOUND,
            Severity.ERROR,
            f"secret in {what}: {kind}",
            f"{path}:{line}" if line else str(path),
            provider.name,
            operation,
        )
        for line, kind in found
    )
    kinds = sorted({kind for _, kind in found})
    return CheckResult(
        check="secrets",
        provider=provider.name,
        operation=operation or path.stem,
        interaction=path.name,
        status=Status.FAILED if findings else Status.PASSED,
        message=", ".join(kinds) or "no secret found",
        findings=findings,
    )
