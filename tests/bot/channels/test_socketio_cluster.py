"""Two website channels (two Rasa servers) sharing socket.io rooms through a real Redis."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import redis
import socketio
from rasa.core.channels.channel import UserMessage

from bot.channels.cluster import SOCKETIO_REDIS_CHANNEL, cluster_redis_url
from bot.channels.socketio import SecureSocketIOInput
from bot.chat_sessions import ChatSessionSigner
from tests.support.redis_server import running_redis

SECRET = "website-chat-test-secret-0123456789abcdef"


@pytest.fixture
def redis_url() -> Iterator[str]:
    with running_redis() as url:
        yield url


def test_cluster_redis_url_is_optional_and_checked() -> None:
    assert cluster_redis_url({}) is None
    assert cluster_redis_url({"CLUSTER_REDIS_URL": " "}) is None
    assert cluster_redis_url({"CLUSTER_REDIS_URL": "redis://r:6379/2"}) == "redis://r:6379/2"
    with pytest.raises(ValueError):
        cluster_redis_url({"CLUSTER_REDIS_URL": "http://r"})


def channel(redis_url: str) -> SecureSocketIOInput:
    built = SecureSocketIOInput(session_signer=ChatSessionSigner(SECRET, ttl_seconds=3600))
    built.redis_url = redis_url
    return built


async def nothing(_: UserMessage) -> None:
    return None


async def test_a_message_sent_by_one_server_reaches_a_socket_on_the_other(
    redis_url: str, serve_channel_on_loopback: Any
) -> None:
    first, second = channel(redis_url), channel(redis_url)
    async with (
        serve_channel_on_loopback(first, nothing) as first_url,
        serve_channel_on_loopback(second, nothing),
    ):
        client = socketio.AsyncClient(reconnection=False)
        confirmations: asyncio.Queue[Any] = asyncio.Queue()
        messages: asyncio.Queue[Any] = asyncio.Queue()
        client.on("session_confirm", confirmations.put_nowait)
        client.on("bot_uttered", messages.put_nowait)
        await client.connect(first_url, socketio_path="/socket.io", transports=["polling"])
        try:
            await client.emit("session_request", {})
            session = await asyncio.wait_for(confirmations.get(), 5)
            await _until_subscribed(redis_url)

            output = second.get_output_channel()
            assert output is not None
            await output.send_text_message(
                session["session_id"], "Hier ist Anna.", sender="agent", agent_name="Anna"
            )

            message = await asyncio.wait_for(messages.get(), 5)
            assert message == {
                "text": "Hier ist Anna.",
                "metadata": {"sender": "agent", "agent_name": "Anna"},
            }
        finally:
            await client.eio.disconnect(abort=True)


async def _until_subscribed(url: str) -> None:
    """The first server listens on Redis from its first connection on."""
    client = redis.Redis.from_url(url)
    try:
        for _ in range(500):
            if dict(client.pubsub_numsub(SOCKETIO_REDIS_CHANNEL))[SOCKETIO_REDIS_CHANNEL.encode()]:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the socket.io server never subscribed to Redis")
    finally:
        client.close()
