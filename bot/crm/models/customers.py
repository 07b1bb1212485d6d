"""Customers and their vehicles."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from bot.crm.enums import Country, Tier
from bot.crm.models.base import Base, enum_column_type


class Customer(Base):
    """A private or business customer of Nordlicht Automobile."""

    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    customer_number = Column(String(12), nullable=False, unique=True)
    salutation = Column(String(20), nullable=False, default="")
    first_name = Column(String(80), nullable=False)
    last_name = Column(String(80), nullable=False)
    email = Column(String(254), nullable=False)
    phone = Column(String(40), nullable=False)
    street = Column(String(120), nullable=False)
    postal_code = Column(String(10), nullable=False)
    city = Column(String(80), nullable=False)
    country = Column(enum_column_type(Country, "country"), nullable=False)
    customer_since = Column(Date, nullable=False)
    tier = Column(enum_column_type(Tier, "tier"), nullable=False, default=Tier.STANDARD)
    preferred_workshop_id = Column(Integer, ForeignKey("workshops.id"), nullable=True)

    preferred_workshop = relationship("Workshop", lazy="joined")
    vehicles = relationship("Vehicle", back_populates="customer", order_by="Vehicle.id")


class Vehicle(Base):
    """A vehicle owned or leased by a customer."""

    __tablename__ = "vehicles"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    vin = Column(String(17), nullable=False, unique=True)
    model = Column(String(80), nullable=False)
    plate = Column(String(20), nullable=True)
    plate_normalized = Column(String(20), nullable=True, index=True)
    first_registration = Column(Date, nullable=True)
    mileage_km = Column(Integer, nullable=True)
    next_service_due = Column(Date, nullable=True)

    customer = relationship("Customer", back_populates="vehicles")
