"""The verified customer's earlier conversations with the assistant, read from Rasa's tracker store.

An escalation carries the customer's recent CRM interactions; those the
assistant logged name their conversation (``sender@20261123T090000Z``: the
sender id and the start of the session, :func:`bot.conversation_log.conversation_id_for`).
This module reads that session's messages from the tracker store, so an agent
sees what the customer and the assistant said before, also in conversations
that never reached a human. Only conversations the customer's own CRM history
names are read: no other customer's conversation can appear.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine

from bot.escalation import schemas, views
from bot.escalation.conversation import read_conversation
from bot.escalation.tracker_events import EVENTS

logger = logging.getLogger(__name__)

PAST_CONVERSATIONS_LIMIT = 5
"""Earlier conversations shown with an escalation (newest first)."""
MAX_EVENTS = 400
"""Events read per conversation (a session is rarely longer)."""
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"


def split_conversation_id(conversation_id: str) -> tuple[str, datetime] | None:
    """Return (sender id, session start) of ``sender@20261123T090000Z``, or None."""
    sender, _, stamp = conversation_id.rpartition("@")
    if not sender:
        return None
    try:
        started = datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return sender, started


class PastConversations:
    """Reads earlier sessions of a sender from the tracker store (SQLAlchemy URL)."""

    def __init__(self, tracker_store_url: str) -> None:
        self._engine: Engine = create_engine(tracker_store_url, future=True, pool_pre_ping=True)

    def for_customer(
        self, interactions: Iterable[Mapping[str, Any]], current_sender: str
    ) -> list[schemas.PreviousConversation]:
        """Return the conversations the interactions name, newest first, without the current one.

        A conversation the tracker store no longer holds (erased, expired) is left out.
        """
        seen: set[str] = set()
        found: list[schemas.PreviousConversation] = []
        for interaction in interactions:
            conversation_id = str(interaction.get("conversation_id") or "")
            parts = split_conversation_id(conversation_id)
            if parts is None or conversation_id in seen:
                continue
            sender, started = parts
            if sender == current_sender:
                continue
            seen.add(conversation_id)
            transcript = self._transcript(sender, started)
            if transcript:
                found.append(
                    schemas.PreviousConversation(
                        conversation_id=conversation_id,
                        channel=str(interaction.get("channel") or ""),
                        summary=str(interaction.get("summary") or ""),
                        started_at=started,
                        transcript=transcript,
                    )
                )
            if len(found) == PAST_CONVERSATIONS_LIMIT:
                break
        found.sort(key=lambda c: c.started_at, reverse=True)
        return found

    def _transcript(self, sender: str, started: datetime) -> list[schemas.TranscriptEntry]:
        try:
            with self._engine.connect() as connection:
                rows = connection.execute(
                    select(EVENTS.c.data)
                    .where(
                        EVENTS.c.sender_id == sender,
                        EVENTS.c.timestamp >= started.timestamp() - 1,
                    )
                    .order_by(EVENTS.c.id)
                    .limit(MAX_EVENTS)
                ).scalars()
                events = [json.loads(row) for row in rows if row]
        except Exception as error:  # the tracker store may be down or not created yet
            logger.warning("Earlier conversation not readable: %s", type(error).__name__)
            return []
        session = _first_session(events)
        return [
            schemas.TranscriptEntry.parse_obj(
                {"role": line.role, "text": line.text, "timestamp": views.utc_at(line.timestamp)}
            )
            for line in read_conversation(session).transcript
        ]

    def close(self) -> None:
        """Release the connection pool."""
        self._engine.dispose()


def _first_session(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the events up to the next session's start (the one asked for ends there).

    The session's own start (``action_session_start``, ``session_started``)
    comes before its first customer message; a later one begins the next session.
    """
    spoken = False
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "user":
            spoken = True
        elif spoken and (
            kind == "session_started"
            or (kind == "action" and event.get("name") == "action_session_start")
        ):
            return events[:index]
    return events
