"""The verification's slots and what the actions read from a tracker.

Every slot here has a ``custom`` mapping in ``domain.yml``: only our actions
set it. The verified identity lives in :data:`VERIFIED_CUSTOMER_NUMBER` and
nowhere else; CRM calls for the customer's data use that slot only, and only
through :func:`identity`, which believes it only with the claim the action
server signed for this conversation (:data:`IDENTITY_CLAIM`,
``bot.identity_claims``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot.conversation_log import Conversation, channel_for, conversation_id_for
from bot.dialogue.choices import Option, choose
from bot.dialogue.form_policy import Turn, says_stop
from bot.dialogue.slots import (  # the actions' names, defined once
    CUSTOMER_GREETED as CUSTOMER_GREETED,
)
from bot.dialogue.slots import (
    CUSTOMER_NUMBER as CUSTOMER_NUMBER,
)
from bot.dialogue.slots import (
    IDENTITY_CLAIM as IDENTITY_CLAIM,
)
from bot.dialogue.slots import (
    LOGGED_TOPICS as LOGGED_TOPICS,
)
from bot.dialogue.slots import (
    POSTAL_CODE as POSTAL_CODE,
)
from bot.dialogue.slots import (
    REQUESTED_INTENT as REQUESTED_INTENT,
)
from bot.dialogue.slots import (
    REQUESTED_SLOT as REQUESTED_SLOT,
)
from bot.dialogue.slots import (
    SESSION_STARTED_METADATA as SESSION_STARTED_METADATA,
)
from bot.dialogue.slots import (
    VERIFICATION_FAILURES as VERIFICATION_FAILURES,
)
from bot.dialogue.slots import (
    VERIFICATION_METHOD as VERIFICATION_METHOD,
)
from bot.dialogue.slots import (
    VERIFIED_CUSTOMER_NUMBER as VERIFIED_CUSTOMER_NUMBER,
)
from bot.identity_claims import IdentitySigner
from bot.settings import SettingsError, get_settings
from bot.topics import needs_verification

logger = logging.getLogger(__name__)

BY_POSTAL_CODE = "postal_code"
BY_TOKEN = "customer_token"

CONVERSATION_SCOPED = frozenset(
    {
        CUSTOMER_NUMBER,
        POSTAL_CODE,
        VERIFIED_CUSTOMER_NUMBER,
        VERIFICATION_METHOD,
        IDENTITY_CLAIM,
        REQUESTED_INTENT,
        CUSTOMER_GREETED,
        LOGGED_TOPICS,
        SESSION_STARTED_METADATA,
        REQUESTED_SLOT,
    }
)
"""Slots a new session does not inherit: a new conversation verifies again.

The count of failed attempts is inherited, so waiting for a new session does
not undo a lock-out.
"""


@dataclass(frozen=True)
class Identity:
    """The verification state of a conversation.

    Attributes:
        customer_number: The verified customer, or None.
        method: How they were verified (``postal_code``, ``customer_token``).
        failures: Failed checks so far.
        greeted: The customer was greeted personally in this conversation.
        logged_topics: Topics already written to the customer's history.

    """

    customer_number: str | None
    method: str | None
    failures: float
    greeted: bool
    logged_topics: tuple[str, ...]

    @property
    def verified(self) -> bool:
        """True when the conversation has a verified customer."""
        return self.customer_number is not None


@lru_cache(maxsize=1)
def identity_signer() -> IdentitySigner:
    """Return the action server's signer of identity claims (IDENTITY_CLAIM_SECRET).

    Raises:
        SettingsError: The secret is missing or too short.

    """
    return IdentitySigner(get_settings().identity_claim_secret)


def identity(tracker: Tracker) -> Identity:
    """Read the verification state from the tracker.

    A verified number counts only with a valid claim for this conversation;
    without one (or without the signing key) the customer is not verified.
    """
    number = tracker.get_slot(VERIFIED_CUSTOMER_NUMBER)
    if not isinstance(number, str) or not number:
        number = None
    elif not _claim_holds(tracker, number):
        logger.warning(
            "Conversation %s: a verified number without a valid identity claim is ignored.",
            tracker.sender_id,
        )
        number = None
    failures = tracker.get_slot(VERIFICATION_FAILURES)
    topics = tracker.get_slot(LOGGED_TOPICS) or []
    return Identity(
        customer_number=number,
        method=tracker.get_slot(VERIFICATION_METHOD),
        failures=float(failures) if isinstance(failures, (int, float)) else 0.0,
        greeted=bool(tracker.get_slot(CUSTOMER_GREETED)),
        logged_topics=tuple(str(topic) for topic in topics),
    )


def _claim_holds(tracker: Tracker, number: str) -> bool:
    try:
        signer = identity_signer()
    except SettingsError as error:
        logger.error("No verified identities without the signing key: %s", error)
        return False
    return signer.verify(tracker.get_slot(IDENTITY_CLAIM), tracker.sender_id, number)


def verified_events(conversation_id: str, customer_number: str, method: str) -> list[EventType]:
    """Return the events that make ``customer_number`` the conversation's verified customer.

    Args:
        conversation_id: The tracker's sender id; the signed claim is bound to it.
        customer_number: The customer the check confirmed.
        method: How (``postal_code``, ``customer_token``).

    Raises:
        SettingsError: IDENTITY_CLAIM_SECRET is missing (nobody can be verified).

    """
    return [
        SlotSet(VERIFIED_CUSTOMER_NUMBER, customer_number),
        SlotSet(IDENTITY_CLAIM, identity_signer().sign(conversation_id, customer_number)),
        SlotSet(VERIFICATION_METHOD, method),
        SlotSet(CUSTOMER_NUMBER, None),
        SlotSet(POSTAL_CODE, None),
    ]


def unverified_events() -> list[EventType]:
    """Return the events that leave the conversation without a verified customer."""
    return [
        SlotSet(VERIFIED_CUSTOMER_NUMBER, None),
        SlotSet(IDENTITY_CLAIM, None),
        SlotSet(VERIFICATION_METHOD, None),
    ]


def personal_request(tracker: Tracker) -> str | None:
    """Return the latest intent when it asks for something that needs verification."""
    intent = latest_intent(tracker)
    return intent if needs_verification(intent) else None


def latest_intent(tracker: Tracker) -> str | None:
    """Return the intent of the latest message as classified (``nlu_fallback`` included)."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    name = intent.get("name")
    return name if isinstance(name, str) else None


