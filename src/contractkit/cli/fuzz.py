"""`contracts fuzz`: schemathesis over every endpoint of a provider, with our error-format and consumer checks."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from contractkit.cli.common import ExitCode, emit_report, format_option, open_registry, output_option, registry_option
from contractkit.cli.sharding import shard_option

if TYPE_CHECKING:
    from contractkit.core.model import Registry
    from contractkit.core.shards import Shard
    from contractkit.fuzz import FuzzProgress

_BAR_WIDTH = 24


def _csv(_: click.Context, __: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(part.strip() for part in value.split(",") if part.strip())


@click.command("fuzz")
@registry_option
@click.option("--provider", "-p", required=True, help="The provider to fuzz.")
@click.option("--operation", "operations", multiple=True, help="Only this registered operation (repeatable).")
@click.option(
    "--base-url", default=None, help="Fuzz this running server instead of the registry's or a started process."
)
@click.option("--app", default=None, help="Fuzz an ASGI or WSGI app in process: module:attribute.")
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Seed for data generation (default: the registry's, else random and reported).",
)
@click.option(
    "--max-examples", type=click.IntRange(min=1), default=None, help="Generated examples per operation and phase."
)
@click.option(
    "--time-budget", type=click.FloatRange(min=1), default=None, help="Stop generating after this many seconds."
)
@click.option("--allow-unsafe", is_flag=True, help="Also send POST, PUT, PATCH, DELETE to a third-party provider.")
@click.option("--checks", callback=_csv, default=None, help="Comma-separated checks (default: all seven).")
@click.option(
    "--phases", callback=_csv, default=None, help="Comma-separated phases: examples,coverage,fuzzing,stateful."
)
@click.option("--corpus", "corpus_path", type=click.Path(path_type=Path), default=None, help="The failure corpus file.")
@click.option("--no-corpus", is_flag=True, help="Neither replay nor update the failure corpus.")
@click.option("--no-corpus-update", is_flag=True, help="Replay the corpus but do not add new failures to it.")
@click.option("--no-process", is_flag=True, help="Do not start the provider's registered process; use its base_url.")
@click.option("--quiet", "-q", is_flag=True, help="No progress display on standard error.")
@click.option(
    "--messages",
    "messages",
    is_flag=True,
    help="Fuzz the consumer's side instead: legal messages of the provider's descriptions, delivered to the "
    "handlers its contract names.",
)
@click.option("--handler", default=None, help="With --messages: the handler to deliver to (module:function).")
@shard_option("operations")
@format_option("text", "json", "junit", "markdown", "html")
@output_option
def fuzz_command(
    registry_path: Path,
    provider: str,
    operations: tuple[str, ...],
    base_url: str | None,
    app: str | None,
    seed: int | None,
    max_examples: int | None,
    time_budget: float | None,
    allow_unsafe: bool,
    checks: tuple[str, ...] | None,
    phases: tuple[str, ...] | None,
    corpus_path: Path | None,
    no_corpus: bool,
    no_corpus_update: bool,
    no_process: bool,
    quiet: bool,
    messages: bool,
    handler: str | None,
    shard: Shard | None,
    output_format: str,
    output_path: Path | None,
) -> int:
    """Fuzz every endpoint of a provider's OpenAPI description.

    Checks: not_a_server_error, status_code_conformance, content_type_conformance,
    response_schema_conformance, negative_data_rejection, error_format (4xx/5xx bodies match the
    registry's error schema) and consumer_compatibility (responses keep what the pacts expect).
    Saved failures are replayed first. Exit 0 when every check held, 1 when one failed, 2 on bad input.
    """
    from contractkit.core.model import Report
    from contractkit.core.shards import select_shard
    from contractkit.fuzz import ALL_CHECKS, DEFAULT_PHASES, FuzzOptions, fuzz_provider

    registry = open_registry(registry_path)
    if messages or handler:
        return _fuzz_messages(
            registry,
            provider,
            seed,
            max_examples,
            corpus_path,
            no_corpus,
            no_corpus_update,
            handler,
            output_format,
            output_path,
        )
    if shard is not None:
        operations = tuple(
            select_shard([op.name for op in registry.provider(provider).select_operations(operations)], shard)
        )
        if not operations:  # an empty shard fuzzes nothing (no operation would mean every operation)
            return emit_report(
                Report(f"contracts fuzz {provider}: no operation in shard {shard}", ()), output_format, output_path
            )
    options = FuzzOptions(
        operations=operations,
        base_url=base_url,
        app=app,
        seed=seed,
        max_examples=max_examples,
        time_budget=time_budget,
        allow_unsafe=allow_unsafe,
        checks=checks or ALL_CHECKS,
        phases=phases or DEFAULT_PHASES,
        use_corpus=not no_corpus,
        update_corpus=not no_corpus_update,
        corpus_path=corpus_path,
        start_process=not no_process,
    )
    display = None if quiet else _ProgressDisplay()
    try:
        run = fuzz_provider(registry, provider, options, on_progress=display)
    finally:
        if display is not None:
            display.close()
    if not quiet:
        click.echo(
            f"seed {run.seed}, target {run.target}, stopped: {run.stop_reason}; corpus: "
            f"{run.corpus_replayed} replayed, {run.corpus_added} added"
            + (f" ({run.corpus_path})" if run.corpus_path else ""),
            err=True,
        )
        for note in run.notes:
            click.echo(note, err=True)
    return ExitCode(emit_report(run.to_report(), output_format, output_path))


def _fuzz_messages(
    registry: Registry,
    provider: str,
    seed: int | None,
    max_examples: int | None,
    corpus_path: Path | None,
    no_corpus: bool,
    no_corpus_update: bool,
    handler: str | None,
    output_format: str,
    output_path: Path | None,
) -> int:
    """`contracts fuzz --messages`: the consumer's handlers against legal messages (fuzz/messages.py)."""
    from contractkit.fuzz import MessageFuzzOptions, fuzz_messages

    options = MessageFuzzOptions(
        max_examples=max_examples,
        seed=seed,
        corpus_path=corpus_path,
        use_corpus=not no_corpus,
        update_corpus=not no_corpus_update,
        handler=handler,
    )
    run = fuzz_messages(registry, provider, options)
    return ExitCode(emit_report(run.to_report(), output_format, output_path))


class _ProgressDisplay:
    """A one-line progress bar on a terminal; one line per finished scenario otherwise."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()
        self.shown = False

    def __call__(self, progress: FuzzProgress) -> None:
        filled = int(_BAR_WIDTH * progress.done / max(progress.total, 1))
        bar = "#" * filled + "." * (_BAR_WIDTH - filled)
        line = (
            f"[{bar}] {progress.done}/{progress.total} {progress.phase:<8} {progress.label[:48]:<48} "
            f"failures: {progress.failures}"
        )
        if self.live:
            click.echo("\r" + line, nl=False, err=True)
            self.shown = True
        else:
            click.echo(line, err=True)

    def close(self) -> None:
        if self.shown:
            click.echo("", err=True)


COMMANDS = [fuzz_command]
