"""Turn Rasa's events into inbox entries: which user messages a trainer should see.

Both sources (the tracker store in the embedded default, the RabbitMQ event
queue in production) feed the same :class:`InboxCollector`, event by event,
per conversation. A user message is judged once its turn is over: when the
customer's next message has arrived (a request for a human or an outburst
right after it says the bot got it wrong), or when the conversation has been
quiet for ``settle_seconds``. Judging writes through the inbox, whose unique
keys make a second reading of the same event change nothing, so a restart
that reads the events again, or a redelivered queue message, is harmless.

Every judged message is counted for the per-intent figures; those counts
wait in memory until :meth:`InboxCollector.save_counts` (called by
:meth:`~InboxCollector.flush`, so once per tracker-store sweep) writes them
in one transaction, instead of one write transaction per message (issue
#14). A count lost with the process is written after the restart, when the
events are read again.

Reasons, in order (the first one that applies is the item's reason):
``nlu_fallback`` (the pipeline sent it to the fallback), ``low_confidence``
(the top intent was below :data:`LOW_CONFIDENCE`), ``rephrase`` (the bot
asked the customer to rephrase after it), ``human`` / ``frustration`` (the
customer's next message asked for a person or was frustrated).
"""

from __future__ import annotations

import hashlib
import logging
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from bot.dialogue.slots import AGENT_TAKEOVER
from bot.training.inbox import Sighting, TrainingInbox, TurnCount
from bot.training.masking import mask_message
from bot.training.schemas import Reason

logger = logging.getLogger(__name__)

LOW_CONFIDENCE = 0.6
"""Below this top-intent confidence a message is worth a trainer's look.

Chosen from ``make nlu-eval`` on both held-out sets (docs/training.md): of
the in-scope messages that got an answer (at least the fallback's 0.4), the
band 0.4-0.6 held 12 of the 22 misreadings and 3.6 % of the right answers.
"""
FALLBACK_INTENT = "nlu_fallback"
REPHRASE_ACTIONS = frozenset({"utter_ask_rephrase", "action_default_ask_affirmation"})
HUMAN_INTENT = "request_human"
FRUSTRATION_INTENT = "express_frustration"
SETTLE_SECONDS = 30.0
CONTEXT_TURNS = 6
"""Masked turns kept before a message (and the reply and next message after it)."""
MAX_EVENTS_PER_CONVERSATION = 60
MAX_UNSAVED_COUNTS = 50_000
"""Counts kept for another try while the database cannot take them (the oldest go first)."""
TAKEOVER_SLOT = AGENT_TAKEOVER


@dataclass
class _Conversation:
    events: deque[dict[str, Any]] = field(
        default_factory=lambda: deque(maxlen=MAX_EVENTS_PER_CONVERSATION)
    )
    pending: list[int] = field(default_factory=list)
    """Sequence numbers of user messages not judged yet."""
    next_seq: int = 0
    last_time: float = 0.0
    takeover: bool = False


