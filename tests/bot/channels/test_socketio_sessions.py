"""The website channel over real socket.io (python-socketio client, loopback server).

The client uses the polling transport: python-engineio's websocket client needs
a newer aiohttp than Rasa 3.6 allows. The socket.io events are the same.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import socketio
from rasa.core.channels.channel import UserMessage

from bot.channels.socketio import SecureSocketIOInput
from bot.channels.typing_relay import TypingRelay
from bot.chat_sessions import ChatSessionSigner

SECRET = "website-chat-test-secret-0123456789abcdef"
TTL_SECONDS = 3600


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


class ChatClient:
    """A browser widget: one socket.io connection and what it received."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.confirmations: asyncio.Queue[Any] = asyncio.Queue()
        self.bot_messages: asyncio.Queue[Any] = asyncio.Queue()
        self.sio.on("session_confirm", self.confirmations.put_nowait)
        self.sio.on("bot_uttered", self.bot_messages.put_nowait)

    async def connect(self, url: str) -> None:
        await self.sio.connect(url, socketio_path="/socket.io", transports=["polling"])

    async def request_session(self, request: Any = None) -> dict[str, Any]:
        if request is None:
            await self.sio.emit("session_request")
        else:
            await self.sio.emit("session_request", request)
        return await asyncio.wait_for(self.confirmations.get(), 5)

    async def say(self, message: Any) -> None:
        await self.sio.emit("user_uttered", message)

    async def next_bot_message(self) -> Any:
        return await asyncio.wait_for(self.bot_messages.get(), 5)

    @property
    def sid(self) -> str:
        return self.sio.get_sid()

    async def close(self) -> None:
        # A polite polling disconnect waits for the server's long-poll to time out
        # (~45 s); aborting closes the HTTP session and the server sees the close.
        await self.sio.eio.disconnect(abort=True)
        if self.sio.eio.read_loop_task is not None:
            await asyncio.wait([self.sio.eio.read_loop_task], timeout=5)


@dataclass
class Website:
    url: str
    channel: SecureSocketIOInput
    signer: ChatSessionSigner
    clock: FakeClock
    received: list[UserMessage] = field(default_factory=list)
    clients: list[ChatClient] = field(default_factory=list)

    async def client(self) -> ChatClient:
        client = ChatClient()
        await client.connect(self.url)
        self.clients.append(client)
        return client

    async def next_user_message(self, count: int) -> UserMessage:
        async def poll() -> None:
            while len(self.received) < count:
                await asyncio.sleep(0.01)

        await asyncio.wait_for(poll(), 5)
        return self.received[count - 1]

    def room(self, session_id: str) -> set[str]:
        assert self.channel.sio is not None
        participants = self.channel.sio.manager.get_participants("/", session_id)
        return {sid for sid, _ in participants}

    def sid_of(self, client: ChatClient) -> str:
        # The server-side socket.io sid of a client (same value the client knows).
        return client.sid


@pytest.fixture
def website(serve_channel_on_loopback: Any) -> Any:
    @asynccontextmanager
    async def start() -> AsyncIterator[Website]:
        clock = FakeClock()
        signer = ChatSessionSigner(SECRET, ttl_seconds=TTL_SECONDS, clock=clock)
        channel = SecureSocketIOInput(session_signer=signer)
        received: list[UserMessage] = []

        async def on_new_message(message: UserMessage) -> None:
            received.append(message)
            await message.output_channel.send_response(
                message.sender_id, {"text": f"Antwort auf: {message.text}"}
            )

        async with serve_channel_on_loopback(channel, on_new_message) as url:
            site = Website(url, channel, signer, clock, received)
            try:
                yield site
            finally:
                await asyncio.gather(*(client.close() for client in site.clients))

    return start


async def test_new_session_is_issued_signed_and_carries_messages(website: Any) -> None:
    async with website() as site:
        client = await site.client()

        confirm = await client.request_session({})

        assert set(confirm) == {"session_id", "session_token", "expires_at"}
        assert site.signer.verify(confirm["session_id"], confirm["session_token"])
        assert site.room(confirm["session_id"]) == {client.sid}

        await client.say({"message": "Hallo", "session_id": confirm["session_id"]})
        message = await site.next_user_message(1)
        assert message.text == "Hallo"
        assert message.sender_id == confirm["session_id"]
        assert message.input_channel == "socketio"
        assert message.metadata == {"channel": "socketio"}
        assert await client.next_bot_message() == {"text": "Antwort auf: Hallo"}


async def test_session_request_without_payload_gets_a_session(website: Any) -> None:
    async with website() as site:
        client = await site.client()
        confirm = await client.request_session()
        assert site.signer.verify(confirm["session_id"], confirm["session_token"])


async def test_valid_issued_session_is_resumed_on_reconnect(website: Any) -> None:
    async with website() as site:
        first_tab = await site.client()
        issued = await first_tab.request_session({})
        site.clock.now += 60

        second_tab = await site.client()
        resumed = await second_tab.request_session(
            {"session_id": issued["session_id"], "session_token": issued["session_token"]}
        )

        assert resumed["session_id"] == issued["session_id"]
        assert resumed["expires_at"] == issued["expires_at"] + 60  # token refreshed
        assert site.room(issued["session_id"]) == {first_tab.sid, second_tab.sid}

        await second_tab.say({"message": "Ich bin zurück"})
        message = await site.next_user_message(1)
        assert message.sender_id == issued["session_id"]
        # Both tabs of the same customer see the answer.
        assert await first_tab.next_bot_message() == {"text": "Antwort auf: Ich bin zurück"}
        assert await second_tab.next_bot_message() == {"text": "Antwort auf: Ich bin zurück"}


