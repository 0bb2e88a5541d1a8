"""Diff and gate results as one self-contained HTML page: the summary first, then every distinct change,
failing ones first, each with its rule, code, verdict, where it is and why; filters by verdict and provider."""

from __future__ import annotations

import html
from collections.abc import Sequence

from contractkit.diff import ChangeGroup

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d2330;background:#f7f8fa}
h1{font-size:20px;margin:0 0 12px}pre{background:#fff;border:1px solid #dde1e8;padding:10px;overflow:auto}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #dde1e8;padding:6px 8px;
text-align:left;vertical-align:top}th{background:#eef1f5}.verdict{font-weight:600;text-transform:uppercase}
.v-breaking,.v-block{color:#b3261e}.v-warning,.v-warn{color:#8a5a00}.v-accepted{color:#1f6f43}.v-info{color:#5b6270}
.controls{margin:12px 0}.controls label{margin-right:14px}.note{color:#5b6270}
"""

_SCRIPT = """
function filter(){const v=document.getElementById('verdict').value,p=document.getElementById('provider').value;
for(const r of document.querySelectorAll('tbody tr')){const ok=(!v||r.dataset.verdict===v)&&(!p||r.dataset.provider===p);
r.style.display=ok?'':'none';}}
"""

_ORDER = {"block": 0, "breaking": 0, "warn": 1, "warning": 1, "accepted": 2, "info": 3}


def render_changes_html(
    title: str,
    summary: Sequence[str],
    rows: Sequence[tuple[str, str, ChangeGroup, str]],
    notes: Sequence[str] = (),
    *,
    shown: int | None = 8,
) -> str:
    """A page for `contracts diff --format html` and `contracts gate --format html`.

    `rows` are (verdict, provider, group, note): one distinct change, the operations that reach it (the first
    `shown` named, every one when None), and for the gate why it was judged so (who observes it, the ledger
    entry that accepts it)."""
    ordered = sorted(rows, key=lambda row: (_ORDER.get(row[0], 4), row[1], row[2].rule))
    verdicts = sorted({row[0] for row in rows}, key=lambda verdict: _ORDER.get(verdict, 4))
    providers = sorted({row[1] for row in rows if row[1]})
    body = [f"<h1>{_e(title)}</h1>", f"<pre>{_e(chr(10).join(summary))}</pre>"]
    body += [f"<p class='note'>note: {_e(note)}</p>" for note in notes]
    body.append(
        "<div class='controls'>"
        + _select("verdict", verdicts)
        + (_select("provider", providers) if providers else "")
        + "</div>"
    )
    body.append(
        "<table><thead><tr><th>verdict</th><th>rule</th><th>code</th><th>where</th><th>what changed</th>"
        "</tr></thead><tbody>"
    )
    body += [_row(*row, shown) for row in ordered]
    body.append("</tbody></table>" + ("" if rows else "<p>no changes</p>"))
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{_e(title)}</title>"
        f"<style>{_CSS}</style></head><body>{''.join(body)}<script>{_SCRIPT}</script></body></html>\n"
    )


def _row(verdict: str, provider: str, group: ChangeGroup, note: str, shown: int | None) -> str:
    change = group.changes[0]
    operations = group.operations
    where = f"in {group.where}, reached by {len(operations)} operations" if group.shared else change.operation
    named = operations if shown is None else operations[:shown]
    more = f" and {len(operations) - len(named)} more" if len(operations) > len(named) else ""
    reach = "" if not group.shared else "<br><span class='note'>" + _e(", ".join(named)) + more + "</span>"
    return (
        f"<tr data-verdict='{_e(verdict)}' data-provider='{_e(provider)}'>"
        f"<td class='verdict v-{_e(verdict)}'>{_e(verdict)}</td><td>{_e(group.rule)}</td><td>{_e(group.code)}</td>"
        f"<td>{_e((provider + ': ') if provider else '')}{_e(where)}<br><code>{_e(change.location)}</code>{reach}</td>"
        f"<td>{_e(group.message)}{'<br><span class=note>' + _e(note) + '</span>' if note else ''}</td></tr>"
    )


def _select(name: str, values: Sequence[str]) -> str:
    options = "".join(f"<option value='{_e(value)}'>{_e(value)}</option>" for value in values)
    return (
        f"<label>{name} <select id='{name}' onchange='filter()'><option value=''>all</option>{options}</select></label>"
    )


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


__all__ = ["render_changes_html"]
