"""While an agent has taken the chat over, customer messages go to the agent.

The rule in ``data/rules/handoff.yml`` runs this action for every message
while the slot ``agent_takeover`` is set; the bot itself says nothing. If the
agent's side has ended (escalation resolved), the slot is cleared and the
bot answers again.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import default_escalation_client
from actions.turn_errors import TurnGuard
from bot.dialogue import responses
from bot.dialogue.slots import AGENT_NAME, AGENT_TAKEOVER
from bot.escalation.client import EscalationClient, EscalationUnavailable, NoTakeover
from bot.escalation.schemas import CustomerMessage
from bot.settings import SettingsError

logger = logging.getLogger(__name__)


class ActionForwardToAgent(TurnGuard, Action):
    """Add the customer's message to the agent's transcript instead of answering."""

    def __init__(self, client: EscalationClient | None = None) -> None:
        self._client = client

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_forward_to_agent"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Forward the latest message; end the takeover if no agent has the chat."""
        text = tracker.latest_message.get("text") or ""
        stamp = next(
            (e.get("timestamp") for e in reversed(tracker.events) if e.get("event") == "user"),
            None,
        )
        if not text.strip():
            return []
        try:
            client = self._client or default_escalation_client()
            await client.forward_customer_message(
                CustomerMessage(
                    conversation_id=tracker.sender_id, text=text[:4000], timestamp=stamp
                )
            )
        except NoTakeover:
            dispatcher.utter_message(response=responses.TAKEOVER_ENDED)
            return [SlotSet(AGENT_TAKEOVER, False), SlotSet(AGENT_NAME, None)]
        except (EscalationUnavailable, SettingsError) as error:
            logger.error("Customer message not forwarded to the agent: %s", error)
        return []
