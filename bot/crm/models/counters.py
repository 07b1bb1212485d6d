"""Counters for the numbers the CRM hands out (cases, appointments)."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String

from bot.crm.models.base import Base


class NumberCounter(Base):
    """The last number handed out for one kind of document."""

    __tablename__ = "number_counters"

    name = Column(String(20), primary_key=True)
    last_value = Column(Integer, nullable=False)
