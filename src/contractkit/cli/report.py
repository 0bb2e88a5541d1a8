"""`contracts report`: render saved JSON results in any format; `contracts report merge`: join the shards' results."""

from __future__ import annotations

from pathlib import Path

import click

from contractkit.cli.common import ExitCode, emit, emit_report, format_option, output_option


class _ReportGroup(click.Group):
    """`contracts report FILE...` renders; `contracts report merge FILE...` merges: a group with a default command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@click.group("report", cls=_ReportGroup)
def report_group() -> None:
    """Render saved results (`contracts ... --format json -o FILE`) as text, json, junit, markdown or html."""


@report_group.command("show")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@format_option("html", "text", "json", "junit", "markdown")
@output_option
def show_command(files: tuple[Path, ...], output_format: str, output_path: Path | None) -> int:
    """Render one or more saved JSON reports as one report (exit 0: rendering is not a verdict)."""
    from contractkit.reports import load_report, merge_reports, render_report

    reports = [load_report(path) for path in files]
    report = reports[0] if len(reports) == 1 else merge_reports(reports, names=[str(path) for path in files])
    emit(render_report(report, output_format), output_path)
    return ExitCode.OK


@report_group.command("merge")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--title", default=None, help="The merged report's title (default: the shards' common title).")
@format_option("text", "json", "junit", "markdown", "html")
@output_option
def merge_command(files: tuple[Path, ...], title: str | None, output_format: str, output_path: Path | None) -> int:
    """Join the JSON results of the shards of one run (--shard I/N), and the gate's or a diff's JSON, into one
    report and one exit code: 0 when every check held, 1 when one failed, 2 on a file that is not a JSON report or
    a set of shards that is incomplete (naming the missing shards), repeated or from two runs."""
    from contractkit.reports import load_report, merge_reports

    reports = [load_report(path) for path in files]
    merged = merge_reports(reports, title=title, names=[str(path) for path in files])
    return emit_report(merged, output_format, output_path)


COMMANDS = [report_group]
