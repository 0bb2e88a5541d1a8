"""Provider processes: started on a free loopback port, healthy before use, always stopped."""

from __future__ import annotations

import os
import sys
import urllib.request

import pytest
from fuzz_support import INVENTORY, inventory_registry

from contractkit.registry import load_registry
from contractkit.runtime import ProviderProcess, ProviderProcessError


def _provider(tmp_path, process: str):
    registry = load_registry(inventory_registry(tmp_path, process=process))
    return registry.provider("inventory")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_starts_on_a_free_port_waits_for_health_and_stops(tmp_path):
    provider = _provider(
        tmp_path, f'{{command: ["{{python}}", "{INVENTORY / "app.py"}", --port, "{{port}}"], health: /health}}'
    )
    with ProviderProcess(provider, tmp_path) as process:
        assert process.base_url == f"http://127.0.0.1:{process.port}"
        with urllib.request.urlopen(f"{process.base_url}/items/1") as response:
            assert response.status == 200
        pid = process._process.pid
    assert not _alive(pid)


def test_stopped_when_the_work_inside_fails(tmp_path):
    provider = _provider(
        tmp_path, f'{{command: ["{{python}}", "{INVENTORY / "app.py"}", --port, "{{port}}"], health: /health}}'
    )
    with pytest.raises(KeyboardInterrupt):
        with ProviderProcess(provider, tmp_path) as process:
            pid = process._process.pid
            raise KeyboardInterrupt
    assert not _alive(pid)


def test_a_process_that_exits_early_is_reported_with_its_output(tmp_path):
    provider = _provider(
        tmp_path, '{command: ["{python}", "-c", "import sys; print(\'no config here\'); sys.exit(3)"], health: /}'
    )
    with pytest.raises(ProviderProcessError) as caught:
        ProviderProcess(provider, tmp_path).start()
    message = caught.value.describe()
    assert message.startswith("providers.inventory.process.command: the process exited with status 3 before")
    assert "no config here" in message


def test_a_process_that_never_gets_healthy_is_stopped_after_the_timeout(tmp_path):
    provider = _provider(
        tmp_path, '{command: ["{python}", "-c", "import time; time.sleep(60)"], health: /health, startup_timeout: 1}'
    )
    process = ProviderProcess(provider, tmp_path)
    with pytest.raises(ProviderProcessError) as caught:
        process.start()
    assert "did not answer within 1 s" in caught.value.describe()
    assert process._process is None  # stopped and forgotten


def test_placeholders_and_environment_reach_the_command(tmp_path):
    script = (
        "import os, sys, http.server; open(os.path.join(sys.argv[2], 'seen'), 'w').write(os.environ['GREETING']); "
        "http.server.test(HandlerClass=http.server.SimpleHTTPRequestHandler, port=int(sys.argv[1]), bind='127.0.0.1')"
    )
    provider = _provider(
        tmp_path,
        f'{{command: ["{{python}}", "-c", "{script}", "{{port}}", "{{tmp}}"], health: /, '
        'env: {GREETING: "${FUZZ_GREETING:-hello}"}}',
    )
    with ProviderProcess(
        provider, tmp_path, environ={**os.environ, "FUZZ_GREETING": "from the environment"}
    ) as process:
        seen = os.path.join(process.values["tmp"], "seen")
        assert open(seen).read() == "from the environment"
    assert not os.path.exists(seen)  # {tmp} is removed with the process


def test_fuzz_starts_the_registered_process(tmp_path, run_cli):
    registry = inventory_registry(
        tmp_path,
        process=f'{{command: ["{{python}}", "{INVENTORY / "app.py"}", --port, "{{port}}", --variant, broken], '
        "health: /health}",
    )
    code, out, err = run_cli(
        "fuzz",
        "--registry",
        str(registry),
        "--provider",
        "inventory",
        "--operation",
        "get_item",
        "--max-examples",
        "15",
        "--seed",
        "20261122",
        "--no-corpus",
        "--phases",
        "examples,fuzzing",
    )
    assert code == 1
    assert "target http://127.0.0.1:" in err
    assert "CK806 error_format" in out


def test_a_missing_command_is_bad_input(tmp_path, run_cli):
    registry = inventory_registry(tmp_path, process="{command: [no-such-binary-anywhere, --port, '{port}'], health: /}")
    code, _, err = run_cli("fuzz", "--registry", str(registry), "--provider", "inventory", "--no-corpus")
    assert code == 2
    assert "providers.inventory.process.command: cannot start 'no-such-binary-anywhere'" in err


def test_ctrl_c_stops_the_run_and_the_provider(tmp_path):
    import signal
    import subprocess
    import time

    registry = inventory_registry(
        tmp_path, process=f'{{command: ["{{python}}", "{INVENTORY / "app.py"}", --port, "{{port}}"], health: /health}}'
    )
    run = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from contractkit.cli import run; run()",
            "fuzz",
            "--registry",
            str(registry),
            "--provider",
            "inventory",
            "--max-examples",
            "1000",
            "--no-corpus",
            "-q",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    provider_pid = None
    deadline = time.monotonic() + 60
    while provider_pid is None and time.monotonic() < deadline:
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(run.pid)], capture_output=True, text=True
        ).stdout.split()
        provider_pid = int(children[0]) if children else None
        time.sleep(0.2)
    assert provider_pid is not None, "the provider process never started"
    time.sleep(1.0)  # let the run get going
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 2
    assert err.decode().strip().endswith("interrupted")
    deadline = time.monotonic() + 60  # generous: an event awaited, not a speed limit
    while _alive(provider_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(provider_pid)


def test_the_output_shown_on_failure_never_holds_the_providers_credentials(tmp_path):
    registry = load_registry(
        inventory_registry(
            tmp_path,
            auth="{scheme: bearer, env: INVENTORY_TOKEN}",
            process='{command: ["{python}", "-c", "import os; print(\'login with \' + os.environ[\'INVENTORY_TOKEN\']); '
            'raise SystemExit(1)"], health: /}',
        )
    )
    environ = {**os.environ, "INVENTORY_TOKEN": "tok-very-secret-77"}
    with pytest.raises(ProviderProcessError) as caught:
        ProviderProcess(registry.provider("inventory"), tmp_path, environ=environ).start()
    message = caught.value.describe()
    assert "login with $INVENTORY_TOKEN" in message and "tok-very-secret-77" not in message
