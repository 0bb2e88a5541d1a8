"""`contracts verify` (pacts, cassettes and pact-vs-OpenAPI) and `contracts validate --spec` (recordings)."""

from __future__ import annotations

from pathlib import Path

import click

from contractkit.cli.common import ExitCode, emit_report, format_option, open_registry, output_option, registry_option


@click.command("verify")
@registry_option
@click.option("--provider", "provider_names", multiple=True, help="A provider to verify (repeatable).")
@click.option("--all", "all_providers", is_flag=True, help="Verify every provider of the registry.")
@click.option("--base-url", default=None, help="Verify against a live provider at this URL instead of its cassettes; "
              "credentials come from the environment variables the registry names.")
@format_option("text", "json", "junit", "markdown", "html")
@output_option
def verify_command(registry_path: Path, provider_names: tuple[str, ...], all_providers: bool, base_url: str | None,
                   output_format: str, output_path: Path | None) -> int:
    """Replay the pacts against the provider, validate its recorded responses, check the pacts against its OpenAPI."""
    from contractkit.core.errors import UsageError
    from contractkit.verify.verifier import verify_registry

    if bool(provider_names) == all_providers:
        raise UsageError("name providers with --provider P, or pass --all (not both)")
    if base_url is not None and (all_providers or len(provider_names) != 1):
        raise UsageError("--base-url verifies one live provider: pass exactly one --provider")
    registry = open_registry(registry_path)
    report = verify_registry(registry, registry.select_providers(provider_names), base_url=base_url)
    return emit_report(report, output_format, output_path)


@click.command("validate")
@click.option("--spec", "spec_path", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="The OpenAPI 3 or Swagger 2.0 description (JSON or YAML) to validate against.")
@click.option("--base-path", "base_paths", multiple=True,
              help="A path prefix the recorded requests carry in front of the description's paths (repeatable).")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option("text", "json", "junit", "markdown", "html")
@output_option
def validate_command(spec_path: Path, base_paths: tuple[str, ...], files: tuple[Path, ...], output_format: str,
                     output_path: Path | None) -> int:
    """Validate recorded responses (vcrpy cassettes, HAR files) against an OpenAPI description, no registry needed."""
    from contractkit.validation.recordings import validate_recordings

    report = validate_recordings(spec_path, files, base_paths=base_paths)
    return emit_report(report, output_format, output_path)


COMMANDS = [verify_command, validate_command]
__all__ = ["COMMANDS", "ExitCode"]
