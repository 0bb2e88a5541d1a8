"""`contracts diff` and `contracts gate` as one self-contained HTML page: summary first, breaking changes first."""

from __future__ import annotations

import re
from pathlib import Path

from contractkit.cli import main

DATA = Path(__file__).resolve().parent / "data"


def test_diff_html_lists_every_distinct_change_breaking_first(tmp_path: Path) -> None:
    out = tmp_path / "diff.html"
    code = main(
        ["diff", str(DATA / "openapi31-old.yaml"), str(DATA / "openapi31-new.yaml"), "--format", "html", "-o", str(out)]
    )
    assert code == 1
    page = out.read_text()
    assert page.startswith("<!doctype html>") and "<script>" in page
    assert not re.search(r"(src|href)=['\"]https?:", page)  # self-contained: nothing fetched from elsewhere
    verdicts = re.findall(r"<tr data-verdict='(\w+)'", page)
    assert (
        verdicts.count("breaking") == 14 and verdicts.count("warning") == 1 and verdicts.count("info") == 1
    )  # const: one change
    assert verdicts == sorted(verdicts, key=["breaking", "warning", "info"].index)
    assert page.index("Summary: 14 breaking") < page.index("<table>")
    assert "CK567" in page and "minContains 1 -&gt; 2" in page
