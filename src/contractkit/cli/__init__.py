"""The `contracts` command: a thin adapter over the library, and the only place that exits.

Each command group lives in its own module of this package and exposes `COMMANDS`, a list of
click commands; they are discovered here so that adding a command never touches another one.
Command modules import the engines inside their functions, so `contracts --help` stays fast.
"""

from __future__ import annotations

import importlib
import io
import os
import pkgutil
import signal
import sys
import traceback
from typing import Sequence

# jsonschema imports rfc3987_syntax, when installed, only to check the "iri" format, and that import compiles
# grammars for about 1.7 s. Response validation runs on jsonschema-rs, so the command's own process goes without it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

import click  # noqa: E402

from contractkit.cli.common import ExitCode, masked, may_leave_at_once  # noqa: E402
from contractkit.core.errors import ContractKitError  # noqa: E402


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="contractkit", prog_name="contracts")
def cli() -> None:
    """Consumer-driven contract testing driven by one registry.yaml."""


# Modules of this package that hold no command: the shared options, and the main job `contracts run` imports on use.
_NOT_COMMANDS = frozenset({"common", "pipeline"})


def _register_commands() -> None:
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name.startswith("_") or module_info.name in _NOT_COMMANDS:
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for command in getattr(module, "COMMANDS", ()):
            cli.add_command(command)


_register_commands()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code (0 held, 1 failed, 2 bad input or a bug)."""
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name="contracts", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        shown = io.StringIO()
        exc.show(file=shown)
        click.echo(masked(shown.getvalue()), err=True, nl=False)  # a usage error may quote a flag's value
        return ExitCode.ERROR
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        return ExitCode.ERROR
    except ContractKitError as exc:
        click.echo(masked(f"error: {exc.describe()}"), err=True)  # an error may quote a file's or a server's text
        return ExitCode.ERROR
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return ExitCode.ERROR
    except Exception:  # noqa: BLE001 - the last line of defence must catch everything
        click.echo(masked(traceback.format_exc()), err=True, nl=False)
        click.echo("error: this is a bug in contractkit; please report it with the traceback above", err=True)
        return ExitCode.ERROR
    return int(result or 0)


def run() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past a file-size limit a write fails (exit 2) instead of killing us
    code = main()
    if may_leave_at_once():
        _leave(code)
    sys.exit(code)


def _leave(code: int) -> None:
    """End the process now, its standard streams flushed first (a failed flush ends it the usual way instead)."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


__all__ = ["ExitCode", "cli", "main", "run"]
