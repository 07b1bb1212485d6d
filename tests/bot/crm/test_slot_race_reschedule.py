"""A booking and a rescheduling racing for one slot, on SQLite and PostgreSQL: one wins."""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.crm import models, schemas
from bot.crm.errors import SlotUnavailable
from bot.crm.service import CRMService

SLOT_START = datetime(2026, 12, 2, 10)  # München-Mitte, free in the demo calendar
ROUNDS = 5


def race(crm_service: CRMService, start: datetime) -> dict[str, str]:
    """Book K-100002 and move K-100001's T-5001 into the slot at ``start`` at once."""
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def book() -> None:
        booking = schemas.AppointmentBooking(
            workshop_code="muenchen-mitte", starts_at=start, service="Ölwechsel"
        )
        barrier.wait()
        try:
            results["book"] = crm_service.book_appointment("K-100002", booking).appointment_number
        except SlotUnavailable:
            results["book"] = "refused"

    def move() -> None:
        change = schemas.AppointmentReschedule(starts_at=start)
        barrier.wait()
        try:
            crm_service.reschedule_appointment("K-100001", "T-5001", change)
            results["move"] = "T-5001"
        except SlotUnavailable:
            results["move"] = "refused"

    threads = [threading.Thread(target=book), threading.Thread(target=move)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_booking_and_rescheduling_into_one_slot_have_exactly_one_winner(
    crm_service: CRMService, crm_engine: Engine
) -> None:
    for round_ in range(ROUNDS):
        start = SLOT_START.replace(hour=SLOT_START.hour + round_)
        results = race(crm_service, start)
        assert sorted(results) == ["book", "move"]
        assert list(results.values()).count("refused") == 1, results
        with crm_engine.connect() as connection:
            holder = connection.execute(
                select(models.Appointment.appointment_number)
                .join(
                    models.WorkshopSlot, models.WorkshopSlot.appointment_id == models.Appointment.id
                )
                .where(models.WorkshopSlot.starts_at == start)
            ).scalar_one()
            live = connection.execute(
                select(func.count())
                .select_from(models.Appointment)
                .where(models.Appointment.starts_at == start)
            ).scalar_one()
        assert live == 1
        assert holder == next(r for r in results.values() if r != "refused")
