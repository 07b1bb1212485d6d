"""A seed on a later day moves the demo along; on the same day it changes nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from bot.crm import models, schemas
from bot.crm.db import create_crm_engine, upgrade_database
from bot.crm.errors import SlotUnavailable
from bot.crm.seed import seed_database
from bot.crm.service import CRMService
from tests.bot.crm.conftest import SMALL_POPULATION, TODAY

LATER = TODAY + timedelta(days=11)  # Monday 23.11.2026 -> Friday 04.12.2026
GENERATED = "K-2%"


def demo_dates(engine: Engine) -> dict[str, object]:
    """Every date of the demo customers' records, by record."""
    service = CRMService(engine)
    found: dict[str, object] = {}
    for number in ("K-100001", "K-100002", "K-100003", "K-100004", "K-100005"):
        profile = service.get_profile(number)
        found[number] = profile.customer.customer_since
        found.update({v.vin: v.next_service_due for v in profile.vehicles})
        found.update({o.order_number: o.expected_delivery for o in profile.orders})
        found.update(
            {
                i.invoice_number: (i.issued_on, i.due_on, i.reminder_sent_on)
                for i in profile.invoices
            }
        )
        found.update({c.contract_number: (c.start_date, c.end_date) for c in profile.contracts})
        found.update({c.case_number: c.opened_at for c in profile.cases})
        found.update({a.appointment_number: a.starts_at for a in profile.appointments})
        found.update(
            {
                f"{number} {entry.summary}": entry.occurred_at
                for entry in service.list_interactions(number, limit=50)
            }
        )
    return found


def all_dates(engine: Engine) -> list[tuple]:
    """Every date column of every seeded table, for comparing whole databases."""
    queries = [
        "SELECT customer_number, customer_since FROM customers",
        "SELECT vin, first_registration, next_service_due FROM vehicles",
        "SELECT order_number, expected_delivery FROM orders",
        "SELECT invoice_number, issued_on, due_on, reminder_sent_on FROM invoices",
        "SELECT contract_number, start_date, end_date FROM contracts",
        "SELECT case_number, opened_at FROM cases",
        "SELECT appointment_number, starts_at FROM appointments",
        "SELECT id, occurred_at FROM interactions",
        "SELECT id, appointment_id FROM workshop_slots",
    ]
    with engine.connect() as connection:
        return [
            tuple(row)
            for query in queries
            for row in connection.execute(text(query + " ORDER BY 1"))
        ]


def fresh(tmp_path: Path, name: str, day: date) -> Engine:
    engine = create_crm_engine(f"sqlite:///{tmp_path / name}")
    upgrade_database(engine)
    seed_database(engine, population=SMALL_POPULATION, today=day)
    return engine


def test_seeding_again_on_the_same_day_changes_no_date(crm_engine: Engine) -> None:
    before = all_dates(crm_engine)
    report = seed_database(crm_engine, population=SMALL_POPULATION, today=TODAY)
    assert report.moved_records == 0
    assert all_dates(crm_engine) == before


def test_a_later_seed_gives_the_demo_customers_the_dates_of_that_day(
    crm_engine: Engine, tmp_path: Path
) -> None:
    report = seed_database(crm_engine, population=SMALL_POPULATION, today=LATER)
    reference = fresh(tmp_path, "later.db", LATER)
    assert demo_dates(crm_engine) == demo_dates(reference)
    moved = demo_dates(crm_engine)
    assert moved["B-20250001"] == LATER + timedelta(days=3)
    assert moved["T-5001"] == datetime(2026, 12, 14, 9, 0)  # workday(today+9d): Sunday -> Monday
    assert moved["T-5004"] == datetime(2026, 12, 4, 8, 0)  # ready for pick-up "today"
    assert moved["K-100005"] == LATER - timedelta(days=64)
    assert report.moved_records > 15
    reference.dispose()


