"""`contracts list`, `contracts lint`, `contracts schemas import` and `contracts specs check|list`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from contractkit.cli.common import ExitCode, emit, format_option, open_registry, output_option, registry_option

if TYPE_CHECKING:
    from contractkit.core.model import Registry


@click.command("list")
@registry_option
@format_option("text", "json", "junit", "markdown", "html")
@output_option
def list_command(registry_path: Path, output_format: str, output_path: Path | None) -> int:
    """Providers, operations, and which artifacts exist for each (contract, schema, cassette, pact)."""
    from contractkit.registry import describe_registry
    from contractkit.reports import render_inventory

    registry = open_registry(registry_path)
    emit(render_inventory(describe_registry(registry), output_format), output_path)
    return ExitCode.OK


@click.command("lint")
@registry_option
@format_option("text", "json", "junit", "markdown", "html")
@output_option
def lint_command(registry_path: Path, output_format: str, output_path: Path | None) -> int:
    """Validate registry.yaml and every file it points to; exit 2 naming the file and key path."""
    from contractkit.registry import lint_as_report, lint_registry
    from contractkit.reports import render_lint, render_report

    registry = open_registry(registry_path)
    result = lint_registry(registry)
    if output_format in ("text", "json"):
        emit(render_lint(result, output_format), output_path)
    else:
        emit(render_report(lint_as_report(result), output_format), output_path)
    return ExitCode.ERROR if result.errors else ExitCode.OK


@click.group("schemas")
def schemas_group() -> None:
    """Work with the OpenAPI slices of the registry's providers."""


@schemas_group.command("import")
@registry_option
@click.option("--provider", "provider_name", required=True, help="The provider whose operations to slice.")
@click.option(
    "--from",
    "source",
    default=None,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The provider's official OpenAPI 3 or Swagger 2.0 document (JSON or YAML); with --messages, the packed "
    "npm package of its message schemas (npm pack).",
)
@click.option("--keep-examples", is_flag=True, help="Keep the vendor's examples in the slice.")
@click.option(
    "--messages",
    is_flag=True,
    help="Regenerate the JSON Schemas of the provider's messages from their message_source (an npm package given "
    "with --from, or the Python library's models: the `events` extra).",
)
@output_option
def import_command(
    registry_path: Path,
    provider_name: str,
    source: Path | None,
    keep_examples: bool,
    messages: bool,
    output_path: Path | None,
) -> int:
    """Cut the registered operations, with every $ref they need, out of an official document."""
    from contractkit.core.errors import UsageError
    from contractkit.core.files import write_json_atomic
    from contractkit.openapi import import_message_schemas, import_spec_slice

    registry = open_registry(registry_path)
    provider = registry.provider(provider_name)
    if messages:
        for written, schema in import_message_schemas(provider, source).items():
            write_json_atomic(written, schema)
            click.echo(f"wrote {registry.relative(written)}: {schema['x-provenance']}")
        return ExitCode.OK
    if source is None:
        raise UsageError("pass --from with the provider's official document")
    sliced = import_spec_slice(provider, source, keep_examples=keep_examples)
    target = output_path or provider.spec
    if target is None:
        raise UsageError(f"provider {provider_name!r} has no 'spec' in {registry_path}; add one or pass --output")
    write_json_atomic(target, sliced)
    counts = ", ".join(f"{len(entries)} {section}" for section, entries in sliced.get("components", {}).items())
    click.echo(f"wrote {registry.relative(target)}: {len(provider.operations)} operations, {counts or 'no components'}")
    return ExitCode.OK


@click.group("specs")
def specs_group() -> None:
    """Watch the providers' vendor documents for changes a consumer would observe."""


