"""Operations, parameters, request bodies, responses and headers of two OpenAPI 3 documents, compared.

Schemas inside them go to the SchemaComparator in the direction they travel: parameters and request
bodies are sent (request), responses and their headers are read (response). Lifecycle rules (deprecation,
sunset, stability levels) decide what a removal means, and an operation whose stability level is draft or
alpha may change freely: its changes are informational.

A path whose item is the same JSON on both sides, with everything its `$ref`s reach and the document's default
security, has no change and is skipped (`SameJson`); an unchanged description costs one pass of equality tests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from contractkit.diff.lifecycle import (
    allows_breaking,
    judge_removal,
    operation_sunset,
    relax_unstable,
    stability_change,
    sunset_change,
)
from contractkit.diff.model import REQUEST, RESPONSE, Change, Delta, Level, pointer_part
from contractkit.diff.rules import rule_name
from contractkit.diff.schemas import SchemaComparator, is_same_json
from contractkit.diff.schemashape import SchemaDocument, Shape

__all__ = ["HTTP_METHODS", "DocumentDiffer", "root_delta"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE_PARAMETER = re.compile(r"\{[^}/]+\}")


def _template_key(path: str) -> str:
    return _TEMPLATE_PARAMETER.sub("{}", path)


def root_delta(delta: Delta, side: str, path: str, method: str, base: str) -> Change:
    """Turn a schema delta into a Change at a location; `detail` keeps the message relative to its component."""
    pointer, where, rule = _rooted(delta.rel, side, delta.suffix)
    message = f"{where}: {delta.message}" if where else delta.message
    detail = delta.message if delta.origin else message
    return Change(rule, path, method, base + pointer, message, delta.origin, detail)


@lru_cache(maxsize=1 << 16)
def _rooted(rel: tuple[str, ...], side: str, suffix: str) -> tuple[str, str, str]:
    """(pointer below the root, readable place, rule id) of a delta: the same for every operation that reaches it,
    so worked out once however many operations share the component."""
    pointer = "/" + "/".join(map(pointer_part, rel)) if rel else ""
    return pointer, _readable(rel), rule_name(side, suffix, rel)


def _readable(rel: tuple[str, ...]) -> str:
    parts = []
    index = 0
    while index < len(rel):
        part = rel[index]
        if part == "properties" and index + 1 < len(rel):
            parts.append(rel[index + 1])
            index += 2
            continue
        parts.append("[]" if part == "items" else part)
        index += 1
    return ".".join(parts).replace(".[]", "[]")


def _dedupe(changes: Iterable[Change]) -> list[Change]:
    seen: set[tuple[str, str, str, str, str]] = set()
    result = []
    for change in changes:
        key = (
            change.rule,
            change.path,
            change.method,
            change.origin or change.location,
            change.message if not change.origin else "",
        )
        if key not in seen:
            seen.add(key)
            result.append(change)
    return result


class DocumentDiffer:
    """Walks the paths, operations, parameters, bodies and responses of two OpenAPI 3 documents."""

    def __init__(self, old: SchemaDocument, new: SchemaDocument, *, today: dt.date) -> None:
        self.old = old
        self.new = new
        self.today = today
        self.schemas = SchemaComparator(old, new, today=today)
        # operations without `security` of their own take the document's: an unchanged path changes with it
        self.same_security = is_same_json(old.document.get("security"), new.document.get("security"))

    def iter_changes(self) -> Iterator[Change]:
        """Every change, operation by operation."""
        old_paths, new_paths = _paths(self.old.document), _paths(self.new.document)
        renamed = _renamed_paths(old_paths, new_paths)
        for old_path, old_item in old_paths.items():
            new_path = old_path if old_path in new_paths else renamed.get(old_path)
            if new_path is None:
                yield from self._path_removed(old_path, old_item)
            else:
                yield from self._diff_path(old_path, old_item, new_path, new_paths[new_path])
        paired = set(renamed.values())
        for new_path in new_paths:
            if new_path not in old_paths and new_path not in paired:
                yield Change("path-added", new_path, "", _pointer("paths", new_path), f"path {new_path} added")

    def _path_removed(self, path: str, item: dict[str, Any]) -> Iterator[Change]:
        item = self.old.resolve(item)[0]
        operations = [(method, item[method]) for method in HTTP_METHODS if isinstance(item.get(method), dict)]
        removals = [self._operation_removed(path, method, operation) for method, operation in operations]
        if removals and all(change.rule != "operation-removed" or change.level is Level.INFO for change in removals):
            yield from removals  # every operation had a lifecycle of its own: judge each, and say why
            return
        methods = ", ".join(method.upper() for method, _ in operations)
        yield Change(
            "path-removed",
            path,
            "",
            _pointer("paths", path),
            f"path {path} removed (with {methods or 'no operations'})",
        )

    def _operation_removed(self, path: str, method: str, operation: dict[str, Any]) -> Change:
        """An operation gone: judged by its deprecation, sunset date and stability level."""
        where, name = _pointer("paths", path, method), f"{method.upper()} {path}"
        stability = allows_breaking(operation)
        if stability:  # a draft or alpha operation may go at any time: its removal is adjusted, whatever its lifecycle
            return next(
                relax_unstable([Change("operation-removed", path, method.upper(), where, f"{name} removed")], stability)
            )
        removal = judge_removal(
            operation.get("deprecated") is True, operation_sunset(operation, self._resolve_old), self.today
        )
        rule, text = _OPERATION_REMOVALS[removal.kind]
        return Change(rule, path, method.upper(), where, f"{name} removed {text}".replace("{sunset}", removal.sunset))

    def _resolve_old(self, node: Any) -> Any:
        return self.old.resolve(node)[0]

    def _diff_path(
        self, old_path: str, old_item: dict[str, Any], new_path: str, new_item: dict[str, Any]
    ) -> Iterator[Change]:
        old_item, new_item = self.old.resolve(old_item)[0], self.new.resolve(new_item)[0]
        if old_path == new_path and self.same_security and self.schemas.same.is_same(old_item, new_item):
            return
        for method in HTTP_METHODS:
            old_op, new_op = old_item.get(method), new_item.get(method)
            if isinstance(old_op, dict) and not isinstance(new_op, dict):
                yield self._operation_removed(old_path, method, old_op)
            elif isinstance(new_op, dict) and not isinstance(old_op, dict):
                yield Change(
                    "operation-added",
                    new_path,
                    method.upper(),
                    _pointer("paths", new_path, method),
                    f"{method.upper()} {new_path} added",
                )
            elif isinstance(old_op, dict) and isinstance(new_op, dict):
                site = _Site(new_path, method.upper(), _pointer("paths", new_path, method))
                changes = _dedupe(self._diff_operation(site, old_path, old_item, old_op, new_item, new_op))
                yield from relax_unstable(changes, allows_breaking(old_op))

    def _diff_operation(
        self,
        site: _Site,
        old_path: str,
        old_item: dict[str, Any],
        old_op: dict[str, Any],
        new_item: dict[str, Any],
        new_op: dict[str, Any],
    ) -> Iterator[Change]:
        if new_op.get("deprecated") is True and old_op.get("deprecated") is not True:
            yield site.change("operation-deprecated", "", f"{site.method} {site.path} is now deprecated")
        yield from self._sunset_check(site, old_op, new_op)
        stability = stability_change(old_op, new_op)
        if stability is not None:
            yield site.change(stability[0], "/x-stability-level", stability[1])
        yield from self._diff_security(site, old_op, new_op)
        yield from self._diff_parameters(site, old_path, old_item, old_op, new_item, new_op)
        yield from self._diff_request_body(site, old_op.get("requestBody"), new_op.get("requestBody"))
        yield from self._diff_responses(site, old_op.get("responses") or {}, new_op.get("responses") or {})
        yield from self._diff_callbacks(site, old_op.get("callbacks") or {}, new_op.get("callbacks") or {})

    # --- callbacks: the provider calls the client, so the directions turn round

    def _diff_callbacks(self, site: _Site, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
        """A callback's request body is what the client reads, and its responses what the client sends back."""
        for name, expression, method, old_call, new_call in self._callback_pairs(old, new):
            base = f"/callbacks/{pointer_part(name)}/{pointer_part(expression)}/{method}"
            old_body = self.old.resolve(old_call.get("requestBody"))[0] or {}
            new_body = self.new.resolve(new_call.get("requestBody"))[0] or {}
            yield from self._diff_content(
                site, f"{base}/requestBody", old_body.get("content") or {}, new_body.get("content") or {}, RESPONSE
            )
            new_responses = new_call.get("responses") or {}
            for status, old_raw in (old_call.get("responses") or {}).items():
                if status in new_responses:
                    old_reply = self.old.resolve(old_raw)[0] or {}
                    new_reply = self.new.resolve(new_responses[status])[0] or {}
                    yield from self._diff_content(
                        site,
                        f"{base}/responses/{pointer_part(str(status))}",
                        old_reply.get("content") or {},
                        new_reply.get("content") or {},
                        REQUEST,
                    )

    def _callback_pairs(
        self, old: dict[str, Any], new: dict[str, Any]
    ) -> Iterator[tuple[str, str, str, dict[str, Any], dict[str, Any]]]:
        """(name, URL expression, method, old operation, new operation) of every callback operation on both sides."""
        for name, old_raw in old.items():
            if name not in new:
                continue
            old_callback, new_callback = self.old.resolve(old_raw)[0] or {}, self.new.resolve(new[name])[0] or {}
            for expression, old_item in old_callback.items():
                new_item = new_callback.get(expression)
                if not isinstance(old_item, dict) or not isinstance(new_item, dict):
                    continue
                old_path, new_path = self.old.resolve(old_item)[0] or {}, self.new.resolve(new_item)[0] or {}
                for method in HTTP_METHODS:
                    if isinstance(old_path.get(method), dict) and isinstance(new_path.get(method), dict):
                        yield str(name), str(expression), method, old_path[method], new_path[method]

    def _sunset_check(self, site: _Site, old_op: dict[str, Any], new_op: dict[str, Any]) -> Iterator[Change]:
        before, after = operation_sunset(old_op, self._resolve_old), operation_sunset(new_op, self._resolve_new)
        change = sunset_change(before, after, still_deprecated=new_op.get("deprecated") is True)
        if change is not None:
            yield site.change(change[0], "", f"{site.method} {site.path}: {change[1]}")

    def _resolve_new(self, node: Any) -> Any:
        return self.new.resolve(node)[0]

    # --- security

    def _diff_security(self, site: _Site, old_op: dict[str, Any], new_op: dict[str, Any]) -> Iterator[Change]:
        old_alts = _security(self.old.document, old_op)
        new_alts = _security(self.new.document, new_op)
        for alternative in old_alts:
            if not any(_satisfied_by(candidate, alternative) for candidate in new_alts):
                needed = " or ".join(_describe_security(alt) for alt in new_alts) or "none"
                yield site.change(
                    "security-requirement-added",
                    "/security",
                    f"a client authorised by {_describe_security(alternative)} is no longer enough; now needs {needed}",
                )
                return
        for alternative in new_alts:
            if alternative not in old_alts:  # a new way in: every old one still works (checked above)
                yield site.change(
                    "security-requirement-removed", "/security", f"now also accepts {_describe_security(alternative)}"
                )
                return

    # --- parameters

    def _diff_parameters(
        self,
        site: _Site,
        old_path: str,
        old_item: dict[str, Any],
        old_op: dict[str, Any],
        new_item: dict[str, Any],
        new_op: dict[str, Any],
    ) -> Iterator[Change]:
        old_params = _parameters(self.old, old_path, old_item, old_op)
        new_params = _parameters(self.new, site.path, new_item, new_op)
        moved = _moved_parameters(old_params, new_params)
        for key, (_, old_param) in old_params.items():
            if key in new_params:
                new_index, new_param = new_params[key]
                yield from self._diff_parameter(site, new_index, old_param, new_param)
            elif key in moved:
                new_index, new_param = new_params[moved[key]]
                yield site.change(
                    "request-parameter-location-changed",
                    f"/parameters/{new_index}",
                    f"parameter {old_param.get('name')!r} moved from {key[0]} to {moved[key][0]}",
                )
            else:
                yield self._parameter_removed(site, key[0], old_param)
        for key, (index, new_param) in new_params.items():
            if key in old_params or key in moved.values():
                continue
            if new_param.get("required") is True:
                yield site.change(
                    "request-parameter-added-required",
                    f"/parameters/{index}",
                    f"required {key[0]} parameter {new_param.get('name')!r} added",
                )
            else:
                yield site.change(
                    "request-parameter-added",
                    f"/parameters/{index}",
                    f"optional {key[0]} parameter {new_param.get('name')!r} added",
                )

    def _parameter_removed(self, site: _Site, where: str, parameter: dict[str, Any]) -> Change:
        """A parameter gone: required ones break, optional ones warn (policy), deprecated ones follow their sunset."""
        name = parameter.get("name")
        deprecated = parameter.get("deprecated") is True or "x-sunset" in parameter
        removal = judge_removal(deprecated, parameter.get("x-sunset"), self.today)
        if removal.kind == "after-sunset":
            return site.change(
                "request-parameter-removed-after-sunset",
                "/parameters",
                f"{where} parameter {name!r} removed after its sunset {removal.sunset}",
            )
        if removal.kind in ("before-sunset", "invalid"):
            why = "before its sunset" if removal.kind == "before-sunset" else "with an unreadable sunset"
            return site.change(
                "request-parameter-removed-before-sunset",
                "/parameters",
                f"{where} parameter {name!r} removed {why} {removal.sunset}",
            )
        if parameter.get("required") is True or where == "path":
            return site.change(
                "request-parameter-removed", "/parameters", f"required {where} parameter {name!r} removed"
            )
        return site.change(
            "request-optional-parameter-removed",
            "/parameters",
            f"optional {where} parameter {name!r} removed; clients that still send it are ignored",
        )

    def _diff_parameter(self, site: _Site, index: int, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
        name, where = new.get("name"), new.get("in")
        base = f"/parameters/{index}"
        if new.get("deprecated") is True and old.get("deprecated") is not True:
            yield site.change("request-parameter-deprecated", base, f"{where} parameter {name!r} is now deprecated")
        was, now = (
            old.get("required") is True or old.get("in") == "path",
            new.get("required") is True or where == "path",
        )
        if now and not was:
            yield site.change("request-parameter-became-required", base, f"{where} parameter {name!r} became required")
        elif was and not now:
            yield site.change("request-parameter-became-optional", base, f"{where} parameter {name!r} became optional")
        lifecycle = sunset_change(
            old.get("x-sunset"), new.get("x-sunset"), still_deprecated=new.get("deprecated") is True
        )
        if lifecycle is not None:
            yield site.change(lifecycle[0], base, f"{where} parameter {name!r}: {lifecycle[1]}")
        old_schema, new_schema = _parameter_schema(old), _parameter_schema(new)
        serialization = _serialization_change(
            old, new, self.new.shape(self.new.resolve(new_schema)[0]) if new_schema is not None else None
        )
        if serialization:
            yield site.change(
                "request-parameter-serialization-changed", base, f"{where} parameter {name!r}: {serialization}"
            )
        if old_schema is None or new_schema is None:
            return
        widened_to_text = self._is_plain_string(new_schema)
        for delta in self.schemas.compare(old_schema, new_schema, REQUEST):
            if widened_to_text and delta.suffix == "type-changed" and not delta.rel:
                # On the wire a parameter is text: a plain string accepts whatever number or boolean was sent.
                delta = Delta("type-widened", REQUEST, (), delta.message, delta.origin)
            change = root_delta(delta, "request-parameter", site.path, site.method, site.base + base + "/schema")
            yield _with_message(change, f"{where} parameter {name!r}: {change.message}")

    def _is_plain_string(self, schema: Any) -> bool:
        shape = self.new.shape(self.new.resolve(schema)[0])
        return (
            shape.types == frozenset({"string"})
            and shape.enum is None
            and not shape.patterns
            and shape.format is None
            and not shape.bounds
        )

    # --- request body

    def _diff_request_body(self, site: _Site, old_raw: Any, new_raw: Any) -> Iterator[Change]:
        old = self.old.resolve(old_raw)[0] if old_raw is not None else None
        new = self.new.resolve(new_raw)[0] if new_raw is not None else None
        base = "/requestBody"
        if old is None and new is None:
            return
        if old is None:
            assert new is not None
            required = new.get("required") is True
            yield site.change(
                "request-body-added-required" if required else "request-body-added",
                base,
                "a required request body was added" if required else "an optional request body was added",
            )
            return
        if new is None:
            yield site.change("request-body-removed", base, "the request body was removed")
            return
        if new.get("required") is True and old.get("required") is not True:
            yield site.change("request-body-became-required", base, "the request body became required")
        yield from self._diff_content(site, base, old.get("content") or {}, new.get("content") or {}, REQUEST)

    def _diff_content(
        self, site: _Site, base: str, old: dict[str, Any], new: dict[str, Any], direction: str, *, success: bool = True
    ) -> Iterator[Change]:
        new_types = {_media_key(name): name for name in new}
        side = "request" if direction == REQUEST else "response"
        for name, old_media in old.items():
            new_name = new_types.get(_media_key(name))
            if new_name is None:
                rule = f"{side}-content-type-removed" if success else "response-error-content-type-removed"
                yield site.change(
                    rule,
                    f"{base}/content/{pointer_part(name)}",
                    f"{'request' if direction == REQUEST else 'response'} content type {name} removed",
                )
                continue
            old_schema = (old_media or {}).get("schema")
            new_schema = (new[new_name] or {}).get("schema")
            if old_schema is None and new_schema is not None and direction == REQUEST:
                yield site.change(
                    "request-body-schema-added",
                    f"{base}/content/{pointer_part(new_name)}/schema",
                    f"request content type {new_name} now has a schema; it accepted any body before",
                )
            if old_schema is None or new_schema is None:
                continue
            location = f"{site.base}{base}/content/{pointer_part(new_name)}/schema"
            for delta in self.schemas.compare(old_schema, new_schema, direction):
                yield root_delta(delta, side, site.path, site.method, location)
        old_types = {_media_key(name) for name in old}
        for name in new:
            if _media_key(name) not in old_types:
                yield site.change(
                    f"{side}-content-type-added",
                    f"{base}/content/{pointer_part(name)}",
                    f"{side} content type {name} added",
                )

    # --- responses

    def _diff_responses(self, site: _Site, old: dict[Any, Any], new: dict[Any, Any]) -> Iterator[Change]:
        for code, old_raw in old.items():
            status = str(code)
            new_raw = new.get(status, new.get(int(status) if status.isdigit() else status))
            if new_raw is None:
                yield from self._status_removed(site, status, new)
                continue
            old_response = self.old.resolve(old_raw)[0] or {}
            new_response = self.new.resolve(new_raw)[0] or {}
            base = f"/responses/{pointer_part(status)}"
            success = status.startswith("2")
            yield from self._diff_content(
                site,
                base,
                old_response.get("content") or {},
                new_response.get("content") or {},
                RESPONSE,
                success=success,
            )
            yield from self._diff_headers(
                site, base, old_response.get("headers") or {}, new_response.get("headers") or {}
            )
        for status in new:
            if str(status) not in {str(s) for s in old}:
                yield site.change(
                    "response-status-added",
                    f"/responses/{pointer_part(str(status))}",
                    f"response status {status} added",
                )

    def _status_removed(self, site: _Site, status: str, new: dict[str, Any]) -> Iterator[Change]:
        base = f"/responses/{pointer_part(status)}"
        if status.startswith("2") and f"{status[0]}XX" not in {str(s).upper() for s in new}:
            yield site.change("response-success-status-removed", base, f"success status {status} removed")
        else:
            yield site.change("response-status-removed", base, f"response status {status} removed")

    def _diff_headers(self, site: _Site, base: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
        new_lower = {name.lower(): name for name in new}
        for name, old_raw in old.items():
            old_header = self.old.resolve(old_raw)[0] or {}
            new_name = new_lower.get(name.lower())
            location = f"{base}/headers/{pointer_part(name)}"
            if new_name is None:
                required = old_header.get("required") is True
                yield site.change(
                    "response-header-removed" if required else "response-optional-header-removed",
                    location,
                    f"response header {name} removed",
                )
                continue
            new_header = self.new.resolve(new[new_name])[0] or {}
            if old_header.get("required") is True and new_header.get("required") is not True:
                yield site.change(
                    "response-header-became-optional",
                    location,
                    f"response header {name} became optional: clients can no longer count on it",
                )
            old_schema, new_schema = old_header.get("schema"), new_header.get("schema")
            if old_schema is not None and new_schema is not None:
                for delta in self.schemas.compare(old_schema, new_schema, RESPONSE):
                    change = root_delta(
                        delta, "response-header", site.path, site.method, site.base + location + "/schema"
                    )
                    yield _with_message(change, f"response header {name}: {change.message}")
        old_lower = {name.lower() for name in old}
        for name in new:
            if name.lower() not in old_lower:
                yield site.change(
                    "response-header-added", f"{base}/headers/{pointer_part(name)}", f"response header {name} added"
                )


_OPERATION_REMOVALS = {  # Removal.kind -> rule, message tail
    "plain": ("operation-removed", "without being deprecated first"),
    "deprecated": ("deprecated-operation-removed", "(it was deprecated, with no sunset date)"),
    "before-sunset": ("operation-removed-before-sunset", "before its announced sunset {sunset}"),
    "after-sunset": ("operation-removed-after-sunset", "after its sunset {sunset}"),
    "invalid": ("sunset-date-invalid", "with a sunset date that cannot be read ({sunset})"),
}


@dataclass(frozen=True, slots=True)
class _Site:
    """Where an operation's changes are reported."""

    path: str
    method: str
    base: str

    def change(self, rule: str, suffix: str, message: str) -> Change:
        """A change of `rule` at this operation, `suffix` being a JSON pointer below the operation."""
        return Change(rule, self.path, self.method, self.base + suffix, message)


def _with_message(change: Change, message: str) -> Change:
    return replace(change, message=message)


def _pointer(*parts: str) -> str:
    return "#/" + "/".join(pointer_part(part) for part in parts)


def _paths(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(path): item for path, item in (document.get("paths") or {}).items() if isinstance(item, dict)}


def _renamed_paths(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Old path -> new path for templates of one shape whose parameters were renamed (`/a/{id}` -> `/a/{a_id}`).

    A path present on both sides pairs with itself; only the paths left over are paired by shape, and only when
    one old and one new path of that shape are left, so two templates of one shape in a document stay distinct.
    """
    left_old: dict[str, list[str]] = {}
    left_new: dict[str, list[str]] = {}
    for path in old:
        if path not in new:
            left_old.setdefault(_template_key(path), []).append(path)
    for path in new:
        if path not in old:
            left_new.setdefault(_template_key(path), []).append(path)
    return {
        paths[0]: left_new[key][0]
        for key, paths in left_old.items()
        if len(paths) == 1 and len(left_new.get(key, ())) == 1
    }


def _parameters(
    document: SchemaDocument, path: str, item: dict[str, Any], operation: dict[str, Any]
) -> dict[tuple[str, str], tuple[int, dict[str, Any]]]:
    """Effective parameters keyed by location and name; path parameters by their position in the template."""
    names = [match.group(0)[1:-1] for match in _TEMPLATE_PARAMETER.finditer(path)]
    found: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    for index, raw in [(-1, raw) for raw in item.get("parameters") or []] + list(
        enumerate(operation.get("parameters") or [])
    ):
        parameter = document.resolve(raw)[0]
        if not isinstance(parameter, dict) or "name" not in parameter:
            continue
        where, name = str(parameter.get("in", "")), str(parameter["name"])
        if where == "path" and name in names:
            name = f"#{names.index(name)}"
        elif where == "header":
            name = name.lower()
        found[(where, name)] = (max(index, 0), parameter)
    return found


def _moved_parameters(
    old: dict[tuple[str, str], Any], new: dict[tuple[str, str], Any]
) -> dict[tuple[str, str], tuple[str, str]]:
    moved: dict[tuple[str, str], tuple[str, str]] = {}
    by_name: dict[str, tuple[str, str]] = {}
    for key in new:
        if key not in old:
            by_name.setdefault(key[1].lower(), key)
    for key in old:
        if key not in new and key[1].lower() in by_name and not key[1].startswith("#"):
            moved[key] = by_name[key[1].lower()]
    return moved


_DEFAULT_STYLES = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


def _serialization(parameter: dict[str, Any]) -> tuple[str, bool]:
    """A parameter's effective style and explode (OpenAPI 3: form explodes by default, the others do not)."""
    style = str(parameter.get("style") or _DEFAULT_STYLES.get(str(parameter.get("in")), "form"))
    explode = parameter.get("explode")
    return style, bool(explode) if isinstance(explode, bool) else style == "form"


def _serialization_change(old: dict[str, Any], new: dict[str, Any], shape: Shape | None) -> str:
    """How the wire form of a parameter changed ('' when it did not): a style, or explode for a list or an object."""
    if "content" in old or "content" in new:
        return ""
    (old_style, old_explode), (new_style, new_explode) = _serialization(old), _serialization(new)
    if old_style != new_style:
        return f"style changed from {old_style} to {new_style}: clients serialize the value the old way"
    structured = shape is None or shape.types is None or bool(shape.types & {"array", "object"})
    if old_explode != new_explode and structured:
        return f"explode changed from {str(old_explode).lower()} to {str(new_explode).lower()}: clients send a list or object the old way"
    return ""


def _parameter_schema(parameter: dict[str, Any]) -> Any:
    if "schema" in parameter:
        return parameter["schema"]
    content = parameter.get("content")
    if isinstance(content, dict) and content:
        return (next(iter(content.values())) or {}).get("schema")
    return None


def _media_key(name: str) -> str:
    return name.split(";", 1)[0].strip().lower()


def _security(document: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, frozenset[str]]]:
    raw = operation.get("security", document.get("security"))
    if not raw:
        return [{}]
    return [{name: frozenset(scopes or ()) for name, scopes in (alt or {}).items()} for alt in raw]


def _satisfied_by(candidate: dict[str, frozenset[str]], held: dict[str, frozenset[str]]) -> bool:
    """Whether a client holding `held` credentials meets the `candidate` requirement."""
    return all(name in held and scopes <= held[name] for name, scopes in candidate.items())


def _describe_security(alternative: dict[str, frozenset[str]]) -> str:
    if not alternative:
        return "no credentials"
    return " + ".join(
        f"{name}" + (f" ({', '.join(sorted(scopes))})" if scopes else "")
        for name, scopes in sorted(alternative.items())
    )
