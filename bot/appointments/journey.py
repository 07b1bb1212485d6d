"""The appointment journeys' decisions: which question, which values, which answer.

Plain functions over CRM records, in the style of :mod:`bot.self_service`:
they return :class:`~bot.self_service.replies.Reply` items and slot values;
the actions (``actions/appointments*.py``) fetch the records, send the
replies and set the slots.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from bot.appointments.dates import When, parse_when
from bot.appointments.offers import (
    appointment_values,
    pick_slots,
    service_in_words,
    service_label,
    slot_payload,
    slot_title,
)
from bot.crm.enums import AppointmentStatus
from bot.crm.schemas import Appointment, CustomerProfile, Slot, Vehicle, Workshop
from bot.dialogue import slots
from bot.formatting import format_date, format_time
from bot.self_service.replies import Button, Reply
from bot.time_facts import is_ahead, next_pickup
from bot.vehicles import NO_VEHICLE, match_vehicle, vehicle_label

MAX_LISTED = 3
"""Booked appointments listed by the status answer."""


def changeable(profile: CustomerProfile, now: datetime) -> list[Appointment]:
    """Return the customer's booked appointments still ahead at ``now``, soonest first."""
    return sorted(
        (
            a
            for a in profile.appointments
            if a.status is AppointmentStatus.BOOKED and is_ahead(a.starts_at, now)
        ),
        key=lambda a: a.starts_at,
    )


def workshop_of(workshops: Sequence[Workshop], code: str | None) -> Workshop | None:
    """Return the workshop with ``code`` from a list."""
    return next((w for w in workshops if w.code == code), None)


def postal_code_in(text: str) -> str | None:
    """Return ``text`` when it is a postal code (DE five digits, AT/CH four), else None."""
    return text if text.isdigit() and 4 <= len(text) <= 5 else None


def mentions_appointment_number(text: str) -> bool:
    """Tell whether the message names an appointment number (``T-…``)."""
    return "T-" in text.upper()


# --- starting the journeys ------------------------------------------------------------


