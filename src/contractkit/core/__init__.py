"""The ground floor: errors, the model, loading YAML/JSON with line numbers, atomic files.

Nothing here imports another part of contractkit; every other subpackage may import from here. Explaining a
document a bundled JSON Schema refuses stands on jsonschema and its format checkers (about a tenth of a second to
import): its names are offered here and imported on first use, so loading a valid file never pays for them.
"""

from typing import TYPE_CHECKING

from contractkit.core.errors import (
    CassetteError,
    ContractFileError,
    ContractKitError,
    KeyPath,
    PactFileError,
    RegistryError,
    SchemaLoadError,
    UsageError,
    format_key_path,
)
from contractkit.core.faces import import_on_use
from contractkit.core.files import (
    DEFAULT_REGISTRY,
    find_registry,
    write_bytes_atomic,
    write_json_atomic,
    write_text_atomic,
)
from contractkit.core.loading import SourceDocument, load_json_fast, load_source, parse_source, read_text
from contractkit.core.model import (
    Auth,
    CheckResult,
    Finding,
    MessageSource,
    MessageSpec,
    MessageTransport,
    Operation,
    Provider,
    ProviderKind,
    Registry,
    Report,
    SchemaSource,
    Severity,
    SpecSource,
    Status,
)

if TYPE_CHECKING:
    from contractkit.core.schemacheck import bundled_validator, check_document

__all__ = [
    "Auth",
    "CassetteError",
    "CheckResult",
    "ContractFileError",
    "ContractKitError",
    "Finding",
    "KeyPath",
    "MessageSource",
    "MessageSpec",
    "MessageTransport",
    "Operation",
    "PactFileError",
    "Provider",
    "ProviderKind",
    "Registry",
    "RegistryError",
    "Report",
    "DEFAULT_REGISTRY",
    "SchemaLoadError",
    "SchemaSource",
    "Severity",
    "SourceDocument",
    "SpecSource",
    "Status",
    "UsageError",
    "bundled_validator",
    "check_document",
    "find_registry",
    "format_key_path",
    "load_json_fast",
    "load_source",
    "parse_source",
    "read_text",
    "write_bytes_atomic",
    "write_json_atomic",
    "write_text_atomic",
]

# module -> the names it offers through this face, imported when one of them is first read
__getattr__ = import_on_use(__name__, {"schemacheck": ("bundled_validator", "check_document")})
