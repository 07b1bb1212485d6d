"""Recall campaigns and the vehicles they affect."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import relationship

from bot.crm.models.base import Base


class RecallCampaign(Base):
    """A recall campaign such as RC-2026-07."""

    __tablename__ = "recall_campaigns"

    id = Column(Integer, primary_key=True)
    code = Column(String(20), nullable=False, unique=True)
    title = Column(String(160), nullable=False)
    remedy = Column(String(300), nullable=False)

    vehicles = relationship("RecallVehicle", back_populates="campaign")


class RecallVehicle(Base):
    """A VIN affected by a campaign (whether or not the vehicle is in our CRM)."""

    __tablename__ = "recall_vehicles"
    __table_args__ = (UniqueConstraint("campaign_id", "vin"),)

    id = Column(Integer, primary_key=True)
    campaign_id = Column(Integer, ForeignKey("recall_campaigns.id"), nullable=False)
    vin = Column(String(17), nullable=False, index=True)

    campaign = relationship("RecallCampaign", back_populates="vehicles", lazy="joined")
