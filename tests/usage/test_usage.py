"""The usage model: what each consumer sends and reads, and who observes a change (the gate's question)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from contractkit.diff import diff_documents
from contractkit.openapi.documents import import_spec_slice
from contractkit.openapi.sites import ChangeSite, site_of
from contractkit.pact.usage import load_usage, observers
from contractkit.registry import load_registry

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class _Change:
    rule: str
    method: str
    path: str
    location: str
    message: str = ""


def test_the_model_holds_what_each_consumer_sends_and_reads(pager):
    usage = load_usage(load_registry(pager))
    assert usage.consumers == ["billing", "devctl"]
    [mine] = [item for item in usage.interactions if item.consumer == "devctl"]
    assert (mine.operation, mine.method, mine.template, mine.status) == ("list_pages", "GET", "/pages", 200)
    assert [(f.part, f.location, f.value) for f in mine.sends] == [("query", "limit", "10")]
    reads = {f.location: f.rule for f in mine.read("body")}
    assert set(reads) == {
        "$",
        "$.pages",
        "$.pages[*]",
        "$.pages[*].id",
        "$.pages[*].title",
        "$.pages[*].owner",
        "$.pages[*].owner.id",
        "$.next_offset",
    }
    assert reads["$.next_offset"] == {"matchers": [{"match": "null"}, {"match": "integer"}], "combine": "OR"}
    assert reads["$.pages"] == {"matchers": [{"match": "type", "min": 1}], "combine": "AND"}


def test_a_change_is_observed_only_where_a_consumer_sends_or_reads_it(pager):
    usage = load_usage(load_registry(pager))
    body = "#/paths/~1pages/get/responses/200/content/application~1json/schema/properties/pages/items/properties/"
    unread = observers(
        usage, _Change("response-property-type-changed", "GET", "/pages", body + "owner/properties/name")
    )
    assert unread == []
    [seen] = observers(usage, _Change("response-property-removed", "GET", "/pages", body + "title"))
    assert (seen.consumer, seen.interaction, seen.location) == ("devctl", "a listing of pages", "$.pages[*].title")
    assert seen.reason == "reads $.pages[*].title (matched by type)"
    [other] = observers(usage, _Change("response-property-type-changed", "GET", "/pages", body + "sortMeta"))
    assert (other.consumer, other.location) == ("billing", "$.pages[*].sortMeta")  # another team's pact counts
    whole = observers(usage, _Change("operation-removed", "GET", "/pages", "#/paths/~1pages/get"))
    assert sorted(seen.consumer for seen in whole) == ["billing", "devctl"]


def test_request_parameters_by_name_and_new_requirements_by_absence(pager):
    usage = load_usage(load_registry(pager))
    old = json.loads((pager.parent / "openapi.old.json").read_text())
    limit = _Change(
        "request-parameter-constraint-tightened", "GET", "/pages", "#/paths/~1pages/get/parameters/0/schema"
    )
    assert [(s.consumer, s.reason, s.value) for s in observers(usage, limit, old=old, new=old)] == [
        ("devctl", "sends the query parameter limit", "10")
    ]
    starred = _Change(
        "request-optional-parameter-removed",
        "GET",
        "/pages",
        "#/paths/~1pages/get/parameters",
        "optional query parameter 'starred' removed; clients that still send it are ignored",
    )
    assert observers(usage, starred, old=old, new=old) == []
    required = usage.observers(ChangeSite("GET", "/pages", "request", "query", "cursor", required=True))
    assert sorted(s.consumer for s in required) == ["billing", "devctl"]  # neither sends the new required cursor


def test_sites_turn_pointers_into_json_paths():
    change = _Change(
        "response-property-removed",
        "GET",
        "/incidents",
        "#/paths/~1incidents/get/responses/200/content/application~1json/schema/properties/incidents/"
        "items/properties/acknowledgements/items/properties/acknowledger/oneOf/0/properties/id",
    )
    site = site_of(change)
    assert (site.direction, site.status, site.part, site.location) == (
        "response",
        "200",
        "body",
        "$.incidents[*].acknowledgements[*].acknowledger.id",
    )
    header = site_of(_Change("response-header-removed", "GET", "/x", "#/paths/~1x/get/responses/2XX/headers/ETag"))
    assert (header.part, header.location, header.status) == ("header", "ETag", "2XX")


GRAFANA_HIT = "#/paths/~1search/get/responses/200/content/application~1json/schema/items/properties/"


def test_grafana_changes_devctl_never_observes_are_unused():
    """The issue's Grafana verdicts, turned right: sortMeta, starred and limit are not what devctl uses."""
    registry = load_registry(REPO / "registry.yaml")
    usage = load_usage(registry, providers=["grafana"])
    old = json.loads((REPO / "schemas" / "grafana" / "openapi.json").read_text())
    new = copy.deepcopy(old)
    operation = new["paths"]["/search"]["get"]
    operation["parameters"] = [p for p in operation["parameters"] if p.get("name") != "starred"]
    for parameter in operation["parameters"]:
        if parameter.get("name") == "limit":
            parameter["schema"]["maximum"] = 100
    new["components"]["schemas"]["Hit"]["properties"]["sortMeta"] = {"type": "string"}
    new["components"]["schemas"]["Hit"]["properties"]["uid"] = {"type": "integer"}
    result = diff_documents(old, new)
    verdicts = {
        change.location.rsplit("/", 2)[-2] + "/" + change.location.rsplit("/", 1)[-1]: observers(
            usage, change, provider="grafana", old=old, new=new
        )
        for change in result.changes
    }
    assert verdicts["properties/sortMeta"] == [] and verdicts["get/parameters"] == []
    assert verdicts["6/schema"] == []  # limit: devctl never sends it
    [uid] = verdicts["properties/uid"]
    assert (uid.consumer, uid.interaction, uid.location) == (
        "devctl",
        "a search for dashboards tagged production",
        "$[*].uid",
    )


