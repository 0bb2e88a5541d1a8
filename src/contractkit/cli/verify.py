"""`contracts verify` (pacts, cassettes and pact-vs-OpenAPI) and `contracts validate --spec` (recordings)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import click

from contractkit.cli.broker import verify_options, verify_with_options
from contractkit.cli.common import (
    ExitCode,
    emit_report,
    format_option,
    leave_at_once,
    open_registry,
    output_option,
    registry_option,
)
from contractkit.cli.sharding import shard_option
from contractkit.core.errors import UsageError
from contractkit.core.limits import MAX_ERRORS_PER_RESPONSE
from contractkit.core.model import Report
from contractkit.core.shards import Shard, select_shard


@click.command("verify")
@registry_option
@click.option("--provider", "provider_names", multiple=True, help="A provider to verify (repeatable).")
@click.option("--all", "all_providers", is_flag=True, help="Verify every provider of the registry.")
@click.option(
    "--base-url",
    default=None,
    help="Verify against a live provider at this URL instead of its cassettes; "
    "credentials come from the environment variables the registry names.",
)
@click.option(
    "--start-process",
    is_flag=True,
    help="Start the provider's registered `process` on 127.0.0.1 and verify "
    "against it live, as with --base-url (stopped when the command ends).",
)
@click.option(
    "--allow-missing", is_flag=True, help="Skip, instead of failing, a provider that has a contract but no pact yet."
)
@click.option(
    "--allow-unsafe",
    is_flag=True,
    help="With --base-url: also send the interactions of operations the registry does not mark safe.",
)
@verify_options
@click.option(
    "--message-handler",
    "message_handler",
    default=None,
    help="Verify the consumers' message interactions live against this producer function (module:function), "
    "through pact-python's message verification.",
)
@shard_option("providers")
@format_option("text", "json", "junit", "markdown", "html")
@output_option
def verify_command(
    registry_path: Path,
    provider_names: tuple[str, ...],
    all_providers: bool,
    base_url: str | None,
    start_process: bool,
    allow_missing: bool,
    allow_unsafe: bool,
    message_handler: str | None,
    shard: Shard | None,
    output_format: str,
    output_path: Path | None,
    **recording: object,
) -> int:
    """Replay the pacts against the provider, validate its recorded responses, check the pacts against its OpenAPI;
    with --broker, the pacts the Pact Broker selects; with --record-results, record what held."""
    from contractkit.runtime import ProviderProcess
    from contractkit.verify import verify_registry

    if bool(provider_names) == all_providers:
        raise UsageError("name providers with --provider P, or pass --all (not both)")
    if base_url is not None and start_process:
        raise UsageError("give --base-url or --start-process, not both")
    if (base_url is not None or start_process) and (all_providers or len(provider_names) != 1):
        raise UsageError(
            f"{'--base-url' if base_url else '--start-process'} verifies one live provider: pass exactly one --provider"
        )
    registry = open_registry(registry_path)
    if message_handler is not None:  # live message verification against the provider's producer function
        from contractkit.verify import verify_message_producer

        if len(provider_names) != 1 or all_providers:
            raise UsageError("--message-handler verifies one provider's messages: pass exactly one --provider")
        report = verify_message_producer(registry, registry.provider(provider_names[0]), message_handler)
        return emit_report(report, output_format, output_path)
    providers = select_shard(registry.select_providers(provider_names), shard, key=lambda provider: provider.name)
    with ExitStack() as stack:
        if start_process:
            base_url = stack.enter_context(
                ProviderProcess(registry.provider(provider_names[0]), registry.root)
            ).base_url
        report = verify_with_options(
            registry,
            providers,
            lambda scoped: verify_registry(
                scoped, providers, base_url=base_url, allow_missing=allow_missing, allow_unsafe=allow_unsafe
            ),
            dict(recording),
        )
    return emit_report(report, output_format, output_path)


@click.command("validate")
@click.option(
    "--spec",
    "spec_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The OpenAPI 3 or Swagger 2.0 description (JSON or YAML) to validate against.",
)
@click.option(
    "--base-path",
    "base_paths",
    multiple=True,
    help="A path prefix the recorded requests carry in front of the description's paths (repeatable).",
)
@click.option(
    "--error-schema",
    "error_schema",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A JSON Schema every recorded 4xx/5xx JSON body must also fit (the provider's error format).",
)
@click.option(
    "--max-errors",
    type=click.IntRange(min=1),
    default=MAX_ERRORS_PER_RESPONSE,
    show_default=True,
    help="Schema errors listed per response; the rest are counted, not listed.",
)
@click.option(
    "--suggest-overlay",
    "overlay_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write quirks-overlay corrections, with their evidence, where most responses contradict the description.",
)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@shard_option("recording files")
@format_option("text", "json", "junit", "markdown", "html")
@output_option
def validate_command(
    spec_path: Path,
    base_paths: tuple[str, ...],
    error_schema: Path | None,
    max_errors: int,
    overlay_path: Path | None,
    files: tuple[Path, ...],
    shard: Shard | None,
    output_format: str,
    output_path: Path | None,
) -> int:
    """Validate recorded responses (vcrpy and Betamax cassettes, HAR files, folders of them) against an OpenAPI description."""
    from contractkit.reports import summarize
    from contractkit.validation import (
        explain_no_suggestion,
        iter_recording_paths,
        load_validator,
        suggest_corrections,
        validate_recordings,
        write_overlay_suggestions,
    )

    if shard is not None:
        files = tuple(select_shard(iter_recording_paths(files), shard))
        if not files:  # an empty shard validates nothing
            return emit_report(Report(f"validate: no recording in shard {shard}", ()), output_format, output_path)
    validator = load_validator(spec_path, base_paths=base_paths, max_errors=max_errors)
    report = validate_recordings(validator, files, error_schema=error_schema)
    if overlay_path is not None:
        suggestions = suggest_corrections(validator.document, report.results)
        if suggestions:
            write_overlay_suggestions(
                overlay_path,
                suggestions,
                reference=f"contracts validate --spec {spec_path}: "
                f"{len(files)} recording path(s), {summarize(report)['total']} checks",
            )
            click.echo(f"wrote {len(suggestions)} overlay suggestion(s) to {overlay_path}", err=True)
        else:
            click.echo(f"wrote nothing to {overlay_path}: {explain_no_suggestion(report.results)}", err=True)
    code = emit_report(report, output_format, output_path)
    leave_at_once()  # the report and any overlay are written (atomically) and closed; the processes have ended
    return code


COMMANDS = [verify_command, validate_command]
__all__ = ["COMMANDS", "ExitCode"]
