"""Measure how fast a customer's request for a human shows up in the agent desk's queue.

Against running servers (`make run`, or the end-to-end test stack): each
round opens a new conversation on the REST channel, asks for a human, and
polls ``GET /api/escalations`` until the conversation is in the queue. Prints
JSON with the median, p90 and maximum in milliseconds, and the median time
from the bot's reply to the queue (the action records the escalation before
Rasa answers, so that is one poll).

    .venv/bin/python scripts/bench_escalation.py --username keller --password ... [-n 50]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid

import httpx


def measure(
    rasa_url: str, bot_url: str, headers: dict[str, str], rounds: int
) -> tuple[list[float], list[float]]:
    """Return, per round, the seconds from the request (and from the bot's reply) to the queue."""
    seconds, after_reply = [], []
    rest_auth = {"Authorization": f"Bearer {os.environ.get('REST_CHANNEL_TOKEN', '')}"}
    with httpx.Client(timeout=30) as client:
        for _ in range(rounds):
            sender = f"bench-{uuid.uuid4().hex[:12]}"
            started = time.perf_counter()
            client.post(
                f"{rasa_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": "Ich möchte mit einem Mitarbeiter sprechen"},
                headers=rest_auth,
            ).raise_for_status()
            replied = time.perf_counter()
            while True:
                queue = client.get(
                    f"{bot_url}/api/escalations", params={"status": "open"}, headers=headers
                )
                queue.raise_for_status()
                if any(item["conversation_id"] == sender for item in queue.json()):
                    break
                if time.perf_counter() - started > 30:
                    raise TimeoutError(f"escalation of {sender} not visible after 30 s")
                time.sleep(0.01)
            seconds.append(time.perf_counter() - started)
            after_reply.append(time.perf_counter() - replied)
    return seconds, after_reply


def main() -> int:
    """Run the measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005")
    parser.add_argument("--bot-url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("-n", "--rounds", type=int, default=50)
    args = parser.parse_args()
    login = httpx.post(
        f"{args.bot_url}/api/auth/login",
        json={"username": args.username, "password": args.password},
        timeout=10,
    )
    if login.status_code != 200:
        print(f"login failed: {login.status_code} {login.text}", file=sys.stderr)
        return 1
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    total, after_reply = measure(args.rasa_url, args.bot_url, headers, args.rounds)
    samples = sorted(total)
    report = {
        "rounds": len(samples),
        "median_ms": round(statistics.median(samples) * 1000, 1),
        "p90_ms": round(samples[int(0.9 * (len(samples) - 1))] * 1000, 1),
        "max_ms": round(samples[-1] * 1000, 1),
        "after_reply_median_ms": round(statistics.median(after_reply) * 1000, 1),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
