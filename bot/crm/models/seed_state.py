"""The day the demo data was last brought up to date."""

from __future__ import annotations

from sqlalchemy import Column, Date, String

from bot.crm.models.base import Base


class SeedAnchor(Base):
    """The day a part of the seed data (``demo``, ``population``) is relative to.

    Demo dates such as "in three days" are written relative to the day of
    loading; a later seed moves them by the days since this anchor.
    """

    __tablename__ = "seed_anchors"

    name = Column(String(20), primary_key=True)
    day = Column(Date, nullable=False)