def test_pagerduty_2024_to_2026_blocks_only_on_what_devctl_sends_or_reads(shared_specs):
    """The issue's demonstration: slice both vendor documents to the registry's operations, diff them, and ask
    the usage model about every breaking change; response_play and acknowledger.id are not devctl's."""
    registry = load_registry(REPO / "registry.yaml")
    provider = registry.provider("pagerduty")
    old = import_spec_slice(provider, shared_specs / "pagerduty" / "old-2024-08" / "openapiv3.json")
    new = import_spec_slice(provider, shared_specs / "pagerduty" / "openapiv3.json")
    usage = load_usage(registry, providers=["pagerduty"])
    breaking = [change for change in diff_documents(old, new).changes if change.is_breaking]
    verdicts = [(change, observers(usage, change, provider="pagerduty", old=old, new=new)) for change in breaking]
    assert breaking and all(seen == [] for _, seen in verdicts), [(c.message, s) for c, s in verdicts if s]
    assert any("response_play" in change.location for change in breaking)
    ack = ChangeSite(
        "GET",
        "/incidents",
        "response",
        "body",
        "$.incidents[*].acknowledgements[*].acknowledger.id",
        "200",
        provider="pagerduty",
    )
    assert usage.observers(ack) == []
    status = ChangeSite("GET", "/incidents", "response", "body", "$.incidents[*].status", "200", provider="pagerduty")
    [seen] = usage.observers(status)
    assert seen.describe() == (
        "devctl (a listing of triggered and acknowledged incidents): reads $.incidents[*].status (matched by regex)"
    )


@pytest.mark.parametrize("folder", ["pacts", "other-pacts"])
def test_a_broken_pact_is_bad_input_naming_the_file(pager, run_cli, folder):
    (pager.parent / folder / "broken-pager.json").write_text('{"interactions": [{"request": {"method": 3}}]}')
    code, out, err = run_cli(
        "specs",
        "check",
        "--registry",
        str(pager),
        "--provider",
        "pager",
        "--from",
        str(pager.parent / "openapi.new.json"),
    )
    assert code == 2 and "Traceback" not in err
    assert err.startswith("error: ") and err.endswith(
        f"{folder}/broken-pager.json: interactions[0].response: expected a mapping, got null\n"
    )
