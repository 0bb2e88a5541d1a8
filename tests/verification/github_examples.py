"""Build a vcrpy cassette from the published response examples of an OpenAPI description, some altered.

Used by the `contracts validate --spec` tests and by benchmarks/bench_verify.py. Each example becomes one
interaction whose request fills the operation's path template; every `every`-th interaction is altered in
one of three ways whose effect is known in advance: a documented scalar property gets another type, the
status becomes one the operation does not declare, or the content type becomes text/html.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from contractkit.validation import SpecValidator, deref, json_path

_OTHER_TYPE = {"string": 12345, "integer": "not-a-number", "number": "not-a-number", "boolean": "yes"}


@dataclass(frozen=True)
class Alteration:
    """What was changed in one interaction and what validation must therefore report."""

    index: int
    kind: str  # type | status | content-type
    operation: str  # "GET /template"
    json_path: str  # for kind == type
    status: int


def iter_examples(document: dict[str, Any]) -> Iterator[tuple[str, str, int, str, Any]]:
    """(method, template, status, media type, example body) for each published JSON response example."""
    for template, item in document["paths"].items():
        for method, operation in deref(document, item).items():
            if method not in ("get", "post", "put", "patch", "delete") or not isinstance(operation, dict):
                continue
            for status, response in (operation.get("responses") or {}).items():
                if not status.isdigit():
                    continue
                for media, content in (deref(document, response).get("content") or {}).items():
                    if "json" not in media:
                        continue
                    for example in (content.get("examples") or {}).values():
                        example = deref(document, example)
                        if isinstance(example, dict) and "value" in example:
                            yield method.upper(), template, int(status), media, example["value"]


def concrete_path(template: str) -> str:
    """Fill every `{name}` with a value that cannot collide with a literal segment."""
    import re

    return re.sub(r"{[^}]+}", "v1x", template)


def interaction(method: str, path: str, status: int, media: str, body: Any) -> dict[str, Any]:
    """One vcrpy interaction."""
    return {
        "request": {"method": method, "uri": f"https://api.github.com{path}", "body": None,
                    "headers": {"Accept": ["application/vnd.github+json"]}},
        "response": {"status": {"code": status, "message": "OK"},
                     "headers": {"Content-Type": [f"{media}; charset=utf-8"]},
                     "body": {"string": json.dumps(body)}},
    }


def scalar_target(document: dict[str, Any], schema: Any, body: Any) -> tuple[tuple[str | int, ...], str] | None:
    """A documented property of the body (or of its first item) with one plain scalar type, or None."""
    schema = deref(document, schema)
    prefix: tuple[str | int, ...] = ()
    if isinstance(body, list) and body and schema.get("type") == "array":
        schema, body, prefix = deref(document, schema.get("items") or {}), body[0], (0,)
    if not isinstance(body, dict) or not isinstance(schema, dict):
        return None
    for name, sub in sorted((schema.get("properties") or {}).items()):
        sub = deref(document, sub)
        kind = sub.get("type")
        plain = not any(key in sub for key in ("nullable", "anyOf", "oneOf", "allOf", "enum"))
        if name in body and kind in _OTHER_TYPE and plain and body[name] is not None:
            return prefix + (name,), kind
    return None


def build_cassette(document: dict[str, Any], *, count: int, every: int = 6) -> tuple[dict[str, Any], list[Alteration], int]:
    """(vcrpy cassette, alterations, examples skipped) with up to `count` interactions.

    Examples are kept only when their request routes back to their own operation and the unaltered example
    validates (published examples sometimes contradict their own schema; those are counted, not used).
    """
    validator = SpecValidator(document)
    interactions, alterations, skipped = [], [], 0
    for method, template, status, media, body in iter_examples(document):
        if len(interactions) >= count:
            break
        path = concrete_path(template)
        match = validator.match(method, path)
        headers = {"Content-Type": [media]}
        if match is None or match.template != template or validator.validate(method, template, status, headers, body):
            skipped += 1
            continue
        index = len(interactions)
        item = interaction(method, path, status, media, body)
        if index % every == every - 1:
            alteration = alter(document, validator, item, index, method, template, status, media, body)
            if alteration is None:
                skipped += 1
                continue
            alterations.append(alteration)
        interactions.append(item)
    return {"version": 1, "interactions": interactions}, alterations, skipped


def alter(document: dict[str, Any], validator: SpecValidator, item: dict[str, Any], index: int, method: str,
          template: str, status: int, media: str, body: Any) -> Alteration | None:
    """Change one interaction in place in a way validation must catch; None when no such change is known."""
    label = f"{method} {template}"
    kind = ("type", "status", "content-type")[(index // 6) % 3]
    if kind == "type":
        response = deref(document, validator.operation(method, template)["responses"][str(status)])
        target = scalar_target(document, response["content"][media].get("schema", {}), body)
        if target is None:
            kind = "status"
        else:
            path, scalar = target
            changed = json.loads(json.dumps(body))
            node = changed
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = _OTHER_TYPE[scalar]
            item["response"]["body"]["string"] = json.dumps(changed)
            return Alteration(index, "type", label, json_path(path), status)
    if kind == "status":
        item["response"]["status"]["code"] = 599
        return Alteration(index, "status", label, "", 599)
    item["response"]["headers"]["Content-Type"] = ["text/html; charset=utf-8"]
    return Alteration(index, "content-type", label, "", status)


def write_cassette(path: Path, cassette: dict[str, Any]) -> Path:
    """Write the cassette as vcrpy JSON."""
    path.write_text(json.dumps(cassette))
    return path
