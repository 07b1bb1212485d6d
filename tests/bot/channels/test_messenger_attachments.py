"""Files on Messenger reach the agent: Meta's real webhook format in, our bot service in process.

Facebook is the loopback stand-in of ``test_messenger_webhook``; the bot
service is our real escalation API (over the seeded CRM), reached by the
channel's client through httpx's ASGI transport.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from bot.channels.messenger_events import parse_webhook
from bot.channels.messenger_files import MessengerFiles
from bot.escalation.client import EscalationClient
from bot.escalation.wiring import EscalationFeature
from tests.bot.channels.messenger_support import PAGE_ID, PSID, text_event, webhook
from tests.bot.escalation.conftest import SERVICE_TOKEN, Clock, invoice_conversation, settings

CDN = "https://scontent.xx.fbcdn.net/v/t1.15752-9/470000000_1000000000000000_1_n.jpg?_nc_cat=1&oh=00_AY&oe=67A0"
PDF = "https://cdn.fbsbx.com/v/t59.2708-21/470000000_1_n.pdf/Rechnung.pdf?_nc_cat=1&oh=00_AY"


def attachment_event(mid: str, *attachments: dict[str, Any], psid: str = PSID) -> dict[str, Any]:
    """A message with files, exactly as Meta delivers it (no ``text``)."""
    return {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": 1_795_000_100_000,
        "message": {"mid": mid, "attachments": list(attachments)},
    }


def image(url: str = CDN) -> dict[str, Any]:
    return {"type": "image", "payload": {"url": url}}


@pytest.fixture
def bot_service(crm_service_local) -> Iterator[tuple[EscalationFeature, FastAPI]]:
    feature = EscalationFeature.create(settings(), crm_service_local, SERVICE_TOKEN, Clock())
    app = FastAPI()
    feature.install(app)
    yield feature, app
    feature.live_chat.rasa.close()


def files_via(app: FastAPI) -> MessengerFiles:
    return MessengerFiles(
        lambda: EscalationClient(
            "http://bot.test", SERVICE_TOKEN, transport=httpx.ASGITransport(app=app)
        )
    )


def test_the_webhook_format_is_read_and_stickers_are_not_files() -> None:
    [event] = parse_webhook(
        webhook(
            attachment_event(
                "m_1",
                image(),
                {"type": "file", "payload": {"url": PDF}},
                {"type": "image", "payload": {"url": CDN, "sticker_id": 369239263222822}},
                {"type": "location", "payload": {"coordinates": {"lat": 52.5, "long": 13.4}}},
                {"type": "video", "payload": {"url": "http://insecure.example/v.mp4"}},
            )
        )
    )
    assert event.kind == "attachment"
    assert event.text == ""
    assert [(f.kind, f.url) for f in event.files] == [("image", CDN), ("file", PDF)]
    assert event.timestamp == 1_795_000_100.0
    sticker_only = attachment_event(
        "m_2", {"type": "image", "payload": {"url": CDN, "sticker_id": 369239263222822}}
    )
    assert parse_webhook(webhook(sticker_only)) == []


async def test_a_file_without_an_escalation_is_answered_and_never_sent_to_the_nlu(
    messenger: Any, bot_service
) -> None:
    _, app = bot_service
    async with messenger(files=files_via(app)) as fb:
        await fb.post(webhook(attachment_event("m_a1", image())))
        calls = await fb.graph.wait_for_messages(1)
        await fb.settle()

    assert fb.received == []
    # no model loaded here: the channel sends the response name it found no text for
    assert [call["message"]["text"] for call in calls] == ["utter_attachment_unreadable"]


async def test_a_file_during_an_escalation_reaches_the_agent_transcript_once(
    messenger: Any, bot_service
) -> None:
    feature, app = bot_service
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        opened = await c.post(
            "/api/internal/escalations",
            json={"conversation_id": PSID, "channel": "facebook", "events": invoice_conversation()},
            headers={"Authorization": f"Bearer {SERVICE_TOKEN.reveal()}"},
        )
    escalation_id = opened.json()["escalation_id"]

    async with messenger(files=files_via(app)) as fb:
        delivery = webhook(
            attachment_event("m_b1", image(), {"type": "file", "payload": {"url": PDF}})
        )
        await fb.post(delivery)
        await fb.graph.wait_for_messages(1)
        await fb.post(delivery)  # Meta re-delivers: the same mid is handled once
        await fb.post(webhook(text_event("Das ist die Warnleuchte", "m_b2")))
        await fb.settle()

    # Waiting in the queue: the customer hears once that the files were added; the text goes on.
    answers = [call["message"].get("text") for call in fb.graph.messages]
    assert answers.count("utter_attachment_added") == 1
    assert [message.text for message in fb.received] == ["Das ist die Warnleuchte"]
    transcript = feature.service.get_escalation(escalation_id).transcript
    files = [line for line in transcript if line.attachment is not None]
    assert [(f.text, f.attachment.kind, f.attachment.url) for f in files] == [  # type: ignore[union-attr]
        ("Bild über Messenger gesendet", "image", CDN),
        ("Datei über Messenger gesendet", "file", PDF),
    ]


async def test_while_an_agent_has_the_chat_a_file_goes_to_the_agent_silently(
    messenger: Any, bot_service
) -> None:
    feature, app = bot_service
    from bot.escalation.schemas import EscalationIntake

    receipt = feature.service.open_escalation(
        EscalationIntake(conversation_id=PSID, channel="facebook", events=invoice_conversation())
    )
    agent = feature.agents.create_agent("keller", "geheim-genug-1", "Frau Keller")
    feature.service.claim(receipt.escalation_id, agent.id)
    feature.service.set_takeover(receipt.escalation_id, agent.id, True)

    async with messenger(files=files_via(app)) as fb:
        await fb.post(webhook(attachment_event("m_c1", image())))
        await fb.settle()

    assert fb.graph.messages == []
    transcript = feature.service.get_escalation(receipt.escalation_id).transcript
    assert transcript[-1].attachment is not None
    assert transcript[-1].attachment.url == CDN


async def test_when_the_bot_service_is_down_the_customer_is_asked_to_send_again(
    messenger: Any,
) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    files = MessengerFiles(
        lambda: EscalationClient(
            "http://bot.test",
            SERVICE_TOKEN,
            transport=httpx.MockTransport(down),
            retry_pause=0.0,
        )
    )
    async with messenger(files=files) as fb:
        await fb.post(webhook(attachment_event("m_d1", image())))
        calls = await fb.graph.wait_for_messages(1)
        await fb.settle()
    assert [call["message"]["text"] for call in calls] == ["utter_attachment_not_forwarded"]
