"""End to end: a stopped or hung CRM gets a polite answer within 3 seconds."""

from __future__ import annotations

import pytest

from tests.e2e.chat import Chat, customer_token

pytestmark = [pytest.mark.model, pytest.mark.e2e]

SORRY = "unser Kundensystem antwortet gerade nicht"
LIMIT_SECONDS = 3.0


@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_verification_with_the_crm_down_is_answered_politely(
    rasa_server, crm_server, outage: str
) -> None:
    chat = Chat(rasa_server)
    chat.say("Ich habe eine Frage zu meiner Rechnung")
    chat.say("K-100003")
    with getattr(crm_server, outage)():
        turn = chat.say("1010")
        assert SORRY in turn.text
        assert turn.seconds < LIMIT_SECONDS, turn.seconds
        assert chat.slot("verification_failures") == 0  # no attempt counted
        later = chat.say("Was kannst du alles?")  # the conversation goes on
        assert "Pannenhilfe" in later.text
    assert "Frau Wagner" in chat.verify("K-100003", "1010").text  # and works once the CRM is back


@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_a_logged_in_customer_is_still_greeted_with_the_crm_down(
    rasa_server, crm_server, outage: str
) -> None:
    chat = Chat(rasa_server, metadata={"customer_token": customer_token("K-100001")})
    with getattr(crm_server, outage)():
        turn = chat.say("Hallo")
        assert turn.seconds < LIMIT_SECONDS, turn.seconds
        assert "Nordlicht Automobile" in turn.text
        served = chat.say("Wann ist mein Service fällig?")
        assert served.seconds < LIMIT_SECONDS
        assert "Ihre Servicedaten kann ich gerade nicht abrufen" in served.text
    assert "Frau Schmidt" in chat.say("Hallo").text
