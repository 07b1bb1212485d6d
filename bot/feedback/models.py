"""Stored ratings and feedback (same database and migrations as the CRM)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Text

from bot.crm.models.base import Base


class Feedback(Base):
    """A CSAT rating (1-5), its optional comment, or free-text feedback (masked).

    ``served_by`` is ``bot`` or ``bot+agent``; ``agent_id`` names the agent.
    """

    __tablename__ = "feedback"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(20), nullable=False)
    kind = Column(String(10), nullable=False)
    score = Column(Integer, nullable=True)
    comment = Column(Text, nullable=True)
    customer_number = Column(String(12), nullable=True, index=True)
    served_by = Column(String(10), nullable=False)
    # the agent's id; no foreign key: the agents may live in a database of
    # their own (ESCALATION_DATABASE_URL, bot.escalation.db)
    agent_id = Column(Integer, nullable=True)
    created_at = Column(DateTime, nullable=False, index=True)
