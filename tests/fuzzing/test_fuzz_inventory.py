"""contracts fuzz against the inventory example provider: the planted defects are caught, the correct variant holds."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest
from fuzz_support import REPO, inventory_registry

from contractkit.fuzz import FuzzOptions, fuzz_provider
from contractkit.registry import load_registry

QUICK = ("--max-examples", "15", "--seed", "20261122")


def test_error_format_check_catches_the_planted_malformed_404_body(tmp_path, serve_inventory, run_cli):
    server = serve_inventory("broken")
    registry = inventory_registry(tmp_path)
    for _ in range(2):
        code, out, err = run_cli(
            "fuzz",
            "--registry",
            str(registry),
            "--provider",
            "inventory",
            "--operation",
            "get_item",
            "--base-url",
            server.url,
            "--format",
            "json",
            *QUICK,
        )
        # Seen twice in full parallel runs, never alone: schemathesis finished the operation without generating a
        # case (reported as skipped, "no case was generated"). Such a run proves nothing either way: run it again.
        if '"cases": 0,' not in out:
            break
    assert code == 1, err + out
    report = json.loads(out)
    [row] = report["results"]
    assert row["operation"] == "get_item" and row["status"] == "failed"
    [error_format] = [failure for failure in row["failures"] if failure["check"] == "error_format"]
    assert error_format["code"] == "CK806"
    assert error_format["status_code"] == 404
    assert 'the 404 body does not match the error schema at $: "type" is a required property' in error_format["message"]
    assert error_format["seed"] == 20261122
    assert error_format["curl"].startswith("curl -X GET") and "/items/" in error_format["curl"]


def test_schemathesis_checks_alone_miss_the_planted_defects(tmp_path, serve_inventory):
    """The description allows both defects: only our two checks see them."""
    server = serve_inventory("broken")
    registry = load_registry(inventory_registry(tmp_path))
    options = FuzzOptions(
        base_url=server.url,
        max_examples=10,
        seed=20261122,
        use_corpus=False,
        checks=(
            "not_a_server_error",
            "status_code_conformance",
            "content_type_conformance",
            "response_schema_conformance",
            "negative_data_rejection",
        ),
    )
    run = fuzz_provider(registry, "inventory", options, environ={})
    assert run.failures == []


def test_consumer_compatibility_check_catches_a_field_the_pact_relies_on(tmp_path, serve_inventory):
    server = serve_inventory("broken")
    registry = load_registry(inventory_registry(tmp_path))
    options = FuzzOptions(
        base_url=server.url,
        operations=("get_item",),
        max_examples=15,
        seed=20261122,
        use_corpus=False,
        checks=("consumer_compatibility",),
    )
    run = fuzz_provider(registry, "inventory", options, environ={})
    [failure] = run.failures
    assert failure.code == "CK807" and failure.status_code == 200
    assert "shopfront (a request for item 3): $.sku is missing" in failure.message


def test_the_correct_variant_passes_every_check(tmp_path, serve_inventory, run_cli):
    server = serve_inventory("correct")
    registry = inventory_registry(tmp_path)
    code, out, err = run_cli(
        "fuzz",
        "--registry",
        str(registry),
        "--provider",
        "inventory",
        "--base-url",
        server.url,
        "--max-examples",
        "5",
        "--seed",
        "20261122",
    )
    assert code == 0, out
    assert "0 failed" in out
    assert "create_item / POST /items" in out  # an own provider gets unsafe methods too
    assert server.methods["POST"] > 0
    assert not (tmp_path / "fuzz").exists()  # nothing failed, so no corpus file


def test_a_third_party_provider_gets_only_get_and_head_unless_unsafe_is_allowed(tmp_path, serve_inventory, run_cli):
    server = serve_inventory("correct")
    registry = inventory_registry(tmp_path, third_party=True)
    code, out, _ = run_cli(
        "fuzz",
        "--registry",
        str(registry),
        "--provider",
        "inventory",
        "--base-url",
        server.url,
        "--max-examples",
        "3",
        "-q",
    )
    assert code == 0
    assert "SKIPPED [fuzz] inventory / create_item / POST /items: CK810: POST on third-party provider" in out
    # Every phase, coverage's unexpected-method probes included, kept to GET and HEAD.
    assert set(server.methods) <= {"GET", "HEAD"} and server.methods["GET"] > 0
    code, out, _ = run_cli(
        "fuzz",
        "--registry",
        str(registry),
        "--provider",
        "inventory",
        "--base-url",
        server.url,
        "--max-examples",
        "3",
        "--phases",
        "examples,fuzzing",
        "--allow-unsafe",
        "-q",
    )
    assert code == 0
    assert server.methods["POST"] > 0


def test_same_seed_same_failures(tmp_path, serve_inventory):
    server = serve_inventory("broken")
    registry = load_registry(inventory_registry(tmp_path))
    options = FuzzOptions(
        base_url=server.url, operations=("get_item",), max_examples=10, seed=99, use_corpus=False, phases=("fuzzing",)
    )

    def found() -> list[tuple[str, str, int | None, str]]:
        run = fuzz_provider(registry, "inventory", options, environ={})
        return sorted((failure.check, failure.title, failure.status_code, failure.curl) for failure in run.failures)

    first = found()
    assert first and found() == first


def test_failures_go_to_the_corpus_and_are_replayed_first(tmp_path, serve_inventory, run_cli):
    broken = serve_inventory("broken")
    registry = inventory_registry(tmp_path)
    code, _, err = run_cli(
        "fuzz",
        "--registry",
        str(registry),
        "--provider",
        "inventory",
        "--operation",
        "get_item",
        "--base-url",
        broken.url,
        *QUICK,
    )
    assert code == 1
    corpus_file = tmp_path / "fuzz" / "inventory.corpus.json"
    corpus = json.loads(corpus_file.read_text())
    assert corpus["format"] == "contractkit-fuzz-corpus"
    checks = {case["check"] for case in corpus["cases"]}
    assert checks == {"error_format", "consumer_compatibility"}
    assert "2 added" in err

    # With generation reduced to a single example phase, the saved cases alone still show both defects.
    code, out, err = run_cli(
        "fuzz",
        "--registry",
        str(registry),
        "--provider",
        "inventory",
        "--operation",
        "get_item",
        "--base-url",
        broken.url,
        "--phases",
        "examples",
        "--format",
        "json",
    )
    assert code == 1
    [row] = json.loads(out)["results"]
    assert {(failure["check"], failure["source"]) for failure in row["failures"]} >= {
        ("error_format", "corpus"),
        ("consumer_compatibility", "corpus"),
    }
    assert "2 replayed, 0 added" in err

    # Once the provider is fixed, the replayed cases pass: the fixed bugs are checked on every run.
    fixed = serve_inventory("correct")
    code, out, err = run_cli(
        "fuzz",
        "--registry",
        str(registry),
        "--provider",
        "inventory",
        "--operation",
        "get_item",
        "--base-url",
        fixed.url,
        "--phases",
        "examples",
    )
    assert code == 0, out
    assert "2 replayed, 0 added" in err
    assert json.loads(corpus_file.read_text()) == corpus


def test_reports_in_junit_and_markdown(tmp_path, serve_inventory, run_cli):
    server = serve_inventory("broken")
    registry = inventory_registry(tmp_path)
    code, out, _ = run_cli(
        "fuzz",
        "--registry",
        str(registry),
        "--provider",
        "inventory",
        "--operation",
        "get_item",
        "--base-url",
        server.url,
        "--format",
        "junit",
        "--no-corpus",
        "-q",
        *QUICK,
    )
    assert code == 1
    suite = ElementTree.fromstring(out.split("\n", 1)[1]).find("testsuite")
    assert suite is not None and suite.get("failures") == "1"
    failure = suite.find("testcase/failure")
    assert failure is not None and "CK806" in (failure.text or "") and "seed 20261122" in (failure.text or "")
    output = tmp_path / "report.md"
    code, out, _ = run_cli(
        "fuzz",
        "--registry",
        str(registry),
        "--provider",
        "inventory",
        "--operation",
        "get_item",
        "--base-url",
        server.url,
        "--format",
        "markdown",
        "--no-corpus",
        "-q",
        "-o",
        str(output),
        *QUICK,
    )
    assert code == 1 and out == ""
    assert "| ❌ | fuzz | get_item | GET /items/{item_id} |" in output.read_text()


def test_credentials_come_from_the_environment_and_never_reach_output(tmp_path, serve_inventory, run_cli, monkeypatch):
    server = serve_inventory("broken")
    registry = inventory_registry(tmp_path, auth="{scheme: bearer, env: INVENTORY_TOKEN}")
    monkeypatch.delenv("INVENTORY_TOKEN", raising=False)
    code, _, err = run_cli("fuzz", "--registry", str(registry), "--provider", "inventory", "-q")
    assert code == 2
    assert err == (
        "error: registry.yaml:8: providers.inventory.auth.env: provider 'inventory' needs the environment "
        "variable INVENTORY_TOKEN for its bearer auth, and INVENTORY_TOKEN is not set. export "
        "INVENTORY_TOKEN\n"
    )

    secret = "s3cr3t-token-value-for-the-test"
    monkeypatch.setenv("INVENTORY_TOKEN", secret)
    code, out, _ = run_cli(
        "fuzz",
        "--registry",
        str(registry),
        "--provider",
        "inventory",
        "--operation",
        "get_item",
        "--base-url",
        server.url,
        "--format",
        "json",
        *QUICK,
    )
    assert code == 1
    corpus = (tmp_path / "fuzz" / "inventory.corpus.json").read_text()
    assert secret not in out and secret not in corpus
    curls = [failure["curl"] for failure in json.loads(out)["results"][0]["failures"]]
    assert curls and all('-H "Authorization: Bearer $INVENTORY_TOKEN"' in curl for curl in curls)


def test_a_base_url_target_is_fuzzed_without_unset_credentials_and_the_run_names_them(
    tmp_path, serve_inventory, run_cli, monkeypatch
):
    server = serve_inventory("correct")
    registry = inventory_registry(tmp_path, auth="{scheme: basic, env: [INVENTORY_USER, INVENTORY_PASSWORD]}")
    monkeypatch.delenv("INVENTORY_USER", raising=False)
    monkeypatch.delenv("INVENTORY_PASSWORD", raising=False)
    code, out, err = run_cli(
        "fuzz",
        "--registry",
        str(registry),
        "--provider",
        "inventory",
        "--operation",
        "list_items",
        "--base-url",
        server.url,
        "--no-corpus",
        "--max-examples",
        "3",
        "--seed",
        "1",
    )
    assert code == 0, err + out
    assert server.methods["GET"] > 0
    assert (
        f"INVENTORY_USER, INVENTORY_PASSWORD not set: fuzzed {server.url} without inventory's basic credentials "
        f"(export INVENTORY_USER, INVENTORY_PASSWORD if the target asks for them)"
    ) in err.splitlines()


def test_only_the_fuzzed_providers_credentials_are_asked_for(tmp_path, serve_inventory, run_cli, monkeypatch):
    server = serve_inventory("correct")
    registry = inventory_registry(tmp_path)
    text = registry.read_text().replace("http://127.0.0.1:9/", server.url)
    registry.write_text(
        text + "  grafana:\n    base_url: http://127.0.0.1:9/api\n"
        "    auth: {scheme: bearer, env: GRAFANA_TOKEN}\n"
        "    operations:\n      search: {method: GET, path: /search, safe: true}\n"
    )
    monkeypatch.delenv("GRAFANA_TOKEN", raising=False)
    code, out, err = run_cli(
        "fuzz",
        "--registry",
        str(registry),
        "--provider",
        "inventory",
        "--operation",
        "list_items",
        "--no-corpus",
        "--max-examples",
        "3",
        "--seed",
        "1",
    )
    assert code == 0, err + out
    assert "GRAFANA_TOKEN" not in err + out and server.methods["GET"] > 0


def test_in_process_wsgi_app(tmp_path, run_cli, monkeypatch):
    monkeypatch.syspath_prepend(str(REPO))
    registry = inventory_registry(tmp_path)
    code, out, _ = run_cli(
        "fuzz",
        "--registry",
        str(registry),
        "--provider",
        "inventory",
        "--operation",
        "get_item",
        "--app",
        "examples.inventory.app:broken_app",
        "--no-corpus",
        "-q",
        "--max-examples",
        "15",
        "--seed",
        "1",
    )
    assert code == 1
    assert "CK806 error_format: Error body does not match the error schema at $ (required) [404]" in out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--provider", "nope"), "registry.yaml has no provider 'nope' (known: inventory)"),
        (
            ("--provider", "inventory", "--operation", "delete_all"),
            "provider 'inventory' has no operation 'delete_all'",
        ),
        (
            ("--provider", "inventory", "--app", "x:y", "--base-url", "http://127.0.0.1:9"),
            "give either --app or --base-url, not both",
        ),
        (
            ("--provider", "inventory", "--app", "no_such_module_here:app"),
            "cannot import 'no_such_module_here' for --app",
        ),
        (("--provider", "inventory", "--checks", "not_a_server_error,vibes"), "unknown check(s) vibes"),
        (("--provider", "inventory", "--phases", "fuzzing,shrinking"), "unknown phase(s) shrinking (known: examples,"),
        (
            ("--provider", "inventory", "--base-url", "http://127.0.0.1:9"),
            "cannot reach http://127.0.0.1:9 (Connection refused). start the provider, give --base-url",
        ),
    ],
)
def test_bad_input_exits_2_with_one_message(tmp_path, run_cli, arguments, message):
    registry = inventory_registry(tmp_path)
    code, out, err = run_cli("fuzz", "--registry", str(registry), *arguments)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_a_broken_corpus_file_is_bad_input(tmp_path, serve_inventory, run_cli):
    server = serve_inventory("correct")
    registry = inventory_registry(tmp_path)
    corpus = tmp_path / "fuzz" / "inventory.corpus.json"
    corpus.parent.mkdir()
    corpus.write_text('{"format": "contractkit-fuzz-corpus", "cases": [\n  {"operation": 1}\n]}\n')
    code, _, err = run_cli("fuzz", "--registry", str(registry), "--provider", "inventory", "--base-url", server.url)
    assert code == 2
    assert err.startswith(f"error: {corpus}: cases[0]: malformed case")
