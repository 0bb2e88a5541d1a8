"""AWS responses recorded from a real moto server, parsed by botocore's own parsers and checked against output shapes."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from contractkit.registry import load_registry
from contractkit.validation import validate_response

REGISTRY = """version: 1
consumer: devctl
providers:
  aws:
    kind: aws
    base_url: http://127.0.0.1:5000
    auth: {scheme: aws-sigv4, env: [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY]}
    operations:
      s3_list_buckets: {service: s3, operation: ListBuckets, safe: true}
      iam_list_users: {service: iam, operation: ListUsers, safe: true}
      ce_get_cost_and_usage: {service: ce, operation: GetCostAndUsage, safe: true}
      cloudwatch_describe_alarms: {service: cloudwatch, operation: DescribeAlarms, safe: true}
"""


@pytest.fixture(scope="module")
def recorded() -> dict[str, dict]:
    """Raw responses of four operations as moto's server sends them, captured before botocore parses them."""
    boto3 = pytest.importorskip("boto3")
    from botocore.config import Config

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        ["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait(f"http://127.0.0.1:{port}/moto-api/")
        captured: dict[str, dict] = {}

        def keep(operation_model, response_dict, **_):
            captured[operation_model.name] = {
                "status": response_dict["status_code"],
                "headers": dict(response_dict["headers"]),
                "body": response_dict["body"],
            }

        options = dict(
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(s3={"addressing_style": "path"}),
        )
        s3 = boto3.client("s3", **options)
        s3.create_bucket(Bucket="contractkit-one")
        iam = boto3.client("iam", **options)
        iam.create_user(UserName="alice")
        calls = [
            (s3, "list_buckets", {}),
            (iam, "list_users", {}),
            (boto3.client("cloudwatch", **options), "describe_alarms", {}),
            (
                boto3.client("ce", **options),
                "get_cost_and_usage",
                {
                    "TimePeriod": {"Start": "2026-10-01", "End": "2026-11-01"},
                    "Granularity": "MONTHLY",
                    "Metrics": ["UnblendedCost"],
                },
            ),
        ]
        for client, method, arguments in calls:
            client.meta.events.register("before-parse", keep)
            getattr(client, method)(**arguments)
        return captured
    finally:
        process.terminate()
        process.wait(10)


def _wait(url: str) -> None:
    deadline = time.monotonic() + 120  # generous: a busy machine starts moto slowly, and that is no failure
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"moto server did not start at {url}")


@pytest.fixture()
def aws(tmp_path: Path):
    (tmp_path / "registry.yaml").write_text(REGISTRY)
    return load_registry(tmp_path / "registry.yaml").provider("aws")


@pytest.mark.parametrize(
    ("operation", "name"),
    [
        ("s3_list_buckets", "ListBuckets"),
        ("iam_list_users", "ListUsers"),
        ("cloudwatch_describe_alarms", "DescribeAlarms"),
        ("ce_get_cost_and_usage", "GetCostAndUsage"),
    ],
)
def test_real_moto_responses_fit_their_output_shapes(aws, recorded, operation, name):
    response = recorded[name]
    assert validate_response(aws, operation, response["status"], response["headers"], response["body"]) == []


def test_a_timestamp_that_is_not_a_timestamp_is_caught_by_the_rest_xml_parser(aws, recorded):
    response = recorded["ListBuckets"]
    body = (
        response["body"]
        .replace(b"<CreationDate>", b"<CreationDate>yesterday, ")
        .replace(b"</CreationDate>", b"</CreationDate>", 1)
    )
    [finding] = validate_response(aws, "s3_list_buckets", 200, response["headers"], body)
    assert finding.code == "CK407" and "botocore's rest-xml parser rejects the response" in finding.message


def test_a_type_changed_in_a_json_protocol_response_is_caught(aws):
    body = b'{"ResultsByTime": [{"TimePeriod": {"Start": "2026-10-01", "End": "2026-11-01"}, "Total": {"UnblendedCost": {"Amount": 12.5, "Unit": "USD"}}, "Estimated": "no"}]}'
    found = validate_response(aws, "ce_get_cost_and_usage", 200, {"Content-Type": "application/x-amz-json-1.1"}, body)
    assert sorted((f.code, f.location) for f in found) == [
        ("CK407", "$.ResultsByTime[0].Estimated"),
        ("CK407", "$.ResultsByTime[0].Total.UnblendedCost.Amount"),
    ]
    assert all("(shape GetCostAndUsageResponse)" in f.message for f in found)


def test_an_error_response_needs_an_aws_error_code(aws):
    good = b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>"
    assert validate_response(aws, "iam_list_users", 403, {"Content-Type": "text/xml"}, good) == []
    [finding] = validate_response(aws, "iam_list_users", 500, {"Content-Type": "text/html"}, b"<html>oops</html>")
    assert finding.code == "CK407"
