"""`contracts record`, `contracts rerecord`, `contracts replay` and `contracts drift`: cassettes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from contractkit.cli.common import (
    ExitCode,
    emit,
    emit_report,
    format_option,
    open_registry,
    output_option,
    registry_option,
)
from contractkit.core.limits import MAX_CONNECTIONS

if TYPE_CHECKING:
    from contractkit.core.model import Report


@click.command(
    "record",
    epilog="""\b
Seeding (--from-spec) answers with every value the contract's example response gives (text, numbers, nulls,
arrays, nested objects) and sends its path and query parameters; --param is needed only to differ from it:
  --param incident_id=PT4KHLK         a path or query parameter, echoed by the response's fields of that name
  --param '$.status=resolved'         a response field, as text
  --param '$.tags=["a","b"]'          a JSON array or object is JSON
  --param '$.count=3'                 JSON where the seeded field holds a number, boolean or null
  --param '$.owner:=null'             := is always JSON (--param '$.id:="42"' for the text 42)
  --param '$.user=#/components/schemas/User'   an instance of that schema""",
)
@registry_option
@click.option("--provider", "provider_name", required=True, help="The provider whose cassettes to record.")
@click.option("--operation", "operation_names", multiple=True, help="Only this operation (repeatable).")
@click.option("--live", is_flag=True, help="Call the provider at its base URL with credentials from the environment.")
@click.option("--moto", is_flag=True, help="AWS: start a moto server on 127.0.0.1 and record from it.")
@click.option(
    "--events",
    is_flag=True,
    help="Record the provider's messages (S3 notifications through SQS and SNS) into cassettes/<provider>/events/: "
    "with --moto, or from the endpoint --base-url names.",
)
@click.option(
    "--webhooks", is_flag=True, help="Listen on 127.0.0.1 (--port) and record the webhook deliveries that arrive."
)
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="With --webhooks: the port to listen on.")
@click.option("--count", type=click.IntRange(min=1), default=None, help="With --webhooks: stop after this many.")
@click.option("--timeout", type=click.FloatRange(min=0), default=None, help="With --webhooks: stop after seconds.")
@click.option(
    "--event-file",
    "event_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Import this JSON or YAML payload as a recorded event of --message (repeatable).",
)
@click.option("--message", "message_name", default=None, help="With --event-file: the registered message.")
@click.option(
    "--from-spec",
    "spec",
    type=click.Path(path_type=Path),
    default=None,
    help="Seed cassettes from the examples of this OpenAPI/Swagger document ('botocore' for AWS).",
)
@click.option("--base-url", default=None, help="Record from this URL instead of the registry's base_url.")
@click.option(
    "--no-process", is_flag=True, help="With --live: do not start the provider's registered process; call its base_url."
)
@click.option("--allow-unsafe", is_flag=True, help="Also send operations the registry does not mark safe.")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send nothing, write nothing.")
@click.option("--budget", type=click.IntRange(min=1), default=None, help="Most requests this run may send.")
@click.option("--force", is_flag=True, help="With --from-spec: replace recorded (live, moto, local) cassettes too.")
@click.option(
    "--state",
    "state_name",
    default=None,
    help="With --from-spec: seed the cassette variant of this provider state (<cassettes>/states/<slug>/).",
)
@click.option(
    "--param",
    "state_params",
    multiple=True,
    metavar="NAME=VALUE",
    help="With --from-spec: a path or query parameter (echoed by the response), or a response field as "
    "$.path=VALUE, JSON values included (examples below); with --state for that state's variant, else "
    "for the provider's cassettes; overrides the contract's example (repeatable).",
)
@format_option("text", "json", "markdown", "junit", "html")
@output_option
def record_command(
    registry_path: Path,
    provider_name: str,
    operation_names: tuple[str, ...],
    live: bool,
    moto: bool,
    events: bool,
    webhooks: bool,
    port: int,
    count: int | None,
    timeout: float | None,
    event_files: tuple[Path, ...],
    message_name: str | None,
    spec: Path | None,
    base_url: str | None,
    no_process: bool,
    allow_unsafe: bool,
    dry_run: bool,
    budget: int | None,
    force: bool,
    state_name: str | None,
    state_params: tuple[str, ...],
    output_format: str,
    output_path: Path | None,
) -> int:
    """(Re-)record cassettes: live, from moto, or seeded from a spec; per operation recorded/unchanged/drifted/failed.

    Live, a provider with a registered `process` is started on 127.0.0.1 for the run (unless --base-url or
    --no-process); with --moto, actions moto does not implement are seeded from botocore's output shapes."""
    from contractkit.core.errors import UsageError
    from contractkit.recording import RecordOptions, record_cassettes

    if events or webhooks or event_files:
        report = _record_events(
            registry_path, provider_name, moto, base_url, webhooks, port, count, timeout, event_files, message_name
        )
        return _emit_record_report(report, output_format, output_path)
    modes = [name for name, chosen in (("live", live), ("moto", moto), ("spec", spec is not None)) if chosen]
    if len(modes) != 1:
        raise UsageError("choose where to record from: exactly one of --live, --moto or --from-spec SPEC")
    registry = open_registry(registry_path)
    source = "local" if live and _is_loopback(base_url or registry.provider(provider_name).base_url) else "live"
    options = RecordOptions(
        allow_unsafe=allow_unsafe,
        dry_run=dry_run,
        budget=budget,
        base_url=base_url,
        source=source,
        environ=dict(os.environ),
        start_process=not no_process,
    )
    report = record_cassettes(
        registry,
        provider_name,
        operation_names,
        mode=modes[0],
        options=options,
        spec=Path("botocore") if spec is not None and str(spec) == "botocore" else spec,
        force=force,
        state=_seed_state(state_name, state_params),
    )
    return _emit_record_report(report, output_format, output_path)


