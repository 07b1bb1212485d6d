"""The verification form: customer number plus postal code, three attempts."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import slots
from actions.history import log_topic
from actions.loop_breaker import Before, break_loops
from actions.services import UsesServices
from actions.turn_errors import TurnGuard
from bot.crm.errors import CRMError
from bot.dialogue import responses
from bot.dialogue.form_policy import FormPolicy
from bot.dialogue.intents import LEAVING, SMALL_TALK
from bot.dialogue.loop_breaker import DIALOGUE_LOOP, Loop, Step
from bot.dialogue.slots import VERIFICATION_FORM
from bot.topics import IDENTIFIED
from bot.verification import (
    MAX_ATTEMPTS,
    Answer,
    Outcome,
    attempts_left,
    check_identity,
    clean_customer_number,
    clean_postal_code,
    is_locked,
    read_answer,
)

logger = logging.getLogger(__name__)

POLICY = FormPolicy(
    stop_response=responses.VERIFICATION_STOPPED,
    leaving=LEAVING | SMALL_TALK,
    digressions=frozenset(),
)
"""The verification's form policy: "nein" or "abbrechen" stops it; small talk is no answer."""


class ActionRememberRequest(TurnGuard, Action):
    """Remember which personal request the customer made, to continue after verification."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_remember_request"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Set ``requested_intent`` to the latest intent when it needs verification."""
        topic = slots.personal_request(tracker)
        return [] if topic is None else [SlotSet(slots.REQUESTED_INTENT, topic)]


