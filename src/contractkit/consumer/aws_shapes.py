"""AWS at the boto3 level: a call (service, operation, parameters, expected output) -> its HTTP shape.

The request is taken from a real botocore client (so every customisation botocore applies, such
as S3's `encoding-type=url`, is in it) and stopped before it leaves the process. The response is
serialised from the expected output following the operation's output shape and the protocol
botocore resolves for the service: REST-XML (S3), query (IAM), JSON (Cost Explorer, and CloudWatch,
which botocore now speaks over JSON). The serialised response is parsed back with botocore's own
parser to prove that a real client reads the expected output out of it.
Signature, date, user-agent and SDK bookkeeping headers are left out, so they take no part in matching.

JSON-protocol bodies carry the Content-Type AWS sends (`application/x-amz-json-1.1`, `-1.0`) in their
header; the pact body is labelled with that type plus the `+json` structured-syntax suffix (RFC 6839),
`application/x-amz-json-1.1+json`. The Pact core compares a body labelled `application/x-amz-json-1.1`
byte for byte, matchers ignored (so a reordered request or a response of other values fails); under the
suffixed label it matches request and response bodies as JSON, with matchers, against the real header.
"""

from __future__ import annotations

import base64
import datetime as dt
import threading
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Iterator, Mapping
from urllib.parse import parse_qsl, urlsplit

from contractkit.aws import json_media_type, operation_model, protocol_of
from contractkit.consumer.contractfile import (
    ContractInteraction,
    HttpRequest,
    HttpResponse,
    Matcher,
    example_of,
    to_pact_value,
)
from contractkit.core.errors import ContractFileError, KeyPath
from contractkit.core.loading import parse_json_value
from contractkit.core.model import Operation, Provider

if TYPE_CHECKING:
    from botocore.model import OperationModel, Shape

# Headers that tell the provider how to read the request; everything else botocore sends is
# signature, date, SDK bookkeeping or transport detail.
MATCHED_REQUEST_HEADERS = ("content-type", "x-amz-target")
CAPTURE_ENDPOINT = "http://127.0.0.1:9"  # never contacted: the request is stopped before sending
_S3_ROOTS = {
    "ListBuckets": "ListAllMyBucketsResult",
    "ListObjectsV2": "ListBucketResult",
    "ListObjects": "ListBucketResult",
    "GetBucketLocation": "LocationConstraint",
}
_S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"
# S3 answers application/xml, the query protocol text/xml; botocore reads either
XML_CONTENT_TYPE = Matcher("regex", None, {"regex": r"^(application|text)/xml(;.*)?$", "example": "text/xml"})
_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class CapturedRequest:
    """The HTTP request a real botocore client sends for a call, minus signature and SDK headers."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: Mapping[str, str]
    body: bytes


class _Stop(Exception):
    """Raised from botocore's before-send event to keep the captured request in-process."""

    def __init__(self, request: Any) -> None:
        super().__init__("captured")
        self.request = request


def client_config(**overrides: Any) -> Any:
    """The botocore Config devctl uses against a mock: path-style S3, no retries, short timeouts."""
    from botocore.config import Config

    settings = dict(
        s3={"addressing_style": "path"},
        retries={"max_attempts": 1, "mode": "standard"},
        connect_timeout=5,
        read_timeout=10,
    )
    settings.update(overrides)
    return Config(**settings)


_ANSWER = threading.local()  # a canned response for the round-trip check, per thread