def booking_values(
    profile: CustomerProfile,
    today: date,
    *,
    service: str | None = None,
    vehicle: str | None = None,
    request: tuple[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Return the slot values the booking form starts with; what the customer said is kept.

    Args:
        profile: The verified customer's profile.
        today: Today (for "nächsten Dienstag").
        service: A service type to prefill (an offer the customer accepted).
        vehicle: A VIN to prefill.
        request: The text and entities of the message that asked for the booking.

    """
    values: dict[str, Any] = {slots.APPOINTMENT_NUMBER: None, slots.APPOINTMENT_CONFIRMED: None}
    if service:
        values[slots.APPOINTMENT_SERVICE] = service
    if vehicle is None and len(profile.vehicles) == 1:
        vehicle = profile.vehicles[0].vin
    if vehicle is None and not profile.vehicles:
        vehicle = NO_VEHICLE
    if vehicle is not None:
        values[slots.APPOINTMENT_VEHICLE] = vehicle
    if request is not None:
        text, found = request
        named = str(found["service_type"]) if found.get("service_type") else None
        named = named or service_in_words(text)  # "einen Inspektionstermin"
        if service is None and named:
            values[slots.APPOINTMENT_SERVICE] = named
        if found.get("city"):
            values[slots.APPOINTMENT_WORKSHOP] = str(found["city"])
        when = parse_when(text, today)
        if not when.empty:
            values[slots.APPOINTMENT_PREFERENCE] = when.to_text()
    return values


def change_values(booked: Sequence[Appointment]) -> dict[str, Any]:
    """Return the slot values a rescheduling or cancellation starts with (forms cleared)."""
    values: dict[str, Any] = {name: None for name in slots.APPOINTMENT_FORM_SLOTS}
    values[slots.APPOINTMENT_WORKSHOP] = booked[0].workshop.code
    if len(booked) == 1:
        values[slots.APPOINTMENT_NUMBER] = booked[0].appointment_number
    return values


def wish_in(text: str, today: date) -> When | None:
    """Return the day or time a request names ("nächsten Dienstag"), if any."""
    when = parse_when(text, today)
    return None if when.empty else when


def status_replies(
    profile: CustomerProfile, workshops: Sequence[Workshop], now: datetime
) -> list[Reply]:
    """Say what is ready for pick-up (with its opening hours) and what is booked."""
    ready = ready_for_pickup(profile)
    booked = changeable(profile, now)
    if not ready and not booked:
        return [Reply("utter_appointment_none_booked")]
    replies = [_ready(profile, a, workshop_of(workshops, a.workshop.code), now) for a in ready]
    replies += [
        Reply("utter_appointment_booked_status", appointment_values(a)) for a in booked[:MAX_LISTED]
    ]
    return replies


def ready_for_pickup(profile: CustomerProfile) -> list[Appointment]:
    """Return the appointments whose car is ready for pick-up."""
    return [a for a in profile.appointments if a.status is AppointmentStatus.READY_FOR_PICKUP]


def _ready(
    profile: CustomerProfile, appointment: Appointment, workshop: Workshop | None, now: datetime
) -> Reply:
    """Say that the car is ready, and when it can be picked up: today, or the next opening day."""
    vehicle = next((v for v in profile.vehicles if v.vin == appointment.vehicle_vin), None)
    values: dict[str, Any] = {
        "vehicle": vehicle_label(vehicle, appointment.service),
        "workshop_name": appointment.workshop.name,
        "hours": workshop.hours_display if workshop else "",
    }
    pickup = next_pickup(workshop, now) if workshop else None
    if pickup is None:
        return Reply("utter_appointment_ready", values)
    if pickup.today:
        return Reply("utter_appointment_ready_today", {**values, "hours_today": pickup.hours})
    return Reply(
        "utter_appointment_ready_next_day",
        {
            **values,
            "pickup_weekday": pickup.weekday,
            "pickup_date": format_date(pickup.day),
            "pickup_hours": pickup.hours,
        },
    )


# --- the forms' questions -------------------------------------------------------------


def workshop_question(usual: Workshop | None) -> Reply:
    """Offer the usual workshop, or ask for a city or postal code."""
    if usual is None:
        return Reply("utter_ask_appointment_workshop_place")
    return Reply("utter_ask_appointment_workshop_usual", {"workshop_name": usual.name})


def vehicle_question(vehicles: Sequence[Vehicle]) -> Reply:
    """Ask which vehicle, one button per vehicle (its label, read back by the matcher)."""
    labels = [vehicle_label(v) for v in vehicles]
    return Reply(
        "utter_ask_appointment_vehicle",
        buttons=tuple(Button.saying(label, label) for label in labels),
    )


def appointment_question(booked: Sequence[Appointment]) -> Reply:
    """Ask which appointment, one button per booked appointment."""
    return Reply(
        "utter_ask_appointment_number",
        buttons=tuple(
            Button.saying(
                f"{a.service}, {format_date(a.starts_at)} {format_time(a.starts_at)}",
                a.appointment_number,
            )
            for a in booked
        ),
    )


def start_question(free: Sequence[Slot], wish: When | None) -> Reply | None:
    """Offer the nearest free slots that fit the wish; None when none fits a wish.

    Then the days after the wish are searched and :func:`start_question_instead`
    offers what is free there.
    """
    offered = pick_slots(free, wish)
    if wish and not offered:
        return None
    return _offer(
        offered, "utter_ask_appointment_start_wish" if wish else "utter_ask_appointment_start"
    )


def start_question_instead(free: Sequence[Slot]) -> Reply:
    """Offer the nearest free slots after a wish that could not be met."""
    return _offer(pick_slots(free, None), "utter_ask_appointment_start_wish_full")


def _offer(offered: Sequence[Slot], response: str) -> Reply:
    if not offered:
        return Reply("utter_appointment_no_free_slots")
    return Reply(
        response,
        buttons=tuple(
            Button.saying(slot_title(s.starts_at), slot_payload(s.starts_at)) for s in offered
        ),
    )


def booking_summary(
    profile: CustomerProfile,
    workshop: Workshop | None,
    *,
    service: str | None,
    vin: str | None,
    moment: datetime | None,
) -> Reply:
    """Sum up the booking for a yes."""
    vehicle = match_vehicle(profile.vehicles, vin=vin) if vin else None
    return Reply(
        "utter_ask_book_appointment_confirmed"
        if vehicle
        else "utter_ask_book_appointment_confirmed_no_vehicle",
        {
            "service": service_label(service) or "",
            "workshop_name": workshop.name if workshop else "",
            "vehicle": vehicle_label(vehicle),
            **_when(moment),
        },
    )


def change_summary(
    profile: CustomerProfile, number: str | None, moment: datetime | None, *, cancel: bool
) -> Reply:
    """Sum up a rescheduling or a cancellation for a yes."""
    appointment = next((a for a in profile.appointments if a.appointment_number == number), None)
    if appointment is None:
        return Reply("utter_appointment_invalid_number")
    response = (
        "utter_ask_cancel_appointment_confirmed"
        if cancel
        else "utter_ask_reschedule_appointment_confirmed"
    )
    return Reply(response, {**appointment_values(appointment), **_when(moment)})


def _when(moment: datetime | None) -> dict[str, str]:
    if moment is None:
        return {}
    return {"date": format_date(moment), "time": format_time(moment)}
