"""Would this pact interaction verify against any provider that honours this description?

One answer for the whole toolkit, read from the pact with the Pact core's semantics and from the description's
structure. Request side: the description accepts what the pact sends (path and method, every parameter sent is
declared and valid, required ones are sent, the body's media type and schema). Response side: the expected status
and media type are declared, and every value the pact expects, with its matcher, is declared for that status:

- a field the pact expects must be declared by every alternative (`oneOf`/`anyOf` branch) the provider may choose
  (a branch whose declared values exclude a literal the pact expects, such as a discriminator, cannot be chosen);
  an object the description leaves open (no properties, or `additionalProperties` allowed) is not judged below;
- a value under a kind matcher (type, integer, decimal, number, boolean, regex, date/time, values, each-like ...)
  must not be able to arrive as a kind the matcher refuses: a field that may be null under a `type` matcher, a
  number under a regex; listed values (`enum`, `const`) under a regex or include matcher must all match it;
- a literal (the Pact core's equality) must be a value the description allows; which one arrives is the provider
  state's business, so a literal is judged possible, not certain;
- an object or array the pact expects must not be able to arrive as null or another kind.

    for problem in judge_interaction(interaction, validator):
        print(problem.code, problem.where, problem.reason)
    # CK418 response.body.incidents[*].title  expects field 'title', which the description does not declare
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from contractkit.compat.shapes import FREE, Shape, ShapeReader, kind_of
from contractkit.core.codes import Code
from contractkit.core.http import coerce_text, is_json_media, pick_media_type
from contractkit.core.model import Finding, Severity
from contractkit.pact import (
    ANY_INDEX,
    PactInteraction,
    PactRequest,
    PactResponse,
    Segment,
    best_rule,
    normalize_path,
    render_path,
)
from contractkit.validation import SpecValidator, compile_schema, deref, schema_errors

__all__ = ["Incompatibility", "judge_interaction", "response_declared"]

_IGNORED_HEADERS = frozenset(("accept", "content-type", "authorization"))
_VALUE_PARTS = frozenset(("path", "method", "status", "media"))
_STRING_MATCHERS = frozenset(("regex", "include", "date", "time", "datetime", "timestamp", "semver"))
_NUMBERS = frozenset(("integer", "number"))
_MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Incompatibility:
    """One way an interaction would fail against a provider that honours the description.

    `direction` is request or response, `part` path | method | query | header | body | status | media, `location`
    a parameter's name or a body's JSON path with `[*]` for indexes (`$.incidents[*].title`)."""

    code: str
    direction: str
    part: str
    location: str
    reason: str
    severity: Severity = Severity.ERROR

    @property
    def path(self) -> str:
        """The location without the aspect judged (`$.incidents[*].title#null` -> `$.incidents[*].title`)."""
        return self.location.split("#", 1)[0]

    @property
    def where(self) -> str:
        """`response.body.incidents[*].title`, `request.query.tag`: where a finding points."""
        if self.part == "body":
            return f"{self.direction}.body{self.path[1:]}"
        if self.part in _VALUE_PARTS:  # the location is the value (a path, a method, a status): not a place
            return f"{self.direction}.{self.part}"
        return f"{self.direction}.{self.part}" + (f".{self.location}" if self.location else "")

    @property
    def shown(self) -> str:
        """`response body $.incidents[*].title`, `request query tag`, `response status 200`: for people."""
        return f"{self.direction} {self.part} {self.path}".rstrip()

    def finding(
        self, subject: str, *, provider: str = "", operation: str = "", severity: Severity | None = None, note: str = ""
    ) -> Finding:
        """The problem as a Finding: `subject: reason (note)` at `where`, with its own severity unless given."""
        message = f"{subject}: {self.reason}" + (f" ({note})" if note else "")
        return Finding(self.code, severity or self.severity, message, self.where, provider, operation)

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies the problem between two descriptions (the reason's wording may differ)."""
        return self.code, self.direction, self.part, self.location


