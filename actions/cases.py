"""complaint, warranty_claim and data_privacy: cases in the CRM, a human where needed.

A complaint or warranty claim is collected in ``case_form`` (what happened,
which vehicle, since when) and opened as a case whose number the customer
gets; complaints of Gold and Platinum customers and repeated complaints go
to a human at once. A deletion or objection request becomes a case for the
data-protection team.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.journey_forms import ActionAskVehicle, JourneyFormValidation
from actions.journey_support import (
    hand_over,
    open_case,
    request_message,
    start_form,
    verified_customer,
)
from actions.services import Services, UsesServices
from bot.crm.enums import CaseKind, CasePriority
from bot.crm.errors import CRMError
from bot.dialogue.noted_values import Kind
from bot.self_service.cases import (
    complaint_handoff_reason,
    describes_what_happened,
    since_phrase,
    subject_from,
)
from bot.self_service.privacy import SUBJECTS, read_privacy_request
from bot.vehicles import match_vehicle, sole_vehicle, vehicle_note

logger = logging.getLogger(__name__)

CASE_FORM = "case_form"
CASE_KIND = "case_kind"
CASE_DESCRIPTION = "case_description"
CASE_VEHICLE = "case_vehicle"
CASE_SINCE = "case_since"
CASE_SLOTS = (CASE_KIND, CASE_DESCRIPTION, CASE_VEHICLE, CASE_SINCE)
DATA_PRIVACY_REQUEST = "data_privacy_request"

_KINDS = {"complaint": CaseKind.COMPLAINT, "warranty_claim": CaseKind.WARRANTY}
_SUBJECT_PREFIX = {CaseKind.COMPLAINT: "Reklamation", CaseKind.WARRANTY: "Garantiefall"}


def _journey(topic: str) -> Any:
    async def serve(
        dispatcher: CollectingDispatcher, tracker: Tracker, services: Services, customer: str
    ) -> list[EventType]:
        """Start the case form, prefilled with what the customer has said already."""
        request = request_message(tracker, topic)
        prefilled: dict[str, Any] = {CASE_KIND: topic}
        if describes_what_happened(request.text):
            prefilled[CASE_DESCRIPTION] = request.text[:3000]
            since = since_phrase(request.text)
            if since:
                prefilled[CASE_SINCE] = since
        try:
            profile = await services.profile(customer)
        except CRMError as error:
            logger.warning("Case form without vehicles: %s", error)
            dispatcher.utter_message(response="utter_crm_unavailable")
            return []
        sole = sole_vehicle(profile.vehicles)
        if sole:
            prefilled[CASE_VEHICLE] = sole
        dispatcher.utter_message(response=f"utter_case_intro_{topic}")
        return start_form(CASE_FORM, CASE_SLOTS, **prefilled)

    return serve


serve_complaint = _journey("complaint")
serve_warranty_claim = _journey("warranty_claim")


class ValidateCaseForm(JourneyFormValidation):
    """Read what happened (free text), the vehicle and since when."""

    FORM_SLOTS = CASE_SLOTS
    OWN_INTENTS = frozenset({"inform", "affirm", "deny", "complaint", "warranty_claim"})
    FREE_TEXT_SLOTS = frozenset({CASE_DESCRIPTION, CASE_SINCE})
    VALUE_KINDS = {
        CASE_DESCRIPTION: frozenset({Kind.TEXT}),
        CASE_VEHICLE: frozenset({Kind.CHOICE}),
        CASE_SINCE: frozenset({Kind.DATE}),
    }

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "validate_case_form"

    def extract_case_description(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Take the answer to "what happened?" as it is."""
        text = self.answer(tracker, CASE_DESCRIPTION)
        return {CASE_DESCRIPTION: text[:3000]} if text else {}

    def extract_case_since(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Take the answer to "since when?" as it is (short)."""
        text = self.answer(tracker, CASE_SINCE)
        return {CASE_SINCE: text[:120]} if text else {}

    async def extract_case_vehicle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read the vehicle from a button, VIN, plate or model name."""
        return await self.vehicle_answer(dispatcher, tracker, CASE_VEHICLE)


class ActionAskCaseVehicle(ActionAskVehicle):
    """Ask which vehicle it is about, with one button per vehicle."""

    RESPONSE = "utter_ask_case_vehicle"

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_case_vehicle"


class ActionSubmitCase(UsesServices, Action):
    """Open the case; a VIP or repeated complaint goes to a human at once."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_submit_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Create the case and tell the customer its number (nothing when the form was stopped)."""
        cleared = [SlotSet(name, None) for name in CASE_SLOTS]
        customer = verified_customer(tracker)
        topic = tracker.get_slot(CASE_KIND)
        description = tracker.get_slot(CASE_DESCRIPTION)
        vin = tracker.get_slot(CASE_VEHICLE)
        since = tracker.get_slot(CASE_SINCE)
        if customer is None or topic not in _KINDS or not description or not vin or not since:
            return cleared
        kind = _KINDS[topic]
        try:
            profile = await self.services.profile(customer)
            vehicle = match_vehicle(profile.vehicles, vin=vin)
            reason = (
                complaint_handoff_reason(profile.customer, description, profile.cases)
                if kind is CaseKind.COMPLAINT
                else None
            )
            created = await open_case(
                self.services,
                tracker,
                customer,
                kind=kind,
                subject=subject_from(description, _SUBJECT_PREFIX[kind]),
                description=(
                    f"{description}\n\nSeit: {since}\n"
                    f"Fahrzeug: {vehicle_note(vehicle, 'keines angegeben')}"
                )[:4000],
                priority=CasePriority.HIGH if reason else CasePriority.NORMAL,
            )
        except CRMError as error:
            logger.warning("Case not opened: %s", error)
            dispatcher.utter_message(response="utter_case_not_saved")
            return cleared
        dispatcher.utter_message(
            response=f"utter_case_opened_{topic}", case_number=created.case_number
        )
        if reason is None:
            return cleared
        dispatcher.utter_message(response=f"utter_case_handoff_{reason}")
        return [*cleared, *hand_over(reason, created.case_number)]


async def serve_data_privacy(
    dispatcher: CollectingDispatcher, tracker: Tracker, services: Services, customer: str
) -> list[EventType]:
    """Explain what is stored and how to get a copy; open a case for deletion or objection."""
    request = request_message(tracker, "data_privacy")
    wanted = read_privacy_request(request.entity("privacy_request"), request.text)
    if wanted is None:
        dispatcher.utter_message(response="utter_privacy_menu")
        return []
    if not wanted.opens_case:
        dispatcher.utter_message(response=f"utter_privacy_{wanted.value}")
        return []
    try:
        created = await open_case(
            services,
            tracker,
            customer,
            kind=CaseKind.PRIVACY,
            subject=SUBJECTS[wanted],
            description=f"Im Chat gestellt. Nachricht: {request.text[:3000]}",
        )
    except CRMError as error:
        logger.warning("Privacy case not opened: %s", error)
        dispatcher.utter_message(response="utter_crm_unavailable")
        return []
    dispatcher.utter_message(
        response=f"utter_privacy_case_opened_{wanted.value}", case_number=created.case_number
    )
    return hand_over(DATA_PRIVACY_REQUEST, created.case_number)
