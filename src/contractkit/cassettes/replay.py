"""Replay: answer HTTP requests on 127.0.0.1 from recorded cassettes, optionally with injected faults.

Matching, in order:
1. exact: same method, path and query (in any order); for requests with a body, the same normalised
   body and X-Amz-Target win over other candidates, and a different AWS action is never accepted
   (IAM, Cost Explorer and CloudWatch all send `POST /`);
2. by operation: the registry operation whose method and path template the request fits
   (`GET /api/dashboards/uid/abc` -> the cassette of `get_dashboard`); for AWS the botocore
   route (request URI template, X-Amz-Target or `Action`);
3. otherwise a 501 answer whose JSON body names the closest recorded interaction.

Provider states, the Pact way: a POST to STATE_CHANGE_PATH with `{"state", "params", "action"}` (what the Pact
core sends to a state-change URL; the query-string form `?state=...&action=...` too) sets a state up or tears it
down. While a state is set up, its cassette variant (`<cassettes>/states/<slug of the state>/`, or the folder given
for it) answers first, then the default cassettes; with no state set up only the default cassettes answer.

The server is a single asyncio loop in a background thread: injected latency costs a timer rather
than a blocked thread, any number of keep-alive connections share one thread, and a repeated request
is answered from a cache of matches. benchmarks/bench_replay.py measures it (and, for comparison, the
same matching behind a threaded stdlib server) with 16 concurrent clients.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import os
import random
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Coroutine, Iterable, Mapping
from urllib.parse import parse_qsl, urlsplit

from contractkit.aws import aws_action, provider_router
from contractkit.cassettes.httpserver import (
    Answer,
    ConnectionStats,
    HttpServer,
    ParsedRequest,
    ServerLimits,
    json_answer,
    reason_phrase,
)
from contractkit.cassettes.model import (
    STATES_FOLDER,
    Cassette,
    RecordedInteraction,
    RecordedResponse,
    body_to_bytes,
    iter_cassettes,
    load_cassette,
    state_slug,
)
from contractkit.core.errors import UsageError
from contractkit.core.limits import MAX_CACHED_BODY, MAX_CACHED_MATCHES, MAX_KEPT_UNMATCHED
from contractkit.core.loading import parse_json_value

if TYPE_CHECKING:
    from contractkit.core.model import Provider
    from contractkit.core.routing import OperationRouter

UNMATCHED_STATUS = 501
MAX_CACHED_INDEXES = 64  # indexes kept for combinations of provider states set up at once
STATE_CHANGE_PATH = "/_pact/state"  # the state-change URL to give a Pact verifier: origin + this path
_STATE_CHANGE_FORM = {"state": "a provider state", "params": {}, "action": "setup or teardown"}
_HOP_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "connection", "content-encoding", "keep-alive", "date"}
)


# ---------------------------------------------------------------- faults


@dataclass(frozen=True, slots=True)
class Faults:
    """Faults injected before answering: latency, throttling, 5xx and connection resets, by ratio."""

    latency: float = 0.0  # seconds added to every answer
    throttle_ratio: float = 0.0  # share of requests answered 429 with Retry-After
    retry_after: int = 1
    error_ratio: float = 0.0  # share answered with error_status
    error_status: int = 503
    reset_ratio: float = 0.0  # share whose connection is reset without an answer
    seed: int | None = None

    @property
    def is_active(self) -> bool:
        """True when any fault is configured."""
        return bool(self.latency or self.throttle_ratio or self.error_ratio or self.reset_ratio)

    @classmethod
    def from_text(cls, text: str) -> Faults:
        """Parse `latency=200ms,throttle=0.1,retry_after=2,errors=0.2,status=500,reset=0.05,seed=7`."""
        names = {
            "latency": "latency",
            "throttle": "throttle_ratio",
            "retry_after": "retry_after",
            "errors": "error_ratio",
            "status": "error_status",
            "reset": "reset_ratio",
            "seed": "seed",
        }
        values: dict[str, Any] = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            key, _, raw = item.partition("=")
            if key not in names or not raw:
                raise UsageError(f"fault {item!r} not understood (known: {', '.join(names)}; write name=value)")
            values[names[key]] = _fault_value(key, raw)
        return cls(**values)


def _fault_value(key: str, raw: str) -> float | int:
    try:
        if key == "latency":
            return float(raw[:-2]) / 1000 if raw.endswith("ms") else float(raw.rstrip("s"))
        if key in ("retry_after", "status", "seed"):
            return int(raw)
        ratio = float(raw)
    except ValueError:
        raise UsageError(f"fault {key}={raw!r}: expected a number") from None
    if not 0 <= ratio <= 1:
        raise UsageError(f"fault {key}={raw!r}: expected a ratio between 0 and 1")
    return ratio


# ---------------------------------------------------------------- matching


@dataclass(frozen=True, slots=True)
class IncomingRequest:
    """A request received by the replay server."""

    method: str
    target: str  # path and query as sent
    headers: Mapping[str, str]  # lower-cased names
    body: bytes = b""
    path: str = field(init=False)  # the request path
    query: tuple[tuple[str, str], ...] = field(init=False)  # query parameters, sorted

    def __post_init__(self) -> None:
        path, _, query = self.target.partition("?")
        object.__setattr__(self, "path", urlsplit(path).path or "/")
        object.__setattr__(self, "query", tuple(sorted(parse_qsl(query, keep_blank_values=True))) if query else ())


@dataclass(frozen=True, slots=True)
class Match:
    """The interaction that answers a request and how it was found (exact, operation, none)."""

    interaction: RecordedInteraction | None
    how: str
    closest: RecordedInteraction | None = None


def normalise_body(body: bytes | str | None, content_type: str = "") -> str:
    """A body in a form that ignores key order: JSON re-serialised sorted, forms sorted, else text."""
    data = body_to_bytes(body) if not isinstance(body, bytes) else body
    if not data:
        return ""
    text = data.decode("utf-8", "replace")
    stripped = text.lstrip()
    if stripped[:1] in "{[":
        try:
            return json.dumps(parse_json_value(text), sort_keys=True, separators=(",", ":"))
        except ValueError:
            return text
    if "x-www-form-urlencoded" in content_type or re.fullmatch(r"[\w.%~+-]+=[^\s]*", text):
        return "&".join(f"{k}={v}" for k, v in sorted(parse_qsl(text, keep_blank_values=True)))
    return text


@dataclass(frozen=True, slots=True)
class _Entry:
    interaction: RecordedInteraction
    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    body: str
    action: str
    label: str


class InteractionIndex:
    """Finds the recorded interaction for a request: exact, then by operation route, else the closest."""

    def __init__(
        self,
        interactions: Iterable[RecordedInteraction],
        provider: Provider | None = None,
        *,
        router: OperationRouter | None = None,
    ) -> None:
        self.entries = [_entry(item) for item in interactions]
        self._exact: dict[tuple[str, str, tuple[tuple[str, str], ...]], list[_Entry]] = {}
        for entry in self.entries:
            self._exact.setdefault((entry.method, entry.path, entry.query), []).append(entry)
        self._by_operation: dict[str, list[_Entry]] = {}
        for entry in self.entries:
            self._by_operation.setdefault(entry.interaction.operation, []).append(entry)
        self.router = router if router is not None else provider_router(provider) if provider is not None else None

    def match(self, request: IncomingRequest) -> Match:
        """The best interaction for the request, or none with the closest one named."""
        action = aws_action(request.headers, request.body)
        body = normalise_body(request.body, request.headers.get("content-type", ""))
        same_route = [
            e for e in self._exact.get((request.method, request.path, request.query), ()) if e.action == action
        ]
        exact = [e for e in same_route if e.body == body]
        if exact:
            return Match(exact[0].interaction, "exact")
        route = (
            self.router.match(request.method, request.path, query_keys={key for key, _ in request.query}, action=action)
            if self.router is not None
            else None
        )
        if route is not None:
            candidates = [e for e in self._by_operation.get(route.name, ()) if e.method == request.method]
            if candidates:
                return Match(_closest_query(candidates, request.query, body).interaction, "operation")
        if same_route:  # same method, path, query and action; only the body differs
            return Match(same_route[0].interaction, "operation")
        return Match(None, "none", self.closest(request))

    def closest(self, request: IncomingRequest) -> RecordedInteraction | None:
        """The recorded interaction whose method, path and query look most like the request's."""
        wanted = f"{request.method} {request.target} {aws_action(request.headers, request.body)}"
        best = max(self.entries, default=None, key=lambda e: _similarity(wanted, e.label, e.method == request.method))
        return best.interaction if best else None


