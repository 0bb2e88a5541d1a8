"""The committed pacts against the committed cassettes, judged by the Pact core: each pact interaction is paired with
the recorded interaction that answers it (as drift pairs them: the cassettes of its provider state, the replay
index's match, the cassette of the matched operation; then, as the replay server, the default cassettes), the recorded response is served from a small http.server on
127.0.0.1 exactly as the replay server renders it, and pact-python's stock `Verifier` runs over a copy of the pact
whose requests are rewritten to `GET /interaction-N` (the response, its rules and the pact's version are untouched,
so the core reads the expected response as it reads the committed pact)."""

from __future__ import annotations

import copy
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator, Sequence
from urllib.parse import urlencode

from contractkit.cassettes import IncomingRequest, InteractionIndex, RecordedInteraction, body_to_bytes, iter_cassettes
from contractkit.cassettes.drift import cassette_state, variant_states
from contractkit.cassettes.replay import render_response
from contractkit.core.model import Registry
from contractkit.pact import Pact, PactInteraction, load_pact

__all__ = ["Served", "core_verdicts", "served_interactions", "unpaired_interactions"]


@dataclass(frozen=True, slots=True)
class Served:
    """One pact interaction and the recorded response that answers it, as the server sends it."""

    provider: str
    pact_file: Path
    interaction: PactInteraction
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def id(self) -> str:
        return f"{self.provider}-{self.interaction.index}"

    @property
    def label(self) -> str:
        return f"{self.pact_file.name} interactions[{self.interaction.index}] ({self.interaction.description})"


def _incoming(item: PactInteraction) -> IncomingRequest:
    request = item.request
    query = urlencode([(key, value) for key, values in request.query.items() for value in values])
    body = request.body if request.has_body else None
    raw = json.dumps(body).encode() if isinstance(body, (dict, list)) else body_to_bytes(body)
    headers = {key.lower(): values[0] for key, values in request.headers.items() if values}
    return IncomingRequest(request.method, request.path + (f"?{query}" if query else ""), headers, raw)


def _answers(state: str, variants: set[str], states: Sequence[str]) -> bool:
    return state in states if state else not any(name in variants for name in states)


def _pairs(registry: Registry, name: str, pact: Pact) -> dict[int, RecordedInteraction]:
    """Drift's pairing; an interaction whose state's variant has no cassette of its operation then takes the default
    cassette's answer, as the replay server falls back to the default cassettes."""
    provider = registry.provider(name)
    variants = variant_states(provider)
    cassettes = list(iter_cassettes(provider.cassettes))
    out: dict[int, RecordedInteraction] = {}
    for fallback in (False, True):
        for cassette in cassettes:
            state = cassette_state(provider, cassette.path)
            if fallback and state:
                continue
            index = InteractionIndex(cassette.interactions, provider)
            for item in pact.interactions:
                if item.index in out or not (fallback or _answers(state, variants, item.state_names)):
                    continue
                match = index.match(_incoming(item))
                if match.interaction is not None and match.interaction.operation == cassette.operation:
                    out[item.index] = match.interaction
    return out


def _served(provider: str, pact_file: Path, item: PactInteraction, recorded: RecordedInteraction) -> Served:
    head, body = render_response(recorded.response)
    headers: list[tuple[str, str]] = []
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    headers.append(("Content-Length", str(len(body))))
    return Served(provider, pact_file, item, recorded.response.status, tuple(headers), body)


def _committed(registry: Registry) -> Iterator[tuple[str, Path]]:
    for name in sorted(registry.providers):
        path = registry.pact_file(name)
        if path.is_file():
            yield name, path


def served_interactions(registry: Registry) -> list[Served]:
    """Every committed pact interaction a committed cassette answers, with the response it answers with."""
    out = []
    for name, path in _committed(registry):
        pact = load_pact(path)
        pairs = _pairs(registry, name, pact)
        out.extend(_served(name, path, item, pairs[item.index]) for item in pact.interactions if item.index in pairs)
    return out


def unpaired_interactions(registry: Registry) -> list[str]:
    """The committed pact interactions no committed cassette answers."""
    out = []
    for name, path in _committed(registry):
        pact = load_pact(path)
        pairs = _pairs(registry, name, pact)
        out.extend(f"{path.name} interactions[{item.index}]" for item in pact.interactions if item.index not in pairs)
    return out


def _rewritten(served: Sequence[Served]) -> dict[str, dict[str, Any]]:
    """One pact per provider, each interaction's request `GET /<id>` and no provider states."""
    out: dict[str, dict[str, Any]] = {}
    for one in served:
        document = out.setdefault(
            one.provider, {**copy.deepcopy(json.loads(one.pact_file.read_text())), "interactions": []}
        )
        raw = copy.deepcopy(dict(one.interaction.raw))
        raw.pop("providerStates", None)
        raw.pop("providerState", None)
        raw["request"] = {"method": "GET", "path": f"/{one.id}"}
        raw["description"] = one.id
        raw.pop("key", None)
        document["interactions"].append(raw)
    return out


def _handler(by_path: dict[str, Served]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            one = by_path.get(self.path.lstrip("/"))
            if one is None:
                self.send_error(599)
                return
            head = f"HTTP/1.1 {one.status} Recorded\r\n" + "".join(
                f"{name}: {value}\r\n" for name, value in one.headers
            )
            self.wfile.write(head.encode("latin-1", "replace") + b"\r\n" + one.body)
            self.wfile.flush()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
            pass

    return Handler


def _serving(served: Sequence[Served]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler({one.id: one for one in served}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def core_verdicts(served: Sequence[Served], folder: Path) -> dict[str, tuple[bool, tuple[dict[str, Any], ...]]]:
    """The Pact core's verdict per served interaction id: passed, and the mismatches it gave."""
    from pact import Verifier

    serving = _serving(served)
    url = next(serving)
    out: dict[str, tuple[bool, tuple[dict[str, Any], ...]]] = {}
    try:
        for provider, document in _rewritten(served).items():
            pact_file = folder / f"{provider}.json"
            pact_file.write_text(json.dumps(document, indent=1))
            verifier = (
                Verifier(document["provider"]["name"], host="127.0.0.1").add_transport(url=url).add_source(pact_file)
            )
            verifier.set_coloured_output(enabled=False)
            try:
                verifier.verify()
            except RuntimeError:
                pass  # a failing interaction makes the run fail; the per-interaction results say which
            for item in verifier.results.get("interactionResults", []):
                mismatches = tuple((item.get("mismatch") or {}).get("mismatches") or ())
                out[item["description"]] = (item.get("result") == "OK", mismatches)
    finally:
        next(serving, None)
    return out
