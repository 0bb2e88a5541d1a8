"""The rule table: every rule's id, stable code, default level and one-line explanation, and per-project levels.

Codes are append-only: ledgers and dashboards refer to them. The first 121 codes (CK501-CK621) keep the order
the diff has always used; rules that can never fire (a response type "widened" is reported as
`type-changed`) are retired, their codes never reused. New rules are appended from CK622, within CK501-CK799.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from contractkit.core.errors import UsageError
from contractkit.diff.levels import CONFIGURATION, Adjustment, Level

if TYPE_CHECKING:
    from contractkit.diff.model import Change

__all__ = ["LEVEL_SETTINGS", "RULES", "RULE_CODES", "Rule", "apply_levels", "check_levels", "rule_name"]

B, W, I = Level.BREAKING, Level.WARNING, Level.INFO  # noqa: E741 (the three levels, in tables)
LEVEL_SETTINGS = ("breaking", "warning", "info", "off")


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: id, stable code, default level and what it means for a client."""

    id: str
    code: str
    level: Level
    explanation: str


_DOCUMENT_RULES: tuple[tuple[str, Level, str], ...] = (
    ("path-removed", B, "a path and every operation under it were removed"),
    ("operation-removed", B, "an operation was removed without being deprecated first"),
    ("path-added", I, "a new path"),
    ("operation-added", I, "a new operation"),
    ("operation-deprecated", W, "an operation is now deprecated; plan to stop calling it"),
    ("security-requirement-added", B, "the credentials a client used are no longer enough"),
    ("security-requirement-removed", I, "the operation accepts more kinds of credentials"),
    ("request-parameter-removed", B, "a required parameter was removed; clients still send it and it is now ignored"),
    ("request-parameter-added-required", B, "a new required parameter: existing calls lack it"),
    ("request-parameter-added", I, "a new optional parameter"),
    ("request-parameter-became-required", B, "a parameter clients may omit is now required"),
    ("request-parameter-became-optional", I, "a required parameter became optional"),
    (
        "request-parameter-location-changed",
        B,
        "a parameter moved (query, header, path, cookie): clients send it in the old place",
    ),
    ("request-body-added-required", B, "a required request body was added: existing calls send none"),
    ("request-body-became-required", B, "an optional request body became required"),
    ("request-body-removed", B, "the request body was removed: what clients send is no longer read"),
    ("request-body-added", I, "an optional request body was added"),
    ("request-content-type-removed", B, "a request media type clients send is no longer accepted"),
    ("request-content-type-added", I, "a new request media type is accepted"),
    ("response-success-status-removed", B, "a success status clients handle is no longer returned"),
    ("response-status-removed", I, "an error status is no longer documented"),
    ("response-status-added", I, "a new response status"),
    ("response-content-type-removed", B, "a response media type clients read is gone (warning for error statuses)"),
    ("response-content-type-added", I, "a new response media type"),
    ("response-header-removed", B, "a required response header clients read is gone"),
    ("response-optional-header-removed", W, "an optional response header is gone"),
    ("response-header-added", I, "a new response header"),
)

