"""Fetching a customer's Messenger file from Facebook, within strict bounds.

Facebook keeps a file a customer sends on Messenger only for some days, at
an address on its CDN. The bot service copies images and PDFs into the
escalation so the agent can still open them later, but it fetches only
``https`` addresses on Facebook's CDN hosts (no other server can be made to
fetch anything), follows no redirects, gives up after ``timeout`` seconds,
and stops reading at the size limit. Failures leave the address as it was:
the agent still has the link.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import anyio
import httpx

DEFAULT_HOSTS = ("fbcdn.net", "fbsbx.com")

logger = logging.getLogger(__name__)


class FetchFailed(Exception):
    """The file could not be fetched within the bounds (the reason, never the address)."""


class RemoteFiles:
    """Fetches files from allowed hosts.

    Args:
        hosts: Allowed hosts; a host and its subdomains (``fbcdn.net`` allows
            ``scontent.xx.fbcdn.net``).
        max_bytes: Largest file read.
        timeout: Seconds for the whole fetch.
        transport: An httpx transport (tests).

    """

    def __init__(
        self,
        hosts: tuple[str, ...],
        max_bytes: int,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.hosts = tuple(host.lower().strip(".") for host in hosts)
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._transport = transport

    def allowed(self, url: str) -> bool:
        """Tell whether ``url`` is an https address on an allowed host."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme != "https" or not host or parts.username or parts.password:
            return False
        return any(host == allowed or host.endswith("." + allowed) for allowed in self.hosts)

    async def fetch(self, url: str) -> bytes:
        """Return the file at ``url``.

        Raises:
            FetchFailed: Not allowed, not 200, too large, or too slow.

        """
        if not self.allowed(url):
            raise FetchFailed("not an https address on an allowed host")
        try:
            with anyio.fail_after(self.timeout):
                async with (
                    httpx.AsyncClient(
                        transport=self._transport,
                        follow_redirects=False,
                        timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 3.0)),
                    ) as client,
                    client.stream("GET", url) as response,
                ):
                    if response.status_code != 200:
                        raise FetchFailed(f"answered {response.status_code}")
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > self.max_bytes:
                        raise FetchFailed(f"larger than {self.max_bytes} bytes")
                    body = bytearray()
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > self.max_bytes:
                            raise FetchFailed(f"larger than {self.max_bytes} bytes")
                    return bytes(body)
        except httpx.HTTPError as error:
            raise FetchFailed(type(error).__name__) from None
        except TimeoutError:
            raise FetchFailed(f"took longer than {self.timeout} s") from None
