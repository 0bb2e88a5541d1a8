"""Start-up is part of every fuzz run's time: opening the registry for a fuzz run imports only what loading needs.

Lint (jsonschema and its format checkers), the provider context (pacts, contract files, cassettes, the replay server,
validation) and the consumer's side of fuzzing are offered by their faces and imported on first use. Each probe runs
in a fresh interpreter, so what it finds in `sys.modules` is what the command itself imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
REGISTRY = REPO / "examples" / "inventory" / "registry.yaml"

# Modules a fuzz run over HTTP never uses before its report.
HEAVY = (
    "jsonschema",
    "contractkit.registry.context",
    "contractkit.registry.lint",
    "contractkit.registry.inventory",
    "contractkit.cassettes",
    "contractkit.consumer",
    "contractkit.compat",
    "contractkit.validation",
    "contractkit.fuzz.messages",
)


def _probe(body: str, *args: str) -> dict[str, list[str]]:
    """Run `body` in a fresh interpreter on this tree; it fills `seen` (label -> heavy modules loaded then)."""
    script = (
        "import json, sys\n"
        f"HEAVY = {HEAVY!r}\n"
        "seen = {}\n"
        "def look(label):\n"
        "    seen[label] = [name for name in HEAVY + ('contractkit.pact',) if name in sys.modules]\n"
        f"{body}\n"
        "print(json.dumps(seen))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), "PACT_DO_NOT_TRACK": "true"},
    )
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def seen() -> dict[str, list[str]]:
    return _probe(
        "from pathlib import Path\n"
        "import contractkit.cli\n"
        "from contractkit.cli.common import open_registry\n"
        "registry = open_registry(Path(sys.argv[1]))\n"
        "look('registry')\n"
        "import contractkit.fuzz\n"
        "look('fuzz')\n"
        "contractkit.fuzz.fuzz_messages\n"
        "look('messages')\n"
        "from contractkit.registry import ProviderContext\n"
        "ProviderContext(registry, registry.provider('inventory'))\n"
        "look('context')\n",
        str(REGISTRY),
    )


def test_opening_the_registry_imports_no_lint_context_pact_or_validation(seen: dict[str, list[str]]) -> None:
    assert seen["registry"] == []


def test_the_fuzz_face_imports_the_pact_reader_for_its_consumer_check_and_nothing_heavier(
    seen: dict[str, list[str]],
) -> None:
    assert seen["fuzz"] == ["contractkit.pact"]


def test_a_lazy_name_imports_its_module_when_read(seen: dict[str, list[str]]) -> None:
    assert {"contractkit.fuzz.messages", "contractkit.consumer"} <= set(seen["messages"])
    assert "contractkit.registry.context" in seen["context"]


def test_a_registry_the_schema_refuses_is_still_explained_by_key_path(tmp_path: Path) -> None:
    bad = tmp_path / "registry.yaml"
    bad.write_text("version: 1\nconsumer: shop\nproviders:\n  billing:\n    base_url: http://127.0.0.1:1\n")
    found = _probe(
        "from contractkit.core import RegistryError\n"
        "from contractkit.registry import load_registry\n"
        "try:\n"
        "    load_registry(sys.argv[1])\n"
        "except RegistryError as error:\n"
        "    seen['message'] = [error.describe()]\n"
        "look('after')\n",
        str(bad),
    )
    assert found["message"] == [f"{bad}:4: providers.billing: missing required key 'operations'"]
    assert "jsonschema" in found["after"]  # the explanation, and only the explanation, needs it
