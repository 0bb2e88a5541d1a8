"""Scanning finished cassettes for secrets."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping

from contractkit.core.model import CheckResult, Finding, Report, Severity, Status
from contractkit.core.auth import credentials
from contractkit.recording.plan import scrub_rules
from contractkit.cassettes import SECRET_FOUND
from contractkit.cassettes.scrub import find_secrets

def cassette_texts(path: Path) -> list[str]:
    """A cassette file as text, URL-decoded, and with every binary (base64) value decoded."""
    from urllib.parse import unquote_plus

    import yaml

    raw = path.read_bytes().decode("utf-8", "replace")
    texts = [raw, unquote_plus(raw)]
    try:
        from vcr.serializers.yamlserializer import deserialize

        stack: list[Any] = [deserialize(raw)]
    except (yaml.YAMLError, ValueError):
        return texts
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, bytes):
            texts.append(value.decode("utf-8", "replace"))
        elif hasattr(value, "getvalue"):
            texts.append(value.getvalue().decode("utf-8", "replace"))
    return texts


def scan_cassettes(registry: Any, provider_names: Iterable[str], environ: Mapping[str, str]) -> Report:
    """CK320 for every cassette that still holds a value-shaped secret or a credential from the environment."""

    results = []
    for provider in registry.select_providers(provider_names):
        rules = scrub_rules(provider, credentials(provider, environ, required=False))
        folder = provider.cassettes
        for path in sorted(folder.rglob("*.yaml")) if folder and folder.is_dir() else ():
            names = sorted({name for text in cassette_texts(path) for name in find_secrets(text, rules)})
            findings = tuple(Finding(SECRET_FOUND, Severity.ERROR, f"secret in cassette: {name}", str(path),
                                     provider.name, path.stem) for name in names)
            results.append(CheckResult(check="secrets", provider=provider.name, operation=path.stem,
                                       interaction=path.name, status=Status.FAILED if findings else Status.PASSED,
                                       message=", ".join(names) or "no secret found", findings=findings))
    return Report(title="contracts scan", results=tuple(results))
