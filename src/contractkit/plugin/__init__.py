"""pytest plugin: loaded in every pytest run, so importing it must stay cheap (no Pact core here).

Fixtures put the consumer's own client code in front of the Pact mock server:

    def test_search(contract):
        with contract("grafana", "search_dashboards") as server:
            assert search_dashboards(server.url, token="t", tag="production")

Each served interaction that matched leaves a pact fragment in a folder shared by every xdist
worker; the controlling process merges them into pacts/<consumer>-<provider>.json when the
session ends, so a run on `-n 2` writes exactly the pact a serial run writes.
Everything heavy (the registry, pact-python, botocore) is imported inside the fixtures.
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Iterator

import pytest

# jsonschema imports rfc3987_syntax, when installed, only for the "iri" format, and that import compiles grammars
# for seconds on first use. contractkit validates with jsonschema-rs, so a test session never needs it (as in cli/).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

if TYPE_CHECKING:
    from contractkit.consumer import MockService, ShapedInteraction
    from contractkit.core.model import Registry

_FRAGMENTS = "contractkit_fragments"
_SHAPED_KEY: pytest.StashKey[dict[str, Any]] = pytest.StashKey()
_FOLDER_KEY: pytest.StashKey[Path] = pytest.StashKey()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("contractkit")
    group.addoption(
        "--contracts-registry",
        default=None,
        help="registry.yaml for contract tests (default: $CONTRACTS_REGISTRY or registry.yaml in the rootdir)",
    )
    group.addoption(
        "--contracts-pacts", default=None, help="write pacts to this folder instead of the registry's pacts folder"
    )
    parser.addini("contracts_registry", "registry.yaml for contract tests", default=None)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "contract(provider, operation): a consumer contract test")
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and _FRAGMENTS in workerinput:
        config.stash[_FOLDER_KEY] = Path(workerinput[_FRAGMENTS])
    else:
        # only a path: the folder is created by the first fragment written, so plain runs leave nothing
        config.stash[_FOLDER_KEY] = Path(tempfile.gettempdir()) / f"contractkit-fragments-{uuid.uuid4().hex}"


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist: hand every worker the controller's fragment folder."""
    node.workerinput[_FRAGMENTS] = str(node.config.stash[_FOLDER_KEY])


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if hasattr(config, "workerinput"):
        return  # workers only leave fragments; the controller writes the pacts
    folder = config.stash.get(_FOLDER_KEY, None)
    if folder is None or not folder.is_dir():
        return
    import shutil

    from contractkit.consumer import merge_pacts
    from contractkit.core.errors import ContractKitError

    reporter = config.pluginmanager.get_plugin("terminalreporter")
    try:
        registry = _load_registry(config)
        written = merge_pacts(
            folder, _pacts_folder(config, registry), registry.consumer, _contract_descriptions(registry, folder)
        )
    except ContractKitError as exc:  # bad input: one paragraph, no traceback, and the run fails
        if reporter is not None:
            reporter.write_line(f"contractkit: no pact written: {exc.describe()}", red=True)
        session.exitstatus = pytest.ExitCode.USAGE_ERROR
        return
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for item in written:
        note = f"{item.ran} interaction(s) from this run"
        note += f", {item.kept} kept from the pact on disk (not run this time)" if item.kept else ""
        note += f", {item.dropped} dropped (no longer in the contract)" if item.dropped else ""
        if reporter is not None:
            reporter.write_line(f"contractkit: wrote {item.path}: {note}")


def _contract_descriptions(registry: Registry, folder: Path) -> dict[str, set[str]]:
    """The interaction descriptions each provider's contract has now; a provider whose contract cannot be read
    is left out, so nothing of its pact is dropped."""
    from contractkit.consumer import load_contract_file
    from contractkit.core.errors import ContractKitError

    current: dict[str, set[str]] = {}
    for provider_folder in (path for path in folder.iterdir() if path.is_dir()):
        try:
            contract = load_contract_file(registry.provider(provider_folder.name))
        except ContractKitError:
            continue
        current[provider_folder.name] = {item.description for item in contract.interactions} | {
            item.description for item in contract.messages
        }
    return current


