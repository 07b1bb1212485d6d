"""account_help: login, password reset and connecting the car to the app (no verification)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.turn_errors import TurnGuard
from bot.self_service.account import read_account_topic


class ActionAccountHelp(TurnGuard, Action):
    """Answer the account question, or ask which one it is (buttons)."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_account_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Answer from the button's entity or the customer's words."""
        topic = read_account_topic(
            next(tracker.get_latest_entity_values("account_topic"), None),
            tracker.latest_message.get("text"),
        )
        dispatcher.utter_message(
            response=f"utter_account_{topic.value}" if topic else "utter_account_menu"
        )
        return []
