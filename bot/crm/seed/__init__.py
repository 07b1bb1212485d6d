"""Fill the CRM: the demo customers exactly, a generated population, calendar slots.

Idempotent on one day: whatever exists already (by customer number, workshop
code, campaign code, slot time) is left alone, so a second run changes
nothing. Dates are relative to the day of the seed; a seed on a later day
moves the demo customers and the generated population along
(:mod:`bot.crm.seed.moving`), so the demo never goes stale.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import network_today
from bot.crm import models
from bot.crm.db import create_session_factory
from bot.crm.enums import AppointmentStatus
from bot.crm.seed import demo, moving
from bot.crm.seed.bulk import insert_bundles
from bot.crm.seed.calendar import ensure_slots, link_appointments_to_slots
from bot.crm.seed.population import MAX_POPULATION, PopulationGenerator, customer_number

DEFAULT_POPULATION = 2_000
DEFAULT_SLOT_WEEKS = 6
BATCH_SIZE = 500

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SeedReport:
    """What one seed run added."""

    workshops: int
    recalls: int
    demo_customers: int
    generated_customers: int
    slots: int
    seconds: float
    moved_records: int = 0


def seed_database(
    engine: Engine,
    *,
    population: int = DEFAULT_POPULATION,
    today: date | None = None,
    slot_weeks: int = DEFAULT_SLOT_WEEKS,
    progress: Progress | None = None,
) -> SeedReport:
    """Seed the (migrated) CRM database.

    Args:
        engine: Engine of a database at the newest schema revision.
        population: How many generated customers should exist (0..99,999).
        today: The day of loading: demo and generated dates are relative to
            it, and calendar slots start on it. Defaults to today's date
            where the customers are (``bot.clock.network_today``).
        slot_weeks: For how many weeks from ``today`` slots are created.
        progress: Called with short progress messages.

    Returns:
        Counts of what was added and the time it took.

    """
    if not 0 <= population <= MAX_POPULATION:
        raise ValueError(f"population must be between 0 and {MAX_POPULATION}")
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    first_day = today or network_today()
    sessions = create_session_factory(engine)
    data = demo.load_demo_data(first_day)
    with sessions.begin() as session:
        workshops = demo.insert_workshops(session, data.workshops)
        recalls = demo.insert_recalls(session, data.recalls)
        moved = _move_along(session, "demo", first_day, say, data.customers)
        demo_customers = demo.insert_customers(session, data.customers)
        moved += _move_along(session, "population", first_day, say)
    say(f"demo data: {workshops} workshops, {recalls} recalls, {demo_customers} customers added")

    generated = _seed_population(sessions, population, first_day, say)

    with sessions.begin() as session:
        slots = ensure_slots(session, first_day, slot_weeks * 7)
        link_appointments_to_slots(session, first_day, slot_weeks * 7)
    say(f"calendar: {slots} slots added from {first_day:%Y-%m-%d} for {slot_weeks} weeks")
    return SeedReport(
        workshops=workshops,
        recalls=recalls,
        demo_customers=demo_customers,
        generated_customers=generated,
        slots=slots,
        seconds=time.perf_counter() - started,
        moved_records=moved,
    )


def _move_along(
    session: Session,
    part: str,
    today: date,
    say: Progress,
    demo_customers: list[demo.CustomerRecord] | None = None,
) -> int:
    """Bring part ``part`` of the stored seed to ``today``; return how many records moved."""
    since = moving.read_anchor(session, part)
    moved = 0
    if since is not None and since != today:
        if demo_customers is not None:
            moved = moving.move_demo_customers(session, demo_customers)
        else:
            moved = moving.shift_population(session, since, today)
        say(f"{part}: {moved} records moved from {since:%d.%m.%Y} to {today:%d.%m.%Y}")
    moving.write_anchor(session, part, today)
    return moved


def _seed_population(
    sessions: sessionmaker, population: int, reference: date, say: Progress
) -> int:
    with sessions() as session:
        existing = set(
            session.execute(
                select(models.Customer.customer_number).where(
                    models.Customer.customer_number.like("K-2_____")
                )
            ).scalars()
        )
        workshops = list(session.execute(select(models.Workshop)).scalars())
        booked = session.execute(
            select(models.Workshop.code, models.Appointment.starts_at)
            .join(models.Workshop)
            .where(models.Appointment.status != AppointmentStatus.CANCELLED)
        )
        taken = {(code, start) for code, start in booked}
    missing = [i for i in range(1, population + 1) if customer_number(i) not in existing]
    if not missing:
        say(f"population: all {population} generated customers exist")
        return 0
    hours = {
        workshop.code: {
            entry.weekday: (entry.opens, entry.closes) for entry in workshop.opening_hours
        }
        for workshop in workshops
    }
    generator = PopulationGenerator(reference, hours, taken)
    workshop_ids = {workshop.code: workshop.id for workshop in workshops}
    for start in range(0, len(missing), BATCH_SIZE):
        batch = [generator.customer(index) for index in missing[start : start + BATCH_SIZE]]
        with sessions.begin() as session:
            insert_bundles(session, batch, workshop_ids)
        say(f"population: {start + len(batch)}/{len(missing)} customers added")
    return len(missing)


__all__ = [
    "DEFAULT_POPULATION",
    "SeedReport",
    "seed_database",
]
