"""What the appointment form makes of a customer's answer: the workshop, the time.

Plain decisions over CRM records, like :mod:`bot.appointments.journey`: each
returns the slot values to set and, where the customer must hear something,
a :class:`~bot.self_service.replies.Reply`. The form's validation action
(``actions/appointments_form.py``) only reads the CRM records these need and
sends what comes back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from bot.appointments.dates import When, parse_when, when_from_text
from bot.appointments.journey import postal_code_in
from bot.appointments.offers import (
    match_workshops,
    moment_from_key,
    same_day_window,
    slot_at,
    slot_key,
)
from bot.crm.schemas import Slot, Workshop
from bot.dialogue import slots
from bot.formatting import format_date, format_time
from bot.self_service.dealers import read_place
from bot.self_service.places import postal_code_area
from bot.self_service.replies import Button, Reply

USUAL = "@usual"
"""Payload of the button "the usual workshop"."""
OTHER = "@other"
"""Payload of the button "another workshop" (the form asks where)."""
MAX_WORKSHOP_CHOICES = 5


@dataclass(frozen=True)
class Decision:
    """Slot values to set and what the customer hears (if anything)."""

    values: dict[str, Any]
    reply: Reply | None = None


class WorkshopAnswer(Enum):
    """What kind of answer the customer gave to "which workshop?"."""

    OTHER = "other"
    USUAL = "usual"
    POSTAL_CODE = "postal_code"
    NAME = "name"


def workshop_answer(text: str) -> WorkshopAnswer:
    """Classify an answer: a button, a postal code, or a name or town to look up."""
    if text == OTHER:
        return WorkshopAnswer.OTHER
    if text == USUAL:
        return WorkshopAnswer.USUAL
    if postal_code_in(text):
        return WorkshopAnswer.POSTAL_CODE
    return WorkshopAnswer.NAME


_USUAL_WORKSHOP = re.compile(
    r"\b(?:wo ich immer bin|wie immer|wie (?:beim )?letzte[ns]? mal"
    r"|(?:die|der|den|meine[rnm]?) (?:übliche[nr]?|gewohnte[nr]?|gleiche[nr]?|selbe[nr]?)"
    r"|(?:dieselbe[nr]?|derselben|gleiche[nr]?|übliche[nr]?|gewohnte[nr]?) werkstatt)\b",
    re.IGNORECASE,
)


def names_usual_workshop(text: str) -> bool:
    """Tell whether the customer asks for their usual workshop ("wo ich immer bin", "wie immer")."""
    return bool(_USUAL_WORKSHOP.search(text))


def workshop_not_found(place: str) -> Decision:
    """No workshop for the place: say so and ask again."""
    return Decision(
        {slots.APPOINTMENT_WORKSHOP: None},
        Reply("utter_appointment_workshop_not_found", {"place": place}),
    )


def town_without_workshop(text: str, workshops: Sequence[Workshop]) -> tuple[str, str] | None:
    """Return a known town the answer names that has no workshop, and its postal code area.

    "in Hamburg" -> ("Hamburg", "20095") when no workshop is in Hamburg; None
    for a town with a workshop, a workshop's name, or words that are no town.
    """
    if match_workshops(text, workshops):
        return None
    place = read_place(text)
    area = postal_code_area(place.city) if place is not None and place.city else None
    return (place.city, area) if place is not None and place.city and area else None


def nearest_instead(town: str, nearest: Sequence[Workshop]) -> Decision:
    """Offer the nearest workshops (to the town's postal code area) as buttons."""
    if not nearest:
        return workshop_not_found(town)
    buttons = tuple(Button.saying(w.name, w.name) for w in nearest[:MAX_WORKSHOP_CHOICES])
    return Decision(
        {slots.APPOINTMENT_WORKSHOP: None},
        Reply("utter_appointment_workshop_nearest", {"place": town}, buttons=buttons),
    )


def workshop_by_name(text: str, workshops: Sequence[Workshop]) -> Decision | str:
    """Return the code of the one workshop ``text`` names, or a decision for none or several."""
    found = match_workshops(text, workshops)
    if len(found) == 1:
        return str(found[0].code)
    if found:
        buttons = tuple(Button.saying(w.name, w.name) for w in found[:MAX_WORKSHOP_CHOICES])
        return Decision(
            {slots.APPOINTMENT_WORKSHOP: None},
            Reply("utter_appointment_choose_workshop", buttons=buttons),
        )
    return workshop_not_found(text)


@dataclass(frozen=True)
class WorkshopChange:
    """A newly chosen workshop: its values, and the wished time to check there (if exact)."""

    values: dict[str, Any] = field(default_factory=dict)
    check_at: datetime | None = None


def workshop_chosen(code: str | None, current: str | None, wish_text: str | None) -> WorkshopChange:
    """Set the workshop; another workshop has another calendar, so a chosen time does not hold.

    An exact wished time (``wish_text``, the preference slot) is checked at the
    new workshop (:func:`wished_time_at`): ``check_at`` says when.
    """
    values: dict[str, Any] = {slots.APPOINTMENT_WORKSHOP: code}
    if code is None or code == current:
        return WorkshopChange(values)
    values.update({slots.APPOINTMENT_START: None, slots.APPOINTMENT_CONFIRMED: None})
    wish = when_from_text(wish_text)
    return WorkshopChange(values, wish.exact if wish else None)


def wished_time_at(change: WorkshopChange, free: Sequence[Slot]) -> dict[str, Any]:
    """Take the wished time at once when it is free at the new workshop."""
    values = dict(change.values)
    moment = change.check_at
    if moment is not None and slot_at(free, moment) is not None:
        values.update(
            {slots.APPOINTMENT_START: slot_key(moment), slots.APPOINTMENT_PREFERENCE: None}
        )
    return values


def start_wish(value: str, today: date) -> When:
    """Read an answer to "when?": a slot button, a remembered wish, or free text."""
    exact = moment_from_key(value)
    if exact is not None:
        return When(first_day=exact.date(), last_day=exact.date(), at=exact.time())
    return when_from_text(value) or parse_when(value, today)


def unreadable_start() -> Decision:
    """No time in the answer: say what would do."""
    return Decision({slots.APPOINTMENT_START: None}, Reply("utter_appointment_invalid_time"))


def start_as_wish(when: When) -> Decision:
    """No workshop yet, or no exact time: remember the wish to offer fitting slots."""
    return Decision(
        {
            slots.APPOINTMENT_START: None,
            slots.APPOINTMENT_PREFERENCE: when.to_text(),
            slots.APPOINTMENT_CONFIRMED: None,
        }
    )


def start_at(moment: datetime, free: Sequence[Slot]) -> Decision:
    """Take the exact time when it is free; else say so and offer that day's other times."""
    if slot_at(free, moment) is not None:
        return Decision(
            {slots.APPOINTMENT_START: slot_key(moment), slots.APPOINTMENT_PREFERENCE: None}
        )
    return Decision(
        {
            slots.APPOINTMENT_START: None,
            slots.APPOINTMENT_PREFERENCE: same_day_window(moment).to_text(),
            slots.APPOINTMENT_CONFIRMED: None,
        },
        Reply(
            "utter_appointment_slot_taken",
            {"date": format_date(moment), "time": format_time(moment)},
        ),
    )
