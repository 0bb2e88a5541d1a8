"""Recording AWS: boto3 calls through vcrpy against an endpoint (a real moto server, or AWS itself).

The parameters of each call come from the registry's `record.params` or the defaults below (fixed dates, so
re-recording sends the same request). Against moto, fixtures named with the run's prefix are created before
recording and removed after; moto deviates from AWS in the media type of JSON-protocol answers, which is
corrected and noted in the cassette's metadata. Matching on replay ignores signatures and dates (see cassettes/replay.py).
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import urlsplit

from contractkit.core.errors import UsageError
from contractkit.core.model import Provider
from contractkit.runtime import free_port


def aws_client_factory(provider: Provider, endpoint_url: str, environ: Mapping[str, str]) -> Callable[[str], Any]:
    """A function that makes (and caches) a boto3 client per service, pointed at one endpoint."""
    import boto3
    from botocore.config import Config

    session = boto3.session.Session(
        aws_access_key_id=environ.get("AWS_ACCESS_KEY_ID") or "AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key=environ.get("AWS_SECRET_ACCESS_KEY") or "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        aws_session_token=environ.get("AWS_SESSION_TOKEN") or None,
        region_name=provider.region,
    )
    config = Config(
        retries={"max_attempts": 1, "mode": "standard"},
        s3={"addressing_style": "path"},
        connect_timeout=5,
        read_timeout=15,
    )
    clients: dict[str, Any] = {}
    # https://amazonaws.com (or any *.amazonaws.com) means real AWS: botocore picks each service's endpoint
    endpoint = None if (urlsplit(endpoint_url).hostname or "").endswith("amazonaws.com") else endpoint_url

    def client(service: str) -> Any:
        if service not in clients:
            clients[service] = session.client(service, endpoint_url=endpoint, config=config)
        return clients[service]

    return client


def seed_moto(client: Callable[[str], Any], endpoint_url: str, prefix: str) -> None:
    """Create a bucket with an object, a user, a role, an alarm and a cost result in moto (not recorded)."""
    import requests

    s3 = client("s3")
    s3.create_bucket(Bucket=f"{prefix}bucket")
    s3.put_object(Bucket=f"{prefix}bucket", Key=f"{prefix}report.csv", Body=b"day,cost\n2026-10-01,12.50\n")
    iam = client("iam")
    iam.create_user(UserName=f"{prefix}user", Path="/contractkit/")
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    iam.create_role(RoleName=f"{prefix}role", Path="/contractkit/", AssumeRolePolicyDocument=json.dumps(policy))
    client("cloudwatch").put_metric_alarm(
        AlarmName=f"{prefix}alarm",
        MetricName="CPUUtilization",
        Namespace="AWS/EC2",
        Statistic="Average",
        Period=300,
        EvaluationPeriods=1,
        Threshold=80.0,
        ComparisonOperator="GreaterThanThreshold",
    )
    result: dict[str, Any] = {
        "ResultsByTime": [
            {
                "TimePeriod": {"Start": "2026-10-01", "End": "2026-11-01"},
                "Estimated": False,
                "Total": {},
                "Groups": [
                    {"Keys": [service], "Metrics": {"UnblendedCost": {"Amount": amount, "Unit": "USD"}}}
                    for service, amount in (
                        ("Amazon Simple Storage Service", "12.5"),
                        ("AWS Key Management Service", "0.42"),
                    )
                ],
            }
        ],
        "DimensionValueAttributes": [],
    }
    with requests.Session() as session:
        session.trust_env = False
        session.post(f"{endpoint_url}/moto-api/static/ce/cost-and-usage-results", json={"results": [result]}, timeout=5)


def remove_moto_fixtures(client: Callable[[str], Any], prefix: str) -> None:
    """Delete what seed_moto created; each step is independent so one failure does not stop the rest."""
    steps = [
        lambda: client("s3").delete_object(Bucket=f"{prefix}bucket", Key=f"{prefix}report.csv"),
        lambda: client("s3").delete_bucket(Bucket=f"{prefix}bucket"),
        lambda: client("iam").delete_user(UserName=f"{prefix}user"),
        lambda: client("iam").delete_role(RoleName=f"{prefix}role"),
        lambda: client("cloudwatch").delete_alarms(AlarmNames=[f"{prefix}alarm"]),
    ]
    for step in steps:
        try:
            step()
        except Exception:  # noqa: BLE001,S110 - the server may already be gone; nothing to clean then
            pass


@contextmanager
def moto_server(*, startup_timeout: float = 20.0) -> Iterator[str]:
    """Start a real moto server on 127.0.0.1 and a free port; yields its URL and stops it afterwards."""
    import subprocess
    import sys

    import requests

    port = free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + "/moto-api/", process, startup_timeout, requests)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(url: str, process: Any, timeout: float, requests: Any) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise UsageError(
                f"moto server exited with code {process.returncode} before it was ready",
                hint="is moto[server] installed? (pip install 'moto[server]')",
            )
        try:
            with requests.Session() as session:
                session.trust_env = False
                session.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise UsageError(f"moto server did not answer at {url} within {timeout:.0f} s")