def _registry_path(config: pytest.Config) -> Path:
    from contractkit.core.files import find_registry

    chosen = (
        config.getoption("--contracts-registry")
        or config.getini("contracts_registry")
        or os.environ.get("CONTRACTS_REGISTRY")
    )
    if chosen:
        return Path(chosen)
    found = find_registry(config.invocation_params.dir)  # the nearest one above where pytest was started
    return found if found.is_file() else Path(config.rootpath) / "registry.yaml"


def _load_registry(config: pytest.Config) -> Registry:
    from contractkit.registry import load_registry

    return load_registry(_registry_path(config))


def _pacts_folder(config: pytest.Config, registry: Registry) -> Path:
    chosen = config.getoption("--contracts-pacts")
    return Path(chosen) if chosen else registry.pacts


@pytest.fixture(scope="session")
def contract_registry(pytestconfig: pytest.Config) -> Registry:
    """The registry the contract fixtures serve from (`--contracts-registry`)."""
    from contractkit.core.errors import ContractKitError

    try:
        return _load_registry(pytestconfig)
    except ContractKitError as exc:
        raise pytest.UsageError(f"contractkit: {exc.describe()}") from None


def _shaped(config: pytest.Config, registry: Registry, provider: str) -> tuple[ShapedInteraction, ...]:
    from contractkit.consumer import load_shaped

    cache = config.stash.setdefault(_SHAPED_KEY, {})
    if provider not in cache:
        cache[provider] = load_shaped(registry.provider(provider))[1]
    return cache[provider]


@pytest.fixture
def contract(request: pytest.FixtureRequest, contract_registry: Registry) -> Callable[..., ContextManager[MockService]]:
    """`with contract(provider, operation[, description]) as server:` serves that operation's interactions.

    `server.url` is the provider's base URL on the mock (base path included). When the block ends,
    every served interaction must have been received with a matching request, or the test fails.
    Without arguments, the test's `@pytest.mark.contract(provider, operation)` marker is used.
    """
    marker = request.node.get_closest_marker("contract")

    @contextmanager
    def serve_contract(
        provider: str | None = None, operation: str | None = None, description: str | None = None
    ) -> Iterator[MockService]:
        if provider is None and marker is not None:
            provider, operation = (list(marker.args) + [None, None])[:2]
        if not provider or not operation:
            raise pytest.UsageError("contract() needs a provider and an operation (or a contract marker)")
        from contractkit.consumer import describe_mismatch, select_interactions, serve, write_fragment
        from contractkit.core.errors import ContractKitError

        problem = None
        try:
            chosen_provider = contract_registry.provider(provider)
            chosen = select_interactions(
                chosen_provider, _shaped(request.config, contract_registry, provider), operation, description
            )
        except ContractKitError as exc:  # a broken contract is the user's input: one message, no traceback
            problem = exc.describe()
        if problem is not None:
            pytest.fail(f"contractkit: {problem}", pytrace=False)
        with serve(contract_registry.consumer, chosen_provider, chosen) as service:
            yield service
        if not service.matched:
            lines = "\n".join(f"  - {describe_mismatch(m)}" for m in service.mismatches)
            pytest.fail(
                f"the consumer's requests do not satisfy the contract of {provider} {operation}:\n{lines}",
                pytrace=False,
            )
        folder = request.config.stash[_FOLDER_KEY]
        for fragment in service.fragments:
            write_fragment(folder, provider, fragment)

    return serve_contract


