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
from actions.journey_support import turn_budget
from actions.services import Services
from bot.crm.schemas import CustomerProfile
from bot.dialogue import responses
from bot.dialogue.form_policy import FormPolicy
from bot.dialogue.intents import APPOINTMENT_ANSWERS
from bot.dialogue.slots import (
    APPOINTMENT_CONFIRMED,
    APPOINTMENT_FORM_SLOTS,
    APPOINTMENT_NUMBER,
    APPOINTMENT_OFFER,
    APPOINTMENT_PREFERENCE,
    APPOINTMENT_SERVICE,
    APPOINTMENT_START,
    APPOINTMENT_VEHICLE,
    APPOINTMENT_WORKSHOP,
    BOOK_APPOINTMENT_FORM,
    CANCEL_APPOINTMENT_FORM,
    RESCHEDULE_APPOINTMENT_FORM,
)

logger = logging.getLogger(__name__)

SERVICE = APPOINTMENT_SERVICE
WORKSHOP = APPOINTMENT_WORKSHOP
VEHICLE = APPOINTMENT_VEHICLE
START = APPOINTMENT_START
PREFERENCE = APPOINTMENT_PREFERENCE
CONFIRMED = APPOINTMENT_CONFIRMED
NUMBER = APPOINTMENT_NUMBER
OFFER = APPOINTMENT_OFFER

BOOK_FORM = BOOK_APPOINTMENT_FORM
RESCHEDULE_FORM = RESCHEDULE_APPOINTMENT_FORM
CANCEL_FORM = CANCEL_APPOINTMENT_FORM

FORM_SLOTS = APPOINTMENT_FORM_SLOTS

POLICY = FormPolicy(
    stop_response=responses.APPOINTMENT_STOPPED,
    own_intents=APPOINTMENT_ANSWERS,
    yes_no_slots=frozenset({WORKSHOP, CONFIRMED}),
    no_stops=False,
)
"""The appointment forms' policy: "abbrechen" stops; "nein" answers ("another workshop").

Messages with an intent outside :data:`~bot.dialogue.intents.APPOINTMENT_ANSWERS`
(another topic, chit-chat) count only when they contain a value; otherwise
the form lets the rules answer them.
"""
VALUE_ENTITIES = ("service_type", "city")
"""Entities that change a value of the form: at the summary, a correction, not an answer."""


def cleared() -> list[EventType]:
    """Forget every value of the appointment forms."""
    return [SlotSet(name, None) for name in FORM_SLOTS]


def asked(tracker: Tracker) -> str | None:
    """Return the slot the form asked for (None when it asked nothing)."""
    value = tracker.get_slot(slots.REQUESTED_SLOT)
    return value if isinstance(value, str) else None


def text_of(tracker: Tracker) -> str:
    """Return the latest message, or the payload of the offered button it picks."""
    return slots.chosen_text(tracker)


def entity(tracker: Tracker, name: str) -> str | None:
    """Return the first value of entity ``name`` in the latest message."""
    values = list(tracker.get_latest_entity_values(name))
    return str(values[0]) if values else None


def reads_values(tracker: Tracker) -> bool:
    """Tell whether the latest message may be read for values at all."""
    return POLICY.reads_values(slots.turn(tracker))


def is_answer(tracker: Tracker) -> bool:
    """Tell whether the latest message answers the question even without a value."""
    return slots.latest_intent(tracker) in POLICY.own_intents


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


async def verified_profile(services: Services, tracker: Tracker) -> CustomerProfile | None:
    """Return the verified customer's profile (None when nobody is verified or the CRM fails)."""
    customer = slots.identity(tracker).customer_number
    return await profile_for(services, tracker, customer) if customer else None
