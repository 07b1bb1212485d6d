"""End to end: a logged-in customer's first request is greeted and answered, each fact said once.

The greeting after the verification and the answer to the request come in
the same turn; the greeting leaves out what the answer says. The servers run
on the real clock, so these tests check how often a fact is said, never a
calendar date.
"""

from __future__ import annotations

import pytest

from tests.e2e.chat import Chat, customer_token

pytestmark = [pytest.mark.model, pytest.mark.e2e]

CASES = {
    # customer, first message, greeting, the fact said exactly once
    "order": (
        "K-100001",
        "Wo ist meine Bestellung?",
        "Guten Tag Frau Schmidt",
        "Dachbox Nordlicht",
    ),
    "ready car": ("K-100004", "Ist mein Auto schon fertig?", "Guten Tag Herr Meier", "Strato GT"),
    "recall": (
        "K-100003",
        "Ist mein Auto von einem Rückruf betroffen?",
        "Guten Tag Frau Wagner",
        "RC-2026-07",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_greeting_does_not_repeat_the_answer(rasa_server, crm_server, case: str) -> None:
    number, message, greeting, fact = CASES[case]
    chat = Chat(rasa_server, metadata={"customer_token": customer_token(number)})
    turn = chat.say(message)
    assert greeting in turn.text, turn.text
    assert turn.text.count(fact) == 1, turn.text


def test_meier_hears_once_that_his_car_is_ready(rasa_server, crm_server) -> None:
    chat = Chat(rasa_server, metadata={"customer_token": customer_token("K-100004")})
    turn = chat.say("Ist mein Auto schon fertig?")
    assert "Guten Tag Herr Meier" in turn.text
    assert turn.text.count("ist fertig") == 1, turn.text
    assert turn.text.count("Gute Nachricht") == 1, turn.text
