"""Nothing accepted silently: unknown versions, rules that are not rules, an empty registry, malformed or escaping
descriptions and message interactions are refused by name (exit 2) or reported as not checked."""

from __future__ import annotations

import re
import socket
from collections import Counter
from pathlib import Path

import pytest

from tests.hardening.corpus import make_project
from tests.hardening.silent_corpus import CASES, SilentCase

_LOOPBACK = ("127.0.0.1", "localhost", "::1", "0.0.0.0")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Refuse name lookups of anything but loopback, and keep a list of what was asked for."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host is not None and str(host) not in _LOOPBACK:
            asked.append(str(host))
            raise socket.gaierror(f"the test allows no lookup of {host}")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def _error_paragraph(output: str) -> str:
    """The paragraph that starts with the first `error:` line (lint lists its problems after it)."""
    start = output.find("error:")
    return output[start:].split("\n\n", 1)[0].strip() if start >= 0 else ""


@pytest.mark.parametrize("case", [pytest.param(case, id=case.test_id) for case in CASES])
def test_silent_input(
    case: SilentCase, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch, no_network: list[str]
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    make_project(project)
    case.write(project)
    monkeypatch.chdir(project)
    monkeypatch.setenv("PACT_DO_NOT_TRACK", "true")
    code, out, err = run_cli(*case.command)
    output = out + err
    assert "Traceback" not in output and "this is a bug" not in output, output[-3000:]
    assert not no_network, f"looked up {no_network}"
    assert code in case.codes, f"exit {code}, expected one of {case.codes}:\n{output[-3000:]}"
    for pattern in case.expect:
        assert re.search(pattern, output), f"expected /{pattern}/ in:\n{output[-3000:]}"
    if code == 2:
        paragraph = _error_paragraph(output)
        assert paragraph and len(paragraph) < 2000 and len(output) < 20_000, output[-3000:]


def test_the_corpus_covers_every_part_with_held_out_cases() -> None:
    parts = Counter(case.part for case in CASES)
    held_out = Counter(case.part for case in CASES if case.held_out)
    assert len(CASES) >= 50
    assert set(parts) == {
        "pact-version",
        "cassette-version",
        "matching-rules",
        "empty-providers",
        "openapi-structure",
        "external-ref",
        "messages",
    }
    assert set(held_out) == set(parts)
    assert len({case.test_id for case in CASES}) == len(CASES)
