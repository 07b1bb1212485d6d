"""After the verification: greet the customer personally, then serve the request.

The journeys of the personal topics plug in here: :data:`JOURNEYS` maps a
topic (the intent the customer started with) to a coroutine that serves it
for the verified customer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.appointments import APPOINTMENT_JOURNEYS
from actions.appointments_slots import OFFER as APPOINTMENT_OFFER
from actions.greeting import greet_personally, load_profile
from actions.history import log_topic
from actions.journey_support import hand_over, turn_budget
from actions.record_journeys import RECORD_JOURNEYS
from actions.services import Services, UsesServices
from actions.vehicle import VEHICLE_JOURNEYS
from bot.crm.schemas import Interaction
from bot.dialogue.slots import VERIFICATION_FORM
from bot.verification import is_locked

Journey = Callable[[CollectingDispatcher, Tracker, Services, str], Awaitable[list[EventType]]]
"""Serves a topic: (dispatcher, tracker, services, verified customer number) -> events."""


JOURNEYS: dict[str, Journey] = {**APPOINTMENT_JOURNEYS, **VEHICLE_JOURNEYS, **RECORD_JOURNEYS}
"""The journey of every personal topic (:data:`bot.topics.PERSONAL_TOPICS`)."""


class ActionResumeRequest(UsesServices, Action):
    """Continue after the verification form, or serve a verified customer's request at once.

    Verified: greet personally once, then serve the request with the verified
    customer number (the only identity a journey ever gets). The request is
    the one remembered before the form (``requested_intent``); a verified
    customer's request comes here straight from the rules, without the form,
    and is the latest message's. Greeting and journey share one profile read
    (:meth:`Services.for_turn`): one CRM call, and a hung CRM is waited for once.
    Locked out: explain and hand over to a human. Stopped or CRM unavailable: the
    form has already said so. Sent here directly for a verified number whose
    claim does not hold: that number is dropped and the verification starts,
    as it would have without the direct rule.
    """

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_resume_request"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Greet and serve the request, or explain the lock-out."""
        remembered = tracker.get_slot(slots.REQUESTED_INTENT)
        events: list[EventType] = []
        if remembered is not None:
            events.append(SlotSet(slots.REQUESTED_INTENT, None))
        if tracker.get_slot(APPOINTMENT_OFFER) is not None:  # an offer not taken up is over
            events.append(SlotSet(APPOINTMENT_OFFER, None))
        current = slots.identity(tracker)
        topic: str | None = (
            remembered if isinstance(remembered, str) else slots.personal_request(tracker)
        )
        customer = current.customer_number
        if customer is None:
            if is_locked(current.failures):  # a business rule: a human takes over
                dispatcher.utter_message(response="utter_verification_locked")
                events += hand_over("verification_locked")
            elif remembered is None and topic is not None:  # came directly: verify first
                events += [
                    *slots.unverified_events(),
                    SlotSet(slots.REQUESTED_INTENT, topic),
                    FollowupAction(VERIFICATION_FORM),
                ]
            return events
        services = self.services.for_turn()
        known: list[Interaction] = []
        if not current.greeted:
            profile = await load_profile(services, customer, turn_budget(tracker))
            if profile is not None:
                opener = (
                    "utter_greet_verified_customer"
                    if current.method == slots.BY_POSTAL_CODE
                    else "utter_greet_customer"
                )
                events += greet_personally(
                    dispatcher,
                    profile,
                    services,
                    opener=opener,
                    answering=topic,
                )
                known = profile.recent_interactions
            elif current.method == slots.BY_POSTAL_CODE:
                dispatcher.utter_message(response="utter_verified_without_profile")
        journey = None if topic is None else JOURNEYS.get(topic)
        if topic is None or journey is None:
            return events
        events += await journey(dispatcher, tracker, services, customer)
        events += log_topic(
            services,
            customer,
            slots.conversation(tracker),
            topic,
            logged=current.logged_topics,
            known=known,
        )
        return events
