"""Which free slots to offer, and what the customer's answers point to.

Pure functions over CRM records: the actions fetch the records, these
decide. Service types are the canonical values of the ``service_type``
entity (``data/nlu/entities.yml`` maps every spelling to one of them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from itertools import pairwise

from bot.appointments.dates import When
from bot.crm.identifiers import place_name_keys
from bot.crm.schemas import Appointment, Slot, Workshop
from bot.formatting import format_date, format_moment_short, format_time

SERVICE_TYPES: dict[str, str] = {
    "inspection": "Inspektion",
    "oil_change": "Ölwechsel",
    "tyre_change": "Reifenwechsel",
    "main_inspection": "Hauptuntersuchung (HU/AU)",
    "brake_service": "Bremsenservice",
    "ac_service": "Klimaservice",
    "repair": "Reparatur",
    "recall": "Rückrufaktion",
}
"""Canonical service type -> how it is written in the CRM and for customers."""
DEFAULT_SERVICE = "Werkstatttermin"
"""The service written to the CRM when the customer named none."""

OFFERED = 3
"""How many slots are offered at once."""
SEARCH_DAYS = 14
"""How many days of a workshop's calendar one search looks at."""


def service_label(service_type: str | None) -> str | None:
    """Return the German name of a canonical service type (None when unknown)."""
    return SERVICE_TYPES.get(service_type or "")


def canonical_service(value: str | None) -> str | None:
    """Return the canonical service type for a canonical value or its German name."""
    if not value:
        return None
    text = value.strip().lower()
    for key, label in SERVICE_TYPES.items():
        if text in (key, label.lower()):
            return key
    return None


_SERVICE_STEMS = (
    ("inspection", ("inspektion",)),
    ("oil_change", ("ölwechsel", "oelwechsel")),
    ("tyre_change", ("reifenwechsel",)),
    ("main_inspection", ("hauptuntersuchung",)),
    ("brake_service", ("bremsenservice",)),
    ("ac_service", ("klimaservice",)),
)


def service_in_words(text: str | None) -> str | None:
    """Return the service named inside a word ("Inspektionstermin" -> inspection), if one is."""
    said = (text or "").lower()
    found = {key for key, stems in _SERVICE_STEMS if any(stem in said for stem in stems)}
    return found.pop() if len(found) == 1 else None


def search_start(when: When | None, today: date) -> date:
    """Return the first day to ask the CRM about for a preference."""
    if when is None or when.first_day is None or when.first_day < today:
        return today
    return when.first_day


def pick_slots(slots: Sequence[Slot], when: When | None, count: int = OFFERED) -> list[Slot]:
    """Return the ``count`` nearest free slots that fit the preference.

    Slots are taken in time order; with a clock time but no fitting slot on
    that day, the nearest slots of the day are better than nothing, so the
    caller can fall back to :func:`pick_slots` without a preference.
    """
    fitting = [slot for slot in slots if when is None or when.fits(slot.starts_at)]
    return sorted(fitting, key=lambda slot: slot.starts_at)[:count]


def slot_at(slots: Iterable[Slot], moment: datetime) -> Slot | None:
    """Return the free slot starting exactly at ``moment``, if any."""
    return next((slot for slot in slots if slot.starts_at == moment), None)


def slot_key(moment: datetime) -> str:
    """How a chosen slot is kept in the conversation: ``2026-11-24T10:00``."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def moment_from_key(value: str | None) -> datetime | None:
    """Read :func:`slot_key` back; None for anything else."""
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M")
    except ValueError:
        return None


def same_day_window(moment: datetime) -> When:
    """Return a preference for the whole day of ``moment`` (to offer alternatives)."""
    return When(first_day=moment.date(), last_day=moment.date())


def days_after(when: When) -> When:
    """Return a preference for the days after a wanted day that was full."""
    start = (when.last_day or when.first_day or date.min) + timedelta(days=1)
    return When(first_day=start)


def match_workshops(text: str, workshops: Sequence[Workshop]) -> list[Workshop]:
    """Return the workshops a customer's words name: by name, code or city."""
    lowered = text.lower().strip()
    exact = [w for w in workshops if lowered in (w.name.lower(), w.code)]
    if exact:
        return exact
    words = re.findall(r"[\wäöüß-]+", text)
    keys = set().union(
        place_name_keys(text),
        *(place_name_keys(word) for word in words),
        *(place_name_keys(" ".join(pair)) for pair in pairwise(words)),
    )
    named = [
        w
        for w in workshops
        if keys & place_name_keys(w.city) or w.city.lower() in lowered or w.code in lowered
    ]
    return named


_APPOINTMENT_NUMBER = re.compile(r"\bT-?\s?(\d{3,7})\b", re.IGNORECASE)


def match_appointment(text: str, appointments: Sequence[Appointment]) -> Appointment | None:
    """Return the appointment a customer's words name: number, date or service."""
    number = _APPOINTMENT_NUMBER.search(text)
    if number:
        wanted = f"T-{number[1]}"
        return next((a for a in appointments if a.appointment_number == wanted), None)
    lowered = text.lower()
    named = [
        a
        for a in appointments
        if a.service.lower() in lowered or a.starts_at.strftime("%d.%m.") in lowered
    ]
    return named[0] if len(named) == 1 else None


def slot_title(moment: datetime) -> str:
    """Return a slot as a button shows it: ``Di., 24.11.2026, 10:00 Uhr``."""
    return format_moment_short(moment)


def slot_payload(moment: datetime) -> str:
    """Return what a slot button sends back (read by ``parse_when``)."""
    return f"{moment:%d.%m.%Y %H:%M}"


def appointment_values(appointment: Appointment) -> dict[str, str]:
    """Return an appointment's response values, formatted for customers."""
    return {
        "appointment_number": appointment.appointment_number,
        "appointment_service": appointment.service,
        "appointment_date": format_date(appointment.starts_at),
        "appointment_time": format_time(appointment.starts_at),
        "workshop_name": appointment.workshop.name,
    }
