"""The scheduled re-record job on the example registry: an unchanged provider rewrites nothing.

Each test copies the repository's registry, cassettes, contracts, schemas, pacts and example provider into a
temporary folder and runs the workflow's steps there (.github/workflows/rerecord.yml), without credentials:
inventory is started from its registry `process` and recorded live, AWS is recorded from a real moto server.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

from rerecord_support import Contracts, changed_files, file_digests

from contractkit.cassettes import load_cassette

MOTO_GAP = "moto does not implement ce GetCostForecast: seeded from botocore's output shape"


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_rerecord_on_the_example_registry_exits_0_and_changes_no_file(example_copy: Path, contracts: Contracts) -> None:
    before = file_digests(example_copy)
    done = contracts("rerecord", "--budget", "50", "--format", "markdown", "--output", "reports/rerecord.md")
    report = (example_copy / "reports" / "rerecord.md").read_text(encoding="utf-8")
    assert done.returncode == 0, done.stdout + done.stderr + report
    assert changed_files(before, file_digests(example_copy)) == []
    # inventory was really recorded (its process started), not skipped for want of a server
    assert "| record | list_items | unchanged | no change |" in report
    assert "| record | get_item | unchanged | no change |" in report
    assert (
        "providers.grafana.auth.env: provider 'grafana' needs the environment variable GRAFANA_TOKEN for its bearer "
        "auth, and GRAFANA_TOKEN is not set. export GRAFANA_TOKEN"
    ) in report


def test_record_aws_from_moto_exits_0_and_changes_no_file(example_copy: Path, contracts: Contracts) -> None:
    before = file_digests(example_copy)
    done = contracts("record", "--provider", "aws", "--moto", "--format", "markdown", "--output", "reports/aws-moto.md")
    report = (example_copy / "reports" / "aws-moto.md").read_text(encoding="utf-8")
    assert done.returncode == 0, done.stdout + done.stderr + report
    assert changed_files(before, file_digests(example_copy)) == []
    rows = re.findall(r"^\| ✅ \| record \| (\w+) \| (\w+) \| (.*) \|$", report, re.MULTILINE)
    assert {operation: outcome for operation, outcome, _ in rows} == {
        "s3_list_buckets": "unchanged",
        "s3_get_bucket_location": "unchanged",
        "s3_list_objects": "unchanged",
        "iam_list_users": "unchanged",
        "iam_list_roles": "unchanged",
        "ce_get_cost_and_usage": "unchanged",
        "ce_get_cost_forecast": "unchanged",
        "cloudwatch_describe_alarms": "unchanged",
    }
    assert f"{MOTO_GAP} (no change)" in report
    forecast = load_cassette(example_copy / "cassettes" / "aws" / "ce_get_cost_forecast.yaml")
    assert forecast.metadata["source"] == "botocore-schema"
    assert forecast.metadata["seeded_because"] == "moto does not implement ce GetCostForecast"


def test_record_live_starts_the_registered_process_unless_told_not_to(example_copy: Path, contracts: Contracts) -> None:
    before = file_digests(example_copy)
    started = contracts("record", "--provider", "inventory", "--live")
    assert started.returncode == 0, started.stdout + started.stderr
    assert "PASSED [record] inventory / list_items / unchanged" in started.stdout
    assert changed_files(before, file_digests(example_copy)) == []

    with socket.socket() as probe:  # a port nothing listens on: without the process there is no provider
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused = contracts(
        "record",
        "--provider",
        "inventory",
        "--live",
        "--no-process",
        extra_env={"INVENTORY_URL": f"http://127.0.0.1:{port}"},
    )
    assert refused.returncode == 1
    assert "FAILED [record] inventory / list_items / failed: no response (ConnectionError" in refused.stdout
    assert changed_files(before, file_digests(example_copy)) == []


def test_verify_start_process_verifies_the_pacts_live_and_stops_the_provider(contracts: Contracts) -> None:
    done = contracts("verify", "--provider", "inventory", "--start-process")
    assert done.returncode == 0, done.stdout + done.stderr
    where = re.search(r"^contracts verify inventory against http://127\.0\.0\.1:(\d+)$", done.stdout, re.MULTILINE)
    assert where is not None, done.stdout
    assert "PASSED [pact] inventory / list_items / the first page of tools" in done.stdout
    assert "PASSED [pact] inventory / get_item / the item 3" in done.stdout
    assert not _listening(int(where.group(1))), "the provider outlived the command"


def test_verify_start_process_is_for_one_provider_without_a_base_url(contracts: Contracts) -> None:
    both = contracts("verify", "--provider", "inventory", "--start-process", "--base-url", "http://127.0.0.1:9")
    assert (both.returncode, both.stderr.strip()) == (2, "error: give --base-url or --start-process, not both")
    every = contracts("verify", "--all", "--start-process")
    assert (every.returncode, every.stderr.strip()) == (
        2,
        "error: --start-process verifies one live provider: pass exactly one --provider",
    )
