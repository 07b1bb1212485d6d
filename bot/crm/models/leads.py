"""Sales leads: test-drive requests, from known customers and from prospects."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String

from bot.crm.enums import Channel
from bot.crm.models.base import Base, enum_column_type


class Lead(Base):
    """A test-drive request for the sales team (a prospect needs no customer record)."""

    __tablename__ = "leads"

    id = Column(Integer, primary_key=True)
    lead_number = Column(String(16), nullable=False, unique=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=True, index=True)
    name = Column(String(120), nullable=False)
    email = Column(String(254), nullable=True)
    phone = Column(String(40), nullable=True)
    model = Column(String(80), nullable=False)
    workshop_id = Column(Integer, ForeignKey("workshops.id"), nullable=True)
    preferred_date = Column(String(80), nullable=False)
    status = Column(String(20), nullable=False, default="new")
    channel = Column(enum_column_type(Channel, "lead_channel"), nullable=False)
    conversation_id = Column(String(100), nullable=True)
    created_at = Column(DateTime, nullable=False)
