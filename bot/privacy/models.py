"""The erasure register: one row per erased customer, with the receipt."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Integer, String

from bot.crm.models.base import Base


class Erasure(Base):
    """A customer erased on request; the receipt answers a repeated request."""

    __tablename__ = "erasures"

    id = Column(Integer, primary_key=True)
    customer_number = Column(String(12), nullable=False, unique=True)
    erased_at = Column(DateTime, nullable=False)
    requested_by = Column(String(80), nullable=False)
    receipt = Column(JSON, nullable=False)
