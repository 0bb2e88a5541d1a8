"""Inputs that used to be accepted silently: each must be refused (exit 2, one paragraph naming the file and the
key path or `$ref`) or reported as not checked.

The cases come from the formats' own definitions, not from what contractkit happens to do:

- a pact's `metadata.pactSpecification.version` (V1 to V4; V1.1 pacts also spell it `pact-specification`);
- a vcrpy cassette's `version` (vcrpy writes the integer 1);
- the matching rules of the Pact specification: V2's flat `$.body...` / `$.headers.X` / `$.query.x` / `$.path` keys,
  V3/V4's `{category: {path: {matchers: [...], combine: AND|OR}}}` with the categories body, header, query, path
  and (V4) status, and the matcher types with the attributes each needs (regex, min/max, include's value,
  statusCode's status, arrayContains' variants, eachKey/eachValue's rules);
- a registry whose `providers` map is empty;
- the OpenAPI 3.0/3.1 object structure: a Paths Object maps to Path Item Objects, a path item's methods to
  Operation Objects, `parameters` is a list of Parameter (or Reference) Objects, `responses` maps status codes
  to Response Objects, `content` maps media types to Media Type Objects, `requestBody` is a Request Body Object;
- `$ref` values that leave the description's folder or name a URL (`contracts diff` reads one file, nothing else);
- message interactions (V3 `messages`, V4 `Asynchronous/Messages` and `Synchronous/Messages`), which
  `contracts verify` does not replay: each must be listed as not verified, with its description.

Cases whose index % 3 == 2 are held out: they were not looked at while the code was being fixed.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from tests.hardening.corpus import CASSETTE, FILES, PACT, SPEC, text

__all__ = ["CASES", "SilentCase"]

Writer = Callable[[Path], None]
VERIFY = ("verify", "--provider", "widgets")
DIFF = ("diff", "spec.json", FILES["official"])
VALIDATE = ("validate", "--spec", "spec.json", FILES["cassette"])
PACT_FILE = r"shop-widgets\.json"


@dataclass(frozen=True)
class SilentCase:
    """One input, one command, and what must come out: the exit codes allowed and patterns the output must hold."""

    name: str
    part: str
    command: tuple[str, ...]
    write: Writer
    codes: tuple[int, ...] = (2,)
    expect: tuple[str, ...] = ()  # regular expressions, each must be found in the output
    index: int = -1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def held_out(self) -> bool:
        """Whether the case belongs to the held-out third (not looked at while fixing)."""
        return self.index % 3 == 2

    @property
    def test_id(self) -> str:
        """The test id: the name, marked when held out."""
        return f"{self.name}-heldout" if self.held_out else self.name


# ---------------------------------------------------------------- writers


def write_json(kind: str, data: Any) -> Writer:
    return text(kind, json.dumps(data, indent=1))


def both(*writers: Writer) -> Writer:
    def write(folder: Path) -> None:
        for writer in writers:
            writer(folder)

    return write


def pact_metadata(metadata: Any, *, drop: bool = False) -> Writer:
    data = copy.deepcopy(PACT)
    if drop:
        del data["metadata"]
    else:
        data["metadata"] = metadata
    return write_json("pact", data)


def spec_version(version: Any) -> Writer:
    return pact_metadata({"pactSpecification": {"version": version}})


V4_RULES_WHERE = r"interactions\[0\]\.response\.matchingRules"


def v4_rules(rules: Any, *, side: str = "response") -> Writer:
    data = copy.deepcopy(PACT)
    data["interactions"][0][side]["matchingRules"] = rules
    return write_json("pact", data)


def v4_body_rule(rule: Any, path: str = "$[*].id") -> Writer:
    return v4_rules({"body": {path: rule}})


def v4_matcher(matcher: Any) -> Writer:
    return v4_body_rule({"matchers": [matcher], "combine": "AND"})


V2_PACT = {
    "consumer": {"name": "shop"},
    "provider": {"name": "widgets"},
    "interactions": [
        {
            "description": "all widgets",
            "request": {"method": "GET", "path": "/widgets"},
            "response": {
                "status": 200,
                "headers": {"Content-Type": "application/json"},
                "body": [{"id": "w1", "name": "sprocket"}],
            },
        }
    ],
    "metadata": {"pactSpecification": {"version": "2.0.0"}},
}
V3_PACT = {**V2_PACT, "metadata": {"pactSpecification": {"version": "3.0.0"}}}
V1_PACT = {**V2_PACT, "metadata": {"pactSpecification": {"version": "1.1.0"}}}


def v2_rules(rules: Any) -> Writer:
    data = copy.deepcopy(V2_PACT)
    data["interactions"][0]["response"]["matchingRules"] = rules
    return write_json("pact", data)


def v3_rules(rules: Any) -> Writer:
    data = copy.deepcopy(V3_PACT)
    data["interactions"][0]["response"]["matchingRules"] = rules
    return write_json("pact", data)


def cassette_version(value: str) -> Writer:
    return text("cassette", CASSETTE.replace("version: 1\n", f"version: {value}\n"))


def spec_with(change: Callable[[dict[str, Any]], None], kind: str = "spec") -> Writer:
    data = copy.deepcopy(SPEC)
    change(data)
    return write_json(kind, data)


def set_at(*keys: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node: Any = data
        for key in keys[:-1]:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(keys[-1]) if isinstance(node, list) else keys[-1]] = value

    return change


WIDGETS_GET = ("paths", "/widgets", "get")
ITEMS_POINTER = "#/paths/~1widgets/get/responses/200/content/application~1json/schema/items"


def ref_at(ref: str, *keys: str) -> Writer:
    """spec.json with the `$ref` at `keys` (default: the items of GET /widgets' 200 body) replaced by `ref`."""
    where = keys or (*WIDGETS_GET, "responses", "200", "content", "application/json", "schema", "items")
    return spec_with(set_at(*where, value={"$ref": ref}))


def outside_file(folder: Path) -> None:
    """A readable schema just outside the project, so a reader that follows the ref would find something."""
    (folder.parent / "outside.json").write_text(
        json.dumps({"type": "object", "properties": {"id": {"type": "string"}}})
    )


# ---------------------------------------------------------------- messages

V3_MESSAGE = {
    "description": "a widget was created",
    "providerStates": [{"name": "a widget exists"}],
    "contents": {"id": "w1", "name": "sprocket"},
    "metaData": {"contentType": "application/json"},
    "matchingRules": {"body": {"$.id": {"matchers": [{"match": "type"}]}}},
}
V4_ASYNC = {
    "type": "Asynchronous/Messages",
    "description": "widget created event",
    "key": "a1",
    "pending": False,
    "contents": {"content": {"id": "w1"}, "contentType": "application/json", "encoded": False},
    "metadata": {"destination": "widgets.created"},
}
V4_SYNC = {
    "type": "Synchronous/Messages",
    "description": "widget lookup over a queue",
    "key": "s1",
    "pending": False,
    "request": {"contents": {"content": {"id": "w1"}, "contentType": "application/json", "encoded": False}},
    "response": [
        {"contents": {"content": {"id": "w1", "name": "sprocket"}, "contentType": "application/json", "encoded": False}}
    ],
}


def v3_messages(*, with_http: bool) -> Writer:
    data: dict[str, Any] = {
        "consumer": {"name": "shop"},
        "provider": {"name": "widgets"},
        "messages": [V3_MESSAGE],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }
    if with_http:
        data["interactions"] = copy.deepcopy(V3_PACT["interactions"])
    return write_json("pact", data)


def v4_with(*messages: dict[str, Any], http: bool = True, status: int = 200) -> Writer:
    data = copy.deepcopy(PACT)
    data["interactions"][0]["response"]["status"] = status
    data["interactions"] = (data["interactions"] if http else []) + [copy.deepcopy(m) for m in messages]
    return write_json("pact", data)


def not_verified(description: str, output_format: str = "text") -> tuple[str, ...]:
    """A line naming the message and saying it was not verified (text); both present elsewhere."""
    if output_format == "text":
        return (rf"(?m)^.*{re.escape(description)}.*not verified.*$",)
    return (re.escape(description), r"not verified")


# ---------------------------------------------------------------- the cases, part by part


def _pact_versions() -> list[tuple[str, tuple[str, ...], Writer, tuple[int, ...], tuple[str, ...]]]:
    where = rf"{PACT_FILE}: metadata\.pactSpecification"
    bad = [
        ("five", spec_version("5.0.0")),
        ("zero-nine", spec_version("0.9")),
        ("letter-x", spec_version("x")),
        ("a-number", spec_version(4)),
        ("empty-string", spec_version("")),
        ("null", spec_version(None)),
        ("v-prefix", spec_version("V4")),
        ("ten", spec_version("10.0.0")),
        ("a-list", spec_version(["4.0"])),
        ("no-version-key", pact_metadata({"pactSpecification": {}})),
        ("spec-a-string", pact_metadata({"pactSpecification": "4.0"})),
        ("metadata-without-spec", pact_metadata({"pactRust": {"version": "1.0.0"}})),
        ("no-metadata", pact_metadata(None, drop=True)),
    ]
    cases = [(f"pact-version-{name}", VERIFY, writer, (2,), (where,)) for name, writer in bad]
    cases += [
        (
            "pact-version-old-key-nine",
            VERIFY,
            pact_metadata({"pact-specification": {"version": "9.0.0"}}),
            (2,),
            (rf"{PACT_FILE}: metadata\.pact-specification\.version",),
        ),
        ("pact-version-five-list", ("list",), spec_version("5.0.0"), (2,), (where,)),
        ("pact-version-v4-control", VERIFY, spec_version("4.0"), (0,), ()),
        ("pact-version-v3-control", VERIFY, write_json("pact", V3_PACT), (0,), ()),
        ("pact-version-v2-control", VERIFY, write_json("pact", V2_PACT), (0,), ()),
        ("pact-version-v11-control", VERIFY, write_json("pact", V1_PACT), (0,), ()),
        (
            "pact-version-old-key-control",
            VERIFY,
            write_json("pact", {**V2_PACT, "metadata": {"pact-specification": {"version": "2.0.0"}}}),
            (0,),
            (),
        ),
    ]
    return cases


def _cassette_versions() -> list[tuple[str, tuple[str, ...], Writer, tuple[int, ...], tuple[str, ...]]]:
    where = r"list_widgets\.yaml(:\d+)?: version"
    rows = [
        ("two", "2", ("lint",)),
        ("two", "2", VALIDATE),
        ("two", "2", VERIFY),
        ("string-one", "'1'", ("lint",)),
        ("string-one", "'1'", VALIDATE),
        ("null", "null", ("lint",)),
        ("null", "null", VERIFY),
        ("word", "one", VALIDATE),
        ("float", "1.5", ("lint",)),
        ("boolean", "true", VALIDATE),
        ("a-list", "[1]", ("lint",)),
        ("zero", "0", ("drift", FILES["cassette"], FILES["cassette"])),
        ("one-point-zero", "1.0", VALIDATE),
    ]
    cases = [
        (f"cassette-version-{name}-{command[0]}", command, cassette_version(value), (2,), (where,))
        for name, value, command in rows
    ]
    cases.append(
        (
            "cassette-version-missing-control",
            ("lint",),
            text("cassette", CASSETTE.replace("version: 1\n", "")),
            (0,),
            (),
        )
    )
    return cases


def _matching_rules() -> list[tuple[str, tuple[str, ...], Writer, tuple[int, ...], tuple[str, ...]]]:
    body = rf"{PACT_FILE}: {V4_RULES_WHERE}\.body"
    rows: list[tuple[str, Writer, str]] = [
        ("a-list", v4_rules([{"match": "type"}]), rf"{PACT_FILE}: {V4_RULES_WHERE}"),
        ("a-string", v4_rules("type"), rf"{PACT_FILE}: {V4_RULES_WHERE}"),
        ("category-a-list", v4_rules({"body": [{"match": "type"}]}), body),
        (
            "unknown-category",
            v4_rules({"bodies": {"$": {"matchers": [{"match": "type"}]}}}),
            rf"{PACT_FILE}: {V4_RULES_WHERE}\.bodies",
        ),
        ("rule-without-match", v4_matcher({"value": 1}), body),
        ("unknown-match-fuzzy", v4_matcher({"match": "fuzzy"}), body),
        ("min-a-string", v4_matcher({"match": "type", "min": "1"}), body),
        ("max-negative", v4_matcher({"match": "type", "max": -1}), body),
        ("combine-xor", v4_body_rule({"matchers": [{"match": "type"}], "combine": "XOR"}), body),
        ("matchers-a-mapping", v4_body_rule({"matchers": {"match": "type"}}), body),
        ("matchers-a-string", v4_body_rule({"matchers": "type"}), body),
        ("matcher-a-string", v4_body_rule({"matchers": ["type"]}), body),
        ("regex-without-regex", v4_matcher({"match": "regex"}), body),
        ("regex-a-number", v4_matcher({"match": "regex", "regex": 12}), body),
        ("regex-invalid", v4_matcher({"match": "regex", "regex": "([a-z"}), body),
        (
            "include-without-value",
            v4_rules({"header": {"Content-Type": {"matchers": [{"match": "include"}]}}}),
            rf"{PACT_FILE}: {V4_RULES_WHERE}\.header",
        ),
        (
            "status-code-without-status",
            v4_rules({"status": {"matchers": [{"match": "statusCode"}]}}),
            rf"{PACT_FILE}: {V4_RULES_WHERE}\.status",
        ),
        ("each-value-rules-a-string", v4_matcher({"match": "eachValue", "rules": "type"}), body),
        ("array-contains-variants-a-mapping", v4_matcher({"match": "arrayContains", "variants": {}}), body),
        ("path-rule-a-list", v4_body_rule([{"match": "type"}]), body),
        (
            "request-side-unknown-match",
            v4_rules({"query": {"page": {"matchers": [{"match": "fuzzy"}]}}}, side="request"),
            rf"{PACT_FILE}: interactions\[0\]\.request\.matchingRules\.query",
        ),
        (
            "v2-unknown-prefix",
            v2_rules({"$.foo.bar": {"match": "type"}}),
            rf"{PACT_FILE}: interactions\[0\]\.response\.matchingRules",
        ),
        (
            "v2-rule-a-string",
            v2_rules({"$.body[*].id": "type"}),
            rf"{PACT_FILE}: interactions\[0\]\.response\.matchingRules",
        ),
        (
            "v2-unknown-match",
            v2_rules({"$.body[*].id": {"match": "fuzzy"}}),
            rf"{PACT_FILE}: interactions\[0\]\.response\.matchingRules",
        ),
        ("v2-empty-rule", v2_rules({"$.body[*].id": {}}), rf"{PACT_FILE}: interactions\[0\]\.response\.matchingRules"),
        (
            "v3-combine-not-a-string",
            v3_rules({"body": {"$[*].id": {"matchers": [{"match": "type"}], "combine": 1}}}),
            rf"{PACT_FILE}: interactions\[0\]\.response\.matchingRules\.body",
        ),
        (
            "v3-min-a-float",
            v3_rules({"body": {"$": {"matchers": [{"match": "type", "min": 1.5}]}}}),
            rf"{PACT_FILE}: interactions\[0\]\.response\.matchingRules\.body",
        ),
    ]
    cases = [(f"rules-{name}", VERIFY, writer, (2,), (pattern,)) for name, writer, pattern in rows]
    cases += [
        ("rules-v4-control", VERIFY, v4_matcher({"match": "type", "min": 1}), (0,), ()),
        (
            "rules-v2-control",
            VERIFY,
            v2_rules(
                {
                    "$.body[*].id": {"match": "type"},
                    "$.body": {"min": 1},
                    "$.headers.Content-Type": {"regex": "application/json.*"},
                }
            ),
            (0,),
            (),
        ),
        (
            "rules-or-lowercase-control",
            VERIFY,
            v4_body_rule({"matchers": [{"match": "type"}, {"match": "null"}], "combine": "or"}),
            (0,),
            (),
        ),
        (
            "rules-v4-status-control",
            VERIFY,
            v4_rules({"status": {"matchers": [{"match": "statusCode", "status": "success"}]}}),
            (0,),
            (),
        ),
    ]
    return cases


def _empty_providers() -> list[tuple[str, tuple[str, ...], Writer, tuple[int, ...], tuple[str, ...]]]:
    empty = text("registry", "version: 1\nconsumer: shop\nproviders: {}\n")
    warning = r"registry\.yaml(:\d+)?: providers: .*no provider"
    rows = [
        ("lint", ("lint",)),
        ("lint-json", ("lint", "--format", "json")),
        ("run", ("run",)),
        ("run-quiet", ("run", "-q")),
        ("run-json", ("run", "-q", "--format", "json")),
        ("run-junit", ("run", "-q", "--format", "junit")),
        ("run-markdown", ("run", "-q", "--format", "markdown")),
    ]
    return [(f"empty-providers-{name}", command, empty, (0,), (warning,)) for name, command in rows]


def _openapi_structure() -> list[tuple[str, tuple[str, ...], Writer, tuple[int, ...], tuple[str, ...]]]:
    get = r"spec\.json(:\d+)?: paths\./widgets\.get"
    post_op = {"requestBody": "a widget", "responses": {"201": {"description": ""}}}
    rows: list[tuple[str, tuple[str, ...], Writer, str]] = [
        ("responses-a-list", DIFF, spec_with(set_at(*WIDGETS_GET, "responses", value=[])), rf"{get}\.responses"),
        ("responses-a-string", DIFF, spec_with(set_at(*WIDGETS_GET, "responses", value="200")), rf"{get}\.responses"),
        ("responses-null", DIFF, spec_with(set_at(*WIDGETS_GET, "responses", value=None)), rf"{get}\.responses"),
        (
            "path-item-a-list",
            DIFF,
            spec_with(set_at("paths", "/widgets", value=[])),
            r"spec\.json(:\d+)?: paths\./widgets",
        ),
        (
            "path-item-a-string",
            DIFF,
            spec_with(set_at("paths", "/widgets", value="widgets")),
            r"spec\.json(:\d+)?: paths\./widgets",
        ),
        ("operation-a-list", DIFF, spec_with(set_at(*WIDGETS_GET, value=[])), get),
        ("operation-a-string", DIFF, spec_with(set_at(*WIDGETS_GET, value="list widgets")), get),
        ("operation-null", DIFF, spec_with(set_at(*WIDGETS_GET, value=None)), get),
        (
            "parameter-a-string",
            DIFF,
            spec_with(set_at("paths", "/widgets/{id}", "get", "parameters", value=["id"])),
            r"spec\.json(:\d+)?: paths\./widgets/\{id\}\.get\.parameters\[0\]",
        ),
        (
            "parameters-a-mapping",
            DIFF,
            spec_with(set_at("paths", "/widgets/{id}", "get", "parameters", value={"id": {}})),
            r"spec\.json(:\d+)?: paths\./widgets/\{id\}\.get\.parameters",
        ),
        (
            "path-level-parameter-null",
            DIFF,
            spec_with(set_at("paths", "/widgets", "parameters", value=[None])),
            r"spec\.json(:\d+)?: paths\./widgets\.parameters\[0\]",
        ),
        (
            "response-a-list",
            DIFF,
            spec_with(set_at(*WIDGETS_GET, "responses", "200", value=[])),
            rf"{get}\.responses\.200",
        ),
        (
            "content-a-list",
            DIFF,
            spec_with(set_at(*WIDGETS_GET, "responses", "200", "content", value=[])),
            rf"{get}\.responses\.200\.content",
        ),
        (
            "request-body-a-string",
            DIFF,
            spec_with(set_at("paths", "/widgets", "post", value=post_op)),
            r"spec\.json(:\d+)?: paths\./widgets\.post\.requestBody",
        ),
        (
            "new-side-responses-a-list",
            DIFF,
            spec_with(set_at(*WIDGETS_GET, "responses", value=[]), kind="official"),
            r"official\.json(:\d+)?: paths\./widgets\.get\.responses",
        ),
        (
            "lint-responses-a-list",
            ("lint",),
            spec_with(set_at(*WIDGETS_GET, "responses", value=[])),
            rf"{get}\.responses",
        ),
        (
            "lint-parameter-a-string",
            ("lint",),
            spec_with(set_at("paths", "/widgets/{id}", "get", "parameters", value=["id"])),
            r"spec\.json(:\d+)?: paths\./widgets/\{id\}\.get\.parameters\[0\]",
        ),
        (
            "validate-path-item-a-list",
            VALIDATE,
            spec_with(set_at("paths", "/widgets", value=[])),
            r"spec\.json(:\d+)?: paths\./widgets",
        ),
        (
            "validate-responses-a-string",
            VALIDATE,
            spec_with(set_at(*WIDGETS_GET, "responses", value="200")),
            rf"{get}\.responses",
        ),
    ]
    return [(f"openapi-{name}", command, writer, (2,), (pattern,)) for name, command, writer, pattern in rows]


def _external_refs() -> list[tuple[str, tuple[str, ...], Writer, tuple[int, ...], tuple[str, ...]]]:
    items = re.escape(ITEMS_POINTER)
    widget_name = "#/components/schemas/Widget/properties/name"
    rows: list[tuple[str, tuple[str, ...], Writer, tuple[str, ...]]] = [
        ("parent-folder", DIFF, both(outside_file, ref_at("../outside.json")), (re.escape("../outside.json"), items)),
        ("absolute-path", DIFF, ref_at("/etc/passwd"), (re.escape("/etc/passwd"), items)),
        (
            "http-url",
            DIFF,
            ref_at("http://example.invalid/x.json"),
            (re.escape("http://example.invalid/x.json"), items),
        ),
        (
            "https-url-fragment",
            DIFF,
            ref_at("https://example.invalid/api.json#/components/schemas/Widget"),
            (re.escape("https://example.invalid/api.json#/components/schemas/Widget"), items),
        ),
        ("file-url", DIFF, ref_at("file:///etc/passwd"), (re.escape("file:///etc/passwd"), items)),
        ("network-path", DIFF, ref_at("//example.invalid/x.json"), (re.escape("//example.invalid/x.json"), items)),
        (
            "dotdot-inside-nested",
            DIFF,
            both(
                outside_file,
                ref_at(
                    "schemas/../../outside.json#/properties/id", "components", "schemas", "Widget", "properties", "name"
                ),
            ),
            (re.escape("schemas/../../outside.json#/properties/id"), re.escape(widget_name)),
        ),
        (
            "in-a-parameter",
            DIFF,
            ref_at("http://example.invalid/params.json#/Id", "paths", "/widgets/{id}", "get", "parameters", "0"),
            (
                re.escape("http://example.invalid/params.json#/Id"),
                re.escape("#/paths/~1widgets~1{id}/get/parameters/0"),
            ),
        ),
        (
            "path-item-ref",
            DIFF,
            spec_with(set_at("paths", "/gadgets", value={"$ref": "http://example.invalid/paths.json"})),
            (re.escape("http://example.invalid/paths.json"), re.escape("#/paths/~1gadgets")),
        ),
        (
            "new-side-absolute",
            ("diff", FILES["official"], "spec.json"),
            ref_at_official("/etc/hostname"),
            (re.escape("/etc/hostname"), items),
        ),
        (
            "lint-parent-folder",
            ("lint",),
            both(outside_file, ref_at("../outside.json")),
            (re.escape("../outside.json"), r"paths\./widgets\.get\.responses\.200"),
        ),
        (
            "lint-http-url",
            ("lint",),
            ref_at("http://example.invalid/x.json"),
            (re.escape("http://example.invalid/x.json"), r"paths\./widgets\.get\.responses\.200"),
        ),
        (
            "same-folder-file",
            DIFF,
            both(lambda folder: (folder / "widget.json").write_text('{"type": "object"}'), ref_at("widget.json")),
            (re.escape("widget.json"), items),
        ),
    ]
    return [(f"ref-{name}", command, writer, (2,), expect) for name, command, writer, expect in rows]


def ref_at_official(ref: str) -> Writer:
    data = copy.deepcopy(SPEC)
    data["paths"]["/widgets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["items"] = {
        "$ref": ref
    }
    return write_json("official", data)


def _messages() -> list[tuple[str, tuple[str, ...], Writer, tuple[int, ...], tuple[str, ...]]]:
    v3_desc, async_desc, sync_desc = V3_MESSAGE["description"], V4_ASYNC["description"], V4_SYNC["description"]
    return [
        ("messages-v3-only", VERIFY, v3_messages(with_http=False), (0,), not_verified(v3_desc)),
        ("messages-v3-mixed", VERIFY, v3_messages(with_http=True), (0,), not_verified(v3_desc)),
        ("messages-v4-async-mixed", VERIFY, v4_with(V4_ASYNC), (0,), not_verified(async_desc)),
        ("messages-v4-sync-mixed", VERIFY, v4_with(V4_SYNC), (0,), not_verified(sync_desc)),
        (
            "messages-v4-async-json",
            (*VERIFY, "--format", "json"),
            v4_with(V4_ASYNC),
            (0,),
            not_verified(async_desc, "json"),
        ),
        (
            "messages-v4-sync-junit",
            (*VERIFY, "--format", "junit"),
            v4_with(V4_SYNC),
            (0,),
            not_verified(sync_desc, "junit"),
        ),
        (
            "messages-v4-async-markdown",
            (*VERIFY, "--format", "markdown"),
            v4_with(V4_ASYNC),
            (0,),
            not_verified(async_desc, "markdown"),
        ),
        (
            "messages-v4-only",
            VERIFY,
            v4_with(V4_ASYNC, V4_SYNC, http=False),
            (0,),
            not_verified(async_desc) + not_verified(sync_desc),
        ),
        (
            "messages-v3-only-json",
            (*VERIFY, "--format", "json"),
            v3_messages(with_http=False),
            (0,),
            not_verified(v3_desc, "json"),
        ),
        ("messages-v4-async-http-fails", VERIFY, v4_with(V4_ASYNC, status=201), (1,), not_verified(async_desc)),
        (
            "messages-v4-sync-html",
            (*VERIFY, "--format", "html"),
            v4_with(V4_SYNC),
            (0,),
            not_verified(sync_desc, "html"),
        ),
        ("messages-v3-only-list", ("list",), v3_messages(with_http=False), (0,), ()),
        (
            "messages-v4-unknown-type",
            VERIFY,
            v4_with({**V4_ASYNC, "type": "Synchronous/Plugin"}),
            (2,),
            (rf"{PACT_FILE}: interactions\[1\]\.type",),
        ),
        (
            "messages-v3-messages-a-string",
            VERIFY,
            write_json("pact", {**V3_PACT, "messages": "none"}),
            (2,),
            (rf"{PACT_FILE}: messages",),
        ),
    ]


def _added_after_the_split() -> list[tuple[str, tuple[str, ...], Writer, tuple[int, ...], tuple[str, ...]]]:
    """Cases written after the held-out third was run (appended, so that no earlier case changes its index)."""
    flat = r"shop-widgets\.json: metadata\.pactSpecificationVersion"
    return [
        (
            "pact-version-v1-flat-key-control",
            VERIFY,
            write_json("pact", {**V1_PACT, "metadata": {"pactSpecificationVersion": "1.0.0"}}),
            (0,),
            (),
        ),
        (
            "pact-version-v1-flat-key-nine",
            VERIFY,
            write_json("pact", {**V1_PACT, "metadata": {"pactSpecificationVersion": "9.0"}}),
            (2,),
            (flat,),
        ),
    ]


def _build() -> list[SilentCase]:
    parts = [
        ("pact-version", _pact_versions()),
        ("cassette-version", _cassette_versions()),
        ("matching-rules", _matching_rules()),
        ("empty-providers", _empty_providers()),
        ("openapi-structure", _openapi_structure()),
        ("external-ref", _external_refs()),
        ("messages", _messages()),
        ("pact-version", _added_after_the_split()),
    ]
    cases: list[SilentCase] = []
    for part, rows in parts:
        for name, command, writer, codes, expect in rows:
            cases.append(SilentCase(name, part, command, writer, codes, expect, index=len(cases)))
    return cases


CASES = _build()
