"""botocore's service models, loaded once per process: the only place contractkit loads them.

AWS shapes never come from hand-written schemas. botocore is imported on first use (it is heavy).
"""

from __future__ import annotations

import threading
from functools import cache
from typing import TYPE_CHECKING, Any

from contractkit.core.errors import UsageError

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel

_LOCK = threading.Lock()


@cache
def botocore_session() -> Any:
    """The process's botocore session (its loader caches every model it reads)."""
    import botocore.session

    return botocore.session.get_session()


def find_service_model(service: str) -> ServiceModel | None:
    """botocore's model of an AWS service (`s3`, `iam`, `ce`, `cloudwatch`), or None when unknown."""
    from botocore.exceptions import UnknownServiceError

    try:
        return _service_model(service)
    except UnknownServiceError:
        return None


@cache
def _service_model(service: str) -> ServiceModel:
    with _LOCK:  # botocore's loader is not thread-safe on first load
        return botocore_session().get_service_model(service)


def find_operation_model(service: str, operation: str) -> OperationModel | None:
    """botocore's model of one operation, or None when the service or the operation is unknown."""
    from botocore.model import OperationNotFoundError

    model = find_service_model(service)
    if model is None:
        return None
    try:
        return model.operation_model(operation)
    except OperationNotFoundError:
        return None


def service_model(service: str) -> ServiceModel:
    """botocore's model of an AWS service; UsageError when botocore does not know it."""
    model = find_service_model(service)
    if model is None:
        raise UsageError(f"botocore knows no service {service!r}")
    return model


def operation_model(service: str, operation: str) -> OperationModel:
    """botocore's model of one operation; UsageError naming what botocore does not know."""
    model = find_operation_model(service, operation)
    if model is None:
        service_model(service)
        raise UsageError(f"botocore's {service} model has no operation {operation!r}")
    return model


def protocol_of(service: str) -> str:
    """The wire protocol a current botocore client uses for the service."""
    return str(service_model(service).resolved_protocol)


def json_media_type(service: str) -> str | None:
    """The Content-Type AWS sends with the service's JSON bodies: `application/x-amz-json-<jsonVersion>` for the
    JSON protocol (1.1 for Cost Explorer, 1.0 for CloudWatch), `application/json` for REST-JSON; None for XML and
    query protocols."""
    model = service_model(service)
    if model.resolved_protocol == "json":
        return f"application/x-amz-json-{model.metadata.get('jsonVersion', '1.0')}"
    return "application/json" if model.resolved_protocol == "rest-json" else None


def snake_name(operation: str) -> str:
    """boto3's method name for an operation (`GetCostAndUsage` -> `get_cost_and_usage`)."""
    from botocore import xform_name

    return str(xform_name(operation))


__all__ = [
    "botocore_session",
    "find_service_model",
    "find_operation_model",
    "service_model",
    "operation_model",
    "json_media_type",
    "protocol_of",
    "snake_name",
]