def _entry(interaction: RecordedInteraction) -> _Entry:
    request = interaction.request
    parts = urlsplit(request.uri)
    headers = {name.lower(): values[0] for name, values in request.headers.items() if values}
    action = aws_action(headers, request.body)
    label = f"{request.method} {parts.path or '/'}{'?' + parts.query if parts.query else ''} {action}"
    return _Entry(
        interaction,
        request.method,
        parts.path or "/",
        tuple(sorted(request.query)),
        normalise_body(request.body, headers.get("content-type", "")),
        action,
        label,
    )


def _closest_query(entries: list[_Entry], query: tuple[tuple[str, str], ...], body: str) -> _Entry:
    wanted = set(query)
    return max(entries, key=lambda e: (e.body == body, len(wanted & set(e.query)), -len(set(e.query) ^ wanted)))


def _similarity(wanted: str, label: str, same_method: bool) -> float:
    return difflib.SequenceMatcher(None, wanted, label).ratio() + (1.0 if same_method else 0.0)


# ---------------------------------------------------------------- answers


def render_response(response: RecordedResponse) -> tuple[bytes, bytes]:
    """The status line plus headers (without Content-Length) and the body, ready to send."""
    body = response.body_bytes
    lines = [f"HTTP/1.1 {response.status} {response.reason or reason_phrase(response.status)}"]
    for name, values in response.headers.items():
        if name.lower() in _HOP_HEADERS:
            continue
        lines.extend(f"{name}: {value}" for value in values if not value.startswith("<volatile"))
    return "\r\n".join(lines).encode("latin-1", "replace"), body