class ValidateVerificationForm(UsesServices, FormValidationAction):
    """Read, check and count the customer's answers to the verification form.

    The form ends without a question when the customer is verified already
    or locked out, and when the customer stops it. When both answers are
    there, the CRM checks them: verified, or one more failed attempt (the
    same answer for an unknown number and a wrong postal code; the number is
    kept and the postal code asked again), or - when
    the CRM does not answer - a polite apology without counting an attempt.
    """

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "validate_verification_form"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Validate this turn's answers; check them against the CRM when complete."""
        current = slots.identity(tracker)
        if current.verified or is_locked(current.failures):
            return [SlotSet(slots.REQUESTED_SLOT, None)]
        if POLICY.wants_to_stop(slots.turn(tracker)):
            dispatcher.utter_message(response=POLICY.stop_response)
            return [*_cleared(), SlotSet(slots.REQUESTED_SLOT, None)]
        before = Before.validation(dispatcher, tracker, VERIFICATION_FORM)
        events: list[EventType] = await super().run(dispatcher, tracker, domain)
        number = tracker.get_slot(slots.CUSTOMER_NUMBER)
        postal_code = tracker.get_slot(slots.POSTAL_CODE)
        if number and postal_code:
            events += await self._check(dispatcher, tracker, number, postal_code, current)
        events = break_loops(
            dispatcher,
            before,
            events,
            (slots.CUSTOMER_NUMBER, slots.POSTAL_CODE),
            counts_of_its_own=(slots.VERIFICATION_FAILURES,),  # three attempts, then locked
        )
        if (
            not events
            and not dispatcher.messages
            and tracker.get_slot(slots.REQUESTED_SLOT) is None
        ):
            events = _name_the_first_question(tracker, domain)
        return events

    # --- extraction: entities first, the text when the form asked -------------

    def extract_customer_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Return the customer number of this message, if any."""
        answer = _answer(tracker)
        if answer.customer_number is not None:
            return {slots.CUSTOMER_NUMBER: answer.customer_number}
        if answer.unreadable and tracker.get_slot(slots.REQUESTED_SLOT) == slots.CUSTOMER_NUMBER:
            return {slots.CUSTOMER_NUMBER: tracker.latest_message.get("text")}
        return {}

    def extract_postal_code(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Return the postal code of this message, if any."""
        answer = _answer(tracker)
        if answer.postal_code is not None:
            return {slots.POSTAL_CODE: answer.postal_code}
        if answer.unreadable and tracker.get_slot(slots.REQUESTED_SLOT) == slots.POSTAL_CODE:
            return {slots.POSTAL_CODE: tracker.latest_message.get("text")}
        return {}

    # --- validation: format only; the CRM check needs both ---------------------

    def validate_customer_number(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Accept K-100001, K100001 or 100001 (as ``K-100001``)."""
        number = clean_customer_number(slot_value)
        if number is None:
            dispatcher.utter_message(response="utter_verification_invalid_customer_number")
        return {slots.CUSTOMER_NUMBER: number}

    def validate_postal_code(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Accept a four- or five-digit postal code."""
        code = clean_postal_code(slot_value)
        if code is None:
            dispatcher.utter_message(response="utter_verification_invalid_postal_code")
        return {slots.POSTAL_CODE: code}

    # --- the check ----------------------------------------------------------------

    async def _check(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        number: str,
        postal_code: str,
        current: slots.Identity,
    ) -> list[EventType]:
        try:
            result = await check_identity(self.services.crm, number, postal_code)
        except CRMError as error:  # the client could not even be created
            logger.error("Identity check impossible: %s", error)
            result = None
        if result is None or result.outcome is Outcome.UNAVAILABLE:
            dispatcher.utter_message(response=responses.CRM_UNAVAILABLE)
            return [*_cleared(), SlotSet(slots.REQUESTED_SLOT, None)]
        if result.outcome is Outcome.LOCKED:  # too many failures for this number, anywhere
            logger.warning("Verification refused: customer number locked after failed attempts")
            dispatcher.utter_message(response="utter_verification_number_locked")
            return [
                *_cleared(),
                SlotSet(slots.VERIFICATION_FAILURES, MAX_ATTEMPTS),
                SlotSet(slots.REQUESTED_SLOT, None),
            ]
        if result.outcome is Outcome.VERIFIED and result.customer_number:
            logger.info("Customer verified")
            return [
                *slots.verified_events(
                    tracker.sender_id, result.customer_number, slots.BY_POSTAL_CODE
                ),
                *log_topic(
                    self.services,
                    result.customer_number,
                    slots.conversation(tracker),
                    IDENTIFIED,
                    logged=current.logged_topics,
                    method=slots.BY_POSTAL_CODE,
                ),
                SlotSet(slots.REQUESTED_SLOT, None),
            ]
        failures = current.failures + 1
        logger.info("Verification failed (%d in this conversation)", failures)
        left = attempts_left(failures)
        if left == 0:
            return [
                *_cleared(),
                SlotSet(slots.VERIFICATION_FAILURES, failures),
                SlotSet(slots.REQUESTED_SLOT, None),
            ]
        # The number stays: the customer corrects the postal code, or names
        # another number (read from any message). Unknown number and wrong
        # postal code get the same answer.
        events: list[EventType] = [
            SlotSet(slots.POSTAL_CODE, None),
            SlotSet(slots.VERIFICATION_FAILURES, failures),
        ]
        if left == 1:
            dispatcher.utter_message(response="utter_verification_failed_last_try")
        else:
            dispatcher.utter_message(response="utter_verification_failed", attempts_left=left)
        return events


def _answer(tracker: Tracker) -> Answer:
    """Read this message's contribution (nothing from interruptions)."""
    if not POLICY.reads_values(slots.turn(tracker)):
        return Answer()
    message = tracker.latest_message
    asked = tracker.get_slot(slots.REQUESTED_SLOT)
    return read_answer(
        message.get("text") or "",
        customer_numbers=[str(v) for v in tracker.get_latest_entity_values(slots.CUSTOMER_NUMBER)],
        postal_codes=[str(v) for v in tracker.get_latest_entity_values(slots.POSTAL_CODE)],
        asked=asked if asked in (slots.CUSTOMER_NUMBER, slots.POSTAL_CODE) else None,
    )


def _cleared() -> list[EventType]:
    return [SlotSet(slots.CUSTOMER_NUMBER, None), SlotSet(slots.POSTAL_CODE, None)]


class ActionAskCustomerNumber(TurnGuard, Action):
    """Ask for the customer number, and say what it looks like when the customer struggles.

    The first time with the reason; again after a failed check briefly, with
    an example; when the customer gave a postal code instead, with thanks
    for it and what is still missing; after two answers in a row that missed
    it (the loop breaker's rephrased question), or from the fourth question in
    one verification on, with where to find the number and the offer of a human.
    """

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_verification_form_customer_number"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Ask; the form has asked before when a slot was requested already."""
        dispatcher.utter_message(response=_customer_number_question(tracker))
        return []


TROUBLE_AFTER_QUESTIONS = 3
"""Questions for the customer number (the first included) after which the next offers a human."""


def _customer_number_question(tracker: Tracker) -> str:
    if tracker.get_slot(slots.REQUESTED_SLOT) is None:
        return "utter_ask_verification_form_customer_number"
    loop = Loop.decode(tracker.get_slot(DIALOGUE_LOOP))
    rephrase = (
        loop is not None and loop.slot == slots.CUSTOMER_NUMBER and loop.step is Step.REPHRASE
    )
    if rephrase or _questions_in_this_verification(tracker) >= TROUBLE_AFTER_QUESTIONS:
        return "utter_ask_customer_number_with_help"  # asked differently: the loop breaker's step
    if tracker.get_slot(slots.POSTAL_CODE):
        return "utter_ask_customer_number_after_postal_code"
    return "utter_ask_customer_number_again"


CUSTOMER_NUMBER_QUESTIONS = frozenset(
    {
        "utter_ask_verification_form_customer_number",
        "utter_ask_customer_number_again",
        "utter_ask_customer_number_after_postal_code",
        "utter_ask_customer_number_with_help",
    }
)
"""The responses that ask for the customer number."""


def _questions_in_this_verification(tracker: Tracker) -> int:
    """Count the questions for the customer number since the form started."""
    asked = 0
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == VERIFICATION_FORM:
            break
        metadata = event.get("metadata") if event.get("event") == "bot" else None
        if isinstance(metadata, dict) and metadata.get("utter_action") in CUSTOMER_NUMBER_QUESTIONS:
            asked += 1
    return asked


def _name_the_first_question(tracker: Tracker, domain: DomainDict) -> list[EventType]:
    """Return the (still empty) slot the form asks first, at its start when nothing was read.

    Rasa runs a form's validation a second time at the form's start when the
    first run returned nothing (``FormAction.do``): a second call to the
    action server with the whole conversation, for the same answer. Setting
    the first required slot that is still empty to its value (``None``) is
    something, so Rasa goes on to ask for that slot, as it would have.
    """
    required = domain.get("forms", {}).get(VERIFICATION_FORM, {}).get("required_slots", [])
    first = next((name for name in required if tracker.get_slot(name) is None), None)
    return [SlotSet(first, None)] if first else []
