"""Rasa's SQL tracker store: the customer's conversations, and conversations past retention.

The store is the ``events`` table Rasa's ``SQLTrackerStore`` writes (SQLite
by default, PostgreSQL in production; see ``bot.escalation.tracker_sweeper``).
A conversation is all events of one sender id: erasing deletes them all, so
Rasa starts afresh when that sender writes again. A customer's conversations
are the senders the other stores name plus those whose events hold the
customer number in a verification slot (a login with a customer token sets
the same slot; the token itself is never stored, ``bot.rasa.tracker_store``).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import create_engine, delete, func, inspect, select
from sqlalchemy.engine import Engine

from bot.dialogue.slots import CUSTOMER_NUMBER, VERIFIED_CUSTOMER_NUMBER
from bot.escalation.tracker_sweeper import EVENTS
from bot.privacy.erasers import Counts, RetentionCutoffs, Subject, timestamp_of

logger = logging.getLogger(__name__)

IDENTITY_SLOTS = frozenset({VERIFIED_CUSTOMER_NUMBER, CUSTOMER_NUMBER})
"""Slots whose value names the customer."""


class TrackerStoreEraser:
    """Deletes conversations from Rasa's tracker store.

    Args:
        url_or_engine: SQLAlchemy URL (or engine) of the tracker store.

    """

    name = "tracker_store"

    def __init__(self, url_or_engine: str | Engine) -> None:
        self._engine = (
            create_engine(url_or_engine, pool_pre_ping=True)
            if isinstance(url_or_engine, str)
            else url_or_engine
        )

    def _has_events(self) -> bool:
        """Tell whether Rasa has created its table yet (a fresh install has none)."""
        return bool(inspect(self._engine).has_table(EVENTS.name))

    def find_conversations(self, customer_number: str) -> set[str]:
        """Return senders whose identity slots hold the customer number."""
        if not self._has_events():
            return set()
        query = select(EVENTS.c.sender_id, EVENTS.c.data).where(
            EVENTS.c.type_name == "slot", EVENTS.c.data.contains(customer_number)
        )
        found: set[str] = set()
        with self._engine.connect() as connection:
            for sender, data in connection.execute(query):
                event = _parse(data)
                if event.get("name") in IDENTITY_SLOTS and event.get("value") == customer_number:
                    found.add(str(sender))
        return found

    def erase(self, subject: Subject) -> Counts:
        """Delete every event of the subject's conversations."""
        senders = sorted(subject.conversation_ids)
        if not senders or not self._has_events():
            return {"conversations": 0, "events": 0}
        with self._engine.begin() as connection:
            present = connection.execute(
                select(func.count(func.distinct(EVENTS.c.sender_id))).where(
                    EVENTS.c.sender_id.in_(senders)
                )
            ).scalar_one()
            events = connection.execute(
                delete(EVENTS).where(EVENTS.c.sender_id.in_(senders))
            ).rowcount
        return {"conversations": int(present), "events": int(events or 0)}

    def expire(self, cutoffs: RetentionCutoffs, *, dry_run: bool) -> Counts:
        """Delete conversations whose last event is older than the conversation cutoff."""
        if not self._has_events():
            return {"conversations": 0, "events": 0}
        cutoff = timestamp_of(cutoffs.conversations)
        last = (
            select(EVENTS.c.sender_id)
            .group_by(EVENTS.c.sender_id)
            .having(func.max(EVENTS.c.timestamp) < cutoff)
        )
        with self._engine.begin() as connection:
            senders = [str(row[0]) for row in connection.execute(last)]
            events = 0
            if senders:
                count = select(func.count()).where(EVENTS.c.sender_id.in_(senders))
                events = int(connection.execute(count.select_from(EVENTS)).scalar_one())
                if not dry_run:
                    connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(senders)))
        return {"conversations": len(senders), "events": events}

    def close(self) -> None:
        """Release the connection pool."""
        self._engine.dispose()


def _parse(data: str | None) -> dict[str, Any]:
    try:
        parsed = json.loads(data or "{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}
