"""Recording the corpus live and measuring it: record, re-record, record with the provider down; then what leaked
into cassettes and reports, which look-alikes did not survive, and what `contracts scan` flags on unscrubbed
copies; per split (tune: two thirds, holdout: one third, by a stable hash of each case's id).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import html
import io
import json
import logging
import re
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import quote, unquote, unquote_plus

import yaml
from shape_credentials import credential_cases
from shape_lookalikes import lookalike_cases
from shape_project import environ, provider_auth, routes, write_project, write_unscrubbed
from shape_secrets import secret_cases
from shape_wire import LOOKALIKE, SECRET, Bucket, Case, buckets_of

RunCli = Callable[..., tuple[int, str, str]]
SPLITS = ("tune", "holdout", "all")
_B64_RUN = re.compile(r"[A-Za-z0-9+/_=\-\r\n]{16,}")
_FRAGMENT = re.compile(r"[A-Za-z0-9]{10,}")


def build_corpus() -> list[Case]:
    """Every case: secrets (vendor formats, layers, names, schemes, the run's credentials) and look-alikes."""
    cases = secret_cases() + credential_cases() + lookalike_cases()
    ids = [case.id for case in cases]
    assert len(set(ids)) == len(ids), "case ids are unique"
    return cases


def holdout_ids(cases: list[Case]) -> list[str]:
    return sorted(case.id for case in cases if case.split == "holdout")


# ---------------------------------------------------------------- decoding what was written


def _decoded_bytes(data: bytes) -> Iterator[str]:
    """The texts bytes may hold: as they are, or gzip/zlib/raw-deflate decompressed, in UTF-8, UTF-16 or UTF-32."""
    candidates = [data]
    for decompress in (gzip.decompress, zlib.decompress, lambda b: zlib.decompress(b, -15)):
        try:
            candidates.append(decompress(data))
        except (OSError, zlib.error, EOFError):
            continue
    for candidate in candidates:
        for encoding in ("utf-8", "utf-16", "utf-32"):
            try:
                yield candidate.decode(encoding)
            except UnicodeDecodeError:
                continue


def _base64_texts(text: str) -> Iterator[str]:
    for run in _B64_RUN.findall(text):
        compact = re.sub(r"[\r\n]", "", run)
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                raw = decode(compact + "=" * (-len(compact) % 4))
            except (binascii.Error, ValueError):
                continue
            yield from (t for t in _decoded_bytes(raw) if t.isprintable() or "\n" in t)


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)
    elif isinstance(value, str):
        yield value


def derived_texts(text: str, depth: int = 3) -> list[str]:
    """A text with every layer a secret could hide under peeled off: URL, HTML and JSON escapes, the strings of
    a JSON document, base64 (also wrapped), compression and UTF-16/32, recursively."""
    found = [text]
    for peeled in {unquote(text), unquote_plus(text), html.unescape(text)} - {text}:
        found += derived_texts(peeled, depth - 1) if depth > 0 else [peeled]
    try:
        strings = [item for item in _json_strings(json.loads(text)) if item != text]
    except ValueError:
        strings = []
    if depth <= 0:
        return found + strings
    for item in strings:
        found += derived_texts(item, depth - 1)
    for decoded in _base64_texts(text):
        found += derived_texts(decoded, depth - 1)
    return found


def cassette_texts(path: Path) -> list[str]:
    """Every text a cassette holds, decoded: the file, each string and binary value, each JSON body's strings."""
    raw = path.read_bytes()
    texts = derived_texts(raw.decode("utf-8", "replace"))
    stack: list[Any] = [yaml.safe_load(raw)]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, bytes):
            for text in _decoded_bytes(value):
                texts += derived_texts(text)
        elif isinstance(value, str) and len(value) > 8:
            texts += derived_texts(value)
    return texts


def literal_texts(path: Path) -> list[str]:
    """What a cassette holds at the layer each value lives in, no escape peeled: the file, its YAML strings,
    binary bodies decompressed and decoded, and the strings of JSON bodies. A look-alike must be found here
    exactly as it was sent."""
    raw = path.read_bytes()
    texts = [raw.decode("utf-8", "replace")]
    stack: list[Any] = [yaml.safe_load(raw)]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, bytes):
            texts += list(_decoded_bytes(value))
        elif isinstance(value, str):
            texts.append(value)
    for text in list(texts):
        try:
            texts += list(_json_strings(json.loads(text)))
        except ValueError:
            continue
    return texts


