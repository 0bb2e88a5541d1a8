"""Recorded-looking traffic that has drifted from its description, built from the description's own examples.

Used by the tests of tests/validation and by benchmarks/bench_verify.py. Every published JSON example that an
independent validator accepts unaltered (tests/verification/example_verdicts.py: the test data is not chosen by
the validator under test) becomes a recorded response (list bodies grown to `items` entries, as real pages
are); then two responses in three are changed the way old recordings and
vendor quirks differ from today's description, the same way for every response of one operation (which is
what makes a drift, and an overlay suggestion, out of single failures):

  missing-required   a property the schema marks required is absent (from every list item)
  null               a documented, non-nullable string is null
  format             a string with a format (date-time, uri, email ...) carries a value that is not one
  enum               a property with documented values carries an undocumented one
  status             the status is one the operation does not declare (when nothing above applies)
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any

from example_verdicts import IndependentValidator
from github_examples import concrete_path, follow, iter_examples, operation_of

KINDS = ("missing-required", "null", "format", "enum")
_BAD_FORMAT = {
    "date-time": "last tuesday",
    "date": "someday",
    "uri": "not a uri",
    "email": "nobody",
    "uuid": "not-a-uuid",
    "ipv4": "999.1.1.1",
    "hostname": "-bad-",
}


@dataclass(frozen=True)
class Drift:
    """How the failing responses of one operation differ from the description."""

    operation: str  # "GET /template 200"
    kind: str
    field: str  # the property concerned ('' for status)


def build_traffic(document: dict[str, Any], *, total: int, items: int = 10) -> tuple[dict[str, Any], list[Drift], int]:
    """(vcrpy cassette with `total` interactions, the drift of each drifted operation, responses changed)."""
    seeds = list(_valid_examples(document, items))
    if not seeds:
        raise ValueError("the description has no usable JSON response examples")
    drifts: dict[int, Drift] = {}
    interactions, changed = [], 0
    for index in range(total):
        number = index % len(seeds)
        method, path, template, status, media, body = seeds[number]
        item = _interaction(method, path, status, media, body)
        if index % 3:  # two responses in three have drifted
            drift = drifts.get(number) or drifts.setdefault(
                number, _drift_for(document, method, template, status, media, body, number)
            )
            _apply(item, drift, body)
            changed += 1
        interactions.append(item)
    return {"version": 1, "interactions": interactions}, list(drifts.values()), changed


def _valid_examples(document: dict[str, Any], items: int):
    judge = IndependentValidator(document)
    for example in iter_examples(document):
        body = example.body
        if isinstance(body, list) and body:
            body = (body * items)[:items]
        if judge.is_usable(example, body):
            yield example.method, concrete_path(example.template), example.template, example.status, example.media, body


def _interaction(method: str, path: str, status: int, media: str, body: Any) -> dict[str, Any]:
    return {
        "request": {
            "method": method,
            "uri": f"https://api.github.com{path}",
            "body": None,
            "headers": {"Accept": ["application/vnd.github+json"]},
        },
        "response": {
            "status": {"code": status, "message": "OK"},
            "headers": {"Content-Type": [f"{media}; charset=utf-8"]},
            "body": {"string": json.dumps(body)},
        },
    }


def _drift_for(
    document: dict[str, Any], method: str, template: str, status: int, media: str, body: Any, number: int
) -> Drift:
    label = f"{method} {template} {status}"
    response, _ = follow(document, operation_of(document, method, template)["responses"][str(status)], "")
    schema = _object_schema(document, response["content"][media].get("schema", {}), body)
    sample = body[0] if isinstance(body, list) else body
    if schema is not None and isinstance(sample, dict):
        for shift in range(len(KINDS)):
            kind = KINDS[(number + shift) % len(KINDS)]
            field = _target(document, schema, sample, kind)
            if field:
                return Drift(label, kind, field)
    return Drift(label, "status", "")


def _object_schema(document: dict[str, Any], schema: Any, body: Any) -> dict[str, Any] | None:
    schema = _deref(document, schema)
    if isinstance(body, list) and isinstance(schema, dict) and schema.get("type") == "array":
        schema = _deref(document, schema.get("items") or {})
    if not isinstance(schema, dict) or any(key in schema for key in ("anyOf", "oneOf")):
        return None
    merged = {"properties": dict(schema.get("properties") or {}), "required": list(schema.get("required") or [])}
    for part in schema.get("allOf") or ():
        part = _deref(document, part)
        merged["properties"].update(part.get("properties") or {})
        merged["required"] += part.get("required") or []
    return merged


def _target(document: dict[str, Any], schema: dict[str, Any], sample: dict[str, Any], kind: str) -> str:
    for name in sorted(schema["properties"]):
        sub = _deref(document, schema["properties"][name])
        if name not in sample or not isinstance(sub, dict) or any(key in sub for key in ("anyOf", "oneOf", "allOf")):
            continue
        plain_string = sub.get("type") == "string" and not sub.get("nullable") and isinstance(sample[name], str)
        if kind == "missing-required" and name in schema["required"]:
            return name
        if kind == "null" and plain_string and "enum" not in sub and "format" not in sub:
            return name
        if kind == "format" and plain_string and sub.get("format") in _BAD_FORMAT:
            return name
        if kind == "enum" and plain_string and sub.get("enum"):
            return name
    return ""


def _deref(document: dict[str, Any], node: Any) -> Any:
    return follow(document, node, "")[0]


def _apply(item: dict[str, Any], drift: Drift, body: Any) -> None:
    if drift.kind == "status":
        item["response"]["status"]["code"] = 599
        return
    changed = copy.deepcopy(body)
    for entry in changed if isinstance(changed, list) else [changed]:
        if drift.kind == "missing-required":
            entry.pop(drift.field, None)
        elif drift.kind == "null":
            entry[drift.field] = None
        elif drift.kind == "format":
            entry[drift.field] = _bad_value(entry[drift.field])
        else:
            entry[drift.field] = "undocumented-value"
    item["response"]["body"]["string"] = json.dumps(changed)


def _bad_value(value: str) -> str:
    # keep it recognisably the field's own value, but not in its format
    return "not a " + re.sub(r"\W+", "-", value)[:20]


__all__ = ["Drift", "KINDS", "build_traffic"]
