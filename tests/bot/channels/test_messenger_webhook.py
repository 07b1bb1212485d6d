"""The Messenger channel end to end: signed webhooks in, Send API calls out.

The channel runs in a Sanic app on a loopback port, wired like Rasa wires it;
the Graph API is a loopback server that records every Send API call.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.shared.exceptions import RasaException

from bot.channels.facebook import MessengerInput
from tests.bot.channels.messenger_support import (
    APP_SECRET,
    OTHER_PSID,
    PAGE_ID,
    PAGE_TOKEN,
    PSID,
    VERIFY_TOKEN,
    echo,
    sign,
    text_event,
    webhook,
)


async def test_verification_handshake(messenger: Any) -> None:
    async with messenger() as fb:
        ok = await fb.client.get(
            "/webhooks/facebook/webhook",
            params={
                "hub.mode": "subscribe",
                "hub.verify_token": VERIFY_TOKEN,
                "hub.challenge": "1158201444",
            },
        )
        wrong = await fb.client.get(
            "/webhooks/facebook/webhook",
            params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
        )
        no_mode = await fb.client.get(
            "/webhooks/facebook/webhook",
            params={"hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        )

    assert (ok.status_code, ok.text) == (200, "1158201444")
    assert wrong.status_code == 403
    assert no_mode.status_code == 403


async def test_signed_text_message_is_answered_through_the_send_api(messenger: Any) -> None:
    async with messenger() as fb:
        answer = await fb.post(webhook(text_event("Wo ist mein Auto?", "m_1")))
        calls = await fb.graph.wait_for_messages(1)
        await fb.settle()

    assert (answer.status_code, answer.text) == (200, "EVENT_RECEIVED")
    [message] = fb.received
    assert message.text == "Wo ist mein Auto?"
    assert message.sender_id == PSID
    assert message.input_channel == "facebook"
    assert message.message_id == "m_1"
    assert message.metadata == {"channel": "facebook", "page_id": PAGE_ID}
    assert fb.graph.calls == [
        {"recipient": {"id": PSID}, "sender_action": "typing_on"},
        {
            "recipient": {"id": PSID},
            "messaging_type": "RESPONSE",
            "message": {"text": "Echo: Wo ist mein Auto?"},
        },
    ]
    assert calls == fb.graph.calls[1:]
    assert set(fb.graph.authorizations) == {f"Bearer {PAGE_TOKEN}"}


async def test_signature_is_checked_over_the_raw_body(messenger: Any) -> None:
    # Non-ASCII sent unescaped: the HMAC must cover the exact bytes received.
    body = json.dumps(webhook(text_event("Grüße aus Köln", "m_raw")), ensure_ascii=False).encode()
    async with messenger() as fb:
        answer = await fb.post(body, headers={"X-Hub-Signature-256": sign(body)})
        await fb.graph.wait_for_messages(1)
        await fb.settle()

    assert answer.status_code == 200
    assert [m.text for m in fb.received] == ["Grüße aus Köln"]


def _bad_signatures(body: bytes) -> dict[str, dict[str, Any]]:
    return {
        "missing": {},
        "wrong secret": {"X-Hub-Signature-256": sign(body, secret="not-the-secret")},
        "sha1 only (legacy header)": {"X-Hub-Signature": sign(body, algorithm="sha1")},
        "md5 in sha256 header": {"X-Hub-Signature-256": sign(body, algorithm="md5")},
        "sha1 in sha256 header": {"X-Hub-Signature-256": sign(body, algorithm="sha1")},
        "bare digest": {"X-Hub-Signature-256": sign(body).removeprefix("sha256=")},
        "digest of other body": {"X-Hub-Signature-256": sign(body + b" ")},
        "empty": {"X-Hub-Signature-256": "sha256="},
        "non-ascii": {"X-Hub-Signature-256": "sha256=ä".encode()},
    }


async def test_unsigned_or_wrongly_signed_posts_are_rejected(messenger: Any) -> None:
    body = json.dumps(webhook(text_event("Hallo", "m_evil"))).encode()
    async with messenger() as fb:
        answers = {
            name: await fb.post(body, headers=headers)
            for name, headers in _bad_signatures(body).items()
        }
        await fb.settle()
        await asyncio.sleep(0.1)

    assert {name: answer.status_code for name, answer in answers.items()} == dict.fromkeys(
        answers, 403
    )
    assert fb.received == []
    assert fb.graph.calls == []


async def test_rejected_delivery_does_not_burn_its_message_id(messenger: Any) -> None:
    body = json.dumps(webhook(text_event("Hallo", "m_later"))).encode()
    async with messenger() as fb:
        forged = await fb.post(body, headers={"X-Hub-Signature-256": sign(body, secret="x")})
        genuine = await fb.post(body)
        await fb.graph.wait_for_messages(1)
        await fb.settle()

    assert (forged.status_code, genuine.status_code) == (403, 200)
    assert [m.text for m in fb.received] == ["Hallo"]


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[1, 2]", b""])
async def test_signed_malformed_json_is_a_bad_request(messenger: Any, body: bytes) -> None:
    async with messenger() as fb:
        answer = await fb.post(body)
        await fb.settle()

    assert answer.status_code == 400
    assert fb.received == []


async def test_every_event_of_a_batch_is_processed_in_order(messenger: Any) -> None:
    payload = {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": 1,
                "messaging": [
                    text_event("Erste Frage", "m_a"),
                    {
                        "sender": {"id": PSID},
                        "recipient": {"id": PAGE_ID},
                        "read": {"watermark": 1},
                    },
                    {
                        "sender": {"id": PAGE_ID},
                        "recipient": {"id": PSID},
                        "message": {"mid": "m_echo", "text": "Echo", "is_echo": True},
                    },
                    {
                        "sender": {"id": OTHER_PSID},
                        "recipient": {"id": PAGE_ID},
                        "message": {
                            "mid": "m_b",
                            "text": "Ja",
                            "quick_reply": {"payload": "/affirm"},
                        },
                    },
                ],
            },
            {
                "id": PAGE_ID,
                "time": 2,
                "messaging": [
                    {
                        "sender": {"id": PSID},
                        "recipient": {"id": PAGE_ID},
                        "delivery": {"mids": ["m_x"], "watermark": 1},
                    },
                    {
                        "sender": {"id": PSID},
                        "recipient": {"id": PAGE_ID},
                        "postback": {
                            "mid": "m_c",
                            "title": "Probefahrt",
                            "payload": "/book_test_drive",
                        },
                    },
                ],
            },
        ],
    }
    async with messenger() as fb:
        answer = await fb.post(payload)
        await fb.graph.wait_for_messages(3)
        await fb.settle()

    assert answer.status_code == 200
    assert [(m.sender_id, m.text, m.message_id) for m in fb.received] == [
        (PSID, "Erste Frage", "m_a"),
        (OTHER_PSID, "/affirm", "m_b"),
        (PSID, "/book_test_drive", "m_c"),
    ]
    assert [(c["recipient"]["id"], c["message"]["text"]) for c in fb.graph.messages] == [
        (PSID, "Echo: Erste Frage"),
        (OTHER_PSID, "Echo: /affirm"),
        (PSID, "Echo: /book_test_drive"),
    ]


async def test_retried_message_id_is_processed_once(messenger: Any) -> None:
    first = webhook(text_event("Hallo", "m_retry"))
    retry_with_new = webhook(text_event("Hallo", "m_retry"), text_event("Noch da?", "m_new"))
    async with messenger() as fb:
        answers = [await fb.post(first), await fb.post(first), await fb.post(retry_with_new)]
        await fb.graph.wait_for_messages(2)
        await fb.settle()

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [m.message_id for m in fb.received] == ["m_retry", "m_new"]
    assert len(fb.graph.messages) == 2


async def test_meta_gets_its_200_before_the_bot_has_answered(messenger: Any) -> None:
    release = asyncio.Event()

    async def slow_bot(message: UserMessage) -> None:
        await release.wait()
        await echo(message)

    async with messenger(slow_bot) as fb:
        answer = await asyncio.wait_for(fb.post(webhook(text_event("Hallo", "m_slow"))), 2)
        await asyncio.sleep(0.05)
        pending_replies = list(fb.graph.messages)
        release.set()
        await fb.graph.wait_for_messages(1)
        await fb.settle()

    assert answer.status_code == 200
    assert pending_replies == []
    assert [m.text for m in fb.received] == ["Hallo"]


async def test_one_users_messages_are_answered_in_arrival_order(messenger: Any) -> None:
    async def bot_slow_on_first(message: UserMessage) -> None:
        if message.text == "eins":
            await asyncio.sleep(0.2)
        await echo(message)

    async with messenger(bot_slow_on_first) as fb:
        await fb.post(webhook(text_event("eins", "m_1")))
        await fb.post(webhook(text_event("zwei", "m_2")))
        await fb.graph.wait_for_messages(2)
        await fb.settle()

    assert [c["message"]["text"] for c in fb.graph.messages] == ["Echo: eins", "Echo: zwei"]


async def test_buttons_become_a_button_template_within_limits(messenger: Any) -> None:
    async def offer_buttons(message: UserMessage) -> None:
        await message.output_channel.send_response(
            message.sender_id,
            {
                "text": "Wobei kann ich helfen?",
                "buttons": [
                    {"title": "Werkstatttermin vereinbaren", "payload": "/book_service"},
                    {"title": "Rückruf", "payload": "/request_callback"},
                    {"title": "Zur Website", "url": "https://www.example.com/service"},
                ],
            },
        )

    async with messenger(offer_buttons) as fb:
        await fb.post(webhook(text_event("Hilfe", "m_help")))
        [call] = await fb.graph.wait_for_messages(1)
        await fb.settle()

    assert call == {
        "recipient": {"id": PSID},
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "text": "Wobei kann ich helfen?",
                    "buttons": [
                        {
                            "type": "postback",
                            "title": "Werkstatttermin ver…",
                            "payload": "/book_service",
                        },
                        {"type": "postback", "title": "Rückruf", "payload": "/request_callback"},
                        {
                            "type": "web_url",
                            "title": "Zur Website",
                            "url": "https://www.example.com/service",
                        },
                    ],
                },
            }
        },
    }


async def test_many_buttons_become_at_most_13_quick_replies(messenger: Any) -> None:
    models = [f"Nordlicht Modell {n:02d} Kombi" for n in range(15)]

    async def offer_models(message: UserMessage) -> None:
        buttons = [{"title": m, "payload": f'/choose_model{{"model":"{m}"}}'} for m in models]
        await message.output_channel.send_response(
            message.sender_id, {"text": "Welches Modell?", "buttons": buttons}
        )

    async with messenger(offer_models) as fb:
        await fb.post(webhook(text_event("Modelle", "m_models")))
        [call] = await fb.graph.wait_for_messages(1)
        await fb.settle()

    quick_replies = call["message"]["quick_replies"]
    assert call["message"]["text"] == "Welches Modell?"
    assert len(quick_replies) == 13
    assert quick_replies[0] == {
        "content_type": "text",
        "title": "Nordlicht Modell 00…",
        "payload": '/choose_model{"model":"Nordlicht Modell 00 Kombi"}',
    }
    assert all(len(reply["title"]) <= 20 for reply in quick_replies)


async def test_long_text_and_image_go_out_within_limits(messenger: Any) -> None:
    paragraph = "Die Garantie umfasst alle Bauteile des Antriebsstrangs. " * 20  # ~1,100 chars
    text = "\n\n".join([paragraph.strip()] * 4)

    async def long_answer(message: UserMessage) -> None:
        await message.output_channel.send_response(
            message.sender_id, {"text": text, "image": "https://cdn.example.com/nordlicht.png"}
        )

    async with messenger(long_answer) as fb:
        await fb.post(webhook(text_event("Garantie?", "m_long")))
        calls = await fb.graph.wait_for_messages(5)
        await fb.settle()

    texts = [c["message"]["text"] for c in calls[:-1]]
    assert len(texts) == 4
    assert all(len(t) <= 2000 for t in texts)
    assert "\n\n".join(texts) == text
    assert calls[-1]["message"] == {
        "attachment": {
            "type": "image",
            "payload": {"url": "https://cdn.example.com/nordlicht.png", "is_reusable": True},
        }
    }


async def test_send_api_errors_are_logged_not_raised(
    messenger: Any, send_api_recorder: Any, caplog: pytest.LogCaptureFixture
) -> None:
    send_api_recorder.failures[PSID] = (
        400,
        {"error": {"message": "No matching user found", "type": "OAuthException", "code": 100}},
    )
    handled: list[str] = []

    async def bot(message: UserMessage) -> None:
        await echo(message)
        handled.append(message.text or "")

    caplog.set_level(logging.ERROR, logger="bot.channels.graph_api")
    async with messenger(bot) as fb:
        await fb.post(webhook(text_event("Hallo", "m_err")))
        await fb.graph.wait_for_messages(1)
        await fb.settle()

    assert handled == ["Hallo"]  # the bot's turn completed despite the failed send
    assert "HTTP 400, OAuthException 100: No matching user found" in caplog.text
    assert PAGE_TOKEN not in caplog.text


async def test_unreachable_graph_api_is_logged_not_raised(
    messenger: Any, caplog: pytest.LogCaptureFixture
) -> None:
    handled: list[str] = []

    async def bot(message: UserMessage) -> None:
        await echo(message)
        handled.append(message.text or "")

    caplog.set_level(logging.ERROR, logger="bot.channels.graph_api")
    async with messenger(bot, graph_api_url="http://127.0.0.1:9/v18.0") as fb:
        answer = await fb.post(webhook(text_event("Hallo", "m_down")))
        await fb.settle()

    assert answer.status_code == 200
    assert handled == ["Hallo"]
    assert "Messenger Send API unreachable: ConnectError" in caplog.text


async def test_typing_indicator_can_be_switched_off(messenger: Any) -> None:
    async with messenger(typing_indicator=False) as fb:
        await fb.post(webhook(text_event("Hallo", "m_quiet")))
        await fb.graph.wait_for_messages(1)
        await fb.settle()

    assert fb.graph.actions == []


async def test_typing_is_switched_off_when_the_bot_stays_silent(messenger: Any) -> None:
    async def silent(message: UserMessage) -> None:
        return None

    async with messenger(silent) as fb:
        await fb.post(webhook(text_event("Hallo", "m_silent")))
        await fb.settle()

    assert fb.graph.actions == [(PSID, "typing_on"), (PSID, "typing_off")]


def test_from_credentials() -> None:
    channel = MessengerInput.from_credentials(
        {
            "verify": VERIFY_TOKEN,
            "secret": APP_SECRET,
            "page-access-token": PAGE_TOKEN,
            "typing-indicator": "false",
        }
    )
    assert isinstance(channel, MessengerInput)
    assert channel.name() == "facebook"
    assert channel.typing_indicator is False
    assert APP_SECRET not in repr(channel) and PAGE_TOKEN not in repr(channel)

    with pytest.raises(RasaException, match="secret"):
        MessengerInput.from_credentials({"verify": VERIFY_TOKEN, "page-access-token": PAGE_TOKEN})


async def test_empty_and_over_long_messages_are_answered_without_a_turn(messenger: Any) -> None:
    async with messenger() as fb:
        await fb.post(
            webhook(text_event("\u200b \u200b", "m_empty"), text_event("x" * 2001, "m_long"))
        )
        calls = await fb.graph.wait_for_messages(2)
        await fb.settle()

    assert fb.received == []
    # no model loaded here: the channel sends the response name it found no text for
    assert [call["message"]["text"] for call in calls] == [
        "utter_empty_message",
        "utter_message_too_long",
    ]


async def test_invisible_characters_are_removed_before_the_turn(messenger: Any) -> None:
    async with messenger() as fb:
        await fb.post(webhook(text_event("K-100\u200b001\u202e", "m_zw")))
        await fb.graph.wait_for_messages(1)
        await fb.settle()

    assert [message.text for message in fb.received] == ["K-100001"]
