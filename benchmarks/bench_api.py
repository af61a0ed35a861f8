"""Load benchmark of the service: concurrent clients on loopback reading disclosure-protected counts.

`zicht serve` runs in its own process (one uvicorn worker) on 127.0.0.1; the clients run here as
asyncio tasks on one httpx connection pool. The comparison is warmed first (its cold time is reported
separately), then every client sends a bounded number of requests; the requests rotate over the
14 Twente gemeenten as `within=` so several cached bodies are read. For contrast, the same load is sent
to an open read endpoint that hits the database on every request (the definitions list). Two kinds of
load: *paced* clients (each starts a request every `--interval` seconds: latency at a given request
rate) and clients sending *back to back* (saturation: throughput, and latency that is mostly queueing,
≈ clients / throughput). Output: one table with p50/p95/p99 latency, throughput and errors per scenario.

    python benchmarks/bench_api.py                        # the Twente demo store (built on first use)
    python benchmarks/bench_api.py --store STORE --clients 50 --requests 40
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

TWENTE = ["GM0141", "GM0147", "GM0153", "GM0158", "GM0163", "GM0164", "GM0168", "GM0173", "GM0183", "GM0189",
          "GM1700", "GM1735", "GM1742", "GM1774"]
DEFINITIONS = "ggz-specialised-12m,e33-12m"
DATE = "2024-12-31"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(store: Path, db: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "zicht", "serve", "--store", str(store), "--db", f"sqlite:///{db}",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start within 120 s")


async def _load(base: str, make_url, clients: int, requests: int, interval: float = 0.0) -> dict[str, object]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        async def one_client(c: int) -> None:
            nonlocal errors
            # Paced clients start their requests every `interval` seconds (phases spread over the interval);
            # unpaced clients send the next request as soon as the previous one is answered (saturation).
            first = time.perf_counter() + interval * c / clients
            for i in range(requests):
                if interval:
                    await asyncio.sleep(max(0.0, first + i * interval - time.perf_counter()))
                started = time.perf_counter()
                try:
                    r = await client.get(make_url(c, i))
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok

        started = time.perf_counter()
        await asyncio.gather(*(one_client(c) for c in range(clients)))
        wall = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": errors, "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000,
            "p99_ms": q[98] * 1000, "req_per_s": len(latencies) / wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, help="Harmonised store (default: the Twente demo store).")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40, help="Requests per client (bounded load).")
    parser.add_argument("--interval", type=float, default=0.5, help="Seconds between the requests of one paced client.")
    args = parser.parse_args()

    from zicht.api.demo import resolve_store

    store = resolve_store(args.store)
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        proc = _start_server(store, Path(tmp) / "bench.db", port)
        base = f"http://127.0.0.1:{port}/api/v1"
        try:
            counts = f"/counts?definitions={DEFINITIONS}&date={DATE}&level=wijk"
            started = time.perf_counter()
            cold = httpx.get(base + counts, timeout=600)
            cold_s = time.perf_counter() - started
            if cold.status_code != 200:
                raise SystemExit(f"warm-up failed: {cold.status_code} {cold.text[:300]}")
            for g in TWENTE:  # warm the per-gemeente bodies too (cheap: the comparison is cached)
                httpx.get(f"{base}{counts}&within={g}", timeout=60).raise_for_status()
            within = lambda c, i: f"{counts}&within={TWENTE[(c + i) % len(TWENTE)]}"
            n, k = args.clients, args.requests
            rate = n / args.interval
            rows = [
                (f"counts wijk, one gemeente (cached), {n} paced clients, {rate:.0f} req/s offered",
                 asyncio.run(_load(base, within, n, k, args.interval))),
                (f"counts wijk, all Twente (cached), {n} paced clients, {rate:.0f} req/s offered",
                 asyncio.run(_load(base, lambda c, i: counts, n, k, args.interval))),
                (f"counts wijk, one gemeente (cached), {n} clients back to back (saturation)", asyncio.run(_load(base, within, n, k))),
                (f"counts wijk, all Twente (cached), {n} clients back to back (saturation)",
                 asyncio.run(_load(base, lambda c, i: counts, n, k))),
                (f"definitions list (database read), {n} clients back to back", asyncio.run(_load(base, lambda c, i: "/definitions", n, k))),
            ]
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"store: {store}  clients: {args.clients}  requests/client: {args.requests}  cpus: {os.cpu_count()}  "
          f"load average at the end: {load}  (server and clients share the machine)")
    print(f"cold comparison ({DEFINITIONS}, wijk level, first request): {cold_s:.1f} s")
    print()
    print("| scenario | requests | errors | p50 ms | p95 ms | p99 ms | req/s | p95 / 50 ms target |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['requests']} | {r['errors']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} "
              f"| {r['req_per_s']:.0f} | {r['p95_ms'] / 50:.2f} |")


if __name__ == "__main__":
    main()
