"""`contracts run`: the main job over the whole registry, offline."""

from __future__ import annotations

from pathlib import Path

import click

from contractkit.cli.common import emit_report, format_option, open_registry, output_option, registry_option


@click.command("run")
@registry_option
@click.option("--provider", "provider_names", multiple=True, help="Limit the run to these providers (repeatable).")
@format_option("text", "json", "junit", "markdown", "html")
@output_option
@click.option("--quiet", "-q", is_flag=True, help="No progress lines on standard error.")
def run_command(
    registry_path: Path, provider_names: tuple[str, ...], output_format: str, output_path: Path | None, quiet: bool
) -> int:
    """Lint, run the consumer contracts, verify the pacts against the cassettes and validate every response."""
    from contractkit.cli.pipeline import run_main_job

    registry = open_registry(registry_path)
    progress = None if quiet else (lambda message: click.echo(f"» {message}", err=True))
    report = run_main_job(registry, provider_names, progress=progress)
    return emit_report(report, output_format, output_path)


COMMANDS = [run_command]
