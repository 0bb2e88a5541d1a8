"""devctl's Argo CD client against the Argo CD contract."""

import pytest
from devctl import argocd

pytestmark = pytest.mark.contract
TOKEN = "argocd_test_token"


def test_application_health(contract):
    with contract("argocd", "list_applications") as server:
        assert argocd.application_health(server.url, TOKEN, "platform") == {"api": ("Synced", "Healthy")}


def test_is_out_of_sync(contract):
    with contract("argocd", "get_application") as server:
        assert argocd.is_out_of_sync(server.url, TOKEN, "api") is True


def test_sync(contract):
    with contract("argocd", "sync_application") as server:
        assert argocd.sync(server.url, TOKEN, "api") == "devctl"