class InboxCollector:
    """Judges user messages from a stream of Rasa events and records those for the inbox.

    Args:
        inbox: Where items and turn counts go.
        names: The names to mask (the CRM's), read when a message is masked.
        low_confidence: See :data:`LOW_CONFIDENCE`.
        settle_seconds: A quiet conversation's last message is judged after this long.

    """

    def __init__(
        self,
        inbox: TrainingInbox,
        names: Callable[[], Collection[str]] = frozenset,
        low_confidence: float = LOW_CONFIDENCE,
        settle_seconds: float = SETTLE_SECONDS,
    ) -> None:
        self._inbox = inbox
        self._names = names
        self._low = low_confidence
        self._settle = settle_seconds
        self._conversations: dict[str, _Conversation] = {}
        self._counts: list[TurnCount] = []

    def feed(self, sender_id: str, event: dict[str, Any]) -> int:
        """Take one event of a conversation (in order); return how many items it recorded."""
        if not sender_id or not isinstance(event, dict):
            return 0
        conversation = self._conversations.setdefault(sender_id, _Conversation())
        kind = event.get("event")
        stamp = _number(event.get("timestamp"))
        conversation.last_time = max(conversation.last_time, stamp)
        recorded = 0
        if kind == "user":
            # the previous messages' turns are over: judge them now
            recorded = self._judge(sender_id, conversation, next_user=event)
            if not conversation.takeover and _is_typed(event):
                conversation.pending.append(conversation.next_seq)
        elif kind == "slot" and event.get("name") == TAKEOVER_SLOT:
            conversation.takeover = bool(event.get("value"))
        elif kind in {"restart", "session_started"}:
            conversation.takeover = False
        event = {**event, "_seq": conversation.next_seq}
        conversation.next_seq += 1
        conversation.events.append(event)
        return recorded

    def flush(self, now: float) -> int:
        """Judge the last message of every conversation quiet for ``settle_seconds``.

        Then write the turn counts judged so far (:meth:`save_counts`).
        """
        recorded = 0
        for sender_id, conversation in list(self._conversations.items()):
            if now - conversation.last_time < self._settle:
                continue
            recorded += self._judge(sender_id, conversation, next_user=None)
            del self._conversations[sender_id]
        self.save_counts()
        return recorded

    def save_counts(self) -> int:
        """Write the turn counts judged since the last call, in one transaction.

        Returns:
            How many were new (a message counted before counts once).

        """
        if not self._counts:
            return 0
        counts, self._counts = self._counts, []
        try:
            return self._inbox.count_turns(counts)
        except Exception:  # the database is away: keep them for the next call
            logger.exception("Could not save the inbox's turn counts; trying again later")
            self._counts = (counts + self._counts)[-MAX_UNSAVED_COUNTS:]
            return 0

    def _judge(
        self, sender_id: str, conversation: _Conversation, next_user: dict[str, Any] | None
    ) -> int:
        recorded = 0
        events = list(conversation.events)
        for seq in conversation.pending:
            index = next((i for i, e in enumerate(events) if e["_seq"] == seq), None)
            if index is None:
                continue  # pushed out of the buffer (a very long turn): nothing to judge
            try:
                recorded += self._judge_one(sender_id, events, index, next_user)
            except Exception:  # one bad event never stops the collector
                logger.exception("Could not judge a message of a conversation for the inbox")
        conversation.pending = []
        return recorded

    def _judge_one(
        self,
        sender_id: str,
        events: list[dict[str, Any]],
        index: int,
        next_user: dict[str, Any] | None,
    ) -> int:
        message = events[index]
        parse = message.get("parse_data") or {}
        final = str((parse.get("intent") or {}).get("name") or "")
        ranking: list[dict[str, Any]] = [
            {"intent": str(r.get("name")), "confidence": round(_number(r.get("confidence")), 4)}
            for r in parse.get("intent_ranking") or []
            if r.get("name") and r.get("name") != FALLBACK_INTENT
        ][:3]
        top: dict[str, Any] = (
            ranking[0] if ranking else {"intent": final or "unknown", "confidence": 0.0}
        )
        stamp = _number(message.get("timestamp"))
        key = _event_key(sender_id, message)
        seen_at = datetime.fromtimestamp(stamp, tz=timezone.utc)
        self._counts.append(TurnCount(key, str(top["intent"]), final == FALLBACK_INTENT, seen_at))
        after = [e for e in events[index + 1 :]]
        reason = self._reason(final, float(top["confidence"]), after, next_user)
        if reason is None:
            return 0
        names = self._names()
        context = _context(events, index, next_user, names)
        sighting = Sighting(
            event_key=key,
            text=mask_message(str(message.get("text") or ""), names),
            reason=reason,
            predictions=ranking,
            conversation_id=sender_id,
            channel=message.get("input_channel"),
            seen_at=seen_at,
            context=context,
        )
        return 1 if self._inbox.record(sighting) is not None else 0

    def _reason(
        self,
        final: str,
        confidence: float,
        after: list[dict[str, Any]],
        next_user: dict[str, Any] | None,
    ) -> Reason | None:
        if final == FALLBACK_INTENT:
            return Reason.NLU_FALLBACK
        if confidence < self._low and final not in {HUMAN_INTENT, FRUSTRATION_INTENT}:
            return Reason.LOW_CONFIDENCE
        if any(e.get("event") == "action" and e.get("name") in REPHRASE_ACTIONS for e in after):
            return Reason.REPHRASE
        if final in {HUMAN_INTENT, FRUSTRATION_INTENT}:
            return None  # understood; the message before it is the one to look at
        following = ((next_user or {}).get("parse_data") or {}).get("intent") or {}
        if following.get("name") == HUMAN_INTENT:
            return Reason.HUMAN
        if following.get("name") == FRUSTRATION_INTENT:
            return Reason.FRUSTRATION
        return None


def _is_typed(event: dict[str, Any]) -> bool:
    """Tell whether the customer typed it (not a button's ``/intent`` payload, not empty)."""
    text = str(event.get("text") or "").strip()
    return bool(text) and not text.startswith("/")


def _event_key(sender_id: str, message: dict[str, Any]) -> str:
    """Return a key unique per user message: conversation, event time, text hash."""
    digest = hashlib.sha256(str(message.get("text") or "").encode("utf-8")).hexdigest()[:16]
    conversation = hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:32]
    return f"{conversation}:{_number(message.get('timestamp')):.6f}:{digest}"


def _context(
    events: list[dict[str, Any]],
    index: int,
    next_user: dict[str, Any] | None,
    names: Collection[str],
) -> list[dict[str, object]]:
    """Return the masked turns before the message, the message, the replies and the next message."""
    before = [e for e in events[:index] if e.get("event") in {"user", "bot"} and e.get("text")]
    following = [e for e in events[index + 1 :] if e.get("event") == "bot" and e.get("text")]
    turns: list[dict[str, object]] = []
    for event in before[-CONTEXT_TURNS:]:
        turns.append(_turn(event, names))
    turns.append({**_turn(events[index], names), "current": True})
    turns += [_turn(event, names) for event in following[:3]]
    if next_user is not None and next_user.get("text"):
        turns.append(_turn(next_user, names))
    return turns


def _turn(event: dict[str, Any], names: Collection[str]) -> dict[str, object]:
    speaker = "customer" if event.get("event") == "user" else "bot"
    metadata = event.get("metadata") or {}
    if speaker == "bot" and isinstance(metadata, dict) and metadata.get("sender") == "agent":
        speaker = "agent"
    return {"speaker": speaker, "text": mask_message(str(event.get("text") or ""), names)}


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0
