"""Options and helpers shared by the command modules."""

from __future__ import annotations

import os
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TypeVar

import click

from contractkit.core.files import check_destination, find_registry

if TYPE_CHECKING:
    from contractkit.core.model import Registry, Report

F = TypeVar("F", bound=Callable[..., object])


class ExitCode(IntEnum):
    """0: everything held; 1: a contract, check or gate failed; 2: bad input, usage or a bug."""

    OK = 0
    FAILED = 1
    ERROR = 2


_LEAVE_AT_ONCE: list[bool] = []  # set by a command whose work is done and whose every output is written and closed


def leave_at_once() -> None:
    """Say that the command's every output is written, flushed and closed and that it started nothing that must be
    stopped at exit, so the process may end without tearing down its heap (freeing the millions of objects a large
    recording and description make costs a tenth of a second or more, and nobody needs it). Only `run`, the
    console-script entry point, acts on it; a command run in-process (tests, the pytest plugin) returns as usual."""
    _LEAVE_AT_ONCE.append(True)


def may_leave_at_once() -> bool:
    """Whether the command that just ran said it may end without tearing down its heap (see leave_at_once)."""
    return bool(_LEAVE_AT_ONCE)


def registry_option(function: F) -> F:
    """`--registry PATH` (default: the nearest registry.yaml in the current folder or above, up to the repository root)."""
    return click.option(
        "--registry",
        "registry_path",
        type=click.Path(path_type=Path),
        default=find_registry,
        show_default=True,
        envvar="CONTRACTS_REGISTRY",
        help="The registry file.",
    )(function)


def format_option(*formats: str) -> Callable[[F], F]:
    """`--format` limited to the given formats; the first is the default."""
    choices = formats or ("text", "json", "junit", "markdown", "html")

    def decorate(function: F) -> F:
        return click.option(
            "--format",
            "output_format",
            type=click.Choice(choices),
            default=choices[0],
            show_default=True,
            help="How to print the result.",
        )(function)

    return decorate


def output_option(function: F) -> F:
    """`--output FILE`: write the report to a file (atomically) instead of standard output; a path that cannot be
    written is refused before the command does anything."""
    return click.option(
        "--output",
        "-o",
        "output_path",
        type=click.Path(path_type=Path),
        default=None,
        callback=_writable_output,
        help="Write the report to this file instead of standard output.",
    )(function)


def _writable_output(_: click.Context, __: click.Parameter, value: Path | None) -> Path | None:
    if value is not None:
        check_destination(value)
    return value


def open_registry(path: Path) -> Registry:
    """Load the registry named by --registry."""
    from contractkit.registry import load_registry

    return load_registry(path)


def masked(text: str) -> str:
    """A text about to be printed or written, with every credential masked: the values of the environment
    variables that hold credentials (in all their encodings), known credential formats, and secrets by name in
    URLs and `name=value` pairs. Every report and error message passes through here."""
    from contractkit.secrets import mask_text

    return mask_text(text, os.environ)


def emit(text: str, output_path: Path | None = None) -> None:
    """Print a rendered report, or write it to --output (atomically, or into a FIFO or device); credentials are
    masked either way. A failed write raises WriteError (exit 2) and leaves the old file as it was."""
    text = masked(text)
    if output_path is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from contractkit.core.files import write_text_atomic

    write_text_atomic(output_path, text)


def emit_report(report: Report, output_format: str, output_path: Path | None = None) -> int:
    """Render a report in the chosen format and return 1 when a check failed, else 0."""
    from contractkit.cli.sharding import stamp_report
    from contractkit.reports import render_report

    report = stamp_report(report)  # a shard's report says which shard of which command and run it is
    emit(render_report(report, output_format, color=output_path is None and _is_color_terminal()), output_path)
    return ExitCode.FAILED if report.failed else ExitCode.OK


def _is_color_terminal() -> bool:
    import sys

    if os.environ.get("NO_COLOR") or os.environ.get("CI"):
        return False
    return sys.stdout.isatty()
