"""Errors are masked like reports: a bad-input message, a usage error and a bug's traceback may quote a file
name, a flag's value or a server's text holding a credential; none of them prints it."""

from __future__ import annotations

from pathlib import Path

import pytest

TOKEN = "ghp_" + "Zq7Lx3Tv0Nw5KpYc7HdJ2mF9sBa4Ge1Rt8Uo"


def test_a_bad_input_error_masks_the_runs_credential(tmp_path: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("NOTES_TOKEN", "q8Zr3LxT0vNw5KpYc7HdJ2mF9sBa4Ge1")
    code, out, err = run_cli("lint", "--registry", str(tmp_path / "q8Zr3LxT0vNw5KpYc7HdJ2mF9sBa4Ge1.yaml"))
    assert code == 2 and "file not found" in err
    assert "q8Zr3LxT0vNw5KpYc7HdJ2mF9sBa4Ge1" not in out + err and "<scrubbed:notes_token>" in err
    assert str(tmp_path) in err  # the path around it stays readable


def test_a_usage_error_masks_a_credential_format(run_cli) -> None:
    code, out, err = run_cli("verify", f"--{TOKEN}")
    assert code == 2 and "No such option" in err and "Usage:" in err
    assert TOKEN not in out + err


def test_a_bugs_traceback_is_masked(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import contractkit.cli.registry as registry_commands

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError(f"unexpected answer carrying {TOKEN}")

    monkeypatch.setattr(registry_commands, "open_registry", broken)
    code, out, err = run_cli("lint")
    assert code == 2 and "this is a bug" in err and "RuntimeError" in err
    assert TOKEN not in out + err
