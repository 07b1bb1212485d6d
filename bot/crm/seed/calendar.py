"""Workshop calendar slots, derived from the opening hours.

One slot per full hour in which the workshop is open the whole hour
("07:30-18:00" gives 08:00, 09:00, ..., 17:00).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.crm import models
from bot.crm.enums import AppointmentStatus

SLOT_LENGTH = timedelta(hours=1)


def hourly_starts(day: date, opens: time, closes: time) -> Iterator[datetime]:
    """Yield the full-hour slot starts of one opening span."""
    start = datetime.combine(day, opens)
    if start.minute or start.second:
        start = start.replace(minute=0, second=0) + SLOT_LENGTH
    while start + SLOT_LENGTH <= datetime.combine(day, closes):
        yield start
        start += SLOT_LENGTH


def ensure_slots(session: Session, first_day: date, days: int) -> int:
    """Create the missing slots of every workshop for ``days`` days from ``first_day``.

    Returns:
        How many slots were created (0 when all exist already).

    """
    last_day = first_day + timedelta(days=days)
    stored = session.execute(
        select(models.WorkshopSlot.workshop_id, models.WorkshopSlot.starts_at).where(
            models.WorkshopSlot.day >= first_day, models.WorkshopSlot.day < last_day
        )
    )
    existing = {(workshop_id, start) for workshop_id, start in stored}
    rows = []
    for workshop in session.execute(select(models.Workshop)).scalars():
        hours = {entry.weekday: entry for entry in workshop.opening_hours}
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            entry = hours.get(day.weekday())
            if entry is None:
                continue
            for start in hourly_starts(day, entry.opens, entry.closes):
                if (workshop.id, start) not in existing:
                    rows.append(
                        {
                            "workshop_id": workshop.id,
                            "day": day,
                            "starts_at": start,
                            "ends_at": start + SLOT_LENGTH,
                        }
                    )
    if rows:
        session.execute(insert(models.WorkshopSlot), rows)
    return len(rows)


def link_appointments_to_slots(session: Session, first_day: date, days: int) -> int:
    """Let every live appointment in the window hold the free slot at its time.

    Returns:
        How many slots were newly taken.

    """
    slots = models.WorkshopSlot
    appointments = models.Appointment
    window_start = datetime.combine(first_day, time())
    window_end = window_start + timedelta(days=days)
    in_window = session.execute(
        select(slots.id, slots.workshop_id, slots.starts_at, slots.appointment_id).where(
            slots.starts_at >= window_start, slots.starts_at < window_end
        )
    ).all()
    held = {row.appointment_id for row in in_window if row.appointment_id is not None}
    free = {
        (row.workshop_id, row.starts_at): row.id for row in in_window if row.appointment_id is None
    }
    live = session.execute(
        select(appointments.id, appointments.workshop_id, appointments.starts_at).where(
            appointments.status != AppointmentStatus.CANCELLED,
            appointments.starts_at >= window_start,
            appointments.starts_at < window_end,
        )
    )
    taken = 0
    for appointment_id, workshop_id, starts_at in live:
        slot_id = free.pop((workshop_id, starts_at), None)
        if slot_id is None or appointment_id in held:
            continue
        result = session.execute(
            update(slots)
            .where(slots.id == slot_id, slots.appointment_id.is_(None))
            .values(appointment_id=appointment_id)
        )
        taken += result.rowcount
    return taken
