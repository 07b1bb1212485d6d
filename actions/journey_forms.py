"""What every self-service form shares: the form policy, vehicle questions and digressions.

Stop, interruption, digression and yes/no are decided by the one
:class:`~bot.dialogue.form_policy.FormPolicy`; the journeys' forms get
theirs from their class attributes. A form's rules
(``data/rules/<journey>.yml``) leave it for a wish to leave;
:class:`ActionAnswerDigression` answers a question in between and the form
asks its question again.
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
from actions.journey_support import send, verified_customer
from actions.loop_breaker import Before, break_loops
from actions.noted_values import keep_for_another_question
from actions.orders import serve_order_status
from actions.services import UsesServices
from bot.crm.errors import CRMError
from bot.dialogue import responses
from bot.dialogue.form_policy import FormPolicy
from bot.dialogue.intents import AFFIRM, DENY, INFORM, NOT_UNDERSTOOD
from bot.dialogue.loop_breaker import DIALOGUE_LOOP, missed_before
from bot.dialogue.noted_values import Kind, Noted
from bot.self_service.account import read_account_topic
from bot.self_service.invoices import InvoiceRequest, read_request
from bot.self_service.replies import Reply
from bot.vehicles import NO_VEHICLE, match_vehicle, vehicle_buttons

logger = logging.getLogger(__name__)

LOOKUPS = {
    "order_status": serve_order_status,
    "contract_info": serve_contract_info,
    "invoice_question": serve_invoice_question,
}
"""Read-only journeys a verified customer gets answered in the middle of a form."""


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
    slots that take any text (:attr:`FREE_TEXT_SLOTS`). :attr:`VALUE_KINDS`
    says what kind of value each question takes, so that a value meant for
    another question is kept for it (:mod:`bot.dialogue.noted_values`);
    :attr:`MISPLACED_RESPONSES` answers a value no question takes.
    """

    FORM_SLOTS: tuple[str, ...] = ()
    OWN_INTENTS: frozenset[str] = frozenset({INFORM, AFFIRM, DENY})
    YES_NO_SLOTS: frozenset[str] = frozenset()
    FREE_TEXT_SLOTS: frozenset[str] = frozenset()
    VALUE_KINDS: dict[str, frozenset[Kind]] = {}
    MISPLACED_RESPONSES: dict[str, str] = {}

    @abstractmethod
    def name(self) -> str:
        """Return the action's name in the domain."""

    @property
    def policy(self) -> FormPolicy:
        """The form policy of this form (from the class attributes)."""
        return FormPolicy(
            stop_response=responses.FORM_STOPPED,
            own_intents=self.OWN_INTENTS,
            yes_no_slots=self.YES_NO_SLOTS,
            free_text_slots=self.FREE_TEXT_SLOTS,
        )

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Stop on request; otherwise extract and validate this turn's answer."""
        policy = self.policy
        if policy.wants_to_stop(slots.turn(tracker)):
            dispatcher.utter_message(response=policy.stop_response)
            return [
                *(SlotSet(name, None) for name in self.FORM_SLOTS),
                SlotSet(slots.REQUESTED_SLOT, None),
            ]
        before = Before.validation(dispatcher, tracker, self.form_name())
        kept = self._value_for_another_question(dispatcher, tracker)
        events: list[EventType] = (
            kept if kept is not None else await super().run(dispatcher, tracker, domain)
        )
        return break_loops(dispatcher, before, events, self.FORM_SLOTS)

    def _value_for_another_question(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType] | None:
        """Keep a value meant for another question; None when the message answers this one."""
        return keep_for_another_question(
            dispatcher,
            slots.turn(tracker),
            self.policy,
            self.VALUE_KINDS,
            self.services.today(),
            kept=self.kept_value,
            misplaced_responses=self.MISPLACED_RESPONSES,
        )

    def kept_value(self, noted: Noted) -> dict[str, Any]:
        """Return the slot values for a value kept for a later question (as said, by default)."""
        return {noted.slot: noted.value}

    def answer(self, tracker: Tracker, slot: str) -> str | None:
        """Return the message text when it answers the question for ``slot``, else None."""
        return self.policy.answer(slots.turn(tracker), slot)

    def entity(self, tracker: Tracker, name: str) -> str | None:
        """Return entity ``name`` of the latest message (none from interruptions)."""
        return self.policy.entity(slots.turn(tracker), name)

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
    out-of-scope (the first time: another miss is left to the loop breaker,
    :mod:`bot.dialogue.loop_breaker`), account help, and - for a verified customer - the
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
        if intent in NOT_UNDERSTOOD and missed_before(
            tracker.get_slot(DIALOGUE_LOOP), tracker.get_slot(slots.REQUESTED_SLOT)
        ):
            return []  # missed again: the form asks differently or hands over
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
