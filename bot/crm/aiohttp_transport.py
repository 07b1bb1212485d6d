"""An httpx transport that sends its requests with aiohttp.

httpx's own connection pool (httpcore) costs the action server about 1.5 ms
of CPU per CRM call under load: before every request it polls each idle
connection of the pool for readability, and it walks the whole pool to
assign the request. aiohttp (already installed with Rasa and the Rasa SDK)
does the same request for about a fifth of that (measured side by side in
``reports/load.md``, 5.12./6.12.2026). :class:`AiohttpTransport` keeps
httpx's client API (timeouts, errors, the tests' mock transports) and hands
only the wire to aiohttp.

At most ``max_connections`` (8) requests are on the wire at once; more wait
in the client for a free connection. The CRM service answers from a thread
pool under one interpreter lock: 40 requests at once made single answers
wait over 1.2 s (the client's timeout) while the median stayed at 90 ms; with
8 at a time the slowest of 10,000 took 0.23 s and more calls got through
(measured side by side, 6.12.2026, ``reports/load.md``).

Idle connections are dropped after ``keepalive_seconds`` (2 s), before
uvicorn drops them on its side (5 s), so a request never goes out on a
connection the server is closing. Errors become httpx's: a connection that
cannot be made or breaks is an ``httpx.ConnectError``/``httpx.ReadError``, a
timeout an ``httpx.TimeoutException``, so callers see what httpx would raise;
their text names only the kind of failure, never the URL (it can hold a
customer number).
"""

from __future__ import annotations

import asyncio

import aiohttp
import httpx

KEEPALIVE_SECONDS = 2.0
MAX_CONNECTIONS = 8


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Send httpx requests over one aiohttp session (made on first use, in the running loop).

    Args:
        keepalive_seconds: How long an idle connection is kept for the next request.
        max_connections: Requests on the wire at once (the others wait for a connection).

    """

    def __init__(
        self, keepalive_seconds: float = KEEPALIVE_SECONDS, max_connections: int = MAX_CONNECTIONS
    ) -> None:
        self._keepalive = keepalive_seconds
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None

    def _open_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    keepalive_timeout=self._keepalive, limit=self._max_connections
                ),
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
            connect=_sum(timeouts.get("pool"), timeouts.get("connect")),  # a free connection
            sock_connect=timeouts.get("connect"),  # a new one, as httpx's connect timeout
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
        # only the error's kind: aiohttp's texts can hold the URL, and with it a customer number
        except asyncio.TimeoutError as error:
            raise httpx.TimeoutException("timed out", request=request) from error
        except aiohttp.ClientConnectorError as error:
            raise httpx.ConnectError(type(error).__name__, request=request) from error
        except aiohttp.ClientError as error:
            raise httpx.ReadError(type(error).__name__, request=request) from error

    async def aclose(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None


def _sum(*seconds: float | None) -> float | None:
    """Add the given limits; ``None`` (no limit) if any is ``None``."""
    if any(value is None for value in seconds):
        return None
    return float(sum(value for value in seconds if value is not None))
