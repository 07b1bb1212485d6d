"""Vehicle journeys: when the next service is due, and recall campaigns.

Both end with the offer of an appointment when one is needed: the offer is
remembered in ``appointment_offer`` (service type, and the vehicle after a
colon), and a yes starts the booking form with it prefilled
(``data/rules/appointments.yml``).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import appointments_slots as form
from actions import slots
from actions.appointments import start_booking
from actions.journey_support import turn_budget
from actions.services import Services, UsesServices
from actions.turn_errors import TurnGuard
from bot.appointments.journey import changeable
from bot.budget import within_budget
from bot.crm.errors import CRMError, CRMValidationError
from bot.crm.schemas import RecallNotice, Vehicle
from bot.formatting import format_date
from bot.personalization import SERVICE_VISITS
from bot.time_facts import has_passed
from bot.vehicles import vehicle_label

logger = logging.getLogger(__name__)


async def service_due(
    dispatcher: CollectingDispatcher, tracker: Tracker, services: Services, customer: str
) -> list[EventType]:
    """Tell when each vehicle's next service is due; offer to book it."""
    profile = await form.profile_for(services, tracker, customer)
    if profile is None:
        dispatcher.utter_message(response="utter_service_due_unavailable")
        return []
    today = services.today()
    dated = [v for v in profile.vehicles if v.next_service_due is not None]
    if not profile.vehicles:
        dispatcher.utter_message(response="utter_no_vehicle_on_file")
        return []
    for vehicle in profile.vehicles:
        due = vehicle.next_service_due
        if due is None:
            dispatcher.utter_message(
                response="utter_service_due_unknown", vehicle=vehicle_label(vehicle)
            )
            continue
        dispatcher.utter_message(
            response="utter_service_overdue" if has_passed(due, today) else "utter_service_due",
            vehicle=vehicle_label(vehicle),
            service_due_date=format_date(due),
        )
    booked = [a for a in changeable(profile, services.now()) if a.service in SERVICE_VISITS]
    if booked:
        first = booked[0]
        dispatcher.utter_message(
            response="utter_service_already_booked",
            appointment_date=format_date(first.starts_at),
            workshop_name=first.workshop.name,
        )
        return []
    if not dated:
        return []
    soonest = min(dated, key=lambda v: v.next_service_due or today)
    dispatcher.utter_message(response="utter_offer_service_appointment")
    return [SlotSet(form.OFFER, f"inspection:{soonest.vin}")]


async def recall_check(
    dispatcher: CollectingDispatcher, tracker: Tracker, services: Services, customer: str
) -> list[EventType]:
    """Check the customer's vehicles (or the VIN or plate they gave) for recalls."""
    vin = _given(tracker, "vin")
    plate = _given(tracker, "license_plate")
    profile = await form.profile_for(services, tracker, customer)
    if profile is None:
        dispatcher.utter_message(response="utter_crm_unavailable")
        return []
    if vin or plate:
        try:
            notices = await within_budget(
                services.crm.find_recalls(vin=vin, plate=plate), turn_budget(tracker)
            )
        except CRMValidationError:
            dispatcher.utter_message(response="utter_recall_invalid_vehicle")
            return []
        except CRMError as error:
            logger.warning("Recall check failed: %s", error)
            dispatcher.utter_message(response="utter_crm_unavailable")
            return []
        checked = vin or plate or ""
    else:
        notices = profile.recalls
        checked = ", ".join(vehicle_label(v) for v in profile.vehicles)
        if not profile.vehicles:
            dispatcher.utter_message(response="utter_recall_ask_vehicle")
            return []
    if not notices:
        dispatcher.utter_message(response="utter_recall_none", vehicle=checked)
        return []
    for notice in notices:
        dispatcher.utter_message(
            response="utter_recall_affected",
            vehicle=_label(notice, profile.vehicles),
            campaign_code=notice.campaign_code,
            recall_title=notice.title,
            recall_remedy=notice.remedy,
        )
    own = [n for n in notices if any(v.vin == n.vin for v in profile.vehicles)]
    if not own:
        return []
    dispatcher.utter_message(response="utter_offer_recall_appointment")
    return [SlotSet(form.OFFER, f"recall:{own[0].vin}")]


def _given(tracker: Tracker, entity: str) -> str | None:
    """Return a VIN or plate from the message that asked for the recall check."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") != "recall_check":
            continue
        for found in parse.get("entities") or []:
            if found.get("entity") == entity and found.get("value"):
                return str(found["value"])
        return None
    return None


def _label(notice: RecallNotice, vehicles: list[Vehicle]) -> str:
    own = next((v for v in vehicles if v.vin == notice.vin), None)
    if own is not None:
        return vehicle_label(own)
    return f"{notice.model} ({notice.vin})" if notice.model else notice.vin


VEHICLE_JOURNEYS = {"service_due": service_due, "recall_check": recall_check}
"""The journeys of the vehicle topics (see :data:`actions.journeys.JOURNEYS`)."""


class ActionAcceptAppointmentOffer(UsesServices, Action):
    """Yes to an offered appointment: prepare the booking form with the offer prefilled."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_accept_appointment_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Prefill service type and vehicle; the rule starts the form afterwards."""
        offer = str(tracker.get_slot(form.OFFER) or "")
        service, _, vin = offer.partition(":")
        customer = slots.identity(tracker).customer_number
        if customer is None:
            return [SlotSet(form.OFFER, None)]
        events = await start_booking(
            dispatcher,
            tracker,
            self.services,
            customer,
            service=service or None,
            vehicle=vin or None,
        )
        # the rule starts the form; no follow-up needed
        return [SlotSet(form.OFFER, None), *(e for e in events if e.get("event") != "followup")]


class ActionDeclineAppointmentOffer(TurnGuard, Action):
    """No to an offered appointment."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_decline_appointment_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Acknowledge and forget the offer."""
        dispatcher.utter_message(response="utter_appointment_offer_declined")
        return [SlotSet(form.OFFER, None)]
