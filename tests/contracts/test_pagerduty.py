"""devctl's PagerDuty client against the PagerDuty contract."""

import pytest
from devctl import pagerduty

pytestmark = pytest.mark.contract
TOKEN = "pd_test_token"


def test_open_incidents(contract):
    with contract("pagerduty", "list_incidents") as server:
        assert pagerduty.open_incidents(server.url, TOKEN) == [(1234, "The server is on fire.", "triggered")]


def test_incident_assignees(contract):
    with contract("pagerduty", "get_incident") as server:
        assert pagerduty.incident_assignees(server.url, TOKEN, "PT4KHLK") == ["Earline Greenholt"]


def test_service_names(contract):
    with contract("pagerduty", "list_services") as server:
        assert pagerduty.service_names(server.url, TOKEN) == ["api"]
