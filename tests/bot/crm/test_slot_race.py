"""Two customers racing for one workshop slot: exactly one gets it."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.crm import models, schemas
from bot.crm.db import create_crm_engine, create_session_factory
from bot.crm.enums import AppointmentStatus
from bot.crm.errors import SlotUnavailable
from bot.crm.service import CRMService
from bot.crm.service.calendar import claim_slot

SLOT_START = datetime(2026, 11, 24, 10)
RACERS = ["K-100001", "K-100002", "K-100003", "K-100004", "K-100005", "K-200001"]


@pytest.fixture
def postgres_engine(crm_postgres, crm_postgres_template) -> Iterator[Engine]:
    name = crm_postgres.create(f"race_{uuid.uuid4().hex[:6]}", template=crm_postgres_template)
    engine = create_crm_engine(crm_postgres.url(name))
    yield engine
    engine.dispose()
    crm_postgres.drop(name)


def _slot_and_customers(engine: Engine) -> tuple[int, int, list[int]]:
    with engine.connect() as connection:
        workshop_id, slot_id = connection.execute(
            select(models.WorkshopSlot.workshop_id, models.WorkshopSlot.id)
            .join(models.Workshop)
            .where(models.Workshop.code == "berlin", models.WorkshopSlot.starts_at == SLOT_START)
        ).one()
        customers = connection.execute(select(models.Customer.id).limit(2)).scalars().all()
    return workshop_id, slot_id, list(customers)


@pytest.mark.postgres
def test_conditional_update_lets_only_the_first_of_two_sessions_claim(
    postgres_engine: Engine,
) -> None:
    workshop_id, slot_id, (first_customer, second_customer) = _slot_and_customers(postgres_engine)
    sessions = create_session_factory(postgres_engine)

    def appointment(session, customer_id: int, number: str) -> int:
        row = models.Appointment(
            appointment_number=number,
            customer_id=customer_id,
            workshop_id=workshop_id,
            starts_at=SLOT_START,
            service="Inspektion",
            status=AppointmentStatus.BOOKED,
        )
        session.add(row)
        session.flush()
        return row.id

    outcome: dict[str, bool] = {}
    with sessions() as first, sessions() as second:
        first.begin()
        second.begin()
        first_id = appointment(first, first_customer, "T-9999901")
        second_id = appointment(second, second_customer, "T-9999902")
        assert claim_slot(first, slot_id, first_id)  # not committed yet

        racer = threading.Thread(
            target=lambda: outcome.update(second=claim_slot(second, slot_id, second_id))
        )
        racer.start()
        racer.join(timeout=0.5)
        assert racer.is_alive(), "the second UPDATE must wait for the first transaction"
        first.commit()
        racer.join(timeout=10)
        assert outcome == {"second": False}
        second.rollback()

    with postgres_engine.connect() as connection:
        holder = connection.execute(
            select(models.WorkshopSlot.appointment_id).where(models.WorkshopSlot.id == slot_id)
        ).scalar_one()
    assert holder == first_id


def test_concurrent_bookings_of_one_slot_have_exactly_one_winner(
    crm_service: CRMService, crm_engine: Engine
) -> None:
    barrier = threading.Barrier(len(RACERS))
    results: dict[str, str] = {}

    def book(customer_number: str) -> None:
        request = schemas.AppointmentBooking(
            workshop_code="berlin", starts_at=SLOT_START, service="Inspektion"
        )
        barrier.wait()
        try:
            results[customer_number] = crm_service.book_appointment(
                customer_number, request
            ).appointment_number
        except SlotUnavailable:
            results[customer_number] = "refused"

    threads = [threading.Thread(target=book, args=(number,)) for number in RACERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = {number: result for number, result in results.items() if result != "refused"}
    assert len(results) == len(RACERS)
    assert len(winners) == 1, results
    with crm_engine.connect() as connection:
        at_that_time = connection.execute(
            select(func.count())
            .select_from(models.Appointment)
            .join(models.Workshop)
            .where(models.Workshop.code == "berlin", models.Appointment.starts_at == SLOT_START)
        ).scalar_one()
        holder = connection.execute(
            select(models.Appointment.appointment_number)
            .join(models.WorkshopSlot, models.WorkshopSlot.appointment_id == models.Appointment.id)
            .where(models.WorkshopSlot.starts_at == SLOT_START)
        ).scalar_one()
    assert at_that_time == 1
    assert holder == next(iter(winners.values()))