def test_the_moved_demo_appointment_holds_its_new_slot_and_frees_the_old(
    crm_engine: Engine,
) -> None:
    seed_database(crm_engine, population=SMALL_POPULATION, today=TODAY + timedelta(days=8))
    service = CRMService(crm_engine, clock=lambda: datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc))
    old = {s.starts_at for s in service.free_slots("muenchen-mitte", date(2026, 12, 2), days=1)}
    new = {s.starts_at for s in service.free_slots("muenchen-mitte", date(2026, 12, 10), days=1)}
    assert datetime(2026, 12, 2, 9, 0) in old  # T-5001 was here, seeded on 23.11.
    assert datetime(2026, 12, 10, 9, 0) not in new and datetime(2026, 12, 10, 10, 0) in new
    with pytest.raises(SlotUnavailable):
        service.book_appointment(
            "K-100002",
            schemas.AppointmentBooking(
                workshop_code="muenchen-mitte", starts_at=datetime(2026, 12, 10, 9), service="x"
            ),
        )


def test_the_population_keeps_its_distance_to_today(crm_engine: Engine) -> None:
    def offsets(engine: Engine, today: date) -> dict[str, int]:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT o.order_number, o.expected_delivery FROM orders o "
                    "JOIN customers c ON c.id = o.customer_id "
                    "WHERE c.customer_number LIKE :generated AND o.expected_delivery IS NOT NULL"
                ),
                {"generated": GENERATED},
            )
            return {number: (date.fromisoformat(str(day)) - today).days for number, day in rows}

    before = offsets(crm_engine, TODAY)
    seed_database(crm_engine, population=SMALL_POPULATION, today=LATER)
    assert before and offsets(crm_engine, LATER) == before


def test_moved_generated_appointments_fall_on_open_free_hours(crm_engine: Engine) -> None:
    seed_database(crm_engine, population=SMALL_POPULATION, today=LATER)
    with crm_engine.connect() as connection:
        hours = {
            (row.workshop_id, row.weekday): (row.opens, row.closes)
            for row in connection.execute(select(models.OpeningHours))
        }
        visits = connection.execute(
            select(models.Appointment.workshop_id, models.Appointment.starts_at).where(
                models.Appointment.status != "cancelled"
            )
        ).all()
    assert len(visits) == len(set(visits))  # no two in one slot
    for workshop_id, start in visits:
        opens, closes = hours[(workshop_id, start.weekday())]
        assert opens <= start.time() < closes, start


def test_what_customers_did_at_run_time_keeps_its_dates(crm_engine: Engine) -> None:
    service = CRMService(
        crm_engine, clock=lambda: datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
    )
    generated = "K-200003"
    booked = service.book_appointment(
        generated,
        schemas.AppointmentBooking(
            workshop_code="berlin", starts_at=datetime(2026, 12, 1, 10), service="Ölwechsel"
        ),
    )
    seed_database(crm_engine, population=SMALL_POPULATION, today=LATER)
    mine = {a.appointment_number: a for a in service.list_appointments(generated)}
    assert mine[booked.appointment_number].starts_at == datetime(2026, 12, 1, 10)
    [latest] = service.list_interactions(generated, limit=1)
    assert latest.topic == "appointment_booked"
    assert latest.occurred_at.date() == date(2026, 11, 23)


def test_a_database_seeded_before_the_anchors_moves_from_the_old_fixed_day(
    tmp_path: Path,
) -> None:
    engine = create_crm_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade_database(engine, "0003")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO customers (customer_number, salutation, first_name, last_name, email,"
                " phone, street, postal_code, city, country, customer_since, tier) VALUES"
                " ('K-100009', 'Frau', 'A', 'B', 'a@example.de', '1', 'S 1', '80331', 'München',"
                " 'DE', '2020-01-01', 'Standard')"
            )
        )
    upgrade_database(engine)
    with engine.connect() as connection:
        anchors = dict(connection.execute(text("SELECT name, day FROM seed_anchors")).all())
    assert {name: str(day) for name, day in anchors.items()} == {
        "demo": "2026-11-23",
        "population": "2026-11-23",
    }
    engine.dispose()
