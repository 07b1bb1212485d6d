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
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine

from bot.conversation_log import parse_conversation_id
from bot.escalation import schemas, views
from bot.escalation.conversation import read_conversation
from bot.escalation.tracker_events import EVENTS

logger = logging.getLogger(__name__)

PAST_CONVERSATIONS_LIMIT = 5
"""Earlier conversations shown with an escalation (newest first)."""
MAX_EVENTS = 400
"""Events read per conversation (a session is rarely longer)."""
CACHE_SECONDS = 300.0
"""How long a past session's transcript is kept (it does not change; erasure
anonymises the escalations that would show it)."""
CACHE_SIZE = 1024


class PastConversations:
    """Reads earlier sessions of a sender from the tracker store (SQLAlchemy URL)."""

    def __init__(self, tracker_store_url: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._engine: Engine = create_engine(tracker_store_url, future=True, pool_pre_ping=True)
        self._clock = clock
        self._cache: dict[tuple[str, float], tuple[float, list[schemas.TranscriptEntry]]] = {}

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
            sender, started = parse_conversation_id(conversation_id)
            if started is None or sender == current_sender or conversation_id in seen:
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
        """Return a past session's transcript, read at most once per CACHE_SECONDS.

        The desk asks for the context package on every live update and every
        reply; a past session does not change, so it is not read again each time.
        """
        key, now = (sender, started.timestamp()), self._clock()
        cached = self._cache.get(key)
        if cached is not None and now - cached[0] < CACHE_SECONDS:
            return cached[1]
        transcript = self._read_transcript(sender, started)
        if transcript is None:  # not readable now: shown as none, asked again next time
            return []
        if len(self._cache) >= CACHE_SIZE:
            self._cache = {k: v for k, v in self._cache.items() if now - v[0] < CACHE_SECONDS}
        self._cache[key] = (now, transcript)
        return transcript

    def _read_transcript(
        self, sender: str, started: datetime
    ) -> list[schemas.TranscriptEntry] | None:
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
            return None
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
