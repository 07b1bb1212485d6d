"""The production-shaped cluster on this machine: ``make run-cluster`` and ``make soak``.

``serve`` (``make run-cluster``): HAProxy on :5005 (Rasa) and :5055 (actions),
two Rasa servers and two action servers behind it (``tests/support/cluster.py``),
conversations in PostgreSQL (database ``RASA_TRACKER_DB_NAME``, default
``nordlicht_cluster``, created when missing), locks and socket.io in Redis,
events to RabbitMQ, and the bot service with the website and desk on :8000
(the CRM of ``make seed``). Runs until Ctrl-C.

``soak`` (``make soak``): a cluster of its own on free ports (its own
database, queue and CRM), a steady load of ``--users`` users running the load
benchmark's script for ``--minutes``; samples the resident memory of every
process each ``--sample-seconds`` and fails when a turn fails or a process
grew by more than the bound after the warm-up minute. Writes ``reports/soak.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.model_files import current_model_path  # noqa: E402
from scripts.bench_load import (  # noqa: E402
    Bot,
    Phase,
    cluster_stack,
    fmt_ms,
    rss_mib,
    run_phase,
    warm_up,
)
from tests.support.cluster import ClusterSettings, haproxy_available, running_cluster  # noqa: E402
from tests.support.processes import VENV_BIN, running_server  # noqa: E402

SOAK_REPORT = ROOT / "reports" / "soak.md"
GROWTH_BOUND_MIB = 64.0
"""How much a process may grow between the end of the first minute and the end."""

PRODUCTION_DEFAULTS = {
    "RASA_TRACKER_DB_HOST": "127.0.0.1",
    "RASA_TRACKER_DB_PORT": "5432",
    "RASA_TRACKER_DB_NAME": "nordlicht_cluster",
    "RASA_TRACKER_DB_USER": "postgres",
    "RASA_TRACKER_DB_PASSWORD": "",
    "REDIS_HOST": "127.0.0.1",
    "REDIS_PORT": "6379",
    "REDIS_LOCK_DB": "1",
    "REDIS_PASSWORD": "",
    "RABBITMQ_HOST": "127.0.0.1",
    "RABBITMQ_PORT": "5672",
    "RABBITMQ_USER": "guest",
    "RABBITMQ_PASSWORD": "guest",
    "CLUSTER_REDIS_URL": "redis://127.0.0.1:6379/2",
}
"""This machine's services, for what the environment does not set (.env.example)."""


