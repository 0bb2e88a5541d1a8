"""What the consumers actually use: per consumer, provider and registered operation, what each pact interaction
sends and what it reads, with its matchers; and who observes a change to a provider.

The model is built from pacts (ours in the registry's pacts folder, and other teams' pacts in the folders the
registry lists under `consumer_pacts`), read through the one pact reader and matched to operations by the
provider's one router. A request sends its path parameters, query parameters, headers and body fields; a
response is read for its status, its headers and every body field by JSON path (`$.incidents[*].id`), each
with the rule the pact gives it (`{"matchers": [...], "combine": "AND"|"OR"}`).

Ask who observes a change with `observers`:

    usage = load_usage(registry)
    for seen in observers(usage, change, old=old_document, new=new_document):
        print(seen.consumer, seen.interaction, seen.location, seen.reason)
    # devctl  a listing of triggered and acknowledged incidents  $.incidents[*].status  reads $.incidents[*].status ...

An empty list means no consumer sends or reads what changed: the gate reports such a change as unused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Iterable, Iterator, Mapping, Sequence

from contractkit.aws import aws_action, provider_router
from contractkit.core.model import Provider, Registry
from contractkit.openapi import OPERATION, REQUEST, RESPONSE, ChangeLike, ChangeSite, route_key, site_of
from contractkit.pact.matching import ANY_INDEX, Rule, Segment, own_rule, parse_rule_path, render_path
from contractkit.pact.reader import Pact, PactInteraction, load_pact

__all__ = [
    "Field",
    "InteractionUsage",
    "Observation",
    "Usage",
    "consumer_of",
    "consumer_pact_folders",
    "is_pact_of",
    "iter_pact_files",
    "load_usage",
    "observers",
    "usage_from_pacts",
]


@dataclass(frozen=True, slots=True)
class Field:
    """One thing an interaction sends or reads: a parameter or header by name, a body field by JSON path."""

    part: str  # path | query | header | body | status
    location: str  # a name, a JSON path, or '' for the status
    value: Any = None
    rule: Rule | None = None

    @property
    def segments(self) -> tuple[Segment, ...]:
        """A body field's path as segments, indexes as any-index."""
        return tuple(ANY_INDEX if isinstance(s, int) else s for s in parse_rule_path(self.location))


@dataclass(frozen=True, slots=True)
class InteractionUsage:
    """What one pact interaction sends and reads, and the registered operation it calls."""

    consumer: str
    provider: str
    operation: str  # the registered operation's name
    method: str
    template: str  # the operation's path as the description spells it (`/incidents/{id}`)
    description: str
    states: tuple[str, ...]
    status: int
    sends: tuple[Field, ...]
    reads: tuple[Field, ...]
    pact: str = ""
    interaction: PactInteraction | None = field(default=None, compare=False, repr=False)

    def sent(self, part: str) -> list[Field]:
        """The fields of one part the request sends."""
        return [item for item in self.sends if item.part == part]

    def read(self, part: str) -> list[Field]:
        """The fields of one part the consumer reads in the response."""
        return [item for item in self.reads if item.part == part]


@dataclass(frozen=True, slots=True)
class Observation:
    """A consumer observes a change: which interaction, at which parameter or JSON path, and why."""

    consumer: str
    provider: str
    operation: str
    interaction: str
    location: str
    reason: str
    value: Any = None

    def describe(self) -> str:
        """`devctl (a listing of incidents): reads $.incidents[*].status`."""
        return f"{self.consumer} ({self.interaction}): {self.reason}"


