"""Workshop appointments: the journeys, the forms' questions and the writes to the CRM.

The journeys (:data:`APPOINTMENT_JOURNEYS`) run after the verification
(:class:`actions.journeys.ActionResumeRequest`): booking, rescheduling and
cancelling start their form; the status is answered at once. The forms are
validated in :mod:`actions.appointments_form`; on submission the
``action_*_appointment`` actions write to the CRM, which records the change
in the customer's history.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import appointments_slots as form
from actions import slots
from actions.appointments_form import changeable, workshop_of
from actions.greeting import load_profile
from actions.services import Services, UsesServices
from bot.appointments.dates import parse_when, when_from_text
from bot.appointments.offers import (
    NO_VEHICLE,
    SEARCH_DAYS,
    days_after,
    hours_on,
    moment_from_key,
    pick_slots,
    search_start,
    service_label,
    slot_payload,
    slot_title,
    vehicle_label,
)
from bot.budget import within_budget
from bot.crm.enums import AppointmentStatus
from bot.crm.errors import AppointmentNotChangeable, CRMError, SlotUnavailable
from bot.crm.schemas import (
    Appointment,
    AppointmentBooking,
    AppointmentCancellation,
    AppointmentReschedule,
    CustomerProfile,
    Slot,
)
from bot.formatting import format_date, format_time

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
    booked = changeable(profile, services.today())
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
    today = services.today()
    ready = [a for a in profile.appointments if a.status is AppointmentStatus.READY_FOR_PICKUP]
    booked = changeable(profile, today)
    if not ready and not booked:
        dispatcher.utter_message(response="utter_appointment_none_booked")
        return []
    if ready:
        try:
            workshops = await within_budget(
                services.crm.find_workshops(), form.turn_budget(tracker)
            )
        except CRMError as error:
            logger.warning("Workshops unavailable: %s", error)
            workshops = []
    for appointment in ready:
        _say_ready(
            dispatcher,
            profile,
            appointment,
            workshop_of(workshops, appointment.workshop.code),
            today,
        )
    for appointment in booked[:MAX_LISTED]:
        dispatcher.utter_message(response="utter_appointment_booked_status", **_values(appointment))
    return []


def _say_ready(
    dispatcher: CollectingDispatcher,
    profile: CustomerProfile,
    appointment: Appointment,
    workshop: Any,
    today: date,
) -> None:
    vehicle = next((v for v in profile.vehicles if v.vin == appointment.vehicle_vin), None)
    values = {
        "vehicle": vehicle_label(vehicle) if vehicle else appointment.service,
        "workshop_name": appointment.workshop.name,
        "hours": workshop.hours_display if workshop else "",
    }
    hours_today = hours_on(workshop, today) if workshop else None
    if hours_today:
        dispatcher.utter_message(
            response="utter_appointment_ready_today", hours_today=hours_today, **values
        )
    else:
        dispatcher.utter_message(response="utter_appointment_ready", **values)


def _values(appointment: Appointment) -> dict[str, str]:
    return {
        "appointment_number": appointment.appointment_number,
        "appointment_service": appointment.service,
        "appointment_date": format_date(appointment.starts_at),
        "appointment_time": format_time(appointment.starts_at),
        "workshop_name": appointment.workshop.name,
    }


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


# --- the forms' questions ---------------------------------------------------------


class ActionAskAppointmentWorkshop(UsesServices, Action):
    """Offer the customer's usual workshop, or ask for a city or postal code."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_appointment_workshop"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Ask for the workshop (unless the customer was just asked to choose one)."""
        if form.said_since_user(tracker, "utter_appointment_choose_workshop"):
            return []
        declined = tracker.get_slot(slots.REQUESTED_SLOT) == form.WORKSHOP
        usual = None
        if not declined:
            customer = slots.identity(tracker).customer_number
            profile = await load_profile(self.services, customer) if customer else None
            usual = profile.preferred_workshop if profile else None
        if usual is None:
            dispatcher.utter_message(response="utter_ask_appointment_workshop_place")
        else:
            dispatcher.utter_message(
                response="utter_ask_appointment_workshop_usual", workshop_name=usual.name
            )
        return []