# ---------------------------------------------------------------- judging one case


def secret_forms(case: Case) -> set[str]:
    """Every form in which a secret would be recognised: its core, its random fragments, the forms it was sent
    in, and their base64, percent, JSON and HTML encodings."""
    forms = {case.core, *case.forms, *_FRAGMENT.findall(case.core)}
    for form in list(forms):
        forms |= {
            base64.b64encode(form.encode()).decode().rstrip("="),
            base64.urlsafe_b64encode(form.encode()).decode().rstrip("="),
            quote(form, safe=""),
            json.dumps(form)[1:-1],
            html.escape(form),
        }
    return {form for form in forms if len(form) >= 10 or (form == case.core and len(form) >= 6)}


def leaked_in(case: Case, haystack: str) -> list[str]:
    return sorted(form for form in secret_forms(case) if form in haystack)


def survived_in(case: Case, haystack: str) -> bool:
    return case.core in haystack


# ---------------------------------------------------------------- the run


@dataclass
class Outcome:
    """What happened to the corpus: failing case ids per check."""

    cases: list[Case]
    leaked_cassette: dict[str, list[str]] = field(default_factory=dict)
    leaked_report: dict[str, list[str]] = field(default_factory=dict)
    false_scrubbed: list[str] = field(default_factory=list)
    scan_flagged: set[str] = field(default_factory=set)
    blind: list[str] = field(default_factory=list)  # cases the checks could not see even unscrubbed
    schema_breaks: list[str] = field(default_factory=list)  # operations whose recorded answer broke the description
    scrubbed_flagged: set[str] = field(default_factory=set)  # scrubbed cassettes scan still flags
    errors: list[str] = field(default_factory=list)  # runs that ended in exit 2 (bad input or a bug), their output
    exit_codes: dict[str, list[int]] = field(default_factory=dict)

    def figures(self) -> dict[str, dict[str, Any]]:
        """Per split: counts and the failing ids."""
        table = {}
        for split in SPLITS:
            mine = [c for c in self.cases if split == "all" or c.split == split]
            secrets = [c.id for c in mine if c.kind == SECRET]
            alikes = [c.id for c in mine if c.kind == LOOKALIKE]
            table[split] = {
                "secrets": len(secrets),
                "lookalikes": len(alikes),
                "leaked_cassettes": sorted(i for i in secrets if i in self.leaked_cassette),
                "leaked_reports": sorted(i for i in secrets if i in self.leaked_report),
                "false_scrubbed": sorted(i for i in alikes if i in self.false_scrubbed),
                "scan_flagged": len([i for i in secrets if i in self.scan_flagged]),
                "scan_missed": sorted(i for i in secrets if i not in self.scan_flagged),
                "scan_false_flags": sorted(i for i in alikes if i in self.scan_flagged),
            }
        return table


def _record(run_cli: RunCli, registry: Path, provider: str, out: Path, fmt: str) -> tuple[int, str]:
    code, stdout, stderr = run_cli(
        "record", "--registry", str(registry), "--provider", provider, "--live", "--format", fmt, "--output", str(out)
    )
    return code, stdout + stderr + (out.read_text(errors="replace") if out.exists() else "")


def _rerecord(run_cli: RunCli, registry: Path, out: Path, fmt: str) -> tuple[int, str]:
    code, stdout, stderr = run_cli("rerecord", "--registry", str(registry), "--format", fmt, "--output", str(out))
    return code, stdout + stderr + (out.read_text(errors="replace") if out.exists() else "")


