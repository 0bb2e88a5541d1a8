"""Build a vcrpy cassette from the published response examples of an OpenAPI description, some altered.

Used by the `contracts validate --spec` tests and by benchmarks/bench_verify.py. Each example becomes one
interaction whose request fills the operation's path template; every `every`-th interaction is altered in
one of three ways whose effect is known in advance: a documented scalar property gets another type, the
status becomes one the operation does not declare, or the content type becomes text/html.

Which examples are used is decided without the code under test: the description is walked here, and an
example is kept when an independent validator accepts it (example_verdicts.py), so our validator wrongly
rejecting a published example shows up as a failure instead of a smaller cassette.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from example_verdicts import IndependentValidator

_OTHER_TYPE = {"string": 12345, "integer": "not-a-number", "number": "not-a-number", "boolean": "yes"}
_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Alteration:
    """What was changed in one interaction and what validation must therefore report."""

    index: int
    kind: str  # type | status | content-type
    operation: str  # "GET /template"
    json_path: str  # for kind == type
    status: int


@dataclass(frozen=True)
class Example:
    """One published JSON response example; `schema_pointer` is where its response schema is in the description."""

    method: str
    template: str
    status: int
    media: str
    name: str
    body: Any
    schema_pointer: str

    @property
    def id(self) -> str:
        """`GET /users/{username} 200 default-response` (plus the media type when it is not application/json)."""
        label = f"{self.method} {self.template} {self.status} {self.name}"
        return label if self.media == "application/json" else f"{label} ({self.media})"


def follow(document: dict[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    """(node, its JSON pointer) after following internal `$ref`s; written here so as not to lean on the product."""
    for _hop in range(32):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node, pointer
        pointer = node["$ref"].removeprefix("#")
        node = document
        for part in pointer.split("/")[1:]:
            node = node[part.replace("~1", "/").replace("~0", "~")]
    raise ValueError(f"$ref chain too long at {pointer}")


def escape(part: str) -> str:
    """One JSON pointer segment."""
    return part.replace("~", "~0").replace("/", "~1")


def iter_examples(document: dict[str, Any]) -> Iterator[Example]:
    """Each published JSON response example of a GET/POST/PUT/PATCH/DELETE operation with a numeric status."""
    for template, item in document["paths"].items():
        item, _ = follow(document, item, "/paths/" + escape(template))
        for method, operation in item.items():
            if method not in _METHODS or not isinstance(operation, dict):
                continue
            for status, response in (operation.get("responses") or {}).items():
                if status.isdigit():
                    at = f"/paths/{escape(template)}/{method}/responses/{status}"
                    yield from _response_examples(
                        document, method.upper(), template, int(status), *follow(document, response, at)
                    )


def _response_examples(
    document: dict[str, Any], method: str, template: str, status: int, response: Any, pointer: str
) -> Iterator[Example]:
    for media, content in (response.get("content") or {}).items():
        if "json" not in media or "schema" not in content:
            continue
        for name, example in (content.get("examples") or {}).items():
            example, _ = follow(document, example, "")
            if isinstance(example, dict) and "value" in example:
                yield Example(
                    method, template, status, media, name, example["value"], f"{pointer}/content/{escape(media)}/schema"
                )


def operation_of(document: dict[str, Any], method: str, template: str) -> dict[str, Any]:
    """The operation object at (method, template)."""
    item, _ = follow(document, document["paths"][template], "")
    return item[method.lower()]


def plain_json_path(parts: tuple[str | int, ...]) -> str:
    """`$[0].name`: the location a finding must name, spelt out here rather than by the product's formatter."""
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in parts)


def concrete_path(template: str) -> str:
    """Fill every `{name}` with a value that cannot collide with a literal segment."""
    return re.sub(r"{[^}]+}", "v1x", template)


def interaction(method: str, path: str, status: int, media: str, body: Any) -> dict[str, Any]:
    """One vcrpy interaction."""
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


def scalar_target(document: dict[str, Any], schema: Any, body: Any) -> tuple[tuple[str | int, ...], str] | None:
    """A documented property of the body (or of its first item) with one plain scalar type, or None."""
    schema, _ = follow(document, schema, "")
    prefix: tuple[str | int, ...] = ()
    if isinstance(body, list) and body and schema.get("type") == "array":
        (schema, _), body, prefix = follow(document, schema.get("items") or {}, ""), body[0], (0,)
    if not isinstance(body, dict) or not isinstance(schema, dict):
        return None
    for name, sub in sorted((schema.get("properties") or {}).items()):
        sub, _ = follow(document, sub, "")
        kind = sub.get("type")
        plain = not any(key in sub for key in ("nullable", "anyOf", "oneOf", "allOf", "enum"))
        if name in body and kind in _OTHER_TYPE and plain and body[name] is not None:
            return prefix + (name,), kind
    return None


def build_cassette(
    document: dict[str, Any], *, count: int, every: int = 6
) -> tuple[dict[str, Any], list[Alteration], int]:
    """(vcrpy cassette, alterations, examples skipped) with up to `count` interactions.

    An example is used when the independent validator accepts it and it is not one of the explained
    disagreements of example_verdicts.py (published examples sometimes contradict their own schema; those are
    counted, not used). Whether its request routes back to its operation is left to the tests to find out.
    """
    judge = IndependentValidator(document)
    interactions, alterations, skipped = [], [], 0
    for example in iter_examples(document):
        if len(interactions) >= count:
            break
        if not judge.is_usable(example):
            skipped += 1
            continue
        index = len(interactions)
        item = interaction(example.method, concrete_path(example.template), example.status, example.media, example.body)
        if index % every == every - 1:
            alterations.append(alter(document, judge, item, index, example))
        interactions.append(item)
    return {"version": 1, "interactions": interactions}, alterations, skipped


def alter(
    document: dict[str, Any], judge: IndependentValidator, item: dict[str, Any], index: int, example: Example
) -> Alteration:
    """Change one interaction in place in a way validation must catch (a type change only where the independent
    validator rejects the changed body, otherwise an undeclared status)."""
    label = f"{example.method} {example.template}"
    kind = ("type", "status", "content-type")[(index // 6) % 3]
    if kind == "type":
        response = operation_of(document, example.method, example.template)["responses"][str(example.status)]
        response, _ = follow(document, response, "")
        target = scalar_target(document, response["content"][example.media].get("schema", {}), example.body)
        changed = _with_other_type(example.body, *target) if target else None
        if changed is None or not judge.errors(example, changed):
            kind = "status"
        else:
            item["response"]["body"]["string"] = json.dumps(changed)
            return Alteration(index, "type", label, plain_json_path(target[0]), example.status)
    if kind == "status":
        item["response"]["status"]["code"] = 599
        return Alteration(index, "status", label, "", 599)
    item["response"]["headers"]["Content-Type"] = ["text/html; charset=utf-8"]
    return Alteration(index, "content-type", label, "", example.status)


def _with_other_type(body: Any, path: tuple[str | int, ...], scalar: str) -> Any:
    changed = json.loads(json.dumps(body))
    node = changed
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = _OTHER_TYPE[scalar]
    return changed


def write_cassette(path: Path, cassette: dict[str, Any]) -> Path:
    """Write the cassette as vcrpy JSON."""
    path.write_text(json.dumps(cassette))
    return path
