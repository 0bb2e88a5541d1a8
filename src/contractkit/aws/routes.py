"""How registered operations are recognised on the wire, AWS included: the provider's operation router.

HTTP operations are their method and path under the provider's base path. AWS operations come from
botocore's model: JSON and query-protocol calls name their action (`X-Amz-Target`, `Action=`); REST
services (S3) are a method, a request URI template and the literal query keys it carries.
"""

from __future__ import annotations

from typing import Mapping
from urllib.parse import parse_qsl

from contractkit.aws.models import operation_model
from contractkit.core.model import Operation, Provider
from contractkit.core.routing import OperationRoute, OperationRouter

_ACTION_PROTOCOLS = frozenset(("json", "query", "ec2", "smithy-rpc-v2-cbor"))


def operation_route(provider: Provider, operation: Operation) -> OperationRoute | None:
    """How one registered operation is recognised, or None when it has no route (no method or path)."""
    if operation.service:
        return _aws_route(operation)
    if not operation.method or not operation.path:
        return None
    return OperationRoute(operation.name, operation.method, provider.base_path + operation.path)


def _aws_route(operation: Operation) -> OperationRoute:
    model = operation_model(operation.service or "", operation.aws_operation or "")
    uri = str(model.http.get("requestUri", "/"))
    path, _, query = uri.partition("?")
    keys = frozenset(item.split("=", 1)[0] for item in query.split("&") if item)
    action = operation.aws_operation or "" if model.service_model.resolved_protocol in _ACTION_PROTOCOLS else ""
    return OperationRoute(operation.name, str(model.http.get("method", "POST")), path, keys, action)


def provider_router(provider: Provider) -> OperationRouter:
    """The router over a provider's registered operations."""
    routes = (operation_route(provider, operation) for operation in provider.operations.values())
    return OperationRouter(route for route in routes if route is not None)


def aws_action(headers: Mapping[str, str], body: bytes | str | None) -> str:
    """The AWS operation a request names: X-Amz-Target's suffix, or a query-protocol `Action`, or ''.

    `headers` has lower-case names."""
    target = headers.get("x-amz-target", "")
    if target:
        return target.rsplit(".", 1)[-1]
    data = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    if data.startswith(b"Action=") or b"&Action=" in data:
        return dict(parse_qsl(data.decode("utf-8", "replace"))).get("Action", "")
    return ""


__all__ = ["aws_action", "operation_route", "provider_router"]
