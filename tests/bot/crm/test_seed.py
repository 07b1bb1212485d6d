"""The seed: slots for the demo appointments, a deterministic population, idempotency."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from bot.crm import models
from bot.crm.db import create_crm_engine, upgrade_database
from bot.crm.identifiers import normalize_vin
from bot.crm.seed import seed_database
from bot.crm.seed.catalog import MODELS
from bot.crm.seed.demo import load_demo_data
from bot.crm.seed.population import PopulationGenerator
from bot.crm.service import CRMService

TABLES = [table for table in models.Base.metadata.sorted_tables]


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in TABLES
        }


def test_workshops_and_their_hours_are_seeded(crm_service: CRMService) -> None:
    workshops = {w.name: w for w in crm_service.find_workshops()}
    assert {
        name: (w.city, w.postal_code, w.street, w.phone, w.hours_display)
        for name, w in workshops.items()
    } == {
        "Nordlicht Werkstatt München-Mitte": (
            "München",
            "80335",
            "Bayerstraße 40",
            "+49 89 5000100",
            "Mo-Fr 07:30-18:00, Sa 08:00-13:00",
        ),
        "Nordlicht Autohaus Köln": (
            "Köln",
            "50679",
            "Deutz-Mülheimer Straße 10",
            "+49 221 5000200",
            "Mo-Fr 08:00-18:30, Sa 09:00-14:00",
        ),
        "Nordlicht Werkstatt Wien": (
            "Wien",
            "1100",
            "Triester Straße 80",
            "+43 1 5000300",
            "Mo-Fr 07:00-17:00",
        ),
        "Nordlicht Werkstatt Zürich": (
            "Zürich",
            "8048",
            "Badenerstrasse 500",
            "+41 44 5000400",
            "Mo-Fr 07:30-18:00, Sa 08:00-12:00",
        ),
        "Nordlicht Autohaus Berlin": (
            "Berlin",
            "10557",
            "Alt-Moabit 90",
            "+49 30 5000500",
            "Mo-Fr 08:00-19:00, Sa 09:00-16:00",
        ),
    }
    munich = workshops["Nordlicht Werkstatt München-Mitte"]
    assert [
        (h.weekday, h.opens.isoformat("minutes"), h.closes.isoformat("minutes"))
        for h in munich.opening_hours
    ] == [*[(day, "07:30", "18:00") for day in range(5)], (5, "08:00", "13:00")]


def test_structured_hours_match_the_display_string() -> None:
    names = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
    for workshop in load_demo_data(date(2026, 11, 23)).workshops:
        spans: dict[str, list[str]] = {}
        for day, span in workshop.opening_hours.items():
            spans.setdefault(span, []).append(
                names[["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index(day)]
            )
        shown = ", ".join(
            f"{d[0]}-{d[-1]} {s}" if len(d) > 1 else f"{d[0]} {s}" for s, d in spans.items()
        )
        assert shown == workshop.hours_display


def test_demo_appointment_holds_its_slot(crm_service: CRMService) -> None:
    free = crm_service.free_slots("muenchen-mitte", date(2026, 12, 2), days=1)
    starts = [slot.starts_at.strftime("%H:%M") for slot in free]
    assert starts == [
        "08:00",
        "10:00",
        "11:00",
        "12:00",
        "13:00",
        "14:00",
        "15:00",
        "16:00",
        "17:00",
    ]


def test_seeding_twice_changes_nothing(crm_engine: Engine, crm_today: date) -> None:
    before = counts(crm_engine)
    report = seed_database(crm_engine, population=20, today=crm_today)
    assert counts(crm_engine) == before
    assert (report.workshops, report.recalls, report.demo_customers) == (0, 0, 0)
    assert (report.generated_customers, report.slots) == (0, 0)


def test_growing_the_population_adds_only_new_customers(
    crm_engine: Engine, crm_today: date
) -> None:
    generated = "SELECT customer_number FROM customers WHERE customer_number LIKE 'K-2%' ORDER BY 1"
    with crm_engine.connect() as connection:
        before = connection.execute(text(generated)).scalars().all()
    report = seed_database(crm_engine, population=25, today=crm_today)
    with crm_engine.connect() as connection:
        after = connection.execute(text(generated)).scalars().all()
    assert report.generated_customers == 5
    assert after == before + [f"K-2000{n}" for n in range(21, 26)]


def test_population_is_deterministic_and_apart_from_the_demo(crm_today: date) -> None:
    workshops = {"berlin": {0: (datetime(1, 1, 1, 8).time(), datetime(1, 1, 1, 18).time())}}
    first = PopulationGenerator(crm_today, workshops).customer(42)
    again = PopulationGenerator(crm_today, workshops).customer(42)
    assert first == again
    assert first.customer["customer_number"] == "K-200042"
    assert all(
        vehicle["vin"].startswith("WNL1") and len(vehicle["vin"]) == 17
        for vehicle in first.vehicles
    )
    assert len(first.interactions) >= 3


@pytest.mark.parametrize("population", [2_000])
def test_full_population_seeds_fast_and_complete(
    tmp_path, crm_today: date, population: int
) -> None:
    path = tmp_path / "full.db"
    engine = create_crm_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    started = time.perf_counter()
    report = seed_database(engine, population=population, today=crm_today)
    seconds = time.perf_counter() - started
    rows = counts(engine)
    engine.dispose()
    print(f"\nseed of {population} customers: {seconds:.1f} s, {path.stat().st_size / 1e6:.1f} MB")
    assert report.generated_customers == population
    assert rows["customers"] == population + 5
    assert rows["vehicles"] > population and rows["interactions"] > 5 * population
    assert min(rows[t] for t in ("orders", "invoices", "contracts", "cases", "appointments")) > 100
    assert rows["workshop_slots"] > 1_000
    assert seconds < 60


def test_every_generated_vin_is_a_valid_vin() -> None:
    # "WNL1BOR..." was refused by the CRM when booking (VINs have no I, O or Q)
    for _, code in MODELS:
        assert normalize_vin(f"WNL1{code}2020000001") is not None, code
