"""OpenAPI documents: load (Swagger 2.0 converted to OpenAPI 3.0.3), find operations, cut slices."""

from __future__ import annotations

import copy
import difflib
import posixpath
import re
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from contractkit.core.errors import KeyPath, SchemaLoadError, UsageError
from contractkit.core.loading import load_json_fast
from contractkit.core.model import Provider, ProviderKind
from contractkit.openapi.swagger2 import convert_swagger2

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE_PARAMETER = re.compile(r"\{[^}/]+\}")
# Keys whose values are maps from names to objects: a "description" key inside them is a name, not prose.
_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "definitions",
        "$defs",
        "schemas",
        "responses",
        "parameters",
        "securitySchemes",
        "headers",
        "content",
        "paths",
        "callbacks",
        "links",
        "requestBodies",
        "encoding",
        "variables",
        "mapping",
        "scopes",
        "examples",
    }
)
_DATA_KEYS = frozenset({"enum", "default", "const", "example", "examples", "x-example"})
_REF_OPAQUE_KEYS = frozenset({"enum", "const", "example", "examples", "x-example"})
_PROSE_KEYS = frozenset({"description", "summary", "title", "externalDocs", "termsOfService", "contact", "license"})
_EXAMPLE_KEYS = frozenset({"example", "examples"})


def load_spec_document(path: str | Path, *, display: str | None = None) -> dict[str, Any]:
    """Load an OpenAPI 3.x or Swagger 2.0 document; Swagger 2.0 comes back converted to OpenAPI 3.0.3.

    Every `$ref` must stay inside the document: nothing else is read, and nothing is fetched."""
    shown = display or str(path)
    data = load_json_fast(Path(path), SchemaLoadError, display=shown)
    document = normalize_document(data, display=shown)
    refuse_external_refs(document, display=shown)
    return document


def normalize_document(data: Any, *, display: str) -> dict[str, Any]:
    """Check that data is an API description whose paths, operations, parameters and responses are objects
    where the OpenAPI specification says so, and bring it to OpenAPI 3."""
    if not isinstance(data, dict):
        raise SchemaLoadError("expected an OpenAPI or Swagger document (a mapping at the top level)", file=display)
    if str(data.get("swagger", "")).startswith("2"):
        return convert_swagger2(data)
    if str(data.get("openapi", "")).startswith("3"):
        check_structure(data, display=display)
        return data
    raise SchemaLoadError(
        "not an OpenAPI 3 or Swagger 2.0 document (no 'openapi: 3.x' or 'swagger: \"2.0\"' key)", file=display
    )


# ---------------------------------------------------------------- structure

# The objects of an OpenAPI 3 document every reader walks into, named as the specification names them.
_MAP, _LIST = "a mapping", "a list"


def check_structure(document: dict[str, Any], *, display: str) -> None:
    """Raise SchemaLoadError naming the key path when a Paths, Path Item, Operation, Parameter, Request Body,
    Responses, Response or Media Type Object is not a mapping, or a `parameters` list not a list."""
    paths = document.get("paths", {})
    _expect(paths, dict, "the Paths Object", display, ("paths",))
    for path, item in paths.items():
        if not str(path).startswith("x-"):  # specification extensions hold anything
            _check_path_item(item, display, ("paths", str(path)))


def _check_path_item(item: Any, display: str, where: KeyPath) -> None:
    _expect(item, dict, "a Path Item Object", display, where)
    _check_parameters(item, display, where)
    for method in HTTP_METHODS:
        if method in item:
            _check_operation(item[method], display, where + (method,))


def _check_operation(operation: Any, display: str, where: KeyPath) -> None:
    _expect(operation, dict, "an Operation Object", display, where)
    _check_parameters(operation, display, where)
    if "requestBody" in operation:
        _expect(operation["requestBody"], dict, "a Request Body Object", display, where + ("requestBody",))
        _check_content(operation["requestBody"], display, where + ("requestBody",))
    if "responses" in operation:
        responses = operation["responses"]
        _expect(responses, dict, "the Responses Object (status codes to responses)", display, where + ("responses",))
        for status, response in responses.items():
            if str(status).startswith("x-"):
                continue
            _expect(response, dict, "a Response Object", display, where + ("responses", str(status)))
            _check_content(response, display, where + ("responses", str(status)))
            if "headers" in response:
                _expect(
                    response["headers"],
                    dict,
                    "a mapping of headers",
                    display,
                    where + ("responses", str(status), "headers"),
                )


