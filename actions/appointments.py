"""Workshop appointments: the journeys after the verification.

The journeys (:data:`APPOINTMENT_JOURNEYS`) run after the verification
(:class:`actions.journeys.ActionResumeRequest`): booking, rescheduling and
cancelling start their form; the status is answered at once. The decisions
are :mod:`bot.appointments.journey`'s; the forms are validated in
:mod:`actions.appointments_form`, ask in :mod:`actions.appointments_ask` and
write to the CRM on submission in :mod:`actions.appointments_submit`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import appointments_slots as form
from actions.journey_support import crm_call, send, turn_budget
from actions.services import Services
from bot.appointments import journey
from bot.crm.errors import CRMError
from bot.crm.schemas import Workshop
from bot.dialogue import responses

logger = logging.getLogger(__name__)


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
        dispatcher.utter_message(response=responses.CRM_UNAVAILABLE)
        return form.cleared()
    values = journey.booking_values(
        profile,
        services.today(),
        service=service,
        vehicle=vehicle,
        request=_request(tracker, "book_appointment"),
    )
    return [*_set(values), FollowupAction(form.BOOK_FORM)]


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
    wish = journey.wish_in(request[0], services.today()) if request else None
    if events and wish is not None:
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
        dispatcher.utter_message(response=responses.CRM_UNAVAILABLE)
        return []
    booked = journey.changeable(profile, services.now())
    if not booked:
        dispatcher.utter_message(response="utter_appointment_none_booked")
        return []
    return [*_set(journey.change_values(booked)), FollowupAction(form_name)]


async def appointment_status(
    dispatcher: CollectingDispatcher, tracker: Tracker, services: Services, customer: str
) -> list[EventType]:
    """Say what is ready for pick-up (with today's opening hours) and what is booked."""
    profile = await form.profile_for(services, tracker, customer)
    if profile is None:
        dispatcher.utter_message(response=responses.CRM_UNAVAILABLE)
        return []
    workshops: list[Workshop] = []
    if journey.ready_for_pickup(profile):
        try:
            workshops = await crm_call(services.crm.find_workshops(), turn_budget(tracker))
        except CRMError as error:
            logger.warning("Workshops unavailable: %s", error)
    send(dispatcher, journey.status_replies(profile, workshops, services.now()))
    return []


def _set(values: Mapping[str, Any]) -> list[EventType]:
    return [SlotSet(name, value) for name, value in values.items()]


def _request(tracker: Tracker, intent: str) -> tuple[str, dict[str, Any]] | None:
    """Return text and entities of the latest message with ``intent`` (it asked for the journey).

    Of an entity named twice, the last value counts.
    """
    for event in reversed(tracker.events):
        parse = event.get("parse_data") or {}
        if event.get("event") == "user" and (parse.get("intent") or {}).get("name") == intent:
            text = str(event.get("text") or parse.get("text") or "")
            return text, {e.get("entity"): e.get("value") for e in parse.get("entities") or []}
    return None


APPOINTMENT_JOURNEYS = {
    "book_appointment": book_appointment,
    "reschedule_appointment": reschedule_appointment,
    "cancel_appointment": cancel_appointment,
    "appointment_status": appointment_status,
}
"""The journeys of the appointment topics (see :data:`actions.journeys.JOURNEYS`)."""
