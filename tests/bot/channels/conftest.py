"""Loopback servers for channel tests.

Channels are wired the way ``rasa.core.channels.channel.register`` does it:
``app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/<name>")``.
``messenger`` starts our Messenger channel against a stand-in Graph API.
The fixtures hand out async context managers (not async fixtures) so every
server lives in the test's own event loop.
"""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.facebook import MessengerInput
from tests.bot.channels.messenger_support import (
    APP_SECRET,
    PAGE_TOKEN,
    VERIFY_TOKEN,
    Handler,
    Messenger,
    echo,
)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def new_app(prefix: str) -> Sanic:
    # Test mode lets one process start several apps: Sanic 21.12 otherwise
    # re-compiles its already compiled protocol methods ("touchup") and fails.
    Sanic.test_mode = True
    app = Sanic(f"{prefix}_{uuid.uuid4().hex[:10]}")
    app.config.ACCESS_LOG = False
    return app


@asynccontextmanager
async def serve(app: Sanic) -> AsyncIterator[str]:
    """Run ``app`` on a free loopback port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
    assert server is not None  # already listening: create_server awaits it
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await server.before_stop()
        for connection in list(server.connections):
            connection.close_if_idle()
        server.close()
        await server.wait_closed()
        await server.after_stop()
        sock.close()


@asynccontextmanager
async def serve_channel(channel: InputChannel, on_new_message: OnNewMessage) -> AsyncIterator[str]:
    """Serve one input channel as Rasa would under ``/webhooks/``."""
    app = new_app("bot")
    app.blueprint(
        channel.blueprint(on_new_message), url_prefix=urljoin("/webhooks/", channel.url_prefix())
    )
    async with serve(app) as base_url:
        yield base_url


class SendApiRecorder:
    """A stand-in for graph.facebook.com that records Send API calls."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.authorizations: list[str | None] = []
        self.failures: dict[str, tuple[int, dict[str, Any]]] = {}

    @property
    def messages(self) -> list[dict[str, Any]]:
        return [call for call in self.calls if "message" in call]

    @property
    def actions(self) -> list[tuple[str, str]]:
        return [
            (call["recipient"]["id"], call["sender_action"])
            for call in self.calls
            if "sender_action" in call
        ]

    def app(self) -> Sanic:
        app = new_app("graph")

        @app.post("/v18.0/me/messages")
        async def send(request: Request) -> HTTPResponse:
            body = request.json
            self.calls.append(body)
            self.authorizations.append(request.headers.get("authorization"))
            failure = self.failures.get(body["recipient"]["id"])
            if failure is not None:
                return response.json(failure[1], status=failure[0])
            return response.json(
                {"recipient_id": body["recipient"]["id"], "message_id": f"m_{len(self.calls)}"}
            )

        return app

    async def wait_for_messages(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        await wait_until(lambda: len(self.messages) >= count, timeout)
        return self.messages


async def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


@pytest.fixture
def serve_channel_on_loopback() -> Callable[..., Any]:
    return serve_channel


@pytest.fixture
def serve_on_loopback() -> Callable[..., Any]:
    return serve


@pytest.fixture
def send_api_recorder() -> SendApiRecorder:
    return SendApiRecorder()


@pytest.fixture
def wait() -> Callable[..., Awaitable[None]]:
    return wait_until


@pytest.fixture
def messenger(
    serve_channel_on_loopback: Any, serve_on_loopback: Any, send_api_recorder: SendApiRecorder
) -> Any:
    @asynccontextmanager
    async def start(handler: Handler = echo, **options: Any) -> AsyncIterator[Messenger]:
        received: list[UserMessage] = []

        async def on_new_message(message: UserMessage) -> None:
            received.append(message)
            await handler(message)

        async with serve_on_loopback(send_api_recorder.app()) as graph_url:
            options.setdefault("graph_api_url", f"{graph_url}/v18.0")
            channel = MessengerInput(VERIFY_TOKEN, APP_SECRET, PAGE_TOKEN, **options)
            async with (
                serve_channel_on_loopback(channel, on_new_message) as bot_url,
                httpx.AsyncClient(base_url=bot_url, timeout=5) as client,
            ):
                yield Messenger(client, channel, send_api_recorder, received)

    return start
