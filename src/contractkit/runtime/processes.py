"""Start a provider locally from the registry's `process` key, wait until it is healthy, and always stop it.

The registry gives a command and a health URL. Both may use placeholders filled in at start time:
`{port}` (a free port on 127.0.0.1), `{host}` (127.0.0.1), `{tmp}` (a fresh folder removed afterwards),
`{python}` (the running interpreter) and `{root}` (the registry's folder). `${VAR}` and `${VAR:-default}`
are read from the environment, so a token never has to be written into registry.yaml. The process runs
in its own session from the registry's folder; stopping it signals the whole process group, first
SIGTERM then SIGKILL, on success, on failure and on Ctrl-C alike.

A provider must not outlive the command that started it even when that command is killed outright
(SIGKILL, OOM) and cleans up nothing. So the command runs under a small supervisor, the leader of its
process group: when the parent dies (a parent-death signal via prctl on Linux, and a check of the parent
id on every platform), the supervisor stops the whole group, grandchildren included, and removes `{tmp}`.
An atexit hook stops whatever is still running when the interpreter exits normally.
"""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Mapping
from urllib.parse import urlsplit, urlunsplit

from contractkit.core.errors import ContractKitError
from contractkit.core.model import Provider
from contractkit.core.text import interpolate

HOST = "127.0.0.1"
DEFAULT_STARTUP_TIMEOUT = 30.0
STOP_GRACE = 5.0
_LOG_TAIL = 1500
# A local provider is never reached through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
CANNOT_START = 127  # the supervisor's exit status when the command cannot be executed
_RUNNING: weakref.WeakSet[ProviderProcess] = weakref.WeakSet()

# Run as `python -c SUPERVISOR PARENT_PID TMP USE_PRCTL GRACE -- COMMAND...`, standard library only.
SUPERVISOR = r"""
import os, shutil, signal, subprocess, sys, time
parent, tmp, use_prctl, grace = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1", float(sys.argv[4])
command = sys.argv[6:]
child = None

def stop_group(*_):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    orphaned = os.getppid() != parent
    try:
        os.killpg(0, signal.SIGTERM)
    except OSError:
        pass
    deadline = time.monotonic() + grace
    while child is not None and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if orphaned:
        shutil.rmtree(tmp, ignore_errors=True)
    os.killpg(0, signal.SIGKILL)

signal.signal(signal.SIGTERM, stop_group)
signal.signal(signal.SIGHUP, stop_group)
if use_prctl:
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
if os.getppid() != parent:
    stop_group()
try:
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL)
except OSError as exc:
    print(f"cannot start {command[0]!r}: {exc.strerror or exc}", flush=True)
    sys.exit(127)
while child.poll() is None:
    if os.getppid() != parent:
        stop_group()
    time.sleep(0.2)
code = child.returncode
sys.exit(code if code >= 0 else 128 - code)
"""


class ProviderProcessError(ContractKitError):
    """A provider process cannot be started, exits early or never becomes healthy."""


@dataclass(frozen=True, slots=True)
class ProcessSpec:
    """The registry's `process` key, resolved: what to run, where, and how to tell it is ready."""

    provider: str
    command: tuple[str, ...]
    health: str
    env: Mapping[str, str] = field(default_factory=dict)
    startup_timeout: float = DEFAULT_STARTUP_TIMEOUT
    cwd: Path = Path(".")

    @classmethod
    def from_provider(cls, provider: Provider, root: Path) -> ProcessSpec:
        """Read `providers.<name>.process`; raises UsageError-like ProviderProcessError when it is absent."""
        process = provider.settings.process
        if process is None:
            raise ProviderProcessError(
                f"provider {provider.name!r} has no 'process' key, so it cannot be started locally",
                key_path=("providers", provider.name),
                hint="give --base-url or add a process: block",
            )
        timeout = process.startup_timeout if process.startup_timeout is not None else DEFAULT_STARTUP_TIMEOUT
        return cls(
            provider=provider.name,
            command=process.command,
            health=process.health,
            env=dict(process.env),
            startup_timeout=timeout,
            cwd=root,
        )


def free_port(host: str = HOST) -> int:
    """A port that is free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def fill_placeholders(
    text: str, values: Mapping[str, str], environ: Mapping[str, str], *, provider: str, key: str
) -> str:
    """Replace `${VAR}` from the environment, then `{port}`-style placeholders from `values`."""
    key_path = ("providers", provider, "process", key)
    text = interpolate(text, environ, file="registry.yaml", key_path=key_path, line=None)
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def rebase_url(base_url: str, port: int) -> str:
    """The provider's base URL moved to 127.0.0.1:port, keeping its base path."""
    parts = urlsplit(base_url)
    return urlunsplit(("http", f"{HOST}:{port}", parts.path.rstrip("/"), "", ""))


