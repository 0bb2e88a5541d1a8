"""The Pact core's own verdicts for the matching corpus: one V4 pact file with one interaction per case (a request
`GET /case-N`), the actual responses served from a small http.server on 127.0.0.1, and pact-python's stock
`Verifier` run once over the whole file; each interaction's result and mismatches are read from its JSON results."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator, Sequence

from tests.pact_semantics.corpus import Case

__all__ = ["Verdict", "oracle_verdicts", "pact_document"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The core's verdict on one case: whether the response satisfies the interaction, and the mismatches it gave."""

    passed: bool
    mismatches: tuple[dict[str, Any], ...]


def pact_document(cases: Sequence[Case]) -> dict[str, Any]:
    """One V4 pact with an interaction per case."""
    interactions = [
        {
            "type": "Synchronous/HTTP",
            "description": case.id,
            "key": case.id,
            "request": {"method": "GET", "path": f"/{case.id}"},
            "response": case.response,
        }
        for case in cases
    ]
    return {
        "consumer": {"name": "corpus-consumer"},
        "provider": {"name": "corpus-provider"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


def _handler(by_path: dict[str, Case]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            case = by_path.get(self.path)
            if case is None:
                self.send_error(599)
                return
            self.send_response(case.actual_status)
            for name, value in case.actual_headers:
                self.send_header(name, value)
            if case.actual_status not in (204, 304):
                self.send_header("Content-Length", str(len(case.actual_body)))
            self.end_headers()
            if case.actual_status not in (204, 304):
                self.wfile.write(case.actual_body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
            pass

    return Handler


def _serving(cases: Sequence[Case]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler({f"/{case.id}": case for case in cases}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def oracle_verdicts(cases: Sequence[Case], folder: Path) -> dict[str, Verdict]:
    """The Pact core's verdict per case id, from one Verifier run over one pact file."""
    from pact import Verifier

    pact_file = folder / "corpus-pact.json"
    pact_file.write_text(json.dumps(pact_document(cases), indent=1))
    serving = _serving(cases)
    url = next(serving)
    try:
        verifier = Verifier("corpus-provider", host="127.0.0.1").add_transport(url=url).add_source(pact_file)
        verifier.set_coloured_output(enabled=False)
        try:
            verifier.verify()
        except RuntimeError:
            pass  # a failing case makes the run fail; the per-interaction results say which
        results = verifier.results
    finally:
        next(serving, None)
    out = {}
    for item in results.get("interactionResults", []):
        mismatches = tuple((item.get("mismatch") or {}).get("mismatches") or ())
        out[item["description"]] = Verdict(item.get("result") == "OK", mismatches)
    if len(out) != len(cases):  # the core refused the pact (a matcher it cannot read, say): show why
        raise AssertionError(
            "the Pact core judged {} of {} cases:\n{}".format(
                len(out), len(cases), "\n".join(results.get("output", []))
            )
        )
    return out
