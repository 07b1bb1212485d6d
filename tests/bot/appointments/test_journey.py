"""The appointment journeys' decisions, without Rasa."""

from __future__ import annotations

from datetime import date, datetime, time

from bot.appointments.dates import When, with_day_kept
from bot.appointments.journey import (
    mentions_appointment_number,
    postal_code_in,
    start_question,
    start_question_instead,
    vehicle_question,
    workshop_question,
)
from bot.crm.schemas import Slot, Vehicle

MONDAY = datetime(2026, 11, 23, 10, 0)


def free(*moments: datetime) -> list[Slot]:
    return [
        Slot(workshop_code="muenchen-mitte", starts_at=m, ends_at=m.replace(hour=m.hour + 1))
        for m in moments
    ]


def test_postal_codes_and_appointment_numbers_are_recognised() -> None:
    assert postal_code_in("80331") == "80331" and postal_code_in("8001") == "8001"
    assert postal_code_in("803") is None and postal_code_in("Köln") is None
    assert mentions_appointment_number("den Termin t-4711 bitte")
    assert not mentions_appointment_number("den am Dienstag")


def test_a_time_alone_keeps_the_day_chosen_before() -> None:
    eleven = When(at=time(11, 0))
    assert with_day_kept(eleven, MONDAY, None) == When(
        first_day=MONDAY.date(), last_day=MONDAY.date(), at=time(11, 0)
    )
    week = When(first_day=date(2026, 11, 23), last_day=date(2026, 11, 27))
    assert with_day_kept(eleven, None, week) == eleven  # several days: no day to keep


def test_the_start_question_offers_slots_or_gives_way_to_a_later_search() -> None:
    slots = free(MONDAY, MONDAY.replace(hour=14))
    offer = start_question(slots, None)
    assert offer is not None and offer.response == "utter_ask_appointment_start"
    assert [b.payload for b in offer.buttons] == ["23.11.2026 10:00", "23.11.2026 14:00"]
    tuesday = When(first_day=date(2026, 11, 24), last_day=date(2026, 11, 24))
    assert start_question(slots, tuesday) is None
    assert start_question_instead([]).response == "utter_appointment_no_free_slots"


def test_questions_name_the_usual_workshop_and_the_vehicles() -> None:
    assert workshop_question(None).response == "utter_ask_appointment_workshop_place"
    car = Vehicle(
        vin="WNL0AUR0T2021A001",
        model="Aurora Touring",
        plate="M-AS 2004",
        first_registration=None,
        mileage_km=None,
        next_service_due=None,
    )
    button = vehicle_question([car]).buttons[0].as_dict()
    assert button == {
        "title": "Aurora Touring (M-AS 2004)",
        "payload": "Aurora Touring (M-AS 2004)",
    }