_SIDE_WORDS = {
    "request": "a request body property",
    "response": "a response body property",
    "request-parameter": "a property of an object parameter",
    "response-header": "a property of an object header",
    "request-body": "the request body",
    "request-property": "a request body property",
    "response-body": "the response body",
    "response-property": "a response body property",
}
_PRESENCE = {  # suffix -> (level when sent, level when read, explanation)
    "removed": (W, B, "{where} was removed (breaking when read; when sent, see ...-removed-closed)"),
    "added": (I, I, "{where} was added (when read where unknown properties were forbidden, see ...-added-closed)"),
    "added-required": (B, I, "{where} was added as required"),
    "became-required": (B, I, "{where} became required"),
    "became-optional": (I, B, "{where} became optional: readers can no longer count on it"),
}
_VALUE = {  # suffix -> (level when sent, level when read, explanation)
    "type-changed": (B, B, "the type of {where} changed so that existing values no longer fit"),
    "type-widened": (I, I, "{where} accepts more types"),
    "type-narrowed": (I, I, "{where} is produced with fewer types"),
    "enum-value-removed": (B, I, "an enum value of {where} was removed (or an enum introduced)"),
    "enum-value-added": (I, W, "an enum value of {where} was added: readers meet a value they do not know"),
    "constraint-tightened": (
        B,
        I,
        "a constraint of {where} was tightened (a minimum raised, a maximum lowered, a "
        "pattern added, contains, dependentRequired, ...): a sender's old values may be refused, "
        "while a reader only meets fewer values",
    ),
    "constraint-loosened": (
        I,
        B,
        "a constraint of {where} was loosened (a minimum lowered, a maximum raised, a pattern "
        "dropped, ...): a sender may send more, but a reader meets values outside the bounds it "
        "sized for; a bound the format or an unchanged enum already implied is no change",
    ),
    "format-changed": (B, W, "the format of {where} changed"),
    "became-nullable": (I, B, "{where} can now be null"),
    "became-not-nullable": (B, I, "{where} can no longer be null"),
    "additional-properties-restricted": (B, I, "{where} no longer allows additional (or unevaluated) properties"),
    "additional-properties-allowed": (
        I,
        B,
        "{where} now allows additional (or unevaluated) properties: readers "
        "that counted on a closed object meet members no description names",
    ),
}
_VALUE_SIDES = (
    "request-body",
    "request-property",
    "request-parameter",
    "response-body",
    "response-property",
    "response-header",
)
_PRESENCE_SIDES = ("request", "response", "request-parameter", "response-header")
_RETIRED = frozenset(
    {f"{side}-type-widened" for side in _VALUE_SIDES if side.startswith("response")}
    | {f"{side}-type-narrowed" for side in _VALUE_SIDES if side.startswith("request")}
    | {"response-property-added-required", "response-header-property-added-required"}
)  # read as `added`

_NEW_DOCUMENT_RULES: tuple[tuple[str, Level, str], ...] = (
    ("operation-removed-before-sunset", B, "a deprecated operation was removed before its announced sunset date"),
    (
        "operation-removed-after-sunset",
        I,
        "a deprecated operation was removed after its sunset date (policy: configurable)",
    ),
    ("deprecated-operation-removed", W, "a deprecated operation without a sunset date was removed"),
    (
        "sunset-date-invalid",
        B,
        "a sunset date (x-sunset or a Sunset header) cannot be read, so removal cannot be judged",
    ),
    ("stability-level-decreased", B, "x-stability-level went backwards (stable > beta > alpha > draft)"),
    ("stability-level-invalid", W, "x-stability-level is not one of draft, alpha, beta, stable"),
    (
        "request-optional-parameter-removed",
        W,
        "an optional parameter was removed; clients that send it are ignored (policy)",
    ),
    ("request-parameter-deprecated", I, "a parameter is now deprecated"),
    ("request-parameter-removed-before-sunset", B, "a deprecated parameter was removed before its sunset date"),
    ("request-parameter-removed-after-sunset", I, "a deprecated parameter was removed after its sunset date"),
    ("response-header-became-optional", B, "a required response header became optional"),
    ("request-body-schema-added", B, "a schema was added to a request media type that accepted anything"),
    ("request-property-deprecated", I, "a request body property is now deprecated"),
    ("response-property-deprecated", I, "a response body property is now deprecated"),
    ("response-property-removed-before-sunset", B, "a deprecated response property was removed before its sunset date"),
    ("response-property-removed-after-sunset", I, "a deprecated response property was removed after its sunset date"),
)
_NEW_VALUE = {
    "alternative-added": (I, B, "a oneOf/anyOf branch was added to {where}: readers meet a shape they cannot read"),
    "alternative-removed": (B, I, "a oneOf/anyOf branch was removed from {where}: values of that shape are refused"),
    "all-of-added": (B, I, "an allOf member was added to {where}: a new constraint on what is sent"),
    "extensible-enum-value-removed": (B, I, "an x-extensible-enum value of {where} was removed"),
    "extensible-enum-value-added": (I, I, "an x-extensible-enum value of {where} was added (extensible: not breaking)"),
    "discriminator-property-changed": (B, B, "the discriminator property of {where} changed"),
    "discriminator-mapping-changed": (
        B,
        B,
        "a discriminator mapping of {where} was retargeted (or values both removed and added)",
    ),
}
_DEFAULT_CHANGED = (
    ("request-body-default-changed", W),
    ("request-property-default-changed", W),
    ("request-parameter-default-changed", B),
)
_LATER_DOCUMENT_RULES: tuple[tuple[str, Level, str], ...] = (
    (
        "request-property-removed-closed",
        B,
        "a request body property was removed from an object that refuses unknown "
        "properties (additionalProperties: false): clients that still send it are refused",
    ),
    (
        "request-parameter-property-removed-closed",
        B,
        "a property of an object parameter was removed where unknown "
        "properties are refused: clients that still send it are refused",
    ),
    (
        "response-property-added-closed",
        W,
        "a response body property was added to an object that forbade additional "
        "properties: strict readers meet a property they do not know",
    ),
    (
        "response-header-property-added-closed",
        W,
        "a property was added to an object header that forbade additional "
        "properties: strict readers meet a property they do not know",
    ),
    (
        "response-error-content-type-removed",
        W,
        "a media type of an error response (not 2xx) is gone: clients read "
        "the status, and the error body only when they can",
    ),
)
_LATER_VALUE = {
    "discriminator-mapping-value-removed": (
        B,
        I,
        "a discriminator mapping value of {where} was removed: a sender's "
        "value no longer selects a schema (a reader never meets it again)",
    ),
    "discriminator-mapping-value-added": (
        I,
        B,
        "a discriminator mapping value of {where} was added: a reader meets a "
        "value it cannot dispatch (a sender may use it)",
    ),
}


