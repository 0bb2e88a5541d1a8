"""AWS responses checked against botocore's models: parsed with botocore's own parser, then held to the shape."""

from __future__ import annotations

import json
from typing import Any, Mapping

from contractkit.aws.models import operation_model
from contractkit.core.codes import Code
from contractkit.core.http import content_type, header_value
from contractkit.core.limits import MAX_ERRORS_PER_RESPONSE
from contractkit.core.model import Finding, Operation, Provider, Severity
from contractkit.core.text import shorten

_PROTOCOL_BY_MEDIA = {
    "application/cbor": "smithy-rpc-v2-cbor",
    "application/x-amz-json-1.0": "json",
    "application/x-amz-json-1.1": "json",
    "application/json": "json",
    "text/xml": "query",
    "application/xml": "query",
}


def validate_aws_response(
    provider: Provider, operation: Operation, status: int, headers: Mapping[str, Any], body: Any
) -> list[Finding]:
    """Parse a recorded AWS response with botocore's own parser for the protocol, then check the output shape."""
    from botocore.parsers import ResponseParserError

    where = {"provider": provider.name, "operation": operation.name}
    model = operation_model(operation.service or "", operation.aws_operation or "")
    raw = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    if not isinstance(raw, (bytes, bytearray)):
        raw = json.dumps(raw).encode("utf-8")
    protocol = _aws_protocol(model.service_model, headers, bytes(raw))
    flat = {key.lower(): header_value(headers, key) or "" for key in headers}
    try:
        parsed = _aws_parser(protocol).parse(
            {"status_code": status, "headers": flat, "body": bytes(raw)}, model.output_shape
        )
    except (ResponseParserError, ValueError, TypeError, KeyError) as exc:
        return [
            Finding(
                Code.AWS_SHAPE,
                Severity.ERROR,
                f"{operation.label} {status}: botocore's {protocol} parser rejects the response ({_first_line(exc)})",
                "$",
                **where,
            )
        ]
    if status >= 300:
        return _aws_error_findings(operation, status, parsed, bytes(raw), where)
    return _aws_shape_findings(operation, status, parsed, model.output_shape, where)


def _aws_error_findings(
    operation: Operation, status: int, parsed: Mapping[str, Any], raw: bytes, where: Mapping[str, str]
) -> list[Finding]:
    # botocore falls back to the status code as the error code when the body has none: that is not an AWS error body
    code = str((parsed.get("Error") or {}).get("Code") or "")
    if code and code.encode("utf-8") in raw:
        return []
    return [
        Finding(
            Code.AWS_SHAPE,
            Severity.ERROR,
            f"{operation.label} {status}: an error status without an AWS error code in the body",
            "$.Error.Code",
            **where,
        )
    ]


def _aws_shape_findings(
    operation: Operation, status: int, parsed: Mapping[str, Any], shape: Any, where: Mapping[str, str]
) -> list[Finding]:
    from botocore.validate import ParamValidator

    if shape is None:
        return []
    data = {key: value for key, value in parsed.items() if key != "ResponseMetadata"}
    report = ParamValidator().validate(data, shape)
    findings = []
    # range and length limits in botocore's models describe requests; responses are held to types and required members
    # (ValidationErrors keeps its tuples in `_errors`; botocore has no public accessor for them)
    errors = [error for error in report._errors if error[0] in ("invalid type", "missing required field")]
    for error_type, name, extra in errors[:MAX_ERRORS_PER_RESPONSE]:
        location = "$" + "".join(f".{part}" if not part.startswith("[") else part for part in name.split(".") if part)
        findings.append(
            Finding(
                Code.AWS_SHAPE,
                Severity.ERROR,
                f"{operation.label} {status}: {_aws_reason(error_type, extra)} (shape {shape.name})",
                location,
                **where,
            )
        )
    return findings


def _aws_reason(error_type: str, extra: Mapping[str, Any]) -> str:
    if error_type == "invalid type":
        return f"expected {', '.join(extra.get('valid_types', ()))[:80]}, got {type(extra.get('param')).__name__}"
    if error_type == "missing required field":
        return f"missing required member {extra.get('required_name')!r}"
    if error_type == "unknown field":
        return f"unknown member {extra.get('unknown_param')!r}"
    return f"{error_type} {shorten({k: str(v) for k, v in extra.items()}, 120)}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:160]


def _aws_protocol(service_model: Any, headers: Mapping[str, Any], body: bytes) -> str:
    # services such as CloudWatch speak several protocols, and servers label bodies loosely (moto sends JSON as
    # text/html): the body itself says which family was used, the content type only breaks ties
    supported = list(service_model.metadata.get("protocols") or [service_model.protocol])
    head = body.lstrip()[:1]
    family = {b"<": ("rest-xml", "query", "ec2"), b"{": ("json", "rest-json"), b"[": ("json", "rest-json")}.get(head)
    if family is None:
        guess = _PROTOCOL_BY_MEDIA.get(content_type(headers))
        family = (guess,) if guess else ("smithy-rpc-v2-cbor",) if head else tuple(supported)
    for protocol in family:
        if protocol in supported:
            return protocol
    return supported[0]


def _aws_parser(protocol: str) -> Any:
    from botocore.parsers import create_parser

    return create_parser(protocol)


__all__ = ["validate_aws_response"]