def unmatched_answer(request: IncomingRequest, closest: RecordedInteraction | None) -> tuple[bytes, bytes]:
    """The JSON error for a request no cassette answers, naming the closest recorded interaction."""
    data: dict[str, Any] = {
        "error": "no recorded interaction matches this request",
        "request": f"{request.method} {request.target}",
    }
    if closest is not None:
        data["closest"] = {
            "operation": closest.operation,
            "method": closest.request.method,
            "path": closest.request.path,
            "uri": closest.request.uri,
        }
        data["hint"] = "record the request with `contracts record`, or fix the consumer's path, method or query"
    return json_answer(UNMATCHED_STATUS, data, {"X-Contractkit-Replay": "unmatched"})


# ---------------------------------------------------------------- provider states


@dataclass(frozen=True, slots=True)
class StateChange:
    """One state-change request of a Pact verifier: the provider state, setup or teardown, and its parameters."""

    state: str
    action: str
    params: Mapping[str, Any]


def parse_state_change(target: str, body: bytes) -> StateChange:
    """The state change a verifier sends: `{"state", "params", "action"}` as JSON, or the same as query parameters.

    Raises UsageError naming what is wrong; the action defaults to setup, as the Pact core's does.
    """
    if body.strip():
        try:
            data = parse_json_value(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise UsageError(f"state change: the body is not JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise UsageError('state change: expected a JSON object {"state", "params", "action"}')
    else:
        data = dict(parse_qsl(urlsplit(target).query, keep_blank_values=True))
        data = {"state": data.pop("state", None), "action": data.pop("action", None), "params": data}
    state, action, params = data.get("state"), data.get("action") or "setup", data.get("params") or {}
    if not isinstance(state, str):
        raise UsageError(f'state change: expected "state" to be a string, got {state!r}')
    if action not in ("setup", "teardown"):
        raise UsageError(f'state change: expected "action" to be setup or teardown, got {action!r}')
    if not isinstance(params, dict):
        raise UsageError(f'state change: expected "params" to be an object, got {params!r}')
    return StateChange(state, action, params)


def state_variants(
    folder: Path | None, states: Mapping[str, str | Path] | None = None
) -> dict[str, list[RecordedInteraction]]:
    """The cassette variants of provider states, keyed by slug: every `<folder>/states/<slug>/` and, keyed by the
    slug of their name, the variants `states` names (state name -> folder or cassette file), which win."""
    variants = {}
    root = folder / STATES_FOLDER if folder is not None else None
    for path in sorted(root.iterdir()) if root is not None and root.is_dir() else ():
        if path.is_dir() and not path.name.startswith("."):
            variants[path.name] = _collect(list(iter_cassettes(path)))
    for name, where in (states or {}).items():
        variants[state_slug(name)] = _collect(where)
    return variants


# ---------------------------------------------------------------- server


@dataclass(slots=True)
class ReplayStats(ConnectionStats):
    """Counters of one server run (read them after stopping, or at any time for a rough view).

    Bounded: every unmatched request is counted, the first MAX_KEPT_UNMATCHED are named.
    """

    served: int = 0
    matched_exact: int = 0
    matched_operation: int = 0
    unmatched: int = 0
    throttled: int = 0
    errors: int = 0
    resets: int = 0
    state_changes: int = 0
    unmatched_requests: list[str] = field(default_factory=list)

    def note_unmatched(self, request: IncomingRequest) -> None:
        """Count an unmatched request; name it while fewer than MAX_KEPT_UNMATCHED are named."""
        self.unmatched += 1
        if len(self.unmatched_requests) < MAX_KEPT_UNMATCHED:
            self.unmatched_requests.append(f"{request.method} {request.target[:200]}")


class ReplayServer:
    """Serve recorded interactions on 127.0.0.1 (port 0 by default) in a background thread.

    `source` is a cassette folder, a cassette file, or an iterable of cassettes or interactions;
    with only `provider` given, the provider's cassette folder is served. Use it as a context
    manager; `.url` is the base URL to point a client at (with the provider's base path).
    `limits` bounds what one client can hold (sizes, connections, timeouts); see `ServerLimits`.

    A served folder's `states/<slug>/` subfolders are the cassette variants of provider states, answering only
    while their state is set up (a POST to `.state_change_url`, or `apply_state_change`); `states` maps more
    state names to a variant folder or file (the registry's `states` key). `on_state_change(state, action,
    params)` is called, on a worker thread, for every state change POSTed to `.state_change_url` before it is
    answered: one endpoint puts every provider state in place for any number of Verifier runs.
    """

    def __init__(
        self,
        source: str | Path | Iterable[Cassette | RecordedInteraction] | None = None,
        *,
        provider: Provider | None = None,
        faults: Faults | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        limits: ServerLimits | None = None,
        router: OperationRouter | None = None,
        states: Mapping[str, str | Path] | None = None,
        on_state_change: Callable[[str, str, dict[str, Any]], object] | None = None,
    ) -> None:
        self.provider = provider
        self.on_state_change = on_state_change
        self.faults = faults or Faults()
        self.host, self.port = host, port
        self.limits = limits or ServerLimits()
        source = source if source is not None else _provider_folder(provider)
        self.interactions = _collect(source)
        self.variants = state_variants(Path(source) if isinstance(source, (str, Path)) else None, states)
        self.active_states: list[str] = []  # set up by state changes, in the order they came
        self.index = InteractionIndex(self.interactions, provider, router=router)  # the command's router, when given
        self._indexes: dict[tuple[str, ...], InteractionIndex] = {(): self.index}
        self.stats = ReplayStats()
        self._random = random.Random(self.faults.seed)
        every = [*self.interactions, *(item for variant in self.variants.values() for item in variant)]
        self._rendered = {id(item): render_response(item.response) for item in every}
        self._matches: dict[tuple[tuple[str, ...], str, str, str, bytes], Match] = {}
        self._http: HttpServer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The origin plus the provider's base path (`http://127.0.0.1:PORT/api` for Grafana)."""
        return self.origin + (self.provider.base_path if self.provider is not None else "")

    @property
    def state_change_url(self) -> str:
        """The state-change URL to give a Pact verifier (`http://127.0.0.1:PORT/_pact/state`)."""
        return self.origin + STATE_CHANGE_PATH

    def apply_state_change(self, change: StateChange) -> bool:
        """Set a provider state up or tear it down; True when the state has a cassette variant.

        Call it from the server's thread (the state-change endpoint does) or while no request is in flight.
        """
        if change.action == "setup" and change.state and change.state not in self.active_states:
            self.active_states.append(change.state)
        elif change.action == "teardown" and change.state in self.active_states:
            self.active_states.remove(change.state)
        return bool(change.state) and state_slug(change.state) in self.variants

    def _active_variants(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(slug for slug in map(state_slug, self.active_states) if slug in self.variants))

    def _index_for(self, variants: tuple[str, ...]) -> InteractionIndex:
        """The index of the variants set up (first, in the order their states came) and the default cassettes."""
        index = self._indexes.get(variants)
        if index is None:
            interactions = [*(item for slug in variants for item in self.variants[slug]), *self.interactions]
            index = InteractionIndex(interactions, self.provider, router=self.index.router)
            if len(self._indexes) < MAX_CACHED_INDEXES:
                self._indexes[variants] = index
        return index

    def __enter__(self) -> ReplayServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        """Bind and serve in a background thread; returns once the port is open.

        Raises UsageError when the address cannot be bound (a port in use, a port below 1024 without rights).
        """
        ready = threading.Event()
        failure: list[OSError] = []
        self._thread = threading.Thread(target=self._run, args=(ready, failure), name="contractkit-replay", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            reason = os.strerror(failure[0].errno) if failure[0].errno else str(failure[0])
            raise UsageError(
                f"replay server cannot listen on {self.host}:{self.port} ({reason})",
                hint="choose another --port, or 0 for a free one",
            ) from failure[0]

    def _run(self, ready: threading.Event, failure: list[OSError]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._http = HttpServer(self.handle, self.limits, stats=self.stats)
        try:
            self.port = loop.run_until_complete(self._http.listen(self.host, self.port))
        except OSError as exc:
            failure.append(exc)
            ready.set()
            loop.close()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    def serve_forever(self) -> None:
        """Serve until interrupted (Ctrl-C) in the calling thread's wait; used by `contracts replay`."""
        if self._thread is None or not self._thread.is_alive():
            self.start()
        try:
            assert self._thread is not None
            while self._thread.is_alive():
                self._thread.join(0.2)  # a short wait, so the main thread sees Ctrl-C at once
        finally:
            self.stop()

    def stop(self) -> None:
        """Close the listener and every connection, then stop the thread."""
        loop, thread, http = self._loop, self._thread, self._http
        if loop is None or thread is None or not thread.is_alive():
            return

        def shutdown() -> None:
            if http is not None:
                http.close()
            for task in asyncio.all_tasks(loop):
                task.cancel()
            loop.call_later(0.01, loop.stop)

        try:
            loop.call_soon_threadsafe(shutdown)
        except RuntimeError:  # the loop closed in the meantime
            return
        thread.join(5)

    def handle(self, request: ParsedRequest) -> Answer | Coroutine[Any, Any, Answer | None]:
        """The answer to one request, or a coroutine when a fault delays it or drops the connection (None)."""
        if urlsplit(request.target).path == STATE_CHANGE_PATH:
            return self._change_state(request)  # a verifier's control request: never delayed, never faulted
        delay, fault = self._draw_fault()
        if delay or fault:
            return self._answer_later(request, delay, fault)
        return self._answer(request)

    async def _answer_later(self, request: ParsedRequest, delay: float, fault: str) -> Answer | None:
        if delay:
            await asyncio.sleep(delay)
        if fault == "reset":
            self.stats.resets += 1
            return None
        return self._fault_answer(fault) if fault else self._answer(request)

    def _draw_fault(self) -> tuple[float, str]:
        faults = self.faults
        if not faults.is_active:
            return 0.0, ""
        roll = self._random.random()
        for ratio, name in (
            (faults.reset_ratio, "reset"),
            (faults.throttle_ratio, "throttle"),
            (faults.error_ratio, "error"),
        ):
            if roll < ratio:
                return faults.latency, name
            roll -= ratio
        return faults.latency, ""

    def _change_state(self, request: ParsedRequest) -> Answer | Coroutine[Any, Any, Answer | None]:
        if request.method != "POST":
            return json_answer(405, {"error": f"state changes are POSTed to {STATE_CHANGE_PATH}"}, {"Allow": "POST"})
        try:
            change = parse_state_change(request.target, request.body)
        except UsageError as exc:
            return json_answer(400, {"error": str(exc), "expected": _STATE_CHANGE_FORM})
        self.stats.state_changes += 1
        served = "its cassette variant" if self.apply_state_change(change) else "the default cassettes"
        # the body holds the state's values for the Pact core's provider-state generators: none
        answer = json_answer(200, {}, {"X-Contractkit-State": f"{change.action} {change.state!r}: {served}"[:200]})
        if self.on_state_change is None:
            return answer
        return self._answer_after(self.on_state_change, change, answer)

    @staticmethod
    async def _answer_after(
        handler: Callable[[str, str, dict[str, Any]], object], change: StateChange, answer: Answer
    ) -> Answer | None:
        # a handler may block (a POST, a database): on a worker thread, never on the loop
        await asyncio.to_thread(handler, change.state, change.action, dict(change.params))
        return answer

    def _fault_answer(self, fault: str) -> Answer:
        if fault == "throttle":
            self.stats.throttled += 1
            return json_answer(
                429,
                {"error": "throttled by contractkit replay (fault injection)"},
                {"Retry-After": str(self.faults.retry_after), "X-Contractkit-Fault": "throttle"},
            )
        self.stats.errors += 1
        return json_answer(
            self.faults.error_status,
            {"error": "server error injected by contractkit replay"},
            {"X-Contractkit-Fault": "error"},
        )

    def _answer(self, parsed: ParsedRequest) -> Answer:
        # the same request is usually sent again and again (verification, resilience loops): remember the match
        variants = self._active_variants()
        key = (variants, parsed.method, parsed.target, parsed.headers.get("x-amz-target", ""), parsed.body)
        match = self._matches.get(key)
        if match is None:
            index = self._index_for(variants)
            match = index.match(IncomingRequest(parsed.method, parsed.target, parsed.headers, parsed.body))
            if match.interaction is None and parsed.method == "HEAD":  # HEAD is GET without the body
                match = index.match(IncomingRequest("GET", parsed.target, parsed.headers, parsed.body))
            if len(self._matches) < MAX_CACHED_MATCHES and len(parsed.body) <= MAX_CACHED_BODY:
                self._matches[key] = match
        self.stats.served += 1
        if match.interaction is None:
            request = IncomingRequest(parsed.method, parsed.target, parsed.headers, parsed.body)
            self.stats.note_unmatched(request)
            return unmatched_answer(request, match.closest)
        if match.how == "exact":
            self.stats.matched_exact += 1
        else:
            self.stats.matched_operation += 1
        return self._rendered[id(match.interaction)]


def _provider_folder(provider: Provider | None) -> Path:
    if provider is None or provider.cassettes is None:
        raise UsageError(
            "ReplayServer needs a cassette folder, cassettes or interactions, or a provider with cassettes"
        )
    return provider.cassettes


def _collect(source: str | Path | Iterable[Cassette | RecordedInteraction]) -> list[RecordedInteraction]:
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_file():
            cassettes: Iterable[Cassette | RecordedInteraction] = [load_cassette(path)]
        elif path.is_dir():  # the provider-state variants under states/ answer only while their state is set up
            cassettes = list(iter_cassettes(path, include_states=False))
        else:
            raise UsageError(f"no cassettes at {path}", hint="record them with `contracts record`")
        if not cassettes and not (path / STATES_FOLDER).is_dir():
            raise UsageError(f"no cassettes in {path}", hint="record them with `contracts record`")
        return _collect(cassettes)
    interactions: list[RecordedInteraction] = []
    for item in source:
        if isinstance(item, Cassette):
            operation = item.operation
            interactions.extend(i if i.operation else _tag(i, operation) for i in item.interactions)
        else:
            interactions.append(item)
    return interactions


def _tag(interaction: RecordedInteraction, operation: str) -> RecordedInteraction:
    from dataclasses import replace

    return replace(interaction, operation=operation)