class _RawBody:
    """Just enough of urllib3's response for botocore to read a canned body."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, *_: Any, **__: Any) -> Iterator[bytes]:
        yield self.body


@cache
def _client(service: str, region: str) -> Any:
    import botocore.session

    # a session of its own: the capture client's event handlers and customisations must not reach the shared models
    client = botocore.session.Session().create_client(
        service,
        region_name=region,
        endpoint_url=CAPTURE_ENDPOINT,
        aws_access_key_id="AKIDCAPTURE",
        aws_secret_access_key="capture",
        config=client_config(),
    )

    def stop_or_answer(request: Any, **_: Any) -> Any:
        answer = getattr(_ANSWER, "response", None)
        if answer is None:
            raise _Stop(request)
        from botocore.awsrequest import AWSResponse

        status, headers, body = answer
        return AWSResponse(request.url, status, headers, _RawBody(body))

    client.meta.events.register("before-send", stop_or_answer)
    return client


def _call(service: str, operation: str, params: Mapping[str, Any], region: str) -> Any:
    from botocore import xform_name

    with _LOCK:  # the cache fill is not worth racing
        client = _client(service, region)
    return getattr(client, xform_name(operation))(**params)


def capture_request(service: str, operation: str, params: Mapping[str, Any], region: str) -> CapturedRequest:
    """Run the call through a real botocore client and return the request it would have sent."""
    from botocore.exceptions import ParamValidationError

    try:
        _call(service, operation, params, region)
    except _Stop as stop:
        return _captured(stop.request)
    except ParamValidationError as exc:
        raise ValueError(str(exc).replace("\n", " ")) from exc
    raise AssertionError("botocore sent no request")  # pragma: no cover - before-send always fires


def read_with_client(
    service: str,
    operation: str,
    params: Mapping[str, Any],
    region: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
) -> Any:
    """What a real botocore client returns for the call when the provider answers with this response."""
    _ANSWER.response = (status, dict(headers), body)
    try:
        return _call(service, operation, params, region)
    finally:
        _ANSWER.response = None


def _captured(request: Any) -> CapturedRequest:
    parts = urlsplit(request.url)
    body = request.body or b""
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, str):
        body = body.encode("utf-8")
    headers = {
        name: (value.decode() if isinstance(value, bytes) else str(value))
        for name, value in request.headers.items()
        if name.lower() in MATCHED_REQUEST_HEADERS
    }
    return CapturedRequest(
        method=request.method,
        path=parts.path or "/",
        query=tuple(parse_qsl(parts.query, keep_blank_values=True)),
        headers=headers,
        body=body,
    )


def aws_http_shape(
    provider: Provider, operation: Operation, interaction: ContractInteraction
) -> tuple[HttpRequest, HttpResponse]:
    """The HTTP request and response of an AWS interaction, derived from botocore's model."""
    assert interaction.aws is not None and operation.service and operation.aws_operation
    where = interaction.key_path
    try:
        captured = capture_request(operation.service, operation.aws_operation, interaction.aws.params, provider.region)
    except ValueError as exc:
        raise ContractFileError(
            f"botocore rejects the parameters: {exc}",
            file=interaction.file,
            key_path=where + ("params",),
            line=interaction.line,
        ) from None
    media = json_media_type(operation.service)
    request = _request_of(provider, captured, media)
    model = operation_model(operation.service, operation.aws_operation)
    protocol = protocol_of(operation.service)
    serializer = _ResponseWriter(model, protocol, interaction.file, where + ("output",), interaction.line, media)
    response = serializer.response(interaction.aws.output, interaction.aws.status)
    check_round_trip(provider, operation, response, interaction)
    return request, response


def pact_json_media(media: str) -> str:
    """The pact body label under which the Pact core matches a body of this media type as JSON: the type itself
    when the core knows it as JSON (`application/json`, a `+json` suffix), else the type with `+json` appended."""
    base = media.split(";")[0].strip().lower()
    return media if base == "application/json" or base.endswith("+json") else f"{media}+json"


def _request_of(provider: Provider, captured: CapturedRequest, media: str | None = None) -> HttpRequest:
    query: dict[str, Any] = {}
    for name, value in captured.query:
        query.setdefault(name, []).append(value)
    path = provider.base_path + captured.path
    content_type = next((v for k, v in captured.headers.items() if k.lower() == "content-type"), None)
    single = {k: v[0] if len(v) == 1 else v for k, v in query.items()}
    if media is not None and captured.body:  # a JSON body, matched as JSON: any key order botocore writes
        return HttpRequest(
            method=captured.method,
            path=path,
            query=single,
            headers=dict(captured.headers),
            body=parse_json_value(captured.body.decode("utf-8")),
            content_type=pact_json_media(content_type or media),
        )
    headers = {k: v for k, v in captured.headers.items() if k.lower() != "content-type"}
    return HttpRequest(
        method=captured.method,
        path=path,
        query=single,
        headers=headers,
        body=None,
        content_type=content_type if captured.body else None,
        raw_body=captured.body or None,
    )


