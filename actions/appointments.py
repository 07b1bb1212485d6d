"""Workshop appointments: the journeys after the verification.

The journeys (:data:`APPOINTMENT_JOURNEYS`) run after the verification
(:class:`actions.journeys.ActionResumeRequest`): booking, rescheduling and
cancelling start their form; the status is answered at once. The forms are
validated in :mod:`actions.appointments_form`, ask in
:mod:`actions.appointments_ask` and write to the CRM on submission in
:mod:`actions.appointments_submit`.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import appointments_slots as form
from actions.appointments_form import changeable, workshop_of
from actions.journey_support import turn_budget
from actions.services import Services
from bot.appointments.dates import parse_when
from bot.appointments.offers import appointment_values
from bot.budget import within_budget
from bot.crm.enums import AppointmentStatus
from bot.crm.errors import CRMError
from bot.crm.schemas import Appointment, CustomerProfile, Workshop
from bot.formatting import format_date
from bot.time_facts import next_pickup
from bot.vehicles import NO_VEHICLE, vehicle_label

logger = logging.getLogger(__name__)

MAX_LISTED = 3


# --- journeys (after the verification) ------------------------------------------


async def start_booking(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    services: Services,
    customer: str,
    *,
    service: str | None = None,
    vehicle: str | None = None,
) -> list[EventType]:
    """Prepare and start the booking form; what the customer already said is kept.

    Args:
        dispatcher: Sends the answers.
        tracker: The conversation.
        services: The collaborators.
        customer: The verified customer number.
        service: A service type to prefill (an offer the customer accepted).
        vehicle: A VIN to prefill.

    """
    profile = await form.profile_for(services, tracker, customer)
    if profile is None:
        dispatcher.utter_message(response="utter_crm_unavailable")
        return form.cleared()
    events: list[EventType] = [SlotSet(form.NUMBER, None), SlotSet(form.CONFIRMED, None)]
    if service:
        events.append(SlotSet(form.SERVICE, service))
    if vehicle is None and len(profile.vehicles) == 1:
        vehicle = profile.vehicles[0].vin
    if vehicle is None and not profile.vehicles:
        vehicle = NO_VEHICLE
    if vehicle is not None:
        events.append(SlotSet(form.VEHICLE, vehicle))
    request = _request(tracker, "book_appointment")
    if request is not None:
        events += _said_in(request, services.today(), keep_service=service is None)
    return [*events, FollowupAction(form.BOOK_FORM)]


async def book_appointment(
    dispatcher: CollectingDispatcher, tracker: Tracker, services: Services, customer: str
) -> list[EventType]:
    """Start the booking form (a booking left half-done continues where it stopped)."""
    return await start_booking(dispatcher, tracker, services, customer)


async def reschedule_appointment(
    dispatcher: CollectingDispatcher, tracker: Tracker, services: Services, customer: str
) -> list[EventType]:
    """Start the rescheduling form on the customer's booked appointments."""
    events = await _change(dispatcher, tracker, services, customer, form.RESCHEDULE_FORM)
    request = _request(tracker, "reschedule_appointment")
    wish = parse_when(str(request.get("text") or ""), services.today()) if request else None
    if events and wish is not None and not wish.empty:
        events.insert(-1, SlotSet(form.PREFERENCE, wish.to_text()))
    return events


async def cancel_appointment(
    dispatcher: CollectingDispatcher, tracker: Tracker, services: Services, customer: str
) -> list[EventType]:
    """Start the cancellation form on the customer's booked appointments."""
    return await _change(dispatcher, tracker, services, customer, form.CANCEL_FORM)


async def _change(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    services: Services,
    customer: str,
    form_name: str,
) -> list[EventType]:
    profile = await form.profile_for(services, tracker, customer)
    if profile is None:
        dispatcher.utter_message(response="utter_crm_unavailable")
        return []
    booked = changeable(profile, services.now())
    if not booked:
        dispatcher.utter_message(response="utter_appointment_none_booked")
        return []
    events: list[EventType] = [
        *form.cleared(),
        SlotSet(form.WORKSHOP, booked[0].workshop.code),
    ]
    if len(booked) == 1:
        events.append(SlotSet(form.NUMBER, booked[0].appointment_number))
    return [*events, FollowupAction(form_name)]