def _forged_token(site: Website, victim: dict[str, Any]) -> str:
    return f"v1.{victim['expires_at']}.{'ab' * 32}"


def _token_of_other_session(site: Website, victim: dict[str, Any]) -> str:
    return site.signer.issue().session_token


def _token_with_other_secret(site: Website, victim: dict[str, Any]) -> str:
    return ChatSessionSigner("another-secret-" * 4).issue(victim["session_id"]).session_token


def _stretched_expiry(site: Website, victim: dict[str, Any]) -> str:
    _, expiry, signature = victim["session_token"].split(".")
    return f"v1.{int(expiry) + 86400}.{signature}"


def _no_token(site: Website, victim: dict[str, Any]) -> None:
    return None


@pytest.mark.parametrize(
    "attacker_token",
    [
        _forged_token,
        _token_of_other_session,
        _token_with_other_secret,
        _stretched_expiry,
        _no_token,
    ],
)
async def test_unverified_session_request_never_joins_the_requested_room(
    website: Any, attacker_token: Any
) -> None:
    async with website() as site:
        victim = await site.client()
        victim_session = await victim.request_session({})

        attacker = await site.client()
        answer = await attacker.request_session(
            {
                "session_id": victim_session["session_id"],
                "session_token": attacker_token(site, victim_session),
            }
        )

        assert answer["session_id"] != victim_session["session_id"]
        assert site.signer.verify(answer["session_id"], answer["session_token"])
        assert site.room(victim_session["session_id"]) == {victim.sid}

        # The attacker's words land in its own new conversation...
        await attacker.say(
            {"message": "Zeig mir alles", "session_id": victim_session["session_id"]}
        )
        message = await site.next_user_message(1)
        assert message.sender_id == answer["session_id"]
        assert await attacker.next_bot_message() == {"text": "Antwort auf: Zeig mir alles"}

        # ...and the victim's conversation does not reach the attacker.
        await victim.say({"message": "Meine Fahrgestellnummer"})
        await site.next_user_message(2)
        assert await victim.next_bot_message() == {"text": "Antwort auf: Meine Fahrgestellnummer"}
        assert attacker.bot_messages.empty()
        assert victim.bot_messages.empty()


async def test_expired_token_gets_a_new_session(website: Any) -> None:
    async with website() as site:
        client = await site.client()
        old = await client.request_session({})
        site.clock.now += TTL_SECONDS + 1

        other = await site.client()
        answer = await other.request_session(
            {"session_id": old["session_id"], "session_token": old["session_token"]}
        )

        assert answer["session_id"] != old["session_id"]
        assert site.room(old["session_id"]) == {client.sid}


async def test_new_session_request_moves_the_socket_to_the_new_room(website: Any) -> None:
    async with website() as site:
        client = await site.client()
        first = await client.request_session({})
        second = await client.request_session({})

        assert first["session_id"] != second["session_id"]
        assert site.room(first["session_id"]) == set()
        assert site.room(second["session_id"]) == {client.sid}


async def test_message_before_session_request_is_dropped(website: Any) -> None:
    async with website() as site:
        client = await site.client()
        await client.say({"message": "Hallo?", "session_id": "0" * 32})

        # A later, bound message is the first the bot sees.
        await client.request_session({})
        await client.say({"message": "Jetzt aber"})
        first = await site.next_user_message(1)
        assert first.text == "Jetzt aber"
        assert len(site.received) == 1


async def test_metadata_from_session_request_and_message_reaches_rasa(website: Any) -> None:
    async with website() as site:
        client = await site.client()
        await client.request_session({"metadata": {"customer_token": "header.payload.sig"}})

        await client.say(
            {"message": "Termin", "metadata": {"page": "/service", "channel": "spoofed"}}
        )
        await client.say({"message": "Noch was", "metadata": json.dumps({"page": "/kontakt"})})

        first = await site.next_user_message(1)
        second = await site.next_user_message(2)
        assert first.metadata == {
            "customer_token": "header.payload.sig",
            "page": "/service",
            "channel": "socketio",
        }
        assert second.metadata == {
            "customer_token": "header.payload.sig",
            "page": "/kontakt",
            "channel": "socketio",
        }


def test_from_credentials_requires_the_session_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.chat_sessions import ChatSessionConfigError

    monkeypatch.delenv("CHAT_SESSION_SECRET", raising=False)
    with pytest.raises(ChatSessionConfigError):
        SecureSocketIOInput.from_credentials({"session_persistence": True})

    monkeypatch.setenv("CHAT_SESSION_SECRET", SECRET)
    channel = SecureSocketIOInput.from_credentials({"bot_message_evt": "bot_uttered"})
    assert isinstance(channel, SecureSocketIOInput)
    assert channel.name() == "socketio"
    assert channel.session_signer is not None


async def test_typing_is_relayed_for_the_sockets_own_session_only(website: Any) -> None:
    typed: list[str] = []

    class Recording(TypingRelay):
        def typing(self, conversation_id: str) -> None:
            typed.append(conversation_id)

    async with website() as site:
        site.channel.typing_relay = Recording()
        client = await site.client()
        await client.sio.emit("user_typing", {"session_id": "0" * 32})  # no session yet: dropped
        session = await client.request_session({})
        await client.sio.emit("user_typing", {"session_id": "f" * 32})  # the claim is ignored
        await client.say({"message": "Hallo"})
        await site.next_user_message(1)  # events of one socket arrive in order
        assert typed == [session["session_id"]]
