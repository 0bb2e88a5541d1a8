"""The malformed-input corpus: every file kind contractkit reads, broken or pushed to extremes, per command.

A case writes one file of a small valid project (registry, contract, cassette, HAR, pact, spec, ledger,
overlay), runs one command, and expects exit 2 with one paragraph naming the file (and the line, where a
line is known), or a clean 0/1 for input that is valid but extreme. No case may print a traceback, hang,
or pass silently.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

__all__ = ["CASES", "Case", "make_project"]

REGISTRY = """version: 1
consumer: shop
providers:
  widgets:
    base_url: http://127.0.0.1:8000
    spec: spec.json
    contract: contract.yaml
    overlay: overlay.yaml
    cassettes: cassettes/widgets
    operations:
      list_widgets: {method: GET, path: /widgets, safe: true}
      get_widget: {method: GET, path: '/widgets/{id}', safe: true}
"""
CONTRACT = """provider: widgets
interactions:
  - operation: list_widgets
    description: all widgets
    request: {}
    response: {status: 200, body: [{id: w1, name: sprocket}]}
"""
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Widgets", "version": "1"},
    "paths": {
        "/widgets": {
            "get": {
                "responses": {
                    "200": {
                        "description": "",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Widget"}}
                            }
                        },
                    }
                }
            }
        },
        "/widgets/{id}": {
            "get": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}},
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Widget": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
            }
        }
    },
}
CASSETTE = """interactions:
- request:
    body: null
    headers: {Accept: [application/json]}
    method: GET
    uri: http://127.0.0.1:8000/widgets
  response:
    body: {string: '[{"id": "w1", "name": "sprocket"}]'}
    headers:
      Content-Type: [application/json]
    status: {code: 200, message: OK}
version: 1
metadata: {operation: list_widgets, provider: widgets}
"""
HAR = {
    "log": {
        "version": "1.2",
        "creator": {"name": "t", "version": "1"},
        "entries": [
            {
                "startedDateTime": "2024-01-01T00:00:00Z",
                "time": 1,
                "request": {
                    "method": "GET",
                    "url": "http://127.0.0.1:8000/widgets",
                    "httpVersion": "HTTP/1.1",
                    "headers": [],
                    "queryString": [],
                    "cookies": [],
                    "headersSize": -1,
                    "bodySize": 0,
                },
                "response": {
                    "status": 200,
                    "statusText": "OK",
                    "httpVersion": "HTTP/1.1",
                    "cookies": [],
                    "headers": [{"name": "Content-Type", "value": "application/json"}],
                    "content": {"size": 30, "mimeType": "application/json", "text": '[{"id": "w1"}]'},
                    "redirectURL": "",
                    "headersSize": -1,
                    "bodySize": 30,
                },
                "cache": {},
                "timings": {"send": 0, "wait": 1, "receive": 0},
            }
        ],
    }
}
PACT = {
    "consumer": {"name": "shop"},
    "provider": {"name": "widgets"},
    "interactions": [
        {
            "type": "Synchronous/HTTP",
            "description": "all widgets",
            "comments": {"operation": "list_widgets"},
            "request": {"method": "GET", "path": "/widgets"},
            "response": {
                "status": 200,
                "headers": {"Content-Type": ["application/json"]},
                "body": {
                    "content": [{"id": "w1", "name": "sprocket"}],
                    "contentType": "application/json",
                    "encoded": False,
                },
            },
        }
    ],
    "metadata": {"pactSpecification": {"version": "4.0"}},
}
LEDGER = """version: 1
accepted: []
"""
OVERLAY = """provider: widgets
corrections: []
"""

FILES = {  # file kind -> path in the project
    "registry": "registry.yaml",
    "contract": "contract.yaml",
    "cassette": "cassettes/widgets/list_widgets.yaml",
    "har": "traffic.har",
    "pact": "pacts/shop-widgets.json",
    "spec": "spec.json",
    "ledger": "contracts/accepted-changes.yaml",
    "overlay": "overlay.yaml",
    "official": "official.json",
}


def make_project(folder: Path) -> None:
    """Write the small valid project every case starts from."""
    texts = {
        "registry": REGISTRY,
        "contract": CONTRACT,
        "cassette": CASSETTE,
        "har": json.dumps(HAR, indent=1),
        "pact": json.dumps(PACT, indent=1),
        "spec": json.dumps(SPEC, indent=1),
        "ledger": LEDGER,
        "overlay": OVERLAY,
        "official": json.dumps(SPEC, indent=1),
    }
    for kind, text in texts.items():
        path = folder / FILES[kind]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


Writer = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One input and one command: what is written, what is run, what must come out."""

    name: str
    kind: str
    command: tuple[str, ...]
    write: Writer
    codes: tuple[int, ...] = (2,)
    expect: str = ""  # a regular expression the output must contain (file name, and line or key path)
    hang_prone: bool = False  # run in a subprocess with a timeout (a regression would block the process)
    notes: dict[str, str] = field(default_factory=dict)


