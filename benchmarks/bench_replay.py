"""Replay server throughput and latency on loopback: 16 concurrent keep-alive clients, medians of several rounds.

Run: python3 benchmarks/bench_replay.py [--rounds 5] [--requests 20000] [--clients 16]
     python3 benchmarks/bench_replay.py --hostile [--rounds 5]   (the same load while hostile clients attack)
     python3 benchmarks/bench_replay.py --burst 1000 [--rounds 5]   (N connections opened at the same moment)

With --burst N each round starts `contracts replay` in a fresh process whose open-file limit is lowered to
1,024 (the usual soft limit; the hard limit is left alone), opens N connections at the same moment, sends one
request on each (Connection: close) and waits for every answer: it prints how many were answered 200 and the
time from the first connect to the last answer.

With --hostile a third process holds hostile connections open during every round: 500 idle sockets, slow
heads (one byte every 100 ms), endless headers, declared 4 GB bodies streamed, chunked bodies streamed without
end, and requests with a negative Content-Length; each reconnects as soon as the server cuts it off.

The clients run in a separate process (asyncio, raw sockets) so that they do not share the server's GIL.
For comparison the same matching is served by a threaded stdlib server (http.server.ThreadingHTTPServer),
the design the asyncio server replaced.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from contractkit.cassettes.replay import IncomingRequest, InteractionIndex, ReplayServer, render_response  # noqa: E402
from contractkit.registry import load_registry  # noqa: E402

PATHS = ["/api/search?query=example", "/api/dashboards/uid/example", "/api/dashboards/uid/abc", "/api/datasources"]


async def _client(port: int, count: int, latencies: list[float], offset: int, fresh: bool) -> None:
    connection = "close" if fresh else "keep-alive"
    requests = [
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nConnection: {connection}\r\n\r\n".encode()
        for path in PATHS
    ]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for index in range(count):
        started = time.perf_counter()
        if fresh and index:
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(requests[(index + offset) % len(requests)])
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await reader.readexactly(length)
        if not head.startswith(b"HTTP/1.1 200") and not head.startswith(b"HTTP/1.0 200"):
            raise SystemExit(f"unexpected answer: {head[:40]!r}")
        latencies.append(time.perf_counter() - started)
    writer.close()


async def _load(port: int, total: int, clients: int, fresh: bool) -> tuple[float, list[float]]:
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(_client(port, total // clients, latencies, n, fresh) for n in range(clients)))
    return time.perf_counter() - started, latencies


def _run_clients(port: int, total: int, clients: int, fresh: bool, queue: Any) -> None:
    queue.put(asyncio.run(_load(port, total, clients, fresh)))


def measure(port: int, total: int, clients: int, fresh: bool = False) -> dict[str, float]:
    """One round: requests/s, p50 and p99 in milliseconds, measured by a client process."""
    queue: Any = multiprocessing.get_context("spawn").Queue()
    process = multiprocessing.get_context("spawn").Process(
        target=_run_clients, args=(port, total, clients, fresh, queue)
    )
    process.start()
    elapsed, latencies = queue.get(timeout=300)
    process.join(30)
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


class _ThreadedReplay:
    """The same index behind http.server.ThreadingHTTPServer (HTTP/1.1 keep-alive), for comparison."""

    def __init__(self, index: InteractionIndex) -> None:
        rendered = {id(entry.interaction): render_response(entry.interaction.response) for entry in index.entries}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                match = index.match(IncomingRequest("GET", self.path, {k.lower(): v for k, v in self.headers.items()}))
                head, body = rendered[id(match.interaction)]
                self.wfile.write(head + f"\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _ThreadedReplay:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _summary(name: str, rounds: list[dict[str, float]]) -> str:
    median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    spread = ", ".join(f"{r['rps']:.0f}" for r in rounds)
    return (
        f"{name:<52} {median['rps']:>9.0f} req/s   p50 {median['p50_ms']:6.2f} ms   p99 {median['p99_ms']:6.2f} ms"
        f"   (rounds: {spread} req/s)"
    )


HOSTILE_HEADS = {
    "negative length": b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: -100000\r\n\r\n",
    "4 GB body": b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 4294967296\r\n\r\n",
    "chunked without end": b"POST /api/search HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
    "endless header": b"GET /api/search HTTP/1.1\r\nHost: x\r\nX-Endless: ",
    "slow head": b"GET /api/search HTTP/1.1\r\nHost: x\r\n",
}


async def _hostile_client(port: int, kind: str, counts: dict[str, int]) -> None:
    """One hostile client, reconnecting whenever the server cuts it off."""
    filler = {
        "4 GB body": b"x" * 65536,
        "chunked without end": b"10000\r\n" + b"x" * 65536 + b"\r\n",
        "endless header": b"a" * 4096,
    }.get(kind, b"")
    while True:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(HOSTILE_HEADS[kind] if kind != "slow head" else b"G")
            counts[kind] = counts.get(kind, 0) + 1
            for byte in HOSTILE_HEADS[kind][1:] if kind == "slow head" else iter(int, 1):
                if kind == "slow head":
                    writer.write(bytes([byte]))
                    await asyncio.sleep(0.1)
                elif filler:
                    writer.write(filler)
                    await writer.drain()
                else:
                    await reader.read(65536)  # the 400 answer, then the close
                    await asyncio.sleep(0.01)
                    break
                if reader.at_eof():
                    break
            writer.close()
        except (ConnectionError, OSError):
            await asyncio.sleep(0.01)


async def _hostile_load(port: int, idle: int, stop: Any, counts: dict[str, int]) -> None:
    sockets = [await asyncio.open_connection("127.0.0.1", port) for _ in range(idle)]
    counts["idle sockets"] = len(sockets)
    tasks = [asyncio.create_task(_hostile_client(port, kind, counts)) for kind in HOSTILE_HEADS for _ in range(2)]
    while not stop.is_set():
        await asyncio.sleep(0.1)
    for task in tasks:
        task.cancel()


def _run_hostile(port: int, idle: int, stop: Any, queue: Any) -> None:
    counts: dict[str, int] = {}
    asyncio.run(_hostile_load(port, idle, stop, counts))
    queue.put(counts)


def measure_under_attack(
    server: ReplayServer, rounds: int, total: int, clients: int
) -> tuple[list[dict[str, float]], dict[str, int]]:
    """Rounds of keep-alive load while a separate process keeps hostile connections open."""
    context = multiprocessing.get_context("spawn")
    stop, queue = context.Event(), context.Queue()
    attacker = context.Process(target=_run_hostile, args=(server.port, 500, stop, queue))
    attacker.start()
    time.sleep(2.0)  # let the idle sockets and attackers connect
    try:
        results = [measure(server.port, total, clients) for _ in range(rounds)]
    finally:
        stop.set()
        counts = queue.get(timeout=60)
        attacker.join(30)
    return results, counts


def main_hostile(args: argparse.Namespace, provider: Any) -> None:
    """The keep-alive load with hostile clients attacking, and what the server refused or cut off."""
    with ReplayServer(provider=provider) as server:
        measure(server.port, 1000, args.clients)  # warm-up
        rounds, counts = measure_under_attack(server, args.rounds, args.requests, args.clients)
        stats = server.stats
        assert stats.unmatched == 0
    print(_summary("asyncio ReplayServer, keep-alive, under attack", rounds))
    print("hostile connections opened: " + ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items())))
    print(
        f"server: {stats.rejected} refused (400/413/431/501), {stats.timed_out} timed out, {stats.evicted} evicted, "
        f"peak {stats.peak_connections} connections, {stats.accept_failures} accept failures"
    )


BURST_SOFT_LIMIT = 1024  # the usual soft RLIMIT_NOFILE the server process starts with


def _lower_open_file_limit() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(BURST_SOFT_LIMIT, hard), hard))


def _start_replay_process() -> tuple[subprocess.Popen[bytes], int]:
    """`contracts replay --provider grafana` in a fresh process under a soft open-file limit of 1,024."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from contractkit.cli import run; run()",
            "replay",
            "--registry",
            str(ROOT / "registry.yaml"),
            "--provider",
            "grafana",
        ],
        stderr=subprocess.PIPE,
        cwd=ROOT,
        preexec_fn=_lower_open_file_limit,
        env={**os.environ, "PACT_DO_NOT_TRACK": "true", "PYTHONPATH": str(ROOT / "src")},
    )
    assert process.stderr is not None
    for _ in range(50):
        line = process.stderr.readline().decode()
        if "replaying" in line:
            return process, int(line.split("127.0.0.1:")[1].split("/")[0])
    process.kill()
    raise SystemExit(f"the replay server did not start: {line!r}")


