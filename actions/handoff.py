"""Hand the conversation over to a human agent."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class ActionRequestHuman(Action):
    """Hand the conversation to a human.

    The rules say ``utter_handoff_requested`` first, so the customer gets an
    answer even when the action server is unreachable. Extension point: the
    escalation with the full context package (issue "Escalation to a human")
    is created here.
    """

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_request_human"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Record the handoff request (nothing to record yet)."""
        return []