def text(kind: str, content: str | bytes) -> Writer:
    def write(folder: Path) -> None:
        path = folder / FILES[kind]
        path.unlink(missing_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)

    return write


def replace(kind: str, old: str, new: str) -> Writer:
    def write(folder: Path) -> None:
        path = folder / FILES[kind]
        before = path.read_text()
        assert old in before, f"case does not apply to {kind}: {old!r}"
        path.write_text(before.replace(old, new, 1))

    return write


def special(kind: str, what: str) -> Writer:
    """Replace the file by a FIFO, a folder, a link to /dev/zero, or a sparse file over the size limit."""

    def write(folder: Path) -> None:
        path = folder / FILES[kind]
        path.unlink(missing_ok=True)
        if what == "fifo":
            os.mkfifo(path)
        elif what == "folder":
            path.mkdir()
        elif what == "devzero":
            path.symlink_to("/dev/zero")
        elif what == "huge":
            with path.open("wb") as stream:
                stream.truncate(200 * 1024 * 1024)  # sparse: costs no disk
        elif what == "missing":
            pass

    return write


def deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- commands per file kind

SPEC_ARG = "spec.json"
COMMANDS: dict[str, list[tuple[str, ...]]] = {
    "registry": [
        ("lint",),
        ("list",),
        ("verify", "--all"),
        ("replay", "--provider", "widgets"),
        ("consumer", "--provider", "widgets"),
    ],
    "contract": [("lint",), ("consumer", "--provider", "widgets")],
    "cassette": [
        ("lint",),
        ("validate", "--spec", SPEC_ARG, FILES["cassette"]),
        ("replay", "--provider", "widgets"),
        ("drift", FILES["cassette"], FILES["cassette"]),
    ],
    "har": [("validate", "--spec", SPEC_ARG, FILES["har"])],
    "pact": [("verify", "--provider", "widgets")],
    "spec": [
        ("lint",),
        ("diff", SPEC_ARG, FILES["official"]),
        ("validate", "--spec", SPEC_ARG, FILES["cassette"]),
        ("record", "--provider", "widgets", "--from-spec", SPEC_ARG, "--dry-run"),
    ],
    "official": [
        ("schemas", "import", "--provider", "widgets", "--from", FILES["official"], "--output", "out.json"),
        ("diff", FILES["official"], SPEC_ARG),
    ],
    "ledger": [("lint",)],
    "overlay": [("lint",)],
}
VALID_COMMANDS = {  # commands that finish on valid input (replay would serve until stopped)
    "registry": [("lint",), ("list",)],
    "contract": [("lint",)],
    "cassette": [("lint",), ("validate", "--spec", SPEC_ARG, FILES["cassette"])],
    "har": COMMANDS["har"],
    "pact": COMMANDS["pact"],
    "spec": [("lint",), ("diff", SPEC_ARG, FILES["official"])],
    "official": COMMANDS["official"],
    "ledger": [("lint",)],
    "overlay": [("lint",)],
}


