"""How much a CRM look-up adds to a bot turn, measured against running servers.

Both kinds of turn run the same action (``action_greet`` answering "Hallo"):
for an anonymous customer it answers without the CRM, for a logged-in
(already greeted) customer it first loads the profile from the CRM. The
difference of the two distributions is what the CRM look-up costs.

Usage (servers running, e.g. ``make run``):

    python scripts/bench_crm_latency.py --rasa http://127.0.0.1:5005 \
        --crm http://127.0.0.1:8000 --turns 200

Needs CUSTOMER_TOKEN_SECRET and CRM_API_TOKEN in the environment (the ones the
servers use).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid

import httpx

from bot.customer_tokens import issue_customer_token


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def turn(client: httpx.Client, rasa: str, sender: str, text: str, metadata: dict | None) -> float:
    body = {"sender": sender, "message": text, **({"metadata": metadata} if metadata else {})}
    started = time.perf_counter()
    response = client.post(f"{rasa}/webhooks/rest/webhook", json=body)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rasa", default="http://127.0.0.1:5005")
    parser.add_argument("--crm", default="http://127.0.0.1:8000")
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--customer", default="K-100001")
    args = parser.parse_args()

    token = issue_customer_token(args.customer, os.environ["CUSTOMER_TOKEN_SECRET"])
    anonymous, known = f"bench-a-{uuid.uuid4().hex[:8]}", f"bench-k-{uuid.uuid4().hex[:8]}"
    rest_auth = {"Authorization": f"Bearer {os.environ.get('REST_CHANNEL_TOKEN', '')}"}
    with httpx.Client(timeout=30, headers=rest_auth) as client:
        turn(client, args.rasa, anonymous, "Hallo", None)  # warm up, start the sessions
        turn(client, args.rasa, known, "Hallo", {"customer_token": token})
        without, with_crm, profile = [], [], []
        for _ in range(args.turns):
            without.append(turn(client, args.rasa, anonymous, "Hallo", None))
            with_crm.append(turn(client, args.rasa, known, "Hallo", {"customer_token": token}))
            started = time.perf_counter()
            client.get(
                f"{args.crm}/api/crm/customers/{args.customer}",
                headers={"Authorization": f"Bearer {os.environ['CRM_API_TOKEN']}"},
            ).raise_for_status()
            profile.append((time.perf_counter() - started) * 1000)

    def row(name: str, values: list[float]) -> str:
        median, p95 = statistics.median(values), percentile(values, 0.95)
        return f"{name:<34} median {median:7.1f} ms   p95 {p95:7.1f} ms   max {max(values):7.1f} ms"

    print(f"{args.turns} turns each")
    print(row("turn without CRM (anonymous)", without))
    print(row("turn with CRM profile look-up", with_crm))
    print(row("CRM profile GET alone", profile))
    added = statistics.median(with_crm) - statistics.median(without)
    added_p95 = percentile(with_crm, 0.95) - percentile(without, 0.95)
    print(f"{'added by the CRM look-up':<34} median {added:7.1f} ms   p95 {added_p95:7.1f} ms")


if __name__ == "__main__":
    main()
