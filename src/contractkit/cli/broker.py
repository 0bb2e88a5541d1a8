"""`contracts broker publish|environments|create-environment|record-release`, `contracts can-i-deploy` and
`contracts record-deployment` (with a Pact Broker, or offline from git), and the broker options that
`contracts verify --broker` shares.

Exit codes as Pact users know them: can-i-deploy exits 0 when the versions can be deployed and 1 when they
cannot (or the answer stayed unknown); `--dry-run` always exits 0. Bad input and a broker that cannot be reached
exit 2, with an error naming the relation or request that failed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import click

from contractkit.cli.common import ExitCode, emit, output_option
from contractkit.core.errors import UsageError

if TYPE_CHECKING:
    from contractkit.broker import BrokerClient, BrokerPact, DeployAnswer
    from contractkit.core.model import Provider, Registry, Report

F = TypeVar("F", bound=Callable[..., object])

__all__ = ["COMMANDS", "broker_options", "open_broker"]

_BROKER_OPTIONS = ("broker_url", "ca_file", "broker_timeout", "broker_retries", "retry_backoff")


def broker_options(required: bool) -> Callable[[F], F]:
    """`--broker URL` (PACT_BROKER_BASE_URL), `--ca-file`, `--broker-timeout`, `--broker-retries`, `--retry-backoff`.
    Credentials are never options: PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD."""

    def decorate(function: F) -> F:
        options = [
            click.option(
                "--broker",
                "broker_url",
                required=required,
                envvar="PACT_BROKER_BASE_URL",
                metavar="URL",
                help="The Pact Broker's base URL (PACT_BROKER_BASE_URL). Credentials come from PACT_BROKER_TOKEN, "
                "or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD, and are never printed.",
            ),
            click.option(
                "--ca-file",
                type=click.Path(path_type=Path, dir_okay=False),
                envvar="PACT_BROKER_CA_FILE",
                default=None,
                help="A PEM bundle of the CA that signed the broker's certificate (PACT_BROKER_CA_FILE).",
            ),
            click.option(
                "--broker-timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, help="Seconds."
            ),
            click.option(
                "--broker-retries",
                type=click.IntRange(min=0),
                default=3,
                show_default=True,
                help="Retries of a request that met a 5xx answer or a connection error.",
            ),
            click.option(
                "--retry-backoff",
                type=click.FloatRange(min=0),
                default=0.5,
                show_default=True,
                help="Seconds before the first retry; doubled for each next one.",
            ),
        ]
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


def open_broker(options: dict[str, Any]) -> BrokerClient:
    """The broker client the broker options describe (the options are taken out of `options`)."""
    from contractkit.broker import BrokerClient, BrokerSettings

    url, ca_file, timeout, retries, backoff = (options.pop(name, None) for name in _BROKER_OPTIONS)
    settings = BrokerSettings.from_environ(
        str(url), os.environ, ca_file=ca_file, timeout=timeout or 30.0, retries=retries or 0, backoff=backoff or 0.0
    )
    return BrokerClient(settings)


def _git_default(value: str | None, root: Path) -> str:
    """The version given, else the commit checked out in `root`."""
    from contractkit.broker import current_commit

    return value or current_commit(root)


@click.group("broker")
def broker_group() -> None:
    """The Pact Broker: publish pacts, environments, releases (see also can-i-deploy, record-deployment and
    `contracts verify --broker`)."""


@broker_group.command("publish")
@click.argument("pacts", nargs=-1, type=click.Path(path_type=Path))
@click.option("--consumer-app-version", "version", default=None, help="The consumer version (default: git HEAD).")
@click.option("--branch", default=None, help="The consumer version's branch (default: the git branch).")
@click.option("--tag", "tags", multiple=True, help="A tag for the consumer version (repeatable).")
@click.option("--build-url", default=None, envvar="BUILD_URL", help="The CI build that published the pacts.")
@broker_options(required=True)
def publish_command(pacts: tuple[Path, ...], version: str | None, branch: str | None, tags: tuple[str, ...],
                    build_url: str | None, **options: Any) -> int:  # fmt: skip
    """Publish pact files (or every pact of the given folders; default: pacts/) for one consumer version."""
    from contractkit.broker import current_branch, publish_pacts, read_pact_to_publish

    files = _pact_files(pacts or (Path("pacts"),))
    client = open_broker(options)
    outcome = publish_pacts(
        client,
        [read_pact_to_publish(path) for path in files],
        version=_git_default(version, Path.cwd()),
        branch=branch or current_branch(Path.cwd()),
        tags=tags,
        build_url=build_url,
    )
    lines = [f"published {len(outcome.published)} pact(s) of {outcome.consumer} {outcome.version} ({outcome.endpoint})"]
    lines += [f"  {path}" for path in outcome.published]
    lines += [f"broker: {line}" for line in outcome.logs] + [f"note: {note}" for note in outcome.notes]
    emit("\n".join(lines) + "\n")
    return ExitCode.OK


def _pact_files(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.glob("*.json"))
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such pact file or folder")
    if not files:
        raise UsageError(f"no pact files in {', '.join(map(str, paths))}", hint="write them with `contracts consumer`")
    return files


@broker_group.command("environments")
@broker_options(required=True)
def environments_command(**options: Any) -> int:
    """List the broker's environments."""
    from contractkit.broker import list_environments

    found = list_environments(open_broker(options))
    lines = [f"{env.name}\t{env.display_name}\t{'production' if env.production else '-'}\t{env.uuid}" for env in found]
    emit("\n".join(lines or ["no environments"]) + "\n")
    return ExitCode.OK