def _name(kind: str) -> str:
    return Path(FILES[kind]).name.replace(".", r"\.")


def _generic(kind: str) -> list[tuple[str, Writer, str, bool]]:
    """(name, writer, expected pattern, hang prone) for inputs that break any file of that kind."""
    name = _name(kind)
    return [
        ("empty", text(kind, ""), name, False),
        ("missing", special(kind, "missing"), name, False),
        ("folder", special(kind, "folder"), name, False),
        ("fifo", special(kind, "fifo"), name, False),
        ("dev-zero", special(kind, "devzero"), name, True),
        ("over-size-limit", special(kind, "huge"), name, False),
        ("binary", text(kind, b"\x00\x01\x02\xff\xfe" * 50), name, False),
        ("not-utf8", text(kind, b"a: \xe9t\xe9\n"), name, False),
        ("top-level-list", text(kind, "- a\n- b\n"), name, False),
        ("top-level-scalar", text(kind, "just text\n"), name, False),
        ("yaml-syntax", text(kind, "a: [1, 2\nb: 3\n"), name, False),
        ("deep-json", text(kind, deep_json(100_000)), name, False),
        ("deep-yaml-flow", text(kind, "a: " + deep_json(5000) + "\n"), name, False),
        ("alias-bomb", text(kind, alias_bomb()), name, False),
        ("recursive-alias", text(kind, "a: &x [1, *x]\n"), name, False),
        ("python-tag", text(kind, "a: !!python/object/apply:os.system [ls]\n"), name, False),
        ("two-documents", text(kind, "a: 1\n---\nb: 2\n"), name, False),
        ("complex-key", text(kind, "? [a, b]\n: 1\n"), name, False),
        ("bad-merge", text(kind, "a: {<<: 3}\n"), name, False),
    ]


