"""AWS JSON-protocol bodies: the Content-Type AWS sends, and JSON matching under the Pact core both ways.

The Pact core compares a body labelled `application/x-amz-json-1.1` byte for byte (its matchers ignored), and
refuses an `application/json` expectation against an x-amz-json answer. Under the label with the `+json`
structured-syntax suffix it matches the body as JSON, with matchers, against the real header.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import threading
import urllib.request
from pathlib import Path

import pytest

from contractkit.consumer import load_shaped, serve
from contractkit.consumer.aws_shapes import capture_request
from contractkit.registry import load_registry

REPO = Path(__file__).resolve().parents[2]
AWS_JSON = "application/x-amz-json-1.1"


@pytest.fixture
def aws_json_provider():
    """A loopback HTTP server answering every POST with the (content type, body) put in `answer`."""
    answer: dict[str, bytes | str] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = answer["body"]
            self.send_response(200)
            self.send_header("Content-Type", str(answer["type"]))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", answer
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _verify(tmp_path: Path, origin: str, label: str) -> list[tuple[str, str]]:
    """Verify a one-interaction pact whose response is `{"a": "x", "b": 1}` ($.a by type) labelled `label`."""
    from pact import Verifier

    pact = {
        "consumer": {"name": "c"},
        "provider": {"name": "p"},
        "metadata": {"pactSpecification": {"version": "4.0"}},
        "interactions": [
            {
                "description": "x",
                "type": "Synchronous/HTTP",
                "request": {"method": "POST", "path": "/"},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": [AWS_JSON]},
                    "body": {"content": {"a": "x", "b": 1}, "contentType": label, "encoded": False},
                    "matchingRules": {"body": {"$.a": {"matchers": [{"match": "type"}]}}},
                },
            }
        ],
    }
    path = tmp_path / "pact.json"
    path.write_text(json.dumps(pact), encoding="utf-8")
    verifier = Verifier("p", host="127.0.0.1").add_transport(url=origin).add_source(path)
    try:
        verifier.verify()
    except RuntimeError:
        pass  # the results say why
    [result] = verifier.results["interactionResults"]
    return [(item["type"], item.get("mismatch", "")) for item in (result.get("mismatch") or {}).get("mismatches", [])]


@pytest.mark.parametrize(
    ("label", "answer", "mismatch"),
    [
        # labelled as AWS labels it: bytes compared, so the same JSON spaced differently fails
        (AWS_JSON, b'{ "a": "x", "b": 1 }', ("BodyMismatch", "Actual body [application/x-amz-json-1.1, 20 bytes")),
        # labelled application/json: refused against the x-amz-json answer whatever the body
        (
            "application/json",
            b'{"a":"x","b":1}',
            (
                "BodyTypeMismatch",
                "Expected a body of 'application/json' but the actual content type was 'application/x-amz-json-1.1'",
            ),
        ),
        # the +json suffix: JSON matching, so another key order, another value of the type, an extra key pass ...
        (AWS_JSON + "+json", b'{"extra": true, "b": 1, "a": "other"}', None),
        # ... and the matchers and equality hold
        (
            AWS_JSON + "+json",
            b'{"a": 5, "b": 1}',
            ("BodyMismatch", "Expected 5 (Integer) to be the same type as 'x' (String)"),
        ),
        (
            AWS_JSON + "+json",
            b'{"a": "x", "b": 2}',
            ("BodyMismatch", "Expected 2 (Integer) to be equal to 1 (Integer)"),
        ),
    ],
)
def test_the_pact_core_matches_an_x_amz_json_body_as_json_only_under_the_json_suffix(
    tmp_path: Path, aws_json_provider, label: str, answer: bytes, mismatch: tuple[str, str] | None
) -> None:
    origin, served = aws_json_provider
    served.update(type=AWS_JSON, body=answer)
    found = _verify(tmp_path, origin, label)
    if mismatch is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0][0] == mismatch[0] and found[0][1].startswith(mismatch[1]), found


# ce_get_cost_and_usage's params as contracts/aws.yaml lists them, and the same params in another order
LISTED = """\
      TimePeriod: {Start: "2024-05-01", End: "2024-06-01"}
      Granularity: MONTHLY
      Metrics: [UnblendedCost]
      GroupBy: [{Type: DIMENSION, Key: SERVICE}]
"""
REORDERED = """\
      GroupBy: [{Key: SERVICE, Type: DIMENSION}]
      Metrics: [UnblendedCost]
      Granularity: MONTHLY
      TimePeriod: {End: "2024-06-01", Start: "2024-05-01"}
"""
LISTED_PARAMS = {
    "TimePeriod": {"Start": "2024-05-01", "End": "2024-06-01"},
    "Granularity": "MONTHLY",
    "Metrics": ["UnblendedCost"],
    "GroupBy": [{"Type": "DIMENSION", "Key": "SERVICE"}],
}


@pytest.fixture
def reordered_project(tmp_path: Path) -> Path:
    """A copy of the example project whose contracts/aws.yaml lists ce_get_cost_and_usage's params in another order."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("registry.yaml", "contracts", "schemas", "examples", "pacts", "cassettes"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, project / name)
    contract = project / "contracts" / "aws.yaml"
    text = contract.read_text(encoding="utf-8")
    assert text.count(LISTED) == 1
    contract.write_text(text.replace(LISTED, REORDERED), encoding="utf-8")
    return project


def test_json_protocol_params_in_another_order_write_the_same_pact(reordered_project: Path, run_cli) -> None:
    code, out, err = run_cli("consumer", "--registry", str(reordered_project / "registry.yaml"), "--provider", "aws")
    assert code == 0, out + err
    assert "PASSED [consumer] aws / ce_get_cost_and_usage / the monthly unblended cost by service" in out
    written = reordered_project / "pacts" / "devctl-aws.json"
    assert written.read_text(encoding="utf-8") == (REPO / "pacts" / "devctl-aws.json").read_text(encoding="utf-8")


def _send(url: str, body: bytes) -> int:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": AWS_JSON, "X-Amz-Target": "AWSInsightsIndexService.GetCostAndUsage"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - the loopback mock
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize(("change", "matched"), [({}, True), ({"Granularity": "DAILY"}, False)])
def test_the_mock_matches_a_json_protocol_request_whatever_its_key_order(
    reordered_project: Path, change, matched
) -> None:
    """The request devctl sends with the params in the listed order matches the interaction written from the
    reordered contract; a different value does not."""
    provider = load_registry(reordered_project / "registry.yaml", environ=dict(os.environ)).provider("aws")
    [item] = [item for item in load_shaped(provider)[1] if item.interaction.operation == "ce_get_cost_and_usage"]
    listed = capture_request("ce", "GetCostAndUsage", {**LISTED_PARAMS, **change}, provider.region).body
    assert not listed.startswith(b'{"GroupBy"')  # the listed order, not the contract's
    with serve("devctl", provider, [item]) as service:
        status = _send(service.root_url + "/", listed)
    assert (status == 200, service.matched) == (matched, matched)
