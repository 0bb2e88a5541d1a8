"""The registry's own views rendered: `contracts list`'s inventory and `contracts lint`'s results, as text, JSON,
Markdown, HTML or JUnit XML."""

from __future__ import annotations

import html
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from contractkit.core.errors import format_key_path

if TYPE_CHECKING:
    from contractkit.registry import LintProblem, LintResult, ProviderInventory


def inventory_to_dict(providers: list[ProviderInventory]) -> dict[str, Any]:
    """The inventory as JSON data."""
    operations = sum(len(provider.operations) for provider in providers)
    return {
        "providers": [asdict(provider) for provider in providers],
        "summary": {"providers": len(providers), "operations": operations},
    }


_HEADER = ["provider", "operation", "call", "safe", "contract", "schema", "cassette", "pact"]


def render_inventory(providers: list[ProviderInventory], output_format: str) -> str:
    """The inventory as text, JSON, Markdown, HTML or JUnit XML."""
    if output_format == "json":
        return json.dumps(inventory_to_dict(providers), indent=2) + "\n"
    mark = {True: "yes", False: "-"}
    header = _HEADER
    rows = [
        [
            p.name,
            o.name,
            o.label,
            mark[o.safe],
            mark[o.contract],
            f"{o.schema_source}" if o.schema else "-",
            mark[o.cassette],
            mark[o.pact],
        ]
        for p in providers
        for o in p.operations
    ]
    if output_format == "html":
        return render_inventory_html(rows)
    if output_format == "junit":
        return render_inventory_junit(providers)
    if output_format == "markdown":
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [header, *rows]]
    total = sum(1 for p in providers for o in p.operations if o.kind == "operation")
    messages = sum(1 for p in providers for o in p.operations if o.kind == "message")
    lines.append(f"\n{len(providers)} providers, {total} operations" + (f", {messages} messages" if messages else ""))
    return "\n".join(lines) + "\n"


def render_inventory_html(rows: list[list[str]]) -> str:
    """The inventory as a self-contained HTML table; a missing artifact is marked."""

    def cell(text: str) -> str:
        return f"<td class='missing'>{html.escape(text)}</td>" if text == "-" else f"<td>{html.escape(text)}</td>"

    head = "".join(f"<th>{name}</th>" for name in _HEADER)
    body = "".join("<tr>" + "".join(cell(text) for text in row) + "</tr>" for row in rows)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>contracts list</title><style>"
        "body{font:14px system-ui,sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ddd;"
        "padding:3px 6px}.missing{background:#fff3cd}</style></head><body><h1>contracts list</h1>"
        f"<p>{len({row[0] for row in rows})} providers, {len(rows)} operations</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>\n"
    )


def render_inventory_junit(providers: list[ProviderInventory]) -> str:
    """The inventory as JUnit XML: a test case per operation, its artifacts as properties (nothing fails)."""
    root = ElementTree.Element(
        "testsuites", name="contracts list", tests=str(sum(len(provider.operations) for provider in providers))
    )
    for provider in providers:
        suite = ElementTree.SubElement(root, "testsuite", name=provider.name, tests=str(len(provider.operations)))
        for operation in provider.operations:
            case = ElementTree.SubElement(
                suite, "testcase", classname=f"{provider.name}.inventory", name=operation.name
            )
            properties = ElementTree.SubElement(case, "properties")
            for key in ("contract", "schema", "cassette", "pact"):
                ElementTree.SubElement(properties, "property", name=key, value=str(getattr(operation, key)).lower())
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def lint_to_dict(result: LintResult) -> dict[str, Any]:
    """Lint results as JSON data."""

    def entry(problem: LintProblem) -> dict[str, Any]:
        error = problem.error
        return {
            "code": problem.code,
            "level": "warning" if problem.is_warning else "error",
            "file": error.file,
            "line": error.line,
            "key_path": format_key_path(error.key_path),
            "message": error.describe(),
        }

    return {
        "registry": result.registry,
        "ok": not result.errors,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "problems": [entry(problem) for problem in result.problems],
    }


def render_lint(result: LintResult, output_format: str) -> str:
    """Lint results as text or JSON."""
    if output_format == "json":
        return json.dumps(lint_to_dict(result), indent=2) + "\n"
    lines = [f"{'error' if not p.is_warning else 'warning'}: {p.code} {p.error.describe()}" for p in result.problems]
    lines.append(f"{result.registry}: {len(result.errors)} errors, {len(result.warnings)} warnings")
    return "\n".join(lines) + "\n"
