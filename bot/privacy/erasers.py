"""The erasers: one per store that holds personal data, behind one small interface.

Erasure asks every registered eraser to forget a :class:`Subject` (the
customer number and every conversation found for it); retention asks each
to expire what is older than its period. A store added later (the training
inbox, for instance) plugs in with :meth:`ErasureRegistry.register` and is
covered by both without changes here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Protocol

from bot.conversation_log import parse_conversation_id

ERASED = "[gelöscht]"
"""What an erased text reads (history entries, transcripts, comments)."""

Counts = dict[str, int]
"""What a store erased or would erase, by kind of record."""


@dataclass(frozen=True)
class Subject:
    """Whom to forget.

    Attributes:
        customer_number: The customer (normalised, ``K-100005``).
        conversation_ids: Rasa sender ids of the customer's conversations,
            found through verifications, escalations and history entries.

    """

    customer_number: str
    conversation_ids: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class RetentionCutoffs:
    """Records older than these moments (naive UTC) expire.

    Attributes:
        conversations: Conversations, feedback comments, analytics identities.
        escalations: Escalations with their transcripts and notes.

    """

    conversations: datetime
    escalations: datetime


class Eraser(Protocol):
    """A store that can forget a customer and expire old records."""

    name: str
    """The store's name in receipts ("crm", "tracker_store", ...)."""

    def find_conversations(self, customer_number: str) -> set[str]:
        """Return the sender ids of conversations this store ties to the customer."""

    def erase(self, subject: Subject) -> Counts:
        """Forget the subject; return what was erased (zero counts on a repeat)."""

    def expire(self, cutoffs: RetentionCutoffs, *, dry_run: bool) -> Counts:
        """Delete or anonymise what is past retention; with ``dry_run`` only count it."""


class ErasureRegistry:
    """The erasers, in the order they run."""

    def __init__(self) -> None:
        self._erasers: list[Eraser] = []

    def register(self, eraser: Eraser) -> None:
        """Add a store; a second eraser with the same name replaces the first."""
        self._erasers = [known for known in self._erasers if known.name != eraser.name]
        self._erasers.append(eraser)

    def __iter__(self) -> Iterator[Eraser]:
        return iter(list(self._erasers))

    def names(self) -> list[str]:
        """Return the names of the registered stores."""
        return [eraser.name for eraser in self._erasers]


def sender_of(conversation_id: str | None) -> str | None:
    """Return the Rasa sender id of a conversation id (``sender@20261123T090000Z``, ``sender``)."""
    if not conversation_id:
        return None
    return parse_conversation_id(conversation_id)[0]


def pseudonym(conversation_id: str) -> str:
    """Return an id that keeps rows apart without naming the conversation."""
    return "erased-" + hashlib.sha256(conversation_id.encode()).hexdigest()[:16]


def timestamp_of(moment: datetime) -> float:
    """Return the epoch seconds of a naive UTC moment (Rasa's event timestamps)."""
    return moment.replace(tzinfo=timezone.utc).timestamp()
