"""The escalation tables: their own metadata and migrations (:mod:`bot.escalation.db`).

An escalation is the context package an agent works from. ``open_key`` holds
the conversation id while the escalation is not resolved and is unique, so
the database itself guarantees one unresolved escalation per conversation.
Times are naive UTC, like the CRM's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    func,
    select,
)
from sqlalchemy.orm import column_property, declarative_base, deferred, relationship

from bot.crm.models.base import NAMING_CONVENTION

EscalationBase: Any = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))
"""The escalation's tables (by default in the CRM's database, beside its tables)."""


class Agent(EscalationBase):
    """A service agent who works escalations in the desk."""

    __tablename__ = "agents"

    id = Column(Integer, primary_key=True)
    username = Column(String(60), nullable=False, unique=True)
    display_name = Column(String(120), nullable=False)
    password_hash = Column(String(255), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    roles = Column(String(80), nullable=False, default="agent", server_default="agent")
    created_at = Column(DateTime, nullable=False)
    last_seen_at = Column(DateTime, nullable=True)
    token_generation = Column(Integer, nullable=False, default=0, server_default="0")


class Escalation(EscalationBase):
    """One hand-over of a conversation to a human, with its full context."""

    __tablename__ = "escalations"
    __table_args__ = (Index("ix_escalations_status_priority", "status", "priority_rank"),)

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    open_key = Column(String(255), nullable=True, unique=True)
    channel = Column(String(20), nullable=False)
    status = Column(String(20), nullable=False)
    mode = Column(String(20), nullable=False)
    reason_code = Column(String(40), nullable=False)
    reason_text = Column(String(200), nullable=False)
    priority = Column(String(10), nullable=False)
    priority_rank = Column(Integer, nullable=False)
    topic = Column(String(60), nullable=True)
    summary = Column(Text, nullable=False)
    customer = Column(JSON, nullable=False)
    customer_number = Column(String(30), nullable=True, index=True)
    intents = Column(JSON, nullable=False)
    slots = Column(JSON, nullable=False)
    bot_actions = Column(JSON, nullable=False)
    case_number = Column(String(16), nullable=True)
    trigger_timestamp = Column(Float, nullable=True)
    source = Column(String(20), nullable=False)
    created_at = Column(DateTime, nullable=False)
    callback_due_at = Column(DateTime, nullable=True)
    claimed_by_id = Column(ForeignKey("agents.id"), nullable=True)
    claimed_at = Column(DateTime, nullable=True)
    takeover_active = Column(Boolean, nullable=False, default=False)
    resolved_at = Column(DateTime, nullable=True)
    resolution = Column(Text, nullable=True)

    claimed_by = relationship(Agent, lazy="joined")
    messages = relationship(
        "EscalationMessage", order_by="EscalationMessage.id", cascade="all, delete-orphan"
    )
    notes = relationship(
        "EscalationNote", order_by="EscalationNote.id", cascade="all, delete-orphan"
    )


class EscalationMessage(EscalationBase):
    """One line of the transcript: customer, bot, agent or system."""

    __tablename__ = "escalation_messages"

    id = Column(Integer, primary_key=True)
    escalation_id = Column(ForeignKey("escalations.id"), nullable=False, index=True)
    role = Column(String(10), nullable=False)
    text = Column(Text, nullable=False)
    sent_at = Column(DateTime, nullable=False)
    agent_id = Column(ForeignKey("agents.id"), nullable=True)
    source_key = Column(String(80), nullable=True)

    attachment = relationship(
        "EscalationAttachment", uselist=False, lazy="selectin", cascade="all, delete-orphan"
    )


class EscalationAttachment(EscalationBase):
    """A file the customer sent with a transcript line (an image of a warning light, a PDF).

    ``data`` holds an uploaded file (checked by its content, at most the
    configured size) and is only read when an agent opens it; a Messenger
    attachment keeps Facebook's address (``source_url``) instead.
    """

    __tablename__ = "escalation_attachments"

    id = Column(Integer, primary_key=True)
    escalation_id = Column(
        ForeignKey("escalations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    message_id = Column(
        ForeignKey("escalation_messages.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    kind = Column(String(10), nullable=False)
    content_type = Column(String(100), nullable=True)
    filename = Column(String(120), nullable=True)
    size_bytes = Column(Integer, nullable=True)
    sha256 = Column(String(64), nullable=True)
    source = Column(String(20), nullable=False)
    source_url = Column(Text, nullable=True)
    data = deferred(Column(LargeBinary, nullable=True))
    created_at = Column(DateTime, nullable=False)


Escalation.customer_message_count = column_property(
    select(func.count(EscalationMessage.id))
    .where(EscalationMessage.escalation_id == Escalation.id, EscalationMessage.role == "customer")
    .correlate_except(EscalationMessage)
    .scalar_subquery()
)
"""Customer lines of the transcript, read with the escalation (the desk's unread counts)."""


class EscalationNote(EscalationBase):
    """An internal note of an agent (never shown to the customer)."""

    __tablename__ = "escalation_notes"

    id = Column(Integer, primary_key=True)
    escalation_id = Column(ForeignKey("escalations.id"), nullable=False, index=True)
    agent_id = Column(ForeignKey("agents.id"), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False)

    agent = relationship(Agent, lazy="joined")


class AuditEntry(EscalationBase):
    """Who did what when: every agent action and every escalation created."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    occurred_at = Column(DateTime, nullable=False, index=True)
    agent_id = Column(ForeignKey("agents.id"), nullable=True)
    escalation_id = Column(ForeignKey("escalations.id"), nullable=True, index=True)
    action = Column(String(40), nullable=False)
    details = Column(JSON, nullable=True)


class CannedResponse(EscalationBase):
    """A Textbaustein: a prepared answer with placeholders, inserted with ``/shortcut``."""

    __tablename__ = "canned_responses"

    id = Column(Integer, primary_key=True)
    shortcut = Column(String(40), nullable=False, unique=True)
    title = Column(String(120), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)
