"""CPU time the bot service spends per CRM call, measured over real HTTP on loopback.

Seeds a CRM the way ``make seed`` does (demo data + 2,000 generated
customers), starts ``bot serve`` on a free port, grows the demo customer's
history the way a load run does (``--history`` recorded interactions), then
calls each endpoint ``--calls`` times, one after the other, and reads the
server process's CPU time (user + system, all threads, from ``/proc``)
before and after. The server's idle CPU (its background sweeps), measured
over a quiet period first, is subtracted.

Also counts the SQL statements one ``get_profile`` runs (in process, over
the same database file).

Usage:

    .venv/bin/python scripts/bench_crm_cpu.py                        # seeds a fresh copy
    .venv/bin/python scripts/bench_crm_cpu.py --db var/bench_crm.db  # seeded once, reused
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.crm.db import create_crm_engine
from bot.crm.service import CRMService
from tests.support.crm_server import CRM_API_TOKEN, CRMServer, seed

CUSTOMER = "K-100001"
POSTAL_CODE = "80331"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    """Return user + system CPU seconds of a process (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def measure(
    pid: int, idle_rate: float, calls: int, call: Callable[[], httpx.Response]
) -> tuple[float, float]:
    """Return (server CPU ms per call, median client latency ms) over ``calls`` calls."""
    for _ in range(min(20, calls)):
        call().raise_for_status()
    latencies = []
    cpu_before, wall_before = process_cpu_seconds(pid), time.perf_counter()
    for _ in range(calls):
        started = time.perf_counter()
        call().raise_for_status()
        latencies.append(time.perf_counter() - started)
    cpu = process_cpu_seconds(pid) - cpu_before
    wall = time.perf_counter() - wall_before
    return (cpu - idle_rate * wall) / calls * 1000, statistics.median(latencies) * 1000


def queries_per_profile(database: Path) -> int:
    """Count the SQL statements of one ``get_profile`` (a warm connection pool)."""
    engine = create_crm_engine(f"sqlite:///{database}")
    service = CRMService(engine)
    service.get_profile(CUSTOMER)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    service.get_profile(CUSTOMER)
    engine.dispose()
    return len(statements)


def run_calls(server: CRMServer, history: int, calls: int) -> int:
    """Grow the history, measure each endpoint, print; return the profile's size in bytes."""
    assert server.server is not None
    pid = server.server.process.pid
    base = f"{server.url}/api/crm"
    record_body = {
        "channel": "chat",
        "topic": "bench",
        "summary": "Chat: Frage zum Termin (Lastlauf)",
        "conversation_id": "bench-conversation",
    }
    verify_body = {"customer_number": CUSTOMER, "postal_code": POSTAL_CODE}
    headers = {"Authorization": f"Bearer {CRM_API_TOKEN}"}
    with httpx.Client(headers=headers, timeout=30) as client:
        endpoints = {
            "get_profile": lambda: client.get(f"{base}/customers/{CUSTOMER}"),
            "record_interaction": lambda: client.post(
                f"{base}/customers/{CUSTOMER}/interactions", json=record_body
            ),
            "verify": lambda: client.post(f"{base}/verify", json=verify_body),
        }
        for _ in range(history):
            endpoints["record_interaction"]().raise_for_status()
        time.sleep(1.0)
        cpu, wall = process_cpu_seconds(pid), time.perf_counter()
        time.sleep(3.0)
        idle_rate = (process_cpu_seconds(pid) - cpu) / (time.perf_counter() - wall)
        print(f"{CUSTOMER}: {history}+ interactions; server idle {idle_rate * 1000:.1f} ms/s")
        for name, call in endpoints.items():
            cpu_ms, median_ms = measure(pid, idle_rate, calls, call)
            print(f"{name:<20} CPU {cpu_ms:6.2f} ms/call   latency median {median_ms:6.2f} ms")
        return len(client.get(f"{base}/customers/{CUSTOMER}").content)


def main() -> None:
    """Seed, serve, grow the history, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--db", type=Path, help="seeded database to start from, kept (seeded when missing)"
    )
    parser.add_argument("--population", type=int, default=2000)
    parser.add_argument("--history", type=int, default=600, help="interactions added first")
    parser.add_argument("--calls", type=int, default=300, help="calls per endpoint")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-crm-"))
    template = args.db or workdir / "template.db"
    database = workdir / "crm.db"
    try:
        if not template.exists():
            print(f"seeding {template} (population {args.population}) ...", flush=True)
            seed(template, population=args.population)
        shutil.copy(template, database)  # every run starts from the same history
        server = CRMServer(database, workdir)
        server.start()
        try:
            size = run_calls(server, args.history, args.calls)
        finally:
            server.stop()
        print(f"get_profile: {queries_per_profile(database)} SQL statements, {size} bytes")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