@contextmanager
def _captured_logs() -> Iterator[io.StringIO]:
    """Every log record of the run (urllib3 and vcrpy log request lines, queries included), at DEBUG."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _schema_breaks(report: Path, provider: str) -> list[str]:
    """The operations whose recorded response no longer validates against the corpus description (CK310)."""
    if not report.is_file():
        return []
    rows = json.loads(report.read_text())["results"]
    return sorted(
        f"{provider}/{row['operation']}: {finding['message']}"
        for row in rows
        for finding in row["findings"]
        if finding["code"] == "CK310"
    )


def _flagged_files(report_text: str, errors: str) -> set[str]:
    """The cassettes (by file stem: the case id or the operation) scan flagged. Taken from the row, not from the
    finding's location: a report may mask part of a path that looks like a key."""
    try:
        rows = json.loads(report_text)["results"]
    except ValueError as exc:
        raise AssertionError(f"contracts scan printed no JSON report: {report_text[:500]!r} {errors[:2000]!r}") from exc
    return {
        str(row["operation"])
        for row in rows
        if any(finding["code"] in ("CK320", "CK321") for finding in row["findings"])
    }


def run_corpus(root: Path, run_cli: RunCli, server_factory: Callable[[], Any]) -> Outcome:
    """Record the corpus live (`record --live` per provider), re-record it (`rerecord`), then record and
    re-record with the provider down; check cassettes, reports and logs; scan an unscrubbed copy. The caller
    has put `environ()` into the environment."""
    cases = build_corpus()
    buckets = buckets_of(cases)
    outcome = Outcome(cases)
    reports: list[str] = []
    cassettes: dict[str, list[tuple[str, str]]] = {}
    with _captured_logs() as logs:
        with server_factory() as server:
            for path, answer in routes(buckets).items():
                server.route(path, answer)
            registry = write_project(root / "project", server.url, buckets)
            for provider in provider_auth():
                _note(
                    outcome, reports, "record", _record(run_cli, registry, provider, root / f"{provider}.json", "json")
                )
                outcome.schema_breaks += _schema_breaks(root / f"{provider}.json", provider)
            _read_cassettes(registry, buckets, cassettes)
            _note(outcome, reports, "rerecord", _rerecord(run_cli, registry, root / "rerecord.md", "markdown"))
            _read_cassettes(registry, buckets, cassettes)
            base_url = server.url
        for provider in provider_auth():  # the provider is down now: the recording fails, its report must be clean
            result = _record(run_cli, registry, provider, root / f"down-{provider}.txt", "text")
            _note(outcome, reports, "record-down", result)
        _note(outcome, reports, "rerecord-down", _rerecord(run_cli, registry, root / "rerecord-down.json", "json"))
    reports.append(logs.getvalue())
    _read_cassettes(registry, buckets, cassettes)
    outcome.scrubbed_flagged = _scan(run_cli, registry, reports)
    _judge(outcome, buckets, cassettes, reports)
    operation_of = {case.id: bucket.operation for bucket in buckets for case in bucket.cases}
    copy = write_unscrubbed(root / "unscrubbed", registry, base_url, cases, operation_of)
    outcome.blind = _blind_cases(copy.parent, cases)
    outcome.scan_flagged = _scan(run_cli, copy, [])
    return outcome


def _note(outcome: Outcome, reports: list[str], run: str, result: tuple[int, str]) -> None:
    """Keep a run's exit code and printed text; a run that ended in exit 2 is an error of its own."""
    code, text = result
    outcome.exit_codes.setdefault(run, []).append(code)
    outcome.errors += [text[-4000:]] if code == 2 else []
    reports.append(text)


def _scan(run_cli: RunCli, registry: Path, reports: list[str]) -> set[str]:
    """The cassettes `contracts scan` flags; its printed text joins the reports checked for leaks."""
    _, out, err = run_cli("scan", "--registry", str(registry), "--format", "json")
    reports += [out, err]
    return _flagged_files(out, err)


def _read_cassettes(registry: Path, buckets: list[Bucket], into: dict[str, list[tuple[str, str]]]) -> None:
    """Each operation's cassette as it is now: (every decoded text, the literal texts)."""
    for bucket in buckets:
        path = registry.parent / "cassettes" / bucket.provider / f"{bucket.operation}.yaml"
        key = f"{bucket.provider}/{bucket.operation}"
        texts = ("\n".join(cassette_texts(path)), "\n".join(literal_texts(path))) if path.is_file() else ("", "")
        into.setdefault(key, []).append(texts)


