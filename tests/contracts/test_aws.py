"""devctl's boto3 code against the AWS contract: a real boto3 client reads every expected output."""

import datetime as dt

import pytest
from devctl import aws

pytestmark = pytest.mark.contract
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture
def clients_for(contract):
    def open_clients(server):
        return aws.clients(server.url, **CREDENTIALS)

    return open_clients


def test_bucket_names(contract, clients_for):
    with contract("aws", "s3_list_buckets") as server:
        assert aws.bucket_names(clients_for(server)["s3"]) == ["devctl-artifacts"]


def test_bucket_region(contract, clients_for):
    with contract("aws", "s3_get_bucket_location") as server:
        assert aws.bucket_region(clients_for(server)["s3"], "devctl-artifacts") == "eu-west-1"


def test_release_artifacts(contract, clients_for):
    with contract("aws", "s3_list_objects") as server:
        artifacts = aws.release_artifacts(clients_for(server)["s3"], "devctl-artifacts")
    assert artifacts == [
        ("releases/devctl-2.4.1.tar.gz", 1048576, dt.datetime(2024, 6, 12, 14, 5, tzinfo=dt.timezone.utc))
    ]


def test_user_names(contract, clients_for):
    with contract("aws", "iam_list_users") as server:
        assert aws.user_names(clients_for(server)["iam"]) == ["deploy-bot"]


def test_service_role_arns(contract, clients_for):
    with contract("aws", "iam_list_roles") as server:
        arns = aws.service_role_arns(clients_for(server)["iam"])
    assert arns == ["arn:aws:iam::123456789012:role/service/devctl-deployer"]


def test_monthly_cost_by_service(contract, clients_for):
    with contract("aws", "ce_get_cost_and_usage") as server:
        costs = aws.monthly_cost_by_service(clients_for(server)["ce"], "2024-05-01", "2024-06-01")
    assert costs == {"Amazon Simple Storage Service": 12.5}


def test_cost_forecast(contract, clients_for):
    with contract("aws", "ce_get_cost_forecast") as server:
        assert aws.cost_forecast(clients_for(server)["ce"], "2024-06-01", "2024-07-01") == 130.25


def test_firing_alarms(contract, clients_for):
    with contract("aws", "cloudwatch_describe_alarms") as server:
        alarms = aws.firing_alarms(clients_for(server)["cloudwatch"])
    assert alarms == [("api-5xx-rate", dt.datetime(2024, 6, 12, 14, 5, tzinfo=dt.timezone.utc))]
