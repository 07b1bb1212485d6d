"""The appointment forms: booking, rescheduling and cancelling, validated against the CRM.

One validation class serves the three forms (they share their slots). The
customer may answer by button or in free text ("nächsten Dienstag
vormittag"), correct an earlier answer at any time (another service type,
another city, another time), or stop ("abbrechen").
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import appointments_slots as form
from actions import slots
from actions.journey_support import crm_call, send
from actions.loop_breaker import Before, break_loops
from actions.noted_values import keep_for_another_question
from actions.services import UsesServices
from bot.appointments import answers
from bot.appointments.dates import When, parse_when, when_from_text, with_day_kept
from bot.appointments.journey import changeable, mentions_appointment_number
from bot.appointments.offers import (
    canonical_service,
    match_appointment,
    moment_from_key,
    search_start,
)
from bot.crm.errors import CRMError
from bot.crm.schemas import CustomerProfile
from bot.dialogue import responses
from bot.dialogue.form_policy import corrects, yes_or_no
from bot.dialogue.noted_values import Kind
from bot.vehicles import NO_VEHICLE, match_vehicle

logger = logging.getLogger(__name__)

USUAL = answers.USUAL
OTHER = answers.OTHER


BOOKING_KINDS = {
    form.SERVICE: frozenset({Kind.CHOICE}),
    form.WORKSHOP: frozenset({Kind.PLACE}),
    form.VEHICLE: frozenset({Kind.CHOICE}),
    form.START: frozenset({Kind.DATE}),
}
"""What the booking's questions take: a day named early is kept as the wish for the time."""


