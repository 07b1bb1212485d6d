"""What the customer adds after a handoff goes to the open escalation, not to a new request.

From the handoff until an agent hands the chat back, the slot
``escalation_open`` is set. The rules in ``data/rules/handoff.yml`` send
messages that add to the concern (further details, a complaint, "wie lange
noch?", what the model did not understand) here: the message joins the
escalation's transcript and summary, and the customer hears that it was
added, instead of a second case, the same ticket again or a fallback. A
question about the wait ("Wie lange dauert das denn noch?", marked by the NLU
component :mod:`bot.nlu.components.wait_question_marker`) is added too and
answered with the place in the queue (or the ticket and callback time).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import default_escalation_client, tell_what_happens_next
from actions.turn_errors import TurnGuard
from bot.dialogue.slots import ESCALATION_OPEN, ESCALATION_TICKET
from bot.escalation.client import EscalationClient, EscalationUnavailable, NoOpenEscalation
from bot.escalation.schemas import CustomerMessage
from bot.escalation.wait_question import WAIT_QUESTION
from bot.settings import SettingsError

logger = logging.getLogger(__name__)


class ActionAddToEscalation(TurnGuard, Action):
    """Add the latest message to the open escalation and say so."""

    def __init__(self, client: EscalationClient | None = None) -> None:
        self._client = client

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_add_to_escalation"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Record the follow-up; if the escalation is closed, let the bot answer again."""
        text = (tracker.latest_message.get("text") or "").strip()
        stamp = next(
            (e.get("timestamp") for e in reversed(tracker.events) if e.get("event") == "user"),
            None,
        )
        ticket = tracker.get_slot(ESCALATION_TICKET)
        if not text:
            return []
        try:
            client = self._client or default_escalation_client()
            receipt = await client.add_follow_up(
                CustomerMessage(
                    conversation_id=tracker.sender_id, text=text[:4000], timestamp=stamp
                )
            )
        except NoOpenEscalation:
            dispatcher.utter_message(response="utter_follow_up_closed")
            return [SlotSet(ESCALATION_OPEN, False), SlotSet(ESCALATION_TICKET, None)]
        except (EscalationUnavailable, SettingsError) as error:
            logger.error("Follow-up not added to the escalation: %s", error)
            dispatcher.utter_message(response="utter_follow_up_not_added")
            return []
        asks_about_the_wait = next(tracker.get_latest_entity_values(WAIT_QUESTION), None)
        if receipt.queue is not None and asks_about_the_wait:
            tell_what_happens_next(dispatcher, receipt.queue)
        else:
            dispatcher.utter_message(
                response="utter_follow_up_added", ticket_number=receipt.ticket_number or ticket
            )
        return [SlotSet(ESCALATION_TICKET, receipt.ticket_number)]
