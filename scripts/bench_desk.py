"""Measure how fast a customer's request for a human appears in an agent's open desk.

Starts its own stack on free loopback ports (bot service over a freshly seeded
SQLite CRM, action server, Rasa server with the current model), opens the desk
in headless Chromium as a logged-in agent, then per round: a new conversation
on Rasa's REST channel asks for a human, and the clock stops when the desk page
(never reloaded) shows one more entry in its queue. Prints JSON with the
median, p90 and maximum in milliseconds.

    .venv/bin/python scripts/bench_desk.py [-n 50] [--model models/nordlicht-....tar.gz]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.model_files import current_model_path  # noqa: E402
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.crm_server import CRMServer, seed  # noqa: E402
from tests.support.processes import (  # noqa: E402
    REST_CHANNEL_TEST_TOKEN,
    VENV_BIN,
    free_port,
    rasa_api_auth,
    running_server,
    server_environment,
)

AGENT, PASSWORD = "bench-agent", "bench-password-2026"
REQUEST = "Ich möchte mit einem Mitarbeiter sprechen"


def start_stack(stack: ExitStack, folder: Path, model: Path) -> tuple[str, str]:
    """Start bot service, action server and Rasa; return (bot URL, Rasa URL)."""
    rasa_port = free_port()
    seed(folder / "crm.db", population=0)
    bot = CRMServer(folder / "crm.db", folder)
    bot.env.update(
        RASA_URL=f"http://127.0.0.1:{rasa_port}",
        RASA_JWT_SECRET="bench-rasa-jwt-secret",
        ESCALATION_BUSINESS_HOURS="always",
    )
    bot.start()
    stack.callback(bot.stop)
    subprocess.run(
        [str(VENV_BIN / "bot"), "agents", "create", "--username", AGENT, "--password", PASSWORD,
         "--display-name", "Frau Bench"],
        env=bot.env, check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    actions_port = free_port()
    stack.enter_context(
        running_server(
            "actions",
            [str(VENV_BIN / "rasa"), "run", "actions", "--port", str(actions_port),
             "--actions", "actions"],
            f"http://127.0.0.1:{actions_port}/health",
            folder,
            env=server_environment(**bot.client_environment()),
        )
    )  # fmt: skip
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n')
    stack.enter_context(
        running_server(
            "rasa",
            [str(VENV_BIN / "rasa"), "run", "--model", str(model), "--port", str(rasa_port),
             "--enable-api", "--jwt-secret", "bench-rasa-jwt-secret", "--jwt-method", "HS256",
             "--endpoints", str(endpoints),
             "--credentials", str(ROOT / "credentials.yml")],
            f"http://127.0.0.1:{rasa_port}/status",
            folder,
            env=server_environment(),
            ready_headers=lambda: rasa_api_auth("bench-rasa-jwt-secret"),
            timeout=300,
        )
    )  # fmt: skip
    return bot.url, f"http://127.0.0.1:{rasa_port}"


def measure(bot_url: str, rasa_url: str, rounds: int) -> list[float]:
    """Return, per round, the seconds from the customer's message to the desk showing it."""
    from playwright.sync_api import sync_playwright

    samples = []
    rest_auth = {"Authorization": f"Bearer {REST_CHANNEL_TEST_TOKEN}"}
    with sync_playwright() as playwright, httpx.Client(timeout=30, headers=rest_auth) as client:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{bot_url}/desk")
        page.get_by_label("Benutzername").fill(AGENT)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_selector("#live-status:has-text('Live')")
        for shown in range(1, rounds + 1):
            started = time.perf_counter()
            client.post(
                f"{rasa_url}/webhooks/rest/webhook",
                json={"sender": f"bench-{uuid.uuid4().hex[:12]}", "message": REQUEST},
            ).raise_for_status()
            page.wait_for_function(
                "n => document.querySelectorAll('#queue-list .qitem').length >= n",
                arg=shown,
                timeout=30_000,
            )
            samples.append(time.perf_counter() - started)
        browser.close()
    return samples


def main() -> int:
    """Run the measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rounds", type=int, default=50)
    parser.add_argument("--model", type=Path, help="model file (default: the current one)")
    args = parser.parse_args()
    model = args.model or current_model_path()
    if not model.is_file():
        print(f"no trained model at {model}: run `make train`", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        bot_url, rasa_url = start_stack(stack, Path(folder), model.resolve())
        samples = sorted(measure(bot_url, rasa_url, args.rounds))
    report = {
        "rounds": len(samples),
        "median_ms": round(statistics.median(samples) * 1000, 1),
        "p90_ms": round(samples[int(0.9 * (len(samples) - 1))] * 1000, 1),
        "max_ms": round(samples[-1] * 1000, 1),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
