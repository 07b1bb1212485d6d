"""The REST channel on the running Rasa server: who may call it, and what every message gets."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
import yaml

from tests.e2e.chat import REST_AUTH, Chat, tracker
from tests.support.processes import PROJECT_ROOT, REST_CHANNEL_TEST_TOKEN

pytestmark = [pytest.mark.model, pytest.mark.e2e]

RESPONSES = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
EMPTY = RESPONSES["utter_empty_message"][0]["text"]
TOO_LONG = RESPONSES["utter_message_too_long"][0]["text"]


def post(rasa_server, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(
        f"{rasa_server.url}/webhooks/rest/webhook",
        json=body,
        headers=REST_AUTH if headers is None else headers,
        timeout=30,
    )


def sender() -> str:
    return f"sec-{uuid.uuid4().hex[:10]}"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-the-token"},
        {"Authorization": REST_CHANNEL_TEST_TOKEN},
        {"Authorization": f"Bearer {REST_CHANNEL_TEST_TOKEN[:-1]}"},
    ],
    ids=["none", "wrong", "no-scheme", "prefix"],
)
def test_without_the_bearer_token_nobody_continues_a_conversation(
    rasa_server, headers: dict[str, str]
) -> None:
    chat = Chat(rasa_server)
    chat.say("Hallo")
    answer = post(
        rasa_server, {"sender": chat.sender, "message": "Wo ist meine Bestellung?"}, headers
    )
    assert answer.status_code == 401
    assert answer.json() == {"error": "unauthorized"}
    user_texts = [e["text"] for e in chat.tracker()["events"] if e["event"] == "user"]
    assert user_texts == ["Hallo"]


@pytest.mark.parametrize(
    "body",
    [
        {"message": "Hallo"},
        {"sender": "", "message": "Hallo"},
        {"sender": "   ", "message": "Hallo"},
        {"sender": None, "message": "Hallo"},
        {"sender": 4711, "message": "Hallo"},
        {"sender": "x" * 129, "message": "Hallo"},
    ],
    ids=["missing", "empty", "blank", "null", "number", "too-long"],
)
def test_a_missing_or_bad_sender_is_a_clear_400(rasa_server, body: dict[str, Any]) -> None:
    answer = post(rasa_server, body)
    assert answer.status_code == 400
    assert "sender" in answer.json()["error"]
    shared = tracker(rasa_server, "default")  # the stock channel's shared conversation
    assert [e for e in shared["events"] if e["event"] == "user"] == []


@pytest.mark.parametrize(
    "body",
    [[1, 2], "Hallo", {"sender": "a", "message": 42}, {"sender": "a", "metadata": "x"}],
    ids=["list", "string", "message-number", "metadata-string"],
)
def test_malformed_bodies_are_a_400(rasa_server, body: Any) -> None:
    assert post(rasa_server, body).status_code == 400


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", "\u200b\u200b", "\x00\x00"])
def test_an_empty_message_gets_a_short_prompt(rasa_server, text: str) -> None:
    conversation = sender()
    answer = post(rasa_server, {"sender": conversation, "message": text})
    assert answer.status_code == 200
    assert answer.json() == [{"recipient_id": conversation, "text": EMPTY}]


def test_a_request_without_message_gets_the_prompt_too(rasa_server) -> None:
    conversation = sender()
    answer = post(rasa_server, {"sender": conversation})
    assert answer.json() == [{"recipient_id": conversation, "text": EMPTY}]


@pytest.mark.parametrize("length", [2001, 1_000_000])
def test_a_too_long_message_is_refused_politely_and_never_logged(rasa_server, length: int) -> None:
    conversation = sender()
    marker = f"Geheim{uuid.uuid4().hex}"
    text = (marker + " ") + "x" * (length - len(marker) - 1)
    answer = post(rasa_server, {"sender": conversation, "message": text})
    assert answer.status_code == 200
    assert answer.json() == [{"recipient_id": conversation, "text": TOO_LONG}]
    assert [e for e in tracker(rasa_server, conversation)["events"] if e["event"] == "user"] == []
    assert marker not in rasa_server.log()


def test_2000_characters_are_still_read(rasa_server) -> None:
    conversation = sender()
    text = "Hallo " + "a" * 1994
    answer = post(rasa_server, {"sender": conversation, "message": text})
    assert answer.status_code == 200 and answer.json()[0]["text"] != TOO_LONG
    users = [e for e in tracker(rasa_server, conversation)["events"] if e["event"] == "user"]
    assert [len(e["text"]) for e in users] == [2000]


def test_a_huge_body_is_a_413(rasa_server) -> None:
    answer = post(rasa_server, {"sender": sender(), "message": "x" * 3_000_000})
    assert answer.status_code == 413


def test_invisible_and_control_characters_are_removed_before_the_nlu(rasa_server) -> None:
    chat = Chat(rasa_server)
    chat.say("Hal\u200blo\u202e\x00\x07 \u2066")
    user = next(e for e in chat.tracker()["events"] if e["event"] == "user")
    assert user["text"] == "Hallo"
    assert user["parse_data"]["text"] == "Hallo"
    assert user["parse_data"]["intent"]["name"] == "greet"


def test_a_zero_width_space_cannot_hide_a_customer_number(rasa_server) -> None:
    chat = Chat(rasa_server)
    assert "Kundennummer" in chat.say("Wo ist meine Bestellung?").text
    chat.say("K-100\u200b001")
    assert chat.slot("customer_number") == "K-100001"
