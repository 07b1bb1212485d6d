"""Session start and token login: a signed customer token verifies without questions."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.history import log_topic
from actions.services import UsesServices
from bot.conversation_log import Conversation, channel_for, conversation_id_for
from bot.topics import IDENTIFIED
from bot.verification import CUSTOMER_TOKEN_KEY, customer_number_from_token

logger = logging.getLogger(__name__)


class ActionSessionStart(UsesServices, Action):
    """Start a conversation: carry over what may be carried, log in a token holder.

    The verified identity is never carried into a new session; the count of
    failed attempts is. The token is read from ``session_started_metadata``
    set for this very session start.
    """

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_session_start"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Return the session start, the carried-over slots and a token login."""
        started = datetime.now(timezone.utc)
        events: list[EventType] = [SessionStarted(timestamp=started.timestamp())]
        if domain.get("session_config", {}).get("carry_over_slots_to_new_session", True):
            events += _carried_over(tracker, domain)
        metadata = _metadata_of_this_start(tracker)
        kept = {key: value for key, value in metadata.items() if key != CUSTOMER_TOKEN_KEY}
        if kept:  # the token is a credential: it is checked, not kept in a slot
            events.append(SlotSet(slots.SESSION_STARTED_METADATA, kept))
        conversation_id = conversation_id_for(tracker.sender_id, started)
        number = customer_number_from_token(metadata, self.services.token_secret)
        if number is not None:
            logger.info("Customer verified by token at session start")
            events += slots.verified_events(tracker.sender_id, number, slots.BY_TOKEN)
            channel = channel_for(metadata.get("channel"))
            events += log_topic(
                self.services,
                number,
                Conversation(conversation_id, channel),
                IDENTIFIED,
                method=slots.BY_TOKEN,
            )
        events.append(ActionExecuted("action_listen"))
        return events


class ActionCheckCustomerToken(UsesServices, Action):
    """Log in a customer whose message carries a valid token for the first time.

    Runs after every user message (the custom slot mapping of
    ``verified_customer_number``). A verified identity is never replaced: a
    token for another customer is ignored with a log line.
    """

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_check_customer_token"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        """Return the identity events when a new, valid token arrived."""
        metadata = slots.latest_user_metadata(tracker)
        number = customer_number_from_token(metadata, self.services.token_secret)
        if number is None:
            return []
        current = slots.identity(tracker)
        if current.verified:
            if current.customer_number != number:
                logger.warning(
                    "Ignoring a customer token for another customer than the verified one"
                )
            return []
        logger.info("Customer verified by token")
        return slots.verified_events(tracker.sender_id, number, slots.BY_TOKEN) + log_topic(
            self.services,
            number,
            slots.conversation(tracker),
            IDENTIFIED,
            logged=current.logged_topics,
            method=slots.BY_TOKEN,
        )


def _carried_over(tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
    """Return the slots a new session inherits (set, not conversation-scoped, not initial)."""
    initial = {name: spec.get("initial_value") for name, spec in domain.get("slots", {}).items()}
    return [
        SlotSet(name, value)
        for name, value in tracker.slots.items()
        if name not in slots.CONVERSATION_SCOPED
        and value is not None
        and value != initial.get(name)
    ]


def _metadata_of_this_start(tracker: Tracker) -> dict[str, Any]:
    """Return the metadata Rasa stored for this session start (not an old session's)."""
    if tracker.events:
        last = tracker.events[-1]
        if last.get("event") == "slot" and last.get("name") == slots.SESSION_STARTED_METADATA:
            value = last.get("value")
            return value if isinstance(value, dict) else {}
    return {}
