"""httpx requests over aiohttp: the same request on the wire, httpx's answers and errors."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from bot.crm.aiohttp_transport import AiohttpTransport
from bot.crm.http_client import HttpCRMClient
from bot.settings import Secret
from tests.support.processes import free_port


@pytest_asyncio.fixture(loop_scope="function")
async def echo_url() -> AsyncIterator[str]:
    """A small HTTP server on loopback that answers with what it received."""
    from aiohttp import web

    async def echo(request: web.Request) -> web.Response:
        seen: dict[str, Any] = {
            "method": request.method,
            "path": request.path_qs,
            "headers": {k.lower(): v for k, v in request.headers.items()},
            "body": (await request.read()).decode(),
        }
        answer = web.Response(
            status=201,
            body=gzip.compress(json.dumps(seen).encode()),
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
        )
        answer.headers.add("X-Twice", "a")
        answer.headers.add("X-Twice", "b")
        return answer

    async def slow(_request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response(text="late")

    on_the_wire = {"now": 0, "most": 0}

    async def hold(_request: web.Request) -> web.Response:
        on_the_wire["now"] += 1
        on_the_wire["most"] = max(on_the_wire["most"], on_the_wire["now"])
        await asyncio.sleep(0.05)
        on_the_wire["now"] -= 1
        return web.json_response(on_the_wire)

    app = web.Application()
    app.router.add_route("*", "/echo", echo)
    app.router.add_get("/slow", slow)
    app.router.add_get("/hold", hold)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_the_request_and_the_answer_are_what_httpx_would_send_and_give(echo_url) -> None:
    async with httpx.AsyncClient(transport=AiohttpTransport(), base_url=echo_url) as client:
        answer = await client.post(
            "/echo", params={"q": "ä b"}, json={"x": 1}, headers={"Authorization": "Bearer t"}
        )
    assert answer.status_code == 201
    seen = answer.json()  # gzip decoded by httpx
    assert seen["method"] == "POST"
    assert seen["path"] == "/echo?q=%C3%A4+b"
    assert seen["headers"]["authorization"] == "Bearer t"
    assert seen["headers"]["content-type"] == "application/json"
    assert json.loads(seen["body"]) == {"x": 1}
    assert answer.headers.get_list("x-twice") == ["a", "b"]


async def test_a_refused_connection_is_httpx_connect_error() -> None:
    async with httpx.AsyncClient(transport=AiohttpTransport()) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(f"http://127.0.0.1:{free_port()}/")


async def test_a_silent_server_is_httpx_timeout(echo_url) -> None:
    async with httpx.AsyncClient(transport=AiohttpTransport(), timeout=0.3) as client:
        with pytest.raises(httpx.TimeoutException):
            await client.get(f"{echo_url}/slow")


async def test_the_crm_client_goes_over_aiohttp_unless_told_otherwise() -> None:
    client = HttpCRMClient("http://127.0.0.1:1", Secret("x" * 32))
    assert isinstance(client._http._transport, AiohttpTransport)
    await client.aclose()


async def test_at_most_eight_requests_are_on_the_wire_at_once(echo_url) -> None:
    async with httpx.AsyncClient(transport=AiohttpTransport(), base_url=echo_url) as client:
        answers = await asyncio.gather(*(client.get("/hold") for _ in range(30)))
    assert all(answer.status_code == 200 for answer in answers)
    assert max(answer.json()["most"] for answer in answers) == 8  # the others waited


async def test_waiting_for_a_free_connection_is_not_a_connect_timeout(echo_url) -> None:
    timeout = httpx.Timeout(2.0, connect=0.02)  # far less than the wait for a connection
    async with httpx.AsyncClient(
        transport=AiohttpTransport(max_connections=1), base_url=echo_url, timeout=timeout
    ) as client:
        answers = await asyncio.gather(*(client.get("/hold") for _ in range(4)))
    assert [answer.status_code for answer in answers] == [200] * 4


async def test_a_broken_connection_is_httpx_read_error_without_the_url() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")  # the request, then no answer
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(transport=AiohttpTransport()) as client:
            with pytest.raises(httpx.ReadError) as raised:
                await client.get(f"http://127.0.0.1:{port}/api/crm/customers/K-100001")
    finally:
        server.close()
    assert str(raised.value) == "ServerDisconnectedError"
    assert "K-100001" not in str(raised.value)
