"""Hand the conversation over to a human agent.

The rules say ``utter_handoff_requested`` (or ``utter_handoff_frustration``)
first, so the customer gets an answer even when the action server is down;
the bot service then records the request from Rasa's tracker store. Here the
escalation with its context package is created on the bot service and the
customer is told what happens next: queue position and wait, or the ticket
and the callback time.

Journeys hand over by setting ``handoff_reason`` (and optionally
``handoff_case_number``) and returning ``FollowupAction("action_request_human")``.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import identity
from actions.turn_errors import TurnGuard
from bot.dialogue import responses
from bot.dialogue.slots import (
    CUSTOMER_NUMBER,
    ESCALATION_OPEN,
    ESCALATION_TICKET,
    HANDOFF_CASE_NUMBER,
    HANDOFF_REASON,
    IDENTITY_CLAIM,
)
from bot.escalation.client import EscalationClient, EscalationUnavailable
from bot.escalation.handoff_reason import handoff_reason as decide_handoff_reason
from bot.escalation.schemas import EscalationIntake, IntakeReceipt
from bot.escalation.settings import get_escalation_settings
from bot.settings import SettingsError, get_settings

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def default_escalation_client() -> EscalationClient:
    """Return the action server's client of the bot service (built on first use)."""
    return EscalationClient.from_settings(get_escalation_settings(), get_settings().crm_api_token)


def handoff_reason(tracker: Tracker) -> str:
    """Decide why the conversation goes to a human (:mod:`bot.escalation.handoff_reason`)."""
    return decide_handoff_reason(tracker.slots, tracker.events)


def intake_from_tracker(tracker: Tracker, reason: str) -> EscalationIntake:
    """Return the intake (the conversation's events and slots) for the bot service."""
    case_number = tracker.get_slot(HANDOFF_CASE_NUMBER)
    return EscalationIntake(
        conversation_id=tracker.sender_id,
        reason=reason,
        case_number=str(case_number)[:16] if case_number else None,
        verified_customer_number=identity(tracker).customer_number,
        claimed_customer_number=_text(tracker.get_slot(CUSTOMER_NUMBER)),
        channel=tracker.get_latest_input_channel(),
        slots={name: value for name, value in tracker.slots.items() if name != IDENTITY_CLAIM},
        events=_current_session(tracker.events)[-2000:],
    )


def tell_what_happens_next(dispatcher: CollectingDispatcher, receipt: IntakeReceipt) -> None:
    """Say the queue position and wait, or the ticket and callback time."""
    if receipt.mode == "ticket" and receipt.callback_due_text:
        dispatcher.utter_message(
            response=responses.HANDOFF_TICKET,
            ticket_number=receipt.ticket_number,
            callback_due=receipt.callback_due_text,
        )
    elif receipt.mode == "ticket":
        dispatcher.utter_message(
            response=responses.HANDOFF_TICKET_SOON, ticket_number=receipt.ticket_number
        )
    elif receipt.queue_position is None:
        dispatcher.utter_message(response="utter_handoff_in_progress")
    else:
        dispatcher.utter_message(
            response="utter_handoff_queue" if receipt.created else "utter_handoff_queue_again",
            queue_position=receipt.queue_position,
            wait_minutes=receipt.wait_minutes or 1,
        )


class ActionRequestHuman(TurnGuard, Action):
    """Create the escalation and tell the customer what happens next."""

    def __init__(self, client: EscalationClient | None = None) -> None:
        self._client = client

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_request_human"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Record the handoff (idempotently) and answer with the next step."""
        reason = handoff_reason(tracker)
        events: list[EventType] = [
            SlotSet(HANDOFF_REASON, None),
            SlotSet(HANDOFF_CASE_NUMBER, None),
            # A handoff ends the bot's turn, however it was reached (a rule, or a
            # journey's FollowupAction that no rule continues): wait for the customer.
            FollowupAction("action_listen"),
        ]
        try:
            client = self._client or default_escalation_client()
            receipt = await client.open_escalation(intake_from_tracker(tracker, reason))
        except (EscalationUnavailable, SettingsError) as error:
            logger.error("Escalation not recorded by the action (the sweeper will): %s", error)
            dispatcher.utter_message(response="utter_handoff_recorded")
            return events
        logger.info("Escalation %s (%s) recorded", receipt.escalation_id, reason)
        tell_what_happens_next(dispatcher, receipt)
        return [
            SlotSet(ESCALATION_OPEN, True),
            SlotSet(ESCALATION_TICKET, receipt.ticket_number),
            *events,
        ]


def _current_session(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    starts = [i for i, e in enumerate(events) if e.get("event") == "session_started"]
    return events[starts[-1] :] if starts else events


def _text(value: Any) -> str | None:
    return str(value)[:30] if value else None
