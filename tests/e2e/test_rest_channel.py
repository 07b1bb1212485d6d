"""End to end: the Rasa server and the action server as real processes, over HTTP."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.chat import Chat

pytestmark = [pytest.mark.model, pytest.mark.e2e]


@pytest.fixture
def chat(rasa_server) -> Chat:
    return Chat(rasa_server)


def actions(chat: Chat) -> list[str]:
    return [e["name"] for e in chat.tracker()["events"] if e["event"] == "action"]


def test_greeting_is_answered_in_german(chat: Chat) -> None:
    answer = chat.say("Hallo")
    assert len(answer.messages) == 1
    assert answer.text in {  # one of the utter_greet variants
        "Guten Tag! Ich bin der digitale Assistent von Nordlicht Automobile. "
        "Wie kann ich Ihnen helfen?",
        "Hallo und willkommen bei Nordlicht Automobile! Was kann ich für Sie tun?",
    }


def test_request_for_a_human_is_answered_and_runs_the_custom_action(chat: Chat) -> None:
    answer = chat.say("Ich möchte bitte mit einem Mitarbeiter sprechen").text
    assert "Mitarbeiterin oder einem Mitarbeiter" in answer
    assert "nichts wiederholen" in answer
    assert actions(chat)[-3:] == [
        "utter_handoff_requested",
        "action_request_human",
        "action_listen",
    ]


def test_two_fallbacks_in_a_row_offer_a_human_with_buttons(chat: Chat) -> None:
    # "ööh" is a message the classifier is unsure about: the FallbackClassifier
    # turns it into nlu_fallback (a typed "/nlu_fallback" is text, not a command)
    first = chat.say("ööh").text
    assert "nicht" in first and "verstanden" in first
    second = chat.say("ööh")
    assert "verbinden" in second.text
    assert second.buttons == ["/affirm", "/deny"]
    assert "nichts wiederholen" in chat.say("/affirm").text


@pytest.mark.parametrize("gibberish", ["qwrzt plomf xyvv", "asdf jklö", "???"])
def test_gibberish_never_starts_a_journey(chat: Chat, gibberish: str) -> None:
    chat.say(gibberish)
    assert actions(chat)[-2] in {"utter_out_of_scope", "utter_ask_rephrase"}


def test_breakdown_gets_the_hotline(chat: Chat) -> None:
    answer = chat.say("Hilfe, mein Auto springt nicht an und ich stehe auf der A9").text
    assert "+49 800 6673 5448" in answer


def test_tracker_is_protected_by_the_api_token(rasa_server, chat: Chat) -> None:
    chat.say("Hallo")
    denied = httpx.get(f"{rasa_server.url}/conversations/{chat.sender}/tracker", timeout=10)
    assert denied.status_code == 401
    events = chat.tracker()["events"]
    intents = [e["parse_data"]["intent"]["name"] for e in events if e["event"] == "user"]
    assert intents == ["greet"]
