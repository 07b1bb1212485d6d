"""The action server's client of the escalation intake on the bot service.

Creating an escalation is idempotent on the service (one open escalation per
conversation), so the client retries freely when the service is briefly
down or answers 502/503/504: at most ``attempts`` tries within
``max_call_seconds``. Failures leave this module as
:class:`EscalationUnavailable`; the tracker-store sweeper of the bot service
records the request later.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import anyio
import httpx
from pydantic import ValidationError

from bot.escalation.schemas import (
    AttachmentReceipt,
    CustomerMessage,
    EscalationIntake,
    FollowUpReceipt,
    IntakeReceipt,
    MessengerAttachment,
)
from bot.escalation.settings import EscalationSettings
from bot.settings import Secret

logger = logging.getLogger(__name__)

_RETRYABLE_STATUS = {502, 503, 504}


class EscalationUnavailable(Exception):
    """The bot service did not record the request."""


class NoTakeover(Exception):
    """No agent has taken over the conversation (any more)."""


class NoOpenEscalation(Exception):
    """The conversation has no open escalation (any more)."""


class EscalationClient:
    """Talks to ``/api/internal`` of the bot service.

    Args:
        base_url: The bot service, e.g. ``http://127.0.0.1:8000``.
        token: Service token (ESCALATION_API_TOKEN, by default CRM_API_TOKEN).
        timeout: Seconds per attempt.
        attempts: Tries per call.
        max_call_seconds: Upper bound of a call, retries included.
        retry_pause: Seconds between tries.
        transport: An httpx transport (tests).

    """

    def __init__(
        self,
        base_url: str,
        token: Secret,
        *,
        timeout: float = 2.0,
        attempts: int = 3,
        max_call_seconds: float = 4.0,
        retry_pause: float = 0.3,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._attempts = attempts
        self._max_call_seconds = max_call_seconds
        self._retry_pause = retry_pause
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/api/internal",
            headers={"Authorization": f"Bearer {token.reveal()}"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 0.5)),
            transport=transport,
        )

    @classmethod
    def from_settings(
        cls, settings: EscalationSettings, crm_api_token: Secret | None = None
    ) -> EscalationClient:
        """Build the client from ESCALATION_API_URL and ESCALATION_API_TOKEN.

        Args:
            settings: The escalation's settings.
            crm_api_token: CRM_API_TOKEN, the token when ESCALATION_API_TOKEN is not set.

        Raises:
            SettingsError: Neither token is set.

        """
        return cls(settings.api_url, settings.intake_token(crm_api_token))

    async def open_escalation(self, intake: EscalationIntake) -> IntakeReceipt:
        """Create (or find) the conversation's escalation.

        Raises:
            EscalationUnavailable: The service did not answer in time or refused.

        """
        response = await self._post("/escalations", intake.dict())
        if response.status_code not in (200, 201):
            raise EscalationUnavailable(f"intake answered {response.status_code}")
        try:
            return IntakeReceipt.parse_obj(response.json())
        except (ValueError, ValidationError) as error:
            raise EscalationUnavailable(f"malformed intake answer: {error}") from None

    async def forward_customer_message(self, message: CustomerMessage) -> int:
        """Hand a customer message to the agent who has the chat; return the escalation id.

        Raises:
            NoTakeover: No agent has the chat.
            EscalationUnavailable: The service did not answer in time.

        """
        response = await self._post("/takeover-messages", message.dict())
        if response.status_code == 404:
            raise NoTakeover(message.conversation_id)
        if response.status_code != 202:
            raise EscalationUnavailable(f"takeover message answered {response.status_code}")
        return int(response.json()["escalation_id"])

    async def add_follow_up(self, message: CustomerMessage) -> FollowUpReceipt:
        """Add a customer message to the conversation's open escalation.

        Raises:
            NoOpenEscalation: The escalation was resolved (or never recorded).
            EscalationUnavailable: The service did not answer in time.

        """
        response = await self._post("/follow-ups", message.dict())
        if response.status_code == 404:
            raise NoOpenEscalation(message.conversation_id)
        if response.status_code != 202:
            raise EscalationUnavailable(f"follow-up answered {response.status_code}")
        try:
            return FollowUpReceipt.parse_obj(response.json())
        except (ValueError, ValidationError) as error:
            raise EscalationUnavailable(f"malformed follow-up answer: {error}") from None

    async def report_attachment(self, attachment: MessengerAttachment) -> AttachmentReceipt:
        """Add a customer's Messenger file to the conversation's open escalation.

        Idempotent on the service (one line per Messenger message id), so retries are safe.

        Raises:
            NoOpenEscalation: The conversation has no open escalation.
            EscalationUnavailable: The service did not answer in time or refused.

        """
        response = await self._post("/attachments", attachment.dict())
        if response.status_code == 409:
            raise NoOpenEscalation(attachment.conversation_id)
        if response.status_code != 202:
            raise EscalationUnavailable(f"attachment answered {response.status_code}")
        try:
            return AttachmentReceipt.parse_obj(response.json())
        except (ValueError, ValidationError) as error:
            raise EscalationUnavailable(f"malformed attachment answer: {error}") from None

    async def signal_typing(self, conversation_id: str) -> bool:
        """Tell the agent's desk that the customer is typing (one short try; False: not sent)."""
        try:
            with anyio.fail_after(self._max_call_seconds):
                response = await self._http.post(
                    "/typing", json={"conversation_id": conversation_id[:255]}
                )
        except (httpx.HTTPError, TimeoutError):
            return False
        return response.status_code == 202

    async def aclose(self) -> None:
        """Release connections."""
        await self._http.aclose()

    async def _post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        deadline = time.monotonic() + self._max_call_seconds
        last: Exception | str = "no attempt"
        for attempt in range(1, self._attempts + 1):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                with anyio.fail_after(left):
                    response = await self._http.post(path, json=body)
            except (httpx.HTTPError, TimeoutError) as error:
                last = error
            else:
                if response.status_code not in _RETRYABLE_STATUS:
                    return response
                last = f"status {response.status_code}"
            logger.info("Escalation service attempt %s failed: %r", attempt, last)
            if attempt < self._attempts:
                await anyio.sleep(self._retry_pause)
        raise EscalationUnavailable(f"bot service unreachable: {last!r}")
