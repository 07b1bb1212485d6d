"""Closed-loop load benchmark of the whole stack against Rasa's starter bot (``make bench-load``).

Starts, on free loopback ports, our stack with the embedded defaults (the bot
service with the CRM over a freshly seeded SQLite file, the action server, the
Rasa server with the SQL tracker store on SQLite and our ``credentials.yml``)
and Rasa's starter bot (``rasa init --no-prompt``, trained once into
``var/bench/starter`` and reused). Then 1, 5 and 20 simulated users talk to
both over the REST channel, each user sending its next message only after the
answer to the previous one arrived (closed loop). Both bots take turns in
short rounds of each level, so that load from other programs on the machine
hits both alike; compare ratios, not absolute figures.

Every answer is checked (a status other than 200 or an answer without the
expected words counts as an error and starts a new conversation). Writes
``reports/load.md`` (throughput, p50/p95/p99, errors, CPU per process,
start-up and memory) and ``reports/load.png`` (latency against users).
``--label`` adds the run to the history table of ``reports/load.md``, which
is kept from one run to the next together with the hand-written notes below
it. ``--profile`` samples each of our processes (Rasa, action server, bot
service) with py-spy (if installed) during the last level and prints where
their time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.model_files import current_model_path  # noqa: E402
from tests.support.cluster import ClusterSettings, haproxy_available, running_cluster  # noqa: E402
from tests.support.crm_server import CRMServer, seed  # noqa: E402
from tests.support.postgres import postgres_server  # noqa: E402
from tests.support.processes import (  # noqa: E402
    REST_CHANNEL_TEST_TOKEN,
    VENV_BIN,
    RunningServer,
    free_port,
    running_action_server,
    running_rasa,
    server_environment,
)
from tests.support.production import production_environment  # noqa: E402

STARTER_DIR = ROOT / "var" / "bench" / "starter"
REPORT = ROOT / "reports" / "load.md"
PLOT = ROOT / "reports" / "load.png"
KEPT_MARKER = "<!-- Everything below is kept by make bench-load; edit freely. -->"
HISTORY_END = "<!-- history rows end -->"
JWT_SECRET = "bench-load-jwt-secret-0123456789abcdef"
"""Signs the bot service's calls to Rasa's HTTP API in the benchmark."""
REST_AUTH = {"Authorization": f"Bearer {REST_CHANNEL_TEST_TOKEN}"}
"""The REST channel's bearer token (server_environment sets REST_CHANNEL_TOKEN)."""
MAX_TURNS_PER_PHASE = 20_000
TURN_TIMEOUT_S = 30.0

TARGET_THROUGHPUT_RATIO = 1.0  # ours / starter at 20 users, at least
TARGET_P95_RATIO = 1.25  # ours / starter at 20 users, at most
TARGET_P50_ONE_USER_MS = 60.0


@dataclass(frozen=True)
class Step:
    """One message of a script and words its answer must contain."""

    message: str
    expect: str


STARTER_SCRIPT = (
    Step("hello", "How are you?"),
    Step("I am very sad", "cheer you up"),
    Step("yes", "Great, carry on!"),
    Step("bye", "Bye"),
)
"""The starter bot's own "sad path" story, then goodbye."""

NORDLICHT_SCRIPT = (
    Step("Wo ist meine Bestellung?", "Kundennummer"),
    Step("K-100001", "Postleitzahl"),
    Step("80331", "Sendungsnummer"),  # verified (CRM), then the order status (CRM read)
    Step("Ich habe eine Frage zu meiner Rechnung", "Rechnung"),  # invoices (CRM read)
    Step("Ich möchte einen Werkstatttermin vereinbaren", "Worum soll es"),  # booking form
    Step("abbrechen", "abgebrochen"),  # the form's interruption
)
"""Verification (a form), order status and invoices from the CRM, a booking form left."""


