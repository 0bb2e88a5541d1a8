"""The `contracts` command: a thin adapter over the library, and the only place that exits.

Each command group lives in its own module of this package and exposes `COMMANDS`, a list of
click commands; they are discovered here so that adding a command never touches another one.
Command modules import the engines inside their functions, so `contracts --help` stays fast, and a command
is looked up in the module named like it first (`contracts fuzz` imports cli/fuzz.py and no other command
module); every module is imported only for a command that lives elsewhere, and for the command list.
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

from contractkit import __version__  # noqa: E402
from contractkit.cli.common import ExitCode, masked, may_leave_at_once  # noqa: E402
from contractkit.core.errors import ContractKitError  # noqa: E402

# Modules of this package that hold no command: the shared options, and the main job `contracts run` imports on use.
_NOT_COMMANDS = frozenset({"common", "pipeline"})


class _CommandModules(click.Group):
    """The top-level group: its commands are registered from their modules when first looked up."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _command_modules():
            _register(cmd_name)  # the module named like the command, which is where most commands live
        if cmd_name not in self.commands:
            _register_all()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        _register_all()
        return super().list_commands(ctx)


@click.group(cls=_CommandModules, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(version=__version__, prog_name="contracts")  # no lookup of a distribution by name
def cli() -> None:
    """Consumer-driven contract testing driven by one registry.yaml."""


def _command_modules() -> list[str]:
    """The modules of this package that may hold commands, in file-name order."""
    return [
        info.name
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_") and info.name not in _NOT_COMMANDS
    ]


def _register(module_name: str) -> None:
    """Add the commands one module of this package exposes in COMMANDS (again is a no-op)."""
    module = importlib.import_module(f"{__name__}.{module_name}")
    for command in getattr(module, "COMMANDS", ()):
        cli.add_command(command)


def _register_all() -> None:
    for module_name in _command_modules():
        _register(module_name)


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