def _check_parameters(owner: dict[str, Any], display: str, where: KeyPath) -> None:
    if "parameters" not in owner:
        return
    parameters = owner["parameters"]
    _expect(parameters, list, "a list of Parameter Objects", display, where + ("parameters",))
    for index, parameter in enumerate(parameters):
        _expect(parameter, dict, "a Parameter Object", display, where + ("parameters", index))


def _check_content(owner: dict[str, Any], display: str, where: KeyPath) -> None:
    if "$ref" in owner or "content" not in owner:
        return
    content = owner["content"]
    _expect(content, dict, "a mapping of media types", display, where + ("content",))
    for media, value in content.items():
        _expect(value, dict, "a Media Type Object", display, where + ("content", str(media)))


def _expect(value: Any, kind: type, wanted: str, display: str, where: KeyPath) -> None:
    if not isinstance(value, kind):
        raise SchemaLoadError(
            f"expected {wanted} ({_MAP if kind is dict else _LIST}), got {_kind(value)}", file=display, key_path=where
        )


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", type(None): "null", bool: "a boolean"}.get(
        type(value), f"a {type(value).__name__}"
    )


# ---------------------------------------------------------------- references that leave the document


def refuse_external_refs(document: Any, *, display: str) -> None:
    """Raise SchemaLoadError at the first `$ref` that does not stay inside the document (a URL, a path out of its
    folder, another file), naming the reference and the JSON pointer where it stands: nothing else is read."""
    if not _has_external_ref(document):
        return  # the common case, found without building a key path per node
    for ref, where in _iter_refs_once(document):
        if not ref.startswith("#"):
            raise SchemaLoadError(
                f"$ref {ref!r} at {json_pointer(where[:-1])} {_leaves(ref)}",
                file=display,
                key_path=where,
                hint="bundle the referenced parts into this document (every reference must start with '#/')",
            )


def _has_external_ref(node: Any) -> bool:
    """Whether any `$ref` leaves the document; each node shared by YAML aliases is looked at once."""
    seen: set[int] = set()
    stack = [node] if isinstance(node, (dict, list)) else []
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, list):
            stack.extend(value for value in current if isinstance(value, (dict, list)))
            continue
        ref = current.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            return True
        stack.extend(
            value for key, value in current.items() if isinstance(value, (dict, list)) and key not in _REF_OPAQUE_KEYS
        )
    return False


def _iter_refs_once(node: Any) -> Iterator[tuple[str, KeyPath]]:
    """Like iter_refs, but a node shared by YAML aliases is walked once (an alias bomb stays small)."""
    seen: set[int] = set()
    stack: list[tuple[Any, KeyPath]] = [(node, ())]
    while stack:
        current, path = stack.pop()
        if not isinstance(current, (dict, list)) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, list):
            stack.extend((value, path + (index,)) for index, value in enumerate(current))
            continue
        if isinstance(current.get("$ref"), str):
            yield current["$ref"], path + ("$ref",)
        stack.extend((value, path + (key,)) for key, value in current.items() if key not in _REF_OPAQUE_KEYS)


def _leaves(ref: str) -> str:
    target = ref.split("#", 1)[0]
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith("//"):
        return "points to a URL, and nothing is fetched"
    normal = posixpath.normpath(target)
    if target.startswith("/") or normal == ".." or normal.startswith("../"):
        return "points outside the description's folder, and nothing there is read"
    return "points to another file, and only this one is read"


def json_pointer(key_path: Sequence[str | int]) -> str:
    """A key path as a JSON pointer fragment: ('paths', '/a', 'get') -> `#/paths/~1a/get`."""
    return "#" + "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in key_path)


def route_key(method: str, path: str) -> tuple[str, str]:
    """A method and a path template with parameter names erased, so /a/{id} and /a/{name} compare equal."""
    return method.lower(), _TEMPLATE_PARAMETER.sub("{}", path)


def iter_operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every (method, path, operation) of a document."""
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield method, path, operation


def find_path(document: dict[str, Any], method: str, path: str) -> str | None:
    """The document's own spelling of a path template that has this method, or None."""
    wanted = route_key(method, path)
    paths = document.get("paths") or {}
    if isinstance(paths.get(path), dict) and method.lower() in paths[path]:
        return path
    for candidate, item in paths.items():
        if isinstance(item, dict) and method.lower() in item and route_key(method, candidate) == wanted:
            return candidate
    return None


def find_operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    """The operation object for a method and path template, or None."""
    found = find_path(document, method, path)
    return document["paths"][found][method.lower()] if found else None