_THIRD_DOCUMENT_RULES: tuple[tuple[str, Level, str], ...] = (
    (
        "request-parameter-serialization-changed",
        B,
        "a parameter's style or explode changed: clients serialize its "
        "value the old way (a list as a,b where a=1&a=2 is now read)",
    ),
    (
        "sunset-date-removed",
        B,
        "the sunset date of a deprecated operation, parameter or property was removed: the "
        "day clients were promised is withdrawn, and removal could come any day",
    ),
)
_THIRD_VALUE = {
    "const-changed": (B, B, "the const of {where} changed: the one value senders send and readers expect is another"),
    "pattern-changed": (
        W,
        W,
        "the pattern of {where} was replaced by another: whether it accepts less (a sender's "
        "value refused) or more (a reader's surprise) cannot be decided; check the two expressions",
    ),
}


def _legacy() -> list[tuple[str, Level, str]]:
    rules = list(_DOCUMENT_RULES)
    rules += [
        ("response-optional-property-removed", W, "an optional response property was removed"),
        ("response-header-optional-property-removed", W, "an optional property of an object header was removed"),
    ]
    for side in _PRESENCE_SIDES:
        for suffix, (sent, read, text) in _PRESENCE.items():
            rules.append(
                (
                    f"{side}-property-{suffix}",
                    sent if side.startswith("request") else read,
                    text.format(where=_SIDE_WORDS[side]),
                )
            )
    for side in _VALUE_SIDES:
        for suffix, (sent, read, text) in _VALUE.items():
            rules.append(
                (f"{side}-{suffix}", sent if side.startswith("request") else read, text.format(where=_SIDE_WORDS[side]))
            )
    return rules


