"""devctl's Grafana client against the Grafana contract."""

import pytest
from devctl import grafana

pytestmark = pytest.mark.contract
TOKEN = "glsa_test_token"


def test_search_dashboards(contract):
    with contract("grafana", "search_dashboards") as server:
        hits = grafana.search_dashboards(server.url, TOKEN, "production")
    assert [(hit.uid, hit.tags) for hit in hits] == [("cpu-overview", ("production",))]


def test_dashboard_panels(contract):
    with contract("grafana", "get_dashboard") as server:
        assert grafana.dashboard_panels(server.url, TOKEN, "cpu-overview") == ["CPU usage"]


def test_annotate_deploy(contract):
    with contract("grafana", "create_annotation") as server:
        assert grafana.annotate_deploy(server.url, TOKEN, "cpu-overview", "v2.4.1", 1718200000000) == 4021


def test_default_datasource(contract):
    with contract("grafana", "list_datasources") as server:
        assert grafana.default_datasource(server.url, TOKEN) == "Prometheus"
