"""Cases (complaints, warranty claims, ...) and the contact history."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import relationship

from bot.crm.enums import CaseKind, CasePriority, CaseStatus, Channel
from bot.crm.models.base import Base, enum_column_type


class Case(Base):
    """A customer concern that needs follow-up by a person."""

    __tablename__ = "cases"

    id = Column(Integer, primary_key=True)
    case_number = Column(String(16), nullable=False, unique=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    kind = Column(enum_column_type(CaseKind, "case_kind"), nullable=False)
    subject = Column(String(160), nullable=False)
    description = Column(Text, nullable=False, default="")
    status = Column(enum_column_type(CaseStatus, "case_status"), nullable=False)
    priority = Column(enum_column_type(CasePriority, "case_priority"), nullable=False)
    opened_at = Column(DateTime, nullable=False)


class Interaction(Base):
    """One contact with the customer on any channel (times in UTC)."""

    __tablename__ = "interactions"
    __table_args__ = (Index("ix_interactions_customer_occurred", "customer_id", "occurred_at"),)

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    occurred_at = Column(DateTime, nullable=False)
    channel = Column(enum_column_type(Channel, "channel"), nullable=False)
    topic = Column(String(40), nullable=True)
    summary = Column(String(500), nullable=False)
    case_id = Column(Integer, ForeignKey("cases.id"), nullable=True)
    conversation_id = Column(String(100), nullable=True, index=True)
    details = Column(JSON, nullable=True)

    case = relationship("Case", lazy="joined")
