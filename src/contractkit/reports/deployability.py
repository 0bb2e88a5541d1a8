"""can-i-deploy's answer rendered as Pact users know it: the verdict line, the matrix table, the verification
results and the broker's reason; or the broker's own JSON shape. The same for a broker's answer and git's."""

from __future__ import annotations

import json
from collections.abc import Sequence

from contractkit.broker import DeployAnswer, MatrixRow

__all__ = ["render_deploy_answer"]

_HEADINGS = ("CONSUMER", "C.VERSION", "PROVIDER", "P.VERSION", "SUCCESS?", "RESULT#")


def render_deploy_answer(answer: DeployAnswer, output_format: str = "text") -> str:
    """`text` (the table Pact's can-i-deploy prints) or `json` (the broker's matrix shape)."""
    if output_format == "json":
        return json.dumps(answer.to_dict(), indent=2, ensure_ascii=False) + "\n"
    verdict = "Computer says yes \\o/" if answer.deployable else "Computer says no ¯\\_(ツ)_/¯"
    lines = [verdict, ""]
    if answer.rows:
        lines += [*_table(answer.rows), ""]
        results = [row for row in answer.rows if row.success is not None]
        if results:
            lines += ["VERIFICATION RESULTS", "--------------------"]
            lines += [f"{n}. {_result(row)}" for n, row in enumerate(results, 1)]
            lines.append("")
    lines += [f"NOTICE: {text}" for text in answer.notices]
    lines.append(answer.reason or ("no reason given" if answer.deployable is None else ""))
    return "\n".join(lines).rstrip("\n") + "\n"


def _table(rows: Sequence[MatrixRow]) -> list[str]:
    numbered, counter = [], 0
    for row in rows:
        counter += row.success is not None
        numbered.append(
            (
                row.consumer,
                row.consumer_version,
                row.provider,
                row.provider_version or "???",
                "???" if row.success is None else str(row.success).lower(),
                str(counter) if row.success is not None else "",
            )
        )
    widths = [max(len(cell) for cell in column) for column in zip(_HEADINGS, *numbered)]
    line = lambda cells: " | ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()  # noqa: E731
    return [line(_HEADINGS), "-|-".join("-" * width for width in widths), *(line(cells) for cells in numbered)]


def _result(row: MatrixRow) -> str:
    where = row.result_url or f"{row.provider} {row.provider_version} verified {row.consumer} {row.consumer_version}"
    return f"{where} ({'success' if row.success else 'failure'})"
