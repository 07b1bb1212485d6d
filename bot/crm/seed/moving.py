"""Bring stored seed data to the day of a later seed, so that the demo never goes stale.

Each part of the seed remembers the day it is relative to (``seed_anchors``).
A seed on a later day moves it along:

- the demo customers get the dates their file resolves to on the new day
  (``workday(today+9d)`` is a workday again, not a shifted Sunday);
- the generated population moves by the days in between, as if it had been
  generated on the new day; an appointment that lands on a closed day or a
  taken slot takes the next free hour of its workshop.

Only what the seed wrote moves: records the customers made at run time
(numbers from ``RUNTIME_START`` on, history written since the last seed)
keep their dates. On the anchor's own day nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.crm import models
from bot.crm.enums import AppointmentStatus
from bot.crm.seed.calendar import hourly_starts
from bot.crm.seed.demo import CustomerRecord
from bot.crm.service.numbering import RUNTIME_START

GENERATED_CUSTOMERS = "K-2_____"
"""``LIKE`` pattern of the generated customers' numbers (K-200001 ...)."""
_FREE_SLOT_SEARCH_DAYS = 14

Slot = tuple[int, datetime]
"""A workshop (id) and the start of one of its hours."""


def read_anchor(session: Session, name: str) -> date | None:
    """Return the day part ``name`` of the seed is relative to (None: never seeded)."""
    anchor = session.get(models.SeedAnchor, name)
    return None if anchor is None else anchor.day


def write_anchor(session: Session, name: str, day: date) -> None:
    """Record that part ``name`` of the seed is now relative to ``day``."""
    anchor = session.get(models.SeedAnchor, name)
    if anchor is None:
        session.add(models.SeedAnchor(name=name, day=day))
    else:
        anchor.day = day
    session.flush()


def move_demo_customers(session: Session, customers: Iterable[CustomerRecord]) -> int:
    """Give the stored demo customers the dates of ``customers`` (resolved for the new day).

    Returns:
        How many records got new dates.

    """
    moved = 0
    for record in customers:
        customer = session.execute(
            select(models.Customer).where(models.Customer.customer_number == record.customer_number)
        ).scalar_one_or_none()
        if customer is None:
            continue
        moved += _assign(customer, customer_since=record.customer_since)
        for vehicle in record.vehicles:
            moved += _update_by(session, models.Vehicle.vin, vehicle.vin, vehicle.dict())
        for order in record.orders:
            moved += _update_by(
                session, models.Order.order_number, order.order_number, order.dict()
            )
        for invoice in record.invoices:
            moved += _update_by(
                session, models.Invoice.invoice_number, invoice.invoice_number, invoice.dict()
            )
        for contract in record.contracts:
            moved += _update_by(
                session, models.Contract.contract_number, contract.contract_number, contract.dict()
            )
        for case in record.cases:
            moved += _update_by(session, models.Case.case_number, case.case_number, case.dict())
        for visit in record.appointments:
            appointment = _find(
                session, models.Appointment.appointment_number, visit.appointment_number
            )
            if appointment is not None and appointment.starts_at != visit.starts_at:
                _release_slots(session, [appointment.id])
                appointment.starts_at = visit.starts_at
                moved += 1
        for entry in record.history:
            stored = session.execute(
                select(models.Interaction).where(
                    models.Interaction.customer_id == customer.id,
                    models.Interaction.channel == entry.channel,
                    models.Interaction.summary == entry.summary,
                )
            ).scalars()
            for interaction in stored:
                moved += _assign(interaction, occurred_at=entry.occurred_at)
    session.flush()
    return moved


def shift_population(session: Session, since: date, to: date) -> int:
    """Move the generated customers' seeded records from day ``since`` to day ``to``.

    Returns:
        How many records were moved.

    """
    if since == to:
        return 0
    delta = to - since
    generated = select(models.Customer.id).where(
        models.Customer.customer_number.like(GENERATED_CUSTOMERS)
    )
    moved = 0
    for table, columns in (
        (models.Customer, ("customer_since",)),
        (models.Vehicle, ("first_registration", "next_service_due")),
        (models.Order, ("expected_delivery",)),
        (models.Invoice, ("issued_on", "due_on", "reminder_sent_on")),
        (models.Contract, ("start_date", "end_date")),
    ):
        owner = table.id if table is models.Customer else table.customer_id
        rows = session.execute(select(table).where(owner.in_(generated))).scalars()
        moved += sum(_shift(row, columns, delta) for row in rows)
    cases = [
        case
        for case in session.execute(
            select(models.Case).where(models.Case.customer_id.in_(generated))
        ).scalars()
        if _seeded_number(case.case_number)
    ]
    moved += sum(_shift(case, ("opened_at",), delta) for case in cases)
    seeded_before = datetime.combine(since, time())
    moved += _shift_history(session, generated, {case.id for case in cases}, seeded_before, delta)
    moved += _shift_appointments(session, generated, delta)
    session.flush()
    return moved