def _record_events(
    registry_path: Path,
    provider_name: str,
    moto: bool,
    base_url: str | None,
    webhooks: bool,
    port: int,
    count: int | None,
    timeout: float | None,
    event_files: tuple[Path, ...],
    message_name: str | None,
) -> Report:
    """Record a provider's messages into its event cassettes: webhooks, S3 notifications, or files."""
    from contractkit.core.errors import UsageError
    from contractkit.recording import import_event_files, receive_webhooks, record_s3_events

    provider = open_registry(registry_path).provider(provider_name)
    if event_files:
        if not message_name:
            raise UsageError("--event-file needs --message: the registered message the files are events of")
        return import_event_files(provider, message_name, event_files, environ=dict(os.environ))
    if webhooks:
        say = lambda text: click.echo(text, err=True)  # noqa: E731
        return receive_webhooks(provider, port=port, count=count, timeout=timeout, environ=dict(os.environ), say=say)
    if moto == (base_url is not None):
        raise UsageError("--events records from a moto server: pass exactly one of --moto or --base-url URL")
    return record_s3_events(provider, base_url, environ=dict(os.environ))


def _emit_record_report(report: Report, output_format: str, output_path: Path | None) -> int:
    """Render with the findings listed in Markdown too; 1 when a recording failed or drift breaks a contract."""
    from contractkit.reports import render_record_report

    if output_format != "markdown":
        return emit_report(report, output_format, output_path)
    emit(render_record_report(report, output_format), output_path)
    return ExitCode.FAILED if report.failed else ExitCode.OK


def _seed_state(name: str | None, params: tuple[str, ...]) -> object:
    """The provider state a seeded variant stands for, from --state and --param NAME=VALUE; None with neither.
    --param without --state shapes the provider's own seeded cassettes (`--param '$.id=cus_1'`)."""
    from contractkit.core.errors import UsageError
    from contractkit.recording import SeedState

    if name is None and not params:
        return None
    pairs = []
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--param {item!r} is not NAME=VALUE")
        pairs.append((key, value))
    return SeedState(name or "", tuple(pairs))


def _is_loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1")


@click.command("rerecord")
@registry_option
@click.option("--provider", "provider_names", multiple=True, help="Only this provider (repeatable; default all).")
@click.option("--allow-unsafe", is_flag=True, help="Also send operations the registry does not mark safe.")
@click.option("--budget", type=click.IntRange(min=1), default=None, help="Most requests per provider.")
@format_option("markdown", "text", "json", "junit", "html")
@output_option
def rerecord_command(
    registry_path: Path,
    provider_names: tuple[str, ...],
    allow_unsafe: bool,
    budget: int | None,
    output_format: str,
    output_path: Path | None,
) -> int:
    """The scheduled re-record as one command: record every provider whose credentials are set (starting those with
    a registered `process`), report drift; an unchanged answer rewrites nothing."""
    from contractkit.recording import rerecord

    registry = open_registry(registry_path)
    report = rerecord(registry, provider_names, dict(os.environ), allow_unsafe=allow_unsafe, budget=budget)
    return _emit_record_report(report, output_format, output_path)