class _ResponseWriter:
    """Serialises an expected output (with matchers) the way the service would send it."""

    def __init__(
        self,
        model: OperationModel,
        protocol: str,
        file: str,
        key_path: KeyPath,
        line: int | None,
        media: str | None = None,
    ) -> None:
        self.model = model
        self.protocol = protocol
        self.media = media  # the Content-Type of the service's JSON bodies
        self.file = file
        self.key_path = key_path
        self.line = line

    def fail(self, message: str, key_path: KeyPath) -> ContractFileError:
        return ContractFileError(message, file=self.file, key_path=key_path, line=self.line)

    def response(self, output: Any, status: int) -> HttpResponse:
        shape = self.model.output_shape
        if not isinstance(output, Mapping):
            raise self.fail("expected a mapping of output members", self.key_path)
        if shape is None:
            if output:
                raise self.fail(f"{self.model.name} returns no output", self.key_path)
            return HttpResponse(status=status)
        if self.protocol in ("json", "rest-json"):
            media = self.media or "application/json"
            return HttpResponse(
                status=status,
                headers={"Content-Type": media},
                body=self.json_value(output, shape, self.key_path),
                content_type=pact_json_media(media),
            )
        return HttpResponse(
            status=status,
            headers={"Content-Type": XML_CONTENT_TYPE},
            content_type="application/xml",
            xml_root=self.xml_document(output, shape),
        )

    # JSON protocol ------------------------------------------------------------------------

    def json_value(self, value: Any, shape: Shape, key_path: KeyPath) -> Any:
        if isinstance(value, Matcher):
            return self.json_matcher(value, shape, key_path)
        kind = shape.type_name
        if kind == "structure":
            return {
                name: self.json_value(item, self.member(shape, name, key_path), key_path + (name,))
                for name, item in self.structure(value, key_path).items()
            }
        if kind == "list":
            return [
                self.json_value(item, shape.member, key_path + (i,))
                for i, item in enumerate(self.sequence(value, key_path))
            ]
        if kind == "map":
            return {
                str(k): self.json_value(v, shape.value, key_path + (k,))
                for k, v in self.structure(value, key_path).items()
            }
        return self.json_scalar(value, shape, key_path)

    def json_matcher(self, matcher: Matcher, shape: Shape, key_path: KeyPath) -> Matcher:
        if matcher.kind in ("like", "null_or"):
            return Matcher(matcher.kind, self.json_value(matcher.example, shape, key_path), matcher.options)
        if matcher.kind == "each_like":
            if shape.type_name != "list":
                raise self.fail(f"$each_like is for lists, {shape.name} is a {shape.type_name}", key_path)
            return Matcher(
                "each_like", self.json_value(matcher.example, shape.member, key_path + ("$each_like",)), matcher.options
            )
        if shape.type_name == "timestamp":
            # botocore reads JSON-protocol timestamps as epoch seconds: any number will do
            return Matcher("number", self.json_scalar(matcher.example, shape, key_path))
        self.check_leaf(matcher, shape, key_path)
        return matcher

    def json_scalar(self, value: Any, shape: Shape, key_path: KeyPath) -> Any:
        kind = shape.type_name
        if kind == "timestamp":
            stamp = self.timestamp(value, key_path)
            seconds = stamp.timestamp()
            return int(seconds) if seconds == int(seconds) else seconds
        if kind == "blob":
            return base64.b64encode(value.encode() if isinstance(value, str) else value).decode()
        self.check_literal(value, shape, key_path)
        return value

    # XML protocols ---------------------------------------------------------------------------

    def xml_document(self, output: Mapping[str, Any], shape: Shape) -> Any:
        from pact import xml

        name = self.model.name
        if self.protocol == "rest-xml":
            root = _S3_ROOTS.get(name) or shape.serialization.get("name") or f"{name}Result"
            if root in shape.members and len(shape.members) == 1:  # GetBucketLocation: the member is the root
                text = self.xml_text(output.get(root, ""), shape.members[root], self.key_path + (root,))
                return xml.element(root, *([text] if text != "" else []), attrs={"xmlns": _S3_NAMESPACE})
            return xml.element(root, *self.xml_members(output, shape, self.key_path), attrs={"xmlns": _S3_NAMESPACE})
        namespace = self.model.service_model.metadata.get("xmlNamespace", "")
        wrapper = shape.serialization.get("resultWrapper", f"{name}Result")
        # ResponseMetadata (the request id) is left out: it differs on every call and no consumer reads it
        result = xml.element(wrapper, *self.xml_members(output, shape, self.key_path))
        return xml.element(f"{name}Response", result, attrs={"xmlns": namespace} if namespace else None)

    def xml_members(self, value: Any, shape: Shape, key_path: KeyPath) -> list[Any]:
        if isinstance(value, Matcher) and value.kind == "like":
            value = _cascade_like(value.example)
        if isinstance(value, Matcher):
            raise self.fail(f"${value.kind} cannot stand for the structure {shape.name}", key_path)
        children: list[Any] = []
        for name, item in self.structure(value, key_path).items():
            member = self.member(shape, name, key_path)
            children.extend(self.xml_member(member.serialization.get("name", name), item, member, key_path + (name,)))
        return children

    def xml_member(self, tag: str, value: Any, shape: Shape, key_path: KeyPath) -> list[Any]:
        from pact import xml

        if shape.type_name == "list":
            return self.xml_list(tag, value, shape, key_path)
        if shape.type_name == "structure":
            return [xml.element(tag, *self.xml_members(value, shape, key_path))]
        if shape.type_name == "map":
            raise self.fail(f"maps in XML output ({shape.name}) are not supported yet", key_path)
        return [xml.element(tag, self.xml_text(value, shape, key_path))]

    def xml_list(self, tag: str, value: Any, shape: Shape, key_path: KeyPath) -> list[Any]:
        item_tag = shape.member.serialization.get("name", "member")
        flattened = shape.serialization.get("flattened", False)
        if isinstance(value, Matcher):
            if value.kind != "each_like":
                raise self.fail(f"${value.kind} cannot stand for the list {shape.name}; use $each_like", key_path)
            items = self.xml_member(
                tag if flattened else item_tag, value.example, shape.member, key_path + ("$each_like",)
            )
            items[0].each(min=int(value.options.get("min", 1)), max=value.options.get("max"))
        else:
            items = [
                element
                for i, item in enumerate(self.sequence(value, key_path))
                for element in self.xml_member(tag if flattened else item_tag, item, shape.member, key_path + (i,))
            ]
        if flattened:
            return items
        from pact import xml

        return [xml.element(tag, *items)]

    def xml_text(self, value: Any, shape: Shape, key_path: KeyPath) -> Any:
        if isinstance(value, Matcher):
            if value.kind == "like":
                value = Matcher("like", _xml_literal(self.xml_text(value.example, shape, key_path)))
            elif shape.type_name == "timestamp":
                stamp = self.timestamp(example_of(value), key_path)
                value = Matcher(
                    "regex",
                    None,
                    {
                        "regex": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$",
                        "example": _iso(stamp),
                    },
                )
            else:
                self.check_leaf(value, shape, key_path)
            if value.kind in ("each_like", "null_or"):
                raise self.fail(f"${value.kind} cannot stand for the value {shape.name} in XML", key_path)
            return to_pact_value(value, "$", {})
        if shape.type_name == "timestamp":
            return _iso(self.timestamp(value, key_path))
        self.check_literal(value, shape, key_path)
        return _xml_literal(value)

    # checks ------------------------------------------------------------------------------------

    def member(self, shape: Shape, name: str, key_path: KeyPath) -> Shape:
        try:
            return shape.members[name]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(name, list(shape.members), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (members: {', '.join(shape.members)})"
            raise self.fail(f"{shape.name} has no member {name!r}{hint}", key_path + (name,)) from None

    def structure(self, value: Any, key_path: KeyPath) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(f"expected a mapping, got {value!r}", key_path)
        return value

    def sequence(self, value: Any, key_path: KeyPath) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(f"expected a list or $each_like, got {value!r}", key_path)
        return value

    def timestamp(self, value: Any, key_path: KeyPath) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        try:
            stamp = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise self.fail(f"expected an ISO 8601 timestamp, got {value!r}", key_path) from None
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)

    def check_literal(self, value: Any, shape: Shape, key_path: KeyPath) -> None:
        expected = _PYTHON_TYPES.get(shape.type_name)
        if expected and (not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected)):
            raise self.fail(f"{shape.name} is of type {shape.type_name}, got {value!r}", key_path)
        enum = shape.enum if hasattr(shape, "enum") else []
        if enum and value not in enum:
            raise self.fail(f"{value!r} is not one of {', '.join(enum)}", key_path)

    def check_leaf(self, matcher: Matcher, shape: Shape, key_path: KeyPath) -> None:
        fits = _MATCHER_TYPES.get(matcher.kind)
        if fits and shape.type_name not in fits:
            raise self.fail(f"${matcher.kind} does not fit {shape.name}, a {shape.type_name}", key_path)


