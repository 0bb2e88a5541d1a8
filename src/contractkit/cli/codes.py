"""`contracts codes`: every finding code and diff rule code with its title."""

from __future__ import annotations

import json

import click

from contractkit.cli.common import ExitCode, emit, format_option


@click.command("codes")
@format_option("text", "json", "markdown")
def codes_command(output_format: str) -> int:
    """Every finding code (CK1xx-CK6xx) and breaking-change rule code (CK5xx) with what it means."""
    from contractkit.core.codes import Code
    from contractkit.diff import RULES

    rows = [(code.value, code.area, code.name.lower().replace("_", "-"), code.summary) for code in Code]
    rows += [(rule.code, "diff", rule.id, f"{rule.explanation} ({rule.level} by default)") for rule in RULES.values()]
    rows.sort()
    if output_format == "json":
        emit(json.dumps([dict(zip(("code", "area", "name", "title"), row)) for row in rows], indent=2))
    elif output_format == "markdown":
        emit(
            "\n".join(
                ["| code | area | name | title |", "| --- | --- | --- | --- |"]
                + [f"| {code} | {area} | `{name}` | {title} |" for code, area, name, title in rows]
            )
        )
    else:
        emit("\n".join(f"{code}  {area:<10} {name:<46} {title}" for code, area, name, title in rows))
    return ExitCode.OK


COMMANDS = [codes_command]