async def appointment_status(
    dispatcher: CollectingDispatcher, tracker: Tracker, services: Services, customer: str
) -> list[EventType]:
    """Say what is ready for pick-up (with today's opening hours) and what is booked."""
    profile = await form.profile_for(services, tracker, customer)
    if profile is None:
        dispatcher.utter_message(response="utter_crm_unavailable")
        return []
    now = services.now()
    ready = [a for a in profile.appointments if a.status is AppointmentStatus.READY_FOR_PICKUP]
    booked = changeable(profile, now)
    if not ready and not booked:
        dispatcher.utter_message(response="utter_appointment_none_booked")
        return []
    if ready:
        try:
            workshops = await within_budget(services.crm.find_workshops(), turn_budget(tracker))
        except CRMError as error:
            logger.warning("Workshops unavailable: %s", error)
            workshops = []
    for appointment in ready:
        _say_ready(
            dispatcher,
            profile,
            appointment,
            workshop_of(workshops, appointment.workshop.code),
            now,
        )
    for appointment in booked[:MAX_LISTED]:
        dispatcher.utter_message(
            response="utter_appointment_booked_status", **appointment_values(appointment)
        )
    return []


def _say_ready(
    dispatcher: CollectingDispatcher,
    profile: CustomerProfile,
    appointment: Appointment,
    workshop: Workshop | None,
    now: datetime,
) -> None:
    """Say that the car is ready, and when it can be picked up: today, or the next opening day."""
    vehicle = next((v for v in profile.vehicles if v.vin == appointment.vehicle_vin), None)
    values = {
        "vehicle": vehicle_label(vehicle) if vehicle else appointment.service,
        "workshop_name": appointment.workshop.name,
        "hours": workshop.hours_display if workshop else "",
    }
    pickup = next_pickup(workshop, now) if workshop else None
    if pickup is None:
        dispatcher.utter_message(response="utter_appointment_ready", **values)
    elif pickup.today:
        dispatcher.utter_message(
            response="utter_appointment_ready_today", hours_today=pickup.hours, **values
        )
    else:
        dispatcher.utter_message(
            response="utter_appointment_ready_next_day",
            pickup_weekday=pickup.weekday,
            pickup_date=format_date(pickup.day),
            pickup_hours=pickup.hours,
            **values,
        )


def _request(tracker: Tracker, intent: str) -> dict[str, Any] | None:
    """Return the parse of the latest message with ``intent`` (it asked for the journey)."""
    for event in reversed(tracker.events):
        parse = event.get("parse_data") or {}
        if event.get("event") == "user" and (parse.get("intent") or {}).get("name") == intent:
            return dict(parse, text=event.get("text") or parse.get("text") or "")
    return None


def _said_in(request: dict[str, Any], today: date, *, keep_service: bool) -> list[EventType]:
    """Service type, place and day/time the customer named when asking; the form checks them."""
    found = {e.get("entity"): e.get("value") for e in request.get("entities") or []}
    events: list[EventType] = []
    if keep_service and found.get("service_type"):
        events.append(SlotSet(form.SERVICE, str(found["service_type"])))
    if found.get("city"):
        events.append(SlotSet(form.WORKSHOP, str(found["city"])))
    when = parse_when(str(request.get("text") or ""), today)
    if not when.empty:
        events.append(SlotSet(form.PREFERENCE, when.to_text()))
    return events


APPOINTMENT_JOURNEYS = {
    "book_appointment": book_appointment,
    "reschedule_appointment": reschedule_appointment,
    "cancel_appointment": cancel_appointment,
    "appointment_status": appointment_status,
}
"""The journeys of the appointment topics (see :data:`actions.journeys.JOURNEYS`)."""
