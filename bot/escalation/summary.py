"""A short extractive German summary of the issue, for the agent.

It names the topic, the facts the customer gave (numbers, plate, dates and
the other entities) and quotes the customer's most telling messages, so the
agent reads in two lines what the conversation was about.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.escalation.conversation import ConversationFacts
from bot.topics import PERSONAL_TOPICS

GENERAL_TOPICS = {
    "breakdown_help": "Panne / Pannenhilfe",
    "dealer_info": "Händler- oder Werkstattsuche",
    "test_drive": "Probefahrt",
    "account_help": "Kundenportal oder App",
}
ENTITY_LABELS = {
    "customer_number": "Kundennummer",
    "postal_code": "Postleitzahl",
    "order_number": "Bestellnummer",
    "invoice_number": "Rechnungsnummer",
    "license_plate": "Kennzeichen",
    "vin": "FIN",
    "service_type": "Leistung",
    "vehicle_model": "Modell",
    "city": "Ort",
    "date": "Datum",
    "time": "Uhrzeit",
    "email": "E-Mail",
    "phone": "Telefon",
}
MAX_QUOTES = 2
MIN_QUOTE_WORDS = 3
MAX_QUOTE_CHARS = 200
_NOT_QUOTED = frozenset({"request_human", "affirm", "deny", "greet", "thank", "goodbye"})


def topic_label(intent: str | None) -> str:
    """Return the German name of the topic behind an intent."""
    if intent is None:
        return "kein eindeutiges Thema erkannt"
    return PERSONAL_TOPICS.get(intent) or GENERAL_TOPICS.get(intent) or intent


def summarize(
    facts: ConversationFacts,
    reason_text: str,
    *,
    case_number: str | None = None,
    customer: Mapping[str, Any] | None = None,
) -> str:
    """Return the summary: topic, facts, the customer's words, reason.

    Args:
        facts: What the conversation holds.
        reason_text: Why the bot hands over (German).
        case_number: A case the bot opened, if any.
        customer: The customer part of the context package.

    """
    parts = [f"Thema: {topic_label(facts.topic_intent())}."]
    who = _who(customer or {})
    if who:
        parts.append(who)
    given = _facts(facts.entities, case_number)
    if given:
        parts.append(f"Angaben: {given}.")
    quotes = _quotes(facts.intents)
    if quotes:
        parts.append("Kunde schreibt: " + " ".join(f"„{quote}“" for quote in quotes))
    parts.append(f"Übergabe: {reason_text}.")
    return " ".join(parts)


def _who(customer: Mapping[str, Any]) -> str:
    number = customer.get("customer_number")
    if not number:
        return "Kunde nicht identifiziert."
    if not customer.get("verified"):
        return f"Kunde nennt Kundennummer {number} (nicht verifiziert)."
    name = customer.get("name") or number
    tier = f", {customer['tier']}" if customer.get("tier") else ""
    return f"Kunde: {name} ({number}{tier}, verifiziert)."


def _facts(entities: Iterable[Mapping[str, Any]], case_number: str | None) -> str:
    items = [
        f"{ENTITY_LABELS.get(str(entity['entity']), str(entity['entity']))} {entity['value']}"
        for entity in entities
    ]
    if case_number:
        items.append(f"Fall {case_number}")
    return ", ".join(dict.fromkeys(items))


def _quotes(intents: list[dict[str, Any]]) -> list[str]:
    telling = [
        str(entry["text"]).strip()
        for entry in intents
        if entry.get("text")
        and entry["intent"] not in _NOT_QUOTED
        and not str(entry["text"]).startswith("/")
        and len(str(entry["text"]).split()) >= MIN_QUOTE_WORDS
    ]
    chosen = list(dict.fromkeys(telling))[-MAX_QUOTES:]
    return [_shorten(text) for text in chosen]


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_QUOTE_CHARS else text[: MAX_QUOTE_CHARS - 1].rstrip() + "…"
