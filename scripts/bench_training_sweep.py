"""CPU time the training inbox's tracker-store sweep spends per user message.

Builds a tracker store (SQLite, Rasa's ``events`` table) and the CRM (seeded
SQLite), then plays ``--users`` conversations at once: each round every user
sends a message (user event with a ten-intent ranking, action and bot
events, as Rasa writes them), then the collector sweeps, as it does every
few seconds in the bot service. Prints the CPU time per user message and
the write transactions on the CRM database per sweep.

Usage:

    .venv/bin/python scripts/bench_training_sweep.py --users 20 --rounds 30
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.crm.db import create_crm_engine
from bot.crm.service import CRMService
from bot.escalation.tracker_sweeper import EVENTS
from bot.training.collector import InboxCollector
from bot.training.inbox import TrainingInbox
from bot.training.sources import TrackerStoreSource
from tests.support.crm_server import seed

INTENTS = [f"intent_{index}" for index in range(10)]


def turn_events(sender: int, turn: int, at: float) -> list[dict[str, Any]]:
    """One turn as Rasa stores it: the message, the prediction, the answer, listening."""
    confidence = 0.5 if turn % 5 == 0 else 0.93  # every fifth message is worth a look
    ranking = [
        {"name": name, "confidence": round(confidence / (rank + 1), 4)}
        for rank, name in enumerate(INTENTS)
    ]
    return [
        {
            "event": "user",
            "timestamp": at,
            "text": f"Kunde {sender} fragt zum {turn}. Mal nach dem Termin",
            "input_channel": "rest",
            "message_id": f"{sender}-{turn}",
            "parse_data": {
                "text": "...",
                "intent": {"name": INTENTS[turn % 10], "confidence": confidence},
                "intent_ranking": ranking,
                "entities": [],
            },
            "metadata": {},
        },
        {"event": "action", "timestamp": at + 0.1, "name": "action_answer", "confidence": 0.99},
        {"event": "bot", "timestamp": at + 0.2, "text": "Gern, einen Moment bitte.", "data": {}},
        {"event": "action", "timestamp": at + 0.3, "name": "action_listen", "confidence": 0.99},
    ]


def main() -> None:
    """Build, play, sweep, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    try:
        seed(workdir / "crm.db", population=50)
        crm = create_crm_engine(f"sqlite:///{workdir / 'crm.db'}")
        service = CRMService(crm)
        inbox = TrainingInbox(service.session_factory, INTENTS, [])
        tracker_url = f"sqlite:///{workdir / 'tracker.db'}"
        tracker = create_engine(tracker_url, future=True)
        EVENTS.metadata.create_all(tracker)
        source = TrackerStoreSource(tracker_url, InboxCollector(inbox, settle_seconds=30))
        commits = 0

        def count_commit(*_args: Any) -> None:
            nonlocal commits
            commits += 1

        event.listen(crm, "commit", count_commit)
        now, spent, messages = time.time(), 0.0, 0
        for turn in range(args.rounds):
            now += 4.0
            rows = [
                {
                    "sender_id": f"bench-{sender}",
                    "type_name": e["event"],
                    "timestamp": e["timestamp"],
                    "action_name": e.get("name"),
                    "data": json.dumps(e),
                }
                for sender in range(args.users)
                for e in turn_events(sender, turn, now + sender * 0.01)
            ]
            with tracker.begin() as connection:
                connection.execute(EVENTS.insert(), rows)
            started = time.process_time()
            source.sweep(now=now + 1.0)
            spent += time.process_time() - started
            messages += args.users
        started = time.process_time()
        source.sweep(now=now + 100)  # the last messages settle
        spent += time.process_time() - started
        print(
            f"{messages} user messages in {args.rounds + 1} sweeps: "
            f"CPU {spent / messages * 1000:.3f} ms per message, "
            f"{commits / (args.rounds + 1):.1f} CRM commits per sweep"
        )
        source.close()
        tracker.dispose()
        crm.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
