"""Read contracts/<provider>.yaml into typed interactions; the matcher syntax lives here.

A matcher is a mapping with exactly one `$`-key naming it, for example `{$like: 42}`,
`{$each_like: {...}, min: 1}` or `{$regex: "^v\\d+$", example: "v2"}`. Everything else is a
literal value that the provider must send exactly. See docs/contracts.md for the full syntax.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid as uuid_module
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from contractkit.consumer.messagefile import MESSAGE_FILE_KEYS, ContractMessage, pact_identity, read_message_part
from contractkit.consumer.regexguard import find_backtracking_risk
from contractkit.core.errors import ContractFileError, KeyPath
from contractkit.core.limits import MAX_REGEX_LENGTH
from contractkit.core.loading import SourceDocument, load_source
from contractkit.core.model import Operation, Provider, ProviderKind
from contractkit.pact import PactState
from contractkit.secrets import DOCUMENTED_EXAMPLES, Detector, is_secret_name, looks_random

# matcher name -> the option keys it accepts besides its own `$name` key
MATCHER_OPTIONS: dict[str, frozenset[str]] = {
    "like": frozenset({"min", "max"}),
    "each_like": frozenset({"min", "max"}),
    "regex": frozenset({"example"}),
    "integer": frozenset(),
    "decimal": frozenset(),
    "number": frozenset(),
    "boolean": frozenset(),
    "date": frozenset({"format"}),
    "time": frozenset({"format"}),
    "datetime": frozenset({"format"}),
    "uuid": frozenset(),
    "includes": frozenset(),
    "null_or": frozenset(),
}
DEFAULT_FORMATS = {"date": "%Y-%m-%d", "time": "%H:%M:%S", "datetime": "%Y-%m-%dT%H:%M:%SZ"}
_UUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_INTERACTION_KEYS = {"operation", "description", "given", "request", "response", "params", "output", "status"}
_REQUEST_KEYS = {"path_params", "query", "headers", "body", "form"}
_RESPONSE_KEYS = {"status", "headers", "body"}


@dataclass(frozen=True, slots=True)
class Matcher:
    """One matcher from a contract file: its kind, its example (may nest matchers) and its options."""

    kind: str
    example: Any
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """The request the consumer sends: the path is the full request path (base path included)."""

    method: str
    path: str
    query: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, Any] = field(default_factory=dict)
    body: Any = None
    content_type: str | None = None
    raw_body: bytes | None = None  # exact bytes, when the body is not JSON (the AWS query protocol)


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """The response the consumer expects, written with matchers."""

    status: int
    headers: Mapping[str, Any] = field(default_factory=dict)
    body: Any = None
    content_type: str | None = None
    xml_root: Any = None  # a pact XML element tree for XML bodies (AWS query and REST-XML)


@dataclass(frozen=True, slots=True)
class AwsCall:
    """An AWS interaction at the boto3 level: parameters in, expected output subset out."""

    params: Mapping[str, Any]
    output: Any
    status: int = 200


@dataclass(frozen=True, slots=True)
class ContractInteraction:
    """One interaction of a contract file, tied to a registered operation."""

    provider: str
    operation: str
    description: str
    states: tuple[PactState, ...]
    request: HttpRequest | None
    response: HttpResponse | None
    aws: AwsCall | None
    file: str
    key_path: KeyPath
    line: int | None = None

    @property
    def identity(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """What makes an interaction unique inside a pact: description and provider states."""
        return pact_identity(self.description, self.states)


@dataclass(frozen=True, slots=True)
class ContractFile:
    """contracts/<provider>.yaml, parsed and checked against the registry."""

    path: Path
    provider: str
    interactions: tuple[ContractInteraction, ...]
    messages: tuple[ContractMessage, ...] = ()  # events and webhooks the handler receives (consumer/messagefile.py)
    handler_path: Path | None = None  # where the messages' handlers are imported from

    def for_operation(self, operation: str) -> tuple[ContractInteraction, ...]:
        """The interactions written for one operation, in file order."""
        return tuple(interaction for interaction in self.interactions if interaction.operation == operation)


class _Reader:
    """Turns the raw data of one contract file into the typed model, raising with key path and line."""

    def __init__(self, document: SourceDocument, display: str, provider: Provider) -> None:
        self.document = document
        self.display = display
        self.provider = provider

    def fail(self, message: str, key_path: KeyPath, hint: str | None = None) -> ContractFileError:
        return ContractFileError(
            message, file=self.display, key_path=key_path, line=self.document.line_of(key_path), hint=hint
        )

    def line(self, key_path: KeyPath) -> int | None:
        return self.document.line_of(key_path)

    def read(self) -> ContractFile:
        data = self.document.data
        if not isinstance(data, dict):
            raise self.fail("expected a mapping with 'provider' and 'interactions'", ())
        self.reject_unknown(data, {"provider", "interactions", *MESSAGE_FILE_KEYS}, ())
        if data.get("provider", self.provider.name) != self.provider.name:
            raise self.fail(
                f"names provider {data['provider']!r} but the registry points provider "
                f"{self.provider.name!r} at this file",
                ("provider",),
            )
        part = read_message_part(self, data, self.document.path, self.display)
        raw = data.get("interactions", [] if part.messages else None)
        if not isinstance(raw, list) or not (raw or part.messages):
            raise self.fail("expected a non-empty list of interactions", ("interactions",))
        interactions = tuple(self.interaction(item, ("interactions", index)) for index, item in enumerate(raw))
        self.reject_duplicates((*interactions, *part.messages))
        return ContractFile(
            path=self.document.path,
            provider=self.provider.name,
            interactions=interactions,
            messages=part.messages,
            handler_path=part.handler_path,
        )

    def reject_unknown(self, raw: Mapping[str, Any], allowed: set[str], key_path: KeyPath) -> None:
        import difflib

        for key in raw:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(sorted(allowed))}"
                raise self.fail(f"unknown key {key!r}", key_path + (key,), hint)

    def reject_duplicates(self, interactions: tuple[ContractInteraction | ContractMessage, ...]) -> None:
        seen: dict[Any, ContractInteraction | ContractMessage] = {}
        for interaction in interactions:
            first = seen.setdefault(interaction.identity, interaction)
            if first is not interaction:
                raise self.fail(
                    f"duplicate interaction {interaction.description!r} with the same provider states "
                    f"(first at line {first.line})",
                    interaction.key_path + ("description",),
                )

    def interaction(self, raw: Any, key_path: KeyPath) -> ContractInteraction:
        if not isinstance(raw, dict):
            raise self.fail("expected a mapping", key_path)
        self.reject_unknown(raw, _INTERACTION_KEYS, key_path)
        operation = self.operation(raw, key_path)
        description = raw.get("description")
        if not isinstance(description, str) or not description.strip():
            raise self.fail("expected a non-empty description", key_path + ("description",))
        states = self.states(raw.get("given", []), key_path + ("given",))
        common: dict[str, Any] = dict(
            provider=self.provider.name,
            operation=operation.name,
            description=description.strip(),
            states=states,
            file=self.display,
            key_path=key_path,
            line=self.document.line_of(key_path),
        )
        if self.provider.kind is ProviderKind.AWS:
            return ContractInteraction(request=None, response=None, aws=self.aws_call(raw, key_path), **common)
        for key in ("params", "output"):
            if key in raw:
                raise self.fail(f"{key!r} is for AWS providers; write 'request' and 'response'", key_path + (key,))
        return ContractInteraction(
            request=self.request(raw.get("request", {}), operation, key_path + ("request",)),
            response=self.response(raw.get("response"), key_path + ("response",)),
            aws=None,
            **common,
        )

    def operation(self, raw: Mapping[str, Any], key_path: KeyPath) -> Operation:
        name = raw.get("operation")
        if not isinstance(name, str):
            raise self.fail("missing required key 'operation'", key_path)
        if name not in self.provider.operations:
            import difflib

            close = difflib.get_close_matches(name, list(self.provider.operations), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"registered: {', '.join(self.provider.operations)}"
            raise self.fail(
                f"operation {name!r} is not registered for provider {self.provider.name!r}",
                key_path + ("operation",),
                hint,
            )
        return self.provider.operations[name]

    def states(self, raw: Any, key_path: KeyPath) -> tuple[PactState, ...]:
        if isinstance(raw, (str, dict)):
            raw = [raw]
        if not isinstance(raw, list):
            raise self.fail("expected a provider state or a list of them", key_path)
        return tuple(self.state(item, key_path + (index,)) for index, item in enumerate(raw))

    def state(self, raw: Any, key_path: KeyPath) -> PactState:
        if isinstance(raw, str) and raw.strip():
            return PactState(raw.strip())
        if not isinstance(raw, dict) or not isinstance(raw.get("state"), str):
            raise self.fail("expected a state name or a mapping with 'state' and optional 'params'", key_path)
        self.reject_unknown(raw, {"state", "params"}, key_path)
        params = raw.get("params", {})
        if not isinstance(params, dict):
            raise self.fail("expected a mapping of parameters", key_path + ("params",))
        return PactState(raw["state"].strip(), params)

    def request(self, raw: Any, operation: Operation, key_path: KeyPath) -> HttpRequest:
        if not isinstance(raw, dict):
            raise self.fail("expected a mapping", key_path)
        self.reject_unknown(raw, _REQUEST_KEYS, key_path)
        path = self.provider.base_path + self.fill_path(
            operation, raw.get("path_params", {}), key_path + ("path_params",)
        )
        query = self.mapping(raw.get("query", {}), key_path + ("query",))
        headers = self.mapping(raw.get("headers", {}), key_path + ("headers",))
        for name, value in query.items():
            query[name] = (
                [self.value(v, key_path + ("query", name, i)) for i, v in enumerate(value)]
                if isinstance(value, list)
                else self.scalar(value, key_path + ("query", name))
            )
        for name, value in headers.items():
            headers[name] = self.scalar(value, key_path + ("headers", name))
        if "form" in raw:
            return self.form_request(raw, operation, path, query, headers, key_path)
        body = self.value(raw["body"], key_path + ("body",)) if "body" in raw else None
        return HttpRequest(
            method=operation.method or "GET",
            path=path,
            query=query,
            headers=headers,
            body=body,
            content_type="application/json" if body is not None else None,
        )

    def form_request(
        self,
        raw: Mapping[str, Any],
        operation: Operation,
        path: str,
        query: dict[str, Any],
        headers: dict[str, Any],
        key_path: KeyPath,
    ) -> HttpRequest:
        """A form-encoded body: fields are literal strings (the pact core compares them as form parameters)."""
        from urllib.parse import urlencode

        if "body" in raw:
            raise self.fail("write either 'body' (JSON) or 'form' (form-encoded), not both", key_path + ("form",))
        fields = self.mapping(raw["form"], key_path + ("form",))
        for name, value in fields.items():
            if isinstance(value, (dict, list)):
                raise self.fail("expected a plain value for a form field", key_path + ("form", name))
        encoded = urlencode({name: _form_text(value) for name, value in fields.items()})
        return HttpRequest(
            method=operation.method or "POST",
            path=path,
            query=query,
            headers=headers,
            content_type="application/x-www-form-urlencoded",
            raw_body=encoded.encode(),
        )

    def fill_path(self, operation: Operation, raw: Any, key_path: KeyPath) -> str:
        params = self.mapping(raw, key_path)
        template = operation.path or "/"
        names = re.findall(r"\{([^}]+)\}", template)
        for name in names:
            if name not in params:
                raise self.fail(f"missing path parameter {name!r} for {template}", key_path)
        for name in params:
            if name not in names:
                raise self.fail(f"{template} has no path parameter {name!r}", key_path + (name,))
        from urllib.parse import quote

        return re.sub(r"\{([^}]+)\}", lambda match: quote(str(params[match.group(1)]), safe=""), template)

    def response(self, raw: Any, key_path: KeyPath) -> HttpResponse:
        if not isinstance(raw, dict):
            raise self.fail("missing required key 'response'", key_path[:-1])
        self.reject_unknown(raw, _RESPONSE_KEYS, key_path)
        status = raw.get("status")
        if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
            raise self.fail(f"expected an HTTP status code, got {status!r}", key_path + ("status",))
        headers = self.mapping(raw.get("headers", {}), key_path + ("headers",))
        for name, value in headers.items():
            headers[name] = self.scalar(value, key_path + ("headers", name))
        body = self.value(raw["body"], key_path + ("body",)) if "body" in raw else None
        return HttpResponse(
            status=status, headers=headers, body=body, content_type="application/json" if body is not None else None
        )

    def aws_call(self, raw: Mapping[str, Any], key_path: KeyPath) -> AwsCall:
        for key in ("request", "response"):
            if key in raw:
                raise self.fail(f"{key!r} is for HTTP providers; write 'params' and 'output'", key_path + (key,))
        params = raw.get("params", {})
        if not isinstance(params, dict):
            raise self.fail("expected a mapping of boto3 parameters", key_path + ("params",))
        output = self.value(raw.get("output", {}), key_path + ("output",))
        status = raw.get("status", 200)
        if not isinstance(status, int) or isinstance(status, bool):
            raise self.fail(f"expected an HTTP status code, got {status!r}", key_path + ("status",))
        return AwsCall(params=params, output=output, status=status)

    def mapping(self, raw: Any, key_path: KeyPath) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail("expected a mapping", key_path)
        return dict(raw)

    def scalar(self, raw: Any, key_path: KeyPath) -> Any:
        value = self.value(raw, key_path)
        if isinstance(value, (dict, list)):
            raise self.fail("expected a string or a matcher", key_path)
        return value if isinstance(value, Matcher) else str(value)

    def value(self, raw: Any, key_path: KeyPath) -> Any:
        """A literal value or a matcher, recursively."""
        if isinstance(raw, list):
            return [self.value(item, key_path + (index,)) for index, item in enumerate(raw)]
        if not isinstance(raw, dict):
            return raw
        names = [key for key in raw if isinstance(key, str) and key.startswith("$")]
        if not names:
            return {key: self.value(item, key_path + (key,)) for key, item in raw.items()}
        if len(names) > 1:
            raise self.fail(f"a matcher has exactly one $-key, found {', '.join(names)}", key_path)
        return self.matcher(names[0][1:], raw, key_path)

    def matcher(self, kind: str, raw: Mapping[str, Any], key_path: KeyPath) -> Matcher:
        if kind not in MATCHER_OPTIONS:
            import difflib

            close = difflib.get_close_matches(kind, list(MATCHER_OPTIONS), n=1)
            hint = f"did you mean ${close[0]}?" if close else "known: " + ", ".join(f"${k}" for k in MATCHER_OPTIONS)
            raise self.fail(f"unknown matcher ${kind}", key_path + (f"${kind}",), hint)
        options = {key: value for key, value in raw.items() if key != f"${kind}"}
        for key in options:
            if key not in MATCHER_OPTIONS[kind]:
                allowed = ", ".join(sorted(MATCHER_OPTIONS[kind])) or "none"
                raise self.fail(f"${kind} takes no option {key!r} (options: {allowed})", key_path + (key,))
        where = key_path + (f"${kind}",)
        argument = raw[f"${kind}"]
        if kind in ("like", "each_like", "null_or"):
            return self.nesting(kind, argument, options, where)
        return self.leaf(kind, argument, options, where)

    def nesting(self, kind: str, argument: Any, options: dict[str, Any], where: KeyPath) -> Matcher:
        for key in ("min", "max"):
            if key in options and (
                not isinstance(options[key], int) or isinstance(options[key], bool) or options[key] < 0
            ):
                raise self.fail(f"expected a non-negative integer, got {options[key]!r}", where[:-1] + (key,))
        if kind == "each_like" and options.get("min", 1) < 1:
            raise self.fail(
                "$each_like needs min of at least 1 (use an empty list literal for none)", where[:-1] + ("min",)
            )
        example = self.value(argument, where)
        if kind == "null_or":
            self.check_null_or(example, where)
        return Matcher(kind, example, options)

    def check_null_or(self, example: Any, where: KeyPath) -> None:
        inner = example.example if isinstance(example, Matcher) and example.kind == "like" else example
        if isinstance(example, Matcher) and example.kind in ("null_or", "each_like") or isinstance(inner, (dict, list)):
            # pact's verifier applies `null OR type` to scalars only; on a mapping or list it rejects the real value
            raise self.fail("$null_or takes a scalar value or a scalar matcher, not a mapping or list", where)

    def leaf(self, kind: str, argument: Any, options: dict[str, Any], where: KeyPath) -> Matcher:
        check = _LEAF_CHECKS[kind]
        problem = check(argument, options)
        if problem:
            raise self.fail(problem, where)
        if kind in DEFAULT_FORMATS:
            options.setdefault("format", DEFAULT_FORMATS[kind])
        return Matcher(kind, argument, options)


def _form_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _check_regex(argument: Any, options: Mapping[str, Any]) -> str | None:
    if not isinstance(argument, str):
        return f"expected a regular expression, got {argument!r}"
    if len(argument) > MAX_REGEX_LENGTH:
        return f"the regular expression is {len(argument)} characters long; the limit is {MAX_REGEX_LENGTH}"
    try:
        pattern = re.compile(argument)
        risk = find_backtracking_risk(argument)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"invalid regular expression {argument!r}: {exc}"
    if risk:
        return (
            f"the regular expression {argument!r} can take exponential time ({risk}); "
            f"write it without a repeated group that itself repeats, e.g. '^a+$' for '^(a+)+$'"
        )
    example = options.get("example")
    if not isinstance(example, str):
        return "$regex needs an 'example' string that the pattern matches"
    if not pattern.fullmatch(example):  # pact matches a regex against the whole value
        return f"the example {example!r} does not match the pattern {argument!r} (the whole value must match)"
    return None


def _check_type(*types: type) -> Any:
    def check(argument: Any, options: Mapping[str, Any]) -> str | None:
        if isinstance(argument, bool) and bool not in types:
            return f"expected {' or '.join(t.__name__ for t in types)}, got {argument!r}"
        if not isinstance(argument, types):
            return f"expected {' or '.join(t.__name__ for t in types)}, got {argument!r}"
        return None

    return check


def _check_temporal(kind: str) -> Any:
    def check(argument: Any, options: Mapping[str, Any]) -> str | None:
        text = argument.isoformat() if isinstance(argument, (dt.date, dt.time)) else argument
        if not isinstance(text, str):
            return f"expected a {kind} string, got {argument!r}"
        fmt = options.get("format", DEFAULT_FORMATS[kind])
        try:
            dt.datetime.strptime(text, fmt)
        except (ValueError, TypeError) as exc:
            return f"the example {text!r} does not have the format {fmt!r} ({exc})"
        return None

    return check


def _check_uuid(argument: Any, options: Mapping[str, Any]) -> str | None:
    if not isinstance(argument, str) or not _UUID.match(argument):
        return f"expected a UUID such as {uuid_module.UUID(int=1)}, got {argument!r}"
    return None


def _check_includes(argument: Any, options: Mapping[str, Any]) -> str | None:
    if not isinstance(argument, str):
        return f"expected the text that must be included, got {argument!r}"
    return None


_LEAF_CHECKS = {
    "regex": _check_regex,
    "integer": _check_type(int),
    "decimal": _check_type(float, int),
    "number": _check_type(int, float),
    "boolean": _check_type(bool),
    "date": _check_temporal("date"),
    "time": _check_temporal("time"),
    "datetime": _check_temporal("datetime"),
    "uuid": _check_uuid,
    "includes": _check_includes,
}


def load_contract_file(provider: Provider, path: Path | None = None, *, display: str | None = None) -> ContractFile:
    """Read and check the contract file of a provider; raises ContractFileError naming file, key path and line."""
    path = path or provider.contract
    if path is None:
        raise ContractFileError(f"provider {provider.name!r} has no contract file")
    shown = display or str(path)
    document = load_source(path, ContractFileError, display=shown)
    if document.data is None:
        raise ContractFileError("the file is empty; expected 'provider' and 'interactions'", file=shown, line=1)
    reject_secret_shaped_values(document, shown)
    return _Reader(document, shown, provider).read()


def reject_secret_shaped_values(document: SourceDocument, shown: str) -> None:
    """Refuse a contract holding a value shaped like a credential: it would be copied into the pact as is.

    Pacts are shared (committed, published to a broker); a placeholder such as `Bearer <token>` serves as an
    example just as well, and a scanner can then tell that no secret is there. A value is refused when it has a
    known credential format, or when it is random-looking (high entropy, letters and digits mixed) and stands
    under a credential name (`Authorization` with any scheme, `X-Api-Key`, `apikey`, `client_secret` ...),
    whatever the token's format.
    """
    detector = Detector.from_credentials().without_generic()  # `Bearer <token>` examples are placeholders
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(document.data, ())]
    while stack:
        node, key_path = stack.pop()
        if isinstance(node, dict):
            stack.extend((value, key_path + (key,)) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, key_path + (index,)) for index, value in enumerate(node))
        elif isinstance(node, str):
            kind = _secret_kind(detector, key_path, node)
            if kind:
                raise ContractFileError(
                    f"the value looks like a {kind}, which would reach the pact",
                    file=shown,
                    key_path=key_path,
                    line=document.line_of(key_path),
                    hint="write a placeholder instead, such as 'Bearer <token>'",
                )


_MATCHER_KEYS = frozenset({"example", "min", "max"})
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization"})


def _field_name(key_path: tuple[str | int, ...]) -> str | None:
    """The field a value belongs to: the nearest key that is not a matcher's own (`$like`, `example`)."""
    for key in reversed(key_path):
        if isinstance(key, str) and not key.startswith("$") and key not in _MATCHER_KEYS:
            return key
    return None