def _judge(
    outcome: Outcome, buckets: list[Bucket], cassettes: dict[str, list[tuple[str, str]]], reports: list[str]
) -> None:
    report_text = "\n".join(t for text in reports for t in derived_texts(text, 1))
    for bucket in buckets:
        recorded = cassettes[f"{bucket.provider}/{bucket.operation}"]
        for case in bucket.cases:
            if case.kind == SECRET:
                leaks = sorted({form for text, _ in recorded for form in leaked_in(case, text)})
                if leaks:
                    outcome.leaked_cassette[case.id] = leaks
                if found := leaked_in(case, report_text):
                    outcome.leaked_report[case.id] = found
            elif not all(literal and survived_in(case, literal) for _, literal in recorded):
                outcome.false_scrubbed.append(case.id)


def _blind_cases(root: Path, cases: list[Case]) -> list[str]:
    """The cases whose secret the leak check would not find, or whose look-alike it would not see, in their own
    unscrubbed cassette: a check that is blind there would pass whatever the recorder did."""
    blind = []
    for case in cases:
        path = root / "cassettes" / case.provider / f"{case.id}.yaml"
        if case.kind == SECRET:
            seen = bool(leaked_in(case, "\n".join(cassette_texts(path))))
        else:
            seen = survived_in(case, "\n".join(literal_texts(path)))
        if not seen:
            blind.append(case.id)
    return blind


def _families(outcome: Outcome) -> list[str]:
    """Counts per family of cases (the id's first word), both splits together."""
    rows: dict[str, list[int]] = {}
    for case in outcome.cases:
        row = rows.setdefault(case.id.split("-", 1)[0], [0, 0, 0, 0])
        row[0] += 1
        row[1] += case.id in outcome.leaked_cassette or case.id in outcome.leaked_report
        row[2] += case.id in outcome.false_scrubbed
        row[3] += case.kind == SECRET and case.id not in outcome.scan_flagged
    return ["by family (both splits): family cases leaked false-scrubbed scan-missed"] + [
        f"  {family:12} {total:4} {leaked:4} {scrubbed:4} {missed:4}"
        for family, (total, leaked, scrubbed, missed) in sorted(rows.items())
    ]


def format_figures(outcome: Outcome, *, ids: bool = True, holdout: bool = False) -> str:
    """The figures as text: per split, counts, then the failing ids of the tune split (and of the held-out third
    and the schema breaks, which name fields of either, only when asked)."""
    lines = []
    for split, row in outcome.figures().items():
        lines.append(
            f"{split:8} secrets {row['secrets']:4}  leaked into cassettes {len(row['leaked_cassettes']):4}  "
            f"into reports and logs {len(row['leaked_reports']):3}  | look-alikes {row['lookalikes']:4}  "
            f"false-scrubbed {len(row['false_scrubbed']):3}  | scan flagged {row['scan_flagged']:4}/{row['secrets']}  "
            f"scan flagged look-alikes {len(row['scan_false_flags']):3}"
        )
    if ids:
        tune = outcome.figures()["tune"]
        for key in ("leaked_cassettes", "leaked_reports", "false_scrubbed", "scan_missed", "scan_false_flags"):
            lines.append(f"tune {key}: {', '.join(tune[key]) or '-'}")
        if holdout:
            held = outcome.figures()["holdout"]
            for key in ("leaked_cassettes", "leaked_reports", "false_scrubbed", "scan_missed", "scan_false_flags"):
                lines.append(f"holdout {key}: {', '.join(held[key]) or '-'}")
        else:
            lines.append("holdout: ids not listed (tune on the tune split only)")
    lines += _families(outcome)
    lines.append(f"operations whose recorded answer breaks the description: {len(outcome.schema_breaks)}")
    flagged = ", ".join(sorted(outcome.scrubbed_flagged)) if ids else ""
    lines.append(f"scrubbed cassettes scan still flags: {len(outcome.scrubbed_flagged)} {flagged}".rstrip())
    if holdout:
        lines += [f"  {item}" for item in outcome.schema_breaks]
    lines.append(f"record exit codes: {outcome.exit_codes}; cases the checks cannot see: {outcome.blind or 'none'}")
    return "\n".join(lines)


__all__ = ["build_corpus", "environ", "format_figures", "holdout_ids", "run_corpus"]
