"""Rasa output channel that answers on Facebook Messenger via the Send API."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa.core.channels.channel import OutputChannel

from bot.channels import messenger_format
from bot.channels.graph_api import GraphSendApi
from bot.escalation.messenger_rules import HUMAN_AGENT_TAG


class MessengerOutput(OutputChannel):
    """Sends bot responses to one Messenger user (PSID).

    Send failures are logged by ``GraphSendApi`` and never raised into Rasa.
    """

    @classmethod
    def name(cls) -> str:
        """Return the channel name Rasa stores in the tracker."""
        return "facebook"

    def __init__(self, send_api: GraphSendApi) -> None:
        """Create the output channel.

        Args:
            send_api: Client for the Graph Send API.

        """
        self._send_api = send_api
        self.messages_sent = 0

    async def send_message(
        self, recipient_id: str, message: dict[str, Any], tag: str | None = None
    ) -> None:
        """Send one Messenger ``message`` object as a response (or tagged, after the window).

        Args:
            recipient_id: The user's page-scoped id (PSID).
            message: The Send API ``message`` object.
            tag: ``HUMAN_AGENT`` for an agent's reply after the 24-hour window.

        """
        self.messages_sent += 1
        body: dict[str, Any] = {"recipient": {"id": recipient_id}, "message": message}
        if tag:
            body.update(messaging_type="MESSAGE_TAG", tag=tag)
        else:
            body["messaging_type"] = "RESPONSE"
        await self._send_api.send(body)

    async def send_action(self, recipient_id: str, sender_action: str) -> None:
        """Send a sender action such as ``typing_on`` or ``typing_off``.

        Args:
            recipient_id: The user's PSID.
            sender_action: The action name.

        """
        await self._send_api.send(
            {"recipient": {"id": recipient_id}, "sender_action": sender_action}
        )

    async def _send_all(self, recipient_id: str, messages: Iterable[dict[str, Any]]) -> None:
        for message in messages:
            await self.send_message(recipient_id, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send text, split into messages of at most 2,000 characters.

        A human agent's message (``sender="agent"`` from the live takeover)
        starts with the agent's name, so the customer sees who writes, and
        carries the ``HUMAN_AGENT`` tag when the bot service marked it so
        (``message_tag``: the customer's last message is over 24 hours old).
        """
        tag = None
        if kwargs.get("sender") == "agent":
            text = f"{kwargs.get('agent_name') or 'Kundenservice'} (Kundenservice): {text}"
            tag = HUMAN_AGENT_TAG if kwargs.get("message_tag") == HUMAN_AGENT_TAG else None
        for message in messenger_format.text_messages(text):
            await self.send_message(recipient_id, message, tag)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """Send an image by URL."""
        await self.send_message(recipient_id, messenger_format.image_message(image))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send a button template (up to 3 buttons) or quick replies (more)."""
        await self._send_all(recipient_id, messenger_format.button_messages(text, buttons))

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send text with up to 13 quick replies."""
        await self._send_all(
            recipient_id, messenger_format.quick_reply_messages(text, quick_replies)
        )

    async def send_elements(
        self, recipient_id: str, elements: Iterable[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send a generic template (carousel)."""
        await self.send_message(recipient_id, messenger_format.generic_template_message(elements))

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any] | list[Any], **kwargs: Any
    ) -> None:
        """Send custom Messenger ``message`` object(s) from a ``custom`` response."""
        messages = json_message if isinstance(json_message, list) else [json_message]
        await self._send_all(recipient_id, messages)

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        """Send a Messenger attachment object, or its text form if it is not one."""
        if isinstance(attachment, dict):
            await self.send_message(recipient_id, {"attachment": attachment})
        else:
            await self.send_text_message(recipient_id, str(attachment))