def _secret_kind(detector: Detector, key_path: tuple[str | int, ...], value: str) -> str | None:
    """What credential a contract value looks like, or None: a known format, or a random-looking token under a
    credential name (the token is the value's last word, after an auth scheme such as `Token token=`)."""
    for kind in detector.kinds(value)[:1]:
        return kind.replace("-", " ")
    field = _field_name(key_path)
    if field is None or not (field.lower() in _CREDENTIAL_HEADERS or is_secret_name(field)):
        return None
    token = re.split(r"[\s=,:]+", value.strip())[-1].strip("\"'")
    if token in DOCUMENTED_EXAMPLES:  # a vendor's published example (PagerDuty's `y_NbAkKc66ryYTWUXYEu`) is public
        return None
    return f"credential under {field!r}" if looks_random(token, min_length=12) else None


def example_of(value: Any) -> Any:
    """The plain example data behind a value: every matcher replaced by its example, recursively."""
    if isinstance(value, Matcher):
        if value.kind == "regex":
            return value.options["example"]
        if value.kind == "each_like":
            return [example_of(value.example)] * max(1, int(value.options.get("min", 1)))
        return example_of(value.example)
    if isinstance(value, dict):
        return {key: example_of(item) for key, item in value.items()}
    if isinstance(value, list):
        return [example_of(item) for item in value]
    return value


