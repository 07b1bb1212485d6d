"""change_address: new address, e-mail or phone in a form, checked, confirmed, written to the CRM.

``contact_change_form`` asks what to change (buttons), the new value
(checked: German five-digit, Austrian and Swiss four-digit postal codes,
e-mail syntax, phone digits), then shows old and new value for a yes. A new
value given at the confirmation replaces the old one (a correction); "nein"
asks for the value again. The CRM keeps the old value in the history entry
of the change (``update_contact``).
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import slots
from actions.journey_forms import JourneyFormValidation
from actions.journey_support import crm_call, request_message, start_form, verified_customer
from actions.services import Services, UsesServices
from bot.crm.enums import Channel, Country
from bot.crm.errors import CRMError, CRMValidationError
from bot.crm.schemas import ContactChange, Customer
from bot.dialogue.noted_values import Kind, Noted
from bot.self_service.contact_data import (
    Address,
    ContactField,
    Problem,
    read_address,
    read_email,
    read_field,
    read_phone,
)

logger = logging.getLogger(__name__)

CONTACT_FORM = "contact_change_form"
CONTACT_FIELD = "contact_field"
NEW_ADDRESS = "new_address"
NEW_EMAIL = "new_email"
NEW_PHONE = "new_phone"
CONFIRMED = "contact_change_confirmed"
VALUE_SLOTS = {
    ContactField.ADDRESS.value: NEW_ADDRESS,
    ContactField.EMAIL.value: NEW_EMAIL,
    ContactField.PHONE.value: NEW_PHONE,
}
CONTACT_SLOTS = (CONTACT_FIELD, NEW_ADDRESS, NEW_EMAIL, NEW_PHONE, CONFIRMED)


def _read(field: str, text: str, entity: str | None, country: Country) -> Any:
    """Return the new value (an address as a dict) or a :class:`Problem`."""
    if field == ContactField.ADDRESS.value:
        address = read_address(text, country)
        if isinstance(address, Problem):
            return address
        return {**asdict(address), "country": address.country.value}
    if field == ContactField.EMAIL.value:
        return read_email(entity or text)
    return read_phone(entity or text)


def address_display(value: dict[str, str]) -> str:
    """Return a stored address slot in one line."""
    return Address(
        value["street"], value["postal_code"], value["city"], Country(value["country"])
    ).display()


async def serve_change_address(
    dispatcher: CollectingDispatcher, tracker: Tracker, services: Services, customer: str
) -> list[EventType]:
    """Start the form, with what the request already said (field, maybe the new value)."""
    request = request_message(tracker, "change_address")
    prefilled: dict[str, Any] = {}
    field = (
        ContactField.EMAIL
        if request.entity("email")
        else ContactField.PHONE
        if request.entity("phone")
        else read_field(request.text)
    )
    if field is not None:
        prefilled[CONTACT_FIELD] = field.value
        try:
            current = await services.profile(customer)
        except CRMError as error:
            logger.warning("Contact change impossible: %s", error)
            dispatcher.utter_message(response="utter_crm_unavailable")
            return []
        value = _read(
            field.value, request.text, request.entity(field.value), current.customer.country
        )
        if not isinstance(value, Problem):
            prefilled[VALUE_SLOTS[field.value]] = value
    return start_form(CONTACT_FORM, CONTACT_SLOTS, **prefilled)


class ValidateContactChangeForm(JourneyFormValidation):
    """What to change, the new value, and the customer's yes."""

    FORM_SLOTS = CONTACT_SLOTS
    OWN_INTENTS = frozenset({"inform", "affirm", "deny", "change_address"})
    YES_NO_SLOTS = frozenset({CONFIRMED})
    VALUE_KINDS = {  # an e-mail address or phone number while the field is asked
        CONTACT_FIELD: frozenset({Kind.CHOICE}),
        NEW_EMAIL: frozenset({Kind.EMAIL}),
        NEW_PHONE: frozenset({Kind.PHONE}),
    }

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "validate_contact_change_form"

    def kept_value(self, noted: Noted) -> dict[str, Any]:
        """Take a valid new e-mail address or phone number given for "what to change?"."""
        field = ContactField.EMAIL if noted.kind is Kind.EMAIL else ContactField.PHONE
        value = _read(field.value, noted.value, None, Country.DE)  # the country: addresses only
        if isinstance(value, Problem):
            return {}
        return {CONTACT_FIELD: field.value, VALUE_SLOTS[field.value]: value}

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Ask for the value of the chosen field between field and confirmation."""
        value_slot = VALUE_SLOTS.get(tracker.get_slot(CONTACT_FIELD) or "")
        return [CONTACT_FIELD, value_slot, CONFIRMED] if value_slot else [CONTACT_FIELD, CONFIRMED]

    def extract_contact_field(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read the field from a button or from the words ("E-Mail", "umgezogen")."""
        chosen = self.entity(tracker, CONTACT_FIELD)
        if chosen in VALUE_SLOTS:
            return {CONTACT_FIELD: chosen}
        text = self.answer(tracker, CONTACT_FIELD)
        if text is None:
            return {}
        field = read_field(text)
        if field is None:
            dispatcher.utter_message(response="utter_contact_field_unknown")
        return {CONTACT_FIELD: field.value if field else None}

    async def _extract_value(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, field: ContactField
    ) -> dict[str, Any]:
        slot = VALUE_SLOTS[field.value]
        asked = tracker.get_slot(slots.REQUESTED_SLOT)
        customer = verified_customer(tracker)
        if (
            tracker.get_slot(CONTACT_FIELD) != field.value
            or asked not in (slot, CONFIRMED)
            or customer is None
        ):
            return {}
        text = self.answer(tracker, asked)
        if text is None:
            return {}
        try:
            current = await self.services.profile(customer)
        except CRMError:
            return {}
        value = _read(
            field.value, text, self.entity(tracker, field.value), current.customer.country
        )
        if isinstance(value, Problem):
            if asked == CONFIRMED:  # a plain yes or no, not a correction
                return {}
            dispatcher.utter_message(response=f"utter_contact_invalid_{value.value}")
            return {slot: None}
        # a new value at the confirmation is a correction: confirm again
        return {slot: value, CONFIRMED: None} if asked == CONFIRMED else {slot: value}

    async def extract_new_address(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read a complete address (street and number, postal code, city)."""
        return await self._extract_value(dispatcher, tracker, ContactField.ADDRESS)

    async def extract_new_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read an e-mail address."""
        return await self._extract_value(dispatcher, tracker, ContactField.EMAIL)

    async def extract_new_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read a phone number."""
        return await self._extract_value(dispatcher, tracker, ContactField.PHONE)

    def extract_contact_change_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read the yes (confirmed) or the no (ask for the value again)."""
        if tracker.get_slot(slots.REQUESTED_SLOT) != CONFIRMED:
            return {}
        intent = slots.latest_intent(tracker)
        if intent == "affirm":
            return {CONFIRMED: True}
        if intent != "deny":
            return {}
        field = tracker.get_slot(CONTACT_FIELD) or ""
        text = tracker.latest_message.get("text") or ""
        if field in VALUE_SLOTS and not isinstance(
            _read(field, text, self.entity(tracker, field), Country.AT), Problem
        ):
            return {}  # "nein, die richtige ist ...": a correction, read by the value's extractor
        dispatcher.utter_message(response="utter_contact_change_correct")
        value_slot = VALUE_SLOTS.get(field)
        return {CONFIRMED: None, **({value_slot: None} if value_slot else {})}


class ActionAskContactChangeConfirmed(UsesServices, Action):
    """Show the old and the new value and ask for a yes."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_contact_change_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Ask "from X to Y - correct?" with yes/no buttons."""
        field = tracker.get_slot(CONTACT_FIELD) or ""
        new = tracker.get_slot(VALUE_SLOTS.get(field, NEW_EMAIL))
        customer = verified_customer(tracker)
        old = ""
        if customer is not None:
            try:
                old = _current_value((await self.services.profile(customer)).customer, field)
            except CRMError as error:
                logger.warning("Current contact data unavailable: %s", error)
        shown = address_display(new) if isinstance(new, dict) else str(new or "")
        dispatcher.utter_message(
            response=f"utter_ask_contact_change_confirmed_{field}", old_value=old, new_value=shown
        )
        return []


def _current_value(customer: Customer, field: str) -> str:
    if field == ContactField.ADDRESS.value:
        return Address(
            customer.street, customer.postal_code, customer.city, customer.country
        ).display()
    return str(getattr(customer, field, ""))


def _change(field: str, value: Any, channel: Channel, conversation_id: str) -> ContactChange:
    """Return the CRM command for the confirmed new value (an address as a whole)."""
    if isinstance(value, dict):
        return ContactChange(
            street=value["street"],
            postal_code=value["postal_code"],
            city=value["city"],
            country=Country(value["country"]),
            email=None,
            phone=None,
            channel=channel,
            conversation_id=conversation_id,
        )
    return ContactChange(
        street=None,
        postal_code=None,
        city=None,
        country=None,
        email=value if field == ContactField.EMAIL.value else None,
        phone=value if field == ContactField.PHONE.value else None,
        channel=channel,
        conversation_id=conversation_id,
    )


class ActionSubmitContactChange(UsesServices, Action):
    """Write the confirmed change to the CRM (the old value stays in the history)."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_submit_contact_change"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Change the contact data; nothing when the form was stopped."""
        cleared = [SlotSet(name, None) for name in CONTACT_SLOTS]
        customer = verified_customer(tracker)
        field = tracker.get_slot(CONTACT_FIELD) or ""
        value = tracker.get_slot(VALUE_SLOTS.get(field, NEW_EMAIL))
        if customer is None or tracker.get_slot(CONFIRMED) is not True or not value:
            return cleared
        conversation = slots.conversation(tracker)
        change = _change(field, value, conversation.channel, conversation.conversation_id)
        try:
            await crm_call(self.services.crm.update_contact(customer, change))
        except CRMValidationError:
            dispatcher.utter_message(response="utter_contact_invalid_postal_code")
            return cleared
        except CRMError as error:
            logger.warning("Contact change not written: %s", error)
            dispatcher.utter_message(response="utter_crm_unavailable")
            return cleared
        dispatcher.utter_message(response=f"utter_contact_changed_{field}")
        return cleared