def suggest_path(document: dict[str, Any], path: str) -> str | None:
    """The closest path template of the document, for 'did you mean' hints."""
    close = difflib.get_close_matches(path, list(document.get("paths") or {}), n=1, cutoff=0.6)
    return close[0] if close else None


def resolve_pointer(document: dict[str, Any], ref: str) -> Any:
    """Follow an internal `#/a/b` reference; raise KeyError when it does not resolve."""
    if not ref.startswith("#"):
        raise KeyError(ref)
    node: Any = document
    for part in pointer_parts(ref):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise KeyError(ref)
    return node


def pointer_parts(ref: str) -> list[str]:
    """The unescaped parts of an internal reference or JSON pointer (`#/a~1b/c` -> ['a/b', 'c'])."""
    from urllib.parse import unquote

    body = ref[1:].lstrip("/") if ref.startswith("#") else ref.lstrip("/")
    return [unquote(part).replace("~1", "/").replace("~0", "~") for part in body.split("/")] if body else []


def iter_refs(node: Any, where: tuple[str | int, ...] = ()) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    """Every `$ref` string inside a node, with the key path at which it stands."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(node, where)]
    while stack:
        current, path = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield ref, path + ("$ref",)
            stack.extend((value, path + (key,)) for key, value in current.items() if key not in _REF_OPAQUE_KEYS)
        elif isinstance(current, list):
            stack.extend((value, path + (index,)) for index, value in enumerate(current))


def unresolved_refs(document: dict[str, Any]) -> list[tuple[str, tuple[str | int, ...]]]:
    """The `$ref`s of a document that do not resolve inside it."""
    missing = []
    for ref, where in iter_refs(document):
        try:
            resolve_pointer(document, ref)
        except (KeyError, ValueError, IndexError):
            missing.append((ref, where))
    return missing


def iter_ref_cycles(document: dict[str, Any]) -> Iterator[tuple[str, tuple[str | int, ...], list[str]]]:
    """Every `$ref` whose chain of references loops without reaching a schema (`A: {$ref: A}`, A -> B -> A).

    Such a chain has no meaning and sends recursive resolvers into endless recursion; a schema that refers to
    itself through a property (a tree) is fine and not reported. Yields (ref, key path, the chain).
    """
    reported: set[str] = set()
    for ref, where in iter_refs(document):
        chain = _ref_chain(document, ref)
        if chain is not None and chain[0] not in reported:
            reported.update(chain)
            yield ref, where, chain


def _ref_chain(document: dict[str, Any], ref: str) -> list[str] | None:
    """The chain of references from `ref` when it loops back on itself; None when it ends (or does not resolve)."""
    chain: list[str] = []
    while ref not in chain:
        chain.append(ref)
        try:
            target = resolve_pointer(document, ref)
        except (KeyError, ValueError, IndexError):
            return None
        if not isinstance(target, dict) or not isinstance(target.get("$ref"), str):
            return None
        ref = target["$ref"]
    return chain[chain.index(ref) :] + [ref]


def slice_spec(
    document: dict[str, Any], routes: Iterable[tuple[str, str]], *, keep_examples: bool = False, display: str = "spec"
) -> dict[str, Any]:
    """Cut the named operations and everything they reference out of an OpenAPI 3 document."""
    paths: dict[str, dict[str, Any]] = {}
    for method, path in routes:
        found = find_path(document, method, path)
        if found is None:
            hint = suggest_path(document, path)
            raise SchemaLoadError(
                f"no operation {method.upper()} {path} in the document",
                file=display,
                key_path=("paths", path, method.lower()),
                hint=f"did you mean {hint!r}?" if hint else None,
            )
        item = document["paths"][found]
        target = paths.setdefault(found, {key: item[key] for key in ("parameters", "servers") if key in item})
        target[method.lower()] = item[method.lower()]
    sliced: dict[str, Any] = {"openapi": document.get("openapi", "3.0.3")}
    for key in ("servers", "security"):
        if key in document:
            sliced[key] = document[key]
    sliced["paths"] = paths
    components = _referenced_components(document, sliced, display)
    if components:
        sliced["components"] = components
    sliced = strip_prose(copy.deepcopy(sliced), keep_examples=keep_examples)
    return {"openapi": sliced.pop("openapi"), "info": _slice_info(document), **sliced}


def _slice_info(document: dict[str, Any]) -> dict[str, Any]:
    info = document.get("info") or {}
    return {"title": str(info.get("title", "API")), "version": str(info.get("version", "0"))}


def _referenced_components(document: dict[str, Any], sliced: dict[str, Any], display: str) -> dict[str, Any]:
    components: dict[str, dict[str, Any]] = {}
    pending = list(iter_refs(sliced))
    for name in _security_names(sliced):
        pending.append((f"#/components/securitySchemes/{name}", ("security",)))
    seen: set[str] = set()
    while pending:
        ref, where = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        parts = ref.split("/")
        if not ref.startswith("#/components/") or len(parts) < 4:
            raise SchemaLoadError(
                f"cannot slice a $ref outside #/components/<section>/<name>: {ref!r}", file=display, key_path=where
            )
        try:
            resolve_pointer(document, ref)
            target = resolve_pointer(document, "/".join(parts[:4]))  # a ref may point inside a component
        except (KeyError, ValueError, IndexError):
            raise SchemaLoadError(f"$ref {ref!r} does not resolve", file=display, key_path=where) from None
        section, name = parts[2], parts[3].replace("~1", "/").replace("~0", "~")
        components.setdefault(section, {})[name] = target
        pending.extend(iter_refs(target, ("components", section, name)))
    return {section: dict(sorted(entries.items())) for section, entries in sorted(components.items())}


def _security_names(sliced: dict[str, Any]) -> set[str]:
    requirements = list(sliced.get("security") or [])
    for _, _, operation in iter_operations(sliced):
        requirements.extend(operation.get("security") or [])
    return {name for requirement in requirements if isinstance(requirement, dict) for name in requirement}


def strip_prose(node: Any, *, keep_examples: bool = False, in_name_map: bool = False, parent: str = "") -> Any:
    """Drop descriptions, summaries and vendor extensions (and examples unless kept); keep the structure."""
    if isinstance(node, list):
        return [strip_prose(item, keep_examples=keep_examples) for item in node]
    if not isinstance(node, dict):
        return node
    if in_name_map:
        stripped = {key: strip_prose(value, keep_examples=keep_examples, parent=parent) for key, value in node.items()}
        if parent == "responses":  # a Response Object requires a description, even an empty one
            for value in stripped.values():
                if isinstance(value, dict) and "$ref" not in value:
                    value.setdefault("description", "")
        return stripped
    result: dict[str, Any] = {}
    for key, value in node.items():
        if (
            key in _PROSE_KEYS
            or (key.startswith("x-") and key != "x-contractkit")
            or (key in _EXAMPLE_KEYS and not keep_examples)
        ):
            continue
        if key in _DATA_KEYS:
            result[key] = value
        else:
            result[key] = strip_prose(value, keep_examples=keep_examples, in_name_map=key in _NAME_MAPS, parent=key)
    return result


def validate_spec(document: dict[str, Any], *, display: str) -> None:
    """Raise SchemaLoadError when a document is not a valid OpenAPI description (openapi-spec-validator)."""
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
    from referencing.exceptions import Unresolvable

    missing = unresolved_refs(document)
    if missing:
        ref, where = missing[0]
        raise SchemaLoadError(f"$ref {ref!r} does not resolve inside the document", file=display, key_path=where)
    for ref, where, chain in iter_ref_cycles(document):
        raise SchemaLoadError(
            f"$ref {ref!r} never reaches a schema: its references go round in a circle ({' -> '.join(chain)})",
            file=display,
            key_path=where,
            hint="give the schema a type or properties, or refer to another schema",
        )
    try:
        validate(document)
    except Unresolvable as exc:
        raise SchemaLoadError(f"a $ref does not resolve: {exc}", file=display) from exc
    except OpenAPIValidationError as exc:
        path = tuple(getattr(exc, "absolute_path", ()) or ())
        message = exc.message if len(exc.message) <= 300 else exc.message[:200] + " ... " + exc.message[-80:]
        raise SchemaLoadError(f"not a valid OpenAPI document: {message}", file=display, key_path=path) from exc


def import_spec_slice(provider: Provider, source: Path, *, keep_examples: bool = False) -> dict[str, Any]:
    """Slice the provider's registered operations out of an official document, validated and ready to write."""
    if provider.kind is ProviderKind.AWS:
        raise UsageError(f"provider {provider.name!r} is AWS: its shapes come from botocore's models, not a slice")
    document = load_spec_document(source)
    routes = [(operation.method or "get", operation.path or "/") for operation in provider.operations.values()]
    sliced = slice_spec(document, routes, keep_examples=keep_examples, display=str(source))
    sliced["info"]["x-contractkit"] = {
        "source": source.name,
        "sha256": _sha256(source),
        "operations": len(routes),
        "examples": keep_examples,
    }
    validate_spec(sliced, display=f"slice of {source}")
    return sliced


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