def turn(tracker: Tracker) -> Turn:
    """Return the latest message as the form policy reads it (:mod:`bot.dialogue.form_policy`)."""
    message = tracker.latest_message or {}
    entities: dict[str, list[str]] = {}
    for entity in message.get("entities") or []:
        name, value = entity.get("entity"), entity.get("value")
        if entity.get("role") is not None or entity.get("group") is not None:
            continue  # like Tracker.get_latest_entity_values: plain entities only
        if isinstance(name, str) and value is not None:
            entities.setdefault(name, []).append(str(value))
    asked = tracker.get_slot(REQUESTED_SLOT)
    return Turn(
        intent=latest_intent(tracker),
        text=chosen_text(tracker),
        entities=entities,
        asked=asked if isinstance(asked, str) else None,
    )


def offered_options(tracker: Tracker) -> list[Option]:
    """Return the buttons of the bot's answer to the customer's previous message."""
    options: list[Option] = []
    users = 0
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            users += 1
            if users == 2:
                break
        elif kind == "bot" and users == 1:
            buttons = (event.get("data") or {}).get("buttons") or []
            options[:0] = [
                Option(value=str(b["payload"]), title=str(b["title"]), payload=str(b["payload"]))
                for b in buttons
                if isinstance(b, dict)
                and b.get("payload")
                and b.get("title")
                and not says_stop(str(b["payload"]))  # "Abbrechen" is a way out, no option
            ]
    return options


def chosen_text(tracker: Tracker) -> str:
    """Return the latest message, or the payload of the offered button it picks.

    "der erste", "den um 10", "den Strato" or "ja" to a single offer read as
    a click on that button (:func:`bot.dialogue.choices.choose`). Buttons that
    send an intent ("/affirm") are left to the NLU and the form policy.
    """
    text = str((tracker.latest_message or {}).get("text") or "")
    said = [o for o in offered_options(tracker) if not o.payload.startswith("/")]
    choice = choose(text, said)
    if choice.option is not None and choice.how not in ("payload", "title"):
        return choice.option.payload
    return text


def latest_user_metadata(tracker: Tracker) -> dict[str, Any]:
    """Return the metadata the channel sent with the latest user message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            metadata = event.get("metadata")
            return metadata if isinstance(metadata, dict) else {}
    return {}


def conversation(tracker: Tracker) -> Conversation:
    """Return the conversation the tracker belongs to (id and channel).

    The id is the sender id plus the time of the session start; the session
    start sets that time itself (:class:`actions.session.ActionSessionStart`),
    so every action derives the same id.
    """
    conversation_id = conversation_id_for(tracker.sender_id, _session_start(tracker))
    return Conversation(conversation_id, channel_for(tracker.get_latest_input_channel()))


def _session_start(tracker: Tracker) -> datetime | None:
    for event in reversed(tracker.events):
        if event.get("event") == "session_started" and event.get("timestamp"):
            return datetime.fromtimestamp(float(event["timestamp"]), tz=timezone.utc)
    return None