def _specific() -> list[tuple[str, str, Writer, tuple[int, ...], str]]:
    """(kind, name, writer, codes, expected pattern) for inputs that break one kind in its own terms."""
    reg, con, cas, spec = "registry", "contract", "cassette", "spec"
    return [
        (
            reg,
            "merge-key-operation",
            replace(
                reg,
                "    operations:\n      list_widgets: {method: GET, path: /widgets, safe: true}",
                "    x-op: &op {method: GET, safe: true}\n    operations:\n      list_widgets: {<<: *op, path: /widgets}",
            ),
            (2,),
            r"registry\.yaml:\d+: providers\.widgets\.x-op: unknown key",
        ),
        (
            reg,
            "merge-key-valid",
            replace(
                reg,
                "      get_widget: {method: GET, path: '/widgets/{id}', safe: true}",
                "      get_widget: &g {method: GET, path: '/widgets/{id}', safe: true}\n"
                "      get_other: {<<: *g, path: '/other/{id}'}",
            ),
            (0, 2),
            r"registry\.yaml|get_other",
        ),
        (
            reg,
            "duplicate-key",
            replace(reg, "    spec: spec.json\n", "    spec: spec.json\n    spec: other.json\n"),
            (2,),
            r"registry\.yaml:7: providers\.widgets\.spec: duplicate key",
        ),
        (
            reg,
            "pacts-outside",
            replace(reg, "consumer: shop\n", "consumer: shop\npacts: ../elsewhere\n"),
            (2,),
            r"registry\.yaml:3: pacts: '\.\./elsewhere' leads outside",
        ),
        (
            reg,
            "pacts-absolute",
            replace(reg, "consumer: shop\n", "consumer: shop\npacts: /tmp/contractkit-pacts\n"),
            (2,),
            r"registry\.yaml:3: pacts: '/tmp/contractkit-pacts' leads outside",
        ),
        (
            reg,
            "cassettes-outside",
            replace(reg, "cassettes: cassettes/widgets", "cassettes: ../../cassettes"),
            (2,),
            r"registry\.yaml:9: providers\.widgets\.cassettes: '\.\./\.\./cassettes' leads outside",
        ),
        (
            reg,
            "base-url-not-a-url",
            replace(reg, "base_url: http://127.0.0.1:8000", "base_url: not a url"),
            (2,),
            r"registry\.yaml:5: providers\.widgets\.base_url: expected an http:// or https:// URL",
        ),
        (
            reg,
            "base-url-bad-port",
            replace(reg, "base_url: http://127.0.0.1:8000", "base_url: http://127.0.0.1:99999"),
            (2,),
            r"registry\.yaml:5: providers\.widgets\.base_url: bad port",
        ),
        (
            reg,
            "base-url-ftp",
            replace(reg, "base_url: http://127.0.0.1:8000", "base_url: ftp://127.0.0.1"),
            (2,),
            r"registry\.yaml:5: providers\.widgets\.base_url: expected an http",
        ),
        (
            reg,
            "safe-a-string",
            replace(reg, "path: /widgets, safe: true", "path: /widgets, safe: yes please"),
            (2,),
            r"registry\.yaml:11: providers\.widgets\.operations\.list_widgets\.safe",
        ),
        (
            reg,
            "operations-a-list",
            replace(
                reg,
                "    operations:\n      list_widgets: {method: GET, path: /widgets, safe: true}\n"
                "      get_widget: {method: GET, path: '/widgets/{id}', safe: true}\n",
                "    operations: [a, b]\n",
            ),
            (2,),
            r"registry\.yaml:10: providers\.widgets\.operations: expected a mapping",
        ),
        (
            reg,
            "missing-state-folder",
            replace(
                reg,
                "    overlay: overlay.yaml\n",
                "    overlay: overlay.yaml\n    states:\n      a widget exists: {cassette: cassettes/widgets/states/gone}\n",
            ),
            (2,),
            r"CK115 registry\.yaml:\d+: providers\.widgets\.states\.a widget exists\.cassette: provider state",
        ),
        (
            reg,
            "ten-thousand-operations",
            lambda folder: (folder / "registry.yaml").write_text(
                REGISTRY + "".join(f"      op{n}: {{method: GET, path: /op/{n}, safe: true}}\n" for n in range(10_000))
            ),
            (0, 2),
            r"registry\.yaml",
        ),
        (
            reg,
            "long-string",
            replace(reg, "consumer: shop\n", "consumer: shop\ngate: {ledger: '" + "a" * 200_000 + "'}\n"),
            (0, 2),
            r"registry\.yaml|accepted",
        ),
        (
            con,
            "regex-catastrophic",
            replace(con, "request: {}", "request: {headers: {X-Id: {$regex: '^(a+)+$', example: aaaa}}}"),
            (2,),
            r"contract\.yaml:5: interactions\[0\]\.request\.headers\.X-Id.*exponential time",
        ),
        (
            con,
            "regex-nested-star",
            replace(con, "request: {}", "request: {headers: {X-Id: {$regex: '^(\\w+\\s?)*$', example: ab}}}"),
            (2,),
            r"contract\.yaml:5: .*exponential time",
        ),
        (
            con,
            "regex-alternation",
            replace(con, "request: {}", "request: {headers: {X-Id: {$regex: '^(a|a)*$', example: aa}}}"),
            (2,),
            r"contract\.yaml:5: .*exponential time",
        ),
        (
            con,
            "regex-too-long",
            replace(con, "request: {}", "request: {headers: {X-Id: {$regex: '" + "a" * 2000 + "', example: a}}}"),
            (2,),
            r"contract\.yaml:5: .*the limit is 1000",
        ),
        (
            con,
            "regex-invalid",
            replace(con, "request: {}", "request: {headers: {X-Id: {$regex: '([a-z', example: a}}}"),
            (2,),
            r"contract\.yaml:5: .*invalid regular expression",
        ),
        (
            con,
            "regex-safe-separated",
            replace(con, "request: {}", "request: {headers: {X-Id: {$regex: '^[a-z]+(-[a-z]+)*$', example: a-b}}}"),
            (0,),
            r"",
        ),
        (
            con,
            "body-nested-126",
            replace(con, "body: [{id: w1, name: sprocket}]", "body: " + deep_json(126)),
            (2,),
            r"contract\.yaml:6: .*nested more than 100",
        ),
        (
            con,
            "status-a-string",
            replace(con, "status: 200", "status: two hundred"),
            (2,),
            r"contract\.yaml:6: interactions\[0\]\.response\.status",
        ),
        (
            con,
            "unknown-operation",
            replace(con, "operation: list_widgets", "operation: nope"),
            (2,),
            r"contract\.yaml:3: interactions\[0\]\.operation",
        ),
        (
            con,
            "interactions-a-mapping",
            replace(con, "interactions:\n  - operation", "interactions:\n  x:\n    operation"),
            (2,),
            r"contract\.yaml",
        ),
        (
            cas,
            "status-a-string",
            replace(cas, "status: {code: 200, message: OK}", "status: {code: two hundred, message: OK}"),
            (2,),
            r"list_widgets\.yaml:2: interactions\[0\]",
        ),
        (
            cas,
            "deep-json-body",
            replace(cas, '{string: \'[{"id": "w1", "name": "sprocket"}]\'}', "{string: '" + deep_json(100_000) + "'}"),
            (1, 2),
            r"list_widgets\.yaml",
        ),
        (cas, "interactions-a-string", text(cas, "interactions: nope\n"), (2,), r"list_widgets\.yaml:1"),
        (
            cas,
            "headers-a-list",
            replace(cas, "headers:\n      Content-Type: [application/json]", "headers: [a]"),
            (2,),
            r"list_widgets\.yaml:2: interactions\[0\]",
        ),
        ("har", "entries-a-string", text("har", '{"log": {"entries": "nope"}}'), (2,), r"traffic\.har"),
        (
            "har",
            "deep-json-body",
            text("har", json.dumps(HAR).replace('"[{\\"id\\": \\"w1\\"}]"', json.dumps(deep_json(100_000)))),
            (1, 2),
            r"traffic\.har",
        ),
        (
            "pact",
            "status-a-string",
            text("pact", json.dumps(PACT).replace('"status": 200', '"status": "two hundred"')),
            (2,),
            r"shop-widgets\.json.*status",
        ),
        (
            "pact",
            "interactions-a-string",
            text("pact", json.dumps({**PACT, "interactions": "nope"})),
            (2,),
            r"shop-widgets\.json",
        ),
        (
            "pact",
            "deep-body",
            text("pact", json.dumps(PACT).replace('[{"id": "w1", "name": "sprocket"}]', deep_json(100_000))),
            (2,),
            r"shop-widgets\.json.*nested",
        ),
        (
            spec,
            "self-ref-schema",
            text(
                spec,
                json.dumps({**SPEC, "components": {"schemas": {"Widget": {"$ref": "#/components/schemas/Widget"}}}}),
            ),
            (2,),
            r"spec\.json.*(never reaches a schema|only a reference to itself|refers to itself)",
        ),
        (
            spec,
            "ref-does-not-resolve",
            text(spec, json.dumps(SPEC).replace('schemas/Widget"}}}}}}}}', 'schemas/Gadget"}}}}}}}}', 1)),
            (2,),
            r"spec\.json",
        ),
        (spec, "paths-a-list", text(spec, json.dumps({**SPEC, "paths": []})), (2,), r"spec\.json"),
        (spec, "not-openapi", text(spec, '{"title": "nope"}'), (2,), r"spec\.json"),
        (
            "official",
            "self-ref-operation",
            text(
                "official",
                json.dumps({**SPEC, "components": {"schemas": {"Widget": {"$ref": "#/components/schemas/Widget"}}}}),
            ),
            (2,),
            r"official\.json.*(never reaches a schema|only a reference to itself|refers to itself)",
        ),
        (
            "official",
            "two-step-ref-cycle",
            text(
                "official",
                json.dumps(
                    {
                        **SPEC,
                        "components": {
                            "schemas": {
                                "Widget": {"$ref": "#/components/schemas/Gadget"},
                                "Gadget": {"$ref": "#/components/schemas/Widget"},
                            }
                        },
                    }
                ),
            ),
            (2,),
            r"official\.json.*(go round in a circle|only a reference|refers to itself)",
        ),
        (
            "official",
            "recursive-tree-is-fine",
            text(
                "official",
                json.dumps(
                    {
                        **SPEC,
                        "components": {
                            "schemas": {
                                "Widget": {
                                    "type": "object",
                                    "required": ["id"],
                                    "properties": {
                                        "id": {"type": "string"},
                                        "child": {"$ref": "#/components/schemas/Widget"},
                                    },
                                }
                            }
                        },
                    }
                ),
            ),
            (0, 1),
            r"",
        ),
        (
            "ledger",
            "garbage",
            text("ledger", "version: 1\naccepted: 42\n"),
            (2,),
            r"CK116 contracts/accepted-changes\.yaml:2: accepted: expected a list",
        ),
        (
            "ledger",
            "entry-missing-keys",
            text("ledger", "version: 1\naccepted:\n  - rule: x\n"),
            (2,),
            r"CK116 contracts/accepted-changes\.yaml:3: accepted\[0\]",
        ),
        (
            "ledger",
            "bad-date",
            text(
                "ledger",
                "version: 1\naccepted:\n  - {rule: r, location: l, owner: o, reason: r, expires: 2024-02-30}\n",
            ),
            (2,),
            r"CK116 contracts/accepted-changes\.yaml",
        ),
        (
            "overlay",
            "corrections-a-string",
            text("overlay", "provider: widgets\ncorrections: nope\n"),
            (2,),
            r"overlay\.yaml",
        ),
    ]


