"""End to end: verification by customer number and postal code, against the real CRM."""

from __future__ import annotations

import pytest

from tests.e2e.chat import Chat, crm_history, wait_for
from tests.support.agents import agent_token, create_agent

pytestmark = [pytest.mark.model, pytest.mark.e2e]

ASKS_NUMBER = "Wie lautet Ihre Kundennummer?"
ASKS_POSTAL_CODE = "Postleitzahl der Anschrift"
NOT_CONFIRMED = "Diese Angaben kann ich leider nicht bestätigen"
LOCKED = "nicht noch einmal versuchen"


def test_verification_succeeds_greets_personally_and_continues(rasa_server, crm_server) -> None:
    chat = Chat(rasa_server)
    first = chat.say("Wo ist meine Bestellung?")
    assert "Für persönliche Auskünfte" in first.text and "Kundennummer" in first.text
    assert ASKS_POSTAL_CODE in chat.say("meine Kundennummer ist K100001").text
    done = chat.say("80331")
    assert "Ihre Angaben sind bestätigt. Guten Tag Frau Schmidt!" in done.text
    assert "seit 2004" in done.text
    assert done.text.endswith("Sendungsnummer: 00340434161094042557")  # then the order journey
    assert chat.slot("verified_customer_number") == "K-100001"
    assert chat.slot("customer_number") is None and chat.slot("postal_code") is None

    def recorded() -> set[str]:
        entries = crm_history(crm_server, "K-100001")
        return {e["topic"] for e in entries if (e["conversation_id"] or "").startswith(chat.sender)}

    assert wait_for(lambda: recorded() == {"identified", "order_status"}), recorded()
    chat.say("Ich habe eine Frage zu meiner Rechnung")
    chat.say("Wo ist meine Bestellung?")  # asked again: not recorded twice
    assert wait_for(lambda: recorded() == {"identified", "order_status", "invoice_question"})
    entries = [
        e
        for e in crm_history(crm_server, "K-100001")
        if (e["conversation_id"] or "").startswith(chat.sender)
    ]
    assert len(entries) == 3 and {e["channel"] for e in entries} == {"chat"}


@pytest.mark.parametrize("number", ["K-100002", "K100002", "100002"])
def test_customer_numbers_are_accepted_in_every_spelling(rasa_server, number: str) -> None:
    chat = Chat(rasa_server)
    assert "Herr Yilmaz" in chat.verify(number, "50667").text


def test_wrong_postal_code_and_unknown_number_get_the_same_answer(rasa_server) -> None:
    wrong = Chat(rasa_server).verify("K-100001", "80335")
    unknown = Chat(rasa_server).verify("K-999998", "80331")
    assert NOT_CONFIRMED in wrong.text and "2 Versuche" in wrong.text
    assert wrong.text == unknown.text
    assert ASKS_POSTAL_CODE in wrong.text  # the number is kept; another one may be given


@pytest.fixture
def agent_online(crm_server) -> None:
    """An agent logged in just now (business hours are "always" in the e2e stack)."""
    create_agent(crm_server, "verification-e2e", "e2e-geheim-123", "Frau Vogel")
    agent_token(crm_server, "verification-e2e", "e2e-geheim-123")


def test_three_failed_attempts_lock_the_conversation(rasa_server, agent_online) -> None:
    chat = Chat(rasa_server)
    assert "2 Versuche" in chat.verify("K-100003", "1011").text
    chat.say("K-100003")
    assert "noch einen Versuch" in chat.say("1012").text
    chat.say("K-100003")
    locked = chat.say("1013")
    assert LOCKED in locked.text
    # handed over at once, to the live queue; then the bot waits (no rephrase request)
    assert locked.messages[-1]["text"].startswith("Sie sind in der Warteschlange an Position")
    # no question is asked any more: what the customer adds joins the escalation
    again = chat.say("Ich habe eine Frage zu meiner Rechnung")
    assert "ergänzt" in again.text and "Kundennummer" not in again.text
    assert chat.slot("verified_customer_number") is None
    handoff = chat.say("/request_human")
    assert "nichts wiederholen" in handoff.text


def test_the_customer_can_stop_and_ask_for_a_human(rasa_server) -> None:
    chat = Chat(rasa_server)
    chat.say("Ich möchte meine Adresse ändern")
    stopped = chat.say("abbrechen")
    assert "abgebrochen" in stopped.text and ASKS_NUMBER not in stopped.text
    chat.say("Wann ist mein nächster Service fällig?")
    human = chat.say("Ich möchte mit einem Mitarbeiter sprechen")
    assert "nichts wiederholen" in human.text and "Kundennummer" not in human.text
    assert chat.tracker()["active_loop"] == {}


def test_questions_during_the_verification_are_answered_then_it_goes_on(rasa_server) -> None:
    chat = Chat(rasa_server)
    chat.say("Ich möchte einen Garantiefall melden")
    bot = chat.say("Bist du ein Bot?")
    assert "digitale Assistent" in bot.text and ASKS_NUMBER in bot.text
    assert ASKS_POSTAL_CODE in chat.say("K-100004").text
    assert "Herr Meier" in chat.say("8001").text


def test_malformed_answers_are_explained(rasa_server) -> None:
    chat = Chat(rasa_server)
    chat.say("Meine Vertragsdaten bitte")
    assert "sechs Ziffern" in chat.say("1234567").text
    chat.say("K-100002")
    assert "vier oder fünf Ziffern" in chat.say("PLZ 123").text


def test_a_postal_code_given_for_the_number_is_explained_then_a_human_offered(
    rasa_server,
) -> None:
    """No endless "Wie lautet Ihre Kundennummer?": what is missing, then a way out."""
    chat = Chat(rasa_server)
    chat.say("Meine Vertragsdaten bitte")
    first = chat.say("50667")
    assert "Postleitzahl habe ich notiert" in first.text
    assert "beginnt mit K und hat sechs Ziffern" in first.text
    chat.say("50667")
    second = chat.say("50667")  # the fourth question for the number: a way out
    assert "verbinde ich Sie gern mit einer Mitarbeiterin" in second.text
    assert "/request_human" in second.buttons
    assert chat.slot("verified_customer_number") is None
    assert "nichts wiederholen" in chat.say("/request_human").text


def test_after_the_lock_a_postal_code_typed_again_is_not_asked_about(
    rasa_server, agent_online
) -> None:
    chat = Chat(rasa_server)
    chat.verify("K-999990", "80331")
    chat.say("K-999990")
    chat.say("80331")
    chat.say("K-999990")
    assert LOCKED in chat.say("80331").text
    again = chat.say("80331")
    assert ASKS_NUMBER not in again.text and "Kundennummer?" not in again.text
