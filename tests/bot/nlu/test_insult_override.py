"""An insult without a request becomes express_frustration; a request stays."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.components.insult_override import InsultOverride


def parsed(text: str, intent: str, confidence: float = 0.8) -> Message:
    message = Message(data={TEXT: text})
    top = {"name": intent, "confidence": confidence}
    message.set(INTENT, top)
    message.set(INTENT_RANKING_KEY, [top, {"name": "express_frustration", "confidence": 0.1}])
    return message


def override(message: Message) -> Message:
    component = InsultOverride(InsultOverride.get_default_config())
    (result,) = component.process([message])
    return result


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Ihr seid doch alle unfähig", "deny"),
        ("so ein Saftladen", "out_of_scope"),
        ("du blöder Bot", "bot_challenge"),
        ("Vollidioten seid ihr", "nlu_fallback"),
    ],
)
def test_an_insult_without_a_request_is_frustration(text: str, intent: str) -> None:
    result = override(parsed(text, intent))
    assert result.get(INTENT) == {"name": "express_frustration", "confidence": 1.0}
    ranking = [entry["name"] for entry in result.get(INTENT_RANKING_KEY)]
    assert ranking == ["express_frustration", intent]


def test_an_insult_beside_a_request_keeps_the_request() -> None:
    result = override(parsed("Saftladen, wo ist meine Bestellung?", "order_status"))
    assert result.get(INTENT)["name"] == "order_status"


def test_a_polite_message_is_left_alone() -> None:
    result = override(parsed("nein danke", "deny"))
    assert result.get(INTENT)["name"] == "deny"
