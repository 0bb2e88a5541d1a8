"""AWS: botocore's service models (the only loader) and AWS responses checked against them."""

from contractkit.aws.models import (
    botocore_session,
    find_operation_model,
    find_service_model,
    json_media_type,
    operation_model,
    protocol_of,
    service_model,
    snake_name,
)
from contractkit.aws.routes import aws_action, provider_router
from contractkit.aws.validation import validate_aws_response

__all__ = [
    "aws_action",
    "botocore_session",
    "find_operation_model",
    "find_service_model",
    "json_media_type",
    "operation_model",
    "protocol_of",
    "provider_router",
    "service_model",
    "snake_name",
    "validate_aws_response",
]