@dataclass(frozen=True, slots=True)
class Usage:
    """Every interaction of every consumer, by provider, and the pact requests no registered operation matched."""

    interactions: tuple[InteractionUsage, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def consumers(self) -> list[str]:
        """The consumers in the model, sorted."""
        return sorted({item.consumer for item in self.interactions})

    def of_provider(self, provider: str) -> list[InteractionUsage]:
        """The interactions with one provider."""
        return [item for item in self.interactions if item.provider == provider]

    def calls(self, site: ChangeSite) -> list[InteractionUsage]:
        """The interactions that call the site's operation (every method on the path when it has none)."""
        wanted = route_key(site.method or "get", site.path)[1] if site.path else ""
        found = []
        for item in self.interactions:
            if site.provider and item.provider != site.provider:
                continue
            if site.operation and item.operation != site.operation:
                continue
            if site.path and (
                route_key(item.method, item.template)[1] != wanted
                or (site.method and item.method != site.method.upper())
            ):
                continue
            found.append(item)
        return found

    def observers(self, site: ChangeSite) -> list[Observation]:
        """Who observes a change at this site: one observation per interaction that sends or reads it."""
        out: list[Observation] = []
        for item in self.calls(site):
            out.extend(_observed(item, site))
        return out


def _observation(item: InteractionUsage, location: str, reason: str, value: Any = None) -> Observation:
    return Observation(item.consumer, item.provider, item.operation, item.description, location, reason, value)


def _observed(item: InteractionUsage, site: ChangeSite) -> Iterator[Observation]:
    if site.direction == OPERATION or (not site.part and site.direction == REQUEST):
        yield _observation(item, "", f"calls {item.method} {item.template}")
    elif site.direction == REQUEST:
        yield from _request_observed(item, site)
    elif site.direction == RESPONSE and _status_applies(site.status, item.status):
        yield from _response_observed(item, site)


def _status_applies(status: str, actual: int) -> bool:
    text = status.strip().upper()
    if not text or text == "DEFAULT":
        return True
    if len(text) == 3 and text.endswith("XX") and text[0].isdigit():
        return str(actual)[0] == text[0]
    return text == str(actual)


def _request_observed(item: InteractionUsage, site: ChangeSite) -> Iterator[Observation]:
    if site.part in ("path", "query", "header", "cookie"):
        wanted = site.location.lower() if site.part == "header" else site.location
        sent = [
            f for f in item.sent(site.part) if (f.location.lower() if site.part == "header" else f.location) == wanted
        ]
        if sent and not site.required:
            yield _observation(item, site.location, f"sends the {site.part} parameter {site.location}", sent[0].value)
        elif not sent and site.required:
            yield _observation(
                item, site.location, f"does not send the {site.part} parameter {site.location}, which is now required"
            )
    elif site.part == "media":
        body = item.sent("body")
        if body and (not site.location or _media_of(item) == site.location.lower()):
            yield _observation(item, site.location, f"sends a {_media_of(item) or 'request'} body")
    elif site.part == "body":
        yield from _body_observed(item, site, item.sent("body"), "sends")


def _media_of(item: InteractionUsage) -> str:
    if item.interaction is None:
        return ""
    return item.interaction.request.content_type or ""


def _response_observed(item: InteractionUsage, site: ChangeSite) -> Iterator[Observation]:
    if site.part in ("status", ""):
        yield _observation(item, "", f"expects status {item.status}")
    elif site.part == "header":
        for read in item.read("header"):
            if read.location.lower() == site.location.lower():
                yield _observation(item, read.location, f"reads the response header {read.location}", read.value)
    elif site.part == "media":
        if item.read("body"):
            yield _observation(item, site.location, "reads the response body")
    elif site.part == "body":
        yield from _body_observed(item, site, item.read("body"), "reads")


def _body_observed(
    item: InteractionUsage, site: ChangeSite, fields: Sequence[Field], verb: str
) -> Iterator[Observation]:
    target = tuple(ANY_INDEX if isinstance(s, int) else s for s in parse_rule_path(site.location or "$"))
    below = [f for f in fields if _covers(target, f.segments)]
    if site.required:
        parent = target[:-1]
        has_parent = any(f.segments == parent for f in fields)
        if fields and has_parent and not below:
            yield _observation(
                item, site.location, f"sends {render_path(parent)} without {site.location}, which is now required"
            )
        return
    if below:
        deepest = max(below, key=lambda f: len(f.segments))
        exact = next((f for f in below if f.segments == target), None)
        shown = exact or deepest
        reason = f"{verb} {shown.location}" + (_matcher_words(shown.rule) if shown.rule else "")
        yield _observation(item, shown.location, reason, shown.value)


def _covers(target: Sequence[Segment], path: Sequence[Segment]) -> bool:
    """True when `path` is at or below `target` (`*` in the target stands for any key)."""
    if len(path) < len(target):
        return False
    return all(want == got or (want == "*" and not isinstance(got, int)) for want, got in zip(target, path))


def _matcher_words(rule: Rule) -> str:
    names = [str(m.get("match", "type")) for m in rule.get("matchers") or ()]
    joined = f" {str(rule.get('combine', 'AND')).lower()} ".join(names)
    return f" (matched by {joined})" if names else ""


def observers(
    usage: Usage,
    change: ChangeLike,
    *,
    provider: str = "",
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
) -> list[Observation]:
    """Who observes a diff change: the consumers, interactions and JSON paths that send or read what changed.

    `old` and `new` are the two descriptions (they name a parameter the change gives by index); `provider`
    limits the answer to one provider. Example, on the PagerDuty 2024 -> 2026 slice:

        observers(usage, change, provider="pagerduty", old=old, new=new)
        # response-property-removed at .../incidents/items/properties/response_play/properties/id -> []
        # (devctl never reads response_play: the gate reports the change as unused)
    """
    site = site_of(change, old=old, new=new)
    return usage.observers(
        ChangeSite(
            site.method,
            site.path,
            site.direction,
            site.part,
            site.location,
            site.status,
            site.required,
            site.operation,
            provider,
        )
    )


# ---------------------------------------------------------------- building the model


def consumer_pact_folders(registry: Registry) -> list[Path]:
    """The registry's pacts folder, then the folders of other consumers' pacts it lists under `consumer_pacts`."""
    folders = [registry.pacts] + [registry.root / folder for folder in registry.settings.consumer_pacts]
    return list(dict.fromkeys(folders))


def iter_pact_files(folders: Iterable[Path]) -> Iterator[Path]:
    """Every pact file (*.json) in the folders, sorted per folder; a missing folder holds none."""
    for folder in folders:
        if folder.is_file():
            yield folder
        elif folder.is_dir():
            yield from sorted(folder.glob("*.json"))


def load_usage(registry: Registry, *, providers: Sequence[str] = (), extra_folders: Sequence[Path] = ()) -> Usage:
    """The usage model of the registry's providers (all, or the named ones) from every consumer's pacts."""
    chosen = registry.select_providers(providers)
    pacts = [load_pact(path) for path in iter_pact_files([*consumer_pact_folders(registry), *extra_folders])]
    return usage_from_pacts(chosen, pacts)


def usage_from_pacts(providers: Sequence[Provider], pacts: Sequence[Pact]) -> Usage:
    """The usage model from pacts already read: each pact goes to the provider it names (or its file suffix)."""
    by_name = {provider.name: provider for provider in providers}
    interactions: list[InteractionUsage] = []
    notes: list[str] = []
    for pact in pacts:
        provider = next((item for name, item in by_name.items() if is_pact_of(pact, name, by_name)), None)
        if provider is None:
            continue
        built, missed = _pact_usage(provider, pact)
        interactions += built
        notes += missed
    return Usage(tuple(interactions), tuple(notes))


def is_pact_of(pact: Pact, provider: str, known: Collection[str]) -> bool:
    """Whether a pact is with `provider`: it names it, or it names no provider of the registry (`known`) and its file
    name ends with `-<provider>` (`billing-pager.json`)."""
    if pact.provider == provider:
        return True
    stem = pact.path.stem if pact.path is not None else ""
    return pact.provider not in known and stem.endswith(f"-{provider}")


def consumer_of(pact: Pact) -> str:
    """The consumer a pact speaks for: the name it gives, else its file name's first part (`billing-pager.json`)."""
    return pact.consumer or (pact.path.stem.rsplit("-", 1)[0] if pact.path is not None else "")


def _pact_usage(provider: Provider, pact: Pact) -> tuple[list[InteractionUsage], list[str]]:
    router = provider_router(provider)
    shown = str(pact.path) if pact.path is not None else f"{pact.consumer}-{pact.provider}"
    consumer = consumer_of(pact)
    built, notes = [], []
    for item in pact.interactions:
        request = item.request
        route = router.match(request.method, request.path, query_keys=request.query.keys(), action=_action(item))
        if route is None:
            notes.append(
                f"{shown}: interactions[{item.index}] ({item.description}) {request.method} {request.path} "
                f"matches no registered operation of {provider.name}"
            )
            continue
        operation = provider.operations[route.name]
        found = router.route_of(request.method, request.path)
        parameters = found.parameters if found is not None else {}
        built.append(
            InteractionUsage(
                consumer,
                provider.name,
                operation.name,
                (operation.method or request.method).upper(),
                operation.path or route.template,
                item.description,
                item.state_names,
                item.response.status,
                tuple(_sends(item, parameters)),
                tuple(_reads(item)),
                shown,
                item,
            )
        )
    return built, notes


def _action(item: PactInteraction) -> str:
    request = item.request
    headers = {name.lower(): values[0] for name, values in request.headers.items() if values}
    body = request.body if isinstance(request.body, (str, bytes)) else None
    return aws_action(headers, body)


def _sends(item: PactInteraction, parameters: Mapping[str, str]) -> Iterator[Field]:
    request = item.request
    rules = request.rules
    for name, value in parameters.items():
        yield Field("path", name, value, (rules.get("path") or {}).get(""))
    for name, values in request.query.items():
        yield Field(
            "query", name, values[0] if len(values) == 1 else list(values), (rules.get("query") or {}).get(name)
        )
    for name, values in request.headers.items():
        yield Field("header", name, values[0] if values else "", _header_rule(rules.get("header") or {}, name))
    if request.has_body:
        yield from _body_fields(request.body, rules.get("body") or {})


def _reads(item: PactInteraction) -> Iterator[Field]:
    response = item.response
    rules = response.rules
    yield Field("status", "", response.status, (rules.get("status") or {}).get(""))
    for name, values in response.headers.items():
        yield Field("header", name, values[0] if values else "", _header_rule(rules.get("header") or {}, name))
    if response.has_body:
        yield from _body_fields(response.body, rules.get("body") or {})


def _header_rule(rules: Mapping[str, Rule], name: str) -> Rule | None:
    return next((rule for key, rule in rules.items() if key.lower() == name.lower()), None)


def _body_fields(body: Any, rules: Mapping[str, Rule]) -> Iterator[Field]:
    """Every node of an example body by JSON path (containers too), array items as `[*]`."""
    stack: list[tuple[tuple[Segment, ...], Any]] = [((), body)]
    seen: set[tuple[Segment, ...]] = set()
    while stack:
        path, value = stack.pop()
        generic = tuple(ANY_INDEX if isinstance(s, int) else s for s in path)
        if generic not in seen:
            seen.add(generic)
            leaf = None if isinstance(value, (dict, list)) else value
            yield Field("body", render_path(generic), leaf, own_rule(rules, path))
        if isinstance(value, dict):
            stack.extend((path + (key,), item) for key, item in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((path + (index,), item) for index, item in reversed(list(enumerate(value))))