def _build() -> list[Case]:
    cases: list[Case] = []
    for kind in FILES:
        for name, writer, pattern, hang_prone in _generic(kind):
            for command in COMMANDS[kind]:
                if name == "missing" and kind in ("ledger", "overlay"):
                    continue  # a missing ledger is an empty ledger; a missing overlay is reported by lint below
                codes = (0, 2) if kind == "ledger" and name in ("empty",) else (2,)
                if name in ("missing", "folder") and kind in ("cassette", "pact"):
                    codes = (0, 1, 2)  # lint warns of a missing cassette; verify fails a contract without a pact
                expect = pattern
                if kind == "cassette" and command[0] == "replay" and name in ("missing", "folder"):
                    expect = r"no cassettes in .*cassettes/widgets"
                if kind == "cassette" and command[0] == "drift" and name == "missing":
                    expect = r"list_widgets\.yaml' does not exist"
                cases.append(
                    Case(
                        f"{kind}-{name}-{command[0]}",
                        kind,
                        command,
                        writer,
                        codes,
                        expect,
                        hang_prone,
                        KNOWN_GAPS.get(f"{kind}-{name}-{command[0]}", {}),
                    )
                )
    for kind, name, writer, codes, pattern in _specific():
        commands = (VALID_COMMANDS if 0 in codes or 1 in codes else COMMANDS)[kind]
        for command in [("lint",)] if name.startswith("missing-state") else commands:
            hang = "regex" in name
            lint_only_reads_strings = name == "deep-json-body" and command[0] == "lint"  # not the JSON inside a body
            cases.append(
                Case(
                    f"{kind}-{name}-{command[0]}",
                    kind,
                    command,
                    writer,
                    (0,) if lint_only_reads_strings else codes,
                    r"0 errors" if lint_only_reads_strings else pattern,
                    hang,
                    KNOWN_GAPS.get(f"{kind}-{name}-{command[0]}", {}),
                )
            )
    return cases


_MODEL = "cassettes/model.py load_cassette (cassette model owner)"
_VALIDATION = "validation/schemas.py (validation engineer)"
KNOWN_GAPS: dict[str, dict[str, str]] = {  # cases that fail in code another engineer owns: expected failures, strict
}

CASES = _build()
