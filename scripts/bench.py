"""Speed and memory benchmarks of the assistant (``make bench``).

Measures, on this machine, and writes ``reports/bench.md``:

- start-up of the Rasa server with the current model until ``/status`` answers,
  and its resident memory once up;
- start-up of the action server;
- latency of one NLU parse over HTTP (``/model/parse``, median and p95 over
  500 messages of the held-out test set);
- latency of one whole bot turn over the REST channel (median and p95).

Targets are checked here, not in timed tests; a missed target makes the
script exit 1.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.model_files import current_model_path  # noqa: E402
from tests.support.processes import (  # noqa: E402
    REST_CHANNEL_TEST_TOKEN,
    VENV_BIN,
    free_port,
    rasa_api_auth,
    running_server,
)

TARGETS_MS = {"parse_p50": 50.0, "turn_p50": 150.0}
TARGET_STARTUP_S = 60.0


def rss_mb(pid: int) -> float:
    """Return the resident memory of a process and its children in MiB."""
    import subprocess

    out = subprocess.run(
        ["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return sum(int(v) for v in out.split()) / 1024


def percentile(values: list[float], q: float) -> float:
    """Return the q-quantile (0..1) of the values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def test_messages(limit: int) -> list[str]:
    """Return up to ``limit`` messages of the held-out test set (repeated if needed)."""
    from rasa.shared.nlu.training_data.loading import load_data

    texts = [m.get("text") for m in load_data(str(ROOT / "tests" / "nlu")).intent_examples]
    return (texts * (limit // len(texts) + 1))[:limit]


def timed_ms(call) -> float:
    """Run ``call`` and return its wall time in milliseconds."""
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def main() -> int:
    """Run the benchmarks and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args()
    model = current_model_path()
    if not model.is_file():
        print(f"no trained model at {model}: run `make train`", file=sys.stderr)
        return 2
    messages = test_messages(args.messages)
    logs = Path(tempfile.mkdtemp(prefix="bench-"))
    results: dict[str, float] = {}
    aport, rport, token = free_port(), free_port(), "bench-token"
    print(">> starting the action server", flush=True)
    with running_server(
        "actions",
        [str(VENV_BIN / "rasa"), "run", "actions", "--port", str(aport), "--actions", "actions"],
        f"http://127.0.0.1:{aport}/health",
        logs,
    ) as actions:
        results["actions_startup_s"] = actions.startup_seconds
        endpoints = logs / "endpoints.yml"
        endpoints.write_text(f'action_endpoint:\n  url: "{actions.url}/webhook"\n')
        print(">> starting the Rasa server", flush=True)
        with running_server(
            "rasa",
            [
                str(VENV_BIN / "rasa"),
                "run",
                "--model",
                str(model),
                "--port",
                str(rport),
                "--enable-api",
                "--jwt-secret",
                token,
                "--jwt-method",
                "HS256",
                "--endpoints",
                str(endpoints),
            ],
            f"http://127.0.0.1:{rport}/status",
            logs,
            ready_headers=lambda: rasa_api_auth(token),
        ) as rasa:
            results["rasa_startup_s"] = rasa.startup_seconds
            results["rasa_rss_mb"] = rss_mb(rasa.process.pid)
            with httpx.Client(base_url=rasa.url, timeout=30) as client:
                client.post(
                    "/model/parse", json={"text": "Hallo"}, headers=rasa_api_auth(token)
                )  # warm-up
                print(f">> {len(messages)} parses", flush=True)
                parses = [
                    timed_ms(
                        lambda m=m: client.post(
                            "/model/parse", json={"text": m}, headers=rasa_api_auth(token)
                        )
                    )
                    for m in messages
                ]
                print(f">> {args.turns} turns", flush=True)
                turns = [
                    timed_ms(
                        lambda i=i: client.post(
                            "/webhooks/rest/webhook",
                            json={
                                "sender": f"bench-{i % 20}",
                                "message": messages[i % len(messages)],
                            },
                            headers={"Authorization": f"Bearer {REST_CHANNEL_TEST_TOKEN}"},
                        )
                    )
                    for i in range(args.turns)
                ]
    results.update(
        parse_p50=statistics.median(parses),
        parse_p95=percentile(parses, 0.95),
        turn_p50=statistics.median(turns),
        turn_p95=percentile(turns, 0.95),
    )
    r = results
    rows = [
        (
            "Rasa server start-up until /status",
            f"{r['rasa_startup_s']:.1f} s",
            f"< {TARGET_STARTUP_S:.0f} s",
        ),
        ("action server start-up", f"{r['actions_startup_s']:.1f} s", ""),
        ("Rasa server memory (RSS)", f"{r['rasa_rss_mb']:.0f} MiB", ""),
        (
            "NLU parse over HTTP, median / p95",
            f"{r['parse_p50']:.1f} / {r['parse_p95']:.1f} ms",
            f"< {TARGETS_MS['parse_p50']:.0f} ms",
        ),
        (
            "bot turn over REST, median / p95",
            f"{r['turn_p50']:.1f} / {r['turn_p95']:.1f} ms",
            f"< {TARGETS_MS['turn_p50']:.0f} ms",
        ),
    ]
    lines = [
        "# Benchmarks",
        "",
        f"model: `{model.name}`",
        "",
        "| measure | value | target |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {name} | {value} | {target} |" for name, value, target in rows]
    report = "\n".join(lines) + "\n"
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "bench.md").write_text(report)
    print(report)
    missed = [k for k, limit in TARGETS_MS.items() if results[k] > limit]
    if results["rasa_startup_s"] > TARGET_STARTUP_S:
        missed.append("rasa_startup_s")
    if missed:
        print(f"targets missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
