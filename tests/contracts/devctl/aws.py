"""devctl's AWS client (boto3). Point it at any endpoint; credentials come from the session."""

from __future__ import annotations

import datetime as dt
from typing import Any

import boto3
from botocore.config import Config

# path-style S3 addressing and no retries: the same client works against AWS, moto or a mock
CONFIG = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1, "mode": "standard"})


def clients(endpoint_url: str, region: str = "us-east-1", **credentials: str) -> dict[str, Any]:
    """boto3 clients for the services devctl uses."""
    session = boto3.session.Session(region_name=region, **credentials)
    return {
        name: session.client(name, endpoint_url=endpoint_url, config=CONFIG)
        for name in ("s3", "iam", "ce", "cloudwatch")
    }


def bucket_names(s3: Any) -> list[str]:
    """All bucket names."""
    return [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]


def bucket_region(s3: Any, bucket: str) -> str:
    """The region of a bucket (S3 answers an empty constraint for us-east-1)."""
    return s3.get_bucket_location(Bucket=bucket).get("LocationConstraint") or "us-east-1"


def release_artifacts(s3: Any, bucket: str) -> list[tuple[str, int, dt.datetime]]:
    """(key, size, last modified) of the release artifacts."""
    listing = s3.list_objects_v2(Bucket=bucket, Prefix="releases/")
    return [(item["Key"], item["Size"], item["LastModified"]) for item in listing.get("Contents", [])]


def user_names(iam: Any) -> list[str]:
    """IAM user names."""
    return [user["UserName"] for user in iam.list_users()["Users"]]


def service_role_arns(iam: Any) -> list[str]:
    """ARNs of the roles under /service/."""
    return [role["Arn"] for role in iam.list_roles(PathPrefix="/service/")["Roles"]]


def monthly_cost_by_service(ce: Any, start: str, end: str) -> dict[str, float]:
    """Unblended cost per service for a month."""
    result = ce.get_cost_and_usage(
        TimePeriod={"Start": start, "End": end},
        Granularity="MONTHLY",
        Metrics=["UnblendedCost"],
        GroupBy=[{"Type": "DIMENSION", "Key": "SERVICE"}],
    )
    costs: dict[str, float] = {}
    for period in result["ResultsByTime"]:
        for group in period.get("Groups", []):
            costs[group["Keys"][0]] = costs.get(group["Keys"][0], 0.0) + float(
                group["Metrics"]["UnblendedCost"]["Amount"]
            )
    return costs


def cost_forecast(ce: Any, start: str, end: str) -> float:
    """Forecast unblended cost for a period."""
    result = ce.get_cost_forecast(
        TimePeriod={"Start": start, "End": end}, Metric="UNBLENDED_COST", Granularity="MONTHLY"
    )
    return float(result["Total"]["Amount"])


def firing_alarms(cloudwatch: Any) -> list[tuple[str, dt.datetime]]:
    """(name, since) of the alarms in ALARM state."""
    result = cloudwatch.describe_alarms(StateValue="ALARM", MaxRecords=50)
    return [(alarm["AlarmName"], alarm["StateUpdatedTimestamp"]) for alarm in result["MetricAlarms"]]
