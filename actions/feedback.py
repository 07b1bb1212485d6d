"""Satisfaction: ask for a rating once per conversation, store ratings, comments and feedback.

The decisions live in ``bot.feedback.dialogue``; the bot service stores the
entries (``POST /api/internal/feedback``), masked and attributed to the bot
or the agent who served the customer.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import conversation, identity
from actions.turn_errors import TurnGuard
from bot.dialogue.slots import CSAT_ASKED, CSAT_COMMENTED, CSAT_SCORE
from bot.feedback.client import FeedbackClient
from bot.feedback.dialogue import rating_buttons, score_of, should_ask
from bot.settings import SettingsError, get_settings

_CHANNELS = {"socketio": "website", "facebook": "messenger"}


@lru_cache(maxsize=1)
def default_feedback_client() -> FeedbackClient:
    """Return the action server's client of the bot service (built on first use)."""
    return FeedbackClient.from_settings(get_settings())


class ActionAskCsat(TurnGuard, Action):
    """Ask for the 1-5 rating, once per conversation, when the moment has come."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_csat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send ``utter_ask_csat`` with the rating buttons, or nothing."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if not should_ask(tracker.events, intent, bool(tracker.get_slot(CSAT_ASKED))):
            return []
        dispatcher.utter_message(response="utter_ask_csat", buttons=rating_buttons())
        return [SlotSet(CSAT_ASKED, True)]


class ActionStoreFeedback(TurnGuard, Action):
    """Store a rating (a button), its comment, or free-text feedback, and thank the customer."""

    def __init__(self, client: FeedbackClient | None = None) -> None:
        self._client = client

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_store_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the entry to the bot service and answer with the matching thanks."""
        message = tracker.latest_message
        score = score_of(message.get("entities") or [])
        rated = tracker.get_slot(CSAT_SCORE) is not None
        body: dict[str, Any] = {
            "conversation_id": conversation(tracker).conversation_id,
            "channel": _CHANNELS.get(tracker.get_latest_input_channel() or "", "rest"),
            "customer_number": identity(tracker).customer_number,
        }
        if score is not None and not rated:
            await self._send({**body, "kind": "csat", "score": score})
            dispatcher.utter_message(response="utter_csat_thanks")
            return [SlotSet(CSAT_SCORE, float(score)), SlotSet(CSAT_ASKED, True)]
        text = str(message.get("text") or "").strip()
        if score is None and text:
            commenting = rated and not tracker.get_slot(CSAT_COMMENTED)
            await self._send(
                {**body, "kind": "comment" if commenting else "feedback", "text": text}
            )
            if commenting:
                dispatcher.utter_message(response="utter_csat_comment_thanks")
                return [SlotSet(CSAT_COMMENTED, True)]
        dispatcher.utter_message(response="utter_give_feedback")
        return []

    async def _send(self, body: dict[str, Any]) -> None:
        try:
            client = self._client or default_feedback_client()
        except SettingsError:
            return
        await client.send(body)
