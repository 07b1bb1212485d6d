"""REST channel for server-to-server integrations, replacing Rasa's stock ``rest``.

Register in credentials.yml as ``bot.channels.rest.SecureRestInput`` with
``token: ${REST_CHANNEL_TOKEN}``. The webhook stays at
``POST /webhooks/rest/webhook`` with ``{"sender": ..., "message": ...,
"metadata": {...}}``.

Differences to the stock channel, which trusts every caller:

- ``Authorization: Bearer <REST_CHANNEL_TOKEN>`` is required (401 without);
  the website chat uses the signed socket.io sessions instead;
- a missing, empty or over-long ``sender`` is a 400 (the stock channel put
  every such message into one shared conversation ``default``), as are a body
  that is not a JSON object, a ``message`` that is not text and metadata that
  is not an object; bodies over :data:`MAX_BODY_BYTES` get 413;
- the text is screened (``bot.channels.input_guard``): an empty or blank one
  is answered with a short prompt, one over 2,000 characters is refused
  politely, neither is parsed; invisible characters are removed;
- a failure while handling the message is answered with the "technical
  problem" response and logged without the message text, never with ``[]``;
- no streaming, and the client cannot choose the ``input_channel``.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    UserMessage,
)
from rasa.core.channels.rest import RestInput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.analytics.turn_metrics import timed
from bot.channels.canned import canned_text
from bot.channels.input_guard import TECHNICAL_PROBLEM_RESPONSE, screen_message
from bot.service_auth import bearer_token_matches

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_SENDER_CHARACTERS = 128
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class RequestRejected(Exception):
    """A webhook request that is answered with a 4xx status and a short reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class SecureRestInput(RestInput):
    """Rasa's REST channel behind a bearer token, with sender and input checks."""

    def __init__(self, token: str) -> None:
        """Create the channel.

        Args:
            token: The bearer token callers must present (REST_CHANNEL_TOKEN).

        Raises:
            RasaException: If the token is empty.

        """
        if not token:
            raise RasaException("The REST channel needs a token (REST_CHANNEL_TOKEN).")
        self._token = token

    def __repr__(self) -> str:
        return "SecureRestInput(token='**********')"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from its credentials.yml section.

        Args:
            credentials: ``token`` (from ``${REST_CHANNEL_TOKEN}``).

        Returns:
            The channel.

        Raises:
            RasaException: If the token is missing.

        """
        token = (credentials or {}).get("token")
        if not isinstance(token, str) or not token.strip():
            raise RasaException(
                "credentials.yml: bot.channels.rest.SecureRestInput needs `token: "
                "${REST_CHANNEL_TOKEN}` and the variable set (`make` writes var/dev.env)."
            )
        return cls(token.strip())

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Define the routes: ``GET /`` (health) and ``POST /webhook``.

        Args:
            on_new_message: Rasa's callback for incoming user messages.

        Returns:
            The blueprint.

        """
        on_new_message = timed("rest", on_new_message)
        rest_webhook = Blueprint("secure_rest_webhook", __name__)

        @rest_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not bearer_token_matches(request.headers.get("Authorization"), self._token):
                logger.warning("Rejected a REST channel request without a valid token.")
                return response.json({"error": "unauthorized"}, status=401)
            try:
                sender, text, metadata = _read_request(request)
            except RequestRejected as rejected:
                return response.json({"error": rejected.reason}, status=rejected.status)
            answer = await self._answer(request, on_new_message, sender, text, metadata)
            return response.json(answer)

        return rest_webhook

    async def _answer(
        self,
        request: Request,
        on_new_message: OnNewMessage,
        sender: str,
        text: str,
        metadata: dict[str, Any] | None,
    ) -> list[dict[str, Any]]:
        screened = screen_message(text)
        if not screened.accepted:
            assert screened.refusal is not None
            logger.info(
                "Answered a REST message of %d characters with %s.",
                screened.length,
                screened.refusal,
            )
            return [_reply(sender, canned_text(request.app, screened.refusal))]
        collector = CollectingOutputChannel()
        try:
            await on_new_message(
                UserMessage(
                    screened.text,
                    collector,
                    sender,
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )
        except Exception as error:  # every failure is answered, none is swallowed
            logger.error(
                "Handling a REST message failed (%s):\n%s",
                type(error).__name__,
                "".join(traceback.format_tb(error.__traceback__)),
            )
            return [_reply(sender, canned_text(request.app, TECHNICAL_PROBLEM_RESPONSE))]
        return collector.messages


def _read_request(request: Request) -> tuple[str, str, dict[str, Any] | None]:
    """Return sender, text and metadata of a webhook request, or raise ``RequestRejected``."""
    if len(request.body or b"") > MAX_BODY_BYTES:
        raise RequestRejected(413, f"request body larger than {MAX_BODY_BYTES} bytes")
    try:
        payload = request.json
    except Exception:  # sanic raises its own InvalidUsage for malformed JSON
        payload = None
    if not isinstance(payload, dict):
        raise RequestRejected(400, "body must be a JSON object")
    sender = payload.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        raise RequestRejected(400, "sender is required: a non-empty conversation id")
    if len(sender) > MAX_SENDER_CHARACTERS:
        raise RequestRejected(400, f"sender longer than {MAX_SENDER_CHARACTERS} characters")
    text = payload.get("message", "")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise RequestRejected(400, "message must be a string")
    metadata = payload.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise RequestRejected(400, "metadata must be a JSON object")
    return sender.strip(), text, metadata


def _reply(sender: str, text: str) -> dict[str, Any]:
    return {"recipient_id": sender, "text": text}