_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "double": (int, float),
    "float": (int, float),
}
_MATCHER_TYPES: dict[str, tuple[str, ...]] = {
    "integer": ("integer", "long"),
    "decimal": ("double", "float"),
    "number": ("integer", "long", "double", "float"),
    "boolean": ("boolean",),
    "regex": ("string",),
    "uuid": ("string",),
    "includes": ("string",),
    "date": ("string",),
    "time": ("string",),
    "datetime": ("string", "timestamp"),
}


def _iso(stamp: dt.datetime) -> str:
    return stamp.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _xml_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _cascade_like(value: Any) -> Any:
    """`$like` over a structure in XML: every leaf below it becomes a type match."""
    if isinstance(value, Matcher):
        return value
    if isinstance(value, dict):
        return {key: _cascade_like(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cascade_like(item) for item in value]
    return Matcher("like", value)


def check_round_trip(
    provider: Provider, operation: Operation, response: HttpResponse, interaction: ContractInteraction
) -> None:
    """Answer a real botocore client with the serialised response and insist the expected output comes out."""
    from botocore.exceptions import BotoCoreError, ClientError

    assert interaction.aws is not None and operation.service and operation.aws_operation
    where = interaction.key_path + ("output",)
    headers = {name: str(example_of(value)) for name, value in response.headers.items()}
    try:
        parsed = read_with_client(
            operation.service,
            operation.aws_operation,
            interaction.aws.params,
            provider.region,
            response.status,
            headers,
            response_bytes(response),
        )
    except (BotoCoreError, ClientError) as exc:
        if response.status < 300:
            raise ContractFileError(
                f"a boto3 client cannot read this output: {exc}",
                file=interaction.file,
                key_path=where,
                line=interaction.line,
            ) from None
        return
    parsed.pop("ResponseMetadata", None)
    problem = _subset_problem(example_of(interaction.aws.output), parsed, ())
    if problem:
        path, message = problem
        raise ContractFileError(
            f"a boto3 client would not read this output back: {message}",
            file=interaction.file,
            key_path=where + path,
            line=interaction.line,
        )


def response_bytes(response: HttpResponse) -> bytes:
    """The example body of a derived response, as the mock server sends it."""
    import json

    if response.xml_root is not None:
        return xml_example(response.xml_root).encode("utf-8")
    if response.body is None:
        return b""
    return json.dumps(example_of(response.body)).encode("utf-8")


def xml_example(element: Any) -> str:
    """The example XML text of a pact XML element tree (what the mock server answers with)."""
    from xml.sax.saxutils import escape, quoteattr

    data = element.to_serializable_dict()
    return "<?xml version='1.0'?>" + _xml_node(data, escape, quoteattr)


def _xml_node(node: dict[str, Any], escape: Any, quoteattr: Any) -> str:
    if "pact:matcher:type" in node:
        count = int(node.get("examples", 1))
        return _xml_node(node["value"], escape, quoteattr) * count
    if "name" not in node:
        content = node.get("content")
        if content is None and "matcher" in node:
            content = getattr(node["matcher"], "value", "")
        return escape(_xml_literal(content if content is not None else ""))
    attrs = "".join(f" {k}={quoteattr(str(v))}" for k, v in node.get("attributes", {}).items())
    inner = "".join(_xml_node(child, escape, quoteattr) for child in node.get("children", []))
    return f"<{node['name']}{attrs}>{inner}</{node['name']}>"


def _subset_problem(expected: Any, actual: Any, path: KeyPath) -> tuple[KeyPath, str] | None:
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return path, f"expected a mapping, botocore read {actual!r}"
        for key, value in expected.items():
            if key not in actual:
                return path + (key,), "botocore does not read this member back"
            problem = _subset_problem(value, actual[key], path + (key,))
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) < len(expected):
            return path, f"expected {len(expected)} items, botocore read {actual!r}"
        for index, value in enumerate(expected):
            problem = _subset_problem(value, actual[index], path + (index,))
            if problem:
                return problem
        return None
    if isinstance(expected, str) and isinstance(actual, (dict, list)):
        # botocore decodes some documents (IAM policies) from the JSON text AWS sends

        try:
            return (
                None
                if parse_json_value(expected) == actual
                else (path, f"expected {expected!r}, botocore read {actual!r}")
            )
        except ValueError:
            return path, f"expected {expected!r}, botocore read {actual!r}"
    if isinstance(actual, dt.datetime):
        try:
            stamp = dt.datetime.fromisoformat(str(expected).replace("Z", "+00:00"))
        except ValueError:
            return path, f"expected a timestamp, got {expected!r}"
        stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)
        return None if stamp == actual else (path, f"expected {expected!r}, botocore read {actual.isoformat()!r}")
    if expected != actual and not (expected in ("", None) and actual in ("", None)):
        return path, f"expected {expected!r}, botocore read {actual!r}"
    return None


__all__ = [
    "CapturedRequest",
    "capture_request",
    "aws_http_shape",
    "client_config",
    "pact_json_media",
    "response_bytes",
    "xml_example",
    "MATCHED_REQUEST_HEADERS",
]
