"""The appointment forms' submissions: booking, rescheduling and cancelling in the CRM.

The CRM records each change in the customer's history.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import appointments_slots as form
from actions import slots
from actions.journey_support import crm_call
from actions.services import UsesServices
from bot.appointments.offers import (
    DEFAULT_SERVICE,
    appointment_values,
    moment_from_key,
    service_label,
)
from bot.crm.errors import AppointmentNotChangeable, CRMError, SlotUnavailable
from bot.crm.schemas import (
    AppointmentBooking,
    AppointmentCancellation,
    AppointmentReschedule,
)
from bot.dialogue import responses
from bot.vehicles import NO_VEHICLE

logger = logging.getLogger(__name__)


class _Submission(UsesServices, Action, ABC):
    """Shared reading of a finished form."""

    @abstractmethod
    def name(self) -> str:
        """Return the action's name in the domain."""


class ActionBookAppointment(_Submission):
    """Book the confirmed slot in the CRM (the CRM records it in the history)."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_book_appointment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Write the booking; a slot taken meanwhile goes back to the choice of time."""
        customer = slots.identity(tracker).customer_number
        moment = moment_from_key(tracker.get_slot(form.START))
        if tracker.get_slot(form.CONFIRMED) is not True or customer is None or moment is None:
            return form.cleared()
        vin = tracker.get_slot(form.VEHICLE)
        booking = AppointmentBooking(
            workshop_code=str(tracker.get_slot(form.WORKSHOP)),
            starts_at=moment,
            service=service_label(tracker.get_slot(form.SERVICE)) or DEFAULT_SERVICE,
            vehicle_vin=None if vin in (None, NO_VEHICLE) else vin,
            **slots.conversation(tracker).origin(),
        )
        try:
            booked = await crm_call(self.services.crm.book_appointment(customer, booking))
        except SlotUnavailable:
            dispatcher.utter_message(response="utter_appointment_slot_gone")
            return [
                SlotSet(form.START, None),
                SlotSet(form.CONFIRMED, None),
                FollowupAction(form.BOOK_FORM),
            ]
        except CRMError as error:
            logger.warning("Booking failed: %s", error)
            dispatcher.utter_message(response=responses.CRM_UNAVAILABLE)
            return form.cleared()
        dispatcher.utter_message(response="utter_appointment_booked", **appointment_values(booked))
        return form.cleared()


class ActionRescheduleAppointment(_Submission):
    """Move the appointment to the confirmed slot."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_reschedule_appointment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Write the change; a slot taken meanwhile goes back to the choice of time."""
        customer = slots.identity(tracker).customer_number
        moment = moment_from_key(tracker.get_slot(form.START))
        number = tracker.get_slot(form.NUMBER)
        if tracker.get_slot(form.CONFIRMED) is not True or not customer or not moment or not number:
            return form.cleared()
        change = AppointmentReschedule(starts_at=moment, **slots.conversation(tracker).origin())
        try:
            moved = await crm_call(
                self.services.crm.reschedule_appointment(customer, number, change)
            )
        except SlotUnavailable:
            dispatcher.utter_message(response="utter_appointment_slot_gone")
            return [
                SlotSet(form.START, None),
                SlotSet(form.CONFIRMED, None),
                FollowupAction(form.RESCHEDULE_FORM),
            ]
        except AppointmentNotChangeable:
            dispatcher.utter_message(response="utter_appointment_not_changeable")
            return form.cleared()
        except CRMError as error:
            logger.warning("Rescheduling failed: %s", error)
            dispatcher.utter_message(response=responses.CRM_UNAVAILABLE)
            return form.cleared()
        dispatcher.utter_message(
            response="utter_appointment_rescheduled", **appointment_values(moved)
        )
        return form.cleared()


class ActionCancelAppointment(_Submission):
    """Cancel the confirmed appointment."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_cancel_appointment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Write the cancellation."""
        customer = slots.identity(tracker).customer_number
        number = tracker.get_slot(form.NUMBER)
        if tracker.get_slot(form.CONFIRMED) is not True or not customer or not number:
            return form.cleared()
        try:
            cancelled = await crm_call(
                self.services.crm.cancel_appointment(
                    customer,
                    number,
                    AppointmentCancellation(**slots.conversation(tracker).origin()),
                )
            )
        except AppointmentNotChangeable:
            dispatcher.utter_message(response="utter_appointment_not_changeable")
            return form.cleared()
        except CRMError as error:
            logger.warning("Cancellation failed: %s", error)
            dispatcher.utter_message(response=responses.CRM_UNAVAILABLE)
            return form.cleared()
        dispatcher.utter_message(
            response="utter_appointment_cancelled", **appointment_values(cancelled)
        )
        return form.cleared()
