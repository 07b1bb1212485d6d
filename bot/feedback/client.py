"""The action server's client of ``POST /api/internal/feedback`` on the bot service.

Feedback is never worth a long wait: one attempt with a short time limit; a
failure is logged (without the text) and the customer is thanked anyway.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from bot.settings import Secret, Settings

logger = logging.getLogger(__name__)


class FeedbackClient:
    """Sends ratings, comments and feedback to the bot service.

    Args:
        base_url: The bot service, e.g. ``http://127.0.0.1:8000``.
        token: Service token (CRM_API_TOKEN).
        timeout: Seconds for the call.
        transport: An httpx transport (tests).

    """

    def __init__(
        self,
        base_url: str,
        token: Secret,
        *,
        timeout: float = 2.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/api/internal",
            headers={"Authorization": f"Bearer {token.reveal()}"},
            timeout=timeout,
            transport=transport,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> FeedbackClient:
        """Build the client from CRM_API_URL and CRM_API_TOKEN."""
        return cls(settings.crm_api_url, settings.require_crm_api_token())

    async def send(self, body: dict[str, Any]) -> bool:
        """Store one entry; return whether the service took it (a repeated rating: False)."""
        try:
            response = await self._http.post("/feedback", json=body)
        except httpx.HTTPError as error:
            logger.warning("Feedback not stored: %s", type(error).__name__)
            return False
        if response.status_code != 200:
            logger.warning("Feedback not stored: status %s", response.status_code)
            return False
        return True

    async def aclose(self) -> None:
        """Release connections."""
        await self._http.aclose()
