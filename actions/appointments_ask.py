"""The appointment forms' questions: free slots, workshops, vehicles and appointments as buttons."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import appointments_slots as form
from actions import slots
from actions.appointments_form import changeable, workshop_of
from actions.services import UsesServices
from bot.appointments.dates import when_from_text
from bot.appointments.offers import (
    SEARCH_DAYS,
    appointment_values,
    days_after,
    moment_from_key,
    pick_slots,
    search_start,
    service_label,
    slot_payload,
    slot_title,
)
from bot.budget import within_budget
from bot.crm.errors import CRMError
from bot.crm.schemas import (
    Slot,
)
from bot.formatting import format_date, format_time
from bot.vehicles import match_vehicle, vehicle_label

logger = logging.getLogger(__name__)


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
            profile = await form.profile_for(self.services, tracker, customer) if customer else None
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
        profile = await form.profile_for(self.services, tracker, customer) if customer else None
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
        profile = await form.profile_for(self.services, tracker, customer) if customer else None
        booked = changeable(profile, self.services.now()) if profile else []
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
        profile = await form.profile_for(self.services, tracker, customer) if customer else None
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
            vehicle = match_vehicle(profile.vehicles, vin=vin)
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
        dispatcher.utter_message(response=response, **appointment_values(appointment), **when)
        return []