@broker_group.command("create-environment")
@click.option("--name", required=True, help="The environment's name, as deployments name it (test, production).")
@click.option("--display-name", default=None)
@click.option("--production/--no-production", default=False, show_default=True)
@click.option("--contact-name", default=None, help="The team to contact about it.")
@click.option("--contact-email-address", default=None)
@broker_options(required=True)
def create_environment_command(name: str, display_name: str | None, production: bool, contact_name: str | None,
                               contact_email_address: str | None, **options: Any) -> int:  # fmt: skip
    """Create an environment."""
    from contractkit.broker import create_environment

    contacts = [(contact_name or "", contact_email_address or "")] if contact_name or contact_email_address else []
    env = create_environment(
        open_broker(options), name, display_name=display_name, production=production, contacts=contacts
    )
    emit(f"created environment {env.name} ({env.display_name}) {env.uuid}\n")
    return ExitCode.OK


@broker_group.command("record-release")
@click.option("--pacticipant", required=True)
@click.option("--version", required=True)
@click.option("--environment", required=True)
@broker_options(required=True)
def record_release_command(pacticipant: str, version: str, environment: str, **options: Any) -> int:
    """Record that a version is released to an environment (supported alongside other released versions)."""
    from contractkit.broker import record_release

    record_release(open_broker(options), pacticipant, version, environment)
    emit(f"recorded release of {pacticipant} version {version} to {environment}\n")
    return ExitCode.OK


@click.command("record-deployment")
@click.option("--pacticipant", required=True)
@click.option("--version", required=True)
@click.option("--environment", required=True)
@click.option("--application-instance", default=None, help="Which instance, when several run in the environment.")
@click.option(
    "--results",
    "results_folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("contract-results"),
    show_default=True,
    help="Without --broker: the results folder whose environments/ record what is deployed where.",
)
@broker_options(required=False)
def record_deployment_command(pacticipant: str, version: str, environment: str, application_instance: str | None,
                              results_folder: Path, **options: Any) -> int:  # fmt: skip
    """Record that a version is deployed to an environment, in the broker or (without --broker) in git's results."""
    from contractkit.broker import record_deployment, record_deployment_offline

    if options.get("broker_url"):
        record_deployment(open_broker(options), pacticipant, version, environment, application_instance)
        emit(f"recorded deployment of {pacticipant} version {version} to {environment}\n")
    else:
        path = record_deployment_offline(results_folder, environment, pacticipant, version)
        emit(f"recorded deployment of {pacticipant} version {version} to {environment} in {path}\n")
    return ExitCode.OK


