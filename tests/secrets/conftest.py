"""Fixtures for the secret tests: the planting server on 127.0.0.1 and the in-process CLI."""

from __future__ import annotations

from typing import Callable, Iterator

import pytest
from plant_support import PlantServer


@pytest.fixture
def plant_server() -> Iterator[PlantServer]:
    """The planting server on a free loopback port, stopped after the test."""
    with PlantServer() as server:
        yield server


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `contracts ...` in-process; returns (exit code, stdout, stderr)."""
    from contractkit.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