def judge_interaction(interaction: PactInteraction, validator: SpecValidator) -> list[Incompatibility]:
    """Every way `interaction` would fail against a provider that honours the description behind `validator`."""
    request = interaction.request
    match = validator.match(request.method, request.path)
    if match is None:
        return [_route_problem(validator, request)]
    item = deref(validator.document, validator.document["paths"][match.template], source=validator.source)
    judge = _Judge(validator)
    return [
        *judge.parameters(item, match.operation, request),
        *judge.request_body(match.operation, request),
        *judge.response(match.operation, interaction.response),
    ]


def response_declared(validator: SpecValidator, operation: Mapping[str, Any], status: int) -> Mapping[str, Any] | None:
    """The documented response for a status (exact, `2XX`, `default`), None when the description has none."""
    responses = operation.get("responses") or {}
    key = next(
        (k for k in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default") if k in responses), None
    )
    return None if key is None else deref(validator.document, responses[key], source=validator.source)


def _route_problem(validator: SpecValidator, request: PactRequest) -> Incompatibility:
    methods = [
        other
        for other in ("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS")
        if other != request.method and validator.match(other, request.path) is not None
    ]
    if methods:
        return Incompatibility(
            Code.METHOD_UNKNOWN,
            "request",
            "method",
            request.method,
            f"{request.method} is not documented for {request.path} (documented: {', '.join(methods)})",
        )
    return Incompatibility(
        Code.PATH_UNKNOWN,
        "request",
        "path",
        request.path,
        f"{request.method} {request.path} matches no path of the description",
    )


class _Judge:
    """The checks of one interaction against one description."""

    def __init__(self, validator: SpecValidator) -> None:
        self.validator = validator
        self.document = validator.document

    # ------------------------------------------------------------ request

    def parameters(
        self, item: Mapping[str, Any], operation: Mapping[str, Any], request: PactRequest
    ) -> Iterator[Incompatibility]:
        """Required parameters sent, every query parameter sent declared, every value sent valid."""
        headers = {key.lower(): values[0] for key, values in request.headers.items() if values}
        declared_query = set()
        for parameter in self._parameters(item, operation):
            place, name = parameter.get("in"), parameter["name"]
            if place == "query":
                declared_query.add(name)
                values = request.query.get(name)
            elif place == "header" and name.lower() not in _IGNORED_HEADERS:  # OpenAPI 3.0: these SHALL be ignored
                values = (headers[name.lower()],) if name.lower() in headers else None
            else:
                continue  # path parameters are implied by the template match; cookies are not in pacts
            if values is None:
                if parameter.get("required"):
                    yield Incompatibility(
                        Code.PARAMETER_MISSING,
                        "request",
                        str(place),
                        name,
                        f"the required {place} parameter {name!r} is not sent",
                    )
                continue
            yield from self._parameter_values(parameter, values)
        for name in sorted(set(request.query) - declared_query):
            yield Incompatibility(
                Code.QUERY_UNDOCUMENTED,
                "request",
                "query",
                name,
                f"sends the query parameter {name!r}, which the description does not declare",
                Severity.WARNING,
            )

    def _parameters(self, item: Mapping[str, Any], operation: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        merged: dict[tuple[str, str], Mapping[str, Any]] = {}
        for raw in list(item.get("parameters") or []) + list(operation.get("parameters") or []):
            parameter = deref(self.document, raw, source=self.validator.source)
            if isinstance(parameter, Mapping) and "name" in parameter:
                name = str(parameter["name"])
                merged[(str(parameter.get("in", "")), name.lower() if parameter.get("in") == "header" else name)] = (
                    parameter
                )
        return list(merged.values())

    def _parameter_values(self, parameter: Mapping[str, Any], values: Sequence[str]) -> Iterator[Incompatibility]:
        schema = parameter.get("schema")
        if not isinstance(schema, Mapping):
            return
        resolved = deref(self.document, schema, source=self.validator.source)
        split = [part for value in values for part in str(value).split(",")]
        instance: Any = (
            [coerce_text(value, deref(self.document, resolved.get("items") or {})) for value in split]
            if resolved.get("type") == "array"
            else coerce_text(str(values[0]), resolved)
        )
        for _path, reason in schema_errors(
            compile_schema(self.document, schema, source=self.validator.source), instance
        ):
            yield Incompatibility(
                Code.PARAMETER_INVALID,
                "request",
                str(parameter.get("in")),
                str(parameter["name"]),
                f"the {parameter.get('in')} parameter {parameter['name']!r} sent is not valid: {reason}",
            )

    def request_body(self, operation: Mapping[str, Any], request: PactRequest) -> Iterator[Incompatibility]:
        """A required body is sent, in a media type the description accepts, valid against its schema."""
        declared = deref(self.document, operation.get("requestBody") or {}, source=self.validator.source)
        body, media = (request.body if request.has_body else None), request.content_type
        if body is None:
            if declared.get("required"):
                yield Incompatibility(
                    Code.REQUEST_BODY, "request", "body", "$", "the request body is required and none is sent"
                )
            return
        content = declared.get("content") or {}
        if not content:
            return
        chosen = pick_media_type(media, content) if media else next(iter(content))
        if chosen is None:
            yield Incompatibility(
                Code.REQUEST_BODY,
                "request",
                "media",
                media,
                f"sends {media!r}, which is not accepted (accepted: {', '.join(content)})",
            )
            return
        schema = (content.get(chosen) or {}).get("schema")
        if schema is None or not is_json_media(media or chosen):
            return
        for path, reason in schema_errors(compile_schema(self.document, schema, source=self.validator.source), body):
            yield Incompatibility(
                Code.REQUEST_BODY, "request", "body", _generic(path), f"the request body sent is not valid: {reason}"
            )

    # ------------------------------------------------------------ response

    def response(self, operation: Mapping[str, Any], response: PactResponse) -> Iterator[Incompatibility]:
        """The expected status and media type are declared and the expected body is what the provider may send."""
        documented = response_declared(self.validator, operation, response.status)
        if documented is None:
            shown = ", ".join(map(str, operation.get("responses") or {})) or "none"
            yield Incompatibility(
                Code.STATUS_UNDOCUMENTED,
                "response",
                "status",
                str(response.status),
                f"expects status {response.status}, which is not documented (documented: {shown})",
            )
            return
        body, media = (response.body if response.has_body else None), response.content_type
        content = documented.get("content") or {}
        if body is None and not media:
            return
        chosen = pick_media_type(media, content) if media else (next(iter(content)) if content else None)
        if chosen is None:
            yield Incompatibility(
                Code.MEDIA_UNDOCUMENTED,
                "response",
                "media",
                media or "",
                f"expects {media or 'a body'!r} with status {response.status}, which is not documented "
                f"(documented: {', '.join(content) or 'no body'})",
            )
            return
        schema = (content.get(chosen) or {}).get("schema")
        if body is None or schema is None or not is_json_media(media or chosen):
            return
        walk = _BodyWalk(self.validator, response.rules.get("body") or {})
        yield from walk.value(body, [[schema]], ())


class _BodyWalk:
    """An expected response body against the schemas the provider may answer with, value by value."""

    def __init__(self, validator: SpecValidator, rules: Mapping[str, Any]) -> None:
        self.reader = shape_reader(validator)
        self.rules = rules
        self._rules: dict[tuple[Segment, ...], Mapping[str, Any] | None] = {}

    def rule(self, path: tuple[Segment, ...]) -> Mapping[str, Any] | None:
        """The rule governing a path (looked up once per path)."""
        if path not in self._rules:
            self._rules[path] = best_rule(self.rules, path)
        return self._rules[path]

    def value(
        self, value: Any, choices: Sequence[Sequence[Any]], path: tuple[Segment, ...]
    ) -> Iterator[Incompatibility]:
        """Problems at `path` and below; `choices` are the groups of schemas the provider chooses from (each group's
        schemas apply together)."""
        if len(path) > _MAX_DEPTH:
            return
        shapes = [shape for group in choices for shape in self.reader.alternatives(group)]
        if not shapes or any(not self.reader.alternatives(group) for group in choices):
            return  # the description says nothing of this value: any value may come, none is excluded
        rule = self.rule(path)
        # a branch whose listed values exclude a literal the pact expects is not the one answering; when every
        # branch would be excluded, the literal itself is the problem and is reported where it is
        possible = (
            shapes
            if len(shapes) == 1
            else [shape for shape in shapes if not self._excluded(shape, value, path)] or shapes
        )
        relevant = [shape for shape in possible if shape.allows_kind(kind_of(value))]
        if not relevant:
            yield self._problem(
                Code.VALUE_UNDOCUMENTED,
                path,
                f"expects {kind_of(value)} {_short(value)}, the description documents {_kinds_text(shapes)}",
            )
            return
        accepted = _accepted_kinds(rule, value)
        if accepted is not None:
            yield from self._widened(possible, accepted, rule, path)
        elif isinstance(value, (dict, list)):
            yield from self._widened(possible, frozenset({kind_of(value)}), None, path)
        elif not any(shape.allows_value(value) for shape in relevant):
            listed = next((shape.values for shape in relevant if shape.values is not None), [])
            yield self._problem(
                Code.VALUE_UNDOCUMENTED,
                path,
                f"expects {_short(value)}, which is not one of the documented values {_short(listed, 100)}",
            )
        if isinstance(value, dict):
            yield from self._object(value, relevant, path)
        elif isinstance(value, list):
            yield from self._array(value, relevant, path)

    def _widened(
        self,
        shapes: Sequence[Shape],
        accepted: frozenset[str],
        rule: Mapping[str, Any] | None,
        path: tuple[Segment, ...],
    ) -> Iterator[Incompatibility]:
        kinds: set[str] = set()
        for shape in shapes:
            if shape.kinds is None:
                return  # any kind may come: the description cannot say what arrives
            kinds |= shape.kinds
        if "integer" in accepted or "number" in accepted:
            accepted = accepted | ({"integer"} if "number" in accepted else set())
        extra = sorted(kind for kind in kinds - accepted if not (kind == "integer" and "number" in accepted))
        if "null" in extra:
            yield self._problem(
                Code.VALUE_UNDOCUMENTED,
                path,
                f"may be null, which {_matcher_words(rule)} does not accept",
                "null",
                Severity.WARNING,
            )
        others = [kind for kind in extra if kind != "null"]
        if others:
            yield self._problem(
                Code.VALUE_UNDOCUMENTED,
                path,
                f"may be {' or '.join(others)}, which {_matcher_words(rule)} does not accept",
                "kind",
                Severity.WARNING,
            )
        pattern = _regex(rule) if rule is not None and "regex" in str(rule.get("matchers")) else None
        if pattern is not None:
            for shape in shapes:
                bad = [item for item in shape.values or () if isinstance(item, str) and not pattern.search(item)]
                if bad:
                    yield self._problem(
                        Code.VALUE_UNDOCUMENTED,
                        path,
                        f"may be {_short(bad, 80)}, which the regex {pattern.pattern!r} does not match",
                        "values",
                        Severity.WARNING,
                    )

    def _object(
        self, value: Mapping[str, Any], shapes: Sequence[Shape], path: tuple[Segment, ...]
    ) -> Iterator[Incompatibility]:
        for key, child in value.items():
            found = [shape.child(str(key)) for shape in shapes]
            if any(item is FREE for item in found):
                continue
            missing = sum(item is None for item in found)
            if missing:
                # undeclared by every variant: certain; by some: possible, as the provider may answer with another
                which = "" if missing == len(found) else f" in {missing} of its {len(found)} variants"
                yield self._problem(
                    Code.FIELD_UNDOCUMENTED,
                    path + (key,),
                    f"expects field {key!r}, which the description does not declare{which}",
                    severity=Severity.ERROR if which == "" else Severity.WARNING,
                )
                continue
            yield from self.value(child, [item for item in found if isinstance(item, (list, tuple))], path + (key,))

    def _array(
        self, value: Sequence[Any], shapes: Sequence[Shape], path: tuple[Segment, ...]
    ) -> Iterator[Incompatibility]:
        found = [shape.items() for shape in shapes]
        if any(item is FREE for item in found):
            return
        groups = [item for item in found if isinstance(item, (list, tuple))]
        for index, element in enumerate(value):
            yield from self.value(element, groups, path + (index,))

    def _excluded(self, shape: Shape, value: Any, path: tuple[Segment, ...]) -> bool:
        """A branch the provider cannot be answering with: a literal the pact expects (a discriminator, a type
        name) is a value the branch does not allow."""
        if not isinstance(value, dict):
            return False
        for key, item in value.items():
            if isinstance(item, (dict, list)) or self.rule(path + (key,)) is not None:
                continue
            child = shape.child(str(key))
            if not isinstance(child, (list, tuple)):
                continue
            options = self.reader.alternatives(child)
            if (
                options
                and all(option.values is not None for option in options)
                and not any(option.allows_value(item) for option in options)
            ):
                return True
        return False

    def _problem(
        self, code: str, path: tuple[Segment, ...], reason: str, aspect: str = "", severity: Severity = Severity.ERROR
    ) -> Incompatibility:
        """A certain problem (the expected value cannot arrive) is an error; a possible one (another kind or value
        may arrive instead) a warning. Comparing two descriptions counts both."""
        location = _generic(path)
        return Incompatibility(code, "response", "body", location + (f"#{aspect}" if aspect else ""), reason, severity)


_READERS: dict[int, tuple[SpecValidator, ShapeReader]] = {}


def shape_reader(validator: SpecValidator) -> ShapeReader:
    """The shape reader of one description, shared by every interaction judged against it (a few are kept)."""
    found = _READERS.get(id(validator))
    if found is None or found[0] is not validator:
        if len(_READERS) >= 8:
            _READERS.pop(next(iter(_READERS)))
        found = _READERS[id(validator)] = (validator, ShapeReader(validator.document, validator.source))
    return found[1]


def _accepted_kinds(rule: Mapping[str, Any] | None, example: Any) -> frozenset[str] | None:
    """The kinds a rule lets through, None when it constrains values, not kinds (equality, no rule)."""
    if rule is None:
        return None
    sets = [_kinds_of(matcher, example) for matcher in rule.get("matchers") or [rule] if isinstance(matcher, Mapping)]
    known = [kinds for kinds in sets if kinds is not None]
    if str(rule.get("combine", "AND")).upper() == "OR":
        return frozenset().union(*known) if known and len(known) == len(sets) else None
    return frozenset.intersection(*known) if known else None


def _kinds_of(matcher: Mapping[str, Any], example: Any) -> frozenset[str] | None:
    kind = str(matcher.get("match", "type"))
    own = kind_of(example)
    if kind in ("type", "notEmpty") or (kind in ("min", "max", "minmax")):
        return _NUMBERS if own in _NUMBERS else frozenset({own})
    if kind == "integer":
        return frozenset({"integer"})
    if kind in ("decimal", "number"):
        return _NUMBERS
    if kind in ("boolean", "null"):
        return frozenset({kind})
    if kind in _STRING_MATCHERS:
        return frozenset({"string"}) | ({own} if own != "null" else set())
    if kind in ("values", "eachKey", "eachValue"):
        return frozenset({"object"})
    if kind == "arrayContains":
        return frozenset({"array"})
    return None  # equality, contentType, statusCode: values, not kinds


def _regex(rule: Mapping[str, Any] | None) -> re.Pattern[str] | None:
    if rule is None or str(rule.get("combine", "AND")).upper() == "OR":
        return None
    for matcher in rule.get("matchers") or [rule]:
        if isinstance(matcher, Mapping) and matcher.get("match") == "regex" and isinstance(matcher.get("regex"), str):
            try:
                return re.compile(matcher["regex"])
            except re.error:
                return None
    return None


def _matcher_words(rule: Mapping[str, Any] | None) -> str:
    if rule is None:
        return "the expected value's kind"
    names = [str(m.get("match", "type")) for m in rule.get("matchers") or [rule] if isinstance(m, Mapping)]
    return "the " + f" {str(rule.get('combine', 'AND')).lower()} ".join(names) + " matcher"


def _kinds_text(shapes: Sequence[Shape]) -> str:
    kinds = sorted({kind for shape in shapes for kind in (shape.kinds or {"any"})})
    return " or ".join(kinds)


def _generic(path: Sequence[Segment] | str) -> str:
    if isinstance(path, str):  # a JSON path from a schema error: `$.a[0].b`
        return normalize_path(path)
    return render_path([ANY_INDEX if isinstance(segment, int) else segment for segment in path])


def _short(value: Any, width: int = 50) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 3] + "..."
