"""Convert a Swagger 2.0 document to OpenAPI 3.0.3, so every engine sees one shape."""

from __future__ import annotations

from typing import Any

_REF_PREFIXES = (
    ("#/definitions/", "#/components/schemas/"),
    ("#/parameters/", "#/components/parameters/"),
    ("#/responses/", "#/components/responses/"),
)
_SCHEMA_KEYS = (
    "type",
    "format",
    "items",
    "enum",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
)
_COLLECTION_STYLES = {
    "csv": ("form", False),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
    "multi": ("form", True),
}


def convert_swagger2(document: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI 3.0.3 document equivalent to a Swagger 2.0 one (examples and prose carried over)."""
    document = _rewrite_refs(document)
    consumes = document.get("consumes") or ["application/json"]
    produces = document.get("produces") or ["application/json"]
    shared_parameters = document.get("parameters") or {}
    converted: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": document.get("info") or {"title": "API", "version": "0"},
        "servers": [{"url": _server_url(document)}],
    }
    for key in ("security", "tags", "externalDocs"):
        if key in document:
            converted[key] = document[key]
    converted["paths"] = {
        path: _convert_path_item(item, shared_parameters, consumes, produces)
        for path, item in (document.get("paths") or {}).items()
        if isinstance(item, dict)
    }
    converted["components"] = _convert_components(document, produces)
    return converted


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        result = {key: _rewrite_refs(value) for key, value in node.items()}
        ref = result.get("$ref")
        if isinstance(ref, str):
            for old, new in _REF_PREFIXES:
                if ref.startswith(old):
                    result["$ref"] = new + ref[len(old) :]
        if result.pop("x-nullable", False) is True:
            result["nullable"] = True
        if result.get("type") == "file":
            result["type"], result["format"] = "string", "binary"
        if isinstance(result.get("discriminator"), str) and "properties" in result:
            result["discriminator"] = {"propertyName": result["discriminator"]}
        return _json_schema_to_oas30(result)
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


def _json_schema_to_oas30(schema: dict[str, Any]) -> dict[str, Any]:
    """Mend draft-4 idioms some vendors put in Swagger 2.0 (tuple items, type null, type lists)."""
    if isinstance(schema.get("items"), list):
        schema["items"] = {"anyOf": schema["items"]} if schema["items"] else {}
    kind = schema.get("type")
    if kind == "null":
        schema.pop("type")
        schema["nullable"], schema["enum"] = True, [None]
    elif isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        if "null" in kind:
            schema["nullable"] = True
        if len(kinds) == 1:
            schema["type"] = kinds[0]
        else:
            schema.pop("type")
            schema["anyOf"] = [{"type": k} for k in kinds]
    return schema


def _server_url(document: dict[str, Any]) -> str:
    base_path = document.get("basePath") or ""
    host = document.get("host")
    if not host:
        return base_path or "/"
    scheme = (document.get("schemes") or ["https"])[0]
    return f"{scheme}://{host}{base_path}"


def _convert_path_item(
    item: dict[str, Any], shared: dict[str, Any], consumes: list[str], produces: list[str]
) -> dict[str, Any]:
    converted: dict[str, Any] = {}
    common = item.get("parameters") or []
    if common:
        converted["parameters"] = [
            _convert_parameter(p) for p in common if _location(p, shared) not in ("body", "formData")
        ]
    for method, operation in item.items():
        if method in ("parameters", "$ref") or not isinstance(operation, dict):
            continue
        converted[method] = _convert_operation(operation, common, shared, consumes, produces)
    return converted


def _location(parameter: dict[str, Any], shared: dict[str, Any]) -> str:
    ref = parameter.get("$ref", "")
    if ref.startswith("#/components/parameters/"):
        return (shared.get(ref.rsplit("/", 1)[-1]) or {}).get("in", "")
    return parameter.get("in", "")


def _dereference(parameter: dict[str, Any], shared: dict[str, Any]) -> dict[str, Any]:
    ref = parameter.get("$ref", "")
    if ref.startswith("#/components/parameters/"):
        return _rewrite_refs(shared.get(ref.rsplit("/", 1)[-1]) or {})
    return parameter


def _convert_operation(
    operation: dict[str, Any],
    common: list[dict[str, Any]],
    shared: dict[str, Any],
    consumes: list[str],
    produces: list[str],
) -> dict[str, Any]:
    own_consumes = operation.get("consumes") or consumes
    own_produces = operation.get("produces") or produces
    converted = {
        key: value
        for key, value in operation.items()
        if key not in ("parameters", "responses", "consumes", "produces", "schemes")
    }
    parameters = operation.get("parameters") or []
    body_like = [
        _dereference(p, shared) for p in [*common, *parameters] if _location(p, shared) in ("body", "formData")
    ]
    plain = [_convert_parameter(p) for p in parameters if _location(p, shared) not in ("body", "formData")]
    if plain:
        converted["parameters"] = plain
    if body_like:
        converted["requestBody"] = _request_body(body_like, own_consumes)
    converted["responses"] = {
        str(code): _convert_response(response, own_produces)
        for code, response in (operation.get("responses") or {}).items()
    }
    return converted


def _convert_parameter(parameter: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in parameter:
        return parameter
    converted: dict[str, Any] = {
        key: parameter[key]
        for key in ("name", "in", "required", "description", "deprecated", "allowEmptyValue")
        if key in parameter
    }
    if parameter.get("in") == "path":
        converted["required"] = True
    converted["schema"] = {key: parameter[key] for key in _SCHEMA_KEYS if key in parameter}
    style = _COLLECTION_STYLES.get(parameter.get("collectionFormat", ""))
    if style and parameter.get("type") == "array":
        converted["style"], converted["explode"] = style
    for key, value in parameter.items():
        if key.startswith("x-"):
            converted[key] = value
    return converted


def _request_body(parameters: list[dict[str, Any]], consumes: list[str]) -> dict[str, Any]:
    body = next((p for p in parameters if p.get("in") == "body"), None)
    if body is not None:
        content = {media: {"schema": body.get("schema", {})} for media in consumes}
        return {
            "required": bool(body.get("required")),
            "content": content,
            **({"description": body["description"]} if "description" in body else {}),
        }
    properties = {p["name"]: _convert_parameter(p)["schema"] for p in parameters if "name" in p}
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    required = [p["name"] for p in parameters if p.get("required") and "name" in p]
    if required:
        schema["required"] = required
    form_types = [m for m in consumes if m in ("application/x-www-form-urlencoded", "multipart/form-data")]
    return {
        "required": bool(required),
        "content": {media: {"schema": schema} for media in form_types or ["application/x-www-form-urlencoded"]},
    }


def _convert_response(response: dict[str, Any], produces: list[str]) -> dict[str, Any]:
    if "$ref" in response:
        return response
    converted: dict[str, Any] = {"description": response.get("description", "")}
    if "schema" in response:
        converted["content"] = {media: {"schema": response["schema"]} for media in produces}
        examples = response.get("examples") or {}
        for media, example in examples.items():
            if media in converted["content"]:
                converted["content"][media]["example"] = example
    if response.get("headers"):
        converted["headers"] = {
            name: {"schema": {key: header[key] for key in _SCHEMA_KEYS if key in header}}
            for name, header in response["headers"].items()
        }
    return converted


def _convert_components(document: dict[str, Any], produces: list[str]) -> dict[str, Any]:
    components: dict[str, Any] = {}
    if document.get("definitions"):
        components["schemas"] = document["definitions"]
    parameters = {
        name: _convert_parameter(p)
        for name, p in (document.get("parameters") or {}).items()
        if p.get("in") not in ("body", "formData")
    }
    if parameters:
        components["parameters"] = parameters
    if document.get("responses"):
        components["responses"] = {name: _convert_response(r, produces) for name, r in document["responses"].items()}
    if document.get("securityDefinitions"):
        components["securitySchemes"] = {
            name: _convert_security(s) for name, s in document["securityDefinitions"].items()
        }
    return components


def _convert_security(scheme: dict[str, Any]) -> dict[str, Any]:
    kind = scheme.get("type")
    if kind == "basic":
        return {"type": "http", "scheme": "basic"}
    if kind == "apiKey":
        return {"type": "apiKey", "name": scheme.get("name", ""), "in": scheme.get("in", "header")}
    flow_names = {
        "implicit": "implicit",
        "password": "password",
        "application": "clientCredentials",
        "accessCode": "authorizationCode",
    }
    flow: dict[str, Any] = {"scopes": scheme.get("scopes") or {}}
    for key in ("authorizationUrl", "tokenUrl"):
        if key in scheme:
            flow[key] = scheme[key]
    return {"type": "oauth2", "flows": {flow_names.get(scheme.get("flow", ""), "implicit"): flow}}
