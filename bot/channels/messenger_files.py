"""Files customers send on Messenger reach the agent of their open escalation, never nowhere.

The assistant cannot read images, so a file is not a dialogue turn. With an
open escalation the file (Facebook's address and its type; Facebook keeps
the file itself) joins the transcript the agent reads: while an agent has
the chat, nothing is said (the agent answers); while it waits in the queue,
the customer hears that it was added. Without one, the customer is told
that the assistant cannot look at files and a human can. Which of these
texts is sent is decided here; the texts live in domain.yml.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.channels.messenger_events import MessengerEvent
from bot.escalation.client import EscalationClient, EscalationUnavailable, NoOpenEscalation
from bot.escalation.schemas import MessengerAttachment
from bot.escalation.settings import get_escalation_settings
from bot.settings import SettingsError, get_settings

logger = logging.getLogger(__name__)

ADDED_RESPONSE = "utter_attachment_added"
UNREADABLE_RESPONSE = "utter_attachment_unreadable"
NOT_FORWARDED_RESPONSE = "utter_attachment_not_forwarded"


def default_client() -> EscalationClient:
    """Return the bot service's internal API, from this process's settings."""
    return EscalationClient.from_settings(get_escalation_settings(), get_settings().crm_api_token)


class MessengerFiles:
    """Hands the files of a Messenger message to the bot service.

    Args:
        client: Builds the bot service's client (on first use; default: from the settings).

    """

    def __init__(self, client: Callable[[], EscalationClient] | None = None) -> None:
        self._factory = client or default_client
        self._client: EscalationClient | None = None

    async def forward(self, event: MessengerEvent) -> str | None:
        """Report every file of ``event``; return the response to answer with, if any."""
        answer: str | None = None
        for index, file in enumerate(event.files):
            mid = f"{event.message_id}#{index}" if event.message_id else None
            try:
                receipt = await self._get_client().report_attachment(
                    MessengerAttachment(
                        conversation_id=event.sender_id,
                        kind=file.kind,  # type: ignore[arg-type]  # one of ATTACHMENT_KINDS
                        url=file.url,
                        message_id=mid,
                        timestamp=event.timestamp,
                    )
                )
            except NoOpenEscalation:
                return UNREADABLE_RESPONSE
            except (EscalationUnavailable, SettingsError) as error:
                logger.error("A Messenger file did not reach the escalation: %s", error)
                return NOT_FORWARDED_RESPONSE
            answer = None if receipt.taken_over else ADDED_RESPONSE
        return answer

    async def aclose(self) -> None:
        """Release the client's connections."""
        if self._client is not None:
            await self._client.aclose()

    def _get_client(self) -> EscalationClient:
        if self._client is None:
            self._client = self._factory()
        return self._client
