"""What every self-service form shares: stopping, interruptions and digressions.

* Stop: "abbrechen" (or "nein" where no yes/no question is open) ends the
  form; its slots are cleared and nothing is written.
* Interruptions: a wish for a human, a breakdown or a goodbye is never read
  as an answer; the rules of each form (``data/rules/<journey>.yml``) leave
  the form for them.
* Digressions: a short question about something else is not read as an
  answer either; :class:`ActionAnswerDigression` answers it and the form asks
  its question again. A long message is always an answer: a complaint's
  description often sounds like another topic.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import slots
from actions.contracts import serve_contract_info
from actions.invoices import serve_invoice_question
from actions.journey_support import LEAVING, send, verified_customer
from actions.orders import serve_order_status
from actions.services import UsesServices
from bot.crm.errors import CRMError
from bot.self_service.account import read_account_topic
from bot.self_service.invoices import InvoiceRequest, read_request
from bot.self_service.replies import Reply
from bot.self_service.vehicles import NO_VEHICLE, match_vehicle, vehicle_buttons
from bot.verification import wants_to_stop

logger = logging.getLogger(__name__)

DIGRESSIONS = frozenset(
    {
        "help",
        "bot_challenge",
        "out_of_scope",
        "express_frustration",
        "account_help",
        "order_status",
        "invoice_question",
        "contract_info",
        "change_address",
        "complaint",
        "warranty_claim",
        "data_privacy",
        "dealer_info",
        "test_drive",
        "book_appointment",
        "reschedule_appointment",
        "cancel_appointment",
        "appointment_status",
        "recall_check",
        "service_due",
    }
)
"""Intents of questions answered in between (unless the form is about them)."""
META_QUESTIONS = frozenset({"help", "bot_challenge"})
"""The only digressions while a free-text question is open."""
LOOKUPS = {
    "order_status": serve_order_status,
    "contract_info": serve_contract_info,
    "invoice_question": serve_invoice_question,
}
"""Read-only journeys a verified customer gets answered in the middle of a form."""
LONG_ANSWER_WORDS = 8
"""A message this long is an answer, whatever its intent."""


def is_interruption(
    tracker: Tracker, own_intents: frozenset[str], *, free_text: bool = False
) -> bool:
    """Tell whether the latest message is not meant as an answer to the form.

    Args:
        tracker: The conversation.
        own_intents: Intents that belong to the form (always answers).
        free_text: The open question takes any text ("what happened?"): an
            answer there often sounds like another topic, so only a wish to
            leave or a question about the assistant interrupts it.

    """
    intent = slots.latest_intent(tracker)
    if intent in own_intents:
        return False
    if intent in LEAVING:
        return True
    text = tracker.latest_message.get("text") or ""
    questions = META_QUESTIONS if free_text else DIGRESSIONS
    return intent in questions and len(text.split()) < LONG_ANSWER_WORDS


def _is_lookup(intent: str | None, tracker: Tracker) -> bool:
    """Tell whether the question is a read-only look-up that can be answered in between."""
    if intent not in LOOKUPS:
        return False
    if intent != "invoice_question":
        return True
    entity = next(tracker.get_latest_entity_values("invoice_request"), None)
    wanted = read_request(entity, tracker.latest_message.get("text"))
    return wanted is not InvoiceRequest.DISPUTE  # a dispute hands over: after the form


class JourneyFormValidation(UsesServices, FormValidationAction, ABC):
    """Base of the journeys' form validations: stopping and interruptions.

    Subclasses name their form's slots (:attr:`FORM_SLOTS`), the intents that
    belong to the form (:attr:`OWN_INTENTS`) and the slots that ask yes or no
    (:attr:`YES_NO_SLOTS`, where "nein" is an answer, not a stop) and the
    slots that take any text (:attr:`FREE_TEXT_SLOTS`).
    """

    FORM_SLOTS: tuple[str, ...] = ()
    OWN_INTENTS: frozenset[str] = frozenset({"inform", "affirm", "deny"})
    YES_NO_SLOTS: frozenset[str] = frozenset()
    FREE_TEXT_SLOTS: frozenset[str] = frozenset()

    @abstractmethod
    def name(self) -> str:
        """Return the action's name in the domain."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Stop on request; otherwise extract and validate this turn's answer."""
        asked = tracker.get_slot(slots.REQUESTED_SLOT)
        if asked is not None and self.wants_to_stop(tracker, asked):
            dispatcher.utter_message(response="utter_form_stopped")
            return [
                *(SlotSet(name, None) for name in self.FORM_SLOTS),
                SlotSet(slots.REQUESTED_SLOT, None),
            ]
        return await super().run(dispatcher, tracker, domain)

    def wants_to_stop(self, tracker: Tracker, asked: str) -> bool:
        """Tell whether the customer stops the form ("abbrechen", or "nein" to an open question)."""
        if wants_to_stop(tracker.latest_message.get("text")):
            return True
        return slots.latest_intent(tracker) == "deny" and asked not in self.YES_NO_SLOTS

    def answer(self, tracker: Tracker, slot: str) -> str | None:
        """Return the message text when it answers the question for ``slot``, else None."""
        if tracker.get_slot(slots.REQUESTED_SLOT) != slot or is_interruption(
            tracker, self.OWN_INTENTS, free_text=slot in self.FREE_TEXT_SLOTS
        ):
            return None
        text = (tracker.latest_message.get("text") or "").strip()
        return text or None

    def entity(self, tracker: Tracker, name: str) -> str | None:
        """Return entity ``name`` of the latest message (none from interruptions)."""
        if is_interruption(tracker, self.OWN_INTENTS):
            return None
        value = next(tracker.get_latest_entity_values(name), None)
        return str(value) if value is not None else None

    async def vehicle_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str
    ) -> dict[str, Any]:
        """Read the vehicle for ``slot`` from a button, VIN, plate or model name.

        An unknown vehicle is asked for again; without the CRM the concern
        goes on without a vehicle (:data:`NO_VEHICLE`).
        """
        customer = verified_customer(tracker)
        if customer is None or self.answer(tracker, slot) is None:
            return {}
        try:
            vehicles = (await self.services.profile(customer)).vehicles
        except CRMError:
            return {slot: NO_VEHICLE}
        found = match_vehicle(
            vehicles,
            vin=self.entity(tracker, "vin"),
            plate=self.entity(tracker, "license_plate"),
            text=tracker.latest_message.get("text") or "",
        )
        if found is None:
            dispatcher.utter_message(response="utter_case_vehicle_unknown")
            return {slot: None}
        return {slot: found.vin}


class ActionAskVehicle(UsesServices, Action, ABC):
    """Base of the questions "which vehicle?": one button per vehicle of the customer's.

    Subclasses name the question's response (:attr:`RESPONSE`).
    """

    RESPONSE: str = ""

    @abstractmethod
    def name(self) -> str:
        """Return the action's name in the domain."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Ask with the customer's vehicles as buttons (none when the CRM fails)."""
        customer = verified_customer(tracker)
        vehicles = []
        if customer is not None:
            try:
                vehicles = (await self.services.profile(customer)).vehicles
            except CRMError as error:
                logger.warning("Vehicles unavailable: %s", error)
        send(dispatcher, [Reply(self.RESPONSE, buttons=vehicle_buttons(vehicles))])
        return []


class ActionAnswerDigression(UsesServices, Action):
    """Answer a question asked in the middle of a form; the form then asks again.

    Answered in between: questions about the assistant, frustration,
    out-of-scope, account help, and - for a verified customer - the
    read-only look-ups (order status, contracts, invoices without a
    dispute). Everything that starts something of its own waits until the
    form is done or stopped.
    """

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_answer_digression"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Answer bot questions, frustration, out-of-scope and account help; defer other topics."""
        intent = slots.latest_intent(tracker)
        simple = {
            "bot_challenge": "utter_iamabot",
            "out_of_scope": "utter_out_of_scope",
            "express_frustration": "utter_express_frustration",
        }
        customer = slots.identity(tracker).customer_number
        if intent in simple:
            dispatcher.utter_message(response=simple[intent])
        elif customer is not None and intent is not None and _is_lookup(intent, tracker):
            await LOOKUPS[intent](dispatcher, tracker, self.services, customer)
        elif intent == "account_help":
            topic = read_account_topic(
                next(tracker.get_latest_entity_values("account_topic"), None),
                tracker.latest_message.get("text"),
            )
            send(
                dispatcher,
                [Reply(f"utter_account_{topic.value}" if topic else "utter_account_menu")],
            )
        else:
            dispatcher.utter_message(response="utter_digression_later")
        return []