async def _burst_client(port: int, request: bytes, start: asyncio.Event) -> bool:
    """One connection of the burst: True when it is answered 200."""
    await start.wait()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(request)
        answer = await asyncio.wait_for(reader.read(), 120)  # Connection: close, so read to the end
        writer.close()
    except (ConnectionError, OSError, asyncio.TimeoutError):
        return False
    return answer.startswith(b"HTTP/1.1 200 ")


async def _burst(port: int, count: int) -> tuple[int, float]:
    request = b"GET /api/search?query=example HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    start = asyncio.Event()
    tasks = [asyncio.create_task(_burst_client(port, request, start)) for _ in range(count)]
    await asyncio.sleep(0.1)  # every task waits on the event, so they all connect in the same loop iteration
    started = time.perf_counter()
    start.set()
    answered = sum(await asyncio.gather(*tasks))
    return answered, time.perf_counter() - started


def main_burst(args: argparse.Namespace) -> None:
    """N connections at once against a fresh `contracts replay` process per round: answered, and the time."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the clients' own sockets
    rounds = []
    for _ in range(args.rounds):
        process, port = _start_replay_process()
        try:
            rounds.append(asyncio.run(_burst(port, args.burst)))
        finally:
            process.terminate()
            process.wait(30)
    answered = statistics.median(r[0] for r in rounds)
    seconds = statistics.median(r[1] for r in rounds)
    print(
        f"burst of {args.burst} connections against `contracts replay` (soft open-file limit {BURST_SOFT_LIMIT}, "
        f"hard {hard}), {args.rounds} rounds, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"answered 200: median {answered:.0f} of {args.burst} (rounds: {', '.join(str(r[0]) for r in rounds)})")
    print(f"time to the last answer: median {seconds:.2f} s (rounds: {', '.join(f'{r[1]:.2f}' for r in rounds)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--skip-threaded", action="store_true")
    parser.add_argument("--hostile", action="store_true", help="Measure keep-alive load under attack only.")
    parser.add_argument("--burst", type=int, default=0, metavar="N", help="Measure N connections opened at once only.")
    args = parser.parse_args()
    if args.burst:
        main_burst(args)
        return
    provider = load_registry(ROOT / "registry.yaml", environ={}).provider("grafana")
    if args.hostile:
        main_hostile(args, provider)
        return
    print(
        f"replay benchmark: {args.clients} concurrent keep-alive clients, {args.requests} requests per round, "
        f"{args.rounds} rounds, Python {sys.version.split()[0]}"
    )
    for fresh in (False, True):
        mode = "new connection per request" if fresh else "keep-alive"
        total = args.requests // 4 if fresh else args.requests
        with ReplayServer(provider=provider) as server:
            measure(server.port, 1000, args.clients, fresh)  # warm-up
            rounds = [measure(server.port, total, args.clients, fresh) for _ in range(args.rounds)]
            assert server.stats.unmatched == 0
        print(_summary(f"asyncio ReplayServer, {mode}", rounds))
        if not args.skip_threaded:
            index = InteractionIndex(ReplayServer(provider=provider).interactions, provider)
            with _ThreadedReplay(index) as threaded:
                port = threaded.server.server_address[1]
                measure(port, 1000, args.clients, fresh)
                rounds = [measure(port, total, args.clients, fresh) for _ in range(args.rounds)]
            print(_summary(f"threaded stdlib, {mode}", rounds))


if __name__ == "__main__":
    main()
