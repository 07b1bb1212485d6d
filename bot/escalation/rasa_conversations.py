"""Live takeover through Rasa's own HTTP API (``rasa run --enable-api``).

Claiming appends events to the conversation: the active form is stopped,
the slot ``agent_takeover`` routes the customer's next messages to the
agent (rules in ``data/rules/handoff.yml``), and a notice goes out. Agent
messages are ``bot`` events with ``{"sender": "agent", "agent_name": ...}``
in their metadata, sent to the customer's own channel with
``output_channel=latest&execute_side_effects=true``; the website widget and
Messenger show them as coming from a person. Hand-back clears the slot.

Authentication: Rasa runs with ``--jwt-secret`` (never ``--auth-token``,
whose token travels in the query string and so in access logs); every call
carries ``Authorization: Bearer <JWT>``, an admin token valid for a minute,
signed with RASA_JWT_SECRET (:func:`rasa_api_headers`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx
import jwt

from bot.dialogue.responses import TAKEOVER_HANDED_BACK, TAKEOVER_JOINED
from bot.dialogue.slots import AGENT_NAME, AGENT_TAKEOVER, ESCALATION_OPEN, ESCALATION_TICKET
from bot.dialogue.wording import response_text
from bot.escalation.errors import TakeoverFailed
from bot.escalation.settings import EscalationSettings
from bot.settings import Secret

logger = logging.getLogger(__name__)

TAKEOVER_SLOT = AGENT_TAKEOVER
AGENT_NAME_SLOT = AGENT_NAME
RATING_ACTION = "action_ask_csat"
"""Run after a hand-back: the assistant asks for the rating (once per conversation)."""
RASA_API_USER = "nordlicht-bot"
RASA_TOKEN_SECONDS = 60


def joined_notice(agent: str) -> str:
    """Return what the customer reads when ``agent`` takes the chat over (``domain.yml``)."""
    return response_text(TAKEOVER_JOINED, agent=agent)


def handback_notice() -> str:
    """Return what the customer reads when the bot answers again (``domain.yml``)."""
    return response_text(TAKEOVER_HANDED_BACK)


def rasa_api_headers(secret: Secret, clock: Callable[[], float] = time.time) -> dict[str, str]:
    """Return the ``Authorization`` header for Rasa's HTTP API (``rasa run --jwt-secret``).

    Args:
        secret: RASA_JWT_SECRET, Rasa's ``--jwt-secret`` (HS256).
        clock: Current Unix time; injectable for tests.

    Returns:
        ``{"Authorization": "Bearer <JWT>"}`` with role admin, valid for a minute.

    """
    now = int(clock())
    claims = {
        "user": {"username": RASA_API_USER, "role": "admin"},
        "iat": now,
        "exp": now + RASA_TOKEN_SECONDS,
    }
    token = jwt.encode(claims, secret.reveal(), algorithm="HS256")
    return {"Authorization": f"Bearer {token}"}


class RasaConversations:
    """Appends takeover events to Rasa conversations.

    Args:
        settings: RASA_URL, RASA_JWT_SECRET, time limit.
        transport: An httpx transport (tests); the network by default.

    """

    def __init__(
        self, settings: EscalationSettings, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._base = settings.rasa_url
        self._secret = settings.rasa_jwt_secret
        self._client = httpx.Client(timeout=settings.rasa_timeout_seconds, transport=transport)

    def take_over(self, conversation_id: str, agent_name: str) -> None:
        """Stop any form, route the customer's messages to the agent, announce the agent."""
        self._append(
            conversation_id,
            [
                {"event": "active_loop", "name": None},
                {"event": "slot", "name": TAKEOVER_SLOT, "value": True},
                {"event": "slot", "name": AGENT_NAME_SLOT, "value": agent_name},
                _notice(joined_notice(agent_name)),
            ],
        )

    def send_agent_message(
        self, conversation_id: str, agent_name: str, text: str, message_tag: str | None = None
    ) -> None:
        """Send the agent's message to the customer's channel (Messenger: optionally tagged)."""
        metadata = {"sender": "agent", "agent_name": agent_name}
        if message_tag:
            metadata["message_tag"] = message_tag
        self._append(conversation_id, [{"event": "bot", "text": text, "metadata": metadata}])

    def announce(self, conversation_id: str, text: str, agent_name: str | None = None) -> None:
        """Tell the customer something (a transfer); a new ``agent_name`` signs later replies."""
        events: list[dict[str, Any]] = []
        if agent_name:
            events.append({"event": "slot", "name": AGENT_NAME_SLOT, "value": agent_name})
        self._append(conversation_id, [*events, _notice(text)])

    def hand_back(self, conversation_id: str) -> None:
        """Let the bot answer again and tell the customer so."""
        self._append(
            conversation_id,
            [
                {"event": "slot", "name": TAKEOVER_SLOT, "value": False},
                {"event": "slot", "name": AGENT_NAME_SLOT, "value": None},
                {"event": "slot", "name": ESCALATION_OPEN, "value": False},
                {"event": "slot", "name": ESCALATION_TICKET, "value": None},
                _notice(handback_notice()),
            ],
        )

    def ask_for_rating(self, conversation_id: str) -> None:
        """Let the assistant ask for the rating after the agent (``action_ask_csat``).

        Rasa's ``/execute`` runs the action but does not listen afterwards; the
        ``action_listen`` appended then lets the rules see the customer's next
        message as they see any other.
        """
        self._post(
            f"{self._base}/conversations/{quote(conversation_id, safe='')}/execute",
            {"name": RATING_ACTION},
        )
        self._append(conversation_id, [{"event": "action", "name": "action_listen"}])

    def close(self) -> None:
        """Release connections."""
        self._client.close()

    def _append(self, conversation_id: str, events: list[dict[str, Any]]) -> None:
        url = f"{self._base}/conversations/{quote(conversation_id, safe='')}/tracker/events"
        self._post(url, events)

    def _post(self, url: str, body: Any) -> None:
        if not self._secret:
            raise TakeoverFailed("RASA_JWT_SECRET is not set; the takeover cannot reach Rasa")
        params = {"output_channel": "latest", "execute_side_effects": "true"}
        try:
            response = self._client.post(
                url, params=params, json=body, headers=rasa_api_headers(self._secret)
            )
        except httpx.HTTPError as error:
            logger.warning("Rasa API unreachable for the takeover: %r", error)
            raise TakeoverFailed("the Rasa server did not answer") from None
        if response.status_code != 200:
            logger.warning("Rasa API refused takeover events: %s", response.status_code)
            raise TakeoverFailed(f"the Rasa server answered {response.status_code}")


def _notice(text: str) -> dict[str, Any]:
    return {"event": "bot", "text": text, "metadata": {"sender": "system"}}
