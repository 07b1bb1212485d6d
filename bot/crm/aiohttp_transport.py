"""An httpx transport that sends its requests with aiohttp.

httpx's own connection pool (httpcore) costs the action server about 1.5 ms
of CPU per CRM call under load: before every request it polls each idle
connection of the pool for readability, and it walks the whole pool to
assign the request. aiohttp (already installed with Rasa and the Rasa SDK)
does the same request for about a fifth of that (measured side by side in
``reports/load.md``, 5.12./6.12.2026). :class:`AiohttpTransport` keeps
httpx's client API (timeouts, errors, the tests' mock transports) and hands
only the wire to aiohttp.

Idle connections are dropped after ``keepalive_seconds`` (2 s), before
uvicorn drops them on its side (5 s), so a request never goes out on a
connection the server is closing. Errors become httpx's: a connection that
cannot be made or breaks is an ``httpx.ConnectError``/``httpx.ReadError``, a
timeout an ``httpx.TimeoutException``, so callers see what httpx would raise.
"""

from __future__ import annotations

import asyncio

import aiohttp
import httpx

KEEPALIVE_SECONDS = 2.0


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Send httpx requests over one aiohttp session (made on first use, in the running loop).

    Args:
        keepalive_seconds: How long an idle connection is kept for the next request.

    """

    def __init__(self, keepalive_seconds: float = KEEPALIVE_SECONDS) -> None:
        self._keepalive = keepalive_seconds
        self._session: aiohttp.ClientSession | None = None

    def _open_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(keepalive_timeout=self._keepalive),
                auto_decompress=False,  # httpx decodes by Content-Encoding itself
                cookie_jar=aiohttp.DummyCookieJar(),
                skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
            )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``; return the whole answer as an httpx response."""
        session = self._open_session()
        timeouts = request.extensions.get("timeout", {})
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=timeouts.get("connect"),
            sock_read=timeouts.get("read"),
        )
        headers = [
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in request.headers.raw
        ]
        try:
            async with session.request(
                request.method,
                str(request.url),
                headers=headers,
                data=await request.aread(),
                timeout=timeout,
                allow_redirects=False,
            ) as answer:
                body = await answer.read()
                return httpx.Response(
                    answer.status,
                    headers=[(bytes(k), bytes(v)) for k, v in answer.raw_headers],
                    content=body,
                    request=request,
                )
        except asyncio.TimeoutError as error:
            raise httpx.TimeoutException(f"timed out: {error}", request=request) from error
        except aiohttp.ClientConnectorError as error:
            raise httpx.ConnectError(str(error), request=request) from error
        except aiohttp.ClientError as error:
            raise httpx.ReadError(f"{type(error).__name__}: {error}", request=request) from error

    async def aclose(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None
