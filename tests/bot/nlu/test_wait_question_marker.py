"""A question about the wait carries the entity wait_question; other messages do not."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.components.wait_question_marker import WaitQuestionMarker


def marked(text: str) -> list[str]:
    message = Message(data={TEXT: text})
    (result,) = WaitQuestionMarker().process([message])
    return [entity["entity"] for entity in result.get(ENTITIES) or []]


def test_a_question_about_the_wait_is_marked_once() -> None:
    message = Message(data={TEXT: "Wie lange dauert das denn noch?"})
    component = WaitQuestionMarker()
    component.process([message])
    component.process([message])
    assert [e["entity"] for e in message.get(ENTITIES)] == ["wait_question"]
    assert message.get(ENTITIES)[0]["value"] == "ja"


def test_a_self_service_question_is_not_marked() -> None:
    assert marked("Wann ist mein Werkstatttermin?") == []