class ActionAskAppointmentVehicle(UsesServices, Action):
    """Ask which of the customer's vehicles (buttons)."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_appointment_vehicle"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Ask with one button per vehicle."""
        customer = slots.identity(tracker).customer_number
        profile = await load_profile(self.services, customer) if customer else None
        vehicles = profile.vehicles if profile else []
        labels = [vehicle_label(v) for v in vehicles]
        dispatcher.utter_message(
            response="utter_ask_appointment_vehicle",
            buttons=[{"title": label, "payload": label} for label in labels],
        )
        return []


class ActionAskAppointmentStart(UsesServices, Action):
    """Offer the three nearest free slots of the workshop that fit the customer's wish."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_appointment_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Fetch the free slots and offer them as buttons."""
        workshop = tracker.get_slot(form.WORKSHOP)
        wish = when_from_text(tracker.get_slot(form.PREFERENCE))
        today = self.services.today()
        try:
            free = await self._free(workshop, search_start(wish, today))
            offered = pick_slots(free, wish)
            response = "utter_ask_appointment_start_wish" if wish else "utter_ask_appointment_start"
            if wish and not offered:
                later = days_after(wish) if wish.first_day else None
                if later is not None:
                    free = await self._free(workshop, search_start(later, today))
                offered = pick_slots(free, None)
                response = "utter_ask_appointment_start_wish_full"
        except CRMError as error:
            logger.warning("Free slots unavailable: %s", error)
            dispatcher.utter_message(response="utter_crm_unavailable")
            return []
        if not offered:
            dispatcher.utter_message(response="utter_appointment_no_free_slots")
            return []
        dispatcher.utter_message(
            response=response,
            buttons=[
                {"title": slot_title(slot.starts_at), "payload": slot_payload(slot.starts_at)}
                for slot in offered
            ],
        )
        return []

    async def _free(self, workshop: Any, first_day: date) -> list[Slot]:
        if not isinstance(workshop, str):
            return []
        return await within_budget(
            self.services.crm.free_slots(workshop, first_day, days=SEARCH_DAYS)
        )


class ActionAskAppointmentNumber(UsesServices, Action):
    """Ask which of the customer's booked appointments (buttons)."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_appointment_number"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Ask with one button per appointment."""
        customer = slots.identity(tracker).customer_number
        profile = await load_profile(self.services, customer) if customer else None
        booked = changeable(profile, self.services.today()) if profile else []
        dispatcher.utter_message(
            response="utter_ask_appointment_number",
            buttons=[
                {
                    "title": f"{a.service}, {format_date(a.starts_at)} {format_time(a.starts_at)}",
                    "payload": a.appointment_number,
                }
                for a in booked
            ],
        )
        return []


class ActionAskAppointmentConfirmed(UsesServices, Action):
    """Sum up what will be written and ask for a yes."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_appointment_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Ask the form's confirmation question with the values chosen."""
        loop = (tracker.active_loop or {}).get("name")
        customer = slots.identity(tracker).customer_number
        profile = await load_profile(self.services, customer) if customer else None
        if profile is None:
            dispatcher.utter_message(response="utter_crm_unavailable")
            return []
        moment = moment_from_key(tracker.get_slot(form.START))
        when = (
            {"date": format_date(moment), "time": format_time(moment)} if moment is not None else {}
        )
        if loop == form.BOOK_FORM:
            workshops = await within_budget(self.services.crm.find_workshops())
            workshop = workshop_of(workshops, tracker.get_slot(form.WORKSHOP))
            vin = tracker.get_slot(form.VEHICLE)
            vehicle = next((v for v in profile.vehicles if v.vin == vin), None)
            dispatcher.utter_message(
                response="utter_ask_book_appointment_confirmed"
                if vehicle
                else "utter_ask_book_appointment_confirmed_no_vehicle",
                service=service_label(tracker.get_slot(form.SERVICE)) or "",
                workshop_name=workshop.name if workshop else "",
                vehicle=vehicle_label(vehicle) if vehicle else "",
                **when,
            )
            return []
        number = tracker.get_slot(form.NUMBER)
        appointment = next(
            (a for a in profile.appointments if a.appointment_number == number), None
        )
        if appointment is None:
            dispatcher.utter_message(response="utter_appointment_invalid_number")
            return []
        response = (
            "utter_ask_cancel_appointment_confirmed"
            if loop == form.CANCEL_FORM
            else "utter_ask_reschedule_appointment_confirmed"
        )
        dispatcher.utter_message(response=response, **_values(appointment), **when)
        return []


