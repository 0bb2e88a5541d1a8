"""`contracts list`, `contracts lint` and `contracts schemas import`."""

from __future__ import annotations

from pathlib import Path

import click

from contractkit.cli.common import ExitCode, emit, format_option, open_registry, output_option, registry_option


@click.command("list")
@registry_option
@format_option("text", "json", "junit", "markdown", "html")
@output_option
def list_command(registry_path: Path, output_format: str, output_path: Path | None) -> int:
    """Providers, operations, and which artifacts exist for each (contract, schema, cassette, pact)."""
    from contractkit.registry.inventory import describe_registry, render_inventory

    registry = open_registry(registry_path)
    emit(render_inventory(describe_registry(registry), output_format), output_path)
    return ExitCode.OK


@click.command("lint")
@registry_option
@format_option("text", "json", "junit", "markdown", "html")
@output_option
def lint_command(registry_path: Path, output_format: str, output_path: Path | None) -> int:
    """Validate registry.yaml and every file it points to; exit 2 naming the file and key path."""
    from contractkit.registry.lint import lint_as_report, lint_registry, render_lint
    from contractkit.reports import render_report

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
@click.option("--from", "source", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The provider's official OpenAPI 3 or Swagger 2.0 document (JSON or YAML).")
@click.option("--keep-examples", is_flag=True, help="Keep the vendor's examples in the slice.")
@output_option
def import_command(registry_path: Path, provider_name: str, source: Path, keep_examples: bool, output_path: Path | None) -> int:
    """Cut the registered operations, with every $ref they need, out of an official document."""
    from contractkit.core.errors import UsageError
    from contractkit.core.files import write_json_atomic
    from contractkit.openapi.documents import import_spec_slice

    registry = open_registry(registry_path)
    provider = registry.provider(provider_name)
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
@click.option("--provider", "provider_name", default=None,
              help="The provider the document describes (default: the one whose registered operations it has).")
@click.option("--from", "source", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The vendor's newer OpenAPI 3 or Swagger 2.0 document (JSON or YAML).")
@click.option("--update", is_flag=True, help="Re-import the slice from the document after reporting.")
@format_option("text", "json", "markdown", "junit", "html")
@output_option
def specs_check_command(registry_path: Path, provider_name: str | None, source: Path, update: bool,
                        output_format: str, output_path: Path | None) -> int:
    """Compare a provider's slice with a newer vendor document: exit 1 when a consumer observes a breaking change."""
    from contractkit.reports import render_report
    from contractkit.specwatch import watch_provider, write_slice

    registry = open_registry(registry_path)
    watch = watch_provider(registry, provider_name, source)
    emit(render_report(watch.to_report(), output_format), output_path)
    if update:
        written = write_slice(watch)
        click.echo(f"wrote {registry.relative(written)} from {source}", err=True)
    return ExitCode.FAILED if watch.failed else ExitCode.OK


COMMANDS = [list_command, lint_command, schemas_group, specs_group]
