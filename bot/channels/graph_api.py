"""Client for Meta's Messenger Send API (``POST {base_url}/me/messages``)."""

from __future__ import annotations

import logging
from typing import Any

import httpx

logger = logging.getLogger(__name__)

DEFAULT_GRAPH_API_URL = "https://graph.facebook.com/v18.0"
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=3.0)


class GraphSendApi:
    """Sends Send API requests; failures are logged and reported as ``False``.

    The page access token travels in the ``Authorization`` header, so it never
    shows up in URLs or access logs.
    """

    def __init__(
        self,
        page_access_token: str,
        base_url: str = DEFAULT_GRAPH_API_URL,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Create the client; the HTTP connection pool is opened on first use.

        Args:
            page_access_token: Token of the Facebook page the bot speaks for.
            base_url: Graph API root including the version.
            timeout: Timeouts for every request.
            transport: Optional httpx transport (tests).

        """
        self._token = page_access_token
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    def __repr__(self) -> str:
        return f"GraphSendApi(base_url={self._base_url!r}, page_access_token='**********')"

    async def send(self, body: dict[str, Any]) -> bool:
        """Post one Send API request.

        Args:
            body: The JSON body (``recipient`` plus ``message`` or ``sender_action``).

        Returns:
            ``True`` if the Graph API accepted the request.

        """
        try:
            response = await self._http().post("/me/messages", json=body)
        except httpx.HTTPError as error:
            logger.error("Messenger Send API unreachable: %s", type(error).__name__)
            return False
        if response.is_success:
            return True
        logger.error(
            "Messenger Send API rejected a request: HTTP %s, %s",
            response.status_code,
            _graph_error(response),
        )
        return False

    async def aclose(self) -> None:
        """Close the connection pool."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self._base_url,
                headers={"Authorization": f"Bearer {self._token}"},
                timeout=self._timeout,
                transport=self._transport,
            )
        return self._client


def _graph_error(response: httpx.Response) -> str:
    """Return the Graph API error type, code and message for logs."""
    try:
        body = response.json()
    except ValueError:
        return "no JSON error body"
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return "unexpected error body"
    return f"{error.get('type')} {error.get('code')}: {error.get('message')}"
