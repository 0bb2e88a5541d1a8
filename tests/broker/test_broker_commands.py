"""Every broker command against the Pact Broker's own contract (the official client's pact), served locally by
the Pact core's mock server: the requests must be the ones the broker's contract describes."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from tests.broker.mockbroker import OFFICIAL, OURS, pick, serve

INDEX = "a request for the index resource"
FOO_VERSION = "5556b8149bf8bac76bc30f50a8a2dd4c22c85f30"
FOO_STATE = f"version {FOO_VERSION} of pacticipant Foo exists with a test environment available for deployment"
NO_RETRY = ("--broker-retries", "0", "--retry-backoff", "0")


def test_publish_uses_the_contracts_publishing_endpoint(tmp_path: Path, run_cli) -> None:
    chosen = pick(
        OFFICIAL,
        (INDEX, "the pb:publish-contracts relations exists in the index resource"),
        ("a request to publish contracts", None),
    )
    # the pact whose bytes the broker's contract expects (base64 in the request), written as a consumer run would
    content = base64.b64decode(chosen[1]["request"]["body"]["contracts"][0]["content"])
    (tmp_path / "Foo-Bar.json").write_bytes(content)
    with serve(chosen) as url:
        code, out, err = run_cli(
            "broker", "publish", str(tmp_path / "Foo-Bar.json"), "--broker", url,
            "--consumer-app-version", FOO_VERSION, "--branch", "main", "--tag", "dev", "--build-url", "http://build",
        )  # fmt: skip
    assert (code, err) == (0, "")
    assert f"published 1 pact(s) of Foo {FOO_VERSION} (pb:publish-contracts)" in out
    assert "broker: some message" in out


def test_publish_falls_back_to_one_pact_at_a_time_on_an_older_broker(tmp_path: Path, run_cli) -> None:
    chosen = pick(
        OURS,
        (INDEX, "the broker has no contracts-publishing endpoint"),
        ("a request to publish a pact", "the 'Pricing Service' already exists in the pact-broker"),
        ("a request to tag the production version of Condor", "'Condor' exists in the pact-broker"),
    )
    pact = tmp_path / "Condor-Pricing Service.json"
    pact.write_text('{"consumer": {"name": "Condor"}, "provider": {"name": "Pricing Service"}, "interactions": []}')
    with serve(chosen) as url:
        code, out, err = run_cli(
            "broker", "publish", str(pact), "--broker", url, "--consumer-app-version", "1.3.0", "--tag", "prod",
            "--branch", "main",
        )  # fmt: skip
    assert code == 0, err
    assert "published 1 pact(s) of Condor 1.3.0 (pb:publish-pact)" in out
    assert "note: branch 'main' not recorded: the broker has no contracts-publishing endpoint" in out


def test_a_broker_error_names_the_relation_and_request_after_retrying(tmp_path: Path, run_cli) -> None:
    chosen = pick(
        OURS,
        (INDEX, "the broker has no contracts-publishing endpoint"),
        ("a request to publish a pact", "an error occurs while publishing a pact"),
    )
    pact = tmp_path / "condor.json"
    pact.write_text('{"consumer": {"name": "Condor"}, "provider": {"name": "Pricing Service"}, "interactions": []}')
    with serve(chosen) as url:
        code, _, err = run_cli(
            "broker", "publish", str(pact), "--broker", url, "--consumer-app-version", "1.3.0",
            "--broker-retries", "2", "--retry-backoff", "0",
        )  # fmt: skip
    assert code == 2
    assert (
        f"error: pb:publish-pact ({pact}) (PUT {url}/pacts/provider/Pricing%20Service/consumer/Condor/version/1.3.0): "
        "HTTP 500: An error occurred"
    ) in err
    assert "Traceback" not in err


def test_environments_are_listed_and_created(run_cli) -> None:
    listed = pick(
        OFFICIAL,
        (INDEX, "the pb:environments relation exists in the index resource"),
        ("a request to list the environments", "an environment exists"),
    )
    with serve(listed) as url:
        code, out, _ = run_cli("broker", "environments", "--broker", url)
    assert code == 0
    assert out == "test\tTest\t-\t78e85fb2-9df1-48da-817e-c9bea6294e01\n"
    created = pick(
        OFFICIAL,
        (INDEX, "the pb:environments relation exists in the index resource"),
        ("a request to create an environment", None),
    )
    with serve(created) as url:
        code, out, err = run_cli(
            "broker", "create-environment", "--broker", url, "--name", "test", "--display-name", "Test",
            "--no-production", "--contact-name", "Foo team", "--contact-email-address", "foo@bar.com",
        )  # fmt: skip
    assert code == 0, err
    assert out == "created environment test (Test) ffe683ef-dcd7-4e4f-877d-f6eb3db8e86e\n"


def test_record_deployment_and_release_follow_the_version_resource(run_cli) -> None:
    index = (INDEX, "the pb:pacticipant-version and pb:environments relations exist in the index resource")
    deployment = pick(
        OFFICIAL,
        index,
        ("a request for a pacticipant version", FOO_STATE),
        ("a request to record a deployment", FOO_STATE),
    )
    with serve(deployment) as url:
        code, out, err = run_cli(
            "record-deployment", "--broker", url, "--pacticipant", "Foo", "--version", FOO_VERSION,
            "--environment", "test", "--application-instance", "blue",
        )  # fmt: skip
    assert code == 0, err
    assert out == f"recorded deployment of Foo version {FOO_VERSION} to test\n"
    release_state = FOO_STATE.replace("for deployment", "for release")
    release = pick(
        OFFICIAL,
        index,
        ("a request for a pacticipant version", release_state),
        ("a request to record a release", FOO_STATE),
    )
    with serve(release) as url:
        code, out, err = run_cli(
            "broker", "record-release", "--broker", url, "--pacticipant", "Foo", "--version", FOO_VERSION,
            "--environment", "test",
        )  # fmt: skip
    assert code == 0, err
    assert out == f"recorded release of Foo version {FOO_VERSION} to test\n"


def test_record_deployment_to_an_environment_the_version_lacks_names_the_ones_there(run_cli) -> None:
    chosen = pick(
        OFFICIAL,
        (INDEX, "the pb:pacticipant-version and pb:environments relations exist in the index resource"),
        (
            "a request for a pacticipant version",
            FOO_STATE.replace("a test environment", "2 environments that aren't test"),
        ),
    )
    with serve(chosen) as url:
        code, _, err = run_cli(
            "record-deployment", "--broker", url, "--pacticipant", "Foo", "--version", FOO_VERSION,
            "--environment", "test",
        )  # fmt: skip
    assert code == 2
    assert (
        f"error: pb:record-deployment: environment 'test' is not available for Foo version {FOO_VERSION} "
        "(the broker offers prod, dev)"
    ) in err


MATRIX_FOO_ONLY = (
    "a request for the compatibility matrix where only the version of Foo is specified",
    "the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6 and version 5.6.7",
)


def test_can_i_deploy_says_yes_with_the_brokers_reason(run_cli) -> None:
    with serve(pick(OFFICIAL, MATRIX_FOO_ONLY)) as url:
        code, out, err = run_cli("can-i-deploy", "--broker", url, "--pacticipant", "Foo", "--version", "1.2.3")
    assert code == 0, err
    assert out.startswith("Computer says yes \\o/\n")
    assert "Foo      | 4         | Bar      | 5         | true     | 1" in out
    assert "1. http://result (success)" in out
    assert out.endswith("some text\n")


def test_can_i_deploy_asks_again_while_results_are_unknown(run_cli) -> None:
    with serve(pick(OFFICIAL, MATRIX_FOO_ONLY)) as url:
        code, out, err = run_cli(
            "can-i-deploy", "--broker", url, "--pacticipant", "Foo", "--version", "1.2.3",
            "--retry-while-unknown", "2", "--retry-interval", "0",
        )  # fmt: skip
    assert code == 0
    assert err.splitlines() == [
        "waiting for 1 unknown result(s): retry 1 of 2",
        "waiting for 1 unknown result(s): retry 2 of 2",
    ]


def test_can_i_deploy_alongside_a_tag_without_a_verdict_exits_1(run_cli) -> None:
    chosen = pick(
        OFFICIAL,
        (
            "a request for the compatibility matrix for Foo version 1.2.3 and the latest prod versions of all other "
            "pacticipants",
            "the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6 (tagged prod) and "
            "version 5.6.7",
        ),
    )
    with serve(chosen) as url:
        code, out, _ = run_cli(
            "can-i-deploy", "--broker", url, "--pacticipant", "Foo", "--version", "1.2.3", "--to-tag", "prod"
        )
        dry = run_cli(
            "can-i-deploy",
            "--broker",
            url,
            "--pacticipant",
            "Foo",
            "--version",
            "1.2.3",
            "--to-tag",
            "prod",
            "--dry-run",
        )
    assert code == 1
    assert out.startswith("Computer says no")
    assert "Foo      | 1.2.3     | Bar      | 4.5.6     | ???" in out
    assert dry[0] == 0


def test_can_i_deploy_two_versions_reports_the_brokers_reason(run_cli) -> None:
    chosen = pick(
        OFFICIAL,
        (
            "a request for the compatibility matrix where one or more versions does not exist",
            "the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6",
        ),
    )
    with serve(chosen) as url:
        code, out, _ = run_cli(
            "can-i-deploy", "--broker", url, "--pacticipant", "Foo", "--version", "1.2.3",
            "--pacticipant", "Bar", "--version", "9.9.9", "--format", "json",
        )  # fmt: skip
    assert code == 1
    assert '"reason": "an error message"' in out and '"deployable": null' in out


def test_a_matrix_error_is_exit_2_naming_the_request(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACT_BROKER_TOKEN", "broker-token-never-shown-0123")
    chosen = pick(OFFICIAL, ("a request for the compatibility matrix for a pacticipant that does not exist", None))
    with serve(chosen) as url:
        code, out, err = run_cli(
            "can-i-deploy", "--broker", url, "--pacticipant", "Wiffle", "--version", "1.2.3",
            "--pacticipant", "Meep", "--version", "9.9.9", *NO_RETRY,
        )  # fmt: skip
    assert code == 2
    assert f"error: matrix (GET {url}/matrix): HTTP 400: an error message" in err
    assert "broker-token-never-shown-0123" not in out + err
