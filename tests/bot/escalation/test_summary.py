"""The extractive German summary names the topic and the customer's facts."""

from __future__ import annotations

from bot.escalation.conversation import read_conversation
from bot.escalation.summary import summarize
from tests.bot.escalation.conftest import bot, invoice_conversation, user


def test_the_summary_names_topic_customer_facts_and_reason() -> None:
    facts = read_conversation(invoice_conversation())
    customer = {
        "customer_number": "K-100001",
        "verified": True,
        "name": "Frau Anna Schmidt",
        "tier": "Gold",
    }
    text = summarize(facts, "Rechnung wird bestritten", case_number="C-2000001", customer=customer)
    assert text == (
        "Thema: Frage zu einer Rechnung. "
        "Kunde: Frau Anna Schmidt (K-100001, Gold, verifiziert). "
        "Angaben: Rechnungsnummer R-20250100, Kundennummer K-100001, Postleitzahl 80331, "
        "Fall C-2000001. "
        "Kunde schreibt: „Ich habe eine Frage zu meiner Rechnung R-20250100“ "
        "„Die Rechnung ist viel zu hoch, die Inspektion war doch im Angebot günstiger“ "
        "Übergabe: Rechnung wird bestritten."
    )


def test_an_unverified_customer_and_an_unclear_topic_are_said_so() -> None:
    facts = read_conversation(
        [user("hallo", "greet"), bot("Guten Tag!"), user("asdf qwer", "nlu_fallback", 0.2)]
    )
    text = summarize(
        facts,
        "Kunde möchte mit einem Menschen sprechen",
        customer={"customer_number": "K-100002", "verified": False},
    )
    assert text.startswith(
        "Thema: kein eindeutiges Thema erkannt. "
        "Kunde nennt Kundennummer K-100002 (nicht verifiziert)."
    )


def test_agent_and_system_messages_keep_their_role() -> None:
    facts = read_conversation(
        [
            bot("Hier ist Frau Keller", sender="agent", agent_name="Frau Keller"),
            bot("Hinweis", sender="system"),
        ]
    )
    assert [line.role for line in facts.transcript] == ["agent", "system"]


def test_long_messages_are_shortened_and_button_payloads_not_quoted() -> None:
    long = "Mein Auto " + "sehr " * 100 + "laut"
    facts = read_conversation([user(long, "complaint"), user("/request_human", "request_human")])
    text = summarize(facts, "x")
    assert "Thema: Beschwerde." in text and "…“" in text and "/request_human" not in text
