"""Workshops, their opening hours, calendar slots and appointments."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from bot.crm.enums import AppointmentStatus, Country
from bot.crm.models.base import Base, enum_column_type


class Workshop(Base):
    """A Nordlicht workshop or dealership with a service department."""

    __tablename__ = "workshops"

    id = Column(Integer, primary_key=True)
    code = Column(String(40), nullable=False, unique=True)
    name = Column(String(120), nullable=False, unique=True)
    street = Column(String(120), nullable=False)
    postal_code = Column(String(10), nullable=False)
    city = Column(String(80), nullable=False)
    country = Column(enum_column_type(Country, "country"), nullable=False)
    phone = Column(String(40), nullable=False)
    hours_display = Column(String(120), nullable=False)

    opening_hours = relationship(
        "OpeningHours", order_by="OpeningHours.weekday", lazy="selectin"
    )


class OpeningHours(Base):
    """Opening hours of a workshop on one weekday (0 = Monday)."""

    __tablename__ = "workshop_opening_hours"
    __table_args__ = (
        UniqueConstraint("workshop_id", "weekday"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("opens < closes", name="opens_before_closes"),
    )

    id = Column(Integer, primary_key=True)
    workshop_id = Column(Integer, ForeignKey("workshops.id"), nullable=False)
    weekday = Column(Integer, nullable=False)
    opens = Column(Time, nullable=False)
    closes = Column(Time, nullable=False)


class WorkshopSlot(Base):
    """One bookable calendar slot; taken when ``appointment_id`` is set.

    Booking sets ``appointment_id`` with a conditional UPDATE (``WHERE
    appointment_id IS NULL``), so two customers can never get the same slot;
    the unique constraint on ``appointment_id`` backs that up.
    """

    __tablename__ = "workshop_slots"
    __table_args__ = (UniqueConstraint("workshop_id", "starts_at"),)

    id = Column(Integer, primary_key=True)
    workshop_id = Column(Integer, ForeignKey("workshops.id"), nullable=False)
    day = Column(Date, nullable=False, index=True)
    starts_at = Column(DateTime, nullable=False)
    ends_at = Column(DateTime, nullable=False)
    appointment_id = Column(Integer, ForeignKey("appointments.id"), nullable=True, unique=True)


class Appointment(Base):
    """A workshop appointment; ``starts_at`` is local time of the workshop."""

    __tablename__ = "appointments"

    id = Column(Integer, primary_key=True)
    appointment_number = Column(String(16), nullable=False, unique=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    vehicle_id = Column(Integer, ForeignKey("vehicles.id"), nullable=True)
    workshop_id = Column(Integer, ForeignKey("workshops.id"), nullable=False)
    starts_at = Column(DateTime, nullable=False)
    service = Column(String(120), nullable=False)
    status = Column(enum_column_type(AppointmentStatus, "appointment_status"), nullable=False)

    workshop = relationship("Workshop", lazy="joined")
    vehicle = relationship("Vehicle", lazy="joined")
