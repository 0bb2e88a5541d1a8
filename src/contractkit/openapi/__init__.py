"""API descriptions: loading OpenAPI 3 and Swagger 2 documents, JSON pointers and `$ref` walking, slicing the
registered operations out of a vendor's document, and quirks overlays that correct a slice."""

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
from contractkit.openapi.overlays import Overlay, OverlayEntry, OverlayError, Provenance, apply_overlay, load_overlay
from contractkit.openapi.sites import OPERATION, REQUEST, RESPONSE, ChangeLike, ChangeSite, site_of
from contractkit.openapi.swagger2 import convert_swagger2

__all__ = [
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