def ensure_database(env: dict[str, str]) -> None:
    """Create the tracker database on PostgreSQL unless it exists."""
    import psycopg2

    connection = psycopg2.connect(
        host=env["RASA_TRACKER_DB_HOST"],
        port=int(env["RASA_TRACKER_DB_PORT"]),
        user=env["RASA_TRACKER_DB_USER"],
        password=env["RASA_TRACKER_DB_PASSWORD"] or None,
        dbname="postgres",
        connect_timeout=5,
    )
    connection.autocommit = True
    name = env["RASA_TRACKER_DB_NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
            print(f">> created PostgreSQL database {name}", flush=True)
    connection.close()


def serve() -> int:
    """Run the cluster and the bot service until Ctrl-C (``make run-cluster``)."""
    env = {**PRODUCTION_DEFAULTS, **{k: v for k, v in os.environ.items() if v}}
    ensure_database(env)
    work = ROOT / "var" / "cluster"
    work.mkdir(parents=True, exist_ok=True)
    password = env["RASA_TRACKER_DB_PASSWORD"]
    user = env["RASA_TRACKER_DB_USER"] + (f":{quote(password, safe='')}" if password else "")
    tracker_url = (
        f"postgresql+psycopg2://{user}@{env['RASA_TRACKER_DB_HOST']}:"
        f"{env['RASA_TRACKER_DB_PORT']}/{env['RASA_TRACKER_DB_NAME']}"
    )
    bot_env = {
        **env,
        "RASA_URL": "http://127.0.0.1:5005",
        "RASA_TRACKER_STORE_URL": tracker_url,
        "WEBSITE_DEMO_MODE": env.get("WEBSITE_DEMO_MODE", "true"),
    }
    origins = env.get("RASA_CORS_ORIGINS", "http://localhost:8000").split()
    settings = ClusterSettings(
        model=Path(env.get("MODEL") or current_model_path()),
        work=work,
        environment=env,
        jwt_secret=env["RASA_JWT_SECRET"],
        rasa_port=5005,
        action_port=5055,
        rasa_args=("--cors", *origins),
    )
    print(f">> starting; logs in {work}", flush=True)
    with (
        running_server(
            "bot", [str(VENV_BIN / "bot"), "serve"], "http://127.0.0.1:8000/healthz", work, bot_env
        ) as bot,
        running_cluster(settings) as cluster,
    ):
        print(">> ready: Rasa behind HAProxy at http://127.0.0.1:5005, website at :8000")
        for name, server in {**cluster.processes(), "bot": bot}.items():
            rss = rss_mib(server.process.pid)
            print(f"   {name:9} started in {server.startup_seconds:5.1f} s, {rss:6.0f} MiB")
        try:
            while all(s.process.poll() is None for s in [bot, cluster.haproxy]):
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


async def soak_load(bot: Bot, users: int, minutes: float, every: float) -> list[dict]:
    """Run ``users`` users for ``minutes``; return memory samples (MiB per process)."""
    samples = []
    stop_at = time.monotonic() + minutes * 60
    while time.monotonic() < stop_at:
        await run_phase(bot, users, min(every, stop_at - time.monotonic()))
        samples.append(
            {
                "minute": (minutes * 60 - (stop_at - time.monotonic())) / 60,
                **{name: rss_mib(s.process.pid) for name, s in bot.processes.items()},
            }
        )
        print(f">> {samples[-1]['minute']:.1f} min, {bot.phases[users].turns} turns", flush=True)
    return samples


def soak(users: int, minutes: float, every: float) -> int:
    """Steady load against a cluster of its own; write ``reports/soak.md``."""
    if not haproxy_available():
        print("HAProxy missing: make run-cluster installs it", file=sys.stderr)
        return 2
    model = current_model_path()
    work = Path(tempfile.mkdtemp(prefix="soak-"))
    print(f">> logs in {work}", flush=True)
    with cluster_stack(model, work) as bot:
        asyncio.run(warm_up(bot))
        samples = asyncio.run(soak_load(bot, users, minutes, every))
        phase: Phase = bot.phases[users]
        names = list(bot.processes)
    after_warm_up = next((s for s in samples if s["minute"] >= 1.0), samples[0])
    growth = {name: samples[-1][name] - after_warm_up[name] for name in names}
    errors = sum(phase.errors.values())
    ok = errors == 0 and all(g <= GROWTH_BOUND_MIB for g in growth.values())
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
    lines = [
        "# Soak test of the cluster (`make soak`)",
        "",
        f"{now} UTC, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end. "
        f"{users} users (closed loop, the load benchmark's script) for {minutes:g} minutes "
        f"against `make run-cluster`'s cluster: {phase.turns} turns, "
        f"{phase.throughput:.1f} turns/s, p50 {fmt_ms(phase.quantile(0.5))}, "
        f"p95 {fmt_ms(phase.quantile(0.95))}, p99 {fmt_ms(phase.quantile(0.99))}, "
        f"**{errors} errors**.",
        "",
        f"Bound: no process grows by more than {GROWTH_BOUND_MIB:.0f} MiB of resident memory "
        f"between minute {after_warm_up['minute']:.1f} (caches warm) and the end. "
        f"Result: **{'passed' if ok else 'FAILED'}**.",
        "",
        "| process | " + " | ".join(f"{s['minute']:.1f} min" for s in samples) + " | growth |",
        "| --- | " + " | ".join("---:" for _ in samples) + " | ---: |",
    ]
    for name in names:
        values = " | ".join(f"{s[name]:.0f}" for s in samples)
        lines.append(f"| {name} (MiB) | {values} | {growth[name]:+.0f} |")
    if phase.errors:
        lines += ["", "Errors (count, an example answer):", ""]
        lines += [f"- {k} ({v}): “{phase.answers.get(k, '')}”" for k, v in phase.errors.items()]
    SOAK_REPORT.parent.mkdir(exist_ok=True)
    SOAK_REPORT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    if ok:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f">> the servers' logs are kept in {work}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the cluster until Ctrl-C (make run-cluster)")
    soak_parser = commands.add_parser("soak", help="steady load, memory samples (make soak)")
    soak_parser.add_argument("--users", type=int, default=10)
    soak_parser.add_argument("--minutes", type=float, default=10.0)
    soak_parser.add_argument("--sample-seconds", type=float, default=60.0)
    args = parser.parse_args()
    if args.command == "serve":
        return serve()
    return soak(args.users, args.minutes, args.sample_seconds)


if __name__ == "__main__":
    sys.exit(main())