@specs_group.command("check")
@registry_option
@click.option(
    "--provider",
    "provider_names",
    multiple=True,
    help="Only this provider (repeatable). With --from: the provider the document describes (default: the "
    "one whose registered operations it has).",
)
@click.option(
    "--from",
    "source",
    default=None,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The vendor's newer OpenAPI 3 or Swagger 2.0 document (JSON or YAML). Without it, every provider "
    "whose spec_source.url names its vendor document is watched: each document is fetched and checked.",
)
@click.option("--update", is_flag=True, help="Re-import the slice from the document after reporting.")
@format_option("text", "json", "markdown", "junit", "html")
@output_option
def specs_check_command(
    registry_path: Path,
    provider_names: tuple[str, ...],
    source: Path | None,
    update: bool,
    output_format: str,
    output_path: Path | None,
) -> int:
    """Compare slices with newer vendor documents: exit 1 when a consumer observes a breaking change, 2 when a
    document cannot be fetched or read (the others are still checked and reported)."""
    from contractkit.core.errors import UsageError
    from contractkit.diff import watch_provider, write_slice
    from contractkit.reports import render_report

    registry = open_registry(registry_path)
    if source is None:
        return _check_watched_sources(registry, provider_names, update, output_format, output_path)
    if len(provider_names) > 1:
        raise UsageError("with --from, name at most one --provider: the one the document describes")
    watch = watch_provider(registry, provider_names[0] if provider_names else None, source)
    emit(render_report(watch.to_report(), output_format), output_path)
    if update:
        written = write_slice(watch)
        click.echo(f"wrote {registry.relative(written)} from {source}", err=True)
    return ExitCode.FAILED if watch.failed else ExitCode.OK


def _check_watched_sources(
    registry: Registry, names: tuple[str, ...], update: bool, output_format: str, output_path: Path | None
) -> int:
    """The scheduled watch: fetch every watched provider's vendor document and check it against the slice."""
    import tempfile

    from contractkit.core.errors import UsageError
    from contractkit.diff import sources_report, watch_sources, watched_sources, write_slice
    from contractkit.reports import render_report

    sources = watched_sources(registry, names)
    if not sources:
        raise UsageError(
            f"no provider of {registry.path.name} names its vendor document, so there is nothing to watch",
            hint="add spec_source.url (the vendor's published OpenAPI or Swagger document) to a provider",
        )
    with tempfile.TemporaryDirectory(prefix="contracts-specs-") as folder:
        outcomes = watch_sources(registry, sources, Path(folder))
    emit(render_report(sources_report(outcomes), output_format), output_path)
    for outcome in outcomes:
        if outcome.error:
            click.echo(f"error: {outcome.source.provider}: {outcome.error}", err=True)
        elif update and outcome.watch is not None:
            written = write_slice(outcome.watch)
            click.echo(f"wrote {registry.relative(written)} from {outcome.source.url}", err=True)
    if any(outcome.error for outcome in outcomes):
        return ExitCode.ERROR
    return (
        ExitCode.FAILED
        if any(outcome.watch is not None and outcome.watch.failed for outcome in outcomes)
        else ExitCode.OK
    )


@specs_group.command("list")
@registry_option
@format_option("text", "json")
@output_option
def specs_list_command(registry_path: Path, output_format: str, output_path: Path | None) -> int:
    """The providers the spec watch checks: each one's vendor document URL and slice."""
    import json

    from contractkit.diff import watched_sources

    registry = open_registry(registry_path)
    sources = watched_sources(registry)
    rows = [
        {
            "provider": item.provider,
            "url": item.url,
            "slice": registry.relative(item.slice_path) if item.slice_path else "",
            "document": item.document,
        }
        for item in sources
    ]
    if output_format == "json":
        emit(json.dumps({"registry": registry.path.name, "watched": rows}, indent=2) + "\n", output_path)
        return ExitCode.OK
    width = max((len(row["provider"]) for row in rows), default=0)
    lines = [f"{row['provider']:<{width}}  {row['url']}  -> {row['slice']}" for row in rows]
    emit("\n".join([*lines, f"{len(rows)} providers watched"]) + "\n", output_path)
    return ExitCode.OK


COMMANDS = [list_command, lint_command, schemas_group, specs_group]
