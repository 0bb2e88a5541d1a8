"""AWS interactions: the HTTP shape comes from botocore, and bad outputs are caught before the mock."""

from __future__ import annotations

import textwrap

import pytest

from contractkit.consumer import load_shaped
from contractkit.consumer.contractfile import example_of
from contractkit.core.errors import ContractFileError
from contractkit.registry import load_registry

REGISTRY = """\
version: 1
consumer: ops
providers:
  aws:
    kind: aws
    base_url: http://127.0.0.1:9
    auth: {scheme: aws-sigv4, env: [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY]}
    contract: contracts/aws.yaml
    operations:
      s3_list_objects: {service: s3, operation: ListObjectsV2, safe: true}
      iam_list_users: {service: iam, operation: ListUsers, safe: true}
      ce_cost: {service: ce, operation: GetCostAndUsage, safe: true}
"""


def shaped(tmp_path, contract: str):
    (tmp_path / "registry.yaml").write_text(REGISTRY, encoding="utf-8")
    (tmp_path / "contracts").mkdir(exist_ok=True)
    (tmp_path / "contracts" / "aws.yaml").write_text(textwrap.dedent(contract), encoding="utf-8")
    provider = load_registry(tmp_path / "registry.yaml").provider("aws")
    return {item.interaction.operation: item for item in load_shaped(provider, display="contracts/aws.yaml")[1]}


CONTRACT = """\
provider: aws
interactions:
  - operation: s3_list_objects
    description: objects
    params: {Bucket: logs, Prefix: app/}
    output: {Contents: {$each_like: {Key: {$like: app/1.log}, Size: {$integer: 3}}}}
  - operation: iam_list_users
    description: users
    params: {MaxItems: 10}
    output: {Users: {$each_like: {UserName: {$like: bot}, UserId: AIDA1, Arn: "arn:aws:iam::1:user/bot", Path: /,
                                  CreateDate: {$datetime: "2024-01-01T00:00:00Z"}}}}
  - operation: ce_cost
    description: cost
    params: {TimePeriod: {Start: "2024-05-01", End: "2024-06-01"}, Granularity: MONTHLY, Metrics: [BlendedCost]}
    output: {ResultsByTime: {$each_like: {Estimated: {$boolean: true}}}}
"""


def test_http_shapes_follow_each_protocol(tmp_path):
    items = shaped(tmp_path, CONTRACT)
    s3, iam, ce = items["s3_list_objects"], items["iam_list_users"], items["ce_cost"]
    # REST-XML: botocore's own customisations (list-type, encoding-type=url) are in the request
    assert (s3.request.method, s3.request.path) == ("GET", "/logs")
    assert s3.request.query == {"list-type": "2", "prefix": "app/", "encoding-type": "url"}
    assert example_of(s3.response.headers) == {"Content-Type": "text/xml"}  # a regex that also takes application/xml
    # query protocol: a form body, XML answer wrapped in <ListUsersResult>
    assert iam.request.raw_body == b"Action=ListUsers&Version=2010-05-08&MaxItems=10"
    assert iam.request.content_type.startswith("application/x-www-form-urlencoded")
    # JSON protocol: the target header and AWS's own Content-Type both ways; the body botocore writes, labelled
    # +json so the Pact core matches it as JSON; no signature or date headers anywhere
    assert ce.request.headers == {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSInsightsIndexService.GetCostAndUsage",
    }
    assert (ce.request.body, ce.request.raw_body) == (
        {
            "TimePeriod": {"Start": "2024-05-01", "End": "2024-06-01"},
            "Granularity": "MONTHLY",
            "Metrics": ["BlendedCost"],
        },
        None,
    )
    assert ce.request.content_type == "application/x-amz-json-1.1+json"
    assert (ce.response.headers, ce.response.content_type) == (
        {"Content-Type": "application/x-amz-json-1.1"},
        "application/x-amz-json-1.1+json",
    )
    for item in items.values():
        assert not {name.lower() for name in item.request.headers} & {"authorization", "x-amz-date", "user-agent"}


def test_xml_body_carries_the_result_wrapper_and_type_rules(tmp_path):
    from contractkit.consumer.aws_shapes import xml_example

    iam = shaped(tmp_path, CONTRACT)["iam_list_users"]
    text = xml_example(iam.response.xml_root)
    assert text.startswith(
        "<?xml version='1.0'?><ListUsersResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
        "<ListUsersResult><Users><member><UserName>bot</UserName>"
    )
    assert "<CreateDate>2024-01-01T00:00:00.000Z</CreateDate>" in text


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (
            "{Contents: {$each_like: {Kye: a}}}",
            "contracts/aws.yaml: interactions[0].output.Contents.$each_like.Kye: Object has no member 'Kye' "
            "(did you mean 'Key'?)",
        ),
        (
            "{KeyCount: many}",
            "contracts/aws.yaml: interactions[0].output.KeyCount: KeyCount is of type integer, got 'many'",
        ),
        (
            "{Contents: {$like: {Key: a}}}",
            "contracts/aws.yaml: interactions[0].output.Contents: $like cannot stand for the list ObjectList; use $each_like",
        ),
    ],
)
def test_output_that_botocore_cannot_carry_is_bad_input(tmp_path, output, message):
    contract = CONTRACT.split("  - operation: iam_list_users")[0].replace(
        "output: {Contents: {$each_like: {Key: {$like: app/1.log}, Size: {$integer: 3}}}}", f"output: {output}"
    )
    with pytest.raises(ContractFileError) as caught:
        shaped(tmp_path, contract)
    assert caught.value.describe().replace(":3:", ":") == message


def test_parameters_botocore_rejects_are_bad_input(tmp_path):
    contract = CONTRACT.split("  - operation: iam_list_users")[0].replace(
        "params: {Bucket: logs, Prefix: app/}", "params: {Prefix: app/}"
    )
    with pytest.raises(ContractFileError) as caught:
        shaped(tmp_path, contract)
    assert caught.value.describe() == (
        "contracts/aws.yaml:3: interactions[0].params: botocore rejects the parameters: "
        'Parameter validation failed: Missing required parameter in input: "Bucket"'
    )
