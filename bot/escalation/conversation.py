"""Read a Rasa conversation (its events as JSON) into the parts of the context package.

The same code serves the action server (``tracker.events``) and the bot
service reading Rasa's tracker store, so an escalation looks the same
whichever path recorded it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from bot.dialogue.slots import NOT_SHOWN_TO_AGENTS, REQUESTED_INTENT
from bot.topics import CONVERSATIONAL_INTENTS

SKIPPED_ACTIONS = frozenset(
    {"action_listen", "action_session_start", "action_unlikely_intent", "action_extract_slots"}
)
INTERNAL_SLOTS = NOT_SHOWN_TO_AGENTS
SOCIAL_INTENTS = CONVERSATIONAL_INTENTS | {"request_human"}


@dataclass(frozen=True)
class TranscriptLine:
    """One message of the conversation."""

    role: str
    text: str
    timestamp: datetime
    source_key: str


@dataclass
class ConversationFacts:
    """What the conversation tells an agent.

    Attributes:
        transcript: Customer, bot and agent messages in order.
        intents: Per customer message: intent, confidence, text, timestamp.
        entities: Entities the NLU found, first value per (entity, value) pair.
        bot_actions: Actions the bot ran (names and times), listening excluded.
        slots: Slot values at the end (None and internal slots left out).
        channel: The Rasa input channel of the last customer message.
        last_user_timestamp: Unix time of the last customer message.

    """

    transcript: list[TranscriptLine] = field(default_factory=list)
    intents: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    bot_actions: list[dict[str, Any]] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    channel: str | None = None
    last_user_timestamp: float | None = None

    def topic_intent(self) -> str | None:
        """Return the last self-service intent the customer asked about."""
        requested = self.slots.get(REQUESTED_INTENT)
        if isinstance(requested, str) and requested:
            return requested
        for entry in reversed(self.intents):
            if entry["intent"] not in SOCIAL_INTENTS:
                return str(entry["intent"])
        return None


def read_conversation(
    events: Iterable[Mapping[str, Any]], slots: Mapping[str, Any] | None = None
) -> ConversationFacts:
    """Turn Rasa events into the facts of the context package.

    Args:
        events: The conversation's events as Rasa serialises them.
        slots: Current slot values; replayed from the slot events when None.

    """
    facts = ConversationFacts()
    replayed: dict[str, Any] = {}
    seen_entities: set[tuple[str, str]] = set()
    for index, event in enumerate(events):
        kind = event.get("event")
        stamp = float(event.get("timestamp") or 0.0)
        key = f"{stamp:.6f}:{index}"
        if kind == "user":
            _read_user(facts, event, stamp, key, seen_entities)
        elif kind == "bot":
            text = (event.get("text") or "").strip()
            if text:
                facts.transcript.append(TranscriptLine(_bot_role(event), text, _utc(stamp), key))
        elif kind == "action":
            name = event.get("name")
            if name and name not in SKIPPED_ACTIONS:
                facts.bot_actions.append({"action": name, "timestamp": _iso(stamp)})
        elif kind == "slot":
            replayed[str(event.get("name"))] = event.get("value")
        elif kind == "session_started":
            facts.bot_actions.append({"action": "session_started", "timestamp": _iso(stamp)})
    values = dict(slots) if slots is not None else replayed
    facts.slots = {
        name: value
        for name, value in sorted(values.items())
        if value not in (None, [], "") and name not in INTERNAL_SLOTS
    }
    return facts


def _read_user(
    facts: ConversationFacts,
    event: Mapping[str, Any],
    stamp: float,
    key: str,
    seen_entities: set[tuple[str, str]],
) -> None:
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    text = event.get("text")
    facts.channel = event.get("input_channel") or facts.channel
    facts.last_user_timestamp = stamp
    if text:
        facts.transcript.append(TranscriptLine("customer", str(text), _utc(stamp), key))
    if intent.get("name"):
        facts.intents.append(
            {
                "intent": intent["name"],
                "confidence": round(float(intent.get("confidence") or 0.0), 4),
                "text": text,
                "timestamp": _iso(stamp),
            }
        )
    for entity in parse.get("entities") or []:
        pair = (str(entity.get("entity")), str(entity.get("value")))
        if pair not in seen_entities:
            seen_entities.add(pair)
            facts.entities.append({"entity": pair[0], "value": entity.get("value")})


def _bot_role(event: Mapping[str, Any]) -> str:
    metadata = event.get("metadata") or {}
    sender = metadata.get("sender") if isinstance(metadata, Mapping) else None
    return sender if sender in ("agent", "system") else "bot"


def _utc(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, tz=timezone.utc).replace(tzinfo=None)


def _iso(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, tz=timezone.utc).isoformat().replace("+00:00", "Z")