class AppointmentFormValidation(UsesServices, FormValidationAction, ABC):
    """Extract and check the answers of an appointment form (base of the three forms)."""

    @abstractmethod
    def name(self) -> str:
        """Return the action's name in the domain."""

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """Stop on request, else extract and validate; a failing CRM ends the form politely."""
        if form.POLICY.wants_to_stop(slots.turn(tracker)):
            return self._stop(dispatcher, form.POLICY.stop_response)
        before = Before.validation(dispatcher, tracker, self.form_name())
        kept = self._value_for_another_question(dispatcher, tracker)
        if kept is not None:
            return break_loops(dispatcher, before, kept, form.FORM_SLOTS)
        try:
            events: list[EventType] = await super().run(dispatcher, tracker, domain)
        except CRMError as error:
            logger.warning("Appointment form: CRM unavailable: %s", error)
            return self._stop(dispatcher, responses.CRM_UNAVAILABLE)
        return break_loops(dispatcher, before, events, form.FORM_SLOTS)

    def _value_for_another_question(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType] | None:
        """Keep a day named before its question as the wish ("am Samstag" is no workshop)."""
        today = self.services.today()
        kinds = BOOKING_KINDS if self.form_name() == form.BOOK_FORM else {}
        return keep_for_another_question(
            dispatcher,
            slots.turn(tracker),
            form.POLICY,
            kinds,
            today,
            kept=lambda noted: {form.PREFERENCE: parse_when(noted.value, today).to_text()},
            misplaced_responses={form.WORKSHOP: "utter_dealer_location_unknown"},
        )

    @staticmethod
    def _stop(dispatcher: CollectingDispatcher, response: str) -> list[EventType]:
        dispatcher.utter_message(response=response)
        return [*form.cleared(), SlotSet(slots.REQUESTED_SLOT, None)]

    async def _profile(self, tracker: Tracker) -> CustomerProfile:
        customer = slots.identity(tracker).customer_number
        if customer is None:
            raise CRMError("no verified customer")
        return await self.services.profile(customer)

    # --- extraction -------------------------------------------------------------

    def extract_appointment_service(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read a service type named in any message, or the answer to the question."""
        if not form.reads_values(tracker):
            return {}
        named = form.entity(tracker, "service_type")
        if named and (form.is_answer(tracker) or form.asked(tracker) == form.SERVICE):
            return {form.SERVICE: named}  # "Service" in another topic's question is no answer
        if form.asked(tracker) == form.SERVICE and form.is_answer(tracker):
            return {form.SERVICE: form.text_of(tracker)}
        return {}

    def extract_appointment_workshop(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Yes (the usual one), no (another one), a city or postal code; a city any time."""
        if not form.reads_values(tracker):
            return {}
        intent = slots.latest_intent(tracker)
        place = form.entity(tracker, "postal_code") or form.entity(tracker, "city")
        usual_named = answers.names_usual_workshop(form.text_of(tracker))
        if usual_named and not place and tracker.get_slot(form.WORKSHOP) is None:
            return {form.WORKSHOP: USUAL}  # "gern, in der Werkstatt wo ich immer bin"
        if form.asked(tracker) == form.WORKSHOP:
            if place:
                return {form.WORKSHOP: place}
            turn = slots.turn(tracker)
            if corrects(turn, ("service_type",)):
                return {}  # "ach nein, doch lieber die Inspektion": the service changes
            usual = yes_or_no(turn)
            if usual is not None:
                return {form.WORKSHOP: USUAL if usual else OTHER}
            if form.is_answer(tracker) or intent is None:
                return {form.WORKSHOP: form.text_of(tracker)}
            return {}
        city = form.entity(tracker, "city")
        if not form.is_answer(tracker):
            return {}
        if city and form.asked(tracker) in (form.VEHICLE, form.START, form.CONFIRMED):
            return {form.WORKSHOP: city}
        return {}

    def extract_appointment_vehicle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read the answer to the vehicle question (VIN, plate or model)."""
        if form.asked(tracker) != form.VEHICLE or not form.reads_values(tracker):
            return {}
        given = form.entity(tracker, "vin") or form.entity(tracker, "license_plate")
        if given or form.is_answer(tracker):
            return {form.VEHICLE: given or form.text_of(tracker)}
        return {}

    async def extract_appointment_start(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read a day or time: the answer to the time question, or a correction later."""
        if not form.reads_values(tracker):
            return {}
        question = form.asked(tracker)
        text = form.text_of(tracker)
        when = parse_when(text, self.services.today())
        if not when.empty and question in (None, form.SERVICE, form.WORKSHOP, form.VEHICLE):
            return {form.PREFERENCE: when.to_text()}  # remembered until the time is asked
        if not when.empty and question in (form.START, form.CONFIRMED):
            when = _with_current_day(when, tracker)
            return {form.START: when.to_text()}
        if question == form.START and form.is_answer(tracker):
            return {form.START: text}
        return {}

    def extract_appointment_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Yes or no to the summary; a correction instead is read by the other slots."""
        if form.asked(tracker) != form.CONFIRMED or not form.reads_values(tracker):
            return {}
        turn = slots.turn(tracker)
        names_a_time = not parse_when(turn.text, self.services.today()).empty
        if corrects(turn, form.VALUE_ENTITIES, names_a_time=names_a_time):
            return {}  # "nein, lieber um 11": the summary is asked again
        answer = yes_or_no(turn)
        if answer is not None:
            return {form.CONFIRMED: answer}
        if form.is_answer(tracker):
            return {form.CONFIRMED: "?"}
        return {}

    def extract_appointment_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Read the answer to "which appointment?" (number, date or service)."""
        if form.asked(tracker) != form.NUMBER or not form.reads_values(tracker):
            return {}
        if form.is_answer(tracker) or mentions_appointment_number(form.text_of(tracker)):
            return {form.NUMBER: form.text_of(tracker)}
        return {}

    # --- validation ---------------------------------------------------------------

    def validate_appointment_service(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept the canonical service types (and their German names)."""
        service = canonical_service(str(value))
        if service is None:
            dispatcher.utter_message(response="utter_appointment_invalid_service")
        return {form.SERVICE: service}

    async def validate_appointment_workshop(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Resolve the usual workshop, a workshop name, a city or a postal code to a code."""
        text = str(value).strip()
        kind = answers.workshop_answer(text)
        crm = self.services.crm
        if kind is answers.WorkshopAnswer.OTHER:
            return {form.WORKSHOP: None}
        if kind is answers.WorkshopAnswer.USUAL:
            usual = (await self._profile(tracker)).preferred_workshop
            return await self._workshop_chosen(tracker, usual.code if usual else None)
        if kind is answers.WorkshopAnswer.POSTAL_CODE:
            nearest = await crm_call(crm.find_workshops(postal_code=text, limit=1))
            if nearest:
                return await self._workshop_chosen(tracker, nearest[0].code)
            return _decided(dispatcher, answers.workshop_not_found(text))
        workshops = await crm_call(crm.find_workshops())
        town = answers.town_without_workshop(text, workshops)
        if town is not None:  # "Hamburg": the nearest workshops to choose from
            name, area = town
            nearest = await crm_call(crm.find_workshops(postal_code=area))
            return _decided(dispatcher, answers.nearest_instead(name, nearest))
        found = answers.workshop_by_name(text, workshops)
        if isinstance(found, str):
            return await self._workshop_chosen(tracker, found)
        return _decided(dispatcher, found)

    async def _workshop_chosen(self, tracker: Tracker, code: str | None) -> dict[str, Any]:
        """Set the workshop; an exact wished time that is free there is taken at once."""
        change = answers.workshop_chosen(
            code, tracker.get_slot(form.WORKSHOP), tracker.get_slot(form.PREFERENCE)
        )
        if code is None or change.check_at is None:
            return change.values
        moment = change.check_at
        free = await crm_call(self.services.crm.free_slots(code, moment.date(), days=1))
        return answers.wished_time_at(change, free)

    async def validate_appointment_vehicle(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept one of the customer's vehicles (by VIN, plate or model)."""
        if value == NO_VEHICLE:
            return {form.VEHICLE: NO_VEHICLE}
        vehicles = (await self._profile(tracker)).vehicles
        vehicle = match_vehicle(vehicles, text=str(value))
        if vehicle is None:
            dispatcher.utter_message(response="utter_appointment_invalid_vehicle")
            return {form.VEHICLE: None}
        return {form.VEHICLE: vehicle.vin}

    async def validate_appointment_start(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Take an exact free slot; otherwise remember the wish to offer fitting slots."""
        today = self.services.today()
        when = answers.start_wish(str(value), today)
        if when.empty:
            return _decided(dispatcher, answers.unreadable_start())
        workshop = tracker.get_slot(form.WORKSHOP)
        moment = when.exact
        if workshop is None or moment is None:
            return _decided(dispatcher, answers.start_as_wish(when))
        free = await crm_call(
            self.services.crm.free_slots(workshop, search_start(when, today), days=1)
        )
        return _decided(dispatcher, answers.start_at(moment, free))

    def validate_appointment_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Yes ends the form; no lets the customer choose another time."""
        if value is True:
            return {form.CONFIRMED: True}
        if value is False:
            dispatcher.utter_message(response="utter_appointment_choose_again")
            return {form.CONFIRMED: None, form.START: None, form.PREFERENCE: None}
        dispatcher.utter_message(response="utter_appointment_yes_or_no")
        return {form.CONFIRMED: None}

    async def validate_appointment_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept one of the customer's changeable appointments; its workshop comes with it."""
        appointment = match_appointment(
            str(value), changeable(await self._profile(tracker), self.services.now())
        )
        if appointment is None:
            dispatcher.utter_message(response="utter_appointment_invalid_number")
            return {form.NUMBER: None}
        return {
            form.NUMBER: appointment.appointment_number,
            form.WORKSHOP: appointment.workshop.code,
        }


class ValidateBookAppointmentForm(AppointmentFormValidation):
    """Validates ``book_appointment_form``."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "validate_book_appointment_form"


class ValidateRescheduleAppointmentForm(AppointmentFormValidation):
    """Validates ``reschedule_appointment_form``."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "validate_reschedule_appointment_form"


class ValidateCancelAppointmentForm(AppointmentFormValidation):
    """Validates ``cancel_appointment_form``: "no" keeps the appointment and ends the form."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "validate_cancel_appointment_form"

    def validate_appointment_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Yes cancels (on submission); no keeps the appointment."""
        if value is False:
            dispatcher.utter_message(response="utter_appointment_kept")
            return {**{name: None for name in form.FORM_SLOTS}, slots.REQUESTED_SLOT: None}
        return super().validate_appointment_confirmed(value, dispatcher, tracker, domain)


def _with_current_day(when: When, tracker: Tracker) -> When:
    """Keep the day chosen or wished before for a time alone ("lieber um 11")."""
    return with_day_kept(
        when,
        moment_from_key(tracker.get_slot(form.START)),
        when_from_text(tracker.get_slot(form.PREFERENCE)),
    )


def _decided(dispatcher: CollectingDispatcher, decision: answers.Decision) -> dict[str, Any]:
    """Send the decision's reply (if any) and return its slot values."""
    if decision.reply is not None:
        send(dispatcher, [decision.reply])
    return decision.values
