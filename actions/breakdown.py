"""breakdown_help: after the hotline, a verified customer's location goes into an urgent case.

The hotline and the safety advice come first, from the rules, without any
action (they reach the customer even when the action server is down).
Then, for a verified customer, ``breakdown_form`` asks where they are (and
which vehicle, if they have several); the case is opened as urgent and the
conversation goes to a human (``breakdown_urgent``).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.journey_forms import ActionAskVehicle, JourneyFormValidation
from actions.journey_support import hand_over, open_case, start_form, verified_customer
from actions.services import UsesServices
from bot.crm.enums import CaseKind, CasePriority
from bot.crm.errors import CRMError
from bot.vehicles import match_vehicle, sole_vehicle, vehicle_label, vehicle_note

logger = logging.getLogger(__name__)

BREAKDOWN_FORM = "breakdown_form"
BREAKDOWN_LOCATION = "breakdown_location"
BREAKDOWN_VEHICLE = "breakdown_vehicle"
BREAKDOWN_SLOTS = (BREAKDOWN_LOCATION, BREAKDOWN_VEHICLE)
BREAKDOWN_URGENT = "breakdown_urgent"


class ActionBreakdownFollowup(UsesServices, Action):
    """After the hotline: a verified customer is asked for the location (an urgent case follows)."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_breakdown_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Start the breakdown form for a verified customer; nothing more for anybody else."""
        customer = verified_customer(tracker)
        if customer is None:
            return []
        try:
            vehicles = (await self.services.profile(customer)).vehicles
        except CRMError as error:
            logger.warning("Breakdown case impossible, CRM unavailable: %s", error)
            return []
        sole = sole_vehicle(vehicles)
        prefilled = {BREAKDOWN_VEHICLE: sole} if sole else {}
        return start_form(BREAKDOWN_FORM, BREAKDOWN_SLOTS, **prefilled)


class ValidateBreakdownForm(JourneyFormValidation):
    """Read the location (free text) and the vehicle."""

    FORM_SLOTS = BREAKDOWN_SLOTS
    OWN_INTENTS = frozenset({"inform", "affirm", "deny", "breakdown_help"})
    FREE_TEXT_SLOTS = frozenset({BREAKDOWN_LOCATION})

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "validate_breakdown_form"

    def extract_breakdown_location(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Take the answer to "where are you?" as it is."""
        text = self.answer(tracker, BREAKDOWN_LOCATION)
        return {BREAKDOWN_LOCATION: text[:300]} if text else {}

    async def extract_breakdown_vehicle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read the vehicle from a button, VIN, plate or model name."""
        return await self.vehicle_answer(dispatcher, tracker, BREAKDOWN_VEHICLE)


class ActionAskBreakdownVehicle(ActionAskVehicle):
    """Ask which vehicle broke down, with one button per vehicle."""

    RESPONSE = "utter_ask_breakdown_vehicle"

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_breakdown_vehicle"


class ActionSubmitBreakdown(UsesServices, Action):
    """Open the urgent breakdown case and hand over to a human."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_submit_breakdown"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Create the case (nothing when the form was stopped); on failure, point to the hotline."""
        cleared = [SlotSet(name, None) for name in BREAKDOWN_SLOTS]
        customer = verified_customer(tracker)
        location = tracker.get_slot(BREAKDOWN_LOCATION)
        vin = tracker.get_slot(BREAKDOWN_VEHICLE)
        if customer is None or not location or not vin:
            return cleared
        try:
            profile = await self.services.profile(customer)
            vehicle = match_vehicle(profile.vehicles, vin=vin)
            created = await open_case(
                self.services,
                tracker,
                customer,
                kind=CaseKind.BREAKDOWN,
                subject=f"Panne: {vehicle_label(vehicle, 'Fahrzeug unbekannt')}"[:160],
                description=f"Standort: {location}\nFahrzeug: "
                + vehicle_note(vehicle, "Fahrzeug unbekannt"),
                priority=CasePriority.URGENT,
            )
        except CRMError as error:
            logger.warning("Breakdown case not opened: %s", error)
            dispatcher.utter_message(response="utter_breakdown_case_failed")
            return cleared
        dispatcher.utter_message(
            response="utter_breakdown_case_opened", case_number=created.case_number
        )
        return [*cleared, *hand_over(BREAKDOWN_URGENT, created.case_number)]
