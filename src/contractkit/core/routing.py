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
from typing import Generic, Iterable, Iterator, TypeVar
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
    __slots__ = ("literals", "patterns", "param", "routes")

    def __init__(self) -> None:
        self.literals: dict[str, _Node[T]] = {}
        self.patterns: list[tuple[re.Pattern[str], list[str], _Node[T]]] = []  # segments such as {name}.json
        self.param: tuple[str, _Node[T]] | None = None
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
            segments = [unquote(part) for part in path_segments(path[len(base):] or "/")]
            found = self._walk(self._root, segments, 0, wanted, {})
            if found is not None:
                return found
        return None

    def methods(self, path: str) -> list[str]:
        """The methods some route accepts at this path (for a 405 answer or a suggestion)."""
        return [method for method in HTTP_METHODS if self.match(method, path) is not None]

    def _walk(self, node: _Node[T], segments: list[str], depth: int, method: str,
              values: dict[str, str]) -> Route[T] | None:
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
            return self._walk(child, segments, depth + 1, method, {**values, name: segment})
        return None

    def __iter__(self) -> Iterator[tuple[str, str, T]]:
        """Every (method, template, value), in no particular order."""
        stack = [self._root]
        while stack:
            node = stack.pop()
            for method, (template, value) in node.routes.items():
                yield method, template, value
            stack.extend(node.literals.values())
            stack.extend(child for _pattern, _names, child in node.patterns)
            if node.param is not None:
                stack.append(node.param[1])


def path_segments(path: str) -> list[str]:
    """A path's segments without the empty ones at either end (`/a/b/` -> ['a', 'b'])."""
    stripped = path.strip("/")
    return stripped.split("/") if stripped else []


__all__ = ["Route", "Router", "path_segments"]
