"""order_status: where the customer's orders stand (after verification)."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.journey_support import request_message, send
from actions.services import Services
from bot.crm.errors import CRMError
from bot.self_service.orders import order_status_replies

logger = logging.getLogger(__name__)


async def serve_order_status(
    dispatcher: CollectingDispatcher, tracker: Tracker, services: Services, customer: str
) -> list[EventType]:
    """Answer with the status of the order asked for, the only open one, or a choice."""
    request = request_message(tracker, "order_status")
    try:
        profile = await services.profile(customer)
    except CRMError as error:
        logger.warning("Orders unavailable: %s", error)
        dispatcher.utter_message(response="utter_crm_unavailable")
        return []
    send(
        dispatcher,
        order_status_replies(
            profile.orders, request.entity("order_number"), today=services.today()
        ),
    )
    return []
