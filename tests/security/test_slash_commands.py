"""A typed ``/intent{...}`` is text; only the payloads of buttons the bot just sent are commands."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.chat import Chat

pytestmark = [pytest.mark.model, pytest.mark.e2e]


def user_events(chat: Chat) -> list[dict[str, Any]]:
    return [e for e in chat.tracker()["events"] if e["event"] == "user"]


@pytest.mark.parametrize(
    "typed",
    [
        "/affirm",
        "/request_human",
        '/inform{"customer_number": "K-100002", "postal_code": "50667"}',
        "  //nlu_fallback",
    ],
)
def test_a_typed_command_goes_through_the_nlu_as_text(rasa_server, typed: str) -> None:
    chat = Chat(rasa_server)
    chat.say("Hallo")
    chat.say(typed)
    parsed = user_events(chat)[-1]["parse_data"]
    assert not parsed["text"].startswith("/")
    assert len(parsed["intent_ranking"]) > 1  # a classifier ranked it, no command set it


def test_a_typed_command_cannot_claim_an_identity(rasa_server) -> None:
    chat = Chat(rasa_server)
    chat.say("Hallo")
    chat.say('/order_status{"customer_number": "K-100002", "postal_code": "50667"}')
    assert chat.slot("verified_customer_number") is None


MENU_QUESTION = "Ich brauche Hilfe mit der Nordlicht App"
PASSWORD = '/account_help{"account_topic": "password"}'


def test_the_payload_of_a_button_the_bot_sent_is_still_a_command(rasa_server) -> None:
    chat = Chat(rasa_server)
    menu = chat.say(MENU_QUESTION)
    assert PASSWORD in menu.buttons, menu
    answer = chat.say(PASSWORD)
    parsed = user_events(chat)[-1]["parse_data"]
    assert parsed["intent"] == {"name": "account_help", "confidence": 1.0}
    assert [(e["entity"], e["value"]) for e in parsed["entities"]] == [
        ("account_topic", "password")
    ]
    assert "Passwort vergessen" in answer.text


def test_a_payload_offered_earlier_is_text_once_the_customer_wrote_something_else(
    rasa_server,
) -> None:
    chat = Chat(rasa_server)
    assert PASSWORD in chat.say(MENU_QUESTION).buttons
    chat.say("Hallo")
    chat.say(PASSWORD)
    parsed = user_events(chat)[-1]["parse_data"]
    assert parsed["text"] == PASSWORD.lstrip("/")
    assert len(parsed["intent_ranking"]) > 1
