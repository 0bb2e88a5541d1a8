"""`contracts diff OLD NEW` and `contracts gate --base REF`."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from contractkit.cli.common import (
    ExitCode,
    emit,
    format_option,
    open_registry,
    output_option,
    registry_option,
)
from contractkit.core.errors import UsageError

if TYPE_CHECKING:
    from contractkit.diff import DiffOptions

_SOURCE_HELP = "a file (OpenAPI 3.0/3.1, Swagger 2.0 or JSON Schema, JSON or YAML) or git:REF:path"


def _in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _emit_with_annotations(text: str, annotations: str, output_format: str, output_path: Path | None) -> None:
    """Print the report; inside GitHub Actions also the annotations, kept out of a machine-readable stdout."""
    if annotations and (output_path is not None or output_format in ("text", "markdown")):
        click.echo(annotations, nl=False)
    elif annotations:
        click.echo(annotations, nl=False, err=True)
    emit(text, output_path)


def _local_file(source: str) -> str:
    return "" if source.startswith("git:") else source


def _lines_of(source: str) -> dict[str, int] | None:
    """JSON pointer -> line of a local description, so annotations land on the right line."""
    from contractkit.diff import line_map

    if source.startswith("git:"):
        return None
    path = Path(source)
    return line_map(path.read_text(encoding="utf-8"), path)


def _list_rules(context: click.Context, _: click.Parameter, value: bool) -> None:
    from contractkit.diff import RULES

    if not value or context.resilient_parsing:
        return
    click.echo("\n".join(f"{rule.code}  {rule.id:<52} {rule.level:<9} {rule.explanation}" for rule in RULES.values()))
    context.exit(ExitCode.OK)


def _options(registry_path: Path | None, lenient: bool, today: str | None) -> DiffOptions:
    """Levels from the registry's gate.levels (when a registry is named), leniency and the day sunsets are judged on."""
    from contractkit.diff import DiffOptions, check_levels

    levels: dict[str, str] = {}
    if registry_path is not None:
        registry = open_registry(registry_path)
        levels = check_levels(dict(registry.settings.gate.levels), display=str(registry_path))
    day = None
    if today is not None:
        try:
            day = dt.date.fromisoformat(today)
        except ValueError as exc:
            raise UsageError(f"--today: expected a date as YYYY-MM-DD, got {today!r}") from exc
    return DiffOptions(levels=levels, today=day, lenient=lenient)


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--list-rules",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_list_rules,
    help="Print every rule: code (for ledger entries), id, default level and what it means; then exit.",
)
@format_option("text", "json", "markdown", "junit", "html")
@click.option(
    "--level",
    "minimum",
    type=click.Choice(["breaking", "warning", "info"]),
    default="info",
    show_default=True,
    help="Show changes at this level and above.",
)
@click.option(
    "--direction",
    type=click.Choice(["response", "request"]),
    default="response",
    show_default=True,
    help="For two plain JSON Schemas: read them as what a client receives (response) or sends (request).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "warning"]),
    default="breaking",
    show_default=True,
    help="Exit 1 on breaking changes only, or on warnings too.",
)
@click.option(
    "--registry",
    "registry_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Take rule levels from this registry's gate.levels (rule-id: breaking|warning|info|off).",
)
@click.option(
    "--lenient",
    is_flag=True,
    help="Diff a description with misplaced $refs anyway (reported as notes) instead of refusing it.",
)
@click.option("--today", default=None, metavar="YYYY-MM-DD", help="Judge sunset dates as of this day (default: today).")
@click.option(
    "--expand",
    is_flag=True,
    help="Name every operation a change reaches, and in JSON every occurrence (operation, location, message); "
    "by default each distinct change names a few and counts the rest (JSON: an index into `reaches`).",
)
@output_option
def diff_command(
    old: str,
    new: str,
    output_format: str,
    minimum: str,
    direction: str,
    fail_on: str,
    registry_path: Path | None,
    lenient: bool,
    today: str | None,
    expand: bool,
    output_path: Path | None,
) -> int:
    """Breaking changes from OLD to NEW, each a file or git:REF:path.

    Exit 0 when nothing breaks, 1 on a breaking change, 2 when an input cannot be read or is not valid.
    """
    from contractkit.diff import Level, diff_sources
    from contractkit.reports import diff_rows, render_annotations, render_diff

    result = diff_sources(old, new, direction=direction, options=_options(registry_path, lenient, today))
    for note in result.notes:
        click.echo(f"warning: {note}", err=True)
    annotations = ""
    if _in_github_actions():
        annotations = render_annotations(diff_rows(result, file=_local_file(new), lines=_lines_of(new)))
    _emit_with_annotations(
        render_diff(result, output_format, minimum=Level(minimum), expand=expand),
        annotations,
        output_format,
        output_path,
    )
    failing = result.breaking or (fail_on == "warning" and result.count(Level.WARNING) > 0)
    return ExitCode.FAILED if failing else ExitCode.OK


@click.command("gate")
@registry_option
@click.option("--base", required=True, help="The git ref to compare the working tree with, e.g. origin/main.")
@format_option("text", "json", "markdown", "junit", "html")
@click.option("--show-info", is_flag=True, help="Also list informational changes (additions and the like).")
@output_option
def gate_command(registry_path: Path, base: str, output_format: str, show_info: bool, output_path: Path | None) -> int:
    """The CI gate: diff every registered description changed since --base, check every pact, apply the ledger.

    Exit 1 when a change blocks (the consumer depends on it, or gate.unused_breaking is block), a pact no
    longer fits the new description, or a ledger entry that accepted a change has expired; 2 on bad input.
    Rule levels come from gate.levels.
    """
    from contractkit.diff import run_gate
    from contractkit.reports import gate_rows, render_annotations, render_gate

    result = run_gate(open_registry(registry_path), base)
    annotations = render_annotations(gate_rows(result)) if _in_github_actions() else ""
    _emit_with_annotations(
        render_gate(result, output_format, show_info=show_info), annotations, output_format, output_path
    )
    return ExitCode.FAILED if result.failed else ExitCode.OK


COMMANDS = [diff_command, gate_command]
