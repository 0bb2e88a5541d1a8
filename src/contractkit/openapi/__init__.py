"""API descriptions: loading OpenAPI 3 and Swagger 2 documents, AsyncAPI 2.6 and 3.0 documents and message schemas, JSON pointers and `$ref` walking, slicing the
registered operations out of a vendor's document, and quirks overlays that correct a slice."""

from typing import TYPE_CHECKING

from contractkit.core.faces import import_on_use
from contractkit.openapi.asyncapi import (
    SUPPORTED_VERSIONS,
    AsyncApiMessage,
    asyncapi_major,
    find_message,
    iter_messages,
    load_asyncapi,
    message_payload,
    slice_asyncapi,
)
from contractkit.openapi.documents import (
    HTTP_METHODS,
    find_operation,
    find_path,
    import_spec_slice,
    iter_operations,
    iter_refs,
    load_spec_document,
    normalize_document,
    pointer_parts,
    refuse_external_refs,
    resolve_pointer,
    route_key,
    slice_spec,
    strip_prose,
    suggest_path,
    unresolved_refs,
    validate_spec,
)
from contractkit.openapi.message_documents import (
    MESSAGE_MEDIA,
    MESSAGE_PATH_PREFIX,
    MESSAGE_STATUS,
    SOURCES_KEY,
    load_message_description,
    message_document,
    message_path,
    schema_source,
)
from contractkit.openapi.overlays import Overlay, OverlayEntry, OverlayError, Provenance, apply_overlay, load_overlay
from contractkit.openapi.sites import OPERATION, REQUEST, RESPONSE, ChangeLike, ChangeSite, site_of
from contractkit.openapi.swagger2 import convert_swagger2

if TYPE_CHECKING:
    from contractkit.openapi.message_schemas import (
        PROVENANCE_KEY,
        SchemaBundle,
        import_message_schemas,
        load_schema_bundle,
        python_model_schema,
        slice_definition,
        webhook_definition,
    )

__all__ = [
    "MESSAGE_MEDIA",
    "MESSAGE_PATH_PREFIX",
    "MESSAGE_STATUS",
    "SOURCES_KEY",
    "load_message_description",
    "message_document",
    "message_path",
    "schema_source",
    "SUPPORTED_VERSIONS",
    "AsyncApiMessage",
    "asyncapi_major",
    "find_message",
    "iter_messages",
    "load_asyncapi",
    "message_payload",
    "slice_asyncapi",
    "PROVENANCE_KEY",
    "SchemaBundle",
    "import_message_schemas",
    "load_schema_bundle",
    "python_model_schema",
    "slice_definition",
    "webhook_definition",
    "ChangeLike",
    "ChangeSite",
    "HTTP_METHODS",
    "OPERATION",
    "Overlay",
    "OverlayEntry",
    "OverlayError",
    "Provenance",
    "REQUEST",
    "RESPONSE",
    "apply_overlay",
    "convert_swagger2",
    "find_operation",
    "find_path",
    "import_spec_slice",
    "iter_operations",
    "iter_refs",
    "load_overlay",
    "load_spec_document",
    "normalize_document",
    "pointer_parts",
    "refuse_external_refs",
    "resolve_pointer",
    "route_key",
    "site_of",
    "slice_spec",
    "strip_prose",
    "suggest_path",
    "unresolved_refs",
    "validate_spec",
]

# message schemas are imported (and sliced) by a few commands only; the module pulls in tarfile and importlib.metadata
__getattr__ = import_on_use(
    __name__,
    {
        "message_schemas": (
            "PROVENANCE_KEY",
            "SchemaBundle",
            "import_message_schemas",
            "load_schema_bundle",
            "python_model_schema",
            "slice_definition",
            "webhook_definition",
        ),
    },
)