class ProviderProcess:
    """A running provider: a context manager that starts it, waits for health, and stops it on exit."""

    def __init__(
        self, provider: Provider, root: Path, *, environ: Mapping[str, str] | None = None, port: int | None = None
    ) -> None:
        self.provider = provider
        self.spec = ProcessSpec.from_provider(provider, root)
        self.environ = dict(os.environ if environ is None else environ)
        self.port = port or free_port()
        self._tmp = tempfile.TemporaryDirectory(prefix=f"contracts-{provider.name}-")
        self._log_path = Path(self._tmp.name) / "provider.log"
        self._process: subprocess.Popen[bytes] | None = None
        self.values = {
            "port": str(self.port),
            "host": HOST,
            "tmp": self._tmp.name,
            "python": sys.executable,
            "root": str(root),
        }

    @property
    def base_url(self) -> str:
        """Where the started provider answers, with the registry's base path."""
        return rebase_url(self.provider.base_url, self.port)

    @property
    def health_url(self) -> str:
        """The health URL; a bare path is taken relative to http://127.0.0.1:{port}."""
        health = self._fill(self.spec.health, "health")
        return f"http://{HOST}:{self.port}{health}" if health.startswith("/") else health

    def _fill(self, text: str, key: str) -> str:
        return fill_placeholders(text, self.values, self.environ, provider=self.provider.name, key=key)

    def start(self) -> ProviderProcess:
        """Launch the command and block until the health URL answers below 500."""
        command = [self._fill(part, "command") for part in self.spec.command]
        env = {**self.environ, **{name: self._fill(value, "env") for name, value in self.spec.env.items()}}
        log = self._log_path.open("wb")
        use_prctl = sys.platform.startswith("linux") and threading.current_thread() is threading.main_thread()
        supervised = [
            sys.executable,
            "-c",
            SUPERVISOR,
            str(os.getpid()),
            self._tmp.name,
            "1" if use_prctl else "0",
            str(STOP_GRACE),
            "--",
            *command,
        ]
        try:
            self._process = subprocess.Popen(
                supervised,
                cwd=self.spec.cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            _RUNNING.add(self)
        except OSError as exc:
            self._tmp.cleanup()
            raise ProviderProcessError(
                f"cannot start {command[0]!r}: {exc.strerror or exc}",
                key_path=("providers", self.provider.name, "process", "command"),
            ) from exc
        finally:
            log.close()
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.spec.startup_timeout
        url = self.health_url
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() == CANNOT_START and self.log_tail().startswith("cannot start"):
                raise ProviderProcessError(
                    self.log_tail().splitlines()[-1], key_path=("providers", self.provider.name, "process", "command")
                )
            if self._process.poll() is not None:
                raise ProviderProcessError(
                    f"the process exited with status {self._process.returncode} before "
                    f"{url} answered; its output ends with: {self.log_tail()}",
                    key_path=("providers", self.provider.name, "process", "command"),
                )
            if _is_healthy(url):
                return
            time.sleep(0.1)
        raise ProviderProcessError(
            f"{url} did not answer within {self.spec.startup_timeout:g} s; the output ends with: {self.log_tail()}",
            key_path=("providers", self.provider.name, "process", "health"),
            hint="raise process.startup_timeout or check the health path",
        )

    def log_tail(self) -> str:
        """The last lines the process printed (for error messages), with the provider's credentials masked."""
        try:
            text = self._log_path.read_bytes()[-_LOG_TAIL:].decode("utf-8", "replace").strip()
        except OSError:
            return "(no output)"
        # A server may print its own token (jupyter prints login URLs with it): never let it into a message.
        for name in self.provider.auth.env:
            secret = self.environ.get(name, "")
            if len(secret) >= 4:
                text = text.replace(secret, f"${name}")
        return text or "(no output)"

    def stop(self) -> None:
        """Stop the whole process group: SIGTERM, then SIGKILL after a grace period; remove {tmp}."""
        process, self._process = self._process, None
        _RUNNING.discard(self)
        if process is not None and process.poll() is None:
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(STOP_GRACE)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(STOP_GRACE)
        self._tmp.cleanup()

    def __enter__(self) -> ProviderProcess:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


@atexit.register
def stop_all() -> None:
    """Stop every provider process still running (the interpreter is exiting without having stopped them)."""
    for process in list(_RUNNING):
        process.stop()


def _signal_group(process: subprocess.Popen[Any], number: int) -> None:
    try:
        os.killpg(process.pid, number)
    except ProcessLookupError:
        pass


def _is_healthy(url: str) -> bool:
    try:
        with _OPENER.open(url, timeout=2) as response:
            return int(response.status) < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except (urllib.error.URLError, OSError):
        return False
