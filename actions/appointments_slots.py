"""The appointment forms' slots and how the actions read the customer's answers.

Every slot here has a ``custom`` mapping in ``domain.yml``: the form
validation actions (:mod:`actions.appointments_form`) extract and check them.
"""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import slots
from actions.greeting import load_profile
from actions.journey_support import LEAVING, turn_budget
from actions.services import Services
from bot.crm.schemas import CustomerProfile

logger = logging.getLogger(__name__)

SERVICE = "appointment_service"
WORKSHOP = "appointment_workshop"
VEHICLE = "appointment_vehicle"
START = "appointment_start"
PREFERENCE = "appointment_preference"
CONFIRMED = "appointment_confirmed"
NUMBER = "appointment_number"
OFFER = "appointment_offer"

BOOK_FORM = "book_appointment_form"
RESCHEDULE_FORM = "reschedule_appointment_form"
CANCEL_FORM = "cancel_appointment_form"

FORM_SLOTS = (SERVICE, WORKSHOP, VEHICLE, START, PREFERENCE, CONFIRMED, NUMBER)

ANSWER_INTENTS = frozenset(
    {
        "inform",
        "affirm",
        "deny",
        "nlu_fallback",
        "out_of_scope",  # a free answer ("Atlantis") often looks out of scope
        "book_appointment",
        "reschedule_appointment",
        "cancel_appointment",
        "appointment_status",
    }
)
"""Intents of messages that answer the form's question even when nothing is recognised.

Messages with other intents (another topic, chit-chat) count only when they
contain a value; otherwise the form lets the rules answer them.
"""


def cleared() -> list[EventType]:
    """Forget every value of the appointment forms."""
    return [SlotSet(name, None) for name in FORM_SLOTS]


def asked(tracker: Tracker) -> str | None:
    """Return the slot the form asked for (None when it asked nothing)."""
    value = tracker.get_slot(slots.REQUESTED_SLOT)
    return value if isinstance(value, str) else None


def text_of(tracker: Tracker) -> str:
    """Return the text of the latest message."""
    return str((tracker.latest_message or {}).get("text") or "")


def entity(tracker: Tracker, name: str) -> str | None:
    """Return the first value of entity ``name`` in the latest message."""
    values = list(tracker.get_latest_entity_values(name))
    return str(values[0]) if values else None


def reads_values(tracker: Tracker) -> bool:
    """Tell whether the latest message may be read for values at all."""
    return slots.latest_intent(tracker) not in LEAVING


def is_answer(tracker: Tracker) -> bool:
    """Tell whether the latest message answers the question even without a value."""
    return slots.latest_intent(tracker) in ANSWER_INTENTS


def said_since_user(tracker: Tracker, response: str) -> bool:
    """Tell whether ``response`` was uttered after the latest user message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if (
            event.get("event") == "bot"
            and (event.get("metadata") or {}).get("utter_action") == response
        ):
            return True
    return False


async def profile_for(
    services: Services, tracker: Tracker, customer: str
) -> CustomerProfile | None:
    """Return the verified customer's profile within the turn's budget (None when the CRM fails)."""
    return await load_profile(services, customer, turn_budget(tracker))