def _shift_history(
    session: Session,
    generated: Any,
    case_ids: set[int],
    seeded_before: datetime,
    delta: timedelta,
) -> int:
    """Shift the seeded history: entries of seeded cases and those before the last seed."""
    rows = session.execute(
        select(models.Interaction).where(models.Interaction.customer_id.in_(generated))
    ).scalars()
    return sum(
        _shift(row, ("occurred_at",), delta)
        for row in rows
        if row.occurred_at < seeded_before or row.case_id in case_ids
    )


def _shift_appointments(session: Session, generated: Any, delta: timedelta) -> int:
    appointments = [
        appointment
        for appointment in session.execute(
            select(models.Appointment)
            .where(models.Appointment.customer_id.in_(generated))
            .order_by(models.Appointment.starts_at, models.Appointment.id)
        ).scalars()
        if _seeded_number(appointment.appointment_number)
    ]
    if not appointments:
        return 0
    moving = {appointment.id for appointment in appointments}
    taken: set[Slot] = {
        (workshop_id, start)
        for appointment_id, workshop_id, start in session.execute(
            select(
                models.Appointment.id, models.Appointment.workshop_id, models.Appointment.starts_at
            ).where(models.Appointment.status != AppointmentStatus.CANCELLED)
        )
        if appointment_id not in moving
    }
    hours = _opening_hours(session)
    _release_slots(session, sorted(moving))
    for appointment in appointments:
        wanted = appointment.starts_at + delta
        start = _free_hour(
            hours.get(appointment.workshop_id, {}), appointment.workshop_id, wanted, taken
        )
        appointment.starts_at = start or wanted
        taken.add((appointment.workshop_id, appointment.starts_at))
    return len(appointments)


def _free_hour(
    hours: dict[int, tuple[time, time]], workshop_id: int, wanted: datetime, taken: set[Slot]
) -> datetime | None:
    """Return ``wanted`` if its workshop is open and free then, else its next free hour."""
    for offset in range(_FREE_SLOT_SEARCH_DAYS):
        day = wanted.date() + timedelta(days=offset)
        if day.weekday() not in hours:
            continue
        starts = list(hourly_starts(day, *hours[day.weekday()]))
        if offset == 0:
            starts = [start for start in starts if start >= wanted]
        for start in starts:
            if (workshop_id, start) not in taken:
                return start
    return None


def _opening_hours(session: Session) -> dict[int, dict[int, tuple[time, time]]]:
    hours: dict[int, dict[int, tuple[time, time]]] = {}
    for entry in session.execute(select(models.OpeningHours)).scalars():
        hours.setdefault(entry.workshop_id, {})[entry.weekday] = (entry.opens, entry.closes)
    return hours


def _release_slots(session: Session, appointment_ids: list[int]) -> None:
    """Free the calendar slots these appointments hold (the seed links them again)."""
    if appointment_ids:
        session.execute(
            update(models.WorkshopSlot)
            .where(models.WorkshopSlot.appointment_id.in_(appointment_ids))
            .values(appointment_id=None)
        )


def _seeded_number(number: str) -> bool:
    """Return whether a case or appointment number was written by the seed, not at run time."""
    digits = number.rpartition("-")[2]
    return digits.isdigit() and int(digits) < RUNTIME_START


def _shift(row: Any, columns: Iterable[str], delta: timedelta) -> int:
    changed = 0
    for column in columns:
        value = getattr(row, column)
        if value is not None:
            setattr(row, column, value + delta)
            changed = 1
    return changed


def _find(session: Session, key: Any, value: str) -> Any:
    return session.execute(select(key.class_).where(key == value)).scalar_one_or_none()


def _update_by(session: Session, key: Any, value: str, fields: dict[str, Any]) -> int:
    """Set the date fields of the record whose ``key`` is ``value``; 1 if any changed."""
    row = _find(session, key, value)
    if row is None:
        return 0
    dates = {
        name: field
        for name, field in fields.items()
        if isinstance(field, (date, datetime)) and hasattr(row, name)
    }
    return _assign(row, **dates)


def _assign(row: Any, **values: Any) -> int:
    changed = 0
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = 1
    return changed
