"""boto3 recorded against a real moto server, then replayed with the server stopped, for the 8 AWS operations."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests

from contractkit.aws.models import snake_name
from contractkit.cassettes.replay import ReplayServer
from contractkit.recording import RecordOptions, record_cassettes
from contractkit.recording.aws import aws_client_factory
from contractkit.recording.plan import aws_params
from contractkit.registry import load_registry
from contractkit.runtime import free_port

OPERATIONS = {
    "s3_list_buckets": {"service": "s3", "operation": "ListBuckets", "safe": True},
    "s3_get_bucket_location": {"service": "s3", "operation": "GetBucketLocation", "safe": True},
    "s3_list_objects": {"service": "s3", "operation": "ListObjectsV2", "safe": True},
    "iam_list_users": {"service": "iam", "operation": "ListUsers", "safe": True},
    "iam_list_roles": {"service": "iam", "operation": "ListRoles", "safe": True},
    "ce_get_cost_and_usage": {"service": "ce", "operation": "GetCostAndUsage", "safe": True},
    "ce_get_cost_forecast": {"service": "ce", "operation": "GetCostForecast", "safe": True},
    "cloudwatch_describe_alarms": {"service": "cloudwatch", "operation": "DescribeAlarms", "safe": True},
}
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "ASIAQWERTYUIOPASDFGH",
    "AWS_SECRET_ACCESS_KEY": "Zx9" + "k" * 37,
    "AWS_SESSION_TOKEN": "FwoGZXIvYXdzE" + "s" * 40,
}


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def moto() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`moto_server -H 127.0.0.1 -p PORT`, started here and stopped by the test or at teardown."""
    port = free_port()
    executable = shutil.which("moto_server")
    command = [executable] if executable else [sys.executable, "-m", "moto.server"]
    process = subprocess.Popen(
        command + ["-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not _listening(port):
        assert process.poll() is None and time.monotonic() < deadline, "moto_server did not start"
        time.sleep(0.1)
    try:
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(10)


def test_record_from_moto_then_replay_with_moto_stopped(moto, tmp_path: Path) -> None:
    url, process = moto
    (tmp_path / "registry.yaml").write_text(
        "version: 1\nconsumer: demo\nproviders:\n  aws:\n    kind: aws\n    base_url: http://127.0.0.1:5000\n"
        "    auth: {scheme: aws-sigv4, env: [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN]}\n"
        "    record: {name_prefix: ck-aws-}\n    operations:\n"
        + "".join(
            f"      {name}: {{service: {o['service']}, operation: {o['operation']}, safe: true}}\n"
            for name, o in OPERATIONS.items()
        )
    )
    registry = load_registry(tmp_path / "registry.yaml", environ={})
    options = RecordOptions(source="moto", base_url=url, environ=CREDENTIALS)
    report = record_cassettes(registry, "aws", (), mode="live", options=options)
    outcomes = {row.operation: row.details["outcome"] for row in report.results}
    assert outcomes == {**{name: "recorded" for name in OPERATIONS}, "ce_get_cost_forecast": "failed"}
    assert "--from-spec botocore" in next(r.message for r in report.results if r.operation == "ce_get_cost_forecast")
    seeded = record_cassettes(
        registry, "aws", ["ce_get_cost_forecast"], mode="spec", options=RecordOptions(), spec=Path("botocore")
    )
    assert not seeded.failed

    process.terminate()
    process.wait(10)
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=2)

    folder = tmp_path / "cassettes" / "aws"
    text = "\n".join(path.read_text() for path in folder.iterdir())
    assert "!!binary" not in text and "BytesIO" not in text
    for value in CREDENTIALS.values():
        assert value not in text
    provider = registry.provider("aws")
    with ReplayServer(provider=provider) as server:
        client = aws_client_factory(provider, server.url, CREDENTIALS)
        # the POST / services in an order unlike the recording's: each must get its own answer
        alarms = client("cloudwatch").describe_alarms(MaxRecords=100)
        costs = client("ce").get_cost_and_usage(**aws_params(provider, provider.operation("ce_get_cost_and_usage")))
        users = client("iam").list_users(MaxItems=100)
        roles = client("iam").list_roles(MaxItems=100)
        forecast = client("ce").get_cost_forecast(**aws_params(provider, provider.operation("ce_get_cost_forecast")))
        buckets = client("s3").list_buckets()
        location = client("s3").get_bucket_location(Bucket="ck-aws-bucket")
        objects = client("s3").list_objects_v2(Bucket="ck-aws-bucket", MaxKeys=100)
        assert server.stats.unmatched == 0
    assert [a["AlarmName"] for a in alarms["MetricAlarms"]] == ["ck-aws-alarm"]
    groups = costs["ResultsByTime"][0]["Groups"]
    assert [(g["Keys"], g["Metrics"]["UnblendedCost"]["Amount"]) for g in groups][0] == (
        ["Amazon Simple Storage Service"],
        "12.5",
    )
    assert [u["UserName"] for u in users["Users"]] == ["ck-aws-user"]
    assert [r["RoleName"] for r in roles["Roles"]] == ["ck-aws-role"]
    assert "Total" in forecast
    assert "ck-aws-bucket" in [b["Name"] for b in buckets["Buckets"]]
    assert "LocationConstraint" in location
    assert [o["Key"] for o in objects["Contents"]] == ["ck-aws-report.csv"]


def test_committed_aws_cassettes_replay_for_every_registered_operation() -> None:
    registry = load_registry(Path(__file__).resolve().parents[2] / "registry.yaml", environ={})
    provider = registry.provider("aws")
    with ReplayServer(provider=provider) as server:
        client = aws_client_factory(provider, server.url, {})
        for operation in provider.operations.values():
            answer = getattr(client(operation.service), snake_name(operation.aws_operation))(
                **aws_params(provider, operation)
            )
            assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200, operation.name
        assert server.stats.unmatched == 0
