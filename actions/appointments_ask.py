"""The appointment forms' questions: free slots, workshops, vehicles and appointments as buttons.

What to ask is decided in :mod:`bot.appointments.journey`; these actions read
the records from the CRM and send the question.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import appointments_slots as form
from actions import slots
from actions.journey_support import crm_call, send
from actions.services import UsesServices
from bot.appointments import journey
from bot.appointments.dates import when_from_text
from bot.appointments.offers import SEARCH_DAYS, days_after, moment_from_key, search_start
from bot.crm.errors import CRMError
from bot.crm.schemas import Slot
from bot.dialogue import responses

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
        profile = None if declined else await form.verified_profile(self.services, tracker)
        send(
            dispatcher, [journey.workshop_question(profile.preferred_workshop if profile else None)]
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
        profile = await form.verified_profile(self.services, tracker)
        send(dispatcher, [journey.vehicle_question(profile.vehicles if profile else [])])
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
            question = journey.start_question(free, wish)
            if question is None:
                later = days_after(wish) if wish and wish.first_day else None
                if later is not None:
                    free = await self._free(workshop, search_start(later, today))
                question = journey.start_question_instead(free)
        except CRMError as error:
            logger.warning("Free slots unavailable: %s", error)
            dispatcher.utter_message(response=responses.CRM_UNAVAILABLE)
            return []
        send(dispatcher, [question])
        return []

    async def _free(self, workshop: Any, first_day: date) -> list[Slot]:
        if not isinstance(workshop, str):
            return []
        return await crm_call(self.services.crm.free_slots(workshop, first_day, days=SEARCH_DAYS))


class ActionAskAppointmentNumber(UsesServices, Action):
    """Ask which of the customer's booked appointments (buttons)."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_appointment_number"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Ask with one button per appointment."""
        profile = await form.verified_profile(self.services, tracker)
        booked = journey.changeable(profile, self.services.now()) if profile else []
        send(dispatcher, [journey.appointment_question(booked)])
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
        profile = await form.verified_profile(self.services, tracker)
        if profile is None:
            dispatcher.utter_message(response=responses.CRM_UNAVAILABLE)
            return []
        moment = moment_from_key(tracker.get_slot(form.START))
        if loop != form.BOOK_FORM:
            number = tracker.get_slot(form.NUMBER)
            cancel = loop == form.CANCEL_FORM
            send(dispatcher, [journey.change_summary(profile, number, moment, cancel=cancel)])
            return []
        try:
            workshops = await crm_call(self.services.crm.find_workshops())
        except CRMError as error:
            logger.warning("Workshops unavailable: %s", error)
            dispatcher.utter_message(response=responses.CRM_UNAVAILABLE)
            return []
        summary = journey.booking_summary(
            profile,
            journey.workshop_of(workshops, tracker.get_slot(form.WORKSHOP)),
            service=tracker.get_slot(form.SERVICE),
            vin=tracker.get_slot(form.VEHICLE),
            moment=moment,
        )
        send(dispatcher, [summary])
        return []
