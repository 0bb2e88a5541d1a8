"""`contracts init` and `contracts provider add`: from an empty repository to a green `contracts run`."""

from __future__ import annotations

from pathlib import Path

import click

from contractkit.cli.common import ExitCode, registry_option


@click.command("init")
@click.option("--consumer", default=None, help="The consumer's name (default: the folder's name).")
@click.option(
    "--install",
    "requirement",
    default=None,
    metavar="REQUIREMENT",
    help="What the CI workflow installs (default: this release of contractkit-cdc, pinned, or the "
    "repository and commit it was installed from).",
)
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default=Path("."))
def init_command(consumer: str | None, requirement: str | None, folder: Path) -> int:
    """Start a project: registry.yaml, contracts/ schemas/ cassettes/ pacts/, a CI workflow and a first test."""
    from contractkit.scaffold import init_project

    result = init_project(folder, consumer, requirement=requirement)
    for relative in result.written:
        click.echo(f"wrote {relative}")
    for relative in result.created:
        click.echo(f"created {relative}/")
    click.echo("next: contracts provider add NAME --from SPEC --operation 'GET /path'")
    return ExitCode.OK


@click.group("provider")
def provider_group() -> None:
    """Add providers to the registry."""


@provider_group.command("add")
@registry_option
@click.argument("name")
@click.option(
    "--from",
    "source",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The provider's published OpenAPI 3 or Swagger 2.0 document (JSON or YAML).",
)
@click.option(
    "--operation",
    "operations",
    multiple=True,
    required=True,
    metavar="'METHOD /path'",
    help="An operation the consumer calls, as in the document's paths; 'name=METHOD /path' names it (repeatable).",
)
@click.option("--base-url", default=None, help="The provider's base URL (default: the document's first server).")
def provider_add_command(
    registry_path: Path, name: str, source: Path, operations: tuple[str, ...], base_url: str | None
) -> int:
    """Register a provider: its slice, a contract skeleton that passes `contracts consumer`, and seeded cassettes."""
    from contractkit.scaffold import add_provider, parse_route

    added = add_provider(registry_path, name, source, [parse_route(text) for text in operations], base_url=base_url)
    root = registry_path.resolve().parent
    for path in added.written:
        click.echo(f"wrote {_relative(path, root)}")
    failed = [outcome for outcome in added.seeding.outcomes if outcome.outcome == "failed"]
    for outcome in failed:
        click.echo(f"seeding {outcome.operation} failed: {outcome.message}", err=True)
    click.echo("next: edit the contract to what your code reads, then `contracts run`")
    return ExitCode.FAILED if failed else ExitCode.OK


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


COMMANDS = [init_command, provider_group]
