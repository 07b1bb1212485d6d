"""contract_info: rate, term, end date, mileage allowance and the end of the contract."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.journey_support import send
from actions.services import Services
from bot.crm.errors import CRMError
from bot.self_service.contracts import contract_replies

logger = logging.getLogger(__name__)


async def serve_contract_info(
    dispatcher: CollectingDispatcher, tracker: Tracker, services: Services, customer: str
) -> list[EventType]:
    """Describe the customer's contracts."""
    try:
        profile = await services.profile(customer)
    except CRMError as error:
        logger.warning("Contracts unavailable: %s", error)
        dispatcher.utter_message(response="utter_crm_unavailable")
        return []
    send(dispatcher, contract_replies(profile.contracts, profile.vehicles, services.today()))
    return []
