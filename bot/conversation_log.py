"""Write each chat conversation into the verified customer's interaction history.

One history entry per topic of a conversation (not one entry rewritten as
topics accumulate): the CRM's history is append-only - a contact, once
recorded, is a fact with its own time and is never edited - and an agent
reads "23.11. Chat: identity confirmed by login", "23.11. Chat: question
about an order" at a glance. The pair (conversation id, topic) is the
idempotency key: a topic is written once per conversation however often the
customer comes back to it, and an entry the CRM already holds is not written
again.

Entries are written in the background, so a slow CRM never delays an answer;
failed writes are retried a few times and then given up with a log line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.crm.client import CRMClient
from bot.crm.enums import Channel
from bot.crm.errors import CRMError, CRMUnavailable
from bot.crm.schemas import Interaction, InteractionCreate
from bot.topics import IDENTIFIED, PERSONAL_TOPICS

logger = logging.getLogger(__name__)

MAX_CONVERSATION_ID = 100
"""Length limit of the CRM's conversation id."""
SUMMARY_PREFIX = "Digitaler Assistent"
_IDENTIFICATION = {
    "postal_code": "Identität bestätigt (Kundennummer und Postleitzahl)",
    "customer_token": "Identität bestätigt (Anmeldung auf der Website)",
}
_CHANNELS = {"facebook": Channel.MESSENGER, "messenger": Channel.MESSENGER}


@dataclass(frozen=True)
class Conversation:
    """Which conversation an entry belongs to.

    Attributes:
        conversation_id: Rasa's conversation (sender) id and the session start.
        channel: Where the customer writes from.

    """

    conversation_id: str
    channel: Channel = Channel.CHAT

    def origin(self) -> dict[str, Any]:
        """Return the ``channel`` and ``conversation_id`` fields of a CRM write."""
        return {"channel": self.channel, "conversation_id": self.conversation_id}


SESSION_STAMP = "%Y%m%dT%H%M%SZ"
"""How the session start is written into a conversation id (UTC)."""


def conversation_id_for(sender_id: str, session_started: datetime | None = None) -> str:
    """Return the id of one conversation: the sender id plus the start of the session.

    A Messenger user keeps one sender id for ever; each session (a new one
    starts after an hour of silence) is a conversation of its own.
    """
    if session_started is None:
        return sender_id[:MAX_CONVERSATION_ID]
    stamp = session_started.astimezone(timezone.utc).strftime(SESSION_STAMP)
    return f"{sender_id[: MAX_CONVERSATION_ID - len(stamp) - 1]}@{stamp}"


def parse_conversation_id(conversation_id: str) -> tuple[str, datetime | None]:
    """Read :func:`conversation_id_for` back: the sender id and the session start (if any)."""
    sender, _, stamp = conversation_id.rpartition("@")
    if sender:
        try:
            started = datetime.strptime(stamp, SESSION_STAMP).replace(tzinfo=timezone.utc)
        except ValueError:
            pass
        else:
            return sender, started
    return conversation_id, None


def channel_for(input_channel: str | None) -> Channel:
    """Return the CRM channel of a Rasa input channel ("facebook" -> messenger, else chat)."""
    return _CHANNELS.get((input_channel or "").lower(), Channel.CHAT)


def summary_for(topic: str, verification_method: str | None = None) -> str:
    """Return the history summary of a topic, e.g. "Digitaler Assistent: Frage zu einer Rechnung".

    Raises:
        KeyError: ``topic`` is no topic of the history.

    """
    if topic == IDENTIFIED:
        text = _IDENTIFICATION.get(verification_method or "", "Identität bestätigt")
    else:
        text = PERSONAL_TOPICS[topic]
    return f"{SUMMARY_PREFIX}: {text}"


def is_recorded(topic: str, conversation_id: str, known: Iterable[Interaction]) -> bool:
    """Tell whether the CRM already holds the entry (conversation, topic)."""
    return any(entry.conversation_id == conversation_id and entry.topic == topic for entry in known)


class ConversationLog:
    """Records the topics of conversations in the customers' histories.

    Args:
        crm: The CRM.
        attempts: Writes per entry before giving up.
        retry_pause: Seconds between attempts.

    """

    def __init__(self, crm: CRMClient, *, attempts: int = 3, retry_pause: float = 2.0) -> None:
        self._crm = crm
        self._attempts = attempts
        self._retry_pause = retry_pause
        self._pending: set[asyncio.Task[bool]] = set()

    def submit(
        self,
        customer_number: str,
        conversation: Conversation,
        topic: str,
        *,
        logged: Collection[str] = (),
        known: Iterable[Interaction] = (),
        verification_method: str | None = None,
    ) -> bool:
        """Write the entry (conversation, topic) in the background unless it exists.

        Args:
            customer_number: The verified customer (never a number merely typed).
            conversation: The conversation.
            topic: A personal topic or :data:`~bot.topics.IDENTIFIED`.
            logged: Topics this conversation has written already.
            known: History entries the CRM returned (newest first).
            verification_method: How the customer was identified.

        Returns:
            True when the topic is (now being) recorded; the caller remembers it
            in ``logged``. False for topics the history does not record.

        """
        if topic != IDENTIFIED and topic not in PERSONAL_TOPICS:
            return False
        if topic in logged or is_recorded(topic, conversation.conversation_id, known):
            return True
        entry = InteractionCreate(
            channel=conversation.channel,
            conversation_id=conversation.conversation_id,
            topic=topic,
            summary=summary_for(topic, verification_method),
            case_number=None,
            occurred_at=None,
        )
        task = asyncio.get_running_loop().create_task(self.record(customer_number, entry))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)
        return True

    async def record(self, customer_number: str, entry: InteractionCreate) -> bool:
        """Write one entry now, retrying when the CRM is unavailable; return success."""
        for attempt in range(1, self._attempts + 1):
            try:
                await self._crm.record_interaction(customer_number, entry)
                return True
            except CRMUnavailable as error:
                if attempt == self._attempts:
                    logger.warning("History entry %s given up: %s", entry.topic, error)
                    return False
                await asyncio.sleep(self._retry_pause)
            except CRMError as error:
                logger.warning("History entry %s refused: %s", entry.topic, error)
                return False
        return False

    async def drain(self) -> None:
        """Wait until every entry submitted so far is written or given up."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)