@pytest.fixture
def message_contract(request: pytest.FixtureRequest, contract_registry: Registry) -> Callable[..., list[Any]]:
    """`message_contract(provider, message[, description], handler=...)` hands the contract's messages to a handler.

    Each message of the provider's contract (narrowed to one registry message, and one description) goes through
    pact-python's message consumer to `handler(body, metadata)`: the function given, else the one the contract
    names (`handler: module:function`). The test fails, naming the field, when the handler raises or reads a field
    the message does not give; each message that held leaves its V4 pact fragment, as `contract` does. Returns
    the outcomes (`contractkit.consumer.HandledMessage`), with the JSON paths the handler read.
    """

    def deliver(
        provider: str, message: str | None = None, description: str | None = None, *, handler: Any = None
    ) -> list[Any]:
        from contractkit.consumer import (
            handle_message,
            handler_folders,
            import_handler,
            load_contract_file,
            write_fragment,
        )
        from contractkit.core.errors import ContractKitError, UsageError

        problem: str | None = None
        outcomes: list[Any] = []
        try:
            chosen = contract_registry.provider(provider)
            contract = load_contract_file(chosen)
            folders = handler_folders(contract, contract_registry.root)
            picked = [
                candidate
                for candidate in contract.messages
                if message in (None, candidate.message) and description in (None, candidate.description)
            ]
            if not picked:
                raise UsageError(f"{contract.path}: no message {message or ''} {description or ''} to deliver")
            cache: dict[str, Any] = {}
            for picked_message in picked:
                reference = picked_message.handler
                chosen_handler = handler or (import_handler(reference, folders) if reference else None)
                outcomes.append(
                    handle_message(contract_registry.consumer, chosen, picked_message, chosen_handler, cache)
                )
        except ContractKitError as exc:  # a broken contract or handler reference: one message, no traceback
            problem = exc.describe()
        if problem is not None:
            pytest.fail(f"contractkit: {problem}", pytrace=False)
        failures = [f"  - {finding.message} ({finding.location})" for item in outcomes for finding in item.findings]
        failed = [item for item in outcomes if not item.passed]
        if failed:
            pytest.fail(
                f"the handler does not hold to the messages of {provider}:\n" + "\n".join(failures), pytrace=False
            )
        folder = request.config.stash[_FOLDER_KEY]
        for item in outcomes:
            for fragment in item.fragments:
                write_fragment(folder, provider, fragment)
        return outcomes

    return deliver


# ----- replay and fault injection from cassettes (cassettes engineer) -------------------------------------


@pytest.fixture
def replay(contract_registry: Registry) -> Callable[..., ContextManager[Any]]:
    """`with replay(provider, faults="throttle=0.2,retry_after=1,seed=7") as server:` serves recorded reality.

    The provider's cassettes are answered on 127.0.0.1 (a free port); `server.url` includes the base
    path. `faults` is a `contractkit.cassettes.replay.Faults` or its text form (latency, throttle with Retry-After,
    a ratio of 5xx, connection resets), for testing how the consumer's client copes. `server.stats`
    counts what was served, throttled, failed and reset, and what was refused or timed out. The server
    is the one `contracts replay` runs, with the same limits (`limits`: a
    `contractkit.cassettes.httpserver.ServerLimits`) and `port` (0: a free one).
    """

    @contextmanager
    def serve_cassettes(
        provider: str,
        faults: Any = None,
        cassettes: str | os.PathLike[str] | None = None,
        *,
        port: int = 0,
        limits: Any = None,
    ) -> Iterator[Any]:
        from contractkit.cassettes import Faults, ReplayServer
        from contractkit.core.errors import ContractKitError

        problem = None
        try:
            chosen = contract_registry.provider(provider)
            injected = Faults.from_text(faults) if isinstance(faults, str) else faults
            server = ReplayServer(
                Path(cassettes) if cassettes else None, provider=chosen, faults=injected, port=port, limits=limits
            )
            server.start()
        except ContractKitError as exc:  # an unknown provider, bad faults, a port in use: one message, no traceback
            problem = exc.describe()
        if problem is not None:
            pytest.fail(f"contractkit: {problem}", pytrace=False)
        try:
            yield server
        finally:
            server.stop()

    return serve_cassettes


__all__ = [
    "contract",
    "contract_registry",
    "message_contract",
    "pytest_addoption",
    "pytest_configure",
    "pytest_configure_node",
    "pytest_sessionfinish",
    "replay",
]
