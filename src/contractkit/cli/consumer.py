"""`contracts consumer`: run the contract interactions through the Pact mock server and write pacts."""

from __future__ import annotations

from pathlib import Path

import click

from contractkit.cli.common import emit_report, format_option, open_registry, output_option, registry_option
from contractkit.cli.sharding import shard_option
from contractkit.core.shards import Shard


@click.command("consumer")
@registry_option
@click.option("--provider", "-p", "providers", multiple=True, help="Only this provider (repeatable; default: all).")
@click.option(
    "--pacts",
    "pacts_path",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write pacts to this folder instead of the registry's.",
)
@shard_option("providers")
@format_option("text", "json", "junit", "markdown", "html")
@output_option
def consumer_command(
    registry_path: Path,
    providers: tuple[str, ...],
    pacts_path: Path | None,
    shard: Shard | None,
    output_format: str,
    output_path: Path | None,
) -> int:
    """Replay every contract interaction against a Pact mock server and write pacts/<consumer>-<provider>.json.

    Each interaction's own request is sent to the mock, so a contract that contradicts itself fails,
    and each example response is checked against the provider's response schema. A provider's pact
    is written only when all of its interactions hold. Exit 0 when all hold, 1 when one failed,
    2 on a malformed contract file, an unknown operation or matcher.
    """
    from contractkit.consumer import run_consumer
    from contractkit.core.model import Report
    from contractkit.core.shards import select_shard

    registry = open_registry(registry_path)
    names = select_shard([provider.name for provider in registry.select_providers(providers)], shard)
    if names:
        report = run_consumer(registry, names, pacts=pacts_path)
    else:  # an empty shard runs nothing (an empty selection would mean every provider)
        report = Report(f"consumer contracts of {registry.consumer}", ())
    return emit_report(report, output_format, output_path)


COMMANDS = [consumer_command]
