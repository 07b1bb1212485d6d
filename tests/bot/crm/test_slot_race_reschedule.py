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


def test_booking_and_rescheduling_into_one_slot_have_exactly_one_winner(
    crm_service: CRMService, crm_engine: Engine
) -> None:
    for round_ in range(ROUNDS):
        start = SLOT_START.replace(hour=SLOT_START.hour + round_)
        barrier = threading.Barrier(2)
        results: dict[str, str] = {}

        def book(start: datetime = start) -> None:
            booking = schemas.AppointmentBooking(
                workshop_code="muenchen-mitte", starts_at=start, service="Ölwechsel"
            )
            barrier.wait()
            try:
                results["book"] = crm_service.book_appointment(
                    "K-100002", booking
                ).starts_at.isoformat()
            except SlotUnavailable:
                results["book"] = "refused"

        def move(start: datetime = start) -> None:
            change = schemas.AppointmentReschedule(starts_at=start)
            barrier.wait()
            try:
                results["move"] = crm_service.reschedule_appointment(
                    "K-100001", "T-5001", change
                ).starts_at.isoformat()
            except SlotUnavailable:
                results["move"] = "refused"

        threads = [threading.Thread(target=book), threading.Thread(target=move)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert sorted(results) == ["book", "move"]
        assert list(results.values()).count("refused") == 1, results
        with crm_engine.connect() as connection:
            holders = connection.execute(
                select(func.count())
                .select_from(models.Appointment)
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
        assert holders == 1 and live == 1
