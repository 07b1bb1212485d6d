"""Which slots are offered and what the customer's answers point to."""

from __future__ import annotations

from datetime import date, datetime, time

from bot.appointments.dates import parse_when
from bot.appointments.offers import (
    canonical_service,
    match_appointment,
    match_workshops,
    moment_from_key,
    pick_slots,
    service_in_words,
    slot_key,
    slot_payload,
    slot_title,
)
from bot.crm.enums import AppointmentStatus, Country
from bot.crm.schemas import (
    Appointment,
    OpeningHours,
    Slot,
    Workshop,
    WorkshopRef,
)

TODAY = date(2026, 11, 23)


def slots(*moments: datetime) -> list[Slot]:
    return [
        Slot(workshop_code="berlin", starts_at=m, ends_at=m.replace(hour=m.hour + 1))
        for m in moments
    ]


def workshop(code: str, city: str, name: str) -> Workshop:
    return Workshop(
        code=code,
        name=name,
        street="Straße 1",
        postal_code="10557",
        city=city,
        country=Country.DE,
        phone="+49 30 1",
        hours_display="Mo-Fr 08:00-19:00",
        opening_hours=[OpeningHours(weekday=0, opens=time(8), closes=time(19))],
    )


def test_the_three_nearest_fitting_slots_are_offered() -> None:
    free = slots(*(datetime(2026, 11, d, h) for d in (25, 24) for h in (8, 9, 13, 16)))
    assert [s.starts_at for s in pick_slots(free, None)] == [
        datetime(2026, 11, 24, 8),
        datetime(2026, 11, 24, 9),
        datetime(2026, 11, 24, 13),
    ]
    afternoon = parse_when("Mittwoch nachmittag", TODAY)
    assert [s.starts_at for s in pick_slots(free, afternoon)] == [
        datetime(2026, 11, 25, 13),
        datetime(2026, 11, 25, 16),
    ]
    assert pick_slots(free, parse_when("Freitag", TODAY)) == []


def test_service_types_are_canonical_or_their_german_name() -> None:
    assert canonical_service("oil_change") == "oil_change"
    assert canonical_service("Ölwechsel") == "oil_change"
    assert canonical_service(" inspektion ") == "inspection"
    assert canonical_service("Kaffee") is None
    assert canonical_service(None) is None


def test_workshops_are_found_by_name_city_or_code() -> None:
    shops = [
        workshop("berlin", "Berlin", "Nordlicht Autohaus Berlin"),
        workshop("muenchen-mitte", "München", "Nordlicht Werkstatt München-Mitte"),
    ]
    assert [w.code for w in match_workshops("Nordlicht Autohaus Berlin", shops)] == ["berlin"]
    assert [w.code for w in match_workshops("in Muenchen bitte", shops)] == ["muenchen-mitte"]
    assert match_workshops("Hamburg", shops) == []


def test_appointments_are_found_by_number_date_or_service() -> None:
    booked = [
        Appointment(
            appointment_number=number,
            workshop=WorkshopRef(code="berlin", name="Nordlicht Autohaus Berlin", city="Berlin"),
            vehicle_vin=None,
            starts_at=start,
            service=service,
            status=AppointmentStatus.BOOKED,
        )
        for number, start, service in [
            ("T-5001", datetime(2026, 12, 3, 9), "Inspektion"),
            ("T-5002", datetime(2026, 12, 9, 10), "Ölwechsel"),
        ]
    ]
    assert match_appointment("T-5002", booked) is booked[1]
    assert match_appointment("t 5001", booked) is booked[0]
    assert match_appointment("den am 03.12.", booked) is booked[0]
    assert match_appointment("die Inspektion", booked) is booked[0]
    assert match_appointment("T-9999", booked) is None


def test_slot_buttons_read_back_as_the_same_moment() -> None:
    moment = datetime(2026, 11, 24, 10)
    assert slot_title(moment) == "Di., 24.11.2026, 10:00 Uhr"
    assert parse_when(slot_payload(moment), TODAY).exact == moment
    assert moment_from_key(slot_key(moment)) == moment
    assert moment_from_key("morgen") is None


def test_a_service_named_inside_a_word_is_read() -> None:
    assert service_in_words("Ich möchte einen Inspektionstermin") == "inspection"
    assert service_in_words("Oelwechseltermin bitte") == "oil_change"
    assert service_in_words("Ich brauche einen Termin") is None
    assert service_in_words("Inspektion oder Ölwechsel?") is None  # two: no guess
