"""Pact against OpenAPI: would the provider, as documented, even allow what the consumer expects?

Every pact interaction is checked against the provider's OpenAPI description: the path and method exist,
required parameters and body are present and valid, the expected status and content type are declared, and
the expected response body is a compatible subset of the documented schema. A subset means the consumer
may ignore documented fields (`required` is not enforced on the expectation) but must not expect a field,
a type or a value the provider does not document.

Finding codes (CK41x):
  CK411 path not in the description           CK412 method not documented for the path
  CK413 required parameter missing            CK414 parameter value not valid
  CK415 request body missing or not valid     CK416 expected status not declared
  CK417 expected content type not declared    CK418 expected field not documented
  CK419 expected value or type not documented CK420 undocumented query parameter (warning)
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from contractkit.core.codes import Code
from contractkit.core.http import coerce_text, is_json_media, pick_media_type
from contractkit.core.model import Finding, Severity
from contractkit.pact.reader import (
    Pact,
    PactInteraction,
    PactRequest,
    PactResponse,
    parse_pact,
    read_pact,
)
from contractkit.validation.responses import (
    SpecValidator,
    compile_schema,
    deref,
    json_path,
    schema_errors,
)

_MAX_DEPTH = 64
_IGNORED_HEADERS = frozenset(("accept", "content-type", "authorization"))


def iter_pact_findings(pact: Pact | Mapping[str, Any], spec: Mapping[str, Any] | SpecValidator, *, base_path: str = "",
                       provider: str = "") -> Iterator[Finding]:
    """Findings for every HTTP interaction of a pact checked against an OpenAPI 3 document."""
    validator = spec if isinstance(spec, SpecValidator) else SpecValidator(spec, base_paths=(base_path,) if base_path else ())
    for interaction in (pact if isinstance(pact, Pact) else parse_pact(pact)).interactions:
        yield from iter_interaction_findings(interaction, validator, provider=provider)


def iter_interaction_findings(interaction: PactInteraction | Mapping[str, Any], validator: SpecValidator, *,
                              provider: str = "") -> Iterator[Finding]:
    """Findings for one pact interaction against the description behind `validator`."""
    if not isinstance(interaction, PactInteraction):
        [interaction] = parse_pact({"interactions": [interaction]}).interactions
    request, response = interaction.request, interaction.response
    method, path = request.method, request.path
    name = interaction.description or f"{method} {path}"
    match = validator.match(method, path)
    if match is None:
        yield _path_finding(validator, method, path, name, provider)
        return
    where = {"provider": provider, "operation": match.operation.get("operationId") or f"{method} {match.template}"}
    label = f"{name!r} ({method} {match.template})"
    operation = match.operation
    item = deref(validator.document, validator.document["paths"][match.template])
    yield from _parameter_findings(validator, item, operation, request, label, where)
    yield from _request_body_findings(validator, operation, request, label, where)
    yield from _response_findings(validator, operation, response, label, where)


def _path_finding(validator: SpecValidator, method: str, path: str, name: str, provider: str) -> Finding:
    methods = [other for other in ("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS")
               if other != method and validator.match(other, path) is not None]
    if methods:
        return Finding(Code.METHOD_UNKNOWN, Severity.ERROR,
                       f"{name!r}: {method} is not documented for {path} (documented: {', '.join(methods)})",
                       "request.method", provider, f"{method} {path}")
    return Finding(Code.PATH_UNKNOWN, Severity.ERROR,
                   f"{name!r}: {method} {path} matches no path of the OpenAPI description", "request.path",
                   provider, f"{method} {path}")


# --------------------------------------------------------------------------- request

def _parameters(validator: SpecValidator, item: Mapping[str, Any], operation: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    merged: dict[tuple[str, str], Mapping[str, Any]] = {}
    for raw in list(item.get("parameters") or []) + list(operation.get("parameters") or []):
        parameter = deref(validator.document, raw, source=validator.source)
        if isinstance(parameter, Mapping) and "name" in parameter:
            merged[(parameter.get("in", ""), parameter["name"].lower() if parameter.get("in") == "header" else parameter["name"])] = parameter
    return list(merged.values())


def _parameter_findings(validator: SpecValidator, item: Mapping[str, Any], operation: Mapping[str, Any],
                        request: PactRequest, label: str, where: Mapping[str, str]) -> Iterator[Finding]:
    query = request.query
    headers = {key.lower(): values[0] for key, values in request.headers.items() if values}
    documented_query = set()
    for parameter in _parameters(validator, item, operation):
        place, name = parameter.get("in"), parameter["name"]
        if place == "query":
            documented_query.add(name)
            values = query.get(name)
        elif place == "header":
            if name.lower() in _IGNORED_HEADERS:
                continue  # OpenAPI 3.0: these header parameters SHALL be ignored
            values = (headers[name.lower()],) if name.lower() in headers else None
        else:
            continue  # path parameters are implied by the template match; cookies are not in pacts
        if values is None:
            if parameter.get("required"):
                yield Finding(Code.PARAMETER_MISSING, Severity.ERROR,
                              f"{label}: required {place} parameter {name!r} is missing", f"request.{place}.{name}", **where)
            continue
        yield from _parameter_value_findings(validator, parameter, values, label, where)
    for name in sorted(set(query) - documented_query):
        yield Finding(Code.QUERY_UNDOCUMENTED, Severity.WARNING,
                      f"{label}: query parameter {name!r} is not documented", f"request.query.{name}", **where)


def _parameter_value_findings(validator: SpecValidator, parameter: Mapping[str, Any], values: Sequence[str], label: str,
                              where: Mapping[str, str]) -> Iterator[Finding]:
    schema = parameter.get("schema")
    if not isinstance(schema, Mapping):
        return
    resolved = deref(validator.document, schema, source=validator.source)
    instance: Any = [coerce_text(str(value), deref(validator.document, resolved.get("items") or {})) for value in _split(values)] \
        if resolved.get("type") == "array" else coerce_text(str(values[0]), resolved)
    for _path, reason in schema_errors(compile_schema(validator.document, schema, source=validator.source), instance):
        yield Finding(Code.PARAMETER_INVALID, Severity.ERROR,
                      f"{label}: {parameter.get('in')} parameter {parameter['name']!r}: {reason}",
                      f"request.{parameter.get('in')}.{parameter['name']}", **where)


def _split(values: Sequence[str]) -> list[str]:
    return [part for value in values for part in str(value).split(",")]


def _request_body_findings(validator: SpecValidator, operation: Mapping[str, Any], request: PactRequest,
                           label: str, where: Mapping[str, str]) -> Iterator[Finding]:
    spec_body = deref(validator.document, operation.get("requestBody") or {}, source=validator.source)
    body, media = request.body if request.has_body else None, request.content_type
    if body is None:
        if spec_body.get("required"):
            yield Finding(Code.REQUEST_BODY, Severity.ERROR, f"{label}: the request body is required but the pact sends none",
                          "request.body", **where)
        return
    content = spec_body.get("content") or {}
    if not content:
        return
    declared = pick_media_type(media, content) if media else next(iter(content))
    if declared is None:
        yield Finding(Code.REQUEST_BODY, Severity.ERROR,
                      f"{label}: request content type {media!r} is not accepted (accepted: {', '.join(content)})",
                      "request.headers.content-type", **where)
        return
    schema = (content.get(declared) or {}).get("schema")
    if schema is None or not is_json_media(media or declared):
        return
    for path, reason in schema_errors(compile_schema(validator.document, schema, source=validator.source), body):
        yield Finding(Code.REQUEST_BODY, Severity.ERROR, f"{label}: request body: {reason}", "request.body" + path[1:], **where)


# --------------------------------------------------------------------------- response

def _response_findings(validator: SpecValidator, operation: Mapping[str, Any], response: PactResponse,
                       label: str, where: Mapping[str, str]) -> Iterator[Finding]:
    status = response.status
    responses = operation.get("responses") or {}
    key = next((k for k in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default") if k in responses), None)
    if key is None:
        yield Finding(Code.STATUS_UNDOCUMENTED, Severity.ERROR,
                      f"{label}: expects status {status}, which is not documented (documented: {', '.join(map(str, responses)) or 'none'})",
                      "response.status", **where)
        return
    documented = deref(validator.document, responses[key], source=validator.source)
    body, media = response.body if response.has_body else None, response.content_type
    content = documented.get("content") or {}
    if body is None and not media:
        return
    declared = pick_media_type(media, content) if media else (next(iter(content)) if content else None)
    if declared is None:
        yield Finding(Code.MEDIA_UNDOCUMENTED, Severity.ERROR,
                      f"{label}: expects content type {media or 'a body'!r} with status {status}, which is not documented"
                      f" (documented: {', '.join(content) or 'no body'})", "response.headers.content-type", **where)
        return
    schema = (content.get(declared) or {}).get("schema")
    if body is None or schema is None or not is_json_media(media or declared):
        return
    for code, path, reason in SubsetChecker(validator.document).check(body, schema):
        yield Finding(code, Severity.ERROR, f"{label}: response {status}: {reason}", "response.body" + path[1:], **where)


class SubsetChecker:
    """Is an expected body something the documented schema allows, without relying on undocumented parts?"""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document

    def check(self, value: Any, schema: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str, str, str]]:
        """(code, JSON path, reason) for each way `value` goes beyond `schema`."""
        if len(path) > _MAX_DEPTH or not isinstance(schema, Mapping):
            return []
        schema = deref(self.document, schema)
        if value is None and (schema.get("nullable") or _type_allows(schema, None)):
            return []
        alternatives = list(schema.get("anyOf") or []) + list(schema.get("oneOf") or [])
        if alternatives:
            tried = [self.check(value, branch, path) for branch in alternatives]
            best = min(tried, key=len)
            if best:
                return best
        problems = self._scalar_problems(value, schema, path)
        if problems:
            return problems
        if isinstance(value, dict):
            return self._object_problems(value, schema, path)
        if isinstance(value, list):
            items = self._merged_items(schema)
            return [problem for index, element in enumerate(value) for problem in self.check(element, items, path + (index,))] if items else []
        return []

    def _scalar_problems(self, value: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]) -> list[tuple[str, str, str]]:
        for part in [schema] + [deref(self.document, member) for member in schema.get("allOf") or []]:
            if not isinstance(part, Mapping):
                continue
            if "type" in part and not _type_allows(part, value):
                kinds = part["type"] if isinstance(part["type"], list) else [part["type"]]
                return [(Code.VALUE_UNDOCUMENTED, json_path(path),
                         f"expects {_kind(value)} {_short(value)}, the provider documents {' or '.join(kinds)}")]
            if "enum" in part and value not in part["enum"] and not (value is None and part.get("nullable")):
                return [(Code.VALUE_UNDOCUMENTED, json_path(path),
                         f"expects {_short(value)}, which is not one of the documented values {_short(part['enum'], 100)}")]
            if part.get("allOf") and part is not schema:
                nested = self._scalar_problems(value, part, path)
                if nested:
                    return nested
        return []

    def _object_problems(self, value: dict[str, Any], schema: Mapping[str, Any], path: tuple[str | int, ...]) -> list[tuple[str, str, str]]:
        properties, extra = self._merged_object(schema)
        problems = []
        for key, element in value.items():
            if key in properties:
                # allOf members that document the same property together document the union of its fields
                subs = properties[key]
                problems += self.check(element, subs[0] if len(subs) == 1 else {"allOf": subs}, path + (key,))
            elif isinstance(extra, Mapping):
                problems += self.check(element, extra, path + (key,))
            elif extra is not True and (properties or extra is False):
                problems.append((Code.FIELD_UNDOCUMENTED, json_path(path + (key,)),
                                 f"expects field {key!r}, which the provider does not document"))
        return problems

    def _merged_object(self, schema: Mapping[str, Any]) -> tuple[dict[str, list[Any]], Any]:
        # allOf members add properties; an explicit additionalProperties (true or a schema) documents any key
        properties: dict[str, list[Any]] = {}
        # an object schema with no properties at all is free-form in OpenAPI: any field is documented
        extra: Any = None
        stack = [schema]
        while stack:
            part = deref(self.document, stack.pop())
            if not isinstance(part, Mapping):
                continue
            for key, sub in (part.get("properties") or {}).items():
                properties.setdefault(key, []).append(sub)
            if part.get("additionalProperties") is False and extra is None:
                extra = False
            elif part.get("additionalProperties") not in (None, False) and not extra:
                extra = part["additionalProperties"] if part["additionalProperties"] != {} else True
            stack.extend(part.get("allOf") or [])
        return properties, extra

    def _merged_items(self, schema: Mapping[str, Any]) -> Any:
        if "items" in schema:
            return schema["items"]
        for member in schema.get("allOf") or []:
            member = deref(self.document, member)
            if isinstance(member, Mapping) and "items" in member:
                return member["items"]
        return None


def _type_allows(schema: Mapping[str, Any], value: Any) -> bool:
    kinds = schema.get("type")
    if kinds is None:
        return True
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if value is None:
        return "null" in kinds or bool(schema.get("nullable"))
    actual = _kind(value)
    return actual in kinds or (actual == "integer" and "number" in kinds)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    names: dict[type, str] = {str: "string", list: "array", dict: "object"}
    return names.get(type(value), type(value).__name__)


def _short(value: Any, width: int = 50) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 3] + "..."


__all__ = ["SubsetChecker", "iter_interaction_findings", "iter_pact_findings", "read_pact"]
