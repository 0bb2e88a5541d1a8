"""The one router: a request's method and path -> the registered operation or described path it belongs to.

Every engine that asks "which operation is this request?" asks here (validation, replay, verification, the
gate, consumer expectations, fuzzing), so they all give the same answer. Matching walks a trie of path
segments where a literal segment always beats a parameter: `/pulls/comments` wins over `/pulls/{n}` whatever
order the description lists them in, and a literal route that lacks the method falls back to a template
route that has it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Generic, Iterable, TypeVar
from urllib.parse import unquote

from contractkit.core.http import HTTP_METHODS

T = TypeVar("T")

_WHOLE_PARAMETER = re.compile(r"{([^{}]+)}")
_ANY_METHOD = "*"


@dataclass(frozen=True, slots=True)
class Route(Generic[T]):
    """A request matched to one route: its template, the method, the value registered for it, the parameters."""

    template: str
    method: str
    value: T
    parameters: dict[str, str] = field(default_factory=dict)


class _Node(Generic[T]):
    __slots__ = ("literals", "patterns", "param", "rest", "routes")

    def __init__(self) -> None:
        self.literals: dict[str, _Node[T]] = {}
        self.patterns: list[tuple[re.Pattern[str], list[str], _Node[T]]] = []  # segments such as {name}.json
        self.param: tuple[str, _Node[T]] | None = None
        self.rest: tuple[str, _Node[T]] | None = None  # {Key+}: one or more segments, the rest of the path
        self.routes: dict[str, tuple[str, T]] = {}  # method -> (template, value)


class Router(Generic[T]):
    """Path templates on a segment trie, literal segments before parameters, tried under each base path."""

    def __init__(self, routes: Iterable[tuple[str, str, T]] = (), *, base_paths: Iterable[str] = ("",)) -> None:
        self._root: _Node[T] = _Node()
        bases = {base.rstrip("/") for base in base_paths} | {""}
        self.base_paths = tuple(sorted(bases, key=len, reverse=True))
        for method, template, value in routes:
            self.add(method, template, value)

    def add(self, method: str, template: str, value: T) -> None:
        """Register `value` for `method template` (method `*` matches any method); the first registration wins."""
        node = self._root
        for segment in path_segments(template):
            node = self._child(node, segment)
        node.routes.setdefault(method.lower() if method != _ANY_METHOD else _ANY_METHOD, (template, value))

    @staticmethod
    def _child(node: _Node[T], segment: str) -> _Node[T]:
        whole = re.fullmatch(r"{([^{}]+)}", segment)
        if whole and whole.group(1).endswith("+"):
            if node.rest is None:
                node.rest = (whole.group(1)[:-1], _Node())
            return node.rest[1]
        if whole:
            if node.param is None:
                node.param = (whole.group(1), _Node())
            return node.param[1]
        if "{" in segment:
            names = _WHOLE_PARAMETER.findall(segment)
            pattern = re.compile("^" + re.sub(r"\\{[^{}]+\\}", "([^/]+?)", re.escape(segment)) + "$")
            for known, _names, child in node.patterns:
                if known.pattern == pattern.pattern:
                    return child
            child = _Node()
            node.patterns.append((pattern, names, child))
            return child
        return node.literals.setdefault(segment, _Node())

    def match(self, method: str, path: str) -> Route[T] | None:
        """The route for a request (query string ignored, percent-escapes decoded), or None."""
        path = path.split("?", 1)[0].split("#", 1)[0] or "/"
        wanted = method.lower()
        for base in self.base_paths:
            if base and not (path == base or path.startswith(base + "/")):
                continue
            segments = [unquote(part) for part in path_segments(path[len(base) :] or "/")]
            found = self._walk(self._root, segments, 0, wanted, {})
            if found is not None:
                return found
        return None

    def methods(self, path: str) -> list[str]:
        """The methods some route accepts at this path (for a 405 answer or a suggestion)."""
        return [method for method in HTTP_METHODS if self.match(method, path) is not None]

    def _walk(
        self, node: _Node[T], segments: list[str], depth: int, method: str, values: dict[str, str]
    ) -> Route[T] | None:
        if depth == len(segments):
            entry = node.routes.get(method) or node.routes.get(_ANY_METHOD)
            return Route(entry[0], method.upper(), entry[1], dict(values)) if entry else None
        segment = segments[depth]
        child = node.literals.get(segment)
        if child is not None:
            found = self._walk(child, segments, depth + 1, method, values)
            if found is not None:
                return found
        for pattern, names, child in node.patterns:
            matched = pattern.match(segment)
            if matched:
                found = self._walk(child, segments, depth + 1, method, {**values, **dict(zip(names, matched.groups()))})
                if found is not None:
                    return found
        if node.param is not None and segment:
            name, child = node.param
            found = self._walk(child, segments, depth + 1, method, {**values, name: segment})
            if found is not None:
                return found
        if node.rest is not None:
            name, child = node.rest
            return self._walk(child, [], 0, method, {**values, name: "/".join(segments[depth:])})
        return None


@dataclass(frozen=True, slots=True)
class OperationRoute:
    """How a registered operation is recognised: method and path template, plus the literal query keys an
    S3-style operation needs (`?location`) or the action an AWS JSON/query-protocol call names."""

    name: str
    method: str
    template: str
    query_keys: frozenset[str] = frozenset()
    action: str = ""


class OperationRouter:
    """A provider's registered operations by request, the same answer for every engine.

    A request naming an AWS action is that action's operation. Otherwise the path is matched literal segments
    first; among operations on the same method and template, the one whose literal query keys the request
    carries, most keys first, wins (`GET /{Bucket}?location` over `GET /{Bucket}`)."""

    def __init__(self, routes: Iterable[OperationRoute], *, base_paths: Iterable[str] = ("",)) -> None:
        self._by_action: dict[str, OperationRoute] = {}
        grouped: dict[tuple[str, str], list[OperationRoute]] = {}
        for route in routes:
            if route.action:
                self._by_action.setdefault(route.action, route)
            else:
                grouped.setdefault((route.method.lower(), route.template), []).append(route)
        ordered = (
            (method, template, sorted(group, key=lambda r: -len(r.query_keys)))
            for (method, template), group in grouped.items()
        )
        self._paths: Router[list[OperationRoute]] = Router(ordered, base_paths=base_paths)

    def match(
        self, method: str, path: str, *, query_keys: Iterable[str] = (), action: str = ""
    ) -> OperationRoute | None:
        """The operation a request belongs to, or None."""
        if action:
            return self._by_action.get(action)
        found = self._paths.match(method, path)
        if found is None:
            return None
        keys = set(query_keys)
        return next((route for route in found.value if route.query_keys <= keys), None)

    def route_of(self, method: str, path: str) -> Route[list[OperationRoute]] | None:
        """The matched path route with every operation registered on it (for path parameters)."""
        return self._paths.match(method, path)


def path_segments(path: str) -> list[str]:
    """A path's segments without the empty ones at either end (`/a/b/` -> ['a', 'b'])."""
    stripped = path.strip("/")
    return stripped.split("/") if stripped else []


__all__ = ["OperationRoute", "OperationRouter", "Route", "Router", "path_segments"]
