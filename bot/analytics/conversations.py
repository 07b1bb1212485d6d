"""Turn Rasa's events of one sender into one analytics row per conversation.

A conversation is one Rasa session (``session_started`` to the next), the
same unit the history and the escalations use
(``bot.conversation_log.conversation_id_for``). Only names, counts and times
are kept: no message text, no slot values besides the verified customer
number, which the "came back within 24 hours" rule needs and erasure removes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from bot.analytics.journeys import JOURNEYS, completes
from bot.conversation_log import conversation_id_for
from bot.dialogue.slots import CSAT_SCORE, HANDOFF_REASON, VERIFIED_CUSTOMER_NUMBER

FALLBACK_INTENT = "nlu_fallback"
HANDOFF_ACTIONS = frozenset({"action_request_human", "utter_handoff_requested"})
_CHANNELS = {"facebook": "messenger", "socketio": "website", "rest": "rest"}


@dataclass
class ConversationRow:
    """What analytics keeps of one conversation (see ``bot.analytics.models``)."""

    conversation_id: str
    sender_id: str
    channel: str
    started_at: datetime
    ended_at: datetime
    customer_number: str | None = None
    turns: int = 0
    intents: list[str] = field(default_factory=list)
    journeys_started: list[str] = field(default_factory=list)
    journeys_completed: list[str] = field(default_factory=list)
    fallbacks: int = 0
    ended_in_fallback: bool = False
    escalated: bool = False
    escalation_reason: str | None = None
    wait_seconds: float | None = None
    handle_seconds: float | None = None
    csat: int | None = None

    @property
    def subject(self) -> str:
        """Who the customer is for the 24-hour rule: the verified number, else the sender."""
        return self.customer_number or f"sender:{self.sender_id}"

    @property
    def topics(self) -> list[str]:
        """The journeys the customer asked about (the "same topic" of the 24-hour rule)."""
        return sorted(set(self.journeys_started))

    def as_record(self) -> dict[str, Any]:
        """Return the row as the columns of ``conversation_stats``."""
        return {
            "conversation_id": self.conversation_id,
            "sender_id": self.sender_id,
            "subject": self.subject,
            "customer_number": self.customer_number,
            "channel": self.channel,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "turns": self.turns,
            "intents": self.intents,
            "topics": self.topics,
            "journeys_started": self.journeys_started,
            "journeys_completed": self.journeys_completed,
            "fallbacks": self.fallbacks,
            "ended_in_fallback": self.ended_in_fallback,
            "escalated": self.escalated,
            "escalation_reason": self.escalation_reason,
            "wait_seconds": self.wait_seconds,
            "handle_seconds": self.handle_seconds,
            "csat": self.csat,
        }


def conversations_of(sender_id: str, events: Iterable[Mapping[str, Any]]) -> list[ConversationRow]:
    """Split a sender's events into sessions and summarise each one.

    Sessions without a customer message (Rasa's session start alone) are left out.
    """
    rows: list[ConversationRow] = []
    current: ConversationRow | None = None
    for event in events:
        kind = event.get("event")
        moment = _moment(event)
        if kind == "session_started" or current is None:
            current = ConversationRow(
                conversation_id=conversation_id_for(sender_id, moment),
                sender_id=sender_id,
                channel="unknown",
                started_at=moment,
                ended_at=moment,
            )
            rows.append(current)
            if kind == "session_started":
                continue
        current.ended_at = max(current.ended_at, moment)
        _apply(current, event)
    return [row for row in rows if row.turns]


def _apply(row: ConversationRow, event: Mapping[str, Any]) -> None:
    kind = event.get("event")
    if kind == "user":
        row.turns += 1
        if row.channel == "unknown":
            channel = str(event.get("input_channel") or "")
            row.channel = _CHANNELS.get(channel, channel or "unknown")
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""
        row.intents.append(intent)
        row.ended_in_fallback = intent == FALLBACK_INTENT
        if intent == FALLBACK_INTENT:
            row.fallbacks += 1
        if intent in JOURNEYS and intent not in row.journeys_started:
            row.journeys_started.append(intent)
    elif kind == "bot":
        _complete(row, (event.get("metadata") or {}).get("utter_action"))
    elif kind == "action":
        name = str(event.get("name") or "")
        if name in HANDOFF_ACTIONS:
            row.escalated = True
        elif name == "action_default_fallback":
            row.ended_in_fallback = True
        elif name.startswith("utter_"):  # a response as a story or rule writes it
            _complete(row, name)
    elif kind == "slot":
        _apply_slot(row, event)


def _complete(row: ConversationRow, response: str | None) -> None:
    for journey in row.journeys_started:
        if journey not in row.journeys_completed and completes(journey, response):
            row.journeys_completed.append(journey)


def _apply_slot(row: ConversationRow, event: Mapping[str, Any]) -> None:
    name, value = event.get("name"), event.get("value")
    if name == VERIFIED_CUSTOMER_NUMBER and isinstance(value, str) and value:
        row.customer_number = value[:12]
    elif name == HANDOFF_REASON and isinstance(value, str) and value:
        row.escalation_reason = value[:40]
    elif name == CSAT_SCORE and isinstance(value, (int, float)) and 1 <= value <= 5:
        row.csat = int(value)


def _moment(event: Mapping[str, Any]) -> datetime:
    stamp = event.get("timestamp")
    seconds = float(stamp) if isinstance(stamp, (int, float)) else 0.0
    return datetime.fromtimestamp(seconds, timezone.utc)
