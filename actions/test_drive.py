"""test_drive: model, place, date and contact in a form; a lead for the sales team.

No verification needed; a verified customer finds name, e-mail and their
usual workshop filled in already. The place becomes the nearest workshop
(by postal code) or the city's workshop; a town without one gets its
nearest workshops to choose from.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import slots
from actions.dealers import search_workshops
from actions.journey_forms import JourneyFormValidation
from actions.journey_support import crm_call, send, start_form, verified_customer
from actions.services import UsesServices
from bot.crm.errors import CRMError
from bot.crm.schemas import LeadCreate
from bot.dialogue.noted_values import Kind, Noted
from bot.self_service.contact_data import Problem
from bot.self_service.dealers import read_place
from bot.self_service.test_drive import (
    names_an_offer,
    nearest_choice,
    offered_workshop,
    read_contact,
    read_model,
    read_name,
)

logger = logging.getLogger(__name__)

TEST_DRIVE_FORM = "test_drive_form"
MODEL = "test_drive_model"
WORKSHOP = "test_drive_workshop"
DATE = "test_drive_date"
NAME = "test_drive_name"
CONTACT = "test_drive_contact"
TEST_DRIVE_SLOTS = (MODEL, WORKSHOP, DATE, NAME, CONTACT)


class ActionStartTestDrive(UsesServices, Action):
    """Start the test-drive form; prefill what the request and the CRM already say."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_start_test_drive"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Prefill the model and, for a verified customer, name, contact and workshop."""
        prefilled: dict[str, Any] = {}
        model = read_model(
            next(tracker.get_latest_entity_values("vehicle_model"), None)
        ) or read_model(tracker.latest_message.get("text"))
        if model:
            prefilled[MODEL] = model
        customer = verified_customer(tracker)
        if customer is not None:
            try:
                profile = await self.services.profile(customer)
            except CRMError as error:
                logger.warning("Test drive without prefilled contact: %s", error)
            else:
                person = profile.customer
                prefilled[NAME] = f"{person.first_name} {person.last_name}".strip()
                prefilled[CONTACT] = {"email": person.email}
                if profile.preferred_workshop is not None:
                    workshop = profile.preferred_workshop
                    prefilled[WORKSHOP] = {"code": workshop.code, "name": workshop.name}
        dispatcher.utter_message(response="utter_test_drive_intro")
        return start_form(TEST_DRIVE_FORM, TEST_DRIVE_SLOTS, **prefilled)


class ValidateTestDriveForm(JourneyFormValidation):
    """Read model, place (-> workshop), date, name and contact."""

    FORM_SLOTS = TEST_DRIVE_SLOTS
    OWN_INTENTS = frozenset({"inform", "affirm", "test_drive", "dealer_info"})  # "in Köln"
    FREE_TEXT_SLOTS = frozenset({DATE, NAME})
    VALUE_KINDS = {
        MODEL: frozenset({Kind.CHOICE}),
        WORKSHOP: frozenset({Kind.PLACE}),
        DATE: frozenset({Kind.DATE}),
        NAME: frozenset({Kind.NAME}),
        CONTACT: frozenset({Kind.EMAIL, Kind.PHONE}),
    }
    MISPLACED_RESPONSES = {WORKSHOP: "utter_dealer_location_unknown"}

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "validate_test_drive_form"

    def kept_value(self, noted: Noted) -> dict[str, Any]:
        """Keep an e-mail address or phone number as the contact, a name as read."""
        if noted.kind is Kind.EMAIL:
            return {CONTACT: {"email": noted.value}}
        if noted.kind is Kind.PHONE:
            return {CONTACT: {"phone": noted.value}}
        if noted.kind is Kind.NAME:
            return {NAME: read_name(noted.value)}
        return {noted.slot: noted.value}

    def extract_test_drive_model(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read the model from a button, the entity or the words.

        A model named later ("lieber den Strato GT") corrects the one given.
        """
        text = self.answer(tracker, MODEL)
        if text is None:
            correction = self._named_model(tracker)
            if correction and tracker.get_slot(MODEL) and correction != tracker.get_slot(MODEL):
                return {MODEL: correction}
            return {}
        model = read_model(self.entity(tracker, "vehicle_model")) or read_model(text)
        if model is None:
            dispatcher.utter_message(response="utter_test_drive_model_unknown")
        return {MODEL: model}

    def _named_model(self, tracker: Tracker) -> str | None:
        """Return a model named in a message that answers some other question."""
        asked = tracker.get_slot(slots.REQUESTED_SLOT)
        if asked in (None, MODEL) or self.answer(tracker, asked) is None:
            return None
        return read_model(self.entity(tracker, "vehicle_model")) or read_model(
            tracker.latest_message.get("text")
        )

    async def extract_test_drive_workshop(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Turn a city or postal code into the workshop there or the nearest one."""
        text = self.answer(tracker, WORKSHOP)
        if text is None:
            return {}
        offered = [option.payload for option in slots.offered_options(tracker)]
        if names_an_offer(text, offered):  # the nearest workshops: a click, a name, "der erste"
            try:
                workshops = await crm_call(self.services.crm.find_workshops())
            except CRMError as error:
                logger.warning("Workshop list failed: %s", error)
                workshops = []
            chosen = offered_workshop(text, offered, workshops)
            if chosen is not None:
                return {WORKSHOP: {"code": chosen.code, "name": chosen.name}}
        place = read_place(
            text, city=self.entity(tracker, "city"), postal_code=self.entity(tracker, "postal_code")
        )
        if place is None:
            dispatcher.utter_message(response="utter_dealer_location_unknown")
            return {WORKSHOP: None}
        try:
            search = await search_workshops(
                self.services, place, town_named=self.entity(tracker, "city") is not None
            )
        except CRMError as error:
            logger.warning("Workshop search failed: %s", error)
            dispatcher.utter_message(response="utter_crm_unavailable")
            return {WORKSHOP: None}
        if search.not_a_place:
            dispatcher.utter_message(response="utter_dealer_location_unknown")
            return {WORKSHOP: None}
        if not search.workshops:
            dispatcher.utter_message(response="utter_dealer_none", place=place.label)
            return {WORKSHOP: None}
        if search.instead_of:  # "Hamburg": the nearest workshops to choose from
            send(dispatcher, [nearest_choice(search.instead_of, search.workshops)])
            return {WORKSHOP: None}
        nearest = search.workshops[0]
        return {WORKSHOP: {"code": nearest.code, "name": nearest.name}}

    def extract_test_drive_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Take the wished date as said ("nächsten Samstag", "am 5.12."); sales confirms it."""
        text = self.answer(tracker, DATE)
        if text is None or self._named_model(tracker):
            return {}  # "lieber den Strato GT": a correction of the model, no date
        return {DATE: text[:80]}

    def extract_test_drive_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read the person's name."""
        text = self.answer(tracker, NAME)
        if text is None:
            return {}
        name = read_name(text)
        if name is None:
            dispatcher.utter_message(response="utter_test_drive_name_invalid")
        return {NAME: name}

    def extract_test_drive_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read an e-mail address or a phone number."""
        text = self.answer(tracker, CONTACT)
        if text is None:
            return {}
        contact = read_contact(
            self.entity(tracker, "email") or self.entity(tracker, "phone") or text
        )
        if isinstance(contact, Problem):
            dispatcher.utter_message(response="utter_test_drive_contact_invalid")
            return {CONTACT: None}
        return {CONTACT: contact}


class ActionSubmitTestDrive(UsesServices, Action):
    """Record the lead and confirm it with its number."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_submit_test_drive"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Create the lead (nothing when the form was stopped)."""
        cleared = [SlotSet(name, None) for name in TEST_DRIVE_SLOTS]
        values = {name: tracker.get_slot(name) for name in TEST_DRIVE_SLOTS}
        if not all(values.values()):
            return cleared
        workshop, contact = values[WORKSHOP], values[CONTACT]
        conversation = slots.conversation(tracker)
        try:
            created = await crm_call(
                self.services.crm.create_lead(
                    LeadCreate(
                        **conversation.origin(),
                        customer_number=verified_customer(tracker),
                        name=values[NAME],
                        email=contact.get("email"),
                        phone=contact.get("phone"),
                        model=values[MODEL],
                        workshop_code=workshop.get("code"),
                        preferred_date=values[DATE],
                    )
                )
            )
        except CRMError as error:
            logger.warning("Test-drive lead not recorded: %s", error)
            dispatcher.utter_message(response="utter_crm_unavailable")
            return cleared
        dispatcher.utter_message(
            response="utter_test_drive_confirmed",
            lead_number=created.lead_number,
            model=values[MODEL],
            workshop_name=workshop.get("name", ""),
            date=values[DATE],
            contact=contact.get("email") or contact.get("phone"),
        )
        return cleared
