"""The inbox tables (same database and migrations as the CRM).

An item is one masked text (``text_key`` is unique: the same masked text is
one item, however often customers wrote it); a sighting is one user message
in one conversation (``event_key`` is unique: reading the same event again,
from the tracker store or the event queue, changes nothing). Times are naive
UTC, like the CRM's.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String, Text

from bot.crm.models.base import Base


class InboxItem(Base):
    """A masked customer message for trainers to label."""

    __tablename__ = "training_inbox"
    __table_args__ = (Index("ix_training_inbox_status_count", "status", "count"),)

    id = Column(Integer, primary_key=True)
    text_key = Column(String(64), nullable=False, unique=True)
    text = Column(Text, nullable=False)
    reason = Column(String(30), nullable=False, index=True)
    predicted_intent = Column(String(60), nullable=True, index=True)
    predictions = Column(JSON, nullable=False)
    count = Column(Integer, nullable=False, default=1)
    first_seen = Column(DateTime, nullable=False)
    last_seen = Column(DateTime, nullable=False)
    conversation_id = Column(String(255), nullable=True)
    channel = Column(String(40), nullable=True)
    status = Column(String(20), nullable=False, default="open")
    label_intent = Column(String(60), nullable=True)
    label_entities = Column(JSON, nullable=True)
    # the agent's id; no foreign key: the agents may live in a database of
    # their own (ESCALATION_DATABASE_URL, bot.escalation.db)
    labelled_by = Column(Integer, nullable=True)
    labelled_at = Column(DateTime, nullable=True)


class InboxSighting(Base):
    """One user message that put (or counted) an item into the inbox."""

    __tablename__ = "training_sightings"

    id = Column(Integer, primary_key=True)
    event_key = Column(String(300), nullable=False, unique=True)
    item_id = Column(Integer, ForeignKey("training_inbox.id"), nullable=False, index=True)
    conversation_id = Column(String(255), nullable=False)
    seen_at = Column(DateTime, nullable=False)
    context = Column(JSON, nullable=False)


class ParsedTurn(Base):
    """One user message the model parsed: its top intent, and whether it fell back.

    No text: these rows only count, per intent, how often it was predicted
    and how often the message went to the fallback instead (the workbench's
    per-intent figures). ``event_key`` makes counting idempotent.
    """

    __tablename__ = "training_turns"

    id = Column(Integer, primary_key=True)
    event_key = Column(String(300), nullable=False, unique=True)
    intent = Column(String(60), nullable=False, index=True)
    fell_back = Column(Integer, nullable=False, default=0)
    seen_at = Column(DateTime, nullable=False)
