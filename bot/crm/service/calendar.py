"""Workshops, their free slots and appointments.

A slot is taken when its ``appointment_id`` is set. Every claim is one
conditional UPDATE (``... WHERE appointment_id IS NULL``): the database lets
exactly one of two racing transactions change the row, the other sees zero
rows changed and gets :class:`SlotUnavailable`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import takewhile

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.crm import models, schemas
from bot.crm.enums import AppointmentStatus
from bot.crm.errors import (
    AppointmentNotChangeable,
    AppointmentNotFound,
    CRMValidationError,
    SlotUnavailable,
    VehicleNotFound,
)
from bot.crm.identifiers import (
    normalize_document_number,
    normalize_postal_code,
    normalize_vin,
    place_name_keys,
)
from bot.crm.service import mapping
from bot.crm.service.base import ServiceBase
from bot.crm.service.numbering import next_number

MAX_SLOT_DAYS = 31
_slots = models.WorkshopSlot.__table__


def claim_slot(session: Session, slot_id: int, appointment_id: int) -> bool:
    """Give a free slot to an appointment; False when it is already taken."""
    result = session.execute(
        update(_slots)
        .where(_slots.c.id == slot_id, _slots.c.appointment_id.is_(None))
        .values(appointment_id=appointment_id)
    )
    return result.rowcount == 1


def release_slot(session: Session, appointment_id: int) -> None:
    """Free the slot held by an appointment, if any."""
    session.execute(
        update(_slots).where(_slots.c.appointment_id == appointment_id).values(appointment_id=None)
    )


class CalendarOperations(ServiceBase):
    """Finding workshops and free slots; booking, moving and cancelling appointments."""

    def find_workshops(
        self, *, city: str | None = None, postal_code: str | None = None, limit: int = 3
    ) -> list[schemas.Workshop]:
        """Return workshops in a city, or the nearest ones to a postal code.

        Without a city or postal code, all workshops are returned. City names
        match without umlauts ("Muenchen", "Zurich").
        """
        with self._reading() as session:
            workshops = list(
                session.execute(select(models.Workshop).order_by(models.Workshop.id)).scalars()
            )
            if city:
                keys = place_name_keys(city)
                workshops = [w for w in workshops if keys & place_name_keys(w.city)]
            elif postal_code:
                workshops = _nearest(workshops, normalize_postal_code(postal_code))[:limit]
            return [mapping.workshop(workshop) for workshop in workshops]

    def free_slots(self, workshop_code: str, from_date: date, days: int = 7) -> list[schemas.Slot]:
        """Return the free future slots of a workshop on ``days`` days from ``from_date``.

        Raises:
            WorkshopNotFound: No such workshop.
            CRMValidationError: ``days`` is not between 1 and 31.

        """
        if not 1 <= days <= MAX_SLOT_DAYS:
            raise CRMValidationError(f"days must be between 1 and {MAX_SLOT_DAYS}")
        with self._reading() as session:
            workshop = self._workshop(session, workshop_code)
            rows = session.execute(
                select(_slots.c.starts_at, _slots.c.ends_at)
                .where(
                    _slots.c.workshop_id == workshop.id,
                    _slots.c.appointment_id.is_(None),
                    _slots.c.day >= from_date,
                    _slots.c.day < from_date + timedelta(days=days),
                    _slots.c.starts_at > self._now_local(),
                )
                .order_by(_slots.c.starts_at)
            )
            return [
                schemas.Slot(workshop_code=workshop.code, starts_at=start, ends_at=end)
                for start, end in rows
            ]

    def book_appointment(
        self, customer_number: str, booking: schemas.AppointmentBooking
    ) -> schemas.Appointment:
        """Book a free slot for the customer.

        Without a VIN, the customer's only vehicle (if exactly one) is used.

        Raises:
            CustomerNotFound, WorkshopNotFound, VehicleNotFound: Unknown record.
            SlotUnavailable: No such slot, in the past, or taken meanwhile.

        """
        with self._writing() as session:
            customer = self._customer(session, customer_number)
            workshop = self._workshop(session, booking.workshop_code)
            slot_id = self._future_slot(session, workshop, booking.starts_at)
            row = models.Appointment(
                appointment_number=next_number(session, "appointment"),
                customer_id=customer.id,
                vehicle_id=_vehicle_id(customer, booking.vehicle_vin),
                workshop_id=workshop.id,
                starts_at=booking.starts_at.replace(tzinfo=None),
                service=booking.service,
                status=AppointmentStatus.BOOKED,
            )
            session.add(row)
            session.flush()
            if not claim_slot(session, slot_id, row.id):
                raise SlotUnavailable("the slot was taken meanwhile")
            self._log(
                session,
                customer.id,
                channel=booking.channel,
                topic="appointment_booked",
                summary=f"Termin {row.appointment_number} gebucht: {booking.service}, "
                f"{row.starts_at:%d.%m.%Y %H:%M}, {workshop.name}",
                conversation_id=booking.conversation_id,
            )
            session.refresh(row)
            return mapping.appointment(row)

    def reschedule_appointment(
        self,
        customer_number: str,
        appointment_number: str,
        change: schemas.AppointmentReschedule,
    ) -> schemas.Appointment:
        """Move a booked appointment to another free slot (same workshop by default).

        Raises:
            AppointmentNotFound: No such appointment of this customer.
            AppointmentNotChangeable: Not booked any more, or already begun.
            SlotUnavailable: The new slot is not free.

        """
        with self._writing() as session:
            customer = self._customer(session, customer_number)
            row = self._changeable(session, customer, appointment_number)
            workshop = (
                self._workshop(session, change.workshop_code)
                if change.workshop_code
                else row.workshop
            )
            new_start = change.starts_at.replace(tzinfo=None)
            if workshop.id == row.workshop_id and new_start == row.starts_at:
                return mapping.appointment(row)
            slot_id = self._future_slot(session, workshop, new_start)
            old = f"{row.starts_at:%d.%m.%Y %H:%M}, {row.workshop.name}"
            release_slot(session, row.id)
            if not claim_slot(session, slot_id, row.id):
                raise SlotUnavailable("the slot was taken meanwhile")
            row.workshop_id = workshop.id
            row.starts_at = new_start
            session.flush()
            session.refresh(row)
            self._log(
                session,
                customer.id,
                channel=change.channel,
                topic="appointment_rescheduled",
                summary=f"Termin {row.appointment_number} verschoben von {old} auf "
                f"{new_start:%d.%m.%Y %H:%M}, {workshop.name}",
                conversation_id=change.conversation_id,
            )
            return mapping.appointment(row)

    def cancel_appointment(
        self,
        customer_number: str,
        appointment_number: str,
        cancellation: schemas.AppointmentCancellation,
    ) -> schemas.Appointment:
        """Cancel a booked appointment and free its slot.

        Raises:
            AppointmentNotFound: No such appointment of this customer.
            AppointmentNotChangeable: Not booked any more, or already begun.

        """
        with self._writing() as session:
            customer = self._customer(session, customer_number)
            row = self._changeable(session, customer, appointment_number)
            release_slot(session, row.id)
            row.status = AppointmentStatus.CANCELLED
            reason = f" ({cancellation.reason})" if cancellation.reason else ""
            self._log(
                session,
                customer.id,
                channel=cancellation.channel,
                topic="appointment_cancelled",
                summary=f"Termin {row.appointment_number} storniert{reason}",
                conversation_id=cancellation.conversation_id,
            )
            session.flush()
            return mapping.appointment(row)

    def _future_slot(self, session: Session, workshop: models.Workshop, starts_at: datetime) -> int:
        start = starts_at.replace(tzinfo=None)
        if start <= self._now_local():
            raise SlotUnavailable("the slot is in the past")
        slot_id = session.execute(
            select(_slots.c.id).where(
                _slots.c.workshop_id == workshop.id, _slots.c.starts_at == start
            )
        ).scalar_one_or_none()
        if slot_id is None:
            raise SlotUnavailable(f"{workshop.code} has no slot at {start:%Y-%m-%d %H:%M}")
        return slot_id

    def _changeable(
        self, session: Session, customer: models.Customer, appointment_number: str
    ) -> models.Appointment:
        number = normalize_document_number(appointment_number, "T")
        row = session.execute(
            select(models.Appointment).where(
                models.Appointment.appointment_number == number,
                models.Appointment.customer_id == customer.id,
            )
        ).scalar_one_or_none()
        if row is None:
            raise AppointmentNotFound(f"no appointment {appointment_number} for this customer")
        if row.status != AppointmentStatus.BOOKED or row.starts_at <= self._now_local():
            raise AppointmentNotChangeable(
                f"appointment {row.appointment_number} is {row.status.value}"
            )
        return row


def _vehicle_id(customer: models.Customer, vin: str | None) -> int | None:
    if vin is None:
        return customer.vehicles[0].id if len(customer.vehicles) == 1 else None
    wanted = normalize_vin(vin)
    for vehicle in customer.vehicles:
        if vehicle.vin == wanted:
            return vehicle.id
    raise VehicleNotFound(f"customer has no vehicle {vin}")


def _nearest(workshops: list[models.Workshop], postal_code: str) -> list[models.Workshop]:
    """Order workshops by how close their postal code is (same length codes only)."""

    def distance(workshop: models.Workshop) -> tuple[int, int]:
        pairs = zip(workshop.postal_code, postal_code, strict=False)
        shared = sum(1 for _ in takewhile(lambda pair: pair[0] == pair[1], pairs))
        return (-shared, abs(int(workshop.postal_code) - int(postal_code)))

    if not postal_code.isdigit():
        return []
    return sorted((w for w in workshops if len(w.postal_code) == len(postal_code)), key=distance)