@click.command(
    "replay",
    epilog=(
        f"Connections: at most {MAX_CONNECTIONS:,} are served at a time (fewer if the open-file limit allows fewer than "
        f"twice that; the soft limit is raised to the hard one at start); a burst beyond the cap waits in a queue, "
        f"bounded by the open-file limit, and is served as slots free. Past that bound a connection is answered 503."
    ),
)
@registry_option
@click.option("--provider", "provider_name", required=True, help="The provider whose cassettes to serve.")
@click.option(
    "--port",
    type=click.IntRange(min=0, max=65535),
    default=0,
    show_default=True,
    help="Port on 127.0.0.1 (0: a free one).",
)
@click.option(
    "--cassettes",
    "folder",
    type=click.Path(path_type=Path),
    default=None,
    help="Serve this folder instead of the provider's cassettes.",
)
@click.option(
    "--faults",
    default="",
    help="Fault injection, e.g. 'latency=200ms,throttle=0.1,retry_after=2,errors=0.05,status=503,reset=0.01,seed=7'.",
)
def replay_command(registry_path: Path, provider_name: str, port: int, folder: Path | None, faults: str) -> int:
    """Serve a provider's cassettes on 127.0.0.1 until Ctrl-C (unmatched requests get a JSON 501 naming the closest).

    Provider states the Pact way: give a Pact verifier the printed state-change URL (POST {"state", "params",
    "action"}); while a state is set up its cassette variant (<cassettes>/states/<slug>/) answers first, and with
    none set up only the default cassettes answer. A port in use is exit 2. Malformed or oversized requests are
    refused (400, 413, 431), slow ones cut off (408).
    """
    from contractkit.cassettes import Faults, ReplayServer, raise_open_file_limit

    raise_open_file_limit()  # one descriptor per connection: a burst of a thousand needs more than the usual 1,024
    registry = open_registry(registry_path)
    provider = registry.provider(provider_name)
    server = ReplayServer(folder, provider=provider, faults=Faults.from_text(faults), port=port)
    try:  # Ctrl-C may come as soon as the address is printed: everything after start() is inside the try
        server.start()
        click.echo(
            f"replaying {len(server.interactions)} interaction(s) of {provider.name} at {server.url} (Ctrl-C to stop)",
            err=True,
        )
        click.echo(
            f"provider states ({len(server.variants)} with a cassette variant): state-change URL "
            f"{server.state_change_url}",
            err=True,
        )
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    stats = server.stats
    click.echo(
        f"served {stats.served} request(s), {stats.unmatched} unmatched, {stats.rejected} refused, "
        f"{stats.timed_out} timed out",
        err=True,
    )
    return ExitCode.OK


@click.command("drift")
@registry_option
@click.option(
    "--provider",
    "provider_name",
    default=None,
    help="Check the new cassettes against this provider's registered schema and pact.",
)
@click.argument("old", type=click.Path(path_type=Path, exists=True))
@click.argument("new", type=click.Path(path_type=Path, exists=True))
@format_option("text", "json", "markdown", "junit", "html")
@output_option
def drift_command(
    registry_path: Path, provider_name: str | None, old: Path, new: Path, output_format: str, output_path: Path | None
) -> int:
    """Shape drift between two cassette files or folders; exit 1 when the new ones break a schema or pact."""
    from contractkit.recording import drift_report

    registry = open_registry(registry_path) if provider_name else None
    report = drift_report(old, new, registry, provider_name)
    return _emit_record_report(report, output_format, output_path)


@click.command("scan")
@registry_option
@click.option("--provider", "provider_names", multiple=True, help="Only this provider (repeatable; default all).")
@format_option("text", "json", "markdown", "junit", "html")
@output_option
def scan_command(
    registry_path: Path, provider_names: tuple[str, ...], output_format: str, output_path: Path | None
) -> int:
    """Scan the cassettes for secrets (token shapes, keys, and the credentials set in the environment); exit 1 on any."""
    from contractkit.recording import scan_cassettes

    registry = open_registry(registry_path)
    return emit_report(scan_cassettes(registry, provider_names, dict(os.environ)), output_format, output_path)


COMMANDS = [record_command, rerecord_command, replay_command, drift_command, scan_command]