# --- submissions: the writes to the CRM ------------------------------------------


class _Submission(UsesServices, Action, ABC):
    """Shared reading of a finished form."""

    @abstractmethod
    def name(self) -> str:
        """Return the action's name in the domain."""

    @staticmethod
    def _origin(tracker: Tracker) -> dict[str, Any]:
        conversation = slots.conversation(tracker)
        return {"channel": conversation.channel, "conversation_id": conversation.conversation_id}


class ActionBookAppointment(_Submission):
    """Book the confirmed slot in the CRM (the CRM records it in the history)."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_book_appointment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Write the booking; a slot taken meanwhile goes back to the choice of time."""
        customer = slots.identity(tracker).customer_number
        moment = moment_from_key(tracker.get_slot(form.START))
        if tracker.get_slot(form.CONFIRMED) is not True or customer is None or moment is None:
            return form.cleared()
        vin = tracker.get_slot(form.VEHICLE)
        booking = AppointmentBooking(
            workshop_code=str(tracker.get_slot(form.WORKSHOP)),
            starts_at=moment,
            service=service_label(tracker.get_slot(form.SERVICE)) or "Werkstatttermin",
            vehicle_vin=None if vin in (None, NO_VEHICLE) else vin,
            **self._origin(tracker),
        )
        try:
            booked = await within_budget(self.services.crm.book_appointment(customer, booking))
        except SlotUnavailable:
            dispatcher.utter_message(response="utter_appointment_slot_gone")
            return [
                SlotSet(form.START, None),
                SlotSet(form.CONFIRMED, None),
                FollowupAction(form.BOOK_FORM),
            ]
        except CRMError as error:
            logger.warning("Booking failed: %s", error)
            dispatcher.utter_message(response="utter_crm_unavailable")
            return form.cleared()
        dispatcher.utter_message(response="utter_appointment_booked", **_values(booked))
        return form.cleared()


class ActionRescheduleAppointment(_Submission):
    """Move the appointment to the confirmed slot."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_reschedule_appointment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Write the change; a slot taken meanwhile goes back to the choice of time."""
        customer = slots.identity(tracker).customer_number
        moment = moment_from_key(tracker.get_slot(form.START))
        number = tracker.get_slot(form.NUMBER)
        if tracker.get_slot(form.CONFIRMED) is not True or not customer or not moment or not number:
            return form.cleared()
        change = AppointmentReschedule(starts_at=moment, **self._origin(tracker))
        try:
            moved = await within_budget(
                self.services.crm.reschedule_appointment(customer, number, change)
            )
        except SlotUnavailable:
            dispatcher.utter_message(response="utter_appointment_slot_gone")
            return [
                SlotSet(form.START, None),
                SlotSet(form.CONFIRMED, None),
                FollowupAction(form.RESCHEDULE_FORM),
            ]
        except AppointmentNotChangeable:
            dispatcher.utter_message(response="utter_appointment_not_changeable")
            return form.cleared()
        except CRMError as error:
            logger.warning("Rescheduling failed: %s", error)
            dispatcher.utter_message(response="utter_crm_unavailable")
            return form.cleared()
        dispatcher.utter_message(response="utter_appointment_rescheduled", **_values(moved))
        return form.cleared()


class ActionCancelAppointment(_Submission):
    """Cancel the confirmed appointment."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_cancel_appointment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Write the cancellation."""
        customer = slots.identity(tracker).customer_number
        number = tracker.get_slot(form.NUMBER)
        if tracker.get_slot(form.CONFIRMED) is not True or not customer or not number:
            return form.cleared()
        try:
            cancelled = await within_budget(
                self.services.crm.cancel_appointment(
                    customer, number, AppointmentCancellation(**self._origin(tracker))
                )
            )
        except AppointmentNotChangeable:
            dispatcher.utter_message(response="utter_appointment_not_changeable")
            return form.cleared()
        except CRMError as error:
            logger.warning("Cancellation failed: %s", error)
            dispatcher.utter_message(response="utter_crm_unavailable")
            return form.cleared()
        dispatcher.utter_message(response="utter_appointment_cancelled", **_values(cancelled))
        return form.cleared()
