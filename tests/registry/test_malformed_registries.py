"""Every broken registry gets exit 2 and one paragraph naming the file, the key path and the line; no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "registry"


def edit(old: str, new: str):
    """A case that replaces text in the valid registry."""
    return lambda folder: _replace(folder / "registry.yaml", old, new)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"case does not apply: {old!r}"
    path.write_text(text.replace(old, new, 1))


def edit_file(name: str, old: str, new: str):
    """A case that replaces text in another file of the registry folder."""
    return lambda folder: _replace(folder / name, old, new)


def write(name: str, text: str):
    """A case that overwrites a file of the valid registry folder."""
    return lambda folder: (folder / name).write_text(text)


def delete(name: str):
    return lambda folder: (folder / name).unlink()


# (case id, command, mutation, expected message on stderr for load errors / in stdout for lint problems)
CASES = [
    (
        "bad-yaml",
        "lint",
        edit("auth: {scheme: bearer, env: WIDGETS_TOKEN}", "auth: {scheme: bearer, env: [WIDGETS_TOKEN}"),
        "error: registry.yaml:6: invalid YAML: did not find expected ',' or ']'",
    ),
    (
        "top-level-list",
        "lint",
        write("registry.yaml", "- a\n- b\n"),
        "error: registry.yaml:1: expected a mapping at the top level",
    ),
    (
        "missing-consumer",
        "lint",
        edit("consumer: shop\n", ""),
        "error: registry.yaml:1: missing required key 'consumer'",
    ),
    ("wrong-version", "list", edit("version: 1", "version: 2"), "error: registry.yaml:1: version: expected 1, got 2"),
    (
        "safe-not-boolean",
        "lint",
        edit("        safe: true\n      get_widget", '        safe: "yes"\n      get_widget'),
        'error: registry.yaml:13: providers.widgets.operations.list_widgets.safe: expected true or false, got "yes"',
    ),
    (
        "unknown-provider-key",
        "lint",
        edit("    spec: spec.json", "    spek: spec.json"),
        "error: registry.yaml:7: providers.widgets.spek: unknown key 'spek' (did you mean 'spec'?)",
    ),
    (
        "unknown-operation-key",
        "list",
        edit("        method: GET\n        path: /widgets\n", "        methd: GET\n        path: /widgets\n"),
        "error: registry.yaml:11: providers.widgets.operations.list_widgets.methd: unknown key 'methd' (did you mean 'method'?)",
    ),
    (
        "bad-method",
        "lint",
        edit("method: GET\n        path: /widgets/{id}", "method: FETCH\n        path: /widgets/{id}"),
        'error: registry.yaml:15: providers.widgets.operations.get_widget.method: expected one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got "FETCH"',
    ),
    (
        "duplicate-operation-key",
        "lint",
        edit("      get_widget:", "      list_widgets:"),
        "error: registry.yaml:14: providers.widgets.operations.list_widgets: duplicate key 'list_widgets' (first at line 10)",
    ),
    (
        "duplicate-route",
        "lint",
        edit("path: /widgets/{id}", "path: /widgets"),
        "error: registry.yaml:14: providers.widgets.operations.get_widget: duplicate operation: GET /widgets is already registered as 'list_widgets'",
    ),
    (
        "http-operation-without-path",
        "lint",
        edit("        path: /widgets/{id}\n", ""),
        "error: registry.yaml:14: providers.widgets.operations.get_widget: missing required key 'path' for an operation of an HTTP provider",
    ),
    (
        "unset-variable",
        "lint",
        edit("${WIDGETS_URL:-http://127.0.0.1:8000}", "${CONTRACTKIT_TEST_UNSET_URL}"),
        "error: registry.yaml:5: providers.widgets.base_url: environment variable CONTRACTKIT_TEST_UNSET_URL is not set and has no default (write ${CONTRACTKIT_TEST_UNSET_URL:-value})",
    ),
    (
        "botocore-on-http",
        "lint",
        edit(
            "        path: /widgets\n        safe: true",
            "        path: /widgets\n        safe: true\n        response_schema: botocore",
        ),
        "error: registry.yaml:14: providers.widgets.operations.list_widgets.response_schema: response_schema 'botocore' is only for providers of kind 'aws'",
    ),
    (
        "bad-provider-name",
        "lint",
        edit("  widgets:", "  Widgets:"),
        "error: registry.yaml:4: providers.Widgets: 'Widgets' is not a valid name: use lowercase letters, digits, '-' and '_', starting with a letter",
    ),
    (
        "header-auth-without-header",
        "lint",
        edit("auth: {scheme: bearer, env: WIDGETS_TOKEN}", "auth: {scheme: header, env: WIDGETS_TOKEN}"),
        "error: registry.yaml:6: providers.widgets.auth: missing required key 'header'",
    ),
    (
        "missing-spec-file",
        "lint",
        delete("spec.json"),
        "error: CK101 registry.yaml:7: providers.widgets.spec: spec file spec.json does not exist. create it with: contracts schemas import --provider widgets --from <official document>",
    ),
    (
        "operation-absent-from-spec",
        "lint",
        edit("path: /widgets/{id}", "path: /widget/{id}"),
        "error: CK104 registry.yaml:14: providers.widgets.operations.get_widget: GET /widget/{id} is not an operation of spec.json. did you mean '/widgets/{id}'?",
    ),
    (
        "unresolvable-ref",
        "lint",
        lambda folder: _replace(
            folder / "spec.json", '"#/components/schemas/Widget"}}}}}}}}', '"#/components/schemas/Gadget"}}}}}}}}'
        ),
        "error: CK102 spec.json: paths./widgets.get.responses.200.content.application/json.schema.items.$ref: $ref '#/components/schemas/Gadget' does not resolve inside the file",
    ),
    (
        "spec-not-json",
        "lint",
        write("spec.json", '{"openapi": "3.0.3",\n  "info": }\n'),
        "error: CK103 spec.json:2: invalid JSON: Expecting value",
    ),
    (
        "spec-not-openapi",
        "lint",
        write("spec.json", '{"title": "nope"}\n'),
        "error: CK103 spec.json: not an OpenAPI 3 or Swagger 2.0 document (no 'openapi: 3.x' or 'swagger: \"2.0\"' key)",
    ),
    (
        "unknown-aws-operation",
        "lint",
        edit("operation: ListBuckets", "operation: ListBukkets"),
        "error: CK109 registry.yaml:24: providers.aws.operations.list_buckets.operation: botocore's s3 model has no operation 'ListBukkets'",
    ),
    (
        "unknown-aws-service",
        "lint",
        edit("service: s3,", "service: s4,"),
        "error: CK108 registry.yaml:24: providers.aws.operations.list_buckets.service: botocore has no AWS service 's4'",
    ),
    (
        "missing-contract-file",
        "lint",
        delete("contract.yaml"),
        "error: CK110 registry.yaml:8: providers.widgets.contract: contract file contract.yaml does not exist",
    ),
    (
        "error-schema-invalid",
        "lint",
        lambda folder: (
            _replace(
                folder / "registry.yaml", "    spec: spec.json", "    spec: spec.json\n    error_schema: error.json"
            ),
            (folder / "error.json").write_text('{"type": "objekt"}'),
        ),
        "error: CK107 error.json: type: not a valid JSON Schema: 'objekt' is not valid under any of the given schemas",
    ),
    (
        "broken-cassette",
        "lint",
        lambda folder: (
            (folder / "cassettes" / "widgets").mkdir(parents=True),
            (folder / "cassettes" / "widgets" / "list_widgets.yaml").write_text("interactions: 5\n"),
        ),
        "error: CK112 cassettes/widgets/list_widgets.yaml:1: expected a mapping with an 'interactions' list (vcrpy format)",
    ),
    (
        "broken-contract",
        "lint",
        edit_file("contract.yaml", "operation: list_widgets", "operation: list_gadgets"),
        "error: CK113 contract.yaml:3: interactions[0].operation: operation 'list_gadgets' is not registered for provider "
        "'widgets'. did you mean 'list_widgets'?",
    ),
]


@pytest.fixture
def registry_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(DATA, folder)
    monkeypatch.chdir(folder)
    monkeypatch.delenv("CONTRACTKIT_TEST_UNSET_URL", raising=False)
    return folder


def test_the_valid_registry_lints_clean(registry_folder: Path, run_cli) -> None:
    code, out, err = run_cli("lint")
    assert (code, err) == (0, ""), out
    assert out.strip().endswith("registry.yaml: 0 errors, 3 warnings")


@pytest.mark.parametrize(("case", "command", "mutate", "expected"), CASES, ids=[case[0] for case in CASES])
def test_broken_registry_exits_2_naming_file_and_key_path(
    registry_folder: Path, run_cli, case: str, command: str, mutate, expected: str
) -> None:
    mutate(registry_folder)
    code, out, err = run_cli(command)
    assert code == 2
    assert "Traceback" not in out + err
    shown = err if err else out
    assert expected in shown.splitlines(), shown


def test_lint_json_names_every_problem(registry_folder: Path, run_cli) -> None:
    import json

    (registry_folder / "contract.yaml").unlink()
    _replace(registry_folder / "registry.yaml", "path: /widgets/{id}", "path: /widget/{id}")
    code, out, _ = run_cli("lint", "--format", "json")
    report = json.loads(out)
    assert code == 2 and report["ok"] is False
    assert {(p["code"], p["key_path"], p["line"]) for p in report["problems"] if p["level"] == "error"} == {
        ("CK104", "providers.widgets.operations.get_widget", 14),
        ("CK110", "providers.widgets.contract", 8),
    }


def test_missing_registry_names_the_folders_searched_and_suggests_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:
    (tmp_path / ".git").mkdir()  # the repository root: the search stops there
    inner = tmp_path / "services" / "billing"
    inner.mkdir(parents=True)
    monkeypatch.chdir(inner)
    code, out, err = run_cli("lint")
    assert (code, out) == (2, "")
    assert err == (
        f"error: registry.yaml: no registry.yaml in {inner}, {inner.parent}, {tmp_path} (the working folder "
        f"and each folder above it, up to the repository root). run `contracts init` to create one here, "
        f"or pass --registry PATH\n"
    )


def test_missing_registry_given_by_path_suggests_init(registry_folder: Path, run_cli) -> None:
    code, _, err = run_cli("lint", "--registry", "other.yaml")
    assert (code, err) == (
        2,
        "error: other.yaml: file not found. check --registry, or run `contracts init` to create a registry.yaml here\n",
    )


def test_wrong_flag_is_a_usage_error(registry_folder: Path, run_cli) -> None:
    code, _, err = run_cli("lint", "--formt", "json")
    assert code == 2
    assert "Error: No such option '--formt'. Did you mean '--format'?" in err and "Traceback" not in err
