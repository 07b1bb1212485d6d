"""One analytics row per conversation (same database and migrations as the CRM)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, Float, Integer, String

from bot.crm.models.base import Base


class ConversationStat(Base):
    """What happened in one conversation; identities are erased, counts survive.

    ``conversation_id`` is Rasa's sender id plus the session start
    (``bot.conversation_log.conversation_id_for``); ``subject`` is who the
    customer is for the "came back within 24 hours" rule: the verified
    customer number, else the sender id.
    """

    __tablename__ = "conversation_stats"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, unique=True)
    sender_id = Column(String(255), nullable=True, index=True)
    subject = Column(String(255), nullable=True, index=True)
    customer_number = Column(String(12), nullable=True, index=True)
    channel = Column(String(20), nullable=False)
    started_at = Column(DateTime, nullable=False, index=True)
    ended_at = Column(DateTime, nullable=False)
    turns = Column(Integer, nullable=False)
    intents = Column(JSON, nullable=False)
    topics = Column(JSON, nullable=False)
    journeys_started = Column(JSON, nullable=False)
    journeys_completed = Column(JSON, nullable=False)
    fallbacks = Column(Integer, nullable=False)
    ended_in_fallback = Column(Boolean, nullable=False)
    escalated = Column(Boolean, nullable=False)
    escalation_reason = Column(String(40), nullable=True)
    wait_seconds = Column(Float, nullable=True)
    handle_seconds = Column(Float, nullable=True)
    csat = Column(Integer, nullable=True)
    erased = Column(Boolean, nullable=False, default=False)


class AnalyticsEvent(Base):
    """A Rasa event as analytics needs it: names, times, no message text.

    ``source_key`` makes a delivery idempotent: ``t:<events.id>`` from the
    tracker store, ``q:<sha256 of the message>`` from RabbitMQ.
    """

    __tablename__ = "analytics_events"

    id = Column(Integer, primary_key=True)
    source_key = Column(String(80), nullable=False, unique=True)
    sender_id = Column(String(255), nullable=False, index=True)
    timestamp = Column(Float, nullable=False, index=True)
    data = Column(JSON, nullable=False)