@dataclass
class Phase:
    """What one bot did at one number of users (summed over rounds)."""

    latencies_ms: list[float] = field(default_factory=list)
    by_step: dict[int, list[float]] = field(default_factory=dict)  # latencies per script step
    errors: Counter[str] = field(default_factory=Counter)
    answers: dict[str, str] = field(default_factory=dict)  # an example answer per error
    seconds: float = 0.0
    cpu_seconds: dict[str, float] = field(default_factory=Counter)

    @property
    def turns(self) -> int:
        return len(self.latencies_ms)

    @property
    def throughput(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    def quantile(self, q: float, step: int | None = None) -> float:
        """Return the q-quantile (nearest rank) of the latencies in ms (of one step if given)."""
        latencies = self.latencies_ms if step is None else self.by_step.get(step, [])
        if not latencies:
            return float("nan")
        ordered = sorted(latencies)
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


@dataclass
class Bot:
    """A bot under test: where its REST channel answers and its processes."""

    name: str
    url: str
    script: tuple[Step, ...]
    processes: dict[str, RunningServer]
    phases: dict[int, Phase] = field(default_factory=dict)


# --- the servers ---------------------------------------------------------------


def starter_model() -> Path:
    """Return the starter bot's model, creating and training the project once."""
    models = sorted((STARTER_DIR / "models").glob("*.tar.gz"))
    if models:
        return models[-1]
    print(">> rasa init --no-prompt in var/bench/starter (trains once, about 2 min)", flush=True)
    if STARTER_DIR.exists():
        shutil.rmtree(STARTER_DIR)
    STARTER_DIR.mkdir(parents=True)
    subprocess.run(
        ["nice", "-n", "10", str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", "."],
        cwd=STARTER_DIR,
        env=server_environment(),
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=1200,
    )
    models = sorted((STARTER_DIR / "models").glob("*.tar.gz"))
    if not models:
        raise RuntimeError("rasa init trained no model")
    return models[-1]


def bench_endpoints(path: Path, action_url: str, tracker_db: Path) -> None:
    """Write the project's ``endpoints.yml`` with this run's action server and tracker file."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    endpoints["action_endpoint"]["url"] = f"{action_url}/webhook"
    endpoints["tracker_store"]["db"] = str(tracker_db)
    path.write_text(yaml.safe_dump(endpoints))


@contextmanager
def nordlicht_stack(model: Path, work: Path) -> Iterator[Bot]:
    """Run the bot service (CRM), action server and Rasa server as ``make run`` does."""
    with ExitStack() as stack:
        database = work / "crm.db"
        seed(database)
        tracker_db = work / "rasa_tracker.db"
        rasa_port = free_port()
        crm = CRMServer(database, work)
        crm.env.update(
            RASA_URL=f"http://127.0.0.1:{rasa_port}",
            RASA_JWT_SECRET=JWT_SECRET,
            RASA_TRACKER_STORE_URL=f"sqlite:///{tracker_db}",
        )
        started = time.perf_counter()
        crm.start()
        stack.callback(crm.stop)
        assert crm.server is not None
        crm.server.startup_seconds = time.perf_counter() - started
        aport = free_port()
        actions = stack.enter_context(
            running_action_server(
                "actions", aport, work, env=server_environment(**crm.client_environment())
            )
        )
        endpoints = work / "endpoints.yml"
        bench_endpoints(endpoints, actions.url, tracker_db)
        rasa = stack.enter_context(
            running_rasa(
                "rasa",
                model,
                port=rasa_port,
                jwt_secret=JWT_SECRET,
                endpoints=endpoints,
                log_dir=work,
                env=server_environment(),
                extra_args=["--credentials", str(ROOT / "credentials.yml")],
            )
        )
        yield Bot(
            "Nordlicht",
            f"{rasa.url}/webhooks/rest/webhook",
            NORDLICHT_SCRIPT,
            {"rasa": rasa, "actions": actions, "bot": crm.server},
        )


@contextmanager
def cluster_stack(model: Path, work: Path) -> Iterator[Bot]:
    """Run our stack as ``make run-cluster`` does: HAProxy, two Rasa and two action servers.

    PostgreSQL tracker store (a database of this run), Redis locks and socket.io,
    RabbitMQ events (a queue of this run), the bot service with the CRM on SQLite.
    """
    with ExitStack() as stack:
        database = work / "cluster-crm.db"
        seed(database)
        crm = CRMServer(database, work)
        crm.start()
        stack.callback(crm.stop)
        assert crm.server is not None
        postgres = postgres_server(prefix="bench_cluster")
        stack.callback(postgres.close)
        run = uuid.uuid4().hex[:8]
        settings = ClusterSettings(
            model=model,
            work=work / "cluster",
            environment=production_environment(
                "http://unused",
                postgres.create("tracker"),
                CLUSTER_REDIS_URL="redis://127.0.0.1:6379/4",
                **crm.client_environment(),
            ),
            jwt_secret=JWT_SECRET,
            queue=f"nordlicht_bench_{run}",
            key_prefix=f"bench{run}",
        )
        cluster = stack.enter_context(running_cluster(settings))
        stack.callback(purge_queue, settings.queue)
        yield Bot(
            "Nordlicht cluster",
            f"{cluster.url}/webhooks/rest/webhook",
            NORDLICHT_SCRIPT,
            {**cluster.processes(), "bot": crm.server},
        )


def purge_queue(name: str) -> None:
    """Delete a RabbitMQ queue of this run (the events nobody reads)."""

    async def delete() -> None:
        import aio_pika

        connection = await aio_pika.connect_robust("amqp://guest:guest@127.0.0.1:5672/")
        async with connection:
            channel = await connection.channel()
            await channel.queue_delete(name)

    asyncio.run(delete())


@contextmanager
def starter_stack(model: Path, work: Path) -> Iterator[Bot]:
    """Run the starter bot as `rasa init` made it (no action server, in-memory tracker)."""
    port = free_port()
    with running_rasa(
        "starter",
        model,
        port=port,
        jwt_secret=JWT_SECRET,
        endpoints=STARTER_DIR / "endpoints.yml",
        log_dir=work,
        env=server_environment(),
        extra_args=["--credentials", str(STARTER_DIR / "credentials.yml")],
    ) as rasa:
        url = f"{rasa.url}/webhooks/rest/webhook"
        yield Bot("starter bot", url, STARTER_SCRIPT, {"rasa": rasa})


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) a process used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    """Return a process's resident memory in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- the load -----------------------------------------------------------------


async def user(
    client: httpx.AsyncClient, bot: Bot, phase: Phase, stop_at: float, budget: list[int]
) -> None:
    """Talk to ``bot`` conversation after conversation until the time or turn budget ends."""
    while time.monotonic() < stop_at and budget[0] > 0:
        sender = f"load-{uuid.uuid4().hex[:12]}"
        for index, step in enumerate(bot.script):
            if time.monotonic() >= stop_at or budget[0] <= 0:
                return
            budget[0] -= 1
            started = time.perf_counter()
            error, answer = None, ""
            try:
                body = {"sender": sender, "message": step.message}
                response = await client.post(bot.url, json=body)
                if response.status_code != 200:
                    error, answer = f"HTTP {response.status_code}", response.text
                else:
                    answer = " ".join(m.get("text") or "" for m in response.json())
                    if step.expect not in answer:
                        error = f"unexpected answer to {step.message!r}"
            except httpx.HTTPError as e:
                error = type(e).__name__
            latency = (time.perf_counter() - started) * 1000
            phase.latencies_ms.append(latency)
            phase.by_step.setdefault(index, []).append(latency)
            if error:
                phase.errors[error] += 1
                phase.answers.setdefault(error, answer[:200])
                break


async def run_phase(bot: Bot, users: int, seconds: float) -> None:
    """Let ``users`` users talk to ``bot`` for ``seconds``; add the result to its phase."""
    phase = bot.phases.setdefault(users, Phase())
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    pids = {name: server.process.pid for name, server in bot.processes.items()}
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    async with httpx.AsyncClient(
        timeout=TURN_TIMEOUT_S, limits=limits, headers=REST_AUTH
    ) as client:
        started = time.monotonic()
        budget = [MAX_TURNS_PER_PHASE]
        await asyncio.gather(
            *(user(client, bot, phase, started + seconds, budget) for _ in range(users))
        )
        phase.seconds += time.monotonic() - started
    for name, pid in pids.items():
        phase.cpu_seconds[name] += cpu_seconds(pid) - cpu_before[name]


@contextmanager
def py_spy(pid: int, out: Path) -> Iterator[None]:
    """Sample ``pid`` with py-spy (collapsed stacks into ``out``) inside the block, if installed."""
    binary = VENV_BIN / "py-spy"
    if not binary.exists():
        print(">> --profile: py-spy is not installed (.venv/bin/pip install py-spy)", flush=True)
        yield
        return
    process = subprocess.Popen(
        [
            *(str(binary), "record", "--pid", str(pid), "--format", "raw", "--rate", "200"),
            *("--output", str(out), "--nonblocking"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.send_signal(subprocess.signal.SIGINT)
        process.wait(timeout=60)


def summarise_profile(path: Path, top: int = 25) -> list[str]:
    """Return the functions with the largest share of samples (inclusive) in a collapsed file."""
    inclusive: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        for frame in set(frames):
            inclusive[frame] += n
        leaf[frames[-1]] += n
    lines = [f"{total} samples; inclusive share:"]
    lines += [f"  {n / total:6.1%}  {frame}" for frame, n in inclusive.most_common(top)]
    lines += ["self share:"]
    lines += [f"  {n / total:6.1%}  {frame}" for frame, n in leaf.most_common(top)]
    return lines


async def warm_up(bot: Bot) -> None:
    """Run the script twice (first answers load caches) and fail loudly if it does not work."""
    async with httpx.AsyncClient(timeout=TURN_TIMEOUT_S, headers=REST_AUTH) as client:
        for _ in range(2):
            sender = f"warm-{uuid.uuid4().hex[:12]}"
            for step in bot.script:
                body = {"sender": sender, "message": step.message}
                response = await client.post(bot.url, json=body)
                text = " ".join(m.get("text") or "" for m in response.json())
                if response.status_code != 200 or step.expect not in text:
                    raise RuntimeError(
                        f"{bot.name}: {step.message!r} answered {response.status_code} {text!r}"
                    )


# --- the report ---------------------------------------------------------------


def fmt_ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def targets(ours: Bot, starter: Bot, top: int) -> list[tuple[str, str, str, bool]]:
    """Return (target, measured, limit, met) for the issue's three targets."""
    o, s = ours.phases[top], starter.phases[top]
    throughput_ratio = o.throughput / s.throughput if s.throughput else float("nan")
    p95_ratio = o.quantile(0.95) / s.quantile(0.95)
    one = ours.phases.get(1)
    rows = [
        (
            f"throughput at {top} users, ours / starter",
            f"{o.throughput:.1f} / {s.throughput:.1f} turns/s = {throughput_ratio:.2f}",
            f"≥ {TARGET_THROUGHPUT_RATIO:.2f}",
            throughput_ratio >= TARGET_THROUGHPUT_RATIO,
        ),
        (
            f"p95 at {top} users, ours / starter",
            f"{fmt_ms(o.quantile(0.95))} / {fmt_ms(s.quantile(0.95))} = {p95_ratio:.2f}",
            f"≤ {TARGET_P95_RATIO:.2f}",
            p95_ratio <= TARGET_P95_RATIO,
        ),
    ]
    if one:
        rows.append(
            (
                "p50 at 1 user, ours",
                fmt_ms(one.quantile(0.5)),
                f"≤ {TARGET_P50_ONE_USER_MS:.0f} ms",
                one.quantile(0.5) <= TARGET_P50_ONE_USER_MS,
            )
        )
    return rows


def plot(bots: list[Bot], levels: list[int]) -> None:
    """Draw p50/p95/p99 latency against users for every bot into ``reports/load.png``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (latency, throughput) = plt.subplots(1, 2, figsize=(11, 4.2))
    styles = {0.5: "-", 0.95: "--", 0.99: ":"}
    for bot, colour in zip(bots, ("tab:blue", "tab:orange", "tab:green"), strict=False):
        for q, style in styles.items():
            values = [bot.phases[n].quantile(q) for n in levels]
            label = f"{bot.name} p{q * 100:g}"
            latency.plot(levels, values, style, marker="o", color=colour, label=label)
        rates = [bot.phases[n].throughput for n in levels]
        throughput.plot(levels, rates, marker="o", color=colour, label=bot.name)
    latency.set(xlabel="concurrent users", ylabel="latency per turn (ms)", xticks=levels)
    latency.set_yscale("log")
    latency.set_title("Latency (closed loop)")
    latency.legend(fontsize=8)
    throughput.set(xlabel="concurrent users", ylabel="turns per second", xticks=levels)
    throughput.set_title("Throughput")
    throughput.legend(fontsize=8)
    fig.tight_layout()
    PLOT.parent.mkdir(exist_ok=True)
    fig.savefig(PLOT, dpi=110)
    plt.close(fig)


def kept_part(label: str | None, row: str) -> str:
    """Return the kept part of the report (history table, notes), with this run added."""
    if REPORT.exists() and KEPT_MARKER in REPORT.read_text():
        kept = REPORT.read_text().split(KEPT_MARKER, 1)[1]
    else:
        kept = (
            "\n\n## History\n\n"
            "Runs with `--label` (each row one run, both bots side by side):\n\n"
            "| date (UTC) | label | ours turns/s @20 | starter turns/s @20 | ratio "
            "| ours p95 @20 | starter p95 @20 | ratio | ours p50 @1 | errors |\n"
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
            f"{HISTORY_END}\n"
        )
    if label:
        kept = kept.replace(HISTORY_END, f"{row}\n{HISTORY_END}", 1)
    return kept


def write_report(
    bots: list[Bot], levels: list[int], label: str | None, load_before: float, model: Path
) -> list[tuple[str, str, str, bool]]:
    """Write ``reports/load.md`` and the plot; return the target rows."""
    ours, starter = bots[:2]
    top = max(levels)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
    lines = [
        "# Load benchmark (`make bench-load`)",
        "",
        f"{now} UTC, {os.cpu_count()} cores, load average {load_before:.1f} before the run "
        f"(other programs share the CPU: compare the ratios). Model `{model.name}`.",
        "Closed loop: each user sends its next message when the answer arrived; the bots "
        "take turns in rounds. Our script: "
        + " → ".join(f"“{s.message}”" for s in NORDLICHT_SCRIPT)
        + "; the starter bot's: "
        + " → ".join(f"“{s.message}”" for s in STARTER_SCRIPT)
        + ".",
        "",
        "| bot | users | turns | turns/s | p50 | p95 | p99 | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n in levels:
        for bot in bots:
            p = bot.phases[n]
            errors = sum(p.errors.values())
            lines.append(
                f"| {bot.name} | {n} | {p.turns} | {p.throughput:.1f} | {fmt_ms(p.quantile(0.5))} "
                f"| {fmt_ms(p.quantile(0.95))} | {fmt_ms(p.quantile(0.99))} | {errors} |"
            )
    all_errors = Counter[str]()
    for bot in bots:
        for p in bot.phases.values():
            all_errors.update({f"{bot.name}: {k}": v for k, v in p.errors.items()})
    if all_errors:
        lines += ["", "Errors (count, an example answer):", ""]
        for bot in bots:
            examples = {k: v for p in bot.phases.values() for k, v in p.answers.items()}
            lines += [
                f"- {bot.name}: {error} ({all_errors[f'{bot.name}: {error}']}): “{answer}”"
                for error, answer in examples.items()
            ]
    rows = targets(ours, starter, top)
    lines += ["", "![latency and throughput against users](load.png)", "", "## Targets", ""]
    lines += ["| target | measured | limit | met |", "| --- | --- | --- | --- |"]
    lines += [f"| {t} | {m} | {lim} | {'yes' if ok else 'no'} |" for t, m, lim, ok in rows]
    if len(bots) > 2:
        single, cluster = ours.phases[top], bots[2].phases[top]
        lines += [
            "",
            f"{bots[2].name} (two Rasa and two action servers behind HAProxy, PostgreSQL, "
            f"Redis, RabbitMQ) at {top} users: {cluster.throughput:.1f} turns/s, "
            f"{cluster.throughput / single.throughput:.2f} × the single process; "
            f"p95 {fmt_ms(cluster.quantile(0.95))}.",
        ]
    lines += ["", f"## Latency by step at {top} users", ""]
    lines += [
        "| bot | step | p50 | p95 | share of the turns over the bot's p95 |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for bot in bots[:2]:
        p = bot.phases[top]
        overall = p.quantile(0.95)
        slow = sum(1 for latency in p.latencies_ms if latency > overall) or 1
        for index, step in enumerate(bot.script):
            over = sum(1 for latency in p.by_step.get(index, []) if latency > overall)
            lines.append(
                f"| {bot.name} | “{step.message}” | {fmt_ms(p.quantile(0.5, index))} "
                f"| {fmt_ms(p.quantile(0.95, index))} | {over / slow:.0%} |"
            )
    lines += ["", f"## CPU per process at {top} users", ""]
    lines += [
        "| bot | process | CPU (share of one core) | CPU per turn |",
        "| --- | --- | ---: | ---: |",
    ]
    for bot in bots:
        p = bot.phases[top]
        for name, seconds in p.cpu_seconds.items():
            per_turn = 1000 * seconds / p.turns if p.turns else float("nan")
            lines.append(f"| {bot.name} | {name} | {seconds / p.seconds:.0%} | {per_turn:.1f} ms |")
    lines += ["", "## Start-up and memory", ""]
    lines += [
        "| bot | process | start-up until it answers | resident memory after the run |",
        "| --- | --- | ---: | ---: |",
    ]
    for bot in bots:
        for name, server in bot.processes.items():
            lines.append(
                f"| {bot.name} | {name} | {server.startup_seconds:.1f} s "
                f"| {rss_mib(server.process.pid):.0f} MiB |"
            )
    o, s = ours.phases[top], starter.phases[top]
    history_row = (
        f"| {now} | {label} | {o.throughput:.1f} | {s.throughput:.1f} "
        f"| {o.throughput / s.throughput:.2f} | {fmt_ms(o.quantile(0.95))} "
        f"| {fmt_ms(s.quantile(0.95))} | {o.quantile(0.95) / s.quantile(0.95):.2f} "
        f"| {fmt_ms(ours.phases[1].quantile(0.5)) if 1 in ours.phases else '–'} "
        f"| {sum(sum(p.errors.values()) for b in bots for p in b.phases.values())} |"
    )
    text = "\n".join(lines) + "\n\n" + KEPT_MARKER + kept_part(label, history_row)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(text)
    plot(bots, levels)
    return rows


# --- main -----------------------------------------------------------------------


async def measure(
    bots: list[Bot], levels: list[int], seconds: float, rounds: int, profile: Path | None
) -> None:
    """Run every level, the bots taking turns in ``rounds`` rounds per level."""
    for bot in bots:
        await warm_up(bot)
    for users in levels:
        for r in range(rounds):
            for bot in bots:
                print(f">> {bot.name}: {users} users, round {r + 1}/{rounds}", flush=True)
                last = profile is not None and users == max(levels) and bot is bots[0]
                if last:
                    assert profile is not None
                    with ExitStack() as samplers:
                        for name, server in bot.processes.items():
                            out = profile.with_name(f"profile-{name}.{r}.txt")
                            samplers.enter_context(py_spy(server.process.pid, out))
                        await run_phase(bot, users, seconds / rounds)
                else:
                    await run_phase(bot, users, seconds / rounds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="1,5,20", help="levels of concurrent users")
    parser.add_argument("--seconds", type=float, default=30.0, help="per level and bot")
    parser.add_argument("--rounds", type=int, default=3, help="the bots alternate this often")
    parser.add_argument("--label", help="add this run to the history table")
    parser.add_argument("--profile", action="store_true", help="py-spy ours at the top level")
    parser.add_argument("--no-cluster", action="store_true", help="leave out make run-cluster")
    parser.add_argument(
        "--keep-logs", action="store_true", help="keep the servers' logs (kept anyway on errors)"
    )
    args = parser.parse_args()
    levels = sorted({int(n) for n in args.users.split(",")})
    model = current_model_path()
    if not model.is_file():
        print(f"no trained model at {model}: run `make train`", file=sys.stderr)
        return 2
    starter = starter_model()
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    profile = work / "profile" if args.profile else None
    print(f">> logs in {work}", flush=True)
    with ExitStack() as stack:
        bots = [
            stack.enter_context(nordlicht_stack(model, work)),
            stack.enter_context(starter_stack(starter, work)),
        ]
        if not args.no_cluster:
            if not haproxy_available():
                print("HAProxy missing: make run-cluster installs it", file=sys.stderr)
                return 2
            bots.append(stack.enter_context(cluster_stack(model, work)))
        asyncio.run(measure(bots, levels, args.seconds, args.rounds, profile))
        rows = write_report(bots, levels, args.label, load_before, model)
    print(REPORT.read_text().split(KEPT_MARKER, 1)[0])
    if profile is not None:
        for name in bots[0].processes:
            parts = sorted(profile.parent.glob(f"profile-{name}.*.txt"))
            if parts:
                merged = work / f"profile-{name}.txt"
                merged.write_text("".join(p.read_text() for p in parts))
                print(f">> {name}:")
                print("\n".join(summarise_profile(merged)))
                print(f">> collapsed stacks: {merged}")
    errors = sum(sum(p.errors.values()) for bot in bots for p in bot.phases.values())
    if args.profile or args.keep_logs or errors:
        print(f">> logs kept in {work}" + (f" ({errors} errors)" if errors else ""))
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(ok for *_, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
