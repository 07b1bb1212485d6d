"""End to end: the Rasa server and the action server as real processes, over HTTP."""

from __future__ import annotations

import uuid

import httpx
import pytest

pytestmark = [pytest.mark.model, pytest.mark.e2e]


def say(rasa_server, sender: str, message: str) -> list[dict]:
    response = httpx.post(
        f"{rasa_server.url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=30,
    )
    assert response.status_code == 200
    return response.json()


def texts(messages: list[dict]) -> str:
    return " ".join(m.get("text", "") for m in messages)


@pytest.fixture
def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:8]}"


def test_greeting_is_answered_in_german(rasa_server, sender: str) -> None:
    answer = texts(say(rasa_server, sender, "Hallo"))
    assert "Nordlicht Automobile" in answer
    assert any(word in answer for word in ("Guten Tag", "Hallo"))


def tracker_events(rasa_server, sender: str) -> list[dict]:
    response = httpx.get(
        f"{rasa_server.url}/conversations/{sender}/tracker",
        params={"token": rasa_server.token},
        timeout=10,
    )
    assert response.status_code == 200
    return response.json()["events"]


def test_request_for_a_human_is_answered_and_runs_the_custom_action(
    rasa_server, sender: str
) -> None:
    answer = texts(say(rasa_server, sender, "Ich möchte bitte mit einem Mitarbeiter sprechen"))
    assert "Mitarbeiterin oder einem Mitarbeiter" in answer
    assert "nichts wiederholen" in answer
    actions = [e["name"] for e in tracker_events(rasa_server, sender) if e["event"] == "action"]
    assert actions[-3:] == ["utter_handoff_requested", "action_request_human", "action_listen"]


def test_two_fallbacks_in_a_row_offer_a_human_with_buttons(rasa_server, sender: str) -> None:
    # "/nlu_fallback" is what the FallbackClassifier turns an unsure message
    # into; sent directly, it makes the dialogue path deterministic.
    first = texts(say(rasa_server, sender, "/nlu_fallback"))
    assert "nicht" in first and "verstanden" in first
    second = say(rasa_server, sender, "/nlu_fallback")
    assert "verbinden" in texts(second)
    buttons = [b["payload"] for m in second for b in m.get("buttons", [])]
    assert buttons == ["/affirm", "/deny"]
    accepted = say(rasa_server, sender, "/affirm")
    assert "nichts wiederholen" in texts(accepted)


@pytest.mark.parametrize("gibberish", ["qwrzt plomf xyvv", "asdf jklö", "???"])
def test_gibberish_never_starts_a_journey(rasa_server, sender: str, gibberish: str) -> None:
    say(rasa_server, sender, gibberish)
    actions = [e["name"] for e in tracker_events(rasa_server, sender) if e["event"] == "action"]
    assert actions[-2] in {"utter_out_of_scope", "utter_ask_rephrase"}


def test_breakdown_gets_the_hotline(rasa_server, sender: str) -> None:
    answer = texts(
        say(rasa_server, sender, "Hilfe, mein Auto springt nicht an und ich stehe auf der A9")
    )
    assert "+49 800 6673 5448" in answer


def test_tracker_is_protected_by_the_api_token(rasa_server, sender: str) -> None:
    say(rasa_server, sender, "Hallo")
    denied = httpx.get(f"{rasa_server.url}/conversations/{sender}/tracker", timeout=10)
    assert denied.status_code == 401
    events = tracker_events(rasa_server, sender)
    intents = [e["parse_data"]["intent"]["name"] for e in events if e["event"] == "user"]
    assert intents == ["greet"]