def _appended() -> list[tuple[str, Level, str]]:
    rules = list(_NEW_DOCUMENT_RULES)
    for suffix, (sent, read, text) in _NEW_VALUE.items():
        for side in _VALUE_SIDES:
            rules.append(
                (f"{side}-{suffix}", sent if side.startswith("request") else read, text.format(where=_SIDE_WORDS[side]))
            )
    for rule, level in _DEFAULT_CHANGED:
        side = rule.removesuffix("-default-changed")
        rules.append(
            (rule, level, f"the default of {_SIDE_WORDS[side]} changed: clients that omit it get another value")
        )
    for documents, values in ((_LATER_DOCUMENT_RULES, _LATER_VALUE), (_THIRD_DOCUMENT_RULES, _THIRD_VALUE)):
        rules += documents
        rules += _value_rules(values)
    return rules


def _value_rules(values: dict[str, tuple[Level, Level, str]]) -> list[tuple[str, Level, str]]:
    """A value rule for each side, at the level for senders or for readers."""
    return [
        (f"{side}-{suffix}", sent if side.startswith("request") else read, text.format(where=_SIDE_WORDS[side]))
        for suffix, (sent, read, text) in values.items()
        for side in _VALUE_SIDES
    ]


def _build() -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for number, (rule, level, text) in enumerate(_legacy() + _appended(), start=501):
        if rule not in _RETIRED:
            table[rule] = Rule(rule, f"CK{number}", level, text)
    return table


RULES: dict[str, Rule] = _build()
RULE_CODES: dict[str, str] = {rule.id: rule.code for rule in RULES.values()}

_DOCUMENT_WIDE = frozenset({"sunset-date-removed", "sunset-date-invalid"})  # one rule wherever the date was written
_NESTING = frozenset({"properties", "items", "additionalProperties", "prefixItems", "contains", "dependentSchemas"})
_PRESENCE_SUFFIXES = frozenset(_PRESENCE) | {
    "deprecated",
    "removed-before-sunset",
    "removed-after-sunset",
    "removed-closed",
    "added-closed",
}


def rule_name(side: str, suffix: str, rel: tuple[str, ...]) -> str:
    """The rule id of a schema delta: the side (request, response, request-parameter, response-header) and depth."""
    if suffix in _DOCUMENT_WIDE:
        return suffix
    if suffix == "optional-property-removed":
        return (
            f"{side}-optional-property-removed"
            if side in ("response", "response-header")
            else f"{side}-property-removed"
        )
    if suffix in _PRESENCE_SUFFIXES:
        name = f"{side}-property-{suffix}"
        return name if name in RULES else f"{side.split('-')[0]}-property-{suffix}"
    if side in ("request", "response"):
        nested = any(part in _NESTING for part in rel)
        return f"{side}-{'property' if nested else 'body'}-{suffix}"
    return f"{side}-{suffix}"


def check_levels(levels: Mapping[str, object], *, display: str) -> dict[str, str]:
    """Validate `gate.levels` (rule id -> breaking|warning|info|off); unknown ids get a "did you mean"."""
    checked: dict[str, str] = {}
    for rule, level in levels.items():
        level = "off" if level is False else level  # YAML 1.1 reads a bare `off` as false
        if rule not in RULES:
            close = difflib.get_close_matches(str(rule), list(RULES), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "run `contracts diff --list-rules` for the ids"
            raise UsageError(
                f"unknown rule id {rule!r}", file=display, key_path=("gate", "levels", str(rule)), hint=hint
            )
        if level not in LEVEL_SETTINGS:
            raise UsageError(
                f"expected one of {', '.join(LEVEL_SETTINGS)}, got {level!r}",
                file=display,
                key_path=("gate", "levels", str(rule)),
            )
        checked[str(rule)] = str(level)
    return checked


def apply_levels(changes: Iterable[Change], levels: Mapping[str, str]) -> list[Change]:
    """The adjustment step of `gate.levels`: configured levels applied, with their source; `off` drops a rule."""
    if not levels:
        return list(changes)
    result = []
    for change in changes:
        setting = levels.get(change.rule)
        if setting is None:
            result.append(change)
        elif setting != "off":
            result.append(replace(change, adjustment=Adjustment(Level(setting), CONFIGURATION)))
    return result
