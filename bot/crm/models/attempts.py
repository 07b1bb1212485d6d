"""Failed attempts at proving who one is (verification, agent login), for throttling."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, String

from bot.crm.models.base import Base


class FailedAttempt(Base):
    """One failed check: which limit it counts against (``scope``) and for whom (``subject``).

    ``subject`` is a canonical customer number, an agent's username or a
    client address - never a password, postal code or message text.
    """

    __tablename__ = "failed_attempts"
    __table_args__ = (
        Index("ix_failed_attempts_scope_subject_time", "scope", "subject", "occurred_at"),
    )

    id = Column(Integer, primary_key=True)
    scope = Column(String(20), nullable=False)
    subject = Column(String(100), nullable=False)
    occurred_at = Column(DateTime, nullable=False)
