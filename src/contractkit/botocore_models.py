"""botocore's service models, loaded once per process (AWS shapes never come from hand-written schemas)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel


@cache
def _session():  # type: ignore[no-untyped-def]
    import botocore.session

    return botocore.session.get_session()


@cache
def find_service_model(service: str) -> ServiceModel | None:
    """botocore's model of an AWS service (`s3`, `iam`, `ce`, `cloudwatch`), or None when unknown."""
    from botocore.exceptions import UnknownServiceError

    try:
        return _session().get_service_model(service)
    except UnknownServiceError:
        return None


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
