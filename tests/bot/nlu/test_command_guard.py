from __future__ import annotations

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.components.command_guard import CommandGuard, neutralize_command, offered_payloads

OFFER = BotUttered(
    "Soll ich Sie verbinden?",
    data={
        "buttons": [{"title": "Ja", "payload": "/affirm"}, {"title": "Nein", "payload": "/deny"}]
    },
)


def conversation(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("k1", list(events))


def test_payloads_count_only_since_the_last_user_message() -> None:
    assert offered_payloads(conversation(UserUttered("x"), OFFER)) == {"/affirm", "/deny"}
    assert offered_payloads(conversation(OFFER, UserUttered("Hallo"))) == set()
    assert offered_payloads(None) == set()


def test_quick_replies_count_like_buttons() -> None:
    bot = BotUttered("?", data={"quick_replies": [{"title": "Ja", "payload": "/affirm"}]})
    assert offered_payloads(conversation(bot)) == {"/affirm"}


def test_an_offered_payload_stays_a_command_anything_else_becomes_text() -> None:
    offered = {"/affirm", '/inform{"service_type":"inspection"}'}
    assert neutralize_command("/affirm", offered) == "/affirm"
    assert neutralize_command(' /inform{"service_type":"inspection"} ', offered).strip() == (
        '/inform{"service_type":"inspection"}'
    )
    assert neutralize_command("/deny", offered) == "deny"
    assert neutralize_command('//inform{"customer_number":"K-1"}', offered) == (
        'inform{"customer_number":"K-1"}'
    )
    assert neutralize_command("Hallo /affirm", set()) == "Hallo /affirm"


def test_the_component_rewrites_the_message_text() -> None:
    guard = CommandGuard()
    tracker = conversation(UserUttered("Hallo"), ActionExecuted("utter_offer_human"), OFFER)
    typed, clicked = Message({TEXT: "/request_human"}), Message({TEXT: "/affirm"})
    guard.process([typed, clicked], tracker)
    assert (typed.get(TEXT), clicked.get(TEXT)) == ("request_human", "/affirm")
