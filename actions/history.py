"""Write the conversation's topics into the verified customer's history."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from rasa_sdk.events import EventType, SlotSet

from actions import slots
from actions.services import Services
from bot.conversation_log import Conversation
from bot.crm.errors import CRMError
from bot.crm.schemas import Interaction

logger = logging.getLogger(__name__)


def log_topic(
    services: Services,
    customer_number: str,
    conversation: Conversation,
    topic: str,
    *,
    logged: Sequence[str] = (),
    known: Iterable[Interaction] = (),
    method: str | None = None,
) -> list[EventType]:
    """Record ``topic`` once per conversation; return the update of ``logged_topics``.

    Args:
        services: The action's collaborators.
        customer_number: The verified customer.
        conversation: The conversation.
        topic: The topic to record.
        logged: Topics recorded so far in this conversation.
        known: History entries the CRM returned, to avoid writing one twice.
        method: How the customer was identified (for the identification entry).

    Returns:
        ``SlotSet(logged_topics)`` when the topic is newly recorded, else nothing.

    """
    if topic in logged:
        return []
    try:
        recorded = services.conversation_log.submit(
            customer_number,
            conversation,
            topic,
            logged=logged,
            known=known,
            verification_method=method,
        )
    except CRMError as error:
        logger.warning("History entry %s not written: %s", topic, error)
        return []
    return [SlotSet(slots.LOGGED_TOPICS, [*logged, topic])] if recorded else []