@click.command("can-i-deploy")
@click.option("--pacticipant", "pacticipants", multiple=True, required=True, help="A pacticipant (repeatable).")
@click.option("--version", "versions", multiple=True, help="Its version, one per --pacticipant, in order.")
@click.option("--latest", "latest_tag", default=None, help="With the broker: the latest version with this tag.")
@click.option("--to-environment", "--to", "environment", default=None, help="The environment to deploy to.")
@click.option("--to-tag", default=None, help="With the broker: deploy alongside the latest versions with this tag.")
@click.option("--retry-while-unknown", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--retry-interval", type=click.FloatRange(min=0), default=10.0, show_default=True, help="Seconds.")
@click.option("--dry-run", is_flag=True, help="Answer, but exit 0 whatever the answer.")
@click.option(
    "--results",
    "results",
    default="contract-results",
    show_default=True,
    help="Without --broker: the results folder, or git:REF:FOLDER for a results branch.",
)
@click.option(
    "--repository",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="Without --broker: the git repository holding the consumers' pacts and the results.",
)
@click.option("--pacts-folder", default="pacts", show_default=True, help="Without --broker: the pacts' folder.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@output_option
@broker_options(required=False)
def can_i_deploy_command(pacticipants: tuple[str, ...], versions: tuple[str, ...], latest_tag: str | None,
                         environment: str | None, to_tag: str | None, retry_while_unknown: int, retry_interval: float,
                         dry_run: bool, results: str, repository: Path, pacts_folder: str, output_format: str,
                         output_path: Path | None, **options: Any) -> int:  # fmt: skip
    """Can these versions be deployed to an environment? Asks the broker's matrix, or (without --broker)
    computes it from the pacts in git and the results `contracts verify --record-results` wrote."""
    from contractkit.reports import render_deploy_answer

    if options.get("broker_url"):
        answer = _ask_broker(pacticipants, versions, latest_tag, environment, to_tag, retry_while_unknown,
                             retry_interval, options)  # fmt: skip
    else:
        answer = _ask_git(pacticipants, versions, environment, results, repository, pacts_folder)
    emit(render_deploy_answer(answer, output_format), output_path)
    if dry_run:
        return ExitCode.OK
    return ExitCode.OK if answer.deployable else ExitCode.FAILED


def _ask_broker(pacticipants: tuple[str, ...], versions: tuple[str, ...], latest_tag: str | None,
                environment: str | None, to_tag: str | None, retries: int, interval: float,
                options: dict[str, Any]) -> DeployAnswer:  # fmt: skip
    from contractkit.broker import VersionSelector, can_i_deploy

    if len(versions) > len(pacticipants):
        raise UsageError("more --version than --pacticipant: give one version per pacticipant")
    selectors = [
        VersionSelector(name, versions[n] if n < len(versions) else None, None if n < len(versions) else latest_tag)
        for n, name in enumerate(pacticipants)
    ]

    def waiting(attempt: int, answer: DeployAnswer) -> None:
        click.echo(f"waiting for {answer.unknown} unknown result(s): retry {attempt} of {retries}", err=True)

    return can_i_deploy(
        open_broker(options),
        selectors,
        environment=environment,
        to_tag=to_tag,
        retry_while_unknown=retries,
        retry_interval=interval,
        on_retry=waiting,
    )


def _ask_git(pacticipants: tuple[str, ...], versions: tuple[str, ...], environment: str | None, results: str,
             repository: Path, pacts_folder: str) -> DeployAnswer:  # fmt: skip
    from contractkit.broker import ResultsStore, can_i_deploy_offline

    if len(pacticipants) != 1 or len(versions) != 1 or not environment:
        raise UsageError(
            "without --broker, can-i-deploy answers for one --pacticipant NAME --version VERSION --to ENV",
            hint="or pass --broker URL to ask a Pact Broker",
        )
    store = ResultsStore(results, repository)
    return can_i_deploy_offline(
        pacticipants[0], versions[0], environment, repository=repository, pacts_folder=pacts_folder, store=store
    )


COMMANDS = [broker_group, can_i_deploy_command, record_deployment_command]


# ---------------------------------------------------------------- contracts verify --broker / --record-results


def verify_options(function: F) -> F:
    """The options `contracts verify` takes for the broker and for recording results."""
    options = [
        click.option(
            "--selector",
            "selectors",
            multiple=True,
            help="A consumer version selector with --broker (repeatable): main-branch, deployed-or-released, "
            "matching-branch, consumer=NAME,branch=NAME, tag=NAME,latest, or JSON. Default: main-branch and "
            "deployed-or-released.",
        ),
        click.option("--enable-pending", is_flag=True, help="With --broker: a pending pact's failure does not fail."),
        click.option("--include-wip-pacts-since", default=None, metavar="DATE", help="With --broker: WIP pacts."),
        click.option("--provider-version", default=None, help="The provider version verified (default: git HEAD)."),
        click.option("--provider-branch", default=None, help="The provider version's branch (default: git branch)."),
        click.option(
            "--record-results",
            is_flag=True,
            help="Record the verification results: published to the broker with --broker, else written to "
            "--results as one file per provider version (for can-i-deploy without a broker).",
        ),
        click.option(
            "--results",
            "results_folder",
            type=click.Path(path_type=Path, file_okay=False),
            default=Path("contract-results"),
            show_default=True,
            help="Without --broker: where --record-results writes (commit it, or push it to a results branch).",
        ),
        broker_options(required=False),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def verify_with_options(
    registry: Registry, providers: list[Provider], verify: Callable[[Registry], Report], options: dict[str, Any]
) -> Report:
    """Run `verify(registry)`: with --broker, over the pacts the broker selects (pending failures reported, not
    failing) and publishing results when asked; without, recording results to the results folder when asked."""
    from contractkit.broker import current_branch, pact_outcomes, record_verification

    record = options.pop("record_results", False)
    folder = options.pop("results_folder", Path("contract-results"))
    version, branch = options.pop("provider_version", None), options.pop("provider_branch", None)
    if options.get("broker_url"):
        if len(providers) != 1:
            raise UsageError("--broker verifies one provider: pass exactly one --provider")
        return verify_from_broker(registry, providers[0], verify, options, record=record, version=version,
                                  branch=branch)  # fmt: skip
    report = verify(registry)
    if record:
        version = _git_default(version, registry.root)
        for provider in providers:
            outcomes = pact_outcomes(_of_provider(report, provider.name), registry.root)
            path = record_verification(
                folder, provider.name, version, outcomes, branch=branch or current_branch(registry.root)
            )
            click.echo(
                f"recorded {len(outcomes)} pact verification(s) of {provider.name} {version} in {path}", err=True
            )
    return report


def _of_provider(report: Report, name: str) -> Report:
    from dataclasses import replace

    return replace(report, results=tuple(result for result in report.results if result.provider == name))


def verify_from_broker(registry: Registry, provider: Provider, verify: Callable[[Registry], Report],
                       options: dict[str, Any], *, record: bool, version: str | None,
                       branch: str | None) -> Report:  # fmt: skip
    """Verify the pacts the broker selects for the provider, instead of the `consumer_pacts` folders."""
    import tempfile
    from dataclasses import replace

    from contractkit.broker import (
        DEFAULT_SELECTORS,
        current_branch,
        fetch_pacts_for_verification,
        pact_text,
        parse_selector,
    )

    selectors = [parse_selector(text) for text in options.pop("selectors", ())] or [
        dict(item) for item in DEFAULT_SELECTORS
    ]
    include_pending, wip_since = options.pop("enable_pending", False), options.pop("include_wip_pacts_since", None)
    branch = branch or current_branch(registry.root)
    client = open_broker(options)
    pacts = fetch_pacts_for_verification(
        client, provider.name, selectors=selectors, provider_branch=branch, include_pending=include_pending,
        include_wip_since=wip_since,
    )  # fmt: skip
    for pact in pacts:
        state = " (pending)" if pact.pending else ""
        click.echo(f"broker: verifying {pact.description}{state}", err=True)
        for notice in pact.notices:
            click.echo(f"  {notice}", err=True)
    with tempfile.TemporaryDirectory(prefix="contracts-broker-") as folder:
        files = {}
        for number, pact in enumerate(pacts, 1):
            path = Path(folder) / f"broker-{number:03d}-{provider.name}.json"
            path.write_text(pact_text(pact), encoding="utf-8")
            files[path.name] = pact
        scoped = replace(registry, settings=replace(registry.settings, consumer_pacts=(folder,)))
        report = verify(scoped)
    if record:
        _publish_results(client, report, files, provider.name, _git_default(version, registry.root), branch)
    return _pending_not_failing(report, files)


def _pact_of(result: Any, files: dict[str, BrokerPact]) -> BrokerPact | None:
    shown = result.details.get("pact")
    return files.get(Path(shown).name) if isinstance(shown, str) else None


def _pending_not_failing(report: Report, files: dict[str, BrokerPact]) -> Report:
    """A pending pact's failures reported as skipped (their findings kept), as the broker's notices say."""
    from dataclasses import replace

    from contractkit.core.model import Status

    results = []
    for result in report.results:
        pact = _pact_of(result, files)
        if pact is not None:
            result = replace(
                result, details={**result.details, "broker_pact": pact.description, "pending": pact.pending}
            )
            if pact.pending and result.status is Status.FAILED:
                message = f"pending pact, its failure does not fail the verification: {result.message}"
                result = replace(result, status=Status.SKIPPED, message=message)
        results.append(result)
    return replace(report, results=tuple(results))


def _publish_results(client: BrokerClient, report: Report, files: dict[str, BrokerPact], provider: str, version: str,
                     branch: str | None) -> None:  # fmt: skip
    from contractkit import __version__
    from contractkit.broker import InteractionResult, publish_verification_result
    from contractkit.core.model import Status

    for pact in files.values():
        mine = [r for r in report.results if r.check == "pact" and _pact_of(r, files) is pact]
        interactions = [
            InteractionResult(r.interaction, r.status is not Status.FAILED, tuple(f.message for f in r.findings))
            for r in mine
        ]
        notes = publish_verification_result(
            client, pact, provider=provider, provider_version=version, provider_branch=branch,
            success=all(item.success for item in interactions), results=interactions, tool_version=__version__,
        )  # fmt: skip
        click.echo(f"broker: published the verification of {pact.description} by {provider} {version}", err=True)
        for note in notes:
            click.echo(f"  note: {note}", err=True)
