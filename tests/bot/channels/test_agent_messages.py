"""Agent messages keep their sender on the website (socket.io metadata) and on Messenger (name)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from rasa.shared.core.events import BotUttered

from bot.channels.graph_api import GraphSendApi
from bot.channels.messenger_output import MessengerOutput
from bot.channels.socketio_output import MarkedSocketIOOutput

AGENT_EVENT = BotUttered(
    "Guten Tag, hier ist Frau Keller.", metadata={"sender": "agent", "agent_name": "Frau Keller"}
)


class FakeSio:
    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any, str]] = []

    async def emit(self, event: str, data: Any = None, room: str = "") -> None:
        self.emitted.append((event, data, room))


async def test_the_website_gets_the_agent_marks_as_metadata() -> None:
    sio = FakeSio()
    output = MarkedSocketIOOutput(sio, "bot_uttered")  # type: ignore[arg-type]
    # what Rasa's HTTP API does with a bot event (execute_side_effects)
    await output.send_response("session-1", AGENT_EVENT.message())
    await output.send_response("session-1", BotUttered("Hallo!").message())
    assert sio.emitted == [
        (
            "bot_uttered",
            {
                "text": "Guten Tag, hier ist Frau Keller.",
                "metadata": {"sender": "agent", "agent_name": "Frau Keller"},
            },
            "session-1",
        ),
        ("bot_uttered", {"text": "Hallo!"}, "session-1"),
    ]


async def test_messenger_shows_the_agents_name() -> None:
    sent: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={"message_id": "m1"})

    api = GraphSendApi(
        "page-token", base_url="http://graph.test/v18.0", transport=httpx.MockTransport(handler)
    )
    output = MessengerOutput(api)
    await output.send_response("psid-1", AGENT_EVENT.message())
    await output.send_response("psid-1", BotUttered("Hallo!").message())
    await api.aclose()
    assert [body["message"]["text"] for body in sent] == [
        "Frau Keller (Kundenservice): Guten Tag, hier ist Frau Keller.",
        "Hallo!",
    ]


def test_the_website_channel_offers_its_output_to_rasas_api() -> None:
    from bot.channels.socketio import SecureSocketIOInput

    channel = SecureSocketIOInput()
    assert channel.get_output_channel() is None  # before the server attached socket.io
    channel.sio = FakeSio()  # type: ignore[assignment]
    assert isinstance(channel.get_output_channel(), MarkedSocketIOOutput)


async def test_an_agent_reply_after_the_24_hour_window_carries_the_human_agent_tag() -> None:
    sent: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={"message_id": "m1"})

    api = GraphSendApi(
        "page-token", base_url="http://graph.test/v18.0", transport=httpx.MockTransport(handler)
    )
    output = MessengerOutput(api)
    late = {"sender": "agent", "agent_name": "Frau Keller", "message_tag": "HUMAN_AGENT"}
    await output.send_response("psid-1", BotUttered("Ich bin wieder da.", metadata=late).message())
    # the bot itself may never use the tag, and no other tag passes
    await output.send_response(
        "psid-1", BotUttered("Hallo!", metadata={"message_tag": "HUMAN_AGENT"}).message()
    )
    other = {**late, "message_tag": "CONFIRMED_EVENT_UPDATE"}
    await output.send_response("psid-1", BotUttered("Termin", metadata=other).message())
    await api.aclose()
    assert sent[0] == {
        "recipient": {"id": "psid-1"},
        "messaging_type": "MESSAGE_TAG",
        "tag": "HUMAN_AGENT",
        "message": {"text": "Frau Keller (Kundenservice): Ich bin wieder da."},
    }
    assert [(b["messaging_type"], b.get("tag")) for b in sent[1:]] == [
        ("RESPONSE", None),
        ("RESPONSE", None),
    ]