_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def child_path(path: str, key: str | int) -> str:
    """The pact JSON path of a child: `$.items[0]`, `$['odd-key']`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _IDENTIFIER.match(key):
        return f"{path}.{key}"
    return f"{path}['{key}']"


def to_pact_value(value: Any, path: str, null_paths: dict[str, bool]) -> Any:
    """Translate a value with contract matchers into pact-python matchers.

    `$null_or` has no equivalent in pact's integration format, so its JSON path is recorded in
    `null_paths`; the pact writer then turns the rule at that path into `null OR <rule>`.
    """
    if isinstance(value, Matcher):
        return _matcher_to_pact(value, path, null_paths)
    if isinstance(value, dict):
        return {key: to_pact_value(item, child_path(path, key), null_paths) for key, item in value.items()}
    if isinstance(value, list):
        return [to_pact_value(item, child_path(path, index), null_paths) for index, item in enumerate(value)]
    return value


def _matcher_to_pact(matcher: Matcher, path: str, null_paths: dict[str, bool]) -> Any:
    from pact import match

    kind, example, options = matcher.kind, matcher.example, matcher.options
    if kind == "null_or":
        null_paths[path] = not isinstance(example, Matcher)
        return to_pact_value(example, path, null_paths)
    if kind == "like":
        return match.like(to_pact_value(example, path, null_paths), min=options.get("min"), max=options.get("max"))
    if kind == "each_like":
        inner = to_pact_value(example, f"{path}[*]", null_paths)
        # as many examples as the minimum, so the mock's own answer satisfies the rule it writes
        minimum = int(options.get("min", 1))
        return match.type([inner] * minimum, min=minimum, max=options.get("max"))
    if kind == "regex":
        return match.regex(options["example"], regex=options["regex"] if "regex" in options else example)
    simple: dict[str, Callable[..., Any]] = {
        "integer": match.int,
        "decimal": match.decimal,
        "number": match.number,
        "boolean": match.bool,
        "uuid": match.uuid,
        "includes": match.includes,
    }
    if kind in simple:
        return simple[kind](example)
    temporal: dict[str, Callable[..., Any]] = {"date": match.date, "time": match.time, "datetime": match.datetime}
    return temporal[kind](example, options.get("format", DEFAULT_FORMATS[kind]))


__all__ = [
    "AwsCall",
    "ContractFile",
    "ContractInteraction",
    "HttpRequest",
    "HttpResponse",
    "Matcher",
    "MATCHER_OPTIONS",
    "load_contract_file",
    "example_of",
    "to_pact_value",
    "child_path",
]
