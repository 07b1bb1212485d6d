"""Greetings: personal (name, loyalty, what is open) once the customer is verified."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.services import Services, UsesServices
from bot.budget import ANSWER_BUDGET_SECONDS
from bot.crm.errors import CRMError
from bot.crm.schemas import CustomerProfile
from bot.personalization import addressee, loyalty, select_highlights

logger = logging.getLogger(__name__)


async def load_profile(
    services: Services, customer_number: str, budget: float = ANSWER_BUDGET_SECONDS
) -> CustomerProfile | None:
    """Return the verified customer's profile, or None (with a log line) when the CRM fails."""
    try:
        return await services.profile(customer_number, budget)
    except CRMError as error:
        logger.warning("Profile of the verified customer unavailable: %s", error)
        return None


def greet_personally(
    dispatcher: CollectingDispatcher,
    profile: CustomerProfile,
    services: Services,
    *,
    opener: str,
    answering: str | None = None,
) -> list[EventType]:
    """Greet by name, acknowledge loyalty and mention up to two open things.

    Args:
        dispatcher: Where the messages go.
        profile: The verified customer's profile.
        services: For the current time.
        opener: The greeting response (it receives ``addressee``).
        answering: The topic this turn answers after the greeting: what
            that answer says is not mentioned here as well.

    Returns:
        The event remembering that the customer was greeted (loyalty is
        mentioned once per conversation, not on every turn).

    """
    now = services.now()
    dispatcher.utter_message(response=opener, addressee=addressee(profile.customer))
    thanks = loyalty(profile.customer, now.date())
    if thanks is not None:
        dispatcher.utter_message(response=f"utter_loyalty_{thanks.kind}", **thanks.values)
    for highlight in select_highlights(profile, now, answering=answering):
        dispatcher.utter_message(response=f"utter_highlight_{highlight.kind}", **highlight.values)
    return [SlotSet(slots.CUSTOMER_GREETED, True)]


class ActionGreet(UsesServices, Action):
    """Answer a greeting: personally for a verified customer, else the general greeting."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_greet"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Greet; a verified customer by name (and, the first time, with what is open)."""
        current = slots.identity(tracker)
        if current.customer_number is None:
            dispatcher.utter_message(response="utter_greet")
            return []
        profile = await load_profile(self.services, current.customer_number)
        if profile is None:
            dispatcher.utter_message(response="utter_greet")
            return []
        if current.greeted:
            dispatcher.utter_message(
                response="utter_greet_customer_again", addressee=addressee(profile.customer)
            )
            return []
        events = greet_personally(dispatcher, profile, self.services, opener="utter_greet_customer")
        dispatcher.utter_message(response="utter_ask_how_can_i_help")
        return events
